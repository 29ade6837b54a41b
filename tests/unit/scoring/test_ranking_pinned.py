"""The ranking is pinned: every candidate of the seed data and of a synthetic graph, with its score, factors,
lead and reasons, is exactly the one recorded in pinned_rankings.json (issue 17 item 5: scoring was made
faster and leaner without changing a score or a reason).

Regenerate the file only for a deliberate change of the method:
    .venv/bin/python -m tests.unit.scoring.test_ranking_pinned
"""
from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable

import pytest

from bench.synthetic import generate, load
from crm.library.seeding import load_seeds
from graph.cypher import merge_rels, upsert_nodes
from graph.meta import initialise
from scoring.gaps import analyse_gaps
from scoring.policy import FACTORS
from scoring.ranking import Candidate, rank_candidates

PINNED = Path(__file__).with_name("pinned_rankings.json")
NOW = datetime(2026, 12, 4, 2, 0, tzinfo=timezone.utc)
LEADS = [  # (lead, company, link, stage, last follow-up): pairs of the seed ranking, at several stages
    ("pin-1", "hon_hai", "electronics.connectors", "negotiating", datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)),
    ("pin-2", "lam", "electronics.semi_equipment", "contacted", None),
    ("pin-3", "hyundai_mobis", "nev.lidar", "visited", datetime(2026, 6, 1, 2, 0, tzinfo=timezone.utc)),
    ("pin-4", "hyundai_mobis", "nev.lidar", "identified", datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)),
    ("pin-5", "sanofi", "biomed.vaccine", "signed", datetime(2026, 10, 1, 2, 0, tzinfo=timezone.utc)),
]


def seeded(store: Any) -> None:
    initialise(store, now=NOW)
    load_seeds(store, now=NOW)
    upsert_nodes(store, "Lead", [{"id": lead, "stage": stage, "archived": False, "last_followup_at": at}
                                 for lead, _, _, stage, at in LEADS])
    merge_rels(store, "TARGETS", "Lead", "Company", [{"src": lead, "dst": c} for lead, c, *_ in LEADS])
    merge_rels(store, "FILLS", "Lead", "ChainNode", [{"src": lead, "dst": link} for lead, _, link, *_ in LEADS])


def synthetic(store: Any) -> None:
    load(store, generate(companies=3000, links=120, makes=18000, feeds=300, chains=4, local_share=0.02))


CASES: dict[str, tuple[Callable[[Any], None], dict[str, Any]]] = {
    "seeds fdi": (seeded, {}),
    "seeds domestic": (seeded, {"market": "domestic"}),
    "seeds nev as of 2021-06-01": (seeded, {"chain_id": "nev", "as_of": date(2021, 6, 1)}),
    "seeds electronics supplement": (seeded, {"chain_id": "electronics", "action": "supplement"}),
    "synthetic fdi": (synthetic, {}),
    "synthetic domestic": (synthetic, {"market": "domestic"}),
}


def line(c: Candidate) -> str:
    return "|".join(str(v) for v in (
        c.rank, c.company_id, c.company_name_zh, c.company_name_en, c.link_id, c.link_name_zh, c.link_name_en,
        c.chain_id, c.action, c.severity, c.score, *(c.factors[k] for k in FACTORS), c.district_id,
        c.district_name_zh, c.district_name_en, c.lead_id, c.lead_stage, c.reason_zh, c.reason_en, c.origin))


def gap_line(g: Any) -> str:
    return "|".join(str(v) for v in (g.link_id, g.action, g.severity, g.need, g.criticality, g.priority,
                                     g.local_buyers, sorted(g.measures.items()), g.summary_zh, g.summary_en))


def recorded(store: Any, options: dict[str, Any]) -> dict[str, Any]:
    """What is pinned of one case: the count, a digest of every line, and the first lines to read."""
    ranking = rank_candidates(store, now=NOW, **options)
    lines = [line(c) for c in ranking]
    gaps = [gap_line(g) for g in analyse_gaps(store, options.get("chain_id"), as_of=options.get("as_of", NOW.date()))]
    return {"candidates": len(lines), "sha256": hashlib.sha256("\n".join(lines).encode()).hexdigest(),
            "gaps_sha256": hashlib.sha256("\n".join(gaps).encode()).hexdigest(), "top": lines[:8]}


@pytest.fixture(scope="module")
def pinned() -> dict[str, Any]:
    return json.loads(PINNED.read_text(encoding="utf-8"))


@pytest.mark.parametrize("world", ["seeds", "synthetic"])
def test_every_candidate_scores_and_reads_as_pinned(store, world, pinned):
    builder = seeded if world == "seeds" else synthetic
    builder(store)
    for name, (_, options) in CASES.items():
        if name.startswith(world):
            assert recorded(store, options) == pinned[name], name


def main() -> None:
    from graph.engines.embedded import EmbeddedStore

    out: dict[str, Any] = {}
    for world in (seeded, synthetic):
        with tempfile.TemporaryDirectory() as tmp:
            store = EmbeddedStore(Path(tmp) / "pin.lbug", buffer_pool_mb=256)
            store.ensure_schema()
            world(store)
            out.update({name: recorded(store, options) for name, (w, options) in CASES.items() if w is world})
            store.close()
    PINNED.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {PINNED}", file=sys.stderr)


if __name__ == "__main__":
    main()
