"""Stalled projects (issue 14, item 1): three rules of policy `projects.stall`, each with its dated reason,
judged as the project stood on a day; the daily job tells the owner and the chain's leaders once."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from crm.base.access import SYSTEM
from crm.notify.inbox import list_notifications
from crm.projects import lifecycle, stalls
from crm.projects.projects import Project, fetch
from tests.factories import NOW, make_inflow, make_project, make_reference, make_user

POLICY = stalls.StallPolicy(register_within_working_days=60, plan_grace_working_days=10, capital_after_days=365,
                            capital_min_share=0.3)
SIGNED = date(2025, 3, 3)  # a Monday


def project(**over) -> Project:
    return replace(Project("p-1", "测试项目", "bosch", "500157", signed_on=SIGNED, stage_on=SIGNED,
                           contracted_fdi_usd=10_000_000), **over)


def codes(p: Project, day: date, paid: int = 10_000_000) -> list[str]:
    return [s.code for s in stalls.stalls(p, paid_in_usd=paid, day=day, policy=POLICY)]


def test_a_project_still_unregistered_60_working_days_after_signing_is_stalled_with_the_reason():
    assert codes(project(), date(2025, 5, 20)) == []
    [stall] = stalls.stalls(project(), paid_in_usd=10_000_000, day=date(2025, 7, 1), policy=POLICY)
    assert stall.code == "slow_registration" and "60 个工作日仍未注册" in stall.zh and "2025-03-03" in stall.en
    assert codes(project(stage="registered", registered_on=date(2025, 4, 1)), date(2025, 7, 1)) == []


def test_a_stage_not_reached_ten_working_days_after_its_planned_day_is_behind_plan():
    planned = project(stage="registered", registered_on=date(2025, 4, 1), started_planned_on=date(2025, 6, 2))
    assert codes(planned, date(2025, 6, 13)) == []
    [stall] = stalls.stalls(planned, paid_in_usd=10_000_000, day=date(2025, 6, 20), policy=POLICY)
    assert (stall.code, stall.stage) == ("behind_plan", "started") and "计划 2025-06-02 开工" in stall.zh
    started = replace(planned, stage="started", started_on=date(2025, 6, 18))
    assert codes(started, date(2025, 6, 20)) == []


def test_capital_far_behind_contract_a_year_after_signing_is_stalled():
    registered = project(stage="registered", registered_on=date(2025, 4, 1))
    assert codes(registered, date(2026, 3, 10), paid=2_000_000) == ["capital_behind"]
    assert codes(registered, date(2026, 3, 10), paid=3_000_000) == []
    assert codes(registered, date(2026, 2, 10), paid=0) == []


def test_a_withdrawn_project_is_never_stalled_and_a_past_day_sees_the_stage_it_had_then():
    assert codes(project(stage="withdrawn", withdrawn_on=date(2025, 5, 1)), date(2026, 1, 1), paid=0) == []
    moved = project(stage="registered", stage_on=date(2025, 9, 1), registered_on=date(2025, 9, 1))
    assert stalls.stage_on(moved, date(2025, 8, 1)) == "signed" and codes(moved, date(2025, 8, 1)) == [
        "slow_registration"]
    assert stalls.stage_on(moved, date(2025, 2, 1)) is None


def test_the_policy_s_stall_rules_are_checked():
    with pytest.raises(Exception, match="stall rules"):
        stalls.StallPolicy.load({"projects": {"stall": {"register_within_working_days": -1}}})


@pytest.fixture
def stalled(store):
    make_reference(store)
    owner = make_user(store, "owner", "staff")
    leader = make_user(store, "leader", "chain_leader", chains=["electronics"])
    p = make_project(store, signed_on=date(2025, 3, 3), owner_id=owner.id)
    return store, p, owner, leader


def test_the_daily_job_tells_the_owner_and_the_chain_leader_once_with_the_reason(stalled):
    store, p, owner, leader = stalled
    assert [s.id for s in stalls.stalled_projects(store, day=NOW.date())] == [p.id]
    assert stalls.notify_stalled(store, now=NOW) == 4  # slow registration and capital behind, to both
    assert stalls.notify_stalled(store, now=NOW) == 0
    for user in (owner, leader):
        titles = [n.title for n in list_notifications(store, actor=user.actor(), kind="project_stalled").items]
        assert titles.count("项目停滞预警：博世功率半导体扩产") == 2


def test_a_move_and_capital_end_the_stall_while_a_past_day_still_shows_it(stalled):
    store, p, _, _ = stalled
    make_inflow(store, p.id, received_on=date(2025, 6, 1), amount_usd=30_000_000)
    lifecycle.move_project(store, p.id, "registered", on=date(2025, 7, 1), reason=None, actor=SYSTEM, now=NOW,
                           expected_version=None)
    assert fetch(store, p.id).registered_on == date(2025, 7, 1)
    assert stalls.stalled_projects(store, day=NOW.date()) == []
    [then] = stalls.stalled_projects(store, day=date(2025, 6, 15))
    assert [s.code for s in then.stalls] == ["slow_registration"] and then.stage == "signed"
