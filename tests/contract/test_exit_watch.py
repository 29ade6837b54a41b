"""The exit-risk watch list (固链) from what the store holds: a present foreign firm with an overdue
issue, a sole critical make and a recorded parent closure is listed with each dated signal; a
domestic firm is not; chain leaders see their chains' firms only. Both engines."""
from datetime import date

from crm.base.access import SYSTEM, Actor
from crm.policy import load_policy
from crm.projects.risk_signals import record_signal
from scoring.exit_watch import firm_risk, watch_list
from tests.factories import NOW, make_issue, make_presence, make_project, make_reference

TODAY = date(2026, 11, 20)
EVERY_LINK_CRITICAL = {**load_policy(), "exit_risk": {**load_policy()["exit_risk"], "critical_at": 0.0}}


def bosch_at_risk(store):
    make_reference(store)
    make_presence(store, "bosch", "500157")
    project = make_project(store)
    make_issue(store, project.id, opened_on=date(2026, 8, 1), title="用电增容")
    record_signal(store, {"company_id": "bosch", "district_id": "500157", "kind": "parent_closure",
                          "signal_on": date(2026, 11, 2), "note": "母公司宣布关闭重庆工厂"}, actor=SYSTEM, now=NOW)


def test_a_foreign_firm_is_scored_from_its_dated_signals_and_a_domestic_one_is_not(store):
    bosch_at_risk(store)
    entries = watch_list(store, actor=SYSTEM, today=TODAY, policy=EVERY_LINK_CRITICAL)
    assert [e.company_id for e in entries] == ["bosch"]  # 长安 (CN) is present but domestic
    risk = entries[0].risk
    assert [(s.kind, s.on) for s in risk.signals] == [
        ("sole_critical_maker", TODAY), ("parent_closure", date(2026, 11, 2)), ("overdue_issue", date(2026, 8, 1))]
    assert (risk.score, risk.escalate) == (40 + 20 + 15, True)


def test_chain_leaders_see_their_chains_and_filters_narrow(store):
    bosch_at_risk(store)
    electronics = Actor(id="u1", username="l1", role="chain_leader", chains=("electronics",))
    nev = Actor(id="u2", username="l2", role="chain_leader", chains=("nev",))
    assert [e.company_id for e in watch_list(store, actor=electronics, today=TODAY)] == ["bosch"]
    assert watch_list(store, actor=nev, today=TODAY) == []
    assert watch_list(store, actor=SYSTEM, today=TODAY, district="500106") == []
    assert watch_list(store, actor=SYSTEM, today=TODAY, chain="nev") == []


def test_one_firm_s_risk_read_alone_equals_its_watch_list_entry(store):
    bosch_at_risk(store)
    listed = watch_list(store, actor=SYSTEM, today=TODAY, policy=EVERY_LINK_CRITICAL)[0]
    assert firm_risk(store, "bosch", actor=SYSTEM, today=TODAY, policy=EVERY_LINK_CRITICAL) == listed
    nev = Actor(id="u2", username="l2", role="chain_leader", chains=("nev",))
    assert firm_risk(store, "bosch", actor=nev, today=TODAY) is None
    assert firm_risk(store, "changan", actor=SYSTEM, today=TODAY) is None  # present, domestic
