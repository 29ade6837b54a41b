"""A firm that leaves, moves, shuts down or sells its plant: its presence ends with a date and a reason,
the gap re-opens from that day (and is kept as a dated fact), and an end recorded by mistake is undone."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from crm.base.access import Actor
from crm.errors import Conflict, Forbidden, NotFound, ValidationFailed, VersionConflict
from crm.library.companies import get_company
from crm.library.presence import end_presence, reopen_presence
from scoring.gaps import analyse_gaps
from tests.factories import NOW, make_presence, make_reference

STAFF = Actor("u-staff", "staff", "staff")
VIEWER = Actor("u-viewer", "viewer", "viewer")
LEFT = date(2024, 3, 1)


@pytest.fixture
def world(store):
    """CATL makes battery cells in 沙坪坝区 since 2023, the only local maker of the link."""
    make_reference(store)
    make_presence(store, "catl", "500106", since=date(2023, 1, 1))
    return store


def action(store, link: str, day: date) -> str:
    return next(g.action for g in analyse_gaps(store, "nev", as_of=day) if g.link_id == link)


def gap_changes(store) -> list[dict]:
    return store.read("MATCH (g:GapChange) RETURN g.link_id AS link, g.kind AS kind, g.changed_on AS changed_on, "
                      "g.company_id AS company, g.reason AS reason ORDER BY link")


def test_an_ended_presence_reopens_the_gap_from_its_day(world):
    assert action(world, "nev.cell", LEFT) != "supplement"
    company = end_presence(world, "catl", "500106", until=LEFT, reason="relocation", actor=STAFF, now=NOW)
    assert not company.local and company.district_ids == []
    [ended] = company.past_presence
    assert (ended.until, ended.end_reason, ended.since) == (LEFT, "relocation", date(2023, 1, 1))
    assert action(world, "nev.cell", LEFT - timedelta(days=1)) != "supplement"
    assert action(world, "nev.cell", LEFT) == "supplement"
    assert action(world, "nev.cell", NOW.date()) == "supplement"
    assert gap_changes(world) == [{"link": "nev.cell", "kind": "reopened", "changed_on": LEFT, "company": "catl",
                                   "reason": "relocation"}]


def test_no_gap_reopens_while_another_local_maker_remains(world):
    make_presence(world, "semcorp", "500103")
    world.write("MATCH (c:Company {id: 'semcorp'}) MATCH (n:ChainNode {id: 'nev.cell'}) CREATE (c)-[:MAKES]->(n)")
    end_presence(world, "catl", "500106", until=LEFT, reason="sale", actor=STAFF, now=NOW)
    assert action(world, "nev.cell", LEFT) != "supplement"
    assert gap_changes(world) == []


def test_each_end_is_audited_and_moves_the_company_version(world):
    before = get_company(world, "catl", today=NOW.date()).version
    end_presence(world, "catl", "500106", until=LEFT, reason="shutdown", actor=STAFF, now=NOW,
                 expected_version=before)
    reopen_presence(world, "catl", "500106", actor=STAFF, now=NOW, expected_version=before + 1)
    rows = world.read("MATCH (a:AuditEntry {record_id: 'catl'}) RETURN a.action AS action, a.actor AS actor, "
                      "a.changes AS changes ORDER BY a.id")
    assert [(r["action"], r["actor"]) for r in rows] == [("end_presence", "staff"), ("reopen_presence", "staff")]
    assert '"until": "2024-03-01"' in rows[0]["changes"] and '"nev.cell"' in rows[0]["changes"]
    assert get_company(world, "catl", today=NOW.date()).version == before + 2


def test_undo_reopens_the_presence_and_takes_back_the_reopened_gap(world):
    end_presence(world, "catl", "500106", until=LEFT, reason="exit", actor=STAFF, now=NOW)
    company = reopen_presence(world, "catl", "500106", actor=STAFF, now=NOW)
    assert company.local and company.past_presence == [] and company.presence[0].since == date(2023, 1, 1)
    assert action(world, "nev.cell", NOW.date()) != "supplement"
    assert gap_changes(world) == []


@pytest.mark.parametrize("until, reason, field, says", [
    (date(2022, 12, 31), "exit", "until", "must be after the presence began (2023-01-01)"),
    (date(2023, 1, 1), "exit", "until", "must be after the presence began"),
    (NOW.date() + timedelta(days=1), "exit", "until", "is after today"),
    (None, "exit", "until", "is required"),
    (LEFT, "bankrupt", "reason", "one of exit, relocation, shutdown, sale"),
    (LEFT, None, "reason", "one of exit"),
])
def test_bad_input_is_refused_with_the_field_and_leaves_the_presence(world, until, reason, field, says):
    with pytest.raises(ValidationFailed) as refused:
        end_presence(world, "catl", "500106", until=until, reason=reason, actor=STAFF, now=NOW)
    assert says in " ".join(refused.value.errors[field])
    assert get_company(world, "catl", today=NOW.date()).local
    assert gap_changes(world) == []


def test_a_presence_ends_once(world):
    end_presence(world, "catl", "500106", until=LEFT, reason="exit", actor=STAFF, now=NOW)
    with pytest.raises(ValidationFailed) as refused:
        end_presence(world, "catl", "500106", until=LEFT + timedelta(days=5), reason="exit", actor=STAFF, now=NOW)
    assert refused.value.errors["until"] == ["this presence already ended on 2024-03-01"]


def test_only_an_ended_presence_reopens_and_only_a_known_one_ends(world):
    with pytest.raises(Conflict):
        reopen_presence(world, "catl", "500106", actor=STAFF, now=NOW)
    with pytest.raises(NotFound):
        end_presence(world, "catl", "500103", until=LEFT, reason="exit", actor=STAFF, now=NOW)


def test_readers_and_stale_versions_are_refused(world):
    with pytest.raises(Forbidden):
        end_presence(world, "catl", "500106", until=LEFT, reason="exit", actor=VIEWER, now=NOW)
    with pytest.raises(VersionConflict):
        end_presence(world, "catl", "500106", until=LEFT, reason="exit", actor=STAFF, now=NOW, expected_version=7)
    assert get_company(world, "catl", today=NOW.date()).local
