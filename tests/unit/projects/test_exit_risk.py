"""The exit-risk formula (固链) pinned on a small hand-made firm, under the shipped policy."""
from datetime import date

import pytest

from crm.errors import ValidationFailed
from crm.policy import load_policy
from crm.projects.exit_risk import Facts, score

TODAY = date(2026, 12, 4)


def test_a_quiet_firm_scores_zero_and_is_not_escalated():
    risk = score(Facts(inflows=[(date(2026, 3, 1), 1_000_000), (date(2025, 3, 1), 1_000_000)]), TODAY)
    assert (risk.score, risk.escalate, risk.signals) == (0, False, [])


def test_hand_made_firm_adds_each_signal_with_its_weight_and_escalates():
    facts = Facts(
        overdue_issues=[(date(2026, 9, 1), "用电增容"), (date(2026, 10, 1), "通关")],
        inflows=[(date(2026, 2, 1), 100_000), (date(2025, 6, 1), 1_000_000)],
        sole_critical_links=[("碳化硅功率器件", "SiC power devices")],
        recorded=[("lease_end", date(2027, 3, 31), "厂房租约 2027-03-31 到期")],
    )
    risk = score(facts, TODAY)
    # 15 + 15 (two overdue issues, cap 30) + 15 (shrinking: 0.1 M < 0.5 × 1 M) + 20 + 15 = 80
    assert risk.score == 80
    assert risk.escalate
    assert [s.kind for s in risk.signals] == [
        "lease_end", "sole_critical_maker", "inflow_shrinking", "overdue_issue", "overdue_issue"]
    oldest = risk.signals[-1]
    assert "94 days" in oldest.why_en and "（94 天）" in oldest.why_zh
    shrinking = risk.signals[2]
    assert shrinking.why_zh == "截至 2026-12-04 的 12 个月到资 100,000 美元，此前 12 个月 1,000,000 美元"
    assert risk.signals[1].why_zh == "关键环节“碳化硅功率器件”唯一的本地生产企业"


def test_overdue_issues_are_capped_and_the_score_at_max_score():
    issues = [(date(2026, m, 1), f"issue {m}") for m in range(1, 8)]
    risk = score(Facts(overdue_issues=issues), TODAY)
    assert risk.score == 30
    closure = [("parent_closure", date(2026, 11, 20), "母公司宣布关闭重庆工厂")]
    withdrawn = [(date(2026, 6, 1), -500_000)]
    risk = score(Facts(overdue_issues=issues, inflows=withdrawn, recorded=closure,
                       sole_critical_links=[("甲", "a"), ("乙", "b")]), TODAY)
    assert risk.score == 100  # 30 + 30 + 40 + 40 = 140, capped


def test_a_lease_ending_beyond_soon_days_is_not_a_signal_yet():
    far = [("lease_end", date(2028, 1, 1), "租约 2028 年到期")]
    assert score(Facts(recorded=far), TODAY).score == 0


def test_weights_come_from_policy():
    policy = {**load_policy(), "exit_risk": {**load_policy()["exit_risk"], "escalate_at": 20}}
    risk = score(Facts(sole_critical_links=[("某", "x")]), TODAY, policy)
    assert (risk.score, risk.escalate) == (20, True)


def test_an_unknown_recorded_kind_is_refused():
    with pytest.raises(ValidationFailed) as exc:
        score(Facts(recorded=[("rumour", TODAY, "?")]), TODAY)
    assert "kind" in exc.value.errors
