"""/api/v1/risk: the watch list by role and filter, a firm's risk, and recording signals (固链)."""
from __future__ import annotations

from tests.factories import make_presence, make_project

SIGNAL = {"company_id": "bosch", "district_id": "500157", "kind": "parent_closure",
          "signal_on": "2026-11-02", "note": "母公司宣布关闭重庆工厂", "source": "公司公告"}


def test_staff_record_a_signal_and_the_firm_s_risk_shows_it(staff_client, store):
    make_presence(store, "bosch", "500157")
    r = staff_client.post("/api/v1/risk/signals", json=SIGNAL)
    assert r.status_code == 201 and r.headers["ETag"] == '"v1"'
    risk = staff_client.get("/api/v1/risk/firms/bosch").json["risk"]
    assert {"kind": "parent_closure", "on": "2026-11-02", "points": 40,
        "why_zh": "母公司宣布关闭重庆工厂", "why_en": "母公司宣布关闭重庆工厂"} in risk["signals"]
    archived = staff_client.patch(r.headers["Location"], json={"archived": True}, headers={"If-Match": '"v1"'})
    assert archived.status_code == 200 and archived.json["archived"] is True
    kinds = [s["kind"] for s in staff_client.get("/api/v1/risk/firms/bosch").json["risk"]["signals"]]
    assert "parent_closure" not in kinds


def test_bad_input_is_422_with_the_field_and_records_nothing(staff_client, store):
    make_presence(store, "bosch", "500157")
    for bad, field in (({"kind": "rumour"}, "kind"), ({"signal_on": "soon"}, "signal_on"),
                       ({"note": "x" * 2001}, "note"), ({"colour": 1}, "colour")):
        r = staff_client.post("/api/v1/risk/signals", json={**SIGNAL, **bad})
        assert r.status_code == 422 and field in r.json["errors"]["json"], (bad, r.json)
    absent = staff_client.post("/api/v1/risk/signals", json={**SIGNAL, "company_id": "catl"})
    assert absent.status_code == 422 and "company_id" in absent.json["errors"]["json"]
    created = staff_client.post("/api/v1/risk/signals", json=SIGNAL)
    bad_patch = staff_client.patch(created.headers["Location"], json={"signal_on": "x"}, headers={"If-Match": '"v1"'})
    assert bad_patch.status_code == 422
    assert staff_client.get(created.headers["Location"]).json["signal_on"] == "2026-11-02"


def test_viewer_reads_the_watch_list_but_cannot_record(viewer_client, store):
    make_presence(store, "bosch", "500157")
    assert [e["company_id"] for e in viewer_client.get("/api/v1/risk/watch").json] == ["bosch"]
    assert viewer_client.post("/api/v1/risk/signals", json=SIGNAL).status_code == 403


def test_chain_leader_sees_their_chains_only_and_filters_apply(chain_leader_client, staff_client, store):
    make_presence(store, "bosch", "500157")
    make_presence(store, "infineon", "500106")
    make_presence(store, "catl", "500157")  # CN: domestic, never on the watch list
    watch = chain_leader_client.get("/api/v1/risk/watch").json
    assert sorted(e["company_id"] for e in watch) == ["bosch", "infineon"]
    assert [e["company_id"] for e in staff_client.get("/api/v1/risk/watch?district=500106").json] == ["infineon"]
    assert staff_client.get("/api/v1/risk/watch?chain=nev").json == []


def test_anonymous_is_refused(anonymous_client):
    assert anonymous_client.get("/api/v1/risk/watch").status_code == 401


def test_the_gulian_button_schedules_a_visit_on_the_firm_s_project(staff_client, store):
    make_presence(store, "bosch", "500157")
    project = make_project(store)
    r = staff_client.post("/api/v1/risk/firms/bosch/visit")
    assert r.status_code == 201
    assert (r.json["kind"], r.json["project_id"], r.json["status"]) == ("visit", project.id, "open")
    assert r.json["title"].startswith("固链走访")


def test_the_gulian_button_refuses_a_firm_without_a_project_and_viewers(staff_client, viewer_client, store):
    make_presence(store, "infineon", "500106")
    r = staff_client.post("/api/v1/risk/firms/infineon/visit")
    assert r.status_code == 422 and "company_id" in r.json["errors"]["json"]
    make_presence(store, "bosch", "500157")
    make_project(store)
    assert viewer_client.post("/api/v1/risk/firms/bosch/visit").status_code == 403


def test_a_firm_off_the_watch_list_is_not_found(staff_client, store):
    make_presence(store, "catl", "500157")  # CN: domestic, never watched
    assert staff_client.get("/api/v1/risk/firms/catl").status_code == 404
    assert staff_client.post("/api/v1/risk/firms/catl/visit").status_code == 404


def test_an_escalation_notice_is_found_by_its_kind_in_the_inbox(staff_client, store):
    from crm.base.notices import Notice, notify
    from tests.factories import NOW

    notify(store, [Notice("exit-risk:bosch:x:1", staff_client.user.id, "exit_risk", ("固链预警", "Exit risk"),
                          link="/companies/bosch")], now=NOW)
    r = staff_client.get("/api/v1/inbox/notifications?kind=exit_risk")
    assert r.status_code == 200 and [n["link"] for n in r.json] == ["/companies/bosch"]
