"""Reminders: tell owners, once, that a follow-up or task is due today or has become overdue.

The scans filter on the follow-ups' own status and due time with no joins and return only ids
and due times: Ladybug has no index but its primary key, and on 200,000 follow-ups the filter
costs ~25 ms while every returned row costs Python time (bench/followup_scan_bench.py). Each item
is stamped when its owner is told (`reminded_at` for due today, `overdue_notified_at` for
overdue), and the job's scan asks only for unstamped ones, so after the first run it reads a
handful of rows; owners and subjects are joined for those alone. Notifications carry keyed ids,
so a second run tells no one twice; rescheduling an item clears its stamps.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crm.base.clock import local_today
from crm.base.notices import Notice, notify
from crm.base.workdays import day_bounds
from graph.cypher import batches

BATCH = 500


@dataclass(frozen=True)
class Scan:
    """Ids of open follow-ups due by the end of today: due today, and overdue (due before today)."""
    due_today: list[str]
    overdue: list[str]


_SCAN = "MATCH (f:FollowUp) WHERE f.status = 'open' AND f.due_at < $until AND f.archived = false "
# One row per state with the ids collected: per-row results cost 4x more Python time at 200,000.
_SPLIT = "WITH f.due_at >= $today AS today, collect(f.id) AS ids RETURN today, ids"


def _split(rows: list[dict[str, Any]]) -> Scan:
    found = {bool(r["today"]): list(r["ids"]) for r in rows}
    return Scan(found.get(True, []), found.get(False, []))


def scan_followups(store: Any, *, today_start: datetime, tomorrow_start: datetime) -> Scan:
    """The due/overdue scan: one pass over follow-ups filtered on status and due time only."""
    return _split(store.read(_SCAN + _SPLIT, {"until": tomorrow_start, "today": today_start}))


def unreminded(store: Any, *, today_start: datetime, tomorrow_start: datetime) -> Scan:
    """The same scan narrowed to follow-ups whose owner has not been told of their current state."""
    return _split(store.read(_SCAN + "AND ((f.due_at >= $today AND f.reminded_at IS NULL) OR "
                             "(f.due_at < $today AND f.overdue_notified_at IS NULL)) " + _SPLIT,
                             {"until": tomorrow_start, "today": today_start}))


def _subjects(store: Any, ids: list[str]) -> dict[str, dict[str, Any]]:
    rows = store.read("UNWIND $ids AS i MATCH (f:FollowUp {id: i}) MATCH (f)-[:ASSIGNED_TO]->(u:User) "
                      "OPTIONAL MATCH (f)-[:ABOUT]->(l:Lead) OPTIONAL MATCH (f)-[:ABOUT]->(p:Project) "
                      "RETURN f.id AS id, f.due_at AS due, u.id AS owner_id, coalesce(l.title, p.name) AS subject",
                      {"ids": ids})
    return {r["id"]: {**r, "due": local_today(r["due"])} for r in rows}


def _task_subjects(store: Any, ids: list[str]) -> dict[str, dict[str, Any]]:
    rows = store.read("UNWIND $ids AS i MATCH (t:Task {id: i}) MATCH (t)-[:ASSIGNED_TO]->(u:User) "
                      "OPTIONAL MATCH (t)-[:FOR_EVENT]->(e:Event) RETURN t.id AS id, t.due_on AS due, "
                      "u.id AS owner_id, e.name_zh AS event, t.title AS title", {"ids": ids})
    return {r["id"]: {**r, "subject": " · ".join(x for x in (r["event"], r["title"]) if x)} for r in rows}


def _tell(store: Any, ids: list[str], *, stamp: str, kind: str, now: datetime, label: str,
          text: tuple[str, str]) -> int:
    """Notify each item's owner and stamp the item, a batch per transaction (items without an owner
    are stamped too, so they are not looked at again)."""
    told = 0
    for chunk in batches(ids, BATCH):
        found = _subjects(store, list(chunk)) if label == "FollowUp" else _task_subjects(store, list(chunk))
        notices = []
        for item_id in chunk:
            info = found.get(item_id)
            if info is None:
                continue
            due, subject = info["due"].isoformat(), info["subject"] or item_id
            notices.append(Notice(f"{kind}:{item_id}:{due}", info["owner_id"], kind,
                                  (f"{text[0]}：{subject}", f"{text[1]}: {subject}"),
                                  (f"{text[0]}：{subject}（{due}到期）", f"{text[1]}: {subject} (due {due})"),
                                  f"/{label.lower()}s/{item_id}", label, item_id))

        def work(tx: Any, chunk: list[str] = list(chunk), notices: list[Notice] = notices) -> int:
            tx.run(f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) WHERE n.{stamp} IS NULL SET n.{stamp} = $now",
                   {"ids": chunk, "now": now})
            return notify(tx, notices, now=now)

        told += store.transaction(work)
    return told


def remind_followups(store: Any, *, now: datetime, today_start: datetime, tomorrow_start: datetime) -> int:
    """Tell owners about follow-ups due today and newly overdue; returns notifications created."""
    scan = unreminded(store, today_start=today_start, tomorrow_start=tomorrow_start)
    return (_tell(store, scan.due_today, stamp="reminded_at", kind="followup_due", now=now, label="FollowUp",
                  text=("今日待跟进", "Follow-up due today"))
            + _tell(store, scan.overdue, stamp="overdue_notified_at", kind="followup_overdue", now=now, label="FollowUp",
                    text=("跟进已逾期", "Follow-up overdue")))


def remind_tasks(store: Any, *, now: datetime) -> int:
    """Tell owners about open tasks due today (once) and overdue (once more)."""
    today = local_today(now)
    rows = store.read("MATCH (t:Task) WHERE t.status = 'open' AND t.archived = false AND t.due_on <= $today "
                      "RETURN t.id AS id, t.due_on AS due_on, t.reminded_at AS reminded_at, "
                      "t.overdue_notified_at AS overdue_notified_at", {"today": today})
    due = [r["id"] for r in rows if r["due_on"] == today and r["reminded_at"] is None]
    late = [r["id"] for r in rows if r["due_on"] < today and r["overdue_notified_at"] is None]
    return (_tell(store, due, stamp="reminded_at", kind="task_due", now=now, label="Task",
                  text=("任务今日到期", "Task due today"))
            + _tell(store, late, stamp="overdue_notified_at", kind="task_due", now=now, label="Task",
                    text=("任务已逾期", "Task overdue")))


def remind(store: Any, *, now: datetime) -> int:
    """The scan job's body: follow-ups and tasks due today or overdue, each told once."""
    today_start, tomorrow_start = day_bounds(now)
    return remind_followups(store, now=now, today_start=today_start, tomorrow_start=tomorrow_start) + \
        remind_tasks(store, now=now)
