"""Regenerate the "Examples on the seed data" tables of docs/scoring.md from the seeds.

    .venv/bin/python tools/scoring_examples.py      # rewrites the section in place

Loads seeds/ into a throwaway embedded store, runs the gap analysis and both rankings (FDI
targets and domestic partners) for the two lead chains, and writes the tables between the
section's heading line and "Reading them:".
"""
from __future__ import annotations

import sys
import tempfile
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crm.library.seeding import load_seeds  # noqa: E402
from graph.engines.embedded import EmbeddedStore  # noqa: E402
from graph.meta import initialise  # noqa: E402
from scoring.gaps import analyse_gaps  # noqa: E402
from scoring.ranking import rank_candidates  # noqa: E402
from scoring.reasons import ACTION_LABELS  # noqa: E402

NOW = datetime(2026, 12, 4, 2, 0, tzinfo=timezone.utc)
CHAINS = ("nev", "electronics")
FACTORS = ("gap", "standing", "synergy", "policy_fit", "engagement", "district", "demand")
START, END = "### nev:", "Reading them:"


def chain_section(store, chain_id: str) -> list[str]:
    gaps = analyse_gaps(store, chain_id, as_of=NOW.date())
    first = gaps[0]
    counted = Counter(g.action for g in gaps)
    out = [f"### {chain_id}: {first.chain_name_zh} ({first.chain_name_en}), tier {first.tier}", "",
           "Links by action: " + ", ".join(f"{a} {counted[a]}" for a in sorted(counted)) + f" (of {len(gaps)})", "",
           "| # | Link | Action | Severity | Local makers | Reason |", "|---|---|---|---:|---:|---|"]
    for i, g in enumerate(gaps[:8], 1):
        reason = g.summary_zh.split("：", 1)[1]
        out.append(f"| {i} | {g.name_zh} ({g.name_en}) | {ACTION_LABELS[g.action][0]} | {g.severity:.1f} | "
                   f"{g.local_makers} | {reason} |")
    out += ["", "| # | Company | Link | Score | gap | standing | synergy | policy | engage | district | demand | Reason |",
            "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    ranked = rank_candidates(store, chain_id, top=10, now=NOW)
    for c in ranked:
        factors = " | ".join(f"{c.factors[f]:.2f}" for f in FACTORS)
        reason = c.reason_zh.split("：", 1)[1]
        out.append(f"| {c.rank} | {c.company_name_zh} ({c.company_name_en}) | {c.link_name_zh} | {c.score:.1f} | "
                   f"{factors} | {reason} |")
    out += ["", "English reasons of the top three:"] + [f"- {c.reason_en}" for c in ranked[:3]]
    partners = rank_candidates(store, chain_id, top=3, now=NOW, market="domestic")
    out += ["", "Domestic partners (mainland makers, not FDI), the top three:"]
    out += [f"- {c.company_name_zh} ({c.company_name_en}) → {c.link_name_zh}: {c.score:.1f}" for c in partners] or [
        "- none"]
    return out + [""]


def main() -> None:
    doc = ROOT / "docs" / "scoring.md"
    text = doc.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    tail = rest[rest.index(END):]
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "seeds.lbug", buffer_pool_mb=256)
        initialise(store, now=NOW)
        load_seeds(store, now=NOW)
        body = [line for chain in CHAINS for line in chain_section(store, chain)]
        store.close()
    doc.write_text(head + "\n".join(body) + "\n" + tail, encoding="utf-8")


if __name__ == "__main__":
    main()
