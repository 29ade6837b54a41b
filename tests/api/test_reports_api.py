"""The weekly report API: generate, list, read, download each format; a stored report stays as it
was after the data change and is replaced only when asked; everyone reads, admins and staff generate."""
from datetime import date, timedelta

import pytest

from crm.base.access import SYSTEM
from crm.projects.inflows import add_inflow
from crm.notify.inbox import list_notifications
from tests.factories import NOW, make_inflow, make_lead, make_project

WEEK = "2026-W46"   # 9–15 November 2026; NOW is Friday 20 November
MIME = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "html": "text/html; charset=utf-8"}


@pytest.fixture
def history(store):
    project = make_project(store, signed_on=date(2026, 11, 9))
    make_inflow(store, project.id, received_on=date(2026, 11, 10), amount_usd=35_000_000)
    make_lead(store, now=NOW - timedelta(days=9))
    return project


def test_it_generates_a_week_and_lists_and_reads_it(staff_client, viewer_client, history):
    made = staff_client.post("/api/v1/reports", json={"week": WEEK})
    assert made.status_code == 201, made.json
    assert made.headers["Location"] == f"/api/v1/reports/{WEEK}"
    assert (made.json["week"], made.json["week_start"], made.json["week_end"], made.json["generated_by"]) == (
        WEEK, "2026-11-09", "2026-11-15", "staff")
    assert made.json["figures"]["pipeline"]["week"]["signings"]["value"] == 1
    listed = viewer_client.get("/api/v1/reports")
    assert listed.status_code == 200 and [r["week"] for r in listed.json] == [WEEK]
    assert "figures" not in listed.json[0]
    read = viewer_client.get(f"/api/v1/reports/{WEEK}")
    assert read.status_code == 200 and read.json["figures"] == made.json["figures"]


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "html"])
def test_each_format_downloads_with_its_content_type(staff_client, viewer_client, history, fmt):
    assert staff_client.post("/api/v1/reports", json={"week": WEEK}).status_code == 201
    got = viewer_client.get(f"/api/v1/reports/{WEEK}.{fmt}")
    assert got.status_code == 200
    assert got.headers["Content-Type"] == MIME[fmt]
    assert got.headers["Content-Disposition"] == f'attachment; filename="chainlead-report-{WEEK}.{fmt}"'
    if fmt == "html":
        assert "招商周报" in got.get_data(as_text=True)
    else:
        assert got.data[:2] == b"PK"   # a zip container, as Office files are
    english = viewer_client.get(f"/api/v1/reports/{WEEK}.html?lang=en")
    assert "Weekly investment promotion report" in english.get_data(as_text=True)


def test_a_stored_report_keeps_its_figures_after_the_data_change(staff_client, store, history):
    staff_client.post("/api/v1/reports", json={"week": WEEK})
    before = staff_client.get(f"/api/v1/reports/{WEEK}").json
    add_inflow(store, history.id, {"received_on": date(2026, 11, 11), "amount_usd": 50_000_000, "kind": "equity"},
               actor=SYSTEM, now=NOW)
    after = staff_client.get(f"/api/v1/reports/{WEEK}").json
    assert after == before and after["figures"]["fdi"]["week_usd"]["value"] == 35_000_000


def test_it_regenerates_only_when_asked(staff_client, store, history):
    staff_client.post("/api/v1/reports", json={"week": WEEK})
    add_inflow(store, history.id, {"received_on": date(2026, 11, 11), "amount_usd": 50_000_000, "kind": "equity"},
               actor=SYSTEM, now=NOW)
    again = staff_client.post("/api/v1/reports", json={"week": WEEK})
    assert again.status_code == 409 and "regenerat" in again.json["message"]
    assert staff_client.get(f"/api/v1/reports/{WEEK}").json["figures"]["fdi"]["week_usd"]["value"] == 35_000_000
    fresh = staff_client.post("/api/v1/reports", json={"week": WEEK, "regenerate": True})
    assert fresh.status_code == 201 and fresh.json["figures"]["fdi"]["week_usd"]["value"] == 85_000_000
    assert staff_client.get(f"/api/v1/reports/{WEEK}").json["figures"]["fdi"]["week_usd"]["value"] == 85_000_000


def test_everyone_reads_but_only_admins_and_staff_generate(admin_client, chain_leader_client,
                                                           district_officer_client, viewer_client, anonymous_client,
                                                           history):
    for client in (chain_leader_client, district_officer_client, viewer_client):
        assert client.post("/api/v1/reports", json={"week": WEEK}).status_code == 403
    assert anonymous_client.post("/api/v1/reports", json={"week": WEEK}).status_code == 401
    assert admin_client.post("/api/v1/reports", json={"week": WEEK}).status_code == 201
    for client in (chain_leader_client, district_officer_client, viewer_client):
        assert client.get(f"/api/v1/reports/{WEEK}").status_code == 200
        assert client.get(f"/api/v1/reports/{WEEK}.xlsx").status_code == 200
    assert anonymous_client.get(f"/api/v1/reports/{WEEK}").status_code == 401


def test_it_refuses_weeks_that_are_not_over_or_not_weeks(staff_client):
    assert staff_client.post("/api/v1/reports", json={"week": "2026-W47"}).status_code == 422   # ends 22 Nov
    assert staff_client.post("/api/v1/reports", json={"week": "2025-W53"}).status_code == 422
    assert staff_client.post("/api/v1/reports", json={"week": "next week"}).status_code == 422
    assert staff_client.get("/api/v1/reports/2026-W99").status_code == 422
    assert staff_client.get(f"/api/v1/reports/{WEEK}").status_code == 404
    assert staff_client.get(f"/api/v1/reports/{WEEK}.docx").status_code == 404


def test_every_active_user_is_told(staff_client, viewer_client, store, history):
    staff_client.post("/api/v1/reports", json={"week": WEEK})
    for client in (staff_client, viewer_client):
        notices = list_notifications(store, actor=client.user.actor(), kind="report").items
        assert [(n.title[:4], n.link) for n in notices] == [("招商周报", f"/reports/{WEEK}")]
