"""The supply–demand signal (issue 14, item 6): for a link no local firm makes, how many local firms make a
link it feeds (they buy it from outside) and in how many districts; said in the gap's reasons, shown in the
link panel and the map, listed per district, and a ranking factor with its weight in policy."""
from __future__ import annotations

import pytest

from scoring.gaps import analyse_gaps, link_gaps
from scoring.projection import local_buyers, makers_by_district, project_chains
from scoring.ranking import rank
from tests.scoring_factories import NOW, POLICY, covered, link, link_graph, make_world, pool


def gap_of(**links):
    return {g.link_id: g for g in link_gaps(link_graph(links), POLICY.gaps)}


def test_a_missing_link_with_local_buyers_says_so_in_its_reasons():
    g = gap_of(separator=link(local_buyers=4, buyer_districts=2))["separator"]
    assert (g.local_buyers, g.buyer_districts) == (4, 2)
    assert "本地 4 家企业（2 个区县）需从外地采购" in g.summary_zh
    assert "4 local firm(s) in 2 district(s) buy this from outside" in g.summary_en


def test_a_covered_link_does_not_claim_its_buyers_buy_from_outside():
    g = gap_of(cell=covered(1, local_buyers=5, buyer_districts=2))["cell"]
    assert "需从外地采购" not in g.summary_zh


@pytest.mark.parametrize("buyers, factor", [(0, 0.0), (3, 0.5), (9, 0.75)])
def test_the_demand_factor_saturates_at_the_policy_s_half(buyers, factor):
    gaps = link_gaps(link_graph({"separator": link(local_buyers=buyers, buyer_districts=1)}), POLICY.gaps)
    [c] = rank(gaps, pool({"separator": ["asahi"]}), POLICY, now=NOW)
    assert c.factors["demand"] == factor
    assert POLICY.ranking.buyers_half == 3 and POLICY.ranking.weights["demand"] == 0.05


@pytest.fixture
def world(store):
    make_world(store)
    return store


def test_the_store_counts_local_buyers_by_district_as_of_a_day(world):
    # world: separator feeds cell (CATL, present in 两江新区 500157); cell feeds pack (packco, 沙坪坝区 500106)
    G = project_chains(world, "nev")
    assert local_buyers(G, makers_by_district(world, "nev"))["nev.separator"] == {"500157": {"catl"}}
    separator = next(g for g in analyse_gaps(world, "nev") if g.link_id == "nev.separator")
    assert (separator.local_makers, separator.local_buyers, separator.buyer_districts) == (0, 1, 1)


def test_a_district_lists_the_links_its_firms_buy_from_outside(world):
    from scoring.supply_demand import bought_from_outside

    found = bought_from_outside(world, "500157")
    assert [(r.link_id, [b["id"] for b in r.buyers]) for r in found["500157"]] == [("nev.separator", ["catl"])]
    assert bought_from_outside(world, "500106") == {}
