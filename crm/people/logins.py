"""Logging in with a password, and locking an account after repeated wrong passwords.

After `max_failures` wrong passwords in a row an account is locked for `lockout`; while it is
locked even the right password is refused, so guessing stops paying. The count and the lock live
on the User node (failed_logins, locked_until), so every web worker sees the same ones, and a
lockout is audited. Callers must answer unknown usernames the same way (see web/throttle.py), so
that a lock message never tells whether an account exists.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from crm.base import records
from crm.base.access import SYSTEM
from crm.people.users import User, check_password


@dataclass(frozen=True)
class LoginPolicy:
    max_failures: int = 5
    lockout: timedelta = timedelta(minutes=15)


@dataclass(frozen=True)
class LoginResult:
    """`known` tells the caller's own throttle whether the name exists; it is never shown to users."""
    user: User | None = None
    locked_until: datetime | None = None
    known: bool = False


def log_in(store: Any, username: str, password: str, *, now: datetime,
           policy: LoginPolicy = LoginPolicy()) -> LoginResult:
    name = username.strip().lower()
    rows = store.read("MATCH (u:User) WHERE u.username = $n RETURN u.id AS id, u.locked_until AS until",
                      {"n": name})
    if rows and rows[0]["until"] is not None and rows[0]["until"] > now:
        return LoginResult(locked_until=rows[0]["until"], known=True)
    user = check_password(store, name, password)
    if user is not None:
        store.write("MATCH (u:User {id: $id}) SET u.failed_logins = 0, u.locked_until = NULL, u.last_login_at = $now",
                    {"id": user.id, "now": now})
        return LoginResult(user=user, known=True)
    if not rows:
        return LoginResult()
    return LoginResult(locked_until=_count_failure(store, rows[0]["id"], now=now, policy=policy), known=True)


def _count_failure(store: Any, user_id: str, *, now: datetime, policy: LoginPolicy) -> datetime | None:
    """One more wrong password; at the limit the account locks (and the count starts again)."""

    def work(tx: Any) -> datetime | None:
        failures = tx.run("MATCH (u:User {id: $id}) SET u.failed_logins = coalesce(u.failed_logins, 0) + 1 "
                          "RETURN u.failed_logins AS n", {"id": user_id})[0]["n"]
        if failures < policy.max_failures:
            return None
        until = now + policy.lockout
        tx.run("MATCH (u:User {id: $id}) SET u.failed_logins = 0, u.locked_until = $until",
               {"id": user_id, "until": until})
        records.audit(tx, SYSTEM, "lockout", "User", user_id,
                      {"locked_until": (None, until), "failed_logins": (failures, 0)}, now)
        return until

    return store.transaction(work)
