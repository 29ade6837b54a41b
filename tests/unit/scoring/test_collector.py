"""Scoring pauses the cyclic garbage collector while it builds its results, and gives it back as it was."""
import gc

import pytest

from scoring.gaps import link_gaps
from scoring.ranking import rank
from tests.scoring_factories import NOW, POLICY, company, link, link_graph, pool


@pytest.fixture
def collector():
    was = gc.isenabled()
    yield
    gc.enable() if was else gc.disable()


def test_the_collector_runs_again_after_a_ranking(collector):
    gc.enable()
    ranking = rank(link_gaps(link_graph({"separator": link()}), POLICY.gaps), pool({"separator": ["a", "b"]}),
                   POLICY, now=NOW)
    assert gc.isenabled()
    assert [c.company_id for c in ranking] == ["a", "b"]
    assert gc.isenabled()


def test_the_collector_runs_again_when_scoring_fails(collector):
    gc.enable()
    broken = company("a", country=86)  # not text: reading its origin fails inside the ranking
    with pytest.raises(AttributeError):
        rank(link_gaps(link_graph({"separator": link()}), POLICY.gaps), pool({"separator": ["a"]}, [broken]),
             POLICY, now=NOW)
    assert gc.isenabled()


def test_a_collector_paused_by_the_caller_stays_paused(collector):
    gc.disable()
    list(rank(link_gaps(link_graph({"separator": link()}), POLICY.gaps), pool({"separator": ["a"]}), POLICY, now=NOW))
    assert not gc.isenabled()
