"""How much local output hangs on a link, measured on the FEEDS graph of its own chain.

Each measure looks only at FEEDS edges inside a link's chain, so a chain's figures are the
same whether one chain or all were projected; cross-chain edges matter for 扩链 adjacency
(scoring/gaps.py). Nodes carry `chain_id` and `local_makers` as `project_chains` sets them.
"""
from __future__ import annotations

from typing import Hashable, Mapping

import networkx as nx


def _chains(G: nx.DiGraph) -> dict[Hashable, nx.DiGraph]:
    """One plain graph per chain, holding only the FEEDS edges that stay inside it.

    Copies rather than subgraph views: the algorithms below walk them thousands of times.
    """
    chains: dict[Hashable, nx.DiGraph] = {}
    for node, chain in G.nodes(data="chain_id"):
        chains.setdefault(chain, nx.DiGraph()).add_node(node)
    for a, b in G.edges:
        chain = G.nodes[a].get("chain_id")
        if chain == G.nodes[b].get("chain_id"):
            chains[chain].add_edge(a, b)
    return chains


def _descendants(H: nx.DiGraph) -> dict[Hashable, list[Hashable]]:
    """Every node's descendants, via bitsets over the condensation (cycles allowed)."""
    order = sorted(H.nodes)
    bit = {node: 1 << i for i, node in enumerate(order)}
    C = nx.condensation(H)
    members = {c: sum(bit[n] for n in C.nodes[c]["members"]) for c in C}
    reach: dict[int, int] = {}
    for c in reversed(list(nx.topological_sort(C))):
        below = 0
        for s in C.successors(c):
            below |= members[s] | reach[s]
        reach[c] = below
    out = {}
    for node in order:
        c = C.graph["mapping"][node]
        mask = reach[c] | (members[c] & ~bit[node])
        out[node] = [n for n in order if mask & bit[n]]
    return out


def measures(G: nx.DiGraph) -> dict[Hashable, dict[str, float]]:
    """All three measures per link in one pass over each chain (what the gap analysis uses).

    >>> G = nx.DiGraph([("ore", "cell"), ("cell", "pack"), ("pack", "car")])
    >>> nx.set_node_attributes(G, "nev", "chain_id")
    >>> nx.set_node_attributes(G, {"ore": 0, "cell": 1, "pack": 0, "car": 2}, "local_makers")
    >>> measures(G)["cell"]
    {'downstream_reach': 1, 'local_makers_downstream': 2, 'betweenness': 1.0}
    """
    out: dict[Hashable, dict[str, float]] = {}
    for H in _chains(G).values():
        between = nx.betweenness_centrality(H, normalized=False)
        top = max(between.values(), default=0.0)
        for node, below in _descendants(H).items():
            local = [G.nodes[d].get("local_makers", 0) for d in below]
            out[node] = {"downstream_reach": sum(1 for n in local if n > 0),
                         "local_makers_downstream": sum(local),
                         "betweenness": between[node] / top if top > 0 else 0.0}
    return dict(sorted(out.items()))


def downstream_reach(G: nx.DiGraph) -> dict[Hashable, float]:
    """Covered links (with a local maker) downstream of each link in its chain.

    >>> G = nx.DiGraph([("ore", "cell"), ("cell", "pack"), ("pack", "car")])
    >>> nx.set_node_attributes(G, "nev", "chain_id")
    >>> nx.set_node_attributes(G, {"ore": 0, "cell": 1, "pack": 0, "car": 2}, "local_makers")
    >>> downstream_reach(G)
    {'car': 0, 'cell': 1, 'ore': 2, 'pack': 1}
    """
    return {node: m["downstream_reach"] for node, m in measures(G).items()}


def local_makers_downstream(G: nx.DiGraph) -> dict[Hashable, float]:
    """Local makers summed over the links downstream of each link in its chain.

    >>> G = nx.DiGraph([("ore", "cell"), ("cell", "pack"), ("pack", "car")])
    >>> nx.set_node_attributes(G, "nev", "chain_id")
    >>> nx.set_node_attributes(G, {"ore": 0, "cell": 1, "pack": 0, "car": 2}, "local_makers")
    >>> local_makers_downstream(G)
    {'car': 0, 'cell': 2, 'ore': 3, 'pack': 2}
    """
    return {node: m["local_makers_downstream"] for node, m in measures(G).items()}


def chain_betweenness(G: nx.DiGraph) -> dict[Hashable, float]:
    """Betweenness of each link inside its chain, scaled so the chain's busiest link is 1.

    A link many upstream-to-downstream paths pass through is a choke point of its chain.

    >>> G = nx.DiGraph([("ore", "cell"), ("cell", "pack"), ("pack", "car")])
    >>> nx.set_node_attributes(G, "nev", "chain_id")
    >>> chain_betweenness(G)
    {'car': 0.0, 'cell': 1.0, 'ore': 0.0, 'pack': 1.0}
    """
    return {node: m["betweenness"] for node, m in measures(G).items()}


def saturate(x: float, half: float) -> float:
    """x / (x + half): 0 at 0, 0.5 at `half`, approaching 1; needs no maximum to normalise by."""
    return x / (x + half) if x > 0 else 0.0


def criticality(G: nx.DiGraph, *, weights: Mapping[str, float], reach_half: float, makers_half: float,
                measured: Mapping[Hashable, Mapping[str, float]] | None = None) -> dict[Hashable, float]:
    """Weighted mix in [0, 1] of downstream reach, local makers downstream and betweenness.

    Pass `measured` (from `measures(G)`) to reuse measures already taken.

    >>> G = nx.DiGraph([("ore", "cell"), ("cell", "pack"), ("pack", "car")])
    >>> nx.set_node_attributes(G, "nev", "chain_id")
    >>> nx.set_node_attributes(G, {"ore": 0, "cell": 1, "pack": 0, "car": 2}, "local_makers")
    >>> w = {"downstream_reach": 0.5, "local_makers_downstream": 0.5, "betweenness": 0.0}
    >>> criticality(G, weights=w, reach_half=1, makers_half=1)["ore"]
    0.7083333333333333
    """
    m = measured if measured is not None else measures(G)
    return {node: (weights["downstream_reach"] * saturate(v["downstream_reach"], reach_half)
                   + weights["local_makers_downstream"] * saturate(v["local_makers_downstream"], makers_half)
                   + weights["betweenness"] * v["betweenness"])
            for node, v in m.items()}
