"""A companies file's dry run told row by row: which rows are new, which match a stored company
unchanged, which merge into one (and what they change), which are ambiguous (with the candidates),
and every problem by row and column. Nothing is written.

The web upload shows this before a commit; the same validator and matcher as the import decide,
so what the preview says is what `import_companies` will do with the same file and store.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from crm.library.imports.companies import validate_companies
from crm.library.imports.ending import stored_ends
from crm.library.imports.matching import CompanyIndex, Planned, match_companies
from crm.library.imports.problems import Problem
from crm.library.imports.references import load_references
from crm.library.imports.run import company_props, company_rels, stored_companies
from crm.library.imports.table import Table
from crm.library.imports.writing import missing_rels

OUTCOMES = ("new", "match", "merge", "ambiguous")
REL_COLUMNS = {"MAKES": "makes", "PRESENT_IN": "present_in", "WAS_PRESENT_IN": "presence_ended",
               "SUPPLIES": "supplies", "SUBSIDIARY_OF": "parent"}


@dataclass(frozen=True)
class Candidate:
    company_id: str
    name: str
    score: float


@dataclass
class RowOutcome:
    """What the import would do with one row (a row with a problem is listed only as its problems)."""

    row: int
    label: str
    outcome: str  # one of OUTCOMES
    company_id: str | None = None
    company_name: str | None = None
    how: str | None = None  # "id" or "name" for a match or merge
    changes: list[str] = field(default_factory=list)  # the stored fields a merge changes
    candidates: list[Candidate] = field(default_factory=list)
    reason: str = ""


@dataclass
class Preview:
    file: str
    rows: int
    encoding: str | None
    outcomes: list[RowOutcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def of(self, outcome: str) -> list[RowOutcome]:
        return [o for o in self.outcomes if o.outcome == outcome]

    @property
    def counts(self) -> dict[str, int]:
        return {name: len(self.of(name)) for name in OUTCOMES} | {"problems": len(self.problems)}

    @property
    def committable(self) -> bool:
        """Whether a commit would write: no problems, and something new or changed."""
        return not self.problems and any(o.outcome in ("new", "merge") for o in self.outcomes)


def preview_companies(store: Any, table: Table, *, now: datetime) -> Preview:
    """Validate and match every row of `table` against the store as the import would, writing nothing."""
    preview = Preview(table.name, len(table.rows), table.encoding)
    rows, preview.problems = validate_companies(table, load_references(store, now=now))
    plan = match_companies(rows, CompanyIndex(stored_companies(store)))
    _, ending = stored_ends(store, table.name, plan.planned)
    preview.problems = sorted(preview.problems + ending, key=lambda p: (p.row or 0, p.column or ""))
    linked: dict[str, set[str]] = {}
    for rels in company_rels(table.name, [p for p in plan.planned if p.existing is not None]):
        for row in missing_rels(store, rels).rows:
            linked.setdefault(row["src"], set()).add(REL_COLUMNS[rels.type])
    outcomes = [_planned(p, linked.get(p.id, set())) for p in plan.planned]
    outcomes += [RowOutcome(a.row.row, a.row.label, "ambiguous", reason=a.reason,
                            candidates=[Candidate(cid, name, score) for cid, name, score in a.candidates])
                 for a in plan.ambiguous]
    bad = {p.row for p in preview.problems}
    preview.outcomes = sorted((o for o in outcomes if o.row not in bad), key=lambda o: o.row)
    return preview


def _planned(planned: Planned, linked: set[str]) -> RowOutcome:
    label = planned.row.label
    if planned.existing is None:
        return RowOutcome(planned.row.row, label, "new", company_id=planned.id)
    existing = planned.existing
    props = company_props(planned)
    changes = sorted({k for k, v in props.items() if existing.get(k) != v} | linked)
    name = existing.get("name_zh") or existing.get("name_en") or planned.id
    return RowOutcome(planned.row.row, label, "merge" if changes else "match", company_id=planned.id,
                      company_name=name, how=planned.how, changes=changes)
