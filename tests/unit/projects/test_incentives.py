"""任务 10 and 任务 5 rewards: the plan's cases and edges, each figure from policy `incentives`."""
import copy
from datetime import date
from decimal import Decimal

import pytest

from crm.errors import ValidationFailed
from crm.projects.incentives import IncentivePolicy, pick_tier, project_rewards, year_reward
from crm.projects.inflows import Inflow
from crm.policy import load_policy
from crm.projects.projects import Project

POLICY = IncentivePolicy.load()


def project(**overrides) -> Project:
    fields = {"id": "p1", "name": "测试项目", "company_id": "bosch", "district_id": "500157",
              "kind": "new", "manufacturing": False, "industry_category": "other"} | overrides
    return Project(**fields)


def factory(**overrides) -> Project:
    return project(manufacturing=True, industry_category="manufacturing", **overrides)


def paid(usd: int, year: int = 2023, kind: str = "equity", month: int = 6, archived: bool = False) -> Inflow:
    return Inflow(id=f"f{usd}{year}{kind}{month}", project_id="p1", received_on=date(year, month, 1),
                  amount_usd=usd, kind=kind, archived=archived)


def reward(p: Project, flows: list[Inflow], year: int = 2023, policy: IncentivePolicy = POLICY):
    return year_reward(p, flows, year, policy)


def codes(result) -> list[str]:
    return [r.code for r in result.reasons]


def test_it_pays_nothing_on_exactly_ten_million():
    r = reward(project(), [paid(10_000_000)])
    assert r.capital_reward_rmb == Decimal("0.00") and r.tier is None
    assert "not_exceeded" in codes(r)


def test_it_pays_two_percent_of_ten_million_and_one():
    r = reward(project(), [paid(10_000_001)])
    assert r.tier == "general" and r.rate == Decimal("0.02")
    assert r.capital_reward_rmb == Decimal("200000.02")


def test_a_manufacturing_project_with_exactly_thirty_million_earns_two_percent():
    r = reward(factory(), [paid(30_000_000)])
    assert r.tier == "general" and r.capital_reward_rmb == Decimal("600000.00")
    assert [x.code for x in r.reasons] == ["not_exceeded", "base", "tier"]
    assert "未超过USD 30,000,000" in r.reasons[0].zh and "does not exceed USD 30,000,000" in r.reasons[0].en


def test_a_manufacturing_project_above_thirty_million_earns_four_percent():
    r = reward(factory(), [paid(30_000_001)])
    assert r.tier == "manufacturing" and r.rate == Decimal("0.04")
    assert r.capital_reward_rmb == Decimal("1200000.04")


def test_a_non_manufacturing_project_above_thirty_million_stays_at_two_percent():
    assert reward(project(), [paid(40_000_000)]).capital_reward_rmb == Decimal("800000.00")


def test_a_foreign_shareholder_loan_does_not_count():
    r = reward(project(), [paid(6_000_000), paid(8_000_000, kind="shareholder_loan")])
    assert (r.counted_usd, r.uncounted_usd) == (6_000_000, 8_000_000)
    assert r.capital_reward_rmb == 0 and "not_counted" in codes(r)


def test_reinvested_profit_counts_with_equity():
    r = reward(project(), [paid(6_000_000), paid(5_000_000, kind="reinvested_profit")])
    assert r.counted_usd == 11_000_000 and r.capital_reward_rmb == Decimal("220000.00")


def test_it_adds_up_the_calendar_year_and_only_that_year():
    flows = [paid(6_000_000, 2023, month=1), paid(6_000_000, 2023, month=12), paid(6_000_000, 2024)]
    assert reward(project(), flows, 2023).capital_reward_rmb == Decimal("240000.00")
    assert reward(project(), flows, 2024).capital_reward_rmb == 0


def test_the_cap_holds_at_ten_million_rmb_a_year():
    r = reward(factory(), [paid(300_000_000)])
    assert r.uncapped_rmb == Decimal("12000000.00")
    assert r.capital_reward_rmb == Decimal("10000000.00") and r.capped and "capped" in codes(r)


def test_just_under_the_cap_is_paid_in_full():
    r = reward(factory(), [paid(249_999_999)])
    assert r.capital_reward_rmb == Decimal("9999999.96") and not r.capped


@pytest.mark.parametrize("category", ["real_estate", "finance", "quasi_finance"])
def test_real_estate_and_finance_earn_nothing(category):
    r = reward(project(industry_category=category), [paid(50_000_000)])
    assert r.capital_reward_rmb == 0 and r.tier is None and "excluded_category" in codes(r)


def test_2022_inflows_earn_nothing():
    r = reward(factory(), [paid(50_000_000, 2022)], 2022)
    assert r.capital_reward_rmb == 0 and "before_first_year" in codes(r)
    assert reward(factory(), [paid(50_000_000, 2022)], 2023).counted_usd == 0


def test_archived_inflows_never_count():
    r = reward(project(), [paid(8_000_000), paid(5_000_000, archived=True)])
    assert r.counted_usd == 8_000_000 and r.capital_reward_rmb == 0


def test_an_archived_project_earns_nothing():
    r = reward(factory(archived=True), [paid(50_000_000)])
    assert r.capital_reward_rmb == 0 and "archived" in codes(r)


def test_a_recognised_rd_centre_earns_its_one_off_reward_outside_the_cap():
    p = factory(rd_centre=True, rd_centre_recognised_on=date(2024, 4, 1))
    flows = [paid(300_000_000, 2024)]
    r2024 = reward(p, flows, 2024)
    assert r2024.rd_centre_rmb == Decimal("2000000.00") and r2024.capital_reward_rmb == Decimal("10000000.00")
    assert r2024.total_rmb == Decimal("12000000.00")
    assert reward(p, [paid(300_000_000, 2025)], 2025).rd_centre_rmb == 0


def test_an_rd_centre_recognised_in_2022_earns_nothing():
    r = reward(project(rd_centre=True, rd_centre_recognised_on=date(2022, 9, 1)), [], 2022)
    assert r.rd_centre_rmb == 0 and "rd_before_first_year" in codes(r)


def test_it_lists_every_year_with_capital_or_a_recognition():
    p = factory(rd_centre=True, rd_centre_recognised_on=date(2025, 2, 1))
    years = project_rewards(p, [paid(20_000_000, 2022), paid(31_000_000, 2023), paid(1, 2024, archived=True)], POLICY)
    assert [(y.year, y.total_rmb) for y in years] == [
        (2022, Decimal("0.00")), (2023, Decimal("1240000.00")), (2025, Decimal("2000000.00"))]


def test_capital_already_rewarded_by_another_scheme_is_flagged_and_withheld():
    """按照同一方向不重复支持 (the plan as issued): the same purpose is not supported twice."""
    p = factory(capital_support_elsewhere="两江新区外资奖励", rd_centre=True, rd_centre_recognised_on=date(2024, 4, 1))
    r = reward(p, [paid(50_000_000, 2024)], 2024)
    assert r.capital_reward_rmb == 0 and r.withheld_rmb == Decimal("2000000.00")
    assert r.rd_centre_rmb == Decimal("2000000.00") and r.total_rmb == Decimal("2000000.00")
    twice = next(x for x in r.reasons if x.code == "double_support")
    assert "两江新区外资奖励" in twice.zh and "不重复支持" in twice.zh and "not given twice" in twice.en


def test_an_rd_centre_rewarded_elsewhere_keeps_its_capital_reward():
    p = factory(rd_support_elsewhere="市级研发机构奖励", rd_centre=True, rd_centre_recognised_on=date(2024, 4, 1))
    r = reward(p, [paid(50_000_000, 2024)], 2024)
    assert (r.capital_reward_rmb, r.rd_centre_rmb, r.withheld_rmb) == (
        Decimal("2000000.00"), Decimal("0.00"), Decimal("2000000.00"))


def test_support_elsewhere_withholds_nothing_when_there_is_nothing_to_pay():
    r = reward(factory(capital_support_elsewhere="另一项目"), [paid(5_000_000, 2024)], 2024)
    assert r.withheld_rmb == 0 and "double_support" not in codes(r)


def test_the_rule_against_double_support_comes_from_policy():
    p = factory(capital_support_elsewhere="两江新区外资奖励")
    assert reward(p, [paid(50_000_000, 2024)], 2024, edited(no_double_support=False)).capital_reward_rmb == Decimal(
        "2000000.00")
    with pytest.raises(ValidationFailed):
        edited(no_double_support="yes")


def test_the_tier_picked_is_the_best_one_that_fits():
    assert pick_tier(30_000_001, True, POLICY).name == "manufacturing"
    assert pick_tier(30_000_001, False, POLICY).name == "general"
    assert pick_tier(10_000_000, True, POLICY) is None


def test_every_reason_speaks_both_languages():
    r = reward(factory(), [paid(300_000_000), paid(1_000_000, kind="shareholder_loan")])
    assert codes(r) == ["not_counted", "base", "tier", "capped"]
    assert all(x.zh and x.en for x in r.reasons)
    assert "不低于4%" in r.reasons[2].zh and "at least 4%" in r.reasons[2].en


def edited(**changes) -> IncentivePolicy:
    data = copy.deepcopy(load_policy())
    data["incentives"].update(changes)
    return IncentivePolicy.load(data)


def test_the_figures_come_from_policy_not_code():
    policy = edited(first_year=2022, cap_rmb_per_project_year=100_000, base_usd_to_rmb_rate=7.1,
                    eligible_kinds=["new"], counted_kinds=["equity", "shareholder_loan"])
    r = reward(project(), [paid(5_000_000, 2022), paid(6_000_000, 2022, kind="shareholder_loan")], 2022, policy)
    assert r.base == Decimal("78100000.00") and r.uncapped_rmb == Decimal("1562000.00")
    assert r.capital_reward_rmb == Decimal("100000.00")
    assert reward(project(kind="capital_increase"), [paid(50_000_000)], 2023, policy).capital_reward_rmb == 0


def test_a_broken_incentives_policy_is_refused():
    data = copy.deepcopy(load_policy())
    del data["incentives"]["tiers"]
    with pytest.raises(ValidationFailed):
        IncentivePolicy.load(data)
