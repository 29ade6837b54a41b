"""Lead ranking: weighted named factors, explained, deterministic, on plain data."""
import doctest
from dataclasses import asdict
from datetime import timedelta

import pytest

import scoring.factors
from scoring.gaps import link_gaps
from scoring.policy import FACTORS
from scoring.projection import LeadFacts
from scoring.ranking import candidate_snapshot, rank
from tests.scoring_factories import NOW, POLICY, company, covered, district, link, link_graph, pool, strong


def gaps(**links):
    return link_gaps(link_graph(links), POLICY.gaps)


def ranked(gap_list, candidate_pool, policy=POLICY, **kw):
    return list(rank(gap_list, candidate_pool, policy, now=NOW, **kw))


def by_company(candidates):
    return {c.company_id: c for c in candidates}


def test_the_factor_examples_hold():
    assert doctest.testmod(scoring.factors).failed == 0


def test_it_ranks_every_maker_of_every_link_it_is_given():
    found = ranked(gaps(separator=link(), motor=covered(4)), pool({"separator": ["a", "b"], "motor": ["b"]}))
    assert sorted((c.company_id, c.link_id) for c in found) == [("a", "separator"), ("b", "motor"),
                                                                ("b", "separator")]


def test_a_fortune_global_500_firm_outranks_an_unknown_one_for_the_same_gap():
    found = ranked(gaps(separator=link()), pool({"separator": ["unknown", "asahi"]},
                                                [company("asahi", fg500_rank=12, multinational=True)]))
    assert [c.company_id for c in found] == ["asahi", "unknown"]
    assert "该企业为世界500强第 12 位" in found[0].reason_zh
    assert "Fortune Global 500 #12" in found[0].reason_en


def test_an_unknown_rank_earns_no_standing_and_the_reason_says_so():
    """Issue 15: a rank nobody could source is unknown, not a guess: no points from it, and the reason says why."""
    found = ranked(gaps(separator=link()), pool({"separator": ["guessed", "plain"]},
                                                [company("guessed", fg500_unknown=True), company("plain")]))
    by_id = {c.company_id: c for c in found}
    assert by_id["guessed"].factors["standing"] == by_id["plain"].factors["standing"]
    assert "世界500强排名未知（无可靠来源，不计分）" in by_id["guessed"].reason_zh
    assert "Fortune Global 500 rank unknown (not sourced, no points)" in by_id["guessed"].reason_en
    assert "500强" not in by_id["plain"].reason_zh


def test_a_severer_gap_ranks_its_makers_higher():
    found = ranked(gaps(missing=link(), healthy=strong()), pool({"missing": ["x"], "healthy": ["x"]}))
    assert [c.link_id for c in found] == ["missing", "healthy"]
    assert found[0].factors["gap"] > found[1].factors["gap"] == 0.0


@pytest.mark.parametrize("factor, strong_one", [
    ("standing", company("star", fg500_rank=5, multinational=True, leading=True, revenue_usd_m=90000.0)),
    ("synergy", company("star", local_customers=3, uncovered_made=4)),
    ("policy_fit", company("star", country="US")),
])
def test_raising_a_factor_s_weight_raises_the_scores_of_companies_strong_on_it(factor, strong_one):
    candidate_pool = pool({"separator": ["star", "plain"]}, [strong_one, company("plain", country=None)])
    gap_list = gaps(separator=link())
    before = by_company(ranked(gap_list, candidate_pool))
    after = by_company(ranked(gap_list, candidate_pool, POLICY.with_weight(factor, POLICY.ranking.weights[factor] + 0.3)))
    assert after["star"].factors[factor] > after["plain"].factors[factor]
    assert after["star"].score > before["star"].score
    assert after["star"].score - before["star"].score > after["plain"].score - before["plain"].score


def test_the_ranking_is_deterministic_and_breaks_ties_by_company_then_link():
    gap_list = gaps(b_link=link(), a_link=link())
    candidate_pool = pool({"a_link": ["zeta", "alpha"], "b_link": ["alpha", "zeta"]})
    first, again = ranked(gap_list, candidate_pool), ranked(gap_list, candidate_pool)
    assert first == again
    assert [(c.company_id, c.link_id) for c in first] == [
        ("alpha", "a_link"), ("alpha", "b_link"), ("zeta", "a_link"), ("zeta", "b_link")]
    assert [c.rank for c in first] == [1, 2, 3, 4]


def test_every_candidate_carries_factors_in_0_1_that_add_up_to_its_score():
    candidate_pool = pool({"separator": ["asahi"], "motor": ["asahi"]},
                          [company("asahi", fg500_rank=300, multinational=True, local_customers=1, uncovered_made=2)],
                          districts=[district("500157", focus=["nev"], nev=3)])
    weights = POLICY.ranking.weights
    for c in ranked(gaps(separator=link(high_tech=True), motor=covered(1)), candidate_pool):
        assert set(c.factors) == set(FACTORS)
        assert all(0.0 <= v <= 1.0 for v in c.factors.values())
        assert c.score == pytest.approx(100 * sum(weights[k] * c.factors[k] for k in FACTORS), abs=1e-3)


def test_every_candidate_has_a_one_line_reason_in_chinese_and_english():
    [c] = ranked(gaps(separator=link(name_zh="动力电池隔膜", name_en="Battery separators")),
                 pool({"separator": ["asahi"]}, [company("asahi", fg500_rank=7)],
                      districts=[district("500157", focus=["nev"])]))
    assert c.reason_zh == "补链：本地无动力电池隔膜企业；该企业为世界500强第 7 位；建议落地区500157"
    assert c.reason_en == ("Supplement: no local maker of Battery separators; Fortune Global 500 #7; "
                           "proposed landing: District 500157")


def test_synergy_counts_other_gaps_but_not_the_link_itself():
    [c] = ranked(gaps(separator=link()), pool({"separator": ["lg"]}, [company("lg", uncovered_made=1)]))
    assert c.factors["synergy"] == 0.0 and "另产本地缺失环节" not in c.reason_zh
    [c] = ranked(gaps(separator=link()), pool({"separator": ["lg"]}, [company("lg", uncovered_made=3)]))
    assert c.factors["synergy"] > 0 and "另产本地缺失环节 2 个" in c.reason_zh


def test_an_existing_lead_and_a_recent_follow_up_raise_engagement():
    lead = LeadFacts("lead-7", "negotiating", NOW - timedelta(days=9))
    old = LeadFacts("lead-8", "contacted", NOW - timedelta(days=400))
    found = by_company(ranked(gaps(separator=link()), pool(
        {"separator": ["hot", "cold", "none"]},
        leads={("hot", "separator"): [lead], ("cold", "separator"): [old]})))
    rules = POLICY.ranking
    assert found["hot"].factors["engagement"] == pytest.approx(
        rules.engagement_weights["stage"] * 1.0 + rules.engagement_weights["recent_followup"] * 0.9, abs=1e-4)
    assert found["hot"].factors["engagement"] > found["cold"].factors["engagement"] > found["none"].factors["engagement"]
    assert (found["hot"].lead_id, found["hot"].lead_stage) == ("lead-7", "negotiating")
    assert "已有线索（洽谈中）" in found["hot"].reason_zh


def test_it_lands_a_firm_where_districts_focus_on_the_chain_and_it_already_clusters():
    districts = [district("500106", focus=["nev"], nev=1), district("500157", focus=["nev"], nev=4),
                 district("500103", nev=9)]
    [c] = ranked(gaps(separator=link()), pool({"separator": ["x"]}, districts=districts))
    assert (c.district_id, c.district_name_zh) == ("500157", "区500157")
    assert c.factors["district"] == pytest.approx(0.7 + 0.3 * 4 / 14, abs=1e-4)


def test_with_no_district_for_the_chain_it_proposes_none():
    [c] = ranked(gaps(separator=link()), pool({"separator": ["x"]}, districts=[district("500106", focus=["chips"])]))
    assert (c.district_id, c.factors["district"]) == (None, 0.0)


def test_it_filters_by_action_and_keeps_the_top():
    gap_list = gaps(missing=link(), weak=covered(8), **{f"d{i}": strong() for i in range(2)})
    candidate_pool = pool({"missing": ["a", "b", "c"], "weak": ["a"]})
    assert {c.action for c in ranked(gap_list, candidate_pool, action="strengthen")} == {"strengthen"}
    assert [c.company_id for c in ranked(gap_list, candidate_pool, action="supplement", top=2)] == ["a", "b"]


def test_the_ranking_reads_like_a_list():
    result = rank(gaps(separator=link()), pool({"separator": ["a", "b", "c"]}), POLICY, now=NOW)
    assert len(result) == 3
    assert result[-1].rank == 3 and [c.rank for c in result[1:]] == [2, 3]
    with pytest.raises(IndexError):
        result[3]


def test_a_candidate_becomes_lead_data_with_its_score_snapshot():
    [c] = ranked(gaps(separator=link(name_zh="隔膜")), pool({"separator": ["asahi"]}, [company("asahi")],
                                                          districts=[district("500157", focus=["nev"])]))
    data = candidate_snapshot(c, policy=POLICY, at=NOW)
    assert {k: data[k] for k in ("company_id", "link_id", "district_id", "source")} == {
        "company_id": "asahi", "link_id": "separator", "district_id": "500157", "source": "ranking"}
    assert data["title"] == "asahi公司 · 隔膜"  # the action is shown from the snapshot, in the reader's language
    snap = data["score_factors"]
    assert snap["factors"] == c.factors and snap["weights"] == dict(POLICY.ranking.weights)
    assert snap["action"] == "supplement" and snap["reason_zh"] == c.reason_zh
    assert snap["scored_at"] == NOW.isoformat()
    assert asdict(c)["factors"] == c.factors


def test_with_no_makers_the_ranking_is_empty():
    result = rank(gaps(separator=link(makers=0)), pool({}), POLICY, now=NOW)
    assert len(result) == 0 and list(result) == [] and result[:10] == []
