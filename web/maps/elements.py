"""The folium elements the gap map draws with, made safe for user text and fast for big layers.

branca renders an element's script and then parses that output again as a Jinja template: a
company called "{{ 7*7 }}" would come out as 49, and anything Jinja can reach would run on the
server (template injection). `RenderOnce` places the rendered output as literal text instead,
which also spares re-lexing 0.5 MB of boundaries per map. `SafeGeoJson` and `Legend` use it for
every element that carries user text. `BIND_TEXT` binds each feature's prepared popup and
tooltip HTML from its properties: folium's Popup needs jQuery and its Tooltip writes text into a
JavaScript template literal.
"""
from __future__ import annotations

from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.template import Template
from folium.utilities import JsCode

BIND_TEXT = JsCode(
    "function (feature, layer) {"
    " var p = feature.properties || {};"
    " if (p.popup) { layer.bindPopup(p.popup, {maxWidth: 340}); }"
    " if (p.tip) { layer.bindTooltip(p.tip, {sticky: true}); }"
    "}")


class Literal(Element):
    """Text placed in the document as it is, never parsed as a template."""

    def __init__(self, text: str):
        super().__init__()
        self._name = "Literal"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class RenderOnce(MacroElement):
    """A MacroElement whose header, html and script are rendered once and then kept literally."""

    def render(self, **kwargs: Any) -> str:
        """Adds the parts to the figure (as branca's MacroElement does); there is nothing to return in place."""
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError("render the element inside a folium Map")
        for part in ("header", "html", "script"):
            macro = self._template.module.__dict__.get(part)
            if macro is not None:
                getattr(figure, part).add_child(Literal(macro(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)
        return ""


class SafeGeoJson(folium.GeoJson, RenderOnce):
    """folium's GeoJSON layer, its data (popups and tooltips included) written once, literally."""


class AddData(RenderOnce):
    """Features added to its parent GeoJSON layer from JSON text the caller made safe for a <script>.

    The district boundaries are encoded once per version of the seed file (crm.reports.geo) and spliced
    in here, instead of folium encoding half a megabyte of coordinates on every map.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}_add({{ this.payload }});
        {% endmacro %}
    """)

    def __init__(self, payload: str):
        super().__init__()
        self._name = "AddData"
        self.payload = payload


class Legend(RenderOnce):
    """A legend in the map's corner; `html` must already be safe (built from escaped parts)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: "bottomright"});
            legend.onAdd = function () {
                var box = L.DomUtil.create("div", "chainlead-legend");
                box.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(box);
                L.DomEvent.disableScrollPropagation(box);
                return box;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
    """)

    def __init__(self, html: str):
        super().__init__()
        self._name = "Legend"
        self.html = html


class ProbedTiles(RenderOnce):
    """The base map's tiles, added only once one probe tile loads; otherwise a note and the boundaries alone.

    On an intranet without internet every tile of the default layer fails (and a hanging DNS holds
    the page): the probe starts after the document has loaded, gives up after `timeout_ms`, and a
    layer that starts failing later is removed the same way.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }}, url = {{ this.url|tojson }}, options = {{ this.options|tojson }};
            var settled = false, probe = new Image(), timer = null;
            function note() {
                var box = L.control({position: "topright"});
                box.onAdd = function () {
                    var div = L.DomUtil.create("div", "chainlead-legend chainlead-tiles-note");
                    div.setAttribute("role", "status");
                    div.textContent = {{ this.note|tojson }};
                    return div;
                };
                box.addTo(map);
            }
            function fail() {
                if (settled) { return; }
                settled = true; clearTimeout(timer); probe.onload = probe.onerror = null; probe.src = "";
                note();
            }
            function use() {
                if (settled) { return; }
                settled = true; clearTimeout(timer);
                var layer = L.tileLayer(url, options).addTo(map), loaded = 0, failed = 0;
                layer.bringToBack();
                layer.on("tileload", function () { loaded += 1; });
                layer.on("tileerror", function () {
                    failed += 1;
                    if (failed >= 3 && loaded === 0 && map.hasLayer(layer)) { map.removeLayer(layer); note(); }
                });
            }
            function start() {
                var tile = map.project(map.getCenter(), map.getZoom()).divideBy(256).floor();
                var subdomains = options.subdomains || "";
                probe.onload = use;
                probe.onerror = fail;
                timer = setTimeout(fail, {{ this.timeout_ms }});
                probe.src = L.Util.template(url, {s: subdomains.charAt(0), x: tile.x, y: tile.y, z: map.getZoom(), r: ""});
            }
            if (document.readyState === "complete") { start(); } else { window.addEventListener("load", start); }
        })();
        {% endmacro %}
    """)

    def __init__(self, url: str, options: dict[str, Any], note: str, timeout_ms: int):
        super().__init__()
        self._name = "ProbedTiles"
        self.url, self.options, self.note, self.timeout_ms = url, options, note, int(timeout_ms)
