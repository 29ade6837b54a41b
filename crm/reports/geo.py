"""What the gap map shows (任务 9 产业链图谱 on a map; requirements C1, C4), as plain data per district.

For one chain (or all): how many local makers of its links each district has and how many of its
links they cover, the local makers themselves, the open leads by landing district and stage, and
the signed projects. Leads and projects go through the reader's scope like their lists, so a
district officer's map counts their own district only; the company library is everyone's.
Records on an abolished district (江北区, 渝北区 before November 2025) count towards its successor,
so the map never loses them. Drawing is the web layer's (web/maps/).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from crm.base.access import Actor
from crm.pipeline.leads import LeadQuery
from crm.pipeline.leads import where as lead_where
from crm.pipeline.stages import OPEN_STAGES
from crm.projects.projects import _MATCH as PROJECTS
from crm.projects.projects import ProjectQuery
from crm.projects.projects import _where as project_where
from crm.library.reference import successions, successors_on
from crm.library.seeding import SEEDS_DIR, boundaries_path
from crm.library.seeding.files import read_districts

LATEST = 5  # projects named per district


@dataclass
class Place:
    id: str
    name_zh: str | None
    name_en: str | None
    lat: float | None
    lon: float | None


@dataclass
class DistrictFigures:
    district_id: str
    local_makers: int = 0
    links_covered: int = 0
    open_leads: dict[str, int] = field(default_factory=dict)
    projects: int = 0
    contracted_fdi_usd: int = 0
    latest_projects: list[dict[str, Any]] = field(default_factory=list)

    @property
    def open_total(self) -> int:
        return sum(self.open_leads.values())


@dataclass
class MakerPoint:
    company_id: str
    name_zh: str | None
    name_en: str | None
    district_id: str
    links_zh: list[str]
    links_en: list[str]
    synthetic: bool = False
    source: str | None = None  # the presence's first citation and the day of its newest
    source_date: date | None = None


@dataclass
class GapMapData:
    chain_id: str | None
    places: dict[str, Place]
    figures: dict[str, DistrictFigures]
    makers: list[MakerPoint]
    makers_truncated: bool
    leads_without_district: int
    features: list[dict[str, Any]]


def successors(store: Any, today: date | None = None) -> dict[str, str]:
    """Each division abolished by `today` (any time, without one) and its successor in force that day."""
    return successors_on(successions(store), today)


@lru_cache(maxsize=4)
def _boundaries(path: Path, districts: Path, stamp: tuple[int, int]) -> tuple[list[dict[str, Any]], dict]:
    """The seed files read once per version of them (the stamp is their mtimes).

    Each feature also carries its geometry as compact JSON text (`geometry_json`): encoding the
    0.5 MB of coordinates took 50 ms, and a map embeds them on every request.
    """
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    for feature in features:
        feature["geometry_json"] = json.dumps(feature["geometry"], separators=(",", ":"))
        feature["centre"] = _centre(feature["geometry"])
    return features, read_districts(districts).nodes["District"]


def _centre(geometry: dict[str, Any]) -> tuple[float, float]:
    """The middle of the largest ring's extent (lat, lon): where a district without a seat is marked."""
    rings = geometry["coordinates"] if geometry["type"] == "Polygon" else [p[0] for p in geometry["coordinates"]]
    ring = max(rings, key=len)
    lons, lats = [pt[0] for pt in ring], [pt[1] for pt in ring]
    return (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2


def current_boundaries(today: date, *, abolished: set[str] | frozenset[str] = frozenset(),
                       seeds_dir: Path = SEEDS_DIR) -> list[dict[str, Any]]:
    """The boundary features of the divisions in force on `today` (seeds/districts.yaml), not abolished in the store."""
    path, districts = boundaries_path(seeds_dir), seeds_dir / "districts.yaml"
    features, validity = _boundaries(path, districts, (path.stat().st_mtime_ns, districts.stat().st_mtime_ns))
    out = []
    for feature in features:
        code = str(feature["properties"]["code"])
        valid = validity.get(code)
        if valid is None or code in abolished or valid["valid_from"] > today or (
                valid.get("valid_to") is not None and valid["valid_to"] <= today):
            continue
        out.append(feature)
    return out


def places(store: Any, *, today: date) -> tuple[dict[str, Place], set[str]]:
    """Every district with its seat (GCJ-02), and the codes no longer in force on `today`."""
    rows = store.read("MATCH (d:District) RETURN d.id AS id, d.name_zh AS name_zh, d.name_en AS name_en, "
                      "d.lat AS lat, d.lon AS lon, d.valid_to AS valid_to ORDER BY d.id")
    found = {r["id"]: Place(r["id"], r["name_zh"], r["name_en"], r["lat"], r["lon"]) for r in rows}
    return found, {r["id"] for r in rows if r["valid_to"] is not None and r["valid_to"] <= today}


def _chain_links(chain_id: str | None) -> str:
    return "MATCH (n:ChainNode) " + ("WHERE n.chain_id = $chain " if chain_id else "")


def gap_map_data(store: Any, *, actor: Actor, today: date, chain_id: str | None = None,
                 max_makers: int = 600) -> GapMapData:
    """Everything the map of one chain (or all chains) draws, in six reads."""
    later = successors(store, today)
    known, abolished = places(store, today=today)
    figures: dict[str, DistrictFigures] = {}

    def of(code: str) -> DistrictFigures:
        code = later.get(code, code)
        return figures.setdefault(code, DistrictFigures(code))

    made = (_chain_links(chain_id) + "WITH n MATCH (c:Company)-[:MAKES]->(n) WITH c, n "
            "MATCH (c)-[pr:PRESENT_IN]->(d:District) ")
    params = {"chain": chain_id}
    for r in store.read(made + "RETURN d.id AS district, count(DISTINCT c) AS makers, count(DISTINCT n) AS links",
                        params):
        f = of(r["district"])
        f.local_makers += r["makers"]
        f.links_covered += r["links"]
    rows = store.read(made + "RETURN c.id AS id, c.name_zh AS name_zh, c.name_en AS name_en, c.synthetic AS synthetic, "
                      "d.id AS district, pr.source AS source, pr.source_date AS source_date, "
                      "collect(DISTINCT n.name_zh) AS links_zh, collect(DISTINCT n.name_en) AS links_en "
                      "ORDER BY id, district LIMIT $cap", {**params, "cap": max_makers + 1})
    makers = [MakerPoint(r["id"], r["name_zh"], r["name_en"], later.get(r["district"], r["district"]),
                         sorted(x for x in r["links_zh"] if x), sorted(x for x in r["links_en"] if x),
                         bool(r["synthetic"]), r["source"], r["source_date"]) for r in rows[:max_makers]]
    without = _open_leads(store, actor, chain_id, of)
    _projects(store, actor, chain_id, of)
    features = current_boundaries(today, abolished=abolished)
    for feature in features:  # a district the store gives no seat is marked in its middle
        place = known.get(str(feature["properties"]["code"]))
        if place is not None and (place.lat is None or place.lon is None):
            place.lat, place.lon = feature["centre"]
    return GapMapData(chain_id, known, figures, makers, len(rows) > max_makers, without, features)


def _open_leads(store: Any, actor: Actor, chain_id: str | None, of: Any) -> int:
    """Open leads per landing district and stage (the lead list's own filter and scope); returns those with none."""
    where = lead_where(LeadQuery(stage=list(OPEN_STAGES), chain=chain_id), actor)
    without = 0
    for r in store.read(f"MATCH (l:Lead) {where.clause()} RETURN l.district_id AS district, l.stage AS stage, "
                        "count(l) AS n", where.params):
        if r["district"] is None:
            without += r["n"]
            continue
        stages = of(r["district"]).open_leads
        stages[r["stage"]] = stages.get(r["stage"], 0) + r["n"]
    return without


def _projects(store: Any, actor: Actor, chain_id: str | None, of: Any) -> None:
    """Signed projects per district: how many, contracted FDI, and the latest few by name."""
    where = project_where(ProjectQuery(chain=chain_id), actor)
    rows = store.read(PROJECTS + where.clause() + " RETURN d.id AS district, p.id AS id, p.name AS name, "
                      "c.name_zh AS company_zh, c.name_en AS company_en, p.contracted_fdi_usd AS fdi, "
                      "p.signed_on AS signed_on, p.synthetic AS synthetic ORDER BY p.signed_on DESC, p.id", where.params)
    for r in rows:
        f = of(r["district"])
        f.projects += 1
        f.contracted_fdi_usd += int(r["fdi"] or 0)
        if len(f.latest_projects) < LATEST:
            f.latest_projects.append({k: r[k] for k in ("id", "name", "company_zh", "company_en", "signed_on",
                                                         "synthetic")})
