"""/api/v1/imports (issue 16, item 11): the companies import by upload for API clients — a dry run that
writes nothing and answers row by row, a commit that names the dry run's token and SHA-256 and runs in the
background, and the job's progress; bad input is a 422 naming the field and the reason."""
from __future__ import annotations

import io

import pytest

from crm.library import companies

DRY_RUN, COMMIT = "/api/v1/imports/companies/dry-run", "/api/v1/imports/companies/commit"
GOOD = "company_id,name_zh,name_en,country,employees\n,中创新航,CALB,CN,12000\n,博世,,DE,400000\n,,Changan Automobile,DE,\n"


def count(store) -> int:
    return companies.list_companies(store, companies.CompanyQuery(page_size=200)).total


def dry_run(client, content: str | bytes = GOOD, name: str = "firms.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(DRY_RUN, data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_a_dry_run_answers_row_by_row_and_writes_nothing(staff_client, store):
    before = count(store)
    r = dry_run(staff_client)
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["counts"] == {"new": 1, "match": 0, "merge": 1, "ambiguous": 1, "problems": 0}
    outcomes = {o["row"]: o for o in body["outcomes"]}
    assert outcomes[3]["company_id"] == "bosch" and "employees" in outcomes[3]["changes"]
    assert outcomes[4]["outcome"] == "ambiguous" and outcomes[4]["candidates"][0]["company_id"] == "changan"
    assert len(body["sha256"]) == 64 and body["token"]
    assert count(store) == before


def test_row_problems_come_by_row_and_column(staff_client):
    body = dry_run(staff_client, "name_zh,employees\n某企业,many\n").get_json()
    assert body["committable"] is False
    assert [(p["row"], p["column"]) for p in body["problems"]] == [(2, "employees")]


def test_a_commit_runs_in_the_background_and_its_job_reports_progress(app, staff_client, store):
    before = count(store)
    body = dry_run(staff_client).get_json()
    r = staff_client.post(COMMIT, json={"token": body["token"], "sha256": body["sha256"], "skip_ambiguous": True})
    assert r.status_code == 202 and r.get_json()["status"] == "running"
    app.extensions["chainlead.imports"].running.join(timeout=60)
    job = staff_client.get(f"/api/v1/imports/jobs/{r.get_json()['id']}").get_json()
    assert (job["status"], job["percent"], len(job["skipped"])) == ("done", 100, 1)
    assert job["summary"]["nodes"]["Company"]["created"] == 1 and count(store) == before + 1


def workbook_cut_in_half() -> bytes:
    import openpyxl

    book, data = openpyxl.Workbook(), io.BytesIO()
    for line in GOOD.strip().split("\n"):
        book.active.append(line.split(","))
    book.save(data)
    return data.getvalue()[: len(data.getvalue()) // 2]


@pytest.mark.parametrize("name, content, field", [
    ("firms.pdf", b"%PDF-1.7", "file"),
    ("firms.xlsx", b"PK\x03\x04broken", "file"),
    ("firms.xlsx", workbook_cut_in_half(), "file"),
    ("firms.csv", b"", "file"),
], ids=["pdf", "not-a-zip", "workbook-cut-in-half", "empty-csv"])
def test_a_file_that_cannot_be_read_is_a_422_on_file(staff_client, store, name, content, field):
    before = count(store)
    r = dry_run(staff_client, content, name)
    assert r.status_code == 422 and field in r.get_json()["errors"]["json"], r.get_json()
    assert count(store) == before


def test_a_missing_file_or_bad_commit_body_is_a_422_naming_the_field(staff_client):
    r = staff_client.post(DRY_RUN, data={"file": "not a file"}, content_type="multipart/form-data")
    assert r.status_code == 422 and "file" in str(r.get_json()["errors"])
    r = staff_client.post(COMMIT, json={"token": "x" * 20, "sha256": "nothex", "extra": 1})
    errors = r.get_json()["errors"]["json"]
    assert r.status_code == 422 and {"sha256", "extra"} <= set(errors)


def test_a_commit_needs_the_dry_runs_own_token_and_hash(staff_client, admin_client, store):
    body = dry_run(staff_client).get_json()
    before = count(store)
    wrong = staff_client.post(COMMIT, json={"token": body["token"], "sha256": "0" * 64, "skip_ambiguous": True})
    assert wrong.status_code == 422 and "sha256" in wrong.get_json()["errors"]["json"]
    other = admin_client.post(COMMIT, json={"token": body["token"], "sha256": body["sha256"]})
    assert other.status_code == 422 and "token" in other.get_json()["errors"]["json"]
    ambiguous = staff_client.post(COMMIT, json={"token": body["token"], "sha256": body["sha256"]})
    assert ambiguous.status_code == 422 and "skip_ambiguous" in ambiguous.get_json()["errors"]["json"]
    assert count(store) == before


def test_only_staff_and_admins_import(viewer_client, chain_leader_client, district_officer_client):
    for client in (viewer_client, chain_leader_client, district_officer_client):
        assert dry_run(client).status_code == 403
        assert client.post(COMMIT, json={"token": "x" * 20, "sha256": "0" * 64}).status_code == 403
        assert client.get("/api/v1/imports/jobs/nothing").status_code == 403


@pytest.mark.parametrize("name", ["a\x07b.csv", "长" * 10_000 + ".csv"])
def test_a_file_name_that_cannot_be_stored_is_a_422_on_file(staff_client, name):
    """The name goes into the import journal and the audit entry: refused before anything is read."""
    body = (b'--B\r\nContent-Disposition: form-data; name="file"; filename="' + name.encode() +
            b'"\r\nContent-Type: text/csv\r\n\r\n' + GOOD.encode() + b'\r\n--B--\r\n')
    r = staff_client.post(DRY_RUN, data=body, content_type="multipart/form-data; boundary=B")
    assert r.status_code == 422 and "file" in r.get_json()["errors"]["json"], r.get_json()


def test_a_file_is_known_by_its_own_name_without_the_folders_a_client_sent(staff_client):
    body = dry_run(staff_client, GOOD, "../../etc/firms.csv").get_json()
    assert body["file"] == "firms.csv"


def test_a_second_commit_while_one_runs_is_a_409_and_the_app_keeps_answering(app, staff_client, store, monkeypatch):
    import threading

    from crm.library.imports import run

    release, real = threading.Event(), run.write
    monkeypatch.setattr(run, "write", lambda *a, **k: (release.wait(timeout=60), real(*a, **k))[1])
    first, second = dry_run(staff_client).get_json(), dry_run(staff_client, GOOD.replace("CALB", "CALB2")).get_json()
    started = staff_client.post(COMMIT, json={"token": first["token"], "sha256": first["sha256"],
                                              "skip_ambiguous": True})
    assert started.status_code == 202
    try:
        assert staff_client.get("/api/v1/companies").status_code == 200  # served while the import runs
        job = staff_client.get(f"/api/v1/imports/jobs/{started.get_json()['id']}").get_json()
        assert job["status"] == "running"
        again = staff_client.post(COMMIT, json={"token": second["token"], "sha256": second["sha256"],
                                                "skip_ambiguous": True})
        assert again.status_code == 409
    finally:
        release.set()
        app.extensions["chainlead.imports"].running.join(timeout=60)
