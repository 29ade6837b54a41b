"""Login throttling: per account (in the store, crm/people/logins.py) and per client address (here).

A username that does not exist is counted here with the account rules, so "try again in N
minutes" comes after the same number of failures whether or not the account exists. Each client
address may fail more often (an office behind one NAT shares an address) within a sliding
window. These in-process counts are per web worker; the account lock in the store is the limit
all workers share. Limits are configuration (CHAINLEAD_LOGIN_*), with the defaults below.
"""
from __future__ import annotations

import math
import threading
from collections import OrderedDict, deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app
from flask_babel import gettext as _

from crm.people.logins import LoginPolicy, log_in
from crm.people.users import User
from web.security import UnsafeConfig

DEFAULTS = {
    "LOGIN_MAX_FAILURES": 5,               # wrong passwords in a row that lock an account
    "LOGIN_LOCKOUT_MINUTES": 15,
    "LOGIN_ADDRESS_MAX_FAILURES": 20,      # failures from one address within the window
    "LOGIN_ADDRESS_WINDOW_MINUTES": 15,
}
MAX_TRACKED = 10_000  # names and addresses remembered; the oldest are forgotten first


class _Recent(OrderedDict):
    """A bounded map: spraying random names or addresses cannot grow memory without end."""

    def touch(self, key: str, value: Any) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > MAX_TRACKED:
            self.popitem(last=False)


@dataclass
class Outcome:
    user: User | None = None
    error: str | None = None
    status: int = 200
    retry_after: int | None = None  # seconds, for a 429


class Throttle:
    def __init__(self, policy: LoginPolicy, address_limit: int, window: timedelta):
        self.policy, self.address_limit, self.window = policy, address_limit, window
        self._lock = threading.Lock()
        self._unknown: _Recent = _Recent()     # name -> (failures, locked_until)
        self._addresses: _Recent = _Recent()   # address -> deque of failure times

    def _address_locked(self, address: str, now: datetime) -> datetime | None:
        times = self._addresses.get(address)
        while times and times[0] <= now - self.window:
            times.popleft()
        return times[0] + self.window if times and len(times) >= self.address_limit else None

    def _unknown_locked(self, name: str, now: datetime) -> datetime | None:
        failures, until = self._unknown.get(name, (0, None))
        return until if until is not None and until > now else None

    def _fail_unknown(self, name: str, now: datetime) -> datetime | None:
        failures, _ = self._unknown.get(name, (0, None))
        failures += 1
        if failures >= self.policy.max_failures:
            until = now + self.policy.lockout
            self._unknown.touch(name, (0, until))
            return until
        self._unknown.touch(name, (failures, None))
        return None

    def attempt(self, store: Any, username: str, password: str, *, address: str, now: datetime) -> Outcome:
        name = username.strip().lower()
        with self._lock:
            blocked = self._address_locked(address, now) or self._unknown_locked(name, now)
        if blocked:
            return self._locked(blocked, now)
        result = log_in(store, name, password, now=now, policy=self.policy)
        if result.user is not None:
            with self._lock:
                self._unknown.pop(name, None)
            return Outcome(user=result.user)
        with self._lock:
            self._addresses.touch(address, self._addresses.get(address) or deque())
            self._addresses[address].append(now)
            account = result.locked_until if result.known else self._fail_unknown(name, now)
            until = max((t for t in (account, self._address_locked(address, now)) if t), default=None)
        if until is not None:
            return self._locked(until, now)
        return Outcome(error=_("Wrong username or password."), status=401)

    @staticmethod
    def _locked(until: datetime, now: datetime) -> Outcome:
        seconds = max(1, math.ceil((until - now).total_seconds()))
        minutes = max(1, math.ceil(seconds / 60))
        return Outcome(error=_("Too many failed attempts. Try again in %(minutes)d minutes.", minutes=minutes),
                       status=429, retry_after=seconds)


def _positive(app: Flask, name: str) -> int:
    value = app.config[name]
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise UnsafeConfig(f"CHAINLEAD_{name} must be a whole number, 1 or more, got {value!r}")
    return value


def init_app(app: Flask) -> None:
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    policy = LoginPolicy(_positive(app, "LOGIN_MAX_FAILURES"),
                         timedelta(minutes=_positive(app, "LOGIN_LOCKOUT_MINUTES")))
    app.extensions["chainlead.throttle"] = Throttle(
        policy, _positive(app, "LOGIN_ADDRESS_MAX_FAILURES"),
        timedelta(minutes=_positive(app, "LOGIN_ADDRESS_WINDOW_MINUTES")))


def throttle() -> Throttle:
    return current_app.extensions["chainlead.throttle"]
