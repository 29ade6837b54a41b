"""The gap analysis and the ranking as of a day, from the shell and over the API, on both engines: a firm
that left re-opens its gap from the day it left; before that day the old picture, from it the new one.

World: the reference chains, CATL making battery cells in 沙坪坝区 since 2023 (the only local maker),
Bosch's power-chip maker arriving in 沙坪坝区 on 1 June 2024 (not yet local before), and a lead on
Infineon for power chips opened in February 2024 and moved to negotiating in 2026.
"""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from crm.base.access import SYSTEM, Actor
from crm.base.workdays import at_local
from crm.library.presence import end_presence
from crm.people.users import create_token
from crm.pipeline.leads import move_lead
from graph.engines.embedded import EmbeddedStore
from scoring.cli import gaps, rank
from scoring.projection import project_candidates
from tests.conftest import NEO4J_URI
from tests.factories import NOW, make_lead, make_presence, make_reference, make_user
from web.app import create_app

LEFT = date(2024, 3, 1)
ARRIVED = date(2024, 6, 1)
STAFF = Actor("u-staff", "staff", "staff")


@pytest.fixture
def world(store):
    make_reference(store)
    make_presence(store, "catl", "500106", since=date(2023, 1, 1))
    make_presence(store, "bosch", "500106", since=ARRIVED)
    lead = make_lead(store, company_id="infineon", link_id="electronics.chip", district_id="500106",
                     now=at_local(date(2024, 2, 1), 10))
    for stage in ("contacted", "visited", "negotiating"):
        move_lead(store, lead.id, stage, actor=SYSTEM, now=NOW, expected_version=None)
    end_presence(store, "catl", "500106", until=LEFT, reason="relocation", actor=STAFF, now=NOW)
    return store


@pytest.fixture
def shell(world, monkeypatch):
    """Run a scoring command against the world's store, whichever engine holds it."""
    if isinstance(world, EmbeddedStore):
        world.close()
        monkeypatch.delenv("CHAINLEAD_NEO4J_URI", raising=False)
        monkeypatch.setenv("CHAINLEAD_DB_PATH", world.location)
        monkeypatch.setenv("CHAINLEAD_BUFFER_POOL_MB", "128")
    else:
        monkeypatch.setenv("CHAINLEAD_NEO4J_URI", NEO4J_URI or "")
    runner = CliRunner()
    return lambda command, *args: runner.invoke(command, list(args), catch_exceptions=False)


def actions(found: list[dict]) -> dict[str, str]:
    return {g["link_id"]: g["action"] for g in found}


def test_gaps_as_of_a_day_before_and_after_the_firm_left(shell):
    before = actions(json.loads(shell(gaps, "--chain", "nev", "--json", "--as-of", "2024-02-29").output))
    after = actions(json.loads(shell(gaps, "--chain", "nev", "--json", "--as-of", "2024-03-01").output))
    today = actions(json.loads(shell(gaps, "--chain", "nev", "--json").output))
    assert before["nev.cell"] != "supplement"
    assert after["nev.cell"] == today["nev.cell"] == "supplement"


def test_rank_as_of_a_day_reads_the_firms_and_the_leads_of_that_day(shell):
    then = json.loads(shell(rank, "--chain", "electronics", "--json", "--as-of", "2024-03-01").output)
    now = json.loads(shell(rank, "--chain", "electronics", "--json").output)
    assert {c["company_id"] for c in then} == {"bosch", "infineon"}   # Bosch's plant came in June
    assert {c["company_id"] for c in now} == {"infineon"}
    [infineon] = [c for c in then if c["company_id"] == "infineon"]
    assert infineon["lead_stage"] == "identified"                      # negotiating only since 2026
    assert [c["lead_stage"] for c in now] == ["negotiating"]


def test_the_districts_of_a_day_are_those_in_force_with_the_makers_present_then(world):
    def districts(day):
        return {d.id: dict(d.local_makers) for d in project_candidates(world, as_of=day).districts}

    before, after, today = districts(LEFT - timedelta(days=1)), districts(LEFT), districts(NOW.date())
    assert "500105" in before and "500157" not in before          # 两江新区 came in November 2025
    assert "500105" not in today and "500157" in today
    assert before["500106"] == {"nev": 1} and after["500106"] == {}
    assert today["500106"] == {"electronics": 1}                  # Bosch's plant, from June 2024


@pytest.mark.parametrize("day, says", [("2024-13-01", "does not match the format"), ("tomorrow", "does not match the format"),
                                        ("2999-01-01", "is after today")])
def test_a_bad_or_future_day_is_refused_with_a_message(shell, day, says):
    result = shell(gaps, "--as-of", day)
    assert result.exit_code != 0 and says in result.output


@pytest.fixture
def api(world):
    app = create_app({"TESTING": True, "STORE": world, "CLOCK": lambda: NOW})
    client = app.test_client()
    user = make_user(world, "staff", "staff")
    token, _ = create_token(world, user.id, "tests", actor=SYSTEM, now=NOW)
    return lambda url, **kw: client.open(url, headers={"Authorization": f"Bearer {token}", **kw.pop("headers", {})},
                                         **kw)


def test_the_api_gives_the_gaps_and_candidates_as_of_a_day(api):
    before = api("/api/v1/chains/nev/gaps?as_of=2024-02-29")
    after = api("/api/v1/chains/nev/gaps?as_of=2024-03-01")
    assert before.status_code == after.status_code == 200
    assert actions(before.json)["nev.cell"] != "supplement" and actions(after.json)["nev.cell"] == "supplement"
    then = api("/api/v1/candidates?chain=electronics&as_of=2024-03-01")
    assert {c["company_id"] for c in then.json} == {"bosch", "infineon"}
    assert {c["company_id"] for c in api("/api/v1/candidates?chain=electronics").json} == {"infineon"}


@pytest.mark.parametrize("url", ["/api/v1/chains/nev/gaps", "/api/v1/candidates"])
@pytest.mark.parametrize("day, says", [("2024-02-30", "Not a valid date."),
                                        ((NOW.date() + timedelta(days=1)).isoformat(), "is after today")])
def test_the_api_refuses_a_bad_or_future_day_with_422(api, url, day, says):
    r = api(f"{url}?as_of={day}")
    assert r.status_code == 422
    assert says in " ".join(r.json["errors"]["query"]["as_of"])
