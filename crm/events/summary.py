"""One event as its page shows it (requirements P3): the event, its targets, its checklist, the
meetings held there, and the leads and signings it brought in, within the reader's scope.

The weekly report's attribution (crm/events/attribution.py) counts every lead; a chain leader or a
district officer reads only their own leads, so for them the figures are counted from the leads
and meetings they may see: no count ever includes a lead its reader could not open.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crm.events import events, targets as event_targets, tasks
from crm.followups import followups
from crm.pipeline import leads
from crm.base.access import Actor, reads_everything
from crm.events.attribution import event_attribution
from crm.policy import section
from crm.base.listing import Page

MAX_SOURCED = 200


@dataclass
class Figures:
    meetings: int
    leads_met: int
    leads_sourced: int
    signings: int
    contracted_fdi_usd: int | None  # None when the reader's scope does not allow a full sum


@dataclass
class EventPage:
    event: events.Event
    targets: list[event_targets.Target]
    tasks: list[tasks.Task]
    meetings: list[followups.FollowUp]
    sourced: Page[leads.Lead]
    figures: Figures


def task_titles() -> dict[str, tuple[str, str]]:
    """The checklist template's titles by key, Chinese and English (tasks store the Chinese one)."""
    items: Any = section("event_tasks")
    return {item["key"]: (item.get("title_zh") or item["key"], item.get("title_en") or item["key"]) for item in items}


def event_page(store: Any, event_id: str, *, actor: Actor, now: datetime) -> EventPage:
    event = events.get_event(store, event_id, actor=actor)
    checklist = tasks.list_tasks(store, tasks.TaskQuery(event=event_id, page_size=200), actor=actor, now=now).items
    meetings = event_targets.list_meetings(store, event_id, actor=actor, now=now)
    sourced = leads.list_leads(store, leads.LeadQuery(event=event_id, sort="-updated_at", page_size=MAX_SOURCED),
                               actor=actor)
    if reads_everything(actor):
        found = event_attribution(store, event_ids=[event_id])
        a = found[0] if found else None
        figures = Figures(a.meetings, a.leads_met, a.leads_sourced, a.signings, a.contracted_fdi_usd) if a else \
            Figures(0, 0, 0, 0, 0)
    else:
        held = [m for m in meetings if m.status == "done"]
        figures = Figures(len(held), len({m.lead_id for m in held if m.lead_id}), sourced.total,
                          sum(1 for lead in sourced.items if lead.project_id), None)
    return EventPage(event, event_targets.list_targets(store, event_id, actor=actor), checklist, meetings, sourced,
                     figures)
