"""The `scoring:` policy section: read once, checked, every figure from seeds/policy.yaml."""
import copy

import pytest

from crm.errors import ValidationFailed
from crm.policy import load_policy
from scoring.policy import FACTORS, parse_policy, scoring_policy


def test_it_reads_the_seed_policy():
    policy = scoring_policy()
    assert set(policy.ranking.weights) == set(FACTORS)
    assert sum(policy.ranking.weights.values()) == pytest.approx(1.0)
    assert policy.gaps.stabilise_max_local_makers == 2


def test_every_group_of_weights_sums_to_one():
    p = scoring_policy()
    for weights in (p.gaps.severity_mix, p.gaps.criticality_weights, p.gaps.priority_weights,
                    p.ranking.weights, p.ranking.standing_weights, p.ranking.synergy_weights,
                    p.ranking.policy_fit_weights, p.ranking.engagement_weights, p.ranking.district_weights):
        assert sum(weights.values()) == pytest.approx(1.0)


def test_a_missing_figure_is_named_with_its_full_key():
    data = copy.deepcopy(load_policy()["scoring"])
    del data["ranking"]["weights"]["gap"]
    with pytest.raises(ValidationFailed) as caught:
        parse_policy(data)
    assert "scoring.ranking.weights.gap" in str(caught.value.errors if hasattr(caught.value, "errors") else caught.value)


def test_a_weight_that_is_not_a_number_is_refused():
    data = copy.deepcopy(load_policy()["scoring"])
    data["gaps"]["severity_mix"]["base"] = "high"
    with pytest.raises(ValidationFailed):
        parse_policy(data)


def test_with_weight_changes_one_weight_and_refuses_unknown_factors():
    p = scoring_policy()
    assert p.with_weight("synergy", 0.5).ranking.weights["synergy"] == 0.5
    assert p.ranking.weights["synergy"] != 0.5
    with pytest.raises(ValidationFailed):
        p.with_weight("charm", 1.0)
