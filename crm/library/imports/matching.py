"""Decide, for each valid company row, which stored company it is: by id, by name, or none (new).

A name matches when one of the row's name keys (names and aliases, normalised) equals a key
of exactly one stored company whose country agrees. Several such companies, a name match with
a different country, or only a fuzzy near-match are *ambiguous*: reported, never merged. So is
a new company_id on a row carrying a stored company's name (ids added to a file later would
otherwise duplicate every company). Pure: takes the stored companies as data.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Iterable

from rapidfuzz import fuzz, process

from crm.library.imports.companies import CompanyRow
from crm.library.imports.names import name_keys
from crm.library.imports.problems import quoted

FUZZY_CUTOFF = 85       # rapidfuzz WRatio: a one-letter slip in a five-letter name, or containment
FUZZY_MIN_LENGTH = 4    # shorter keys ("ti", "长安") would near-match half the list


@dataclass
class Planned:
    row: CompanyRow
    id: str
    existing: dict[str, Any] | None
    how: str  # "new", "id" or "name"


@dataclass
class Ambiguous:
    row: CompanyRow
    candidates: list[tuple[str, str, float]]  # (id, name, score)
    reason: str

    def describe(self) -> str:
        names = "; ".join(f"{name} ({cid}{'' if score >= 100 else f', {score:.0f}%'})"
                          for cid, name, score in self.candidates)
        return f"{quoted(self.row.label)} {self.reason}: {names}"

    def __str__(self) -> str:
        return f"row {self.row.row}: {self.describe()}"


@dataclass
class CompanyPlan:
    planned: list[Planned] = field(default_factory=list)
    ambiguous: list[Ambiguous] = field(default_factory=list)


class CompanyIndex:
    """Stored companies by id and by name key, built once per import."""

    def __init__(self, companies: Iterable[dict[str, Any]]):
        self.by_id: dict[str, dict[str, Any]] = {}
        self.by_key: dict[str, list[str]] = {}
        for company in companies:
            self.by_id[company["id"]] = company
            keys = name_keys(company.get("name_zh"), company.get("name_en"), *(company.get("aliases") or []))
            if company.get("name_norm"):
                keys.add(company["name_norm"])
            for key in keys:
                self.by_key.setdefault(key, []).append(company["id"])
        self._fuzzy_keys = [k for k in self.by_key if len(k) >= FUZZY_MIN_LENGTH]

    def near(self, key: str) -> list[tuple[str, float]]:
        if len(key) < FUZZY_MIN_LENGTH or not self._fuzzy_keys:
            return []
        found = process.extract(key, self._fuzzy_keys, scorer=fuzz.WRatio, processor=None,
                                score_cutoff=FUZZY_CUTOFF, limit=5)
        return [(choice, score) for choice, score, _ in found]


def match_companies(rows: list[CompanyRow], index: CompanyIndex) -> CompanyPlan:
    plan = CompanyPlan()
    taken = set(index.by_id) | {r.company_id for r in rows if r.company_id}
    claimed = {r.company_id: r.row for r in rows if r.company_id}
    for row in rows:
        if row.company_id:
            existing = index.by_id.get(row.company_id)
            twin = None if existing else _same_name(row, index)
            if twin:
                plan.ambiguous.append(Ambiguous(row, _described(index, twin, 100),
                                                f"has a new company_id ({row.company_id}) but the name of"))
            else:
                plan.planned.append(Planned(row, row.company_id, existing, "id" if existing else "new"))
            continue
        found = _by_name(row, index)
        if isinstance(found, Ambiguous):
            plan.ambiguous.append(found)
        elif found is not None and found in claimed:
            plan.ambiguous.append(Ambiguous(row, _described(index, [found], 100),
                                            f"names the same company as row {claimed[found]}"))
        elif found is not None:
            claimed[found] = row.row
            plan.planned.append(Planned(row, found, index.by_id[found], "name"))
        else:
            new_id = generated_id(row, taken)
            taken.add(new_id)
            plan.planned.append(Planned(row, new_id, None, "new"))
    return plan


def _same_name(row: CompanyRow, index: CompanyIndex) -> list[str]:
    """Stored companies (countries agreeing) whose name a row with a new id carries: a likely duplicate."""
    country = row.props.get("country")
    return sorted({cid for key in row.keys for cid in index.by_key.get(key, ())
                   if _agrees(country, index.by_id[cid].get("country"))})


def _by_name(row: CompanyRow, index: CompanyIndex) -> str | Ambiguous | None:
    country = row.props.get("country")
    hits = sorted({cid for key in row.keys for cid in index.by_key.get(key, ())})
    agreeing = [cid for cid in hits if _agrees(country, index.by_id[cid].get("country"))]
    if len(agreeing) == 1:
        return agreeing[0]
    if agreeing:
        return Ambiguous(row, _described(index, agreeing, 100), "matches several companies by name")
    if hits:
        return Ambiguous(row, _described(index, hits, 100),
                         f"has the name of a company from another country (row says {country})")
    near: dict[str, float] = {}
    for key in row.keys:
        for choice, score in index.near(key):
            for cid in index.by_key[choice]:
                if _agrees(country, index.by_id[cid].get("country")):
                    near[cid] = max(near.get(cid, 0.0), score)
    if near:
        best = sorted(near, key=lambda c: -near[c])[:5]
        return Ambiguous(row, [(c, _name(index.by_id[c]), near[c]) for c in best], "is close to")
    return None


def _described(index: CompanyIndex, ids: list[str], score: float) -> list[tuple[str, str, float]]:
    return [(cid, _name(index.by_id[cid]), score) for cid in ids]


def _name(company: dict[str, Any]) -> str:
    return company.get("name_zh") or company.get("name_en") or company["id"]


def _agrees(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def generated_id(row: CompanyRow, taken: set[str]) -> str:
    """A stable id for a new company without one: the same name and country give the same id."""
    key = row.name_norm or str(row.row)
    digest = hashlib.sha1(f"{key}|{row.props.get('country') or ''}".encode()).hexdigest()
    size = 10
    while f"co-{digest[:size]}" in taken and size < len(digest):
        size += 2
    return f"co-{digest[:size]}"
