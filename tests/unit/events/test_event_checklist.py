"""An event's checklist: the policy template's tasks, each on a working day before or after the event."""
from datetime import date

import pytest

from crm.events import tasks
from crm.base.access import SYSTEM
from crm.events.attribution import event_attribution, upcoming_events
from crm.events.targets import add_targets, record_meeting
from crm.events.events import checklist, update_event
from crm.pipeline.leads import fetch as fetch_lead
from tests.factories import NOW, make_event, make_lead, make_reference, make_user


def test_the_template_dates_skip_national_day_and_count_make_up_days():
    """An event on Monday 12 October 2026, three days long, planned in June."""
    dates = {t["template_key"]: t["due_on"] for t in checklist(date(2026, 10, 12), date(2026, 10, 14),
                                                               today=date(2026, 6, 1))}
    assert dates == {
        "shortlist_targets": date(2026, 8, 25),   # -30 working days
        "send_invitations": date(2026, 9, 8),     # -20, counting Sunday 20 September (make-up day)
        "confirm_meetings": date(2026, 9, 21),    # -10, skipping Mid-Autumn (25 September)
        "prepare_briefs": date(2026, 9, 29),      # -5: Sat 10 Oct (make-up), 9, 8, then 30 and 29 September
        "log_outcomes": date(2026, 10, 16),       # +2 after the last day
        "create_leads": date(2026, 10, 21),       # +5 after the last day
    }


def test_a_task_whose_day_has_passed_falls_due_today():
    dates = {t["template_key"]: t["due_on"] for t in checklist(date(2026, 12, 21), date(2026, 12, 21),
                                                               today=date(2026, 11, 20))}
    assert dates["shortlist_targets"] == date(2026, 11, 20)
    assert dates["send_invitations"] == date(2026, 11, 23)


def test_creating_an_event_writes_its_checklist_for_its_owner(embedded_store):
    make_reference(embedded_store)
    owner = make_user(embedded_store, "li", "staff")
    event = make_event(embedded_store, actor=owner.actor())
    page = tasks.list_tasks(embedded_store, tasks.TaskQuery(event=event.id), actor=owner.actor(), now=NOW)
    assert [(t.template_key, t.due_on) for t in page.items] == [
        ("shortlist_targets", date(2026, 11, 20)), ("send_invitations", date(2026, 11, 23)),
        ("confirm_meetings", date(2026, 12, 7)), ("prepare_briefs", date(2026, 12, 14)),
        ("log_outcomes", date(2026, 12, 25)), ("create_leads", date(2026, 12, 30))]
    assert {t.owner_id for t in page.items} == {owner.id} and event.tasks_open == 6


def test_moving_the_event_moves_its_open_tasks_and_cancelling_cancels_them(embedded_store):
    make_reference(embedded_store)
    owner = make_user(embedded_store, "li", "staff")
    event = make_event(embedded_store, actor=owner.actor())
    moved = update_event(embedded_store, event.id, {"start_on": date(2026, 12, 28), "end_on": date(2026, 12, 28)},
                         actor=owner.actor(), now=NOW, expected_version=1)
    due = {t.template_key: t.due_on for t in tasks.list_tasks(embedded_store, tasks.TaskQuery(event=event.id),
                                                              actor=owner.actor(), now=NOW).items}
    assert due["prepare_briefs"] == date(2026, 12, 21) and due["log_outcomes"] == date(2026, 12, 30)
    update_event(embedded_store, event.id, {"status": "cancelled"}, actor=owner.actor(), now=NOW,
                 expected_version=moved.version)
    statuses = {t.status for t in tasks.list_tasks(embedded_store, tasks.TaskQuery(event=event.id),
                                                   actor=owner.actor(), now=NOW).items}
    assert statuses == {"cancelled"}


@pytest.mark.own_followups  # the meeting on an existing lead is its only follow-up here
def test_meetings_become_follow_ups_and_leads_are_attributed_to_the_event(embedded_store):
    make_reference(embedded_store)
    owner = make_user(embedded_store, "li", "staff")
    event = make_event(embedded_store, actor=owner.actor())
    add_targets(embedded_store, event.id, {"targets": [{"company_id": "bosch"}, {"company_id": "catl"}]},
                actor=owner.actor(), now=NOW, expected_version=1)
    existing = make_lead(embedded_store, owner_id=owner.id)
    met_new = record_meeting(embedded_store, event.id, {"company_id": "bosch", "link_id": "electronics.chip",
                                                        "district_id": "500157", "outcome": "有意在渝设厂"},
                             actor=owner.actor(), now=NOW)
    met_old = record_meeting(embedded_store, event.id, {"lead_id": existing.id, "outcome": "推进洽谈"},
                             actor=owner.actor(), now=NOW)
    assert met_new.event_id == event.id and met_new.kind == "roadshow_meeting" and met_new.status == "done"
    new_lead = fetch_lead(embedded_store, met_new.lead_id)
    assert new_lead.source == "roadshow" and new_lead.event_id == event.id and new_lead.owner_id == owner.id
    assert met_old.next_id is not None
    [row] = event_attribution(embedded_store, event_ids=[event.id])
    assert (row.meetings, row.leads_met, row.leads_sourced, row.signings) == (2, 2, 1, 0)
    assert [e.id for e in upcoming_events(embedded_store, now=NOW, weeks=5)] == [event.id]
    assert upcoming_events(embedded_store, now=NOW, weeks=4) == []


def test_targets_can_come_from_a_ranking_hook(embedded_store):
    from types import SimpleNamespace

    make_reference(embedded_store)
    event = make_event(embedded_store, chain_ids=["nev", "electronics"])

    def ranker(store, *, chain_id, top, now):
        scores = {"nev": [("catl", 80.0), ("semcorp", 60.0)], "electronics": [("infineon", 70.0), ("catl", 10.0)]}
        return [SimpleNamespace(company_id=c, score=s) for c, s in scores[chain_id]]

    targets = add_targets(embedded_store, event.id, {"top": 2}, actor=SYSTEM, now=NOW, expected_version=1,
                          ranker=ranker)
    assert [(t.company_id, t.status, t.score) for t in targets] == [("catl", "invited", 80.0),
                                                                    ("infineon", "invited", 70.0)]
