"""Companies imported from the browser (issue 16, item 11): upload a CSV or XLSX, read its dry run — new,
matching, merging and ambiguous rows and every problem by row and column, nothing written — then commit
it and watch the job finish. Staff and admins only; a commit writes exactly the file its dry run showed."""
from __future__ import annotations

import io
import re
from datetime import timedelta

import openpyxl
import pytest

from crm.library import companies
from tests.factories import NOW
from tests.pages.conftest import csrf_of
from web.imports import UPLOAD_TTL

URL = "/companies/import"
HEADER = "company_id,name_zh,name_en,country,employees\n"
GOOD = HEADER + ",中创新航,CALB,CN,12000\n" + "catl,宁德时代,CATL,CN,\n" + ",博世,,DE,400000\n"
AMBIGUOUS = GOOD + ",,Changan Automobile,DE,\n"


@pytest.fixture(autouse=True)
def imported_before(store):
    """The library as an import leaves it: each company with its matching key (the factory sets none)."""
    from crm.library.imports.names import normalise_name

    for row in store.read("MATCH (c:Company) RETURN c.id AS id, c.name_en AS en, c.name_zh AS zh"):
        store.write("MATCH (c:Company {id: $id}) SET c.name_norm = $key",
                    {"id": row["id"], "key": normalise_name(row["en"]) or normalise_name(row["zh"])})


def count(store) -> int:
    return companies.list_companies(store, companies.CompanyQuery(page_size=200)).total


def upload(client, content: bytes | str, name: str = "firms.csv"):
    """Post a file to the dry run as the page's form does."""
    token = csrf_of(client.get(URL).get_data(as_text=True))
    data = content.encode() if isinstance(content, str) else content
    return client.post(URL, data={"csrf_token": token, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert found, f"no {name} in the dry run"
    return found.group(1)


def commit(client, preview_html: str, **extra):
    data = {"csrf_token": csrf_of(preview_html), "token": hidden(preview_html, "token"),
            "sha256": hidden(preview_html, "sha256"), **extra}
    return client.post(f"{URL}/commit", data=data)


def finished(app, client, location: str) -> str:
    """The job page once the background import has stopped."""
    app.extensions["chainlead.imports"].running.join(timeout=60)
    r = client.get(location)
    assert r.status_code == 200
    return r.get_data(as_text=True)


def counted(html: str, outcome: str) -> int:
    return int(re.search(rf'data-count="{outcome}">(\d+)<', html).group(1))


def test_staff_see_the_dry_run_in_chinese_and_nothing_is_written(staff, store):
    assert f'href="{URL}"' in staff.get("/companies").get_data(as_text=True)
    assert "导入企业" in staff.get(URL).get_data(as_text=True)
    before = count(store)
    r = upload(staff, AMBIGUOUS + ",某企业,,CN,many\n")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert [counted(html, o) for o in ("new", "match", "merge", "ambiguous", "problems")] == [1, 1, 1, 1, 1]
    assert "中创新航" in html and "/companies/bosch" in html and "employees" in html  # the merge and what it changes
    assert "/companies/changan" in html  # the ambiguous row's candidate
    assert re.search(r'<td class="num">6</td><td>employees</td>', html)  # the problem by row and column
    assert 'id="import-commit"' not in html  # a file with problems cannot be committed
    assert count(store) == before


def test_staff_commit_a_file_and_the_job_reports_what_it_wrote(app, staff, store):
    before = count(store)
    preview = upload(staff, GOOD).get_data(as_text=True)
    r = commit(staff, preview)
    assert r.status_code == 302 and "/companies/import/jobs/" in r.location
    page = finished(app, staff, r.location)
    assert 'data-status="done"' in page and "已完成" in page and "新建 1，更新 1" in page
    assert count(store) == before + 1
    assert companies.get_company(store, "bosch").employees == 400000


def test_an_admin_imports_an_xlsx_in_english_leaving_ambiguous_rows_out(app, admin, store):
    admin.get(f"/lang/en?next={URL}")
    book = openpyxl.Workbook()
    for line in AMBIGUOUS.strip().split("\n"):
        book.active.append(line.split(","))
    data = io.BytesIO()
    book.save(data)
    preview = upload(admin, data.getvalue(), "firms.xlsx").get_data(as_text=True)
    assert "Ambiguous rows" in preview and "has the name of a company from another country" in preview
    assert counted(preview, "ambiguous") == 1
    refused = commit(admin, preview)
    assert refused.status_code == 422 and "tick the box to leave them out" in refused.get_data(as_text=True)
    page = finished(app, admin, commit(admin, preview, skip_ambiguous="on").location)
    assert "Done." in page and "Ambiguous rows left out: 1" in page
    assert not companies.list_companies(store, companies.CompanyQuery(q="Changan", page_size=10)).total > 1


@pytest.mark.parametrize("name, content, says", [
    ("firms.txt", "name_zh\n某企业\n", "csv"),
    ("firms.xlsx", b"PK\x03\x04 this is no workbook", "xlsx"),
    ("firms.csv", b"", ""),
])
def test_a_file_that_cannot_be_read_is_refused_beside_the_field(staff, store, name, content, says):
    before = count(store)
    r = upload(staff, content, name)
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "field-error" in html and says in html.lower()
    assert count(store) == before


@pytest.mark.parametrize("content, column", [
    ("name,country\n某企业,CN\n", "name"),                                  # wrong columns
    (HEADER + ",某" + "企" * 10_000 + ",,CN,\n", "name_zh"),                 # a 10,000-character name
    (HEADER + ",某企业,,CN,\n" * 200 + ",某\x07企业,,CN,\n", "name_zh"),      # a control character
])
def test_bad_rows_are_listed_by_row_and_column_and_cannot_be_committed(staff, store, content, column):
    before = count(store)
    html = upload(staff, content).get_data(as_text=True)
    assert counted(html, "problems") >= 1 and f"<td>{column}</td>" in html
    assert 'id="import-commit"' not in html
    assert count(store) == before


def test_a_lone_surrogate_is_refused_and_nothing_is_written(staff, store):
    before = count(store)
    data = (HEADER + ",某\ud800企业,,CN,\n").encode("utf-8", "surrogatepass")
    r = upload(staff, data)
    html = r.get_data(as_text=True)
    assert r.status_code == 422 or counted(html, "problems") >= 1
    assert 'id="import-commit"' not in html and count(store) == before


def test_a_commit_writes_only_the_file_of_its_dry_run_and_only_for_its_uploader(app, staff, admin, store):
    preview = upload(staff, GOOD).get_data(as_text=True)
    before = count(store)
    wrong_hash = commit(staff, preview, sha256="0" * 64)
    assert wrong_hash.status_code == 422
    borrowed = preview.replace(csrf_of(preview), csrf_of(admin.get(URL).get_data(as_text=True)))
    assert commit(admin, borrowed).status_code == 422  # another user's token
    app.config["CLOCK"] = lambda: NOW + UPLOAD_TTL + timedelta(seconds=1)
    assert commit(staff, preview).status_code == 422  # expired
    assert count(store) == before


def test_a_store_failing_mid_import_leaves_the_companies_as_they_were_and_a_rerun_completes_it(
        app, staff, store, monkeypatch):
    from crm.library.imports import journal, run
    from graph.errors import StoreError

    before = count(store)
    preview = upload(staff, GOOD).get_data(as_text=True)

    def failing(*args, **kwargs):
        raise StoreError("disk full")

    monkeypatch.setattr(run, "write", failing)
    page = finished(app, staff, commit(staff, preview).location)
    assert 'data-status="failed"' in page and "disk full" in page
    assert count(store) == before
    # the app lives on, so the journal must not wait for the process to end to call the import interrupted
    assert [r.file for r in journal.interrupted(store, now=NOW)] == ["firms.csv"]
    monkeypatch.undo()
    page = finished(app, staff, commit(staff, preview).location)
    assert 'data-status="done"' in page and count(store) == before + 1
    assert journal.interrupted(store, now=NOW) == []


@pytest.mark.parametrize("persona", ["viewer", "chain_leader", "district_officer"])
def test_roles_that_may_not_import_get_no_link_and_a_refusal(request, persona):
    client = request.getfixturevalue(persona)
    assert f'href="{URL}"' not in client.get("/companies").get_data(as_text=True)
    assert client.get(URL).status_code == 403
    token = csrf_of(client.get("/companies").get_data(as_text=True))
    r = client.post(URL, data={"csrf_token": token, "file": (io.BytesIO(GOOD.encode()), "f.csv")},
                    content_type="multipart/form-data")
    assert r.status_code == 403
    assert client.post(f"{URL}/commit", data={"csrf_token": token, "token": "x" * 20,
                                              "sha256": "0" * 64}).status_code == 403


def test_a_file_over_the_request_limit_is_refused_with_a_message_in_chinese(app, staff, store):
    app.config["MAX_CONTENT_LENGTH"] = 4096  # the 52 MB limit, scaled down
    before = count(store)
    r = upload(staff, HEADER + ",某企业,,CN,\n" * 400)
    html = r.get_data(as_text=True)
    assert r.status_code == 413 and "文件过大" in html and "Request Entity Too Large" not in html
    assert count(store) == before
