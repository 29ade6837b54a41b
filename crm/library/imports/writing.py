"""Write validated rows into the store: nodes by key, then the relationships that are new, in batches.

Only what changed is written, so importing the same file twice writes nothing the second time
(and bumps no versions). Each batch is its own transaction: a store failing midway leaves a
partial import that the same command, run again, completes (every write is by key).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Iterable, Sequence

from crm.base import memo
from crm.base.access import Actor
from crm.base.records import audit, new_id
from graph.cypher import merge_rels, upsert_nodes
from graph.schema import SCHEMA

CHUNK = 5000  # rows per transaction: graph.cypher's batch size
Progress = Callable[[str, int, int], None]  # (phase, done, total)


def no_progress(phase: str, done: int, total: int) -> None:
    """The default when nobody watches."""


@dataclass
class NodeChanges:
    label: str
    creates: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0


@dataclass
class RelRows:
    type: str
    start: str
    end: str
    rows: list[dict[str, Any]]


def diff_nodes(label: str, items: Iterable[tuple[str, dict[str, Any], dict[str, Any] | None]], *,
               now: datetime, columns: Sequence[str]) -> NodeChanges:
    """New nodes get every column (null when not given) and record fields; known ones only their changes."""
    record = "version" in SCHEMA.node(label).names
    out = NodeChanges(label)
    for key, props, existing in items:
        if existing is None:
            row = {"id": key, **{c: props.get(c) for c in columns}}
            if record:
                row.update(created_at=now, updated_at=now, version=1, archived=False,
                           synthetic=bool(props.get("synthetic")))
            out.creates.append(row)
            continue
        changed = {k: v for k, v in props.items() if existing.get(k) != v}
        if not changed:
            out.unchanged += 1
            continue
        if record:
            changed.update(updated_at=now, version=(existing.get("version") or 0) + 1)
        out.updates.append({"id": key, **changed})
    return out


def missing_rels(store: Any, rels: RelRows) -> RelRows:
    """The rows of `rels` not yet in the store, so a re-import merges nothing twice."""
    wanted = {(r["src"], r["dst"]): r for r in rels.rows}
    sources = sorted({src for src, _ in wanted})
    have: set[tuple[str, str]] = set()
    query = (f"UNWIND $ids AS id MATCH (a:{rels.start} {{id: id}})-[:{rels.type}]->(b:{rels.end}) "
             "RETURN a.id AS a, b.id AS b")
    for start in range(0, len(sources), 5 * CHUNK):
        have |= {(r["a"], r["b"]) for r in store.read(query, {"ids": sources[start:start + 5 * CHUNK]})}
    return RelRows(rels.type, rels.start, rels.end, [r for k, r in wanted.items() if k not in have])


def sourced_rels(store: Any, rels: RelRows) -> RelRows:
    """New facts, plus known ones that gain a citation or a newer date: a second source is added to
    `sources`, never written over the first, and `source_date` keeps the newest day."""
    wanted = {(r["src"], r["dst"]): r for r in rels.rows}
    sources = sorted({src for src, _ in wanted})
    have: dict[tuple[str, str], dict[str, Any]] = {}
    query = (f"UNWIND $ids AS id MATCH (a:{rels.start} {{id: id}})-[r:{rels.type}]->(b:{rels.end}) "
             "RETURN a.id AS a, b.id AS b, r.source AS source, r.sources AS sources, r.source_date AS source_date")
    for start in range(0, len(sources), 5 * CHUNK):
        have.update({(r["a"], r["b"]): r for r in store.read(query, {"ids": sources[start:start + 5 * CHUNK]})})
    out = []
    for key, row in wanted.items():
        known = have.get(key)
        if known is None:
            out.append(row)
            continue
        cited = list(known["sources"] or ([known["source"]] if known["source"] else []))
        newest = max((d for d in (known["source_date"], row.get("source_date")) if d), default=None)
        if row["source"] in cited and newest == known["source_date"]:
            continue
        out.append({"src": row["src"], "dst": row["dst"], "source": known["source"] or row["source"],
                    "sources": cited if row["source"] in cited else cited + [row["source"]], "source_date": newest})
    return RelRows(rels.type, rels.start, rels.end, out)


def write(store: Any, nodes: Sequence[NodeChanges], rels: Sequence[RelRows], *,
          progress: Progress = no_progress) -> None:
    """Nodes first (relationships need both ends), in chunks that each report progress."""
    total = sum(len(n.creates) + len(n.updates) for n in nodes) + sum(len(r.rows) for r in rels)
    done = 0
    progress("write", 0, total)
    for changes in nodes:
        for rows in (changes.creates, changes.updates):
            for start in range(0, len(rows), CHUNK):
                chunk = rows[start:start + CHUNK]
                upsert_nodes(store, changes.label, chunk)
                done += len(chunk)
                progress("write", done, total)
    for rel in rels:
        for start in range(0, len(rel.rows), CHUNK):
            chunk = rel.rows[start:start + CHUNK]
            merge_rels(store, rel.type, rel.start, rel.end, chunk)
            done += len(chunk)
            progress("write", done, total)
    memo.forget_all()  # names of companies, links, districts may have changed


def record_import(store: Any, *, actor: Actor, now: datetime, label: str, summary: dict[str, Any]) -> None:
    """One audit entry per import that changed something: who loaded which file, and what it did."""
    store.transaction(lambda tx: audit(tx, actor, "import", label, new_id("import"),
                                       {k: (None, v) for k, v in summary.items()}, now))
