"""Escalation of the exit-risk watch (固链) by rule: a firm at or above escalate_at for the whole
escalation period is told to its chain leaders and district officers, in their language, with a
link to its company page, once per period; a day below the line starts the count again. Both engines."""
from datetime import date, datetime, timedelta, timezone

from crm.base.access import SYSTEM
from crm.policy import load_policy
from crm.projects.risk_signals import record_signal
from scoring.exit_escalation import escalate_exit_risk
from tests.factories import NOW, make_presence, make_reference, make_user

POLICY = load_policy()
PERIOD = POLICY["exit_risk"]["escalation_period_days"]


def _day(n: int) -> datetime:
    """07:40 Chongqing, n days after 2026-11-20."""
    return datetime(2026, 11, 19, 23, 40, tzinfo=timezone.utc) + timedelta(days=n)


def _told(store):
    return store.read("MATCH (n:Notification)-[:NOTIFIES]->(u:User) WHERE n.kind = 'exit_risk' "
                      "RETURN u.username AS user, n.title AS title, n.body AS body, n.link AS link ORDER BY user")


def _at_risk(store):
    """博世 present in 两江新区 with its parent's closure and its lease end recorded: 40 + 15 = 55 ... + 10 = 65."""
    make_reference(store)
    make_presence(store, "bosch", "500157")
    for kind, on in (("parent_closure", date(2026, 11, 2)), ("lease_end", date(2027, 1, 31)),
                     ("incentive_end", date(2027, 2, 28))):
        record_signal(store, {"company_id": "bosch", "district_id": "500157", "kind": kind, "signal_on": on,
                              "note": f"{kind} 记录"}, actor=SYSTEM, now=NOW)
    make_user(store, "leader", "chain_leader", chains=["electronics"])
    make_user(store, "officer", "district_officer", districts=["500157"], locale="en")
    make_user(store, "elsewhere", "district_officer", districts=["500106"])
    make_user(store, "nev", "chain_leader", chains=["nev"])


def test_a_firm_high_for_the_whole_period_is_told_once_to_its_leader_and_officer_in_their_language(store):
    _at_risk(store)
    assert escalate_exit_risk(store, now=_day(0)) == 0          # the streak starts
    assert escalate_exit_risk(store, now=_day(PERIOD - 1)) == 0
    assert escalate_exit_risk(store, now=_day(PERIOD)) == 2
    told = _told(store)
    assert [t["user"] for t in told] == ["leader", "officer"]
    leader, officer = told
    assert leader["title"] == "固链预警：博世 退出风险 65 分" and "自 2026-11-20 起" in leader["body"]
    assert officer["title"] == "Exit risk: Robert Bosch GmbH scores 65" and "since 2026-11-20" in officer["body"]
    assert {t["link"] for t in told} == {"/companies/bosch"}
    assert escalate_exit_risk(store, now=_day(PERIOD)) == 0          # run twice: told once
    assert escalate_exit_risk(store, now=_day(PERIOD + 30)) == 0     # within the same period
    assert escalate_exit_risk(store, now=_day(2 * PERIOD)) == 2      # the next period: told again
    assert len(_told(store)) == 4


def test_a_day_below_the_line_starts_the_count_again(store):
    _at_risk(store)
    escalate_exit_risk(store, now=_day(0))
    store.write("MATCH (s:RiskSignal) WHERE s.kind = 'parent_closure' SET s.archived = true")
    assert escalate_exit_risk(store, now=_day(10)) == 0               # 25: below, the streak ends
    store.write("MATCH (s:RiskSignal) WHERE s.kind = 'parent_closure' SET s.archived = false")
    assert escalate_exit_risk(store, now=_day(11)) == 0               # high again from day 11
    assert escalate_exit_risk(store, now=_day(PERIOD)) == 0
    assert escalate_exit_risk(store, now=_day(PERIOD + 11)) == 2
