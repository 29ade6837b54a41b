"""Load the reference data in seeds/ into a store, idempotently (`chainlead init`).

Order matters: districts first (companies name them), then chains and companies through the
same importer a bureau uses for its own files, then district focus and events. Running it
again writes only what changed. The boundaries stay a file that the map reads.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from crm.base.access import SYSTEM
from crm.base.clock import local_today
from crm.library.imports.run import import_chains, import_companies
from crm.library.imports.writing import (NodeChanges, Progress, RelRows, diff_nodes, missing_rels, no_progress,
                                 record_import, write)
from crm.library.seeding.files import SeedRows, read_districts, read_events, read_focus
from graph.schema import SCHEMA

SEEDS_DIR = Path(__file__).resolve().parents[3] / "seeds"


def boundaries_path(seeds_dir: Path = SEEDS_DIR) -> Path:
    """The district boundaries (GeoJSON, GCJ-02, one feature per division code) the map draws."""
    return seeds_dir / "boundaries.geojson"


def load_boundaries(seeds_dir: Path = SEEDS_DIR) -> dict[str, Any]:
    """The boundaries as a GeoJSON FeatureCollection (properties: code, name_zh)."""
    return json.loads(boundaries_path(seeds_dir).read_text(encoding="utf-8"))


@dataclass
class SeedSummary:
    """What each seed file did: per label created/updated/unchanged, per relationship type added."""

    parts: dict[str, dict[str, Any]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def line(self) -> str:
        made = sum(n["created"] for p in self.parts.values() for n in p["nodes"].values())
        changed = sum(n["updated"] for p in self.parts.values() for n in p["nodes"].values())
        rels = sum(sum(p["relationships"].values()) for p in self.parts.values())
        text = f"{made} nodes created, {changed} updated, {rels} relationships added"
        return text + (f"; {len(self.skipped)} seed companies skipped as ambiguous" if self.skipped else "")


def load_seeds(store: Any, *, now: datetime, seeds_dir: Path = SEEDS_DIR,
               progress: Progress = no_progress) -> SeedSummary:
    """Load every seed file; `progress` sees the long writes (companies on a first load)."""
    summary = SeedSummary()
    started = time.perf_counter()
    load_districts(store, now=now, seeds_dir=seeds_dir, summary=summary)
    chains = import_chains(store, seeds_dir / "chains.csv", now=now, actor=SYSTEM, progress=progress)
    # A seed company whose name a bureau's own company already carries is left out, not merged.
    companies = import_companies(store, seeds_dir / "companies.csv", now=now, actor=SYSTEM, progress=progress,
                                 skip_ambiguous=True)
    for name, report in (("chains", chains), ("companies", companies)):
        summary.parts[name] = {"nodes": report.nodes, "relationships": report.relationships}
    summary.skipped = companies.skipped
    known = {label: {r["id"] for r in store.read(f"MATCH (n:{label}) RETURN n.id AS id")}
             for label in ("District", "Chain")}
    _apply(store, "district_focus", read_focus(seeds_dir / "district_focus.yaml", districts=known["District"],
                                               chains=known["Chain"]), summary, now=now)
    _apply(store, "events", read_events(seeds_dir / "events.yaml", today=local_today(now)), summary, now=now)
    summary.seconds["total"] = round(time.perf_counter() - started, 2)
    return summary


def load_districts(store: Any, *, now: datetime, seeds_dir: Path = SEEDS_DIR,
                   summary: SeedSummary | None = None) -> SeedSummary:
    """Districts alone: what company rows need before they can name a presence."""
    summary = summary if summary is not None else SeedSummary()
    _apply(store, "districts", read_districts(seeds_dir / "districts.yaml"), summary, now=now)
    return summary


def _apply(store: Any, part: str, rows: SeedRows, summary: SeedSummary, *, now: datetime) -> None:
    """Diff the rows against the store and write what is new or changed."""
    nodes: list[NodeChanges] = []
    for label, items in rows.nodes.items():
        columns = tuple(n for n in SCHEMA.node(label).names if n not in _RECORD and n != "id")
        stored = _stored(store, label, columns, list(items))
        nodes.append(diff_nodes(label, ((k, v, stored.get(k)) for k, v in items.items()), now=now,
                                columns=columns))
    rels = [missing_rels(store, RelRows(t, a, b, r)) for t, a, b, r in rows.rels]
    done = {"nodes": {n.label: {"created": len(n.creates), "updated": len(n.updates), "unchanged": n.unchanged}
                      for n in nodes},
            "relationships": {r.type: len(r.rows) for r in rels}}
    summary.parts[part] = done
    if any(n.creates or n.updates for n in nodes) or any(r.rows for r in rels):
        write(store, nodes, rels)
        label = nodes[0].label if nodes else rels[0].start
        record_import(store, actor=SYSTEM, now=now, label=label, summary={"file": f"seeds/{part}", **done})


_RECORD = ("created_at", "updated_at", "version", "archived", "synthetic")


def _stored(store: Any, label: str, columns: tuple[str, ...], ids: list[str]) -> dict[str, dict[str, Any]]:
    returns = ", ".join(f"n.{c} AS {c}" for c in ("id",) + columns + (("version",) if "version" in
                                                                       SCHEMA.node(label).names else ()))
    rows = store.read(f"UNWIND $ids AS k MATCH (n:{label} {{id: k}}) RETURN {returns}", {"ids": ids}) if ids else []
    return {r["id"]: r for r in rows}
