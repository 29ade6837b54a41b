"""Ending a firm's presence over the API: staff record the day it left and why, the gap re-opens that
day, bad input is refused with the field and the reason (nothing changes), and a mistake is undone."""
from datetime import date, timedelta

import pytest

from tests.factories import NOW, make_presence

END = "/api/v1/companies/catl/presence/500106/end"
REOPEN = "/api/v1/companies/catl/presence/500106/reopen"


@pytest.fixture
def catl(store):
    """CATL makes battery cells in 沙坪坝区 since 2023: the link's only local maker."""
    make_presence(store, "catl", "500106", since=date(2023, 1, 1))
    return store


def cell_action(client, day: str) -> str:
    gaps = client.get(f"/api/v1/chains/nev/gaps?as_of={day}").json
    return next(g["action"] for g in gaps if g["link_id"] == "nev.cell")


def test_staff_end_a_presence_and_the_gap_reopens_from_that_day(staff_client, catl):
    r = staff_client.post(END, json={"until": "2024-03-01", "reason": "relocation"}, headers={"If-Match": '"v1"'})
    assert r.status_code == 200, r.json
    assert r.headers["ETag"] == '"v2"' and r.json["local"] is False
    assert [(p["district_id"], p["until"], p["end_reason"], p["current"]) for p in r.json["presence"]] == [
        ("500106", "2024-03-01", "relocation", False)]
    assert cell_action(staff_client, "2024-02-29") != "supplement"
    assert cell_action(staff_client, "2024-03-01") == "supplement"
    audit = staff_client.get("/api/v1/audit?record=catl").json
    assert [a["action"] for a in audit] == ["end_presence"]


def test_an_end_recorded_by_mistake_is_undone(staff_client, catl):
    staff_client.post(END, json={"until": "2024-03-01", "reason": "exit"}, headers={"If-Match": '"v1"'})
    r = staff_client.post(REOPEN, headers={"If-Match": '"v2"'})
    assert r.status_code == 200 and r.json["local"] is True and r.json["presence"][0]["until"] is None
    assert cell_action(staff_client, NOW.date().isoformat()) != "supplement"
    again = staff_client.post(REOPEN, headers={"If-Match": '"v3"'})
    assert again.status_code == 409


@pytest.mark.parametrize("body, field, says", [
    ({"until": "2022-12-01", "reason": "exit"}, "until", "must be after the presence began (2023-01-01)"),
    ({"until": (NOW.date() + timedelta(days=1)).isoformat(), "reason": "exit"}, "until", "is after today"),
    ({"until": "2024-03-01", "reason": "bankrupt"}, "reason", "Must be one of"),
    ({"until": "2024-02-30", "reason": "exit"}, "until", "Not a valid date"),
    ({"reason": "exit"}, "until", "Missing data"),
])
def test_bad_input_is_refused_with_422_and_changes_nothing(staff_client, catl, body, field, says):
    r = staff_client.post(END, json=body, headers={"If-Match": '"v1"'})
    assert r.status_code == 422
    assert says in " ".join(r.json["errors"]["json"][field])
    company = staff_client.get("/api/v1/companies/catl")
    assert company.json["local"] is True and company.headers["ETag"] == '"v1"'


def test_a_presence_that_already_ended_is_refused(staff_client, catl):
    staff_client.post(END, json={"until": "2024-03-01", "reason": "exit"}, headers={"If-Match": '"v1"'})
    r = staff_client.post(END, json={"until": "2024-04-01", "reason": "sale"}, headers={"If-Match": '"v2"'})
    assert r.status_code == 422 and r.json["errors"]["json"]["until"] == ["this presence already ended on 2024-03-01"]


def test_only_staff_and_admins_end_a_presence_and_never_blind(viewer_client, district_officer_client, staff_client,
                                                            catl):
    body = {"until": "2024-03-01", "reason": "exit"}
    assert viewer_client.post(END, json=body, headers={"If-Match": '"v1"'}).status_code == 403
    assert district_officer_client.post(END, json=body, headers={"If-Match": '"v1"'}).status_code == 403
    assert staff_client.post(END, json=body).status_code == 428
    assert staff_client.post(END, json=body, headers={"If-Match": '"v7"'}).status_code == 412
    assert staff_client.post("/api/v1/companies/catl/presence/500103/end", json=body,
                             headers={"If-Match": '"v1"'}).status_code == 404
