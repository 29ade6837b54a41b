"""FDI KPIs on hand-computed figures: growth, manufacturing share, high tech, and the two measures apart."""
import copy
from datetime import date

import pytest

from crm.errors import ValidationFailed
from crm.reports.kpis import FlowFact, fdi_by_year, kpi_report, periods
from crm.policy import load_policy


def flow(day, usd, kind="equity", **flags):
    return FlowFact(received_on=day, amount_usd=usd, kind=kind, **flags)


MFG_HT = {"manufacturing": True, "high_tech": True}
FACTS = [
    # 2023: FDI 100 M (60 M high-tech manufacturing, 40 M high-tech services); utilised adds a 50 M loan.
    flow(date(2023, 2, 1), 60_000_000, **MFG_HT),
    flow(date(2023, 5, 1), 50_000_000, "shareholder_loan", manufacturing=True),
    flow(date(2023, 9, 1), 40_000_000, industry_category="high_tech_services"),
    # 2024: FDI 115 M (65 M manufacturing, of which 30 M high tech); utilised adds a 10 M loan.
    flow(date(2024, 3, 1), 30_000_000, **MFG_HT),
    flow(date(2024, 6, 1), 50_000_000, "reinvested_profit"),
    flow(date(2024, 11, 15), 35_000_000, manufacturing=True),
    flow(date(2024, 12, 1), 10_000_000, "shareholder_loan", manufacturing=True),
]


def measure(report, key):
    return next(m for m in report.measures if m.key == key)


def test_it_keeps_the_fdi_measure_and_utilised_capital_apart_and_labelled():
    report = kpi_report(FACTS, year=2024)
    fdi, utilised = measure(report, "fdi"), measure(report, "utilised")
    assert (fdi.current.total_usd, fdi.previous.total_usd) == (115_000_000, 100_000_000)
    assert (utilised.current.total_usd, utilised.previous.total_usd) == (125_000_000, 150_000_000)
    assert fdi.is_target_measure and not utilised.is_target_measure
    assert fdi.label_zh == "外商直接投资（商务部口径）" and utilised.label_zh == "实际利用外资"


def test_it_computes_growth_on_the_year_before_against_ten_percent():
    report = kpi_report(FACTS, year=2024)
    assert measure(report, "fdi").growth == pytest.approx(0.15)
    assert measure(report, "utilised").growth == pytest.approx(125 / 150 - 1)
    growth = report.check("growth")
    assert (growth.value, growth.target, growth.status) == (pytest.approx(0.15), 0.10, "on_track")


def test_exactly_ten_percent_growth_is_on_track_and_less_is_not():
    base = [flow(date(2023, 1, 5), 100_000_000)]
    assert kpi_report(base + [flow(date(2024, 1, 5), 110_000_000)], year=2024).check("growth").status == "on_track"
    assert kpi_report(base + [flow(date(2024, 1, 5), 109_999_999)], year=2024).check("growth").status == "off_track"
    assert kpi_report(base, year=2023).check("growth").status == "no_data"


def test_it_computes_the_manufacturing_share_of_fdi_against_the_issued_plans_30_percent_floor():
    report = kpi_report(FACTS, year=2024)
    share = report.check("manufacturing_share")
    assert share.value == pytest.approx(65 / 115) and share.status == "on_target"
    assert share.target == 0.30 and "30%以上" in share.zh and "at least 30%" in share.en


@pytest.mark.parametrize("manufacturing_usd, status", [
    (29_999_999, "below"), (30_000_000, "on_target"), (30_000_001, "on_target"), (95_000_000, "on_target")])
def test_30_percent_or_more_is_a_floor_not_a_band(manufacturing_usd, status):
    """制造业吸收外资占比30%以上 (issued 2022-09-20): any share at or above 30 % is on target."""
    facts = [flow(date(2024, 4, 1), manufacturing_usd, manufacturing=True),
             flow(date(2024, 4, 1), 100_000_000 - manufacturing_usd)]
    assert kpi_report(facts, year=2024).check("manufacturing_share").status == status


def test_the_growth_target_is_the_issued_plans_10_percent():
    report = kpi_report([flow(date(2024, 1, 5), 1)], year=2024)
    growth = report.check("growth")
    assert growth.target == 0.10 and "10%" in growth.zh


def test_it_reports_high_tech_manufacturing_and_services_amounts_shares_and_direction():
    report = kpi_report(FACTS, year=2024)
    fdi = measure(report, "fdi")
    assert fdi.current.high_tech_manufacturing_usd == 30_000_000
    assert fdi.current.share("high_tech_manufacturing_usd") == pytest.approx(30 / 115)
    assert (fdi.previous.high_tech_manufacturing_usd, fdi.previous.high_tech_services_usd) == (60_000_000, 40_000_000)
    assert report.check("high_tech_manufacturing").status == "not_rising"
    assert report.check("high_tech_manufacturing").value == pytest.approx(-0.5)
    assert report.check("high_tech_services").status == "not_rising"


def test_a_high_tech_flag_on_a_service_project_is_not_high_tech_manufacturing():
    facts = [flow(date(2024, 1, 1), 10_000_000, high_tech=True)]
    assert measure(kpi_report(facts, year=2024), "fdi").current.high_tech_manufacturing_usd == 0


def test_as_of_compares_the_same_period_of_the_year_before():
    report = kpi_report(FACTS, year=2024, as_of=date(2024, 6, 30))
    fdi = measure(report, "fdi")
    assert (report.period.end, report.previous_period.end) == (date(2024, 6, 30), date(2023, 6, 30))
    assert (fdi.current.total_usd, fdi.previous.total_usd) == (80_000_000, 60_000_000)
    assert fdi.growth == pytest.approx(1 / 3)


def test_a_leap_day_compares_with_the_last_day_of_february():
    current, previous = periods(2024, date(2024, 2, 29))
    assert (current.end, previous.end) == (date(2024, 2, 29), date(2023, 2, 28))


def test_as_of_before_the_year_is_refused():
    with pytest.raises(ValidationFailed):
        periods(2024, date(2023, 12, 31))


def test_it_totals_fdi_by_year_under_each_measure():
    assert fdi_by_year(FACTS) == {"fdi": {2023: 100_000_000, 2024: 115_000_000},
                                  "utilised": {2023: 150_000_000, 2024: 125_000_000}}


def test_the_targets_and_measures_come_from_policy():
    data = copy.deepcopy(load_policy())
    data["targets"]["fdi_growth_min"] = 0.20
    data["fdi_measures"]["target_measure"] = "utilised"
    report = kpi_report(FACTS, year=2024, policy=data)
    assert report.target.key == "utilised" and report.check("growth").status == "off_track"
    assert report.check("growth").target == 0.20
