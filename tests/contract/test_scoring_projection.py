"""Scoring's projection queries on every engine: aggregated in Cypher, portable, few per call."""
from datetime import datetime, timezone

import pytest

from scoring.gaps import analyse_gaps
from scoring.policy import scoring_policy
from scoring.projection import project_candidates, project_chains
from scoring.ranking import rank, rank_candidates
from tests.scoring_factories import NOW, make_world


class Counting:
    """A store that counts the reads scoring makes (one query per projection, not per link)."""

    def __init__(self, store):
        self.store, self.reads = store, 0

    def read(self, query, params=None):
        self.reads += 1
        return self.store.read(query, params)


@pytest.fixture
def world(store):
    make_world(store)
    return store


def test_it_projects_links_feeds_and_local_coverage_in_one_query_and_local_buyers_in_another(world):
    counting = Counting(world)
    G = project_chains(counting)
    assert counting.reads == 2
    assert sorted(G.edges) == [("chips.power", "nev.vehicle"), ("nev.cell", "nev.pack"),
                               ("nev.pack", "nev.vehicle"), ("nev.separator", "nev.cell"),
                               ("nev.vehicle", "nev.recycling")]
    cell = G.nodes["nev.cell"]
    assert {k: cell[k] for k in ("chain_id", "tier", "high_tech", "in_focus", "makers", "local_makers",
                                 "local_leading", "local_fg500", "best_fg500_rank", "member")} == {
        "chain_id": "nev", "tier": "lead", "high_tech": True, "in_focus": True, "makers": 2, "local_makers": 1,
        "local_leading": 1, "local_fg500": 1, "best_fg500_rank": 292, "member": True}
    assert G.nodes["nev.separator"]["local_makers"] == 0
    assert G.nodes["chips.power"]["local_makers"] == 1  # the Chongqing subsidiary is the local maker
    assert G.nodes["nev.recycling"]["in_focus"] is False


def test_a_chain_projection_brings_neighbouring_links_of_other_chains_as_non_members(world):
    G = project_chains(world, "chips")
    assert {n: G.nodes[n]["member"] for n in G} == {"chips.power": True, "nev.vehicle": False}
    assert list(G.edges) == [("chips.power", "nev.vehicle")]
    assert G.nodes["nev.vehicle"]["local_makers"] == 1


def test_candidates_are_makers_with_no_local_entity_making_the_link(world):
    counting = Counting(world)
    pool = project_candidates(counting)
    assert counting.reads <= 6
    assert pool.makers == {"nev.separator": ("asahi", "lg", "semcorp"), "nev.cell": ("lg",),
                           "nev.pack": ("bosch",), "chips.power": ("infineon",)}
    assert "catl" not in pool.companies and "bosch_cq" not in pool.companies


def test_candidates_carry_standing_local_customers_other_gaps_and_leads(world):
    pool = project_candidates(world)
    lg = pool.companies["lg"]
    assert (lg.country, lg.multinational, lg.local_customers, lg.uncovered_made) == ("KR", True, 1, 1)
    assert pool.companies["asahi"].fg500_rank == 480
    [lead] = pool.leads[("asahi", "nev.separator")]
    assert (lead.lead_id, lead.stage) == ("lead-1", "negotiating")
    assert lead.last_followup_at == datetime(2026, 2, 20, tzinfo=timezone.utc)


def test_landing_districts_are_current_ones_with_their_focus_and_local_makers(world):
    districts = {d.id: d for d in project_candidates(world).districts}
    assert set(districts) == {"500157", "500106"}
    assert districts["500157"].focus == frozenset({"nev"})
    assert dict(districts["500157"].local_makers) == {"nev": 2}
    assert dict(districts["500106"].local_makers) == {"nev": 1, "chips": 1}


def test_a_chain_scoped_pool_holds_only_that_chain_s_links(world):
    pool = project_candidates(world, "chips")
    assert pool.makers == {"chips.power": ("infineon",)}
    assert set(pool.companies) == {"infineon", "bosch"}
    assert pool.leads == {}


def test_it_analyses_gaps_and_ranks_candidates_from_the_store(world):
    gaps = {g.link_id: g.action for g in analyse_gaps(world)}
    assert gaps == {"nev.separator": "supplement", "nev.cell": "stabilise", "nev.pack": "stabilise",
                    "nev.vehicle": "strengthen", "nev.recycling": "extend", "chips.power": "strengthen"}
    ranked = rank_candidates(world, now=NOW)
    assert ranked[0].link_id == "nev.separator"
    assert {(c.company_id, c.link_id) for c in ranked} == {
        ("asahi", "nev.separator"), ("lg", "nev.separator"),
        ("lg", "nev.cell"), ("bosch", "nev.pack"), ("infineon", "chips.power")}
    assert [(c.company_id, c.link_id) for c in rank_candidates(world, now=NOW, market="domestic")] == [
        ("semcorp", "nev.separator")]
    asahi = next(c for c in ranked if c.company_id == "asahi")
    assert asahi.district_id == "500157" and asahi.lead_id == "lead-1" and asahi.factors["engagement"] > 0
    only = rank_candidates(world, "chips", now=NOW)
    assert [(c.company_id, c.district_id) for c in only] == [("infineon", "500106")]


def test_a_link_scoped_pool_ranks_that_link_as_the_chain_pool_does(world):
    pool = project_candidates(world, "nev", link_id="nev.separator")
    assert pool.makers == {"nev.separator": ("asahi", "lg", "semcorp")}
    assert set(pool.leads) == {("asahi", "nev.separator")}
    gap = next(g for g in analyse_gaps(world, "nev") if g.link_id == "nev.separator")
    policy = scoring_policy()
    alone = [(c.company_id, c.score, c.lead_id) for c in rank([gap], pool, policy, now=NOW)]
    in_chain = [(c.company_id, c.score, c.lead_id) for c in rank([gap], project_candidates(world, "nev"), policy,
                                                                 now=NOW)]
    assert alone == in_chain and len(alone) == 2
