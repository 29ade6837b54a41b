"""E-mail reminders: only when SMTP is configured, one digest per user, never twice, never fatal."""
import email
import socket
import socketserver
import threading
from datetime import date, timedelta
from email import policy

import pytest

from crm.followups.completion import complete_followup
from crm.notify import mail
from crm.people import users
from crm.ops.jobs import scan_followups, send_email
from crm.notify.mail import MailConfigError, SmtpConfig, send_pending
from tests.factories import NOW, make_followup, make_lead, make_reference, make_user


class _Sink(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept mail (EHLO, MAIL, RCPT, DATA, QUIT) and keep it."""

    def handle(self):
        self.wfile.write(b"220 sink ESMTP\r\n")
        lines, in_data = [], False
        for line in self.rfile:
            if in_data:
                if line.rstrip(b"\r\n") == b".":
                    self.server.messages.append(b"".join(lines))
                    lines, in_data = [], False
                    self.wfile.write(b"250 queued\r\n")
                else:
                    lines.append(line[1:] if line.startswith(b"..") else line)
                continue
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.wfile.write(b"250-sink\r\n250 8BITMIME\r\n")
            elif verb == b"DATA":
                in_data = True
                self.wfile.write(b"354 go on\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Sink)
    server.daemon_threads = True
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def told(embedded_store):
    """Two notifications for a user with an e-mail address, one for a user without."""
    make_reference(embedded_store)
    li = make_user(embedded_store, "li", "staff", email="li@example.gov.cn")
    wang = make_user(embedded_store, "wang", "staff")
    earlier = NOW - timedelta(days=7)
    for owner in (li, wang):
        lead = make_lead(embedded_store, owner_id=owner.id, now=earlier)
        make_followup(embedded_store, lead.id, actor=owner.actor(), now=earlier, due_on=date(2026, 11, 20))
        if owner is li:
            make_followup(embedded_store, lead.id, actor=owner.actor(), now=earlier, due_on=date(2026, 11, 18))
    scan_followups(embedded_store, now=NOW)
    return embedded_store


def test_without_smtp_nothing_is_sent_and_nothing_fails(told, monkeypatch):
    monkeypatch.delenv("CHAINLEAD_SMTP_HOST", raising=False)
    assert SmtpConfig.from_env() is None
    assert send_email(told, now=NOW) == 0


def test_with_smtp_each_user_gets_one_digest_once(told, smtp_server, monkeypatch):
    monkeypatch.setenv("CHAINLEAD_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CHAINLEAD_SMTP_PORT", str(smtp_server.server_address[1]))
    monkeypatch.setenv("CHAINLEAD_SMTP_FROM", "chainlead@example.gov.cn")
    assert send_email(told, now=NOW) == 1
    assert send_email(told, now=NOW + timedelta(minutes=5)) == 0
    [raw] = smtp_server.messages
    message = email.message_from_bytes(raw, policy=policy.default)
    assert message["To"] == "li@example.gov.cn" and "(2)" in message["Subject"]
    body = message.get_content()
    assert "今日待跟进" in body and "跟进已逾期" in body


@pytest.fixture
def smtp(smtp_server, monkeypatch):
    monkeypatch.setenv("CHAINLEAD_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CHAINLEAD_SMTP_PORT", str(smtp_server.server_address[1]))
    monkeypatch.setenv("CHAINLEAD_SMTP_FROM", "chainlead@example.gov.cn")
    monkeypatch.setenv("CHAINLEAD_BASE_URL", "https://chainlead.example.gov.cn/")
    return smtp_server


def test_each_item_links_to_the_page_it_is_about(told, smtp):
    send_email(told, now=NOW)
    body = email.message_from_bytes(smtp.messages[0], policy=policy.default).get_content()
    assert body.count("https://chainlead.example.gov.cn/followups/fu") == 2


def test_a_reminder_for_work_done_since_is_not_mailed(told, smtp):
    """The follow-up was completed nine minutes after the reminder was raised: no e-mail about it."""
    li = told.read("MATCH (u:User {username: 'li'}) RETURN u.id AS id")[0]["id"]
    rows = told.read("MATCH (f:FollowUp)-[:ASSIGNED_TO]->(:User {id: $li}) RETURN f.id AS id, f.version AS v "
                     "ORDER BY f.due_at", {"li": li})
    done = rows[0]
    complete_followup(told, done["id"], {"outcome": "已电话沟通"}, actor=users.get_user(told, li).actor(),
                      now=NOW + timedelta(minutes=9), expected_version=done["v"])
    assert send_email(told, now=NOW + timedelta(minutes=10)) == 1
    body = email.message_from_bytes(smtp.messages[0], policy=policy.default).get_content()
    assert f"/followups/{done['id']}" not in body and f"/followups/{rows[1]['id']}" in body


def test_a_server_that_is_down_is_logged_and_tried_again(told, caplog):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    config = SmtpConfig("127.0.0.1", closed_port, "chainlead@example.gov.cn", timeout=2)
    assert send_pending(told, now=NOW, config=config) == 0
    assert "tried again next run" in caplog.text
    assert told.read("MATCH (n:Notification) WHERE n.emailed_at IS NOT NULL RETURN count(n) AS n")[0]["n"] == 0


@pytest.mark.parametrize("name, value, message", [
    ("CHAINLEAD_SMTP_STARTTLS", "maybe", "true or false"),
    ("CHAINLEAD_SMTP_PORT", "smtp", "numbers"),
])
def test_a_bad_setting_is_an_error_not_a_silent_default(monkeypatch, name, value, message):
    monkeypatch.setenv("CHAINLEAD_SMTP_HOST", "mail.example.gov.cn")
    monkeypatch.setenv("CHAINLEAD_SMTP_FROM", "chainlead@example.gov.cn")
    monkeypatch.setenv(name, value)
    with pytest.raises(MailConfigError) as err:
        mail.SmtpConfig.from_env()
    assert message in str(err.value)
