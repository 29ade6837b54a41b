"""E-mail reminders over SMTP: the one seam to the mail server, used only when it is configured.

Without CHAINLEAD_SMTP_HOST nothing is sent and nothing fails. With it, each user who has an
e-mail address gets one digest of their notifications not mailed yet (no older than
`reminders.email_max_age_hours`), and those are stamped `emailed_at` once the server took the mail;
a server that refuses is logged and tried again at the next run. A notice about a follow-up or task
that is no longer open (done, cancelled or archived since) is not mailed: the work is over. Each
item links to its page (CHAINLEAD_BASE_URL + the notice's link).
Settings: CHAINLEAD_SMTP_HOST, _PORT (default 587, or 465 with _SSL), _USER, _PASSWORD (or
_PASSWORD_FILE), _FROM, _STARTTLS (true/false, default true when a user is set), _SSL, _TIMEOUT.
"""
from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from crm.policy import section
from graph.config import env

log = logging.getLogger("chainlead.mail")
_BOOLS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}


class MailConfigError(ValueError):
    """A CHAINLEAD_SMTP_* setting cannot be understood (loud, not silently ignored)."""


def _bool(name: str, default: bool) -> bool:
    raw = env(name)
    if raw is None:
        return default
    if raw.strip().lower() not in _BOOLS:
        raise MailConfigError(f"CHAINLEAD_{name} must be true or false, got {raw!r}")
    return _BOOLS[raw.strip().lower()]


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    use_ssl: bool = False
    timeout: float = 10.0

    @classmethod
    def from_env(cls) -> "SmtpConfig | None":
        """The configured server, or None when CHAINLEAD_SMTP_HOST is not set (mail is optional)."""
        host = env("SMTP_HOST")
        if not host:
            return None
        use_ssl = _bool("SMTP_SSL", False)
        raw_port = env("SMTP_PORT", "465" if use_ssl else "587") or ""
        try:
            port = int(raw_port)
            timeout = float(env("SMTP_TIMEOUT", "10") or "10")
        except ValueError:
            raise MailConfigError(f"CHAINLEAD_SMTP_PORT/_TIMEOUT must be numbers, got {raw_port!r}") from None
        user = env("SMTP_USER")
        sender = env("SMTP_FROM") or user
        if not sender:
            raise MailConfigError("set CHAINLEAD_SMTP_FROM (the sender address) when CHAINLEAD_SMTP_HOST is set")
        return cls(host, port, sender, user, env("SMTP_PASSWORD"), _bool("SMTP_STARTTLS", bool(user)), use_ssl, timeout)


def send(config: SmtpConfig, to: str, subject: str, body: str) -> None:
    """Hand one plain-text message to the server (raises smtplib/OS errors)."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = config.sender, to, subject
    message.set_content(body)
    smtp_class = smtplib.SMTP_SSL if config.use_ssl else smtplib.SMTP
    with smtp_class(config.host, config.port, timeout=config.timeout) as smtp:
        if config.starttls and not config.use_ssl:
            smtp.starttls(context=ssl.create_default_context())
        if config.user and config.password:
            smtp.login(config.user, config.password)
        smtp.send_message(message)


_PENDING = (
    "MATCH (n:Notification)-[:NOTIFIES]->(u:User) WHERE n.emailed_at IS NULL AND n.read_at IS NULL "
    "AND n.created_at >= $since AND u.active = true AND u.email IS NOT NULL AND u.email <> '' "
    "OPTIONAL MATCH (f:FollowUp) WHERE n.record_label = 'FollowUp' AND f.id = n.record_id "
    "OPTIONAL MATCH (t:Task) WHERE n.record_label = 'Task' AND t.id = n.record_id "
    "WITH u, n, f, t WHERE (f IS NULL OR (f.status = 'open' AND f.archived = false)) "
    "AND (t IS NULL OR (t.status = 'open' AND t.archived = false)) "
    "RETURN u.id AS user, u.email AS email, n.id AS id, n.title AS title, n.body AS body, n.link AS link "
    "ORDER BY u.id, n.created_at, n.id")


def _item(row: dict[str, Any]) -> str:
    link = row["link"] if (row["link"] or "").startswith("/") else None
    address = f"\n  {(env('BASE_URL') or '').rstrip('/')}{link}" if link else ""
    return f"• {row['title']}\n  {row['body'] or ''}{address}"


def send_pending(store: Any, *, now: datetime, config: SmtpConfig | None = None,
                 policy: dict[str, Any] | None = None) -> int:
    """Mail each user a digest of their unsent notifications; returns messages sent (0 without SMTP)."""
    config = config if config is not None else SmtpConfig.from_env()
    if config is None:
        return 0
    hours = section("reminders", policy).get("email_max_age_hours", 24)
    rows = store.read(_PENDING, {"since": now - timedelta(hours=hours)})
    by_user: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_user.setdefault(row["email"], []).append(row)
    sent = 0
    for email, items in by_user.items():
        body = "\n\n".join(_item(i) for i in items)
        try:
            send(config, email, f"ChainLead 提醒 / reminders ({len(items)})", body + "\n\n— ChainLead")
        except (smtplib.SMTPException, OSError) as exc:
            log.warning("could not mail %d reminders to %s: %s (tried again next run)", len(items), email, exc)
            continue
        store.write("UNWIND $ids AS i MATCH (n:Notification {id: i}) SET n.emailed_at = $now",
                    {"ids": [i["id"] for i in items], "now": now})
        sent += 1
    return sent
