"""Telling users something: a notice is stored once per occasion, whoever raises it and however often.

A notification's id is derived from what it is about (`Notice.key`), so the job that raises it
can run twice, or on two runners, and the user is still told once. Jobs and services post here;
the inbox (crm/notify/inbox.py) reads what was posted.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from graph.cypher import in_transaction, merge_rels, upsert_nodes


@dataclass(frozen=True)
class Notice:
    """One thing to tell one user, in Chinese and English (the user's language is stored); `key` names
    the occasion, so it is told once."""
    key: str
    user_id: str
    kind: str
    title: tuple[str, str]  # (zh, en)
    body: tuple[str, str] = ("", "")
    link: str | None = None
    record_label: str | None = None
    record_id: str | None = None

    @property
    def id(self) -> str:
        return "ntf-" + hashlib.sha256(f"{self.key}|{self.user_id}".encode()).hexdigest()[:24]


def notify(target: Any, notices: list[Notice], *, now: datetime) -> int:
    """Store the notices not stored yet (in the caller's transaction, or one of its own); returns how many."""
    wanted = {n.id: n for n in notices}
    if not wanted:
        return 0

    def work(tx: Any) -> int:
        known = {r["id"] for r in tx.run("UNWIND $ids AS i MATCH (n:Notification {id: i}) RETURN n.id AS id",
                                         {"ids": list(wanted)})}
        english = {r["id"]: (r["locale"] or "zh").startswith("en") for r in tx.run(
            "UNWIND $ids AS i MATCH (u:User {id: i}) RETURN u.id AS id, u.locale AS locale",
            {"ids": sorted({n.user_id for n in wanted.values()})})}
        new = [n for i, n in wanted.items() if i not in known and n.user_id in english]
        if not new:
            return 0
        upsert_nodes(tx, "Notification", [
            {"id": n.id, "kind": n.kind, "title": n.title[english[n.user_id]], "body": n.body[english[n.user_id]],
             "link": n.link, "created_at": now, "record_label": n.record_label, "record_id": n.record_id}
            for n in new])
        merge_rels(tx, "NOTIFIES", "Notification", "User", [{"src": n.id, "dst": n.user_id} for n in new])
        return len(new)

    return in_transaction(target, work)
