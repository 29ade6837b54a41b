"""The two imports end to end: read → validate → match → write, timed per phase.

`chainlead import …`, `chainlead init` (the seeds) and, later, the web upload all call these,
so seed data and a bureau's own files follow one set of rules. Nothing is written unless every
row is valid and every company row matched unambiguously (or `skip_ambiguous` says to leave
those rows out).
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from crm.base.access import SYSTEM, Actor
from crm.library.imports import journal
from crm.library.imports.chains import validate_chains
from crm.library.imports.companies import NODE_PROPS, validate_companies
from crm.library.imports.ending import Ending, apply_ends, stored_ends
from crm.library.imports.matching import Ambiguous, CompanyIndex, Planned, match_companies
from crm.library.imports.names import normalise_name
from crm.library.imports.problems import ImportFailed, Problem
from crm.library.imports.references import load_references
from crm.library.imports.table import Table, read_path
from crm.library.imports.writing import (NodeChanges, Progress, RelRows, diff_nodes, missing_rels, no_progress,
                                         record_import, sourced_rels, write)
from graph.schema import SCHEMA

log = logging.getLogger("chainlead.imports")


@dataclass
class ImportReport:
    file: str
    kind: str
    rows: int
    nodes: dict[str, dict[str, int]] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    encoding: str | None = None
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return any(n["created"] or n["updated"] for n in self.nodes.values()) or any(self.relationships.values())

    def summary(self) -> dict[str, Any]:
        return {"file": self.file, "rows": self.rows, "nodes": self.nodes,
                "relationships": self.relationships, "skipped": len(self.skipped)}


class _Clock:
    def __init__(self, report: ImportReport):
        self.report, self.mark = report, time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.report.seconds[phase] = round(self.report.seconds.get(phase, 0.0) + now - self.mark, 3)
        self.mark = now


def _table(source: Table | str | Path, encoding: str | None) -> Table:
    return source if isinstance(source, Table) else read_path(source, encoding=encoding)


def _refuse(problems: list[Problem], what: str) -> None:
    if problems:
        raise ImportFailed(problems, f"{len(problems)} {what}; nothing was written")


def import_companies(store: Any, source: Table | str | Path, *, now: datetime, actor: Actor = SYSTEM,
                     progress: Progress = no_progress, skip_ambiguous: bool = False, dry_run: bool = False,
                     encoding: str | None = None) -> ImportReport:
    """Import a companies file; raises ImportFailed (nothing written) on bad rows or ambiguous names."""
    report = ImportReport("", "companies", 0, dry_run=dry_run)
    clock = _Clock(report)
    table = _table(source, encoding)
    report.file, report.rows, report.encoding = table.name, len(table.rows), table.encoding
    clock.lap("read")
    rows, problems = validate_companies(table, load_references(store, now=now))
    _refuse(problems, "problem(s) in the file")
    clock.lap("validate")
    plan = match_companies(rows, CompanyIndex(stored_companies(store)))
    if plan.ambiguous and not skip_ambiguous:
        _refuse([_ambiguity(table.name, a) for a in plan.ambiguous], "ambiguous match(es)")
    report.skipped = [str(a) for a in plan.ambiguous]
    nodes = diff_nodes("Company", ((p.id, company_props(p), p.existing) for p in plan.planned),
                       now=now, columns=NODE_PROPS + ("name_norm",))
    ends, problems = stored_ends(store, table.name, plan.planned)
    _refuse(problems, "problem(s) in the file")
    ending = {(e.company_id, e.district_id) for e in ends}
    rels = [(sourced_rels if r.type in SOURCED else missing_rels)(
                store, RelRows(r.type, r.start, r.end, [x for x in r.rows if r.type != "WAS_PRESENT_IN"
                                                        or (x["src"], x["dst"]) not in ending]))
            for r in company_rels(table.name, plan.planned)]
    clock.lap("match")
    _finish(store, report, [nodes], rels, actor=actor, now=now, progress=progress, ends=ends)
    clock.lap("write")
    return report


def import_chains(store: Any, source: Table | str | Path, *, now: datetime, actor: Actor = SYSTEM,
                  progress: Progress = no_progress, dry_run: bool = False,
                  encoding: str | None = None) -> ImportReport:
    """Import a chains file (one row per link); raises ImportFailed (nothing written) on bad rows."""
    report = ImportReport("", "chains", 0, dry_run=dry_run)
    clock = _Clock(report)
    table = _table(source, encoding)
    report.file, report.rows, report.encoding = table.name, len(table.rows), table.encoding
    clock.lap("read")
    found, problems = validate_chains(table, load_references(store, now=now))
    _refuse(problems, "problem(s) in the file")
    clock.lap("validate")
    chains = _stored(store, "Chain", list(found.chains))
    links = _stored(store, "ChainNode", list(found.links))
    nodes = [diff_nodes("Chain", ((k, v, chains.get(k)) for k, v in found.chains.items()), now=now,
                        columns=("name_zh", "name_en", "cluster_zh", "tier")),
             diff_nodes("ChainNode", ((k, v, links.get(k)) for k, v in found.links.items()), now=now,
                        columns=("chain_id", "name_zh", "name_en", "segment", "position", "high_tech", "in_focus"))]
    rels = [missing_rels(store, RelRows("PART_OF", "ChainNode", "Chain",
                                        [{"src": k, "dst": v["chain_id"]} for k, v in found.links.items()])),
            missing_rels(store, RelRows("FEEDS", "ChainNode", "ChainNode",
                                        [{"src": a, "dst": b} for a, b, _ in found.feeds]))]
    clock.lap("match")
    _finish(store, report, nodes, rels, actor=actor, now=now, progress=progress)
    clock.lap("write")
    return report


def _finish(store: Any, report: ImportReport, nodes: list[NodeChanges], rels: list[RelRows], *,
            actor: Actor, now: datetime, progress: Progress, ends: list[Ending] | None = None) -> None:
    report.nodes = {n.label: {"created": len(n.creates), "updated": len(n.updates), "unchanged": n.unchanged}
                    for n in nodes}
    report.relationships = {r.type: len(r.rows) for r in rels}
    if ends:
        report.relationships["PRESENT_IN ended"] = len(ends)
    if report.dry_run or not report.changed:
        return
    total = sum(len(n.creates) + len(n.updates) for n in nodes) + sum(len(r.rows) for r in rels)
    run_id = journal.begin(store, kind=report.kind, file=report.file, total=total, now=now)

    def noted(phase: str, done: int, of: int) -> None:
        progress(phase, done, of)
        if done:
            journal.advance(store, run_id, done, now=now)

    try:
        write(store, nodes, rels, progress=noted)
        apply_ends(store, ends or [], actor=actor, now=now)
        record_import(store, actor=actor, now=now, label=nodes[0].label, summary=report.summary())
    except Exception:
        _stopped(store, run_id, now)
        raise
    journal.finish(store, run_id, kind=report.kind, file=report.file, now=now)


def _stopped(store: Any, run_id: str, now: datetime) -> None:
    """Mark the run interrupted if the store still answers; if not, its process ending or going stale says so."""
    try:
        journal.stop(store, run_id, now=now)
    except Exception:  # the store that failed the write may fail this too; the original error is the one to tell
        log.warning("import run %s could not be marked stopped", run_id, exc_info=True)


def company_props(planned: Planned) -> dict[str, Any]:
    """The row's properties as they should be stored; a name match keeps stored names, adding new ones as aliases."""
    props = dict(planned.row.props)
    existing = planned.existing or {}
    had = list(existing.get("aliases") or [])
    extra = list(props.pop("aliases", []))
    if planned.how == "name":
        for name in ("name_zh", "name_en"):
            if props.get(name) and existing.get(name) and props[name] != existing[name]:
                extra.append(props.pop(name))
    seen = {str(n).casefold() for n in [props.get(k, existing.get(k)) for k in ("name_zh", "name_en")] + had if n}
    merged = list(had)
    for alias in extra:
        if alias.casefold() not in seen:
            merged.append(alias)
            seen.add(alias.casefold())
    if merged != had:
        props["aliases"] = merged or None
    english, chinese = props.get("name_en", existing.get("name_en")), props.get("name_zh", existing.get("name_zh"))
    props["name_norm"] = normalise_name(english) or normalise_name(chinese) or None
    return props


SOURCED = ("MAKES", "PRESENT_IN")  # facts whose citations accumulate over imports


def fact_source(file: str, row_source: Any) -> str:
    """A fact's provenance: the file it came in by, then the row's own citation, so each fact says where it is from."""
    cited = str(row_source or "").strip()
    return f"{file}: {cited}" if cited else file


def company_rels(source: str, planned: list[Planned]) -> list[RelRows]:
    makes, present, ended, supplies, parents = [], [], [], [], []
    for p in planned:
        cited = fact_source(source, p.row.props.get("source"))
        fact = {"source": cited, "sources": [cited], "source_date": p.row.props.get("source_date")}
        makes += [{"src": p.id, "dst": link, **fact} for link in p.row.makes]
        for code in p.row.present_in:
            began = p.row.since.get(code)
            present.append({"src": p.id, "dst": code, **fact} | ({"since": began} if began else {}))
        ended += [{"src": p.id, "dst": code, "until": until, "end_reason": reason, "source": cited}
                  | ({"since": p.row.ended_since[code]} if code in p.row.ended_since else {})
                  for code, until, reason in p.row.ended]
        supplies += [{"src": p.id, "dst": other} for other in p.row.supplies]
        parents += [{"src": p.id, "dst": other} for other in p.row.parents]
    return [RelRows("MAKES", "Company", "ChainNode", makes), RelRows("PRESENT_IN", "Company", "District", present),
            RelRows("WAS_PRESENT_IN", "Company", "District", ended),
            RelRows("SUPPLIES", "Company", "Company", supplies),
            RelRows("SUBSIDIARY_OF", "Company", "Company", parents)]


def _ambiguity(file: str, found: Ambiguous) -> Problem:
    return Problem(file, found.row.row, None,
                   found.describe() + " — add company_id to say which (or a new id for a new company)")


_COMPANY_FIELDS = ("id",) + NODE_PROPS + ("name_norm", "version")


def stored_companies(store: Any) -> list[dict[str, Any]]:
    returns = ", ".join(f"c.{name} AS {name}" for name in _COMPANY_FIELDS)
    return store.read(f"MATCH (c:Company) RETURN {returns}")


def _stored(store: Any, label: str, ids: list[str]) -> dict[str, dict[str, Any]]:
    names = ("id",) + tuple(n for n in SCHEMA.node(label).names if n != "id")
    returns = ", ".join(f"n.{name} AS {name}" for name in names)
    rows = store.read(f"UNWIND $ids AS k MATCH (n:{label} {{id: k}}) RETURN {returns}", {"ids": ids}) if ids else []
    return {r["id"]: r for r in rows}
