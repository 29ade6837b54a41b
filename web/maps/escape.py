"""User text made safe for the map's popups and tooltips.

Leaflet sets popup and tooltip content as HTML, and folium writes some strings into JavaScript
template literals and parses its output as a Jinja template (see web/maps/elements.py), so user
text is HTML-escaped and the characters a template literal or Jinja reads specially (backtick,
dollar, backslash, braces) become entities too. Markup is built only from escaped parts;
nothing a user typed is ever trusted as HTML.

>>> text('<script>alert(1)</script> `${x}` {{ 7*7 }}')
'&lt;script&gt;alert(1)&lt;/script&gt; &#96;&#36;&#123;x&#125;&#96; &#123;&#123; 7*7 &#125;&#125;'
"""
from __future__ import annotations

import html
from typing import Any

_LITERAL = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;", "{": "&#123;", "}": "&#125;"})


def text(value: Any) -> str:
    """Any value as inert HTML text."""
    return html.escape("" if value is None else str(value), quote=True).translate(_LITERAL)


def tag(name: str, content: str, **attrs: Any) -> str:
    """An element around already-safe content; attribute values are escaped here."""
    rendered = "".join(f' {k.rstrip("_").replace("_", "-")}="{text(v)}"' for k, v in attrs.items() if v is not None)
    return f"<{name}{rendered}>{content}</{name}>"
