"""Store benchmark: bulk upsert of 50k companies + 300k MAKES, then the coverage query, per engine.

    .venv/bin/python -m bench.store_bench [--engine embedded|neo4j|both] [--neo4j-uri URI]
Prints one JSON object. Neo4j is wiped first: point it at a throwaway server.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from bench.synthetic import generate, load
from graph.config import StoreConfig

COVERAGE = (
    "MATCH (l:ChainNode) RETURN l.id AS id, "
    "COUNT { MATCH (c:Company)-[:MAKES]->(l) } AS makers, "
    "COUNT { MATCH (c:Company)-[:MAKES]->(l) WHERE EXISTS { MATCH (c)-[:PRESENT_IN]->(:District) } } AS local_makers")


def run_engine(store, graph) -> dict:
    store.ensure_schema()
    t = time.perf_counter()
    steps = load(store, graph)
    total = time.perf_counter() - t
    timings = []
    for _ in range(3):
        t = time.perf_counter()
        rows = store.read(COVERAGE)
        timings.append(time.perf_counter() - t)
    t = time.perf_counter()
    load(store, graph)  # idempotent re-run: MERGE finds everything
    rerun = time.perf_counter() - t
    return {"load_s": round(total, 2), "load_steps_s": steps, "reload_idempotent_s": round(rerun, 2),
            "coverage_query_median_s": round(statistics.median(timings), 3), "coverage_rows": len(rows),
            "links_with_local_maker": sum(1 for r in rows if r["local_makers"])}


def wipe(store, batch: int = 20_000) -> None:
    """Delete everything in batches: one DETACH DELETE of 350,000 nodes outgrows Neo4j's transaction memory."""
    while store.write(f"MATCH (n) WITH n LIMIT {batch} DETACH DELETE n RETURN count(*) AS deleted")[0]["deleted"]:
        pass


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--engine", default="both", choices=["embedded", "neo4j", "both"])
    ap.add_argument("--neo4j-uri", default=os.environ.get("CHAINLEAD_TEST_NEO4J_URI"))
    ap.add_argument("--companies", type=int, default=50_000)
    ap.add_argument("--makes", type=int, default=300_000)
    args = ap.parse_args()
    graph = generate(companies=args.companies, makes=args.makes)
    out = {"bench": "store", "machine": f"{platform.node()} {os.cpu_count()} cpu, {platform.python_version()}",
           "companies": len(graph.companies), "makes": len(graph.makes), "links": len(graph.links),
           "feeds": len(graph.feeds), "results": {}}
    if args.engine in ("embedded", "both"):
        from graph.engines.embedded import EmbeddedStore

        with tempfile.TemporaryDirectory() as tmp:
            store = EmbeddedStore(Path(tmp) / "bench.lbug", buffer_pool_mb=1024)
            out["results"]["embedded"] = run_engine(store, graph)
            store.close()
    if args.engine in ("neo4j", "both"):
        if not args.neo4j_uri:
            out["results"]["neo4j"] = "skipped: no --neo4j-uri (make neo4j-start prints one)"
        else:
            from graph.engines.neo4j import Neo4jStore

            store = Neo4jStore(StoreConfig(neo4j_uri=args.neo4j_uri, neo4j_timeout=30))
            wipe(store)
            out["results"]["neo4j"] = run_engine(store, graph)
            wipe(store)
            store.close()
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
