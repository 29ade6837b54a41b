"""Login sessions kept on the server, so ending one ends it: logout, a password change, a disabled
account or a changed role log the cookie out at once, wherever it was copied to.

The cookie carries a random secret; the store keeps its SHA-256 digest (as for API tokens), the
user and when it lapses. Each web process remembers who a session belongs to for a few seconds
(crm/base/memo.py) and forgets everything when it ends sessions itself.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from crm.base import memo
from graph.cypher import in_transaction


KEPT_AFTER_END = timedelta(days=7)  # an ended or lapsed session says nothing after that: it is deleted


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def start(store: Any, user_id: str, *, now: datetime, lifetime: timedelta) -> str:
    """A new session for the user; returns the secret for the cookie (never stored)."""
    secret = secrets.token_urlsafe(32)
    store.write("CREATE (s:Session {id: $id}) SET s.user_id = $user, s.created_at = $now, s.expires_at = $until",
                {"id": _digest(secret), "user": user_id, "now": now, "until": now + lifetime})
    return secret


def live(store: Any, user_id: str, secret: str, *, now: datetime) -> bool:
    """The session is the user's, not ended and not lapsed."""
    return bool(store.read("MATCH (s:Session {id: $id}) WHERE s.user_id = $user AND s.ended_at IS NULL "
                           "AND s.expires_at > $now RETURN s.id AS id",
                           {"id": _digest(secret), "user": user_id, "now": now}))


def end(store: Any, secret: str, *, now: datetime) -> None:
    """Log this one session out."""
    store.write("MATCH (s:Session {id: $id}) WHERE s.ended_at IS NULL SET s.ended_at = $now",
                {"id": _digest(secret), "now": now})
    memo.forget_all()


def end_all(target: Any, user_id: str, *, now: datetime, keep: str | None = None) -> None:
    """Log out every session of the user but `keep` (the one making the change), in the caller's
    transaction or one of its own."""
    params = {"user": user_id, "now": now, "keep": _digest(keep) if keep else ""}
    in_transaction(target, lambda tx: tx.run(
        "MATCH (s:Session) WHERE s.user_id = $user AND s.ended_at IS NULL AND s.id <> $keep SET s.ended_at = $now",
        params))
    memo.forget_all()


def prune(store: Any, *, now: datetime) -> int:
    """Delete the sessions ended or lapsed over KEPT_AFTER_END ago (each login leaves one); returns how many."""
    before = now - KEPT_AFTER_END
    where = ("WHERE (s.ended_at IS NOT NULL AND s.ended_at < $before) OR s.expires_at < $before ")
    found = store.read("MATCH (s:Session) " + where + "RETURN count(s) AS n", {"before": before})[0]["n"]
    if found:
        store.write("MATCH (s:Session) " + where + "DELETE s", {"before": before})
    return int(found)
