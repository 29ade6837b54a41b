"""The Monday job: last week's report once, under its lease; every active user told in the inbox,
and by e-mail when SMTP is set (a refused mail is left for the digest to retry)."""
import smtplib
from datetime import date, datetime, timedelta, timezone

from apscheduler.triggers.cron import CronTrigger

from crm.notify import mail
from crm.ops import jobs
from crm.base.access import SYSTEM
from crm.notify.inbox import list_notifications
from crm.reports import Week, delivery, exists, get
from crm.people.users import update_user
from tests.factories import make_inflow, make_project, make_reference, make_user
from web import scheduler

MONDAY_8 = datetime(2026, 11, 23, 0, 0, tzinfo=timezone.utc)   # Monday 08:00 in Chongqing
CONFIG = mail.SmtpConfig("smtp.example", 587, "bureau@example.cn")


def test_the_scheduler_runs_the_report_on_mondays_at_eight_in_chongqing(embedded_store):
    rows = {job.__name__: trigger for job, trigger in scheduler.table()}
    trigger = rows["weekly_report"]
    assert isinstance(trigger, CronTrigger) and str(trigger.timezone) == "Asia/Shanghai"
    fire = trigger.get_next_fire_time(None, MONDAY_8 - timedelta(hours=1))
    assert fire == MONDAY_8


def test_the_job_makes_last_week_s_report_once_under_its_lease(embedded_store):
    make_reference(embedded_store)
    project = make_project(embedded_store, signed_on=date(2026, 11, 18))
    make_inflow(embedded_store, project.id, received_on=date(2026, 11, 19), amount_usd=20_000_000)
    gap = scheduler.spacing(CronTrigger(day_of_week="mon", hour=8, timezone="Asia/Shanghai"), after=MONDAY_8)
    assert scheduler.fire(embedded_store, jobs.weekly_report, holder="a", gap=gap, clock=lambda: MONDAY_8) == 1
    assert scheduler.fire(embedded_store, jobs.weekly_report, holder="b", gap=gap,
                          clock=lambda: MONDAY_8 + timedelta(seconds=20)) is None   # the other runner's slot
    week = Week.parse("2026-W47")
    assert exists(embedded_store, week) and get(embedded_store, week).generated_by == "system"
    assert get(embedded_store, week).figures["pipeline"]["week"]["signings"]["value"] == 1
    assert jobs.weekly_report(embedded_store, now=MONDAY_8 + timedelta(hours=1)) == 0   # already there


def test_every_active_user_is_told_and_mailed_when_smtp_is_set(embedded_store, monkeypatch):
    make_reference(embedded_store)
    li = make_user(embedded_store, "li", "staff", email="li@example.cn")
    wang = make_user(embedded_store, "wang", "viewer", email="wang@example.cn")
    gone = make_user(embedded_store, "gone", "viewer", email="gone@example.cn")
    update_user(embedded_store, gone.id, {"active": False}, actor=SYSTEM, now=MONDAY_8, expected_version=None)
    sent = []

    def fake_send(config, to, subject, body):
        if to == "wang@example.cn":
            raise smtplib.SMTPRecipientsRefused({to: (550, b"no")})
        sent.append((to, subject, body))

    monkeypatch.setattr(mail, "send", fake_send)
    monkeypatch.setattr(mail.SmtpConfig, "from_env", classmethod(lambda cls: CONFIG))
    assert jobs.weekly_report(embedded_store, now=MONDAY_8) == 1
    assert [to for to, _, _ in sent] == ["li@example.cn"]
    assert sent[0][1] == "招商周报 2026-W47（2026-11-16 至 2026-11-22）" and "/reports/2026-W47" in sent[0][2]
    for user, mailed in ((li, True), (wang, False)):
        notices = list_notifications(embedded_store, actor=user.actor(), kind="report").items
        assert len(notices) == 1 and (notices[0].emailed_at is not None) is mailed
    assert list_notifications(embedded_store, actor=gone.actor(), kind="report").total == 0


def test_without_smtp_only_the_inbox_is_used(embedded_store, monkeypatch):
    make_reference(embedded_store)
    li = make_user(embedded_store, "li", "staff", email="li@example.cn")
    monkeypatch.setattr(mail, "send", lambda *a: (_ for _ in ()).throw(AssertionError("no SMTP, no mail")))
    monkeypatch.delenv("CHAINLEAD_SMTP_HOST", raising=False)
    assert jobs.weekly_report(embedded_store, now=MONDAY_8) == 1
    notice = list_notifications(embedded_store, actor=li.actor(), kind="report").items[0]
    assert notice.link == "/reports/2026-W47" and notice.emailed_at is None
    assert delivery.summary_lines(get(embedded_store, Week.parse("2026-W47")).figures)[0].startswith("本周新增线索0条")


def test_each_reader_is_told_and_mailed_in_their_own_language(embedded_store, monkeypatch):
    make_reference(embedded_store)
    make_user(embedded_store, "li", "staff", email="li@example.cn")
    amy = make_user(embedded_store, "amy", "staff", email="amy@example.com", locale="en")
    sent = {}
    monkeypatch.setattr(mail, "send", lambda config, to, subject, body: sent.update({to: (subject, body)}))
    monkeypatch.setattr(mail.SmtpConfig, "from_env", classmethod(lambda cls: CONFIG))
    assert jobs.weekly_report(embedded_store, now=MONDAY_8) == 1
    assert sent["li@example.cn"][0].startswith("招商周报") and sent["li@example.cn"][1].startswith("本周新增线索0条")
    subject, body = sent["amy@example.com"]
    assert subject.startswith("Weekly promotion report 2026-W47") and body.startswith("This week 0 new leads")
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in body.split("\n\n")[0]), body
    assert list_notifications(embedded_store, actor=amy.actor(), kind="report").items[0].body.startswith("This week")
