"""Ending a firm's presence over the API: the gap re-opens from the day it left (the gaps as of a day say
so), bad input is refused with 422 naming the field and the reason, and nothing changes."""
from datetime import date, timedelta

import pytest

from tests.factories import NOW, make_presence

END = "/api/v1/companies/catl/presence/500106/end"


@pytest.fixture
def catl(store):
    """CATL makes battery cells in 沙坪坝区 since 2023: the link's only local maker."""
    make_presence(store, "catl", "500106", since=date(2023, 1, 1))
    return store


def cell_action(client, day: str) -> str:
    gaps = client.get(f"/api/v1/chains/nev/gaps?as_of={day}").json
    return next(g["action"] for g in gaps if g["link_id"] == "nev.cell")


def test_staff_end_a_presence_and_the_gap_reopens_from_that_day(staff_client, catl):
    r = staff_client.post(END, json={"until": "2024-03-01", "reason": "relocation"})
    assert r.status_code == 200 and r.json["reopened_links"] == ["nev.cell"]
    assert cell_action(staff_client, "2024-02-29") != "supplement"
    assert cell_action(staff_client, "2024-03-01") == "supplement"
    assert cell_action(staff_client, NOW.date().isoformat()) == "supplement"
    assert staff_client.get("/api/v1/companies/catl").json["local"] is False


@pytest.mark.parametrize("body, field, says", [
    ({"until": "2022-12-01", "reason": "exit"}, "until", "must be after the presence began (2023-01-01)"),
    ({"until": (NOW.date() + timedelta(days=1)).isoformat(), "reason": "exit"}, "until", "cannot be in the future"),
    ({"until": "2024-03-01", "reason": "bankrupt"}, "reason", "Must be one of"),
    ({"until": "2024-02-30", "reason": "exit"}, "until", "Not a valid date"),
    ({"reason": "exit"}, "until", "Missing data"),
])
def test_bad_input_is_refused_with_422_and_changes_nothing(staff_client, catl, body, field, says):
    r = staff_client.post(END, json=body)
    assert r.status_code == 422
    assert says in " ".join(r.json["errors"]["json"][field])
    assert staff_client.get("/api/v1/companies/catl").json["local"] is True
    assert cell_action(staff_client, NOW.date().isoformat()) != "supplement"


def test_a_restore_without_an_ended_presence_is_a_conflict(staff_client, catl):
    assert staff_client.post("/api/v1/companies/catl/presence/500106/restore").status_code == 409
