"""Tile layers for the gap map, chosen by CHAINLEAD_MAP_TILES (or `?tiles=` per request).

The seed boundaries are GCJ-02, the datum of Chinese web maps, so AMap's tiles line up with them
and are the default. OpenStreetMap is WGS-84: districts then sit a few hundred metres off, which
the page says. "none" draws the boundaries on a plain background and loads nothing from outside,
for intranets; "custom" serves an intranet tile server (CHAINLEAD_MAP_TILE_URL, in GCJ-02).
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Flask, current_app

from web.security import UnsafeConfig


@dataclass(frozen=True)
class Tiles:
    key: str
    url: str | None = None
    attribution: str = ""
    subdomains: str = "abc"
    max_zoom: int = 18

    @property
    def hosts(self) -> list[str]:
        """The image hosts the tiles come from, as the map document's CSP must name them."""
        if not self.url:
            return []
        parts = urlsplit(self.url)
        host = parts.netloc
        if "{s}" not in host:
            return [f"{parts.scheme}://{host}"]
        return [f"{parts.scheme}://{host.replace('{s}', s)}" for s in self.subdomains]


BUILT_IN = {
    "amap": Tiles("amap", "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8"
                          "&x={x}&y={y}&z={z}", "© 高德地图 AutoNavi", "1234"),
    "osm": Tiles("osm", "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                 '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors', ""),
    "none": Tiles("none"),
}
CHOICES = ("amap", "osm", "none", "custom")
# How long the map waits for one probe tile before it shows the boundaries alone (web/maps/elements.ProbedTiles).
PROBE_TIMEOUT_MS = 2500


def configured(app: Flask) -> Tiles:
    """The tiles the configuration names; an unknown choice or a custom one without a URL stops the app."""
    key = str(app.config.get("MAP_TILES") or "amap").strip().lower()
    if key not in CHOICES:
        raise UnsafeConfig(f"CHAINLEAD_MAP_TILES must be one of {', '.join(CHOICES)}, got {key!r}")
    if key != "custom":
        return BUILT_IN[key]
    url = str(app.config.get("MAP_TILE_URL") or "")
    if not url.startswith(("https://", "http://")) or "{z}" not in url:
        raise UnsafeConfig("CHAINLEAD_MAP_TILES=custom needs CHAINLEAD_MAP_TILE_URL, an http(s) URL with {x}, {y} "
                           "and {z} (GCJ-02 tiles, e.g. the intranet's tile server)")
    return Tiles("custom", url, str(app.config.get("MAP_TILE_ATTRIBUTION") or urlsplit(url).netloc),
                 str(app.config.get("MAP_TILE_SUBDOMAINS") or "abc"))


def chosen(requested: str | None) -> Tiles:
    """The request's choice when it names a known layer, else the configured one."""
    default = current_app.extensions["chainlead.tiles"]
    if requested in BUILT_IN:
        return BUILT_IN[requested]
    if requested == "custom" and default.key == "custom":
        return default
    return default


def options() -> list[str]:
    """What the tile picker offers: the built-in layers, and the intranet's when configured."""
    return [*BUILT_IN, *(["custom"] if current_app.extensions["chainlead.tiles"].key == "custom" else [])]


def init_app(app: Flask) -> None:
    app.extensions["chainlead.tiles"] = configured(app)
