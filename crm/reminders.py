"""Reminders: tell owners, once, that a follow-up or task is due today or has become overdue.

The scan reads only the follow-ups' own status and due time (no joins), which is the shape that
stays fast on 200,000 follow-ups (bench/followup_scan_bench.py); owners and subjects are joined
for the few it finds. Each item is stamped when its owner is told (`reminded_at` for due today,
`overdue_notified_at` for overdue) and notifications carry keyed ids, so a second run tells no one
twice; rescheduling an item clears its stamps.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crm.clock import local_today
from crm.inbox import Notice, notify
from crm.workdays import day_bounds
from graph.cypher import batches

BATCH = 500


@dataclass(frozen=True)
class Scan:
    """Open follow-ups due by the end of today: due today, and overdue (due before today)."""
    due_today: list[dict[str, Any]]
    overdue: list[dict[str, Any]]


def scan_followups(store: Any, *, today_start: datetime, tomorrow_start: datetime) -> Scan:
    """The due/overdue scan: one pass over follow-ups filtered on status and due time only."""
    rows = store.read("MATCH (f:FollowUp) WHERE f.status = 'open' AND f.due_at < $until AND f.archived = false "
                      "RETURN f.id AS id, f.due_at AS due_at, f.reminded_at AS reminded_at, "
                      "f.overdue_notified_at AS overdue_notified_at", {"until": tomorrow_start})
    due = [r for r in rows if r["due_at"] >= today_start]
    late = [r for r in rows if r["due_at"] < today_start]
    return Scan(due, late)


def _subjects(store: Any, ids: list[str]) -> dict[str, dict[str, Any]]:
    rows = store.read("UNWIND $ids AS i MATCH (f:FollowUp {id: i}) MATCH (f)-[:ASSIGNED_TO]->(u:User) "
                      "OPTIONAL MATCH (f)-[:ABOUT]->(l:Lead) OPTIONAL MATCH (f)-[:ABOUT]->(p:Project) "
                      "RETURN f.id AS id, f.kind AS kind, u.id AS owner_id, coalesce(l.title, p.name) AS subject",
                      {"ids": ids})
    return {r["id"]: r for r in rows}


def _tell(store: Any, rows: list[dict[str, Any]], *, stamp: str, kind: str, now: datetime,
          label: str, text: tuple[str, str]) -> int:
    """Notify each row's owner and stamp the row, a batch per transaction."""
    told = 0
    for chunk in batches(rows, BATCH):
        ids = [r["id"] for r in chunk]
        found = _subjects(store, ids) if label == "FollowUp" else _task_subjects(store, ids)
        notices = []
        for r in chunk:
            info = found.get(r["id"])
            if info is None:
                continue
            due = local_today(r["due_at"]) if isinstance(r["due_at"], datetime) else r["due_at"]
            subject = info["subject"] or r["id"]
            notices.append(Notice(f"{kind}:{r['id']}:{due.isoformat()}", info["owner_id"], kind,
                                  f"{text[0]}：{subject}", f"{text[1]}: {subject} (due {due.isoformat()})",
                                  f"/{label.lower()}s/{r['id']}", label, r["id"]))

        def work(tx: Any, ids: list[str] = ids, notices: list[Notice] = notices) -> int:
            tx.run(f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) WHERE n.{stamp} IS NULL SET n.{stamp} = $now",
                   {"ids": ids, "now": now})
            return notify(tx, notices, now=now)

        told += store.transaction(work)
    return told


def _task_subjects(store: Any, ids: list[str]) -> dict[str, dict[str, Any]]:
    rows = store.read("UNWIND $ids AS i MATCH (t:Task {id: i}) MATCH (t)-[:ASSIGNED_TO]->(u:User) "
                      "OPTIONAL MATCH (t)-[:FOR_EVENT]->(e:Event) "
                      "RETURN t.id AS id, u.id AS owner_id, e.name_zh AS event, t.title AS title", {"ids": ids})
    return {r["id"]: {**r, "subject": " · ".join(x for x in (r["event"], r["title"]) if x)} for r in rows}


def remind_followups(store: Any, *, now: datetime, today_start: datetime, tomorrow_start: datetime) -> int:
    """Tell owners about follow-ups due today and newly overdue; returns notifications created."""
    scan = scan_followups(store, today_start=today_start, tomorrow_start=tomorrow_start)
    due = [r for r in scan.due_today if r["reminded_at"] is None]
    late = [r for r in scan.overdue if r["overdue_notified_at"] is None]
    return (_tell(store, due, stamp="reminded_at", kind="followup_due", now=now, label="FollowUp",
                  text=("今日待跟进", "Follow-up due today"))
            + _tell(store, late, stamp="overdue_notified_at", kind="followup_overdue", now=now, label="FollowUp",
                    text=("跟进已逾期", "Follow-up overdue")))


def remind_tasks(store: Any, *, now: datetime) -> int:
    """Tell owners about open tasks due today (once) and overdue (once more)."""
    today = local_today(now)
    rows = store.read("MATCH (t:Task) WHERE t.status = 'open' AND t.archived = false AND t.due_on <= $today "
                      "RETURN t.id AS id, t.due_on AS due_at, t.reminded_at AS reminded_at, "
                      "t.overdue_notified_at AS overdue_notified_at", {"today": today})
    due = [r for r in rows if r["due_at"] == today and r["reminded_at"] is None]
    late = [r for r in rows if r["due_at"] < today and r["overdue_notified_at"] is None]
    return (_tell(store, due, stamp="reminded_at", kind="task_due", now=now, label="Task",
                  text=("任务今日到期", "Task due today"))
            + _tell(store, late, stamp="overdue_notified_at", kind="task_due", now=now, label="Task",
                    text=("任务已逾期", "Task overdue")))


def remind(store: Any, *, now: datetime) -> int:
    """The scan job's body: follow-ups and tasks due today or overdue, each told once."""
    today_start, tomorrow_start = day_bounds(now)
    return remind_followups(store, now=now, today_start=today_start, tomorrow_start=tomorrow_start) + \
        remind_tasks(store, now=now)
