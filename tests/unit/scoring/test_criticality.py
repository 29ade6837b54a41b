"""Criticality: how much local output hangs on a link, on hand-built FEEDS graphs."""
import doctest

import networkx as nx
import pytest

import scoring.criticality
from scoring.criticality import chain_betweenness, criticality, downstream_reach, local_makers_downstream, measures
from tests.scoring_factories import covered, link, link_graph

WEIGHTS = {"downstream_reach": 0.4, "local_makers_downstream": 0.3, "betweenness": 0.3}


def test_its_examples_hold():
    assert doctest.testmod(scoring.criticality).failed == 0


def test_it_counts_covered_links_downstream_not_uncovered_ones():
    G = link_graph({"a": link(), "b": covered(2), "c": link(), "d": covered(3)},
                   [("a", "b"), ("b", "c"), ("c", "d")])
    assert downstream_reach(G) == {"a": 2, "b": 1, "c": 1, "d": 0}
    assert local_makers_downstream(G) == {"a": 5, "b": 3, "c": 3, "d": 0}


def test_it_counts_each_downstream_link_once_when_paths_fork_and_join():
    G = link_graph({"a": link(), "b": covered(1), "c": covered(1), "d": covered(1)},
                   [("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")])
    assert downstream_reach(G)["a"] == 3


def test_it_stays_inside_the_link_s_own_chain():
    G = link_graph({"a": link(), "b": covered(1), "x": covered(9, chain_id="other")}, [("a", "b"), ("a", "x")])
    assert downstream_reach(G)["a"] == 1
    assert local_makers_downstream(G)["a"] == 1


def test_it_copes_with_a_cycle_of_feeds():
    G = link_graph({"a": covered(1), "b": covered(1), "c": covered(1)}, [("a", "b"), ("b", "c"), ("c", "a")])
    assert downstream_reach(G) == {"a": 2, "b": 2, "c": 2}


def test_betweenness_is_scaled_to_the_busiest_link_of_each_chain():
    G = link_graph({"a": link(), "b": link(), "c": link(),
                    "x": link(chain_id="other"), "y": link(chain_id="other"), "z": link(chain_id="other")},
                   [("a", "b"), ("b", "c"), ("x", "y"), ("x", "z")])
    between = chain_betweenness(G)
    assert between["b"] == 1.0 and between["a"] == between["c"] == 0.0
    assert between == {**between, "x": 0.0, "y": 0.0, "z": 0.0}


def test_criticality_grows_with_local_output_downstream():
    G = link_graph({"hub": covered(1), "lone": covered(1), "p": covered(2), "q": covered(3), "r": covered(4)},
                   [("hub", "p"), ("hub", "q"), ("hub", "r")])
    crit = criticality(G, weights=WEIGHTS, reach_half=3, makers_half=10)
    assert crit["hub"] > crit["lone"] == 0.0
    assert 0.0 <= min(crit.values()) and max(crit.values()) <= 1.0


def test_criticality_reuses_measures_already_taken():
    G = link_graph({"a": link(), "b": covered(1)}, [("a", "b")])
    taken = measures(G)
    assert criticality(G, weights=WEIGHTS, reach_half=1, makers_half=1, measured=taken) == \
        pytest.approx(criticality(G, weights=WEIGHTS, reach_half=1, makers_half=1))


def test_it_does_not_change_the_graph():
    G = link_graph({"a": link(), "b": covered(1)}, [("a", "b")])
    before = (dict(G.nodes(data=True)), list(G.edges))
    criticality(G, weights=WEIGHTS, reach_half=1, makers_half=1)
    assert (dict(G.nodes(data=True)), list(G.edges)) == before
    assert isinstance(G, nx.DiGraph)
