"""Integrity of the reference seed data: districts, boundaries and promotion events.

Pure Python: reads seeds/districts.yaml, seeds/boundaries.geojson and seeds/events.yaml
with PyYAML and json only (no database, no GIS library).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

SEEDS = Path(__file__).resolve().parents[3] / "seeds"
DISTRICTS_FILE = SEEDS / "districts.yaml"
BOUNDARIES_FILE = SEEDS / "boundaries.geojson"
EVENTS_FILE = SEEDS / "events.yaml"

PLAN_START = dt.date(2022, 1, 1)
PLAN_END = dt.date(2024, 12, 31)
KINDS = {"district", "county", "autonomous_county", "zone"}
EVENT_KINDS = {"expo", "forum", "fair", "roadshow", "video_link", "cloud_signing"}
NEW_DISTRICT = "500157"
ABOLISHED_FOR_NEW = ("500105", "500112")
SEAT_TOLERANCE_KM = 3.0


@pytest.fixture(scope="module")
def divisions() -> list[dict]:
    with DISTRICTS_FILE.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    assert isinstance(data, list)
    return data


@pytest.fixture(scope="module")
def by_code(divisions) -> dict[str, dict]:
    return {d["code"]: d for d in divisions}


@pytest.fixture(scope="module")
def boundaries() -> dict:
    with BOUNDARIES_FILE.open(encoding="utf-8") as fh:
        return json.load(fh)


@pytest.fixture(scope="module")
def polygons(boundaries) -> dict[str, list]:
    """code -> list of polygons, each a list of rings of (lon, lat)."""
    out = {}
    for feature in boundaries["features"]:
        geom = feature["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        out[feature["properties"]["code"]] = polys
    return out


@pytest.fixture(scope="module")
def events() -> dict:
    with EVENTS_FILE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def valid_throughout_plan(d: dict) -> bool:
    return (
        d["kind"] != "zone"
        and d["valid_from"] <= PLAN_START
        and (d["valid_to"] is None or d["valid_to"] > PLAN_END)
    )


# ---- small pure-Python geometry --------------------------------------------------------

def _ring_contains(ring, x, y) -> bool:
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def polygons_contain(polys, lon, lat) -> bool:
    for rings in polys:
        if _ring_contains(rings[0], lon, lat) and not any(
            _ring_contains(hole, lon, lat) for hole in rings[1:]
        ):
            return True
    return False


def _km(lon1, lat1, lon2, lat2, ref_lat) -> float:
    kx = 111.32 * math.cos(math.radians(ref_lat))
    return math.hypot((lon2 - lon1) * kx, (lat2 - lat1) * 110.57)


def distance_to_boundary_km(polys, lon, lat) -> float:
    kx = 111.32 * math.cos(math.radians(lat))
    ky = 110.57
    best = math.inf
    for rings in polys:
        for ring in rings:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
                ax, ay = (x1 - lon) * kx, (y1 - lat) * ky
                bx, by = (x2 - lon) * kx, (y2 - lat) * ky
                dx, dy = bx - ax, by - ay
                seg = dx * dx + dy * dy
                t = 0.0 if seg == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / seg))
                best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return best


def seat_near(polys, seat) -> bool:
    lon, lat = seat["lon"], seat["lat"]
    return polygons_contain(polys, lon, lat) or distance_to_boundary_km(polys, lon, lat) <= SEAT_TOLERANCE_KM


def planar_area(polys) -> float:
    """Area in square degrees (shoelace); enough to compare features with each other."""
    total = 0.0
    for rings in polys:
        for k, ring in enumerate(rings):
            a = 0.0
            for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
                a += x1 * y2 - x2 * y1
            total += abs(a) / 2 * (1 if k == 0 else -1)
    return total


# ---- districts.yaml ------------------------------------------------------------------------

def test_every_entry_has_the_documented_fields(divisions):
    fields = {"code", "name_zh", "name_en", "kind", "seat", "valid_from", "valid_to",
              "successor", "spans"}
    for d in divisions:
        assert fields <= set(d), d.get("code")
        assert d["kind"] in KINDS, d["code"]
        assert isinstance(d["code"], str)
        assert d["name_zh"] and d["name_en"]
        assert isinstance(d["valid_from"], dt.date)
        assert d["valid_to"] is None or isinstance(d["valid_to"], dt.date)
        assert isinstance(d["spans"], list)
        seat = d["seat"]
        assert 28.0 < seat["lat"] < 32.5 and 105.0 < seat["lon"] < 110.5, d["code"]


def test_exactly_38_divisions_valid_in_plan_period_with_26_8_4_split(divisions):
    valid = [d for d in divisions if valid_throughout_plan(d)]
    assert len(valid) == 38
    kinds = Counter(d["kind"] for d in valid)
    assert kinds == {"district": 26, "county": 8, "autonomous_county": 4}
    # nothing else (other than zones) overlaps the plan period
    overlapping = [
        d for d in divisions
        if d["kind"] != "zone"
        and d["valid_from"] <= PLAN_END
        and (d["valid_to"] is None or d["valid_to"] > PLAN_START)
    ]
    assert len(overlapping) == 38


def test_codes_are_gbt2260_style_except_zones(divisions):
    for d in divisions:
        if d["kind"] == "zone":
            assert re.fullmatch(r"Z-[A-Z]+", d["code"]), d["code"]
        else:
            assert re.fullmatch(r"500\d{3}", d["code"]), d["code"]


def test_the_three_plan_zones_are_present(by_code):
    for code in ("Z-LIANGJIANG", "Z-GAOXIN", "Z-WANSHENG"):
        assert by_code[code]["kind"] == "zone"
        assert by_code[code]["spans"], code


def test_no_duplicate_codes(divisions):
    dupes = [c for c, n in Counter(d["code"] for d in divisions).items() if n > 1]
    assert not dupes


def test_successors_and_spans_exist(divisions, by_code):
    for d in divisions:
        if d["successor"] is not None:
            assert d["successor"] in by_code, d["code"]
            assert d["valid_to"] is not None, f"{d['code']} has a successor but no end"
        for code in d["spans"]:
            assert code in by_code and by_code[code]["kind"] != "zone", (d["code"], code)
        if d["kind"] != "zone":
            assert d["spans"] == [], d["code"]


def test_valid_from_before_valid_to(divisions):
    for d in divisions:
        if d["valid_to"] is not None:
            assert d["valid_from"] < d["valid_to"], d["code"]


def test_jiangbei_and_yubei_end_the_day_liangjiang_district_begins(by_code):
    new = by_code[NEW_DISTRICT]
    assert new["kind"] == "district" and new["valid_to"] is None
    assert new["valid_from"].year == 2025 and new["valid_from"].month == 11
    for code in ABOLISHED_FOR_NEW:
        old = by_code[code]
        assert old["valid_to"] == new["valid_from"], code
        assert old["successor"] == NEW_DISTRICT, code
    zone = by_code["Z-LIANGJIANG"]
    assert zone["valid_to"] == new["valid_from"]
    assert zone["successor"] == NEW_DISTRICT


# ---- boundaries.geojson --------------------------------------------------------------------

@pytest.mark.parametrize("code, day, approval", [
    ("500110", dt.date(2011, 10, 22), "国函〔2011〕129号"), ("500111", dt.date(2011, 10, 22), "国函〔2011〕129号"),
    ("Z-WANSHENG", dt.date(2011, 10, 22), "国函〔2011〕129号"), ("500115", dt.date(2001, 12, 25), "国函〔2001〕171号"),
    ("500102", dt.date(1997, 12, 20), None)])
def test_divisions_date_from_their_state_council_approvals(by_code, code, day, approval):
    assert by_code[code]["valid_from"] == day
    if approval:
        assert approval in DISTRICTS_FILE.read_text(encoding="utf-8").split(f'code: "{code}"' if code[0] != "Z"
                                                                          else f"code: {code}")[1].split("- code")[0]


def test_boundary_file_is_under_one_megabyte():
    assert BOUNDARIES_FILE.stat().st_size < 1_000_000


def test_boundary_file_is_a_feature_collection_with_code_and_name(boundaries, by_code):
    assert boundaries["type"] == "FeatureCollection"
    for feature in boundaries["features"]:
        assert feature["type"] == "Feature"
        props = feature["properties"]
        assert props["code"] in by_code, props["code"]
        assert props["name_zh"] == by_code[props["code"]]["name_zh"], props["code"]
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_each_valid_division_and_500157_has_exactly_one_feature(divisions, boundaries):
    counts = Counter(f["properties"]["code"] for f in boundaries["features"])
    wanted = {d["code"] for d in divisions if valid_throughout_plan(d)} | {NEW_DISTRICT}
    for code in wanted:
        assert counts[code] == 1, code
    assert set(counts) == wanted


def test_rings_are_closed_lon_lat_pairs(polygons):
    for code, polys in polygons.items():
        for rings in polys:
            for ring in rings:
                assert len(ring) >= 4 and ring[0] == ring[-1], code
                for lon, lat in ring:
                    assert 105.0 < lon < 110.5 and 28.0 < lat < 32.5, code


def test_500157_covers_former_jiangbei_and_yubei(polygons):
    merged = planar_area(polygons[NEW_DISTRICT])
    parts = sum(planar_area(polygons[c]) for c in ABOLISHED_FOR_NEW)
    assert merged == pytest.approx(parts, rel=1e-3)


def test_each_seat_lies_in_or_near_its_own_polygon(divisions, polygons):
    for d in divisions:
        if d["code"] in polygons:
            assert seat_near(polygons[d["code"]], d["seat"]), d["code"]


def test_each_zone_seat_lies_in_a_district_it_spans(divisions, polygons):
    for d in divisions:
        if d["kind"] == "zone":
            assert any(seat_near(polygons[c], d["seat"]) for c in d["spans"]), d["code"]


def test_point_in_polygon_helper_sanity(polygons):
    # 解放碑 is in 渝中区, not in 南岸区; a point in Sichuan is in no division.
    assert polygons_contain(polygons["500103"], 106.577, 29.557)
    assert not polygons_contain(polygons["500108"], 106.577, 29.557)
    assert not any(polygons_contain(p, 104.066, 30.572) for p in polygons.values())
    assert _km(106.0, 29.5, 106.0, 29.6, 29.5) == pytest.approx(11.06, rel=0.01)


# ---- events.yaml ---------------------------------------------------------------------------

def test_series_are_well_formed(events):
    ids = [s["id"] for s in events["series"]]
    assert len(ids) == len(set(ids))
    for s in events["series"]:
        assert s["kind"] in EVENT_KINDS, s["id"]
        assert s["name_zh"] and s["name_en"]
        assert re.fullmatch(r"[A-Z]{2}", s["country"]), s["id"]
        assert s["usual_month"] is None or 1 <= s["usual_month"] <= 12
        if s.get("predecessor") is not None:
            assert s["predecessor"] in ids


def test_plan_events_are_all_there(events):
    ids = {s["id"] for s in events["series"]}
    assert {"wef-davos", "wef-amnc", "boao", "ciie", "cifit", "sce", "wie", "wcif"} <= ids


def test_editions_reference_a_series_and_start_before_end(events):
    series = {s["id"] for s in events["series"]}
    ids = [e["id"] for e in events["editions"]]
    assert len(ids) == len(set(ids))
    for e in events["editions"]:
        assert e["series"] in series, e["id"]
        assert isinstance(e["start"], dt.date) and isinstance(e["end"], dt.date), e["id"]
        assert e["start"] <= e["end"], e["id"]
        assert (e["end"] - e["start"]).days < 14, e["id"]
        assert e["city_zh"] and e["city_en"], e["id"]
        assert re.fullmatch(r"[A-Z]{2}", e["country"]), e["id"]


def test_the_plan_s_first_year_has_its_sourced_editions(events):
    """Issue 15: the 4th 西洽会 (21–24 July 2022) and the 5th CIIE (5–10 November 2022)."""
    editions = {e["id"]: e for e in events["editions"]}
    assert (editions["wcif-2022"]["start"], editions["wcif-2022"]["end"]) == (dt.date(2022, 7, 21), dt.date(2022, 7, 24))
    assert (editions["ciie-2022"]["start"], editions["ciie-2022"]["end"]) == (dt.date(2022, 11, 5), dt.date(2022, 11, 10))


def test_the_other_sourced_2022_editions_are_there(events):
    """Issue 15, item 5: Davos (postponed to May), Boao and CIFIT 2022, with their reported dates."""
    editions = {e["id"]: e for e in events["editions"]}
    assert (editions["wef-davos-2022"]["start"], editions["wef-davos-2022"]["end"]) == (dt.date(2022, 5, 22), dt.date(2022, 5, 26))
    assert (editions["boao-2022"]["start"], editions["boao-2022"]["end"]) == (dt.date(2022, 4, 20), dt.date(2022, 4, 22))
    assert (editions["cifit-2022"]["start"], editions["cifit-2022"]["end"]) == (dt.date(2022, 9, 8), dt.date(2022, 9, 11))


def test_every_series_has_dated_editions_for_2023_to_2025(events):
    years = {}
    for e in events["editions"]:
        years.setdefault(e["series"], set()).add(e["start"].year)
    for sid in ("wef-davos", "wef-amnc", "boao", "ciie", "cifit", "wcif"):
        assert {2023, 2024, 2025} <= years[sid], sid
    # 智博会: Smart China Expo until 2023, World Intelligence Expo from 2024
    assert years["sce"] | years["wie"] >= {2023, 2024, 2025}
