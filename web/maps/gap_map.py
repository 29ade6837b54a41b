"""The gap map's HTML document, drawn with folium from `crm.reports.geo.GapMapData`.

Layers: the districts coloured by how many local makers of the chain each has (the boundaries
show even with no tiles), the local makers around their district's seat, open leads and signed
projects aggregated per district (a circle each, sized by count: 20,000 leads stay a few dozen
circles). Every popup and tooltip is built from escaped text and travels inside GeoJSON, which
folium writes as JSON safe for a <script>; only Leaflet is loaded, from the app's own URLs.
"""
from __future__ import annotations

import hashlib
import json
import math
from typing import Any, Callable, Mapping

import folium
from flask_babel import gettext as _
from folium.utilities import JsCode
from jinja2.utils import htmlsafe_json_dumps

from crm.choices import LEAD_STAGES
from crm.reports.geo import DistrictFigures, GapMapData, MakerPoint, Place
from crm.pipeline.stages import OPEN_STAGES
from web.formatting import age, money_usd, when
from web.maps.elements import BIND_TEXT, AddData, Legend, ProbedTiles, SafeGeoJson
from web.maps.escape import tag, text
from web.maps.tiles import PROBE_TIMEOUT_MS, Tiles

CHONGQING = [[28.16, 105.29], [32.20, 110.19]]
PALETTE = ("#f1f5f9", "#ccfbf1", "#5eead4", "#14b8a6", "#0f766e", "#134e4a")
MAKER, LEADS, PROJECTS = "#7c3aed", "#d97706", "#16a34a"
Link = Callable[..., str]


def classes(top: int) -> list[int]:
    """Lower bounds of the coloured classes for counts up to `top` (0 has its own, pale class).

    >>> classes(3), classes(40)
    ([1, 2, 3], [1, 8, 16, 24, 32])
    """
    if top <= len(PALETTE) - 1:
        return list(range(1, top + 1))
    return sorted({1, *(max(2, math.ceil(top * q)) for q in (0.2, 0.4, 0.6, 0.8))})


def fill(value: int, bounds: list[int]) -> str:
    if value <= 0 or not bounds:
        return PALETTE[0]
    return PALETTE[1 + max(i for i, b in enumerate(bounds) if value >= b)]


def _name(record: Any, locale: str) -> str:
    zh, en = getattr(record, "name_zh", None), getattr(record, "name_en", None)
    return (en or zh or "") if locale == "en" else (zh or en or "")


def _feature(fid: str, geometry: dict[str, Any], style: dict[str, Any], popup: str, tip: str) -> dict[str, Any]:
    return {"type": "Feature", "id": fid, "geometry": geometry,
            "properties": {"style": style, "popup": popup, "tip": tip}}


def _point(lat: float, lon: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]}


def _layer(features: list[dict[str, Any]], name: str, **options: Any) -> SafeGeoJson:
    marker = folium.CircleMarker(radius=6) if options.pop("points", False) else None
    return SafeGeoJson({"type": "FeatureCollection", "features": features}, name=name, marker=marker,
                          style_function=lambda f: f["properties"]["style"], on_each_feature=BIND_TEXT,
                          zoom_on_click=False, **options)


def _districts(data: GapMapData, locale: str, outside: Mapping[str, int]) -> tuple[SafeGeoJson, list[int]]:
    """The district polygons coloured by local makers, each popup with the links its firms buy from outside;
    their geometry goes in pre-encoded (crm.reports.geo)."""
    top = max((f.local_makers for f in data.figures.values()), default=0)
    bounds = classes(top)
    parts = []
    for feature in data.features:
        code = str(feature["properties"]["code"])
        place = data.places.get(code)
        label = _name(place, locale) if place else feature["properties"].get("name_zh", code)
        f = data.figures.get(code, DistrictFigures(code))
        body = (tag("strong", text(label)) + tag("p", text(_("%(n)s local makers, covering %(links)s links",
                                                               n=f.local_makers, links=f.links_covered)))
                + tag("p", text(_("%(n)s open leads · %(p)s signed projects", n=f.open_total, p=f.projects))))
        if outside.get(code):
            body += tag("p", text(_("Firms here buy %(n)s missing links from outside", n=outside[code])))
        style = {"fillColor": fill(f.local_makers, bounds), "color": "#475569", "weight": 1, "fillOpacity": 0.7}
        props = htmlsafe_json_dumps({"code": code, "style": style, "popup": body,
                                     "tip": text(f"{label} · {f.local_makers}")})
        parts.append(f'{{"type":"Feature","id":{json.dumps(code)},"properties":{props},'
                     f'"geometry":{feature["geometry_json"]}}}')
    layer = SafeGeoJson({"type": "FeatureCollection", "features": []}, name=_("Local coverage"),
                        on_each_feature=BIND_TEXT, zoom_on_click=False, className="district",
                        style=JsCode("function (feature) { return feature.properties.style; }"))
    layer.add_child(AddData('{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}"))
    return layer, bounds


def _jitter(key: str, place: Place) -> tuple[float, float]:
    """A fixed spot near the district's seat for each maker, so makers of one district do not stack."""
    digest = hashlib.sha256(key.encode()).digest()
    angle, reach = digest[0] / 255 * 2 * math.pi, 0.012 + 0.03 * digest[1] / 255
    lat = (place.lat or 0.0) + reach * math.sin(angle)
    return lat, (place.lon or 0.0) + reach * math.cos(angle) / max(math.cos(math.radians(lat)), 0.1)


def _makers(makers: list[MakerPoint], places: dict[str, Place], locale: str, link: Link) -> SafeGeoJson:
    features = []
    for m in makers:
        place = places.get(m.district_id)
        if place is None or place.lat is None:
            continue
        name = _name(m, locale) or m.company_id
        links = m.links_en if locale == "en" else m.links_zh
        made = "、".join(links[:8]) + ("…" if len(links) > 8 else "")
        body = (tag("a", tag("strong", text(name)), href=link("pages.company", company_id=m.company_id), target="_top")
                + tag("p", text(_name(place, locale))) + tag("p", text(made)) + tag("p", text(_cited(m))))
        spot = _point(*_jitter(m.company_id + m.district_id, place))
        features.append(_feature(f"m-{m.company_id}-{m.district_id}", spot, _circle(5, MAKER, "#ffffff", 0.9), body,
                                 text(name)))
    return _layer(features, _("Local makers"), points=True)


def _cited(m: MakerPoint) -> str:
    """Where the maker's presence comes from and how old that is, as the company page says it."""
    source = _("Source: %(source)s", source=m.source) if m.source else _("No source")
    dated = (_("as of %(date)s (%(age)s)", date=when(m.source_date), age=age(m.source_date)) if m.source_date
             else _("undated"))
    return f"{source} · {dated}"


def _size(n: int) -> float:
    return round(7 + 3.2 * math.sqrt(n), 1)


def _circle(radius: float, colour: str, edge: str, opacity: float) -> dict[str, Any]:
    return {"radius": radius, "fill": True, "fillColor": colour, "color": edge, "weight": 1, "fillOpacity": opacity}


def _leads(data: GapMapData, locale: str, link: Link) -> SafeGeoJson:
    features = []
    for code, f in sorted(data.figures.items()):
        place = data.places.get(code)
        if not f.open_total or place is None or place.lat is None:
            continue
        rows = "".join(tag("li", text(f"{LEAD_STAGES.label(s, locale)}: {f.open_leads[s]}"))
                       for s in OPEN_STAGES if f.open_leads.get(s))
        href = link("pages.leads", district=code, chain=data.chain_id, stage=list(OPEN_STAGES))
        body = (tag("strong", text(_("%(district)s: %(n)s open leads", district=_name(place, locale), n=f.open_total)))
                + tag("ul", rows) + tag("a", text(_("Open the list")), href=href, target="_top"))
        style = _circle(_size(f.open_total), LEADS, "#92400e", 0.75)
        features.append(_feature(f"l-{code}", _point(place.lat, place.lon or 0.0), style, body,
                                 text(_("%(n)s open leads", n=f.open_total))))
    return _layer(features, _("Open leads by landing district"), points=True)


def _projects(data: GapMapData, locale: str, link: Link) -> SafeGeoJson:
    features = []
    for code, f in sorted(data.figures.items()):
        place = data.places.get(code)
        if not f.projects or place is None or place.lat is None:
            continue
        items = "".join(tag("li", tag("a", text(p["name"]), href=link("pages.project", project_id=p["id"]),
                                      target="_top") + text(f" · {when(p['signed_on'])}")) for p in f.latest_projects)
        heading = _("%(district)s: %(n)s signed projects", district=_name(place, locale), n=f.projects)
        everything = link("pages.projects", district=code, chain=data.chain_id)
        contracted = _("Contracted FDI %(usd)s", usd=money_usd(f.contracted_fdi_usd))
        body = (tag("strong", text(heading)) + tag("p", text(contracted)) + tag("ul", items)
                + tag("a", text(_("All projects here")), href=everything, target="_top"))
        style = _circle(_size(f.projects), PROJECTS, "#14532d", 0.8)
        features.append(_feature(f"p-{code}", _point(place.lat - 0.05, (place.lon or 0.0) + 0.06), style, body,
                                 text(_("%(n)s signed projects", n=f.projects))))
    return _layer(features, _("Signed projects"), points=True)


def _legend(data: GapMapData, bounds: list[int], top: int, chain_name: str | None) -> str:
    def swatch(colour: str, label: str, round_: bool = False) -> str:
        return tag("li", tag("i", "", class_="dot" if round_ else "box", style=f"background: {colour}") + text(label))

    steps = [swatch(PALETTE[0], "0")]
    for i, b in enumerate(bounds):
        upper = bounds[i + 1] - 1 if i + 1 < len(bounds) else top
        steps.append(swatch(PALETTE[1 + i], str(b) if upper == b else f"{b}–{upper}"))
    notes = []
    if data.leads_without_district:
        notes.append(tag("p", text(_("%(n)s open leads have no landing district yet.", n=data.leads_without_district))))
    if data.makers_truncated:
        notes.append(tag("p", text(_("Only the first %(n)s local makers are drawn.", n=len(data.makers)))))
    return (tag("strong", text(chain_name or _("All chains"))) + tag("p", text(_("Local makers per district")))
            + tag("ul", "".join(steps)) + tag("ul", swatch(MAKER, _("Local maker"), True)
                                              + swatch(LEADS, _("Open leads (size: how many)"), True)
                                              + swatch(PROJECTS, _("Signed projects (size: how many)"), True))
            + "".join(notes))


def gap_map_html(data: GapMapData, *, tiles: Tiles, locale: str, chain_name: str | None,
                 asset: Callable[[str], str], link: Link, outside: Mapping[str, int] | None = None) -> str:
    """The complete map document; `asset(path)` and `link(endpoint, **args)` make the app's URLs; `outside`
    counts per district the missing links its firms buy from outside (the supply–demand signal)."""
    m = folium.Map(tiles=None, control_scale=True, prefer_canvas=False, zoom_control=True)
    m.default_js = [("leaflet", asset("vendor/leaflet/leaflet.js"))]
    m.default_css = [("leaflet_css", asset("vendor/leaflet/leaflet.css")), ("chainlead_map", asset("map-frame.css"))]
    districts, bounds = _districts(data, locale, outside or {})
    districts.add_to(m)
    for layer in (_makers(data.makers, data.places, locale, link), _leads(data, locale, link),
                  _projects(data, locale, link)):
        layer.add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    top = max((f.local_makers for f in data.figures.values()), default=0)
    m.add_child(Legend(_legend(data, bounds, top, chain_name)))
    m.fit_bounds(CHONGQING)
    if tiles.url:
        m.add_child(ProbedTiles(tiles.url, {"attribution": tiles.attribution, "subdomains": tiles.subdomains,
                                            "maxZoom": tiles.max_zoom}, _(
            "The base map's tiles could not be loaded (no internet here?): the map shows the district boundaries "
            "alone. An administrator can point it at an intranet tile server (docs/gap-map.md)."), PROBE_TIMEOUT_MS))
    return m.get_root().render()
