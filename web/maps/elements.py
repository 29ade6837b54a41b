"""Two small folium elements ChainLead needs that folium's own would pull jQuery or CDN fonts for.

`Legend` is a Leaflet control whose HTML (escaped by the caller) travels as a JSON string, and
`BIND_TEXT` binds each GeoJSON feature's prepared popup and tooltip HTML from its properties;
folium's Popup needs jQuery and its Tooltip writes text into a template literal.
"""
from __future__ import annotations

from branca.element import MacroElement
from folium.template import Template
from folium.utilities import JsCode

BIND_TEXT = JsCode(
    "function (feature, layer) {"
    " var p = feature.properties || {};"
    " if (p.popup) { layer.bindPopup(p.popup, {maxWidth: 340}); }"
    " if (p.tip) { layer.bindTooltip(p.tip, {sticky: true}); }"
    "}")


class Legend(MacroElement):
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
