"""Roadshow work for the demo: checklists at different states, targets that answered, a held event's outcome.

Runs after `activity.add_events`, through the same services users call, dated when the work
would have been done: tasks due before today are mostly done on their day (one per event is
left overdue, as happens), invited targets of upcoming events confirm or decline, and events
that are over are marked held with their outcome. Two more editions show a cloud signing that is
over and an expo still to prepare. Everything stays labelled synthetic.
"""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable

from crm.events import events, targets as event_targets, tasks
from crm.base.access import SYSTEM
from crm.base.clock import local_today
from crm.errors import DomainError
from crm.people.users import User

MORE = (
    ("重庆—新加坡产业合作云签约仪式（合成）", "Chongqing–Singapore cloud signing (synthetic)", "cloud_signing", "重庆",
     "Chongqing", "CN", ["electronics", "energy_storage"], -100),
    ("智博会产业链对接专场（合成）", "Smart China Expo chain matchmaking session (synthetic)", "expo", "重庆", "Chongqing",
     "CN", ["nev", "software"], 45),
)
OUTCOME = "与会跨国公司高管 12 人，达成投资意向 3 项，会后转入线索跟进。（合成）"


def _on(day: date, hour: int = 3) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc)


def add_roadshow_work(store: Any, people: dict[str, User], chains: list[str], *, now: datetime, rnd: random.Random,
                      ranker: Callable[..., Any] | None = None) -> dict[str, int]:
    counts = {"more events": 0, "tasks done": 0, "targets answered": 0, "events held": 0}
    staff = [u for u in people.values() if u.role == "staff"]
    if not staff:
        return counts
    today = local_today(now)
    for name_zh, name_en, kind, city_zh, city_en, country, focus, days in MORE:
        start = today + timedelta(days=days)
        focus = [c for c in focus if c in chains]
        try:
            event_targets.create_event_with_targets(store, {
                "name_zh": name_zh, "name_en": name_en, "kind": kind, "city_zh": city_zh, "city_en": city_en,
                "country": country, "start_on": start, "end_on": start + timedelta(days=1), "chain_ids": focus,
                "owner_id": rnd.choice(staff).id, "synthetic": True, "top": 8 if ranker and focus else None},
                actor=SYSTEM, now=now + timedelta(days=min(days, 0) - 60), ranker=ranker)
        except DomainError:
            continue
        counts["more events"] += 1
    found = events.list_events(store, events.EventQuery(q="合成", page_size=200), actor=SYSTEM).items
    by_id = {u.id: u for u in people.values()}
    for event in (e for e in found if e.synthetic):
        counts["tasks done"] += _checklist(store, event, by_id, today, rnd)
        if event.end_on < today:
            events.update_event(store, event.id, {"status": "held", "outcome": OUTCOME}, actor=SYSTEM,
                                now=_on(event.end_on + timedelta(days=2)), expected_version=None)
            counts["events held"] += 1
        else:
            counts["targets answered"] += _answers(store, event, today, rnd)
    return counts


def _checklist(store: Any, event: events.Event, people: dict[str, User], today: date, rnd: random.Random) -> int:
    """Tasks due before today done on their day, but for one left overdue when the event is still ahead."""
    due = [t for t in tasks.list_tasks(store, tasks.TaskQuery(event=event.id, status=["open"]), actor=SYSTEM,
                                       now=_on(today)).items if t.due_on < today]
    keep_open = rnd.choice(due).id if due and event.start_on >= today else None
    done = 0
    for task in due:
        if task.id == keep_open:
            continue
        owner = people.get(task.owner_id or "")
        tasks.complete_task(store, task.id, {"notes": "已按期完成。（合成）"}, actor=owner.actor() if owner else SYSTEM,
                            now=_on(task.due_on, rnd.randrange(1, 9)), expected_version=task.version)
        done += 1
    return done


def _answers(store: Any, event: events.Event, today: date, rnd: random.Random) -> int:
    """Invited targets of an upcoming event confirm or decline, as the invitations are answered."""
    invited = [t for t in event_targets.list_targets(store, event.id, actor=SYSTEM) if t.status == "invited"]
    answers = [{"company_id": t.company_id, "status": rnd.choice(("confirmed", "confirmed", "declined"))}
               for t in invited[: max(1, len(invited) // 2)]]
    if not answers:
        return 0
    event_targets.add_targets(store, event.id, {"targets": answers}, actor=SYSTEM, now=_on(today - timedelta(days=1)),
                              expected_version=None)
    return len(answers)
