"""FDI-true targeting (issue 14, item 8): the candidates ranked for a gap are foreign investors (Hong
Kong, Macao and Taiwan count as foreign, as in China's FDI statistics); mainland firms are ranked apart
as domestic partners; a blank country is unknown and flagged, not domestic; a local subsidiary lends
its parent's standing to the health rules."""
from __future__ import annotations

import pytest

from scoring.gaps import analyse_gaps, link_gaps
from scoring.ranking import rank, rank_candidates
from tests.scoring_factories import NOW, POLICY, company, link, link_graph, make_world, pool


def ranked(candidate_pool, market="fdi"):
    return {c.company_id: c for c in rank(link_gaps(link_graph({"separator": link()}), POLICY.gaps),
                                          candidate_pool, POLICY, now=NOW, market=market)}


MAKERS = pool({"separator": ["cn", "hk", "mo", "tw", "de", "blank"]},
              [company("cn", country="CN"), company("hk", country="HK"), company("mo", country="MO"),
               company("tw", country="TW"), company("de", country="DE"), company("blank", country=None)])


def test_mainland_firms_are_never_fdi_candidates():
    assert "cn" not in ranked(MAKERS)


def test_hong_kong_macao_and_taiwan_investors_are_foreign_and_fit_the_fdi_policy():
    found = ranked(MAKERS)
    for cid in ("hk", "mo", "tw", "de"):
        assert found[cid].origin == "foreign"
        assert found[cid].factors["policy_fit"] == found["de"].factors["policy_fit"]
    assert found["hk"].factors["policy_fit"] > found["blank"].factors["policy_fit"]


def test_a_blank_country_is_unknown_and_flagged_for_the_data_steward_not_domestic():
    blank = ranked(MAKERS)["blank"]
    assert blank.origin == "unknown"
    assert "国别未知，待数据管理员核实" in blank.reason_zh
    assert "country unknown" in blank.reason_en
    assert "blank" not in ranked(MAKERS, market="domestic")


def test_mainland_firms_are_ranked_apart_as_domestic_partners():
    domestic = ranked(MAKERS, market="domestic")
    assert set(domestic) == {"cn"}
    assert domestic["cn"].origin == "domestic" and domestic["cn"].rank == 1


@pytest.fixture
def world(store):
    make_world(store)
    return store


def test_the_store_ranking_offers_foreign_firms_and_keeps_mainland_makers_apart(world):
    fdi = {c.company_id for c in rank_candidates(world, "nev", now=NOW)}
    domestic = {c.company_id for c in rank_candidates(world, "nev", now=NOW, market="domestic")}
    assert "semcorp" not in fdi and "semcorp" in domestic
    assert {"asahi", "lg"} <= fdi and not fdi & domestic


def test_a_local_subsidiary_lends_its_parents_standing_to_the_health_rules(world):
    power = next(g for g in analyse_gaps(world, "chips") if g.link_id == "chips.power")
    assert power.local_makers == 1
    assert not any(r.code == "no_fg500_or_multinational_local" for r in power.reasons)
