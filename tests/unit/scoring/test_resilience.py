"""The chain resilience index (issue 14, item 5): its formula pinned on a hand-made chain, the city's
index over every chain, weekly snapshots with their trend and the links that moved it."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from crm.base.access import SYSTEM
from crm.library.presence import end_presence
from scoring.gaps import link_gaps
from scoring.resilience import ResiliencePolicy, movers, resilience, resilience_of
from scoring.resilience_trend import snapshot, trend
from tests.scoring_factories import POLICY, covered, link, link_graph, make_world

RP = ResiliencePolicy({"coverage": 0.4, "single_source": 0.25, "depth": 0.2, "outside": 0.15}, 0.5, 2)
DAY = date(2026, 3, 1)
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)


def chain_gaps():
    """a → b → c → d: a missing (bought by b's maker), b with one maker, c with two, d with two."""
    G = link_graph({"a": link(local_buyers=1, buyer_districts=1), "b": covered(1), "c": covered(2),
                    "d": covered(2)}, feeds=[("a", "b"), ("b", "c"), ("c", "d")])
    return link_gaps(G, POLICY.gaps)


def test_the_index_follows_its_formula_on_a_hand_made_chain():
    gaps = chain_gaps()
    crit = {g.link_id: g.criticality for g in gaps}
    r = resilience_of(gaps, chain_id="nev", day=DAY, policy=RP)
    coverage = (crit["b"] + crit["c"] + crit["d"]) / sum(crit.values())
    critical = [k for k, v in crit.items() if v >= 0.5]
    single = sum(1 for k in critical if k == "b") / len(critical)
    depth = (1 / 3 + 2 / 4 + 2 / 4) / 3
    outside = 1.0  # the only link with local buyers, a, has no local maker
    assert r.parts == {"coverage": round(coverage, 4), "single_source": round(single, 4), "depth": round(depth, 4),
                       "outside": outside}
    expected = 100 * (0.4 * r.parts["coverage"] + 0.25 * (1 - r.parts["single_source"]) + 0.2 * r.parts["depth"]
                      + 0.15 * (1 - outside))
    assert r.index == round(expected, 2) and 0 < r.index < 100


def test_a_landed_supplier_raises_the_index_and_is_named_as_the_mover():
    before = resilience_of(chain_gaps(), chain_id="nev", day=DAY, policy=RP)
    G = link_graph({"a": covered(1, local_buyers=1, buyer_districts=1), "b": covered(1), "c": covered(2),
                    "d": covered(2)}, feeds=[("a", "b"), ("b", "c"), ("c", "d")])
    after = resilience_of(link_gaps(G, POLICY.gaps), chain_id="nev", day=DAY, policy=RP)
    assert after.index > before.index
    assert [(m.link_id, m.what) for m in movers(before.states, after.states)][:2] == [
        ("a", "covered"), ("a", "supplied_here")]


def test_the_policy_weights_must_sum_to_one():
    with pytest.raises(Exception, match="resilience"):
        ResiliencePolicy.load({"scoring": {"resilience": {"weights": {"coverage": 1, "single_source": 1, "depth": 0,
                                                                      "outside": 0},
                                                          "critical_from": 0.5, "depth_half": 2}}})


@pytest.fixture
def world(store):
    make_world(store)
    return store


def test_each_chain_and_the_city_are_measured_and_kept_weekly_with_their_trend(world):
    found = resilience(world, as_of=DAY)
    assert set(found) == {"nev", "chips", None} and found[None].links == 6
    assert snapshot(world, date(2026, 2, 22), now=NOW) == 3
    end_presence(world, "catl", "500157", until=date(2026, 2, 25), reason="relocation", actor=SYSTEM, now=NOW)
    assert snapshot(world, date(2026, 3, 1), now=NOW) == 3
    points, moved = trend(world, "nev", until=DAY)
    assert [p.week for p in points] == ["2026-W08", "2026-W09"] and points[1].index < points[0].index
    assert ("nev.cell", "uncovered") in [(m.link_id, m.what) for m in moved]
    assert trend(world, None, until=DAY)[0][-1].index < trend(world, None, until=DAY)[0][0].index
