"""A deterministic synthetic industrial graph for benchmarks (labelled synthetic; not real firms).

Shape as the issues ask: 2,000 links in 40 chains with 5,000 FEEDS edges, 50,000 companies,
300,000 MAKES edges, and about one company in twenty present in a district.
"""
from __future__ import annotations

import random
import tempfile
from contextlib import contextmanager
from pathlib import Path
from dataclasses import dataclass, field
from typing import Any, Iterator

DISTRICTS = ["500101", "500103", "500104", "500106", "500107", "500108", "500109", "500110",
             "500113", "500115", "500116", "500117", "500118", "500119", "500120", "500157"]


@dataclass
class SyntheticGraph:
    chains: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    part_of: list[dict[str, Any]] = field(default_factory=list)
    feeds: list[dict[str, Any]] = field(default_factory=list)
    companies: list[dict[str, Any]] = field(default_factory=list)
    makes: list[dict[str, Any]] = field(default_factory=list)
    present_in: list[dict[str, Any]] = field(default_factory=list)
    districts: list[dict[str, Any]] = field(default_factory=list)


def generate(*, companies: int = 50_000, links: int = 2_000, makes: int = 300_000,
             feeds: int = 5_000, chains: int = 40, local_share: float = 0.05, seed: int = 7) -> SyntheticGraph:
    rnd = random.Random(seed)
    g = SyntheticGraph()
    per_chain = links // chains
    g.chains = [{"id": f"syn{c:02d}", "name_zh": f"合成产业链{c:02d}", "name_en": f"Synthetic chain {c:02d}",
                 "tier": ("lead", "pillar", "featured")[c % 3], "synthetic": True} for c in range(chains)]
    for i in range(links):
        c = i // per_chain
        g.links.append({"id": f"syn{c:02d}.l{i:04d}", "chain_id": f"syn{c:02d}", "name_zh": f"环节{i:04d}",
                        "name_en": f"Link {i:04d}", "position": i % per_chain, "high_tech": rnd.random() < 0.3,
                        "in_focus": rnd.random() < 0.9, "segment": ("upstream", "midstream", "downstream")[
                            min(2, 3 * (i % per_chain) // per_chain)], "synthetic": True})
        g.part_of.append({"src": g.links[-1]["id"], "dst": f"syn{c:02d}"})
    seen: set[tuple[int, int]] = set()
    while len(g.feeds) < feeds:  # edges point to a later position (or another chain): no cycles
        a = rnd.randrange(links - 1)
        same_chain = rnd.random() < 0.9
        if same_chain:
            start = a + 1
            end = (a // per_chain + 1) * per_chain
            if start >= end:
                continue
            b = rnd.randrange(start, end)
        else:
            b = rnd.randrange(links)
            if b // per_chain <= a // per_chain:
                continue
        if (a, b) not in seen:
            seen.add((a, b))
            g.feeds.append({"src": g.links[a]["id"], "dst": g.links[b]["id"]})
    g.districts = [{"id": code, "name_zh": code, "kind": "district"} for code in DISTRICTS]
    for i in range(companies):
        rank = i + 1 if i < 500 else None
        g.companies.append({"id": f"syn-co-{i:06d}", "name_zh": f"合成企业{i:06d}",
                            "name_en": f"Synthetic Company {i:06d}", "country": rnd.choice(["DE", "JP", "US", "KR", "FR", "CN"]),
                            "fg500_rank": rank, "multinational": rnd.random() < 0.4, "leading": rnd.random() < 0.05,
                            "revenue_usd_m": round(rnd.lognormvariate(6, 1.5), 1), "synthetic": True})
        if rnd.random() < local_share:
            g.present_in.append({"src": g.companies[-1]["id"], "dst": rnd.choice(DISTRICTS)})
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < makes:
        pairs.add((rnd.randrange(companies), rnd.randrange(links)))
    g.makes = [{"src": g.companies[c]["id"], "dst": g.links[l]["id"]} for c, l in sorted(pairs)]
    return g


def load(store: Any, g: SyntheticGraph, *, batch: int = 5000) -> dict[str, float]:
    """Write the graph through the same helpers the app uses; returns seconds per step."""
    import time

    from graph.cypher import merge_rels, upsert_nodes

    steps = [("Chain", lambda: upsert_nodes(store, "Chain", g.chains, batch=batch)),
             ("ChainNode", lambda: upsert_nodes(store, "ChainNode", g.links, batch=batch)),
             ("District", lambda: upsert_nodes(store, "District", g.districts, batch=batch)),
             ("Company", lambda: upsert_nodes(store, "Company", g.companies, batch=batch)),
             ("PART_OF", lambda: merge_rels(store, "PART_OF", "ChainNode", "Chain", g.part_of, batch=batch)),
             ("FEEDS", lambda: merge_rels(store, "FEEDS", "ChainNode", "ChainNode", g.feeds, batch=batch)),
             ("PRESENT_IN", lambda: merge_rels(store, "PRESENT_IN", "Company", "District", g.present_in, batch=batch)),
             ("MAKES", lambda: merge_rels(store, "MAKES", "Company", "ChainNode", g.makes, batch=batch))]
    out = {}
    for name, step in steps:
        t = time.perf_counter()
        step()
        out[name] = round(time.perf_counter() - t, 3)
    return out


@contextmanager
def loaded_store(*, companies: int, makes: int) -> Iterator[tuple[Any, SyntheticGraph]]:
    """The synthetic graph in a temporary embedded store (1 GB pool), closed and removed after."""
    from graph.engines.embedded import EmbeddedStore

    graph = generate(companies=companies, makes=makes)
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "bench.lbug", buffer_pool_mb=1024)
        store.ensure_schema()
        load(store, graph)
        try:
            yield store, graph
        finally:
            store.close()
