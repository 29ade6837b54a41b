"""Ending a firm's presence beyond the landing story (tests/contract/test_landing.py): the gap re-opens
only when the link loses its last local maker, an end is recorded once and only after the firm arrived,
each end and restore is audited, a restore needs an ended presence, and readers may do neither. Both engines."""
from __future__ import annotations

from datetime import date

import pytest

from crm.base.access import Actor
from crm.errors import Conflict, Forbidden, ValidationFailed
from crm.library.presence import end_presence, ended_presences, restore_presence
from graph.cypher import merge_rels
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


def reopened(store) -> list[tuple]:
    return [tuple(r.values()) for r in store.read(
        "MATCH (g:GapChange) WHERE g.kind = 'reopened' RETURN g.link_id AS link, g.day AS day ORDER BY link")]


def test_the_last_local_maker_leaving_reopens_its_gap_on_the_day_it_left(world):
    assert end_presence(world, "catl", "500106", until=LEFT, reason="relocation", actor=STAFF, now=NOW) == ["nev.cell"]
    assert reopened(world) == [("nev.cell", LEFT)]
    assert [(p["district_id"], p["until"], p["reason"]) for p in ended_presences(world, "catl")] == [
        ("500106", LEFT, "relocation")]


def test_no_gap_reopens_while_another_local_maker_remains(world):
    make_presence(world, "semcorp", "500103")
    merge_rels(world, "MAKES", "Company", "ChainNode", [{"src": "semcorp", "dst": "nev.cell"}])
    assert end_presence(world, "catl", "500106", until=LEFT, reason="sale", actor=STAFF, now=NOW) == []
    assert reopened(world) == []


@pytest.mark.parametrize("until", [date(2022, 12, 31), date(2023, 1, 1)])
def test_an_end_must_come_after_the_firm_arrived(world, until):
    with pytest.raises(ValidationFailed) as refused:
        end_presence(world, "catl", "500106", until=until, reason="exit", actor=STAFF, now=NOW)
    assert refused.value.errors["until"] == ["must be after the presence began (2023-01-01)"]
    assert ended_presences(world, "catl") == []


def test_a_presence_ends_once_and_says_when(world):
    end_presence(world, "catl", "500106", until=LEFT, reason="exit", actor=STAFF, now=NOW)
    with pytest.raises(ValidationFailed) as refused:
        end_presence(world, "catl", "500106", until=date(2024, 5, 1), reason="exit", actor=STAFF, now=NOW)
    assert refused.value.errors["until"] == ["this presence already ended on 2024-03-01"]


def test_each_end_and_restore_is_audited_and_a_restore_needs_an_ended_presence(world):
    with pytest.raises(Conflict):
        restore_presence(world, "catl", "500106", actor=STAFF, now=NOW)
    end_presence(world, "catl", "500106", until=LEFT, reason="shutdown", actor=STAFF, now=NOW)
    restore_presence(world, "catl", "500106", actor=STAFF, now=NOW)
    rows = world.read("MATCH (a:AuditEntry {record_id: 'catl'}) RETURN a.action AS action, a.actor AS actor "
                      "ORDER BY a.id")
    assert [(r["action"], r["actor"]) for r in rows] == [("presence_end", "staff"), ("presence_restore", "staff")]
    assert reopened(world) == []


def test_readers_may_not_end_or_restore(world):
    with pytest.raises(Forbidden):
        end_presence(world, "catl", "500106", until=LEFT, reason="exit", actor=VIEWER, now=NOW)
    end_presence(world, "catl", "500106", until=LEFT, reason="exit", actor=STAFF, now=NOW)
    with pytest.raises(Forbidden):
        restore_presence(world, "catl", "500106", actor=VIEWER, now=NOW)
