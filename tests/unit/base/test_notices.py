"""Notices speak the recipient's language (issue 16): each user reads the text in the language of
their preference (zh unless they chose en), and an occasion is told once."""
from crm.base.notices import Notice, notify
from crm.notify.inbox import list_notifications
from tests.factories import NOW, make_reference, make_user


def test_each_user_reads_a_notice_in_their_own_language_and_once(embedded_store):
    make_reference(embedded_store)
    li = make_user(embedded_store, "li", "staff")
    anna = make_user(embedded_store, "anna", "staff", locale="en")
    notices = [Notice("occasion", user.id, "reminder", ("今日待跟进：博世", "Follow-up due today: Bosch"),
                      ("博世（2026-11-20到期）", "Bosch (due 2026-11-20)")) for user in (li, anna)]
    assert notify(embedded_store, notices, now=NOW) == 2
    assert notify(embedded_store, notices, now=NOW) == 0
    [zh] = list_notifications(embedded_store, actor=li.actor()).items
    [en] = list_notifications(embedded_store, actor=anna.actor()).items
    assert (zh.title, zh.body) == ("今日待跟进：博世", "博世（2026-11-20到期）")
    assert (en.title, en.body) == ("Follow-up due today: Bosch", "Bosch (due 2026-11-20)")
