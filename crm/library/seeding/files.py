"""Read the YAML seed files into node and relationship rows (pure: files in, rows out).

districts.yaml → District nodes, SUCCEEDED_BY (effective on the successor's valid_from) and
SPANS; events.yaml → EventSeries and Event nodes with EDITION_OF; district_focus.yaml →
FOCUSES_ON. Chains and companies are CSV and go through the importer instead.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from crm.errors import ValidationFailed


@dataclass
class SeedRows:
    nodes: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)   # label -> id -> props
    rels: list[tuple[str, str, str, list[dict[str, Any]]]] = field(default_factory=list)  # type, start, end, rows


def _load(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValidationFailed({path.name: [str(exc)]}) from None


def read_districts(path: Path) -> SeedRows:
    entries = _load(path)
    by_code = {str(d["code"]): d for d in entries}
    out = SeedRows()
    out.nodes["District"] = {
        code: {"name_zh": d["name_zh"], "name_en": d["name_en"], "kind": d["kind"],
               "lat": float(d["seat"]["lat"]), "lon": float(d["seat"]["lon"]),
               "valid_from": d["valid_from"], "valid_to": d.get("valid_to")}
        for code, d in by_code.items()}
    succeeded, spans = [], []
    for code, d in by_code.items():
        successor = d.get("successor")
        if successor:
            if str(successor) not in by_code:
                raise ValidationFailed({path.name: [f"{code}: successor {successor} is not in the file"]})
            succeeded.append({"src": code, "dst": str(successor),
                              "effective_on": by_code[str(successor)]["valid_from"]})
        spans += [{"src": code, "dst": str(other)} for other in d.get("spans") or []]
    out.rels += [("SUCCEEDED_BY", "District", "District", succeeded), ("SPANS", "District", "District", spans)]
    return out


def read_events(path: Path, *, today: date) -> SeedRows:
    """Editions that ended before today are 'held', the others 'planned'."""
    data = _load(path)
    series = {s["id"]: s for s in data["series"]}
    out = SeedRows()
    out.nodes["EventSeries"] = {
        s["id"]: {k: s.get(k) for k in ("name_zh", "name_en", "kind", "usual_month", "city_zh", "city_en",
                                         "country", "url")}
        for s in series.values()}
    editions, links = {}, []
    for e in data["editions"]:
        parent = series.get(e["series"])
        if parent is None:
            raise ValidationFailed({path.name: [f"{e['id']}: unknown series {e['series']}"]})
        editions[e["id"]] = {
            "series_id": e["series"], "name_zh": e["name_zh"], "name_en": e["name_en"], "kind": parent["kind"],
            "start_on": e["start"], "end_on": e["end"], "city_zh": e.get("city_zh"), "city_en": e.get("city_en"),
            "country": e.get("country"), "status": "held" if e["end"] < today else "planned"}
        links.append({"src": e["id"], "dst": e["series"]})
    out.nodes["Event"] = editions
    out.rels.append(("EDITION_OF", "Event", "EventSeries", links))
    return out


def read_focus(path: Path, *, districts: set[str], chains: set[str]) -> SeedRows:
    """FOCUSES_ON rows; an unknown district or chain id is an error, not a silent skip."""
    out = SeedRows()
    rows, errors = [], []
    for entry in _load(path)["focus"]:
        code = str(entry["district"])
        if code not in districts:
            errors.append(f"unknown district {code}")
        for chain in entry["chains"]:
            if chain not in chains:
                errors.append(f"{code}: unknown chain {chain}")
            rows.append({"src": code, "dst": chain})
    if errors:
        raise ValidationFailed({path.name: errors})
    out.rels.append(("FOCUSES_ON", "District", "Chain", rows))
    return out
