"""The weekly report's queries on both engines: the same small history gives the same figures, and a
stored report round-trips (one query text, two engines)."""
from datetime import date, timedelta

from crm.base.access import SYSTEM
from crm.followups.completion import complete_followup
from crm.pipeline.leads import move_lead
from crm.reports import Week, build, generate, get, list_reports
from crm.base.workdays import at_local
from graph.cypher import merge_rels
from tests.factories import (NOW, make_event, make_followup, make_inflow, make_lead, make_project, make_reference,
                             make_user)

WEEK = Week.parse("2026-W46")


def _history(store):
    make_reference(store)
    merge_rels(store, "PRESENT_IN", "Company", "District", [{"src": "semcorp", "dst": "500106",
                                                            "since": date(2026, 3, 1)}])
    li = make_user(store, "li", "staff")
    make_event(store, start_on=date(2026, 12, 1), end_on=date(2026, 12, 3), now=at_local(date(2026, 10, 1), 10))
    lead = make_lead(store, owner_id=li.id, now=at_local(date(2026, 11, 4), 10))
    move_lead(store, lead.id, "contacted", actor=SYSTEM, now=at_local(date(2026, 11, 10), 10), expected_version=None)
    done = make_followup(store, lead.id, kind="visit", due_on=date(2026, 11, 10), now=at_local(date(2026, 11, 4), 11))
    complete_followup(store, done.id, {"outcome": "ok"}, actor=li.actor(), now=at_local(date(2026, 11, 10), 15),
                      expected_version=None)
    make_followup(store, lead.id, due_on=date(2026, 11, 6), now=at_local(date(2026, 11, 4), 12))
    project = make_project(store, signed_on=date(2026, 11, 9), contracted_fdi_usd=60_000_000)
    first_phase = make_project(store, name="博世功率半导体一期", signed_on=date(2025, 5, 1), link_id=None)
    make_inflow(store, first_phase.id, received_on=date(2025, 6, 1), amount_usd=30_000_000)
    make_inflow(store, project.id, received_on=date(2026, 11, 10), amount_usd=35_000_000)
    make_inflow(store, project.id, received_on=date(2026, 11, 11), amount_usd=5_000_000, kind="shareholder_loan")


def test_the_report_reads_the_same_on_both_engines(store):
    _history(store)
    f = build(store, WEEK, now=NOW, scoring=None)
    assert f["pipeline"]["by_stage"]["contacted"] == {"value": 1, "previous": 0}
    assert f["pipeline"]["week"]["new_leads"] == {"value": 0, "previous": 1}
    assert f["pipeline"]["week"]["advances"]["value"] == 1
    assert f["pipeline"]["week"]["signings"] == {"value": 1, "previous": 0}
    assert f["fdi"]["ytd_usd"] == {"value": 35_000_000, "previous": 30_000_000}
    assert f["fdi"]["week_usd"]["value"] == 35_000_000
    assert f["people"]["done"] == {"value": 1, "previous": 0}
    assert f["people"]["overdue"] == {"value": 1, "previous": 1}
    top = f["districts"]["ranking"][0]
    assert (top["district_id"], top["components"]["visits"]["value"], top["components"]["overdue"]["value"]) == (
        "500157", 1, 1)
    assert [(c["link_id"], c["how"]) for c in f["chains"]["closed"]] == [("nev.separator", "presence")]
    assert f["incentives"]["total_rmb"]["value"] == 1_400_000.0
    assert [e["tasks_overdue"] for e in f["events"]["upcoming"]] == [2]


def test_a_stored_report_round_trips(store):
    make_reference(store)
    made = generate(store, WEEK, actor=SYSTEM, now=NOW, scoring=None)
    later = generate(store, WEEK.previous, actor=SYSTEM, now=NOW + timedelta(minutes=1), scoring=None)
    assert get(store, WEEK).figures == made.figures
    assert [r.week for r in list_reports(store)] == [WEEK.id, later.week]
    assert get(store, WEEK).week_start == date(2026, 11, 9)
