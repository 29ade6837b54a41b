"""The gap map page (/map) and the map document it frames (/map/frame).

folium writes inline scripts and styles, which the app's CSP forbids everywhere else; the map
document alone is served with a per-response nonce on its own tags (web/security.allow_inline)
and names only its tile layer's hosts. The page around it stays under the strict policy.
"""
from __future__ import annotations

from flask import Response, render_template, request, url_for

from crm.base import pickers
from crm.library import companies
from crm.reports import geo
from crm.base.clock import local_today
from scoring.supply_demand import bought_from_outside
from web.i18n import current_locale
from web.maps import tiles as tile_layers
from web.maps.gap_map import gap_map_html
from web.pages import blp
from web.pages.common import actor, now, store
from web.security import allow_inline, nonce_tags


def _chain() -> tuple[str | None, pickers.Option | None, list[pickers.Option]]:
    """The chain asked for (or none: all chains), its name, and every chain for the picker."""
    chains = pickers.chains(store())
    wanted = request.args.get("chain") or None
    found = next((c for c in chains if c.id == wanted), None)
    return (found.id if found else None), found, chains


@blp.get("/map", endpoint="gap_map")
def gap_map():
    chain_id, chain, chains = _chain()
    tiles = tile_layers.chosen(request.args.get("tiles"))
    return render_template("map/page.html", chain=chain, chains=chains, tiles=tiles, tile_options=tile_layers.options(),
                           frame=url_for("pages.gap_map_frame", chain=chain_id, tiles=tiles.key),
                           local_firms=companies.local_count(store()))


@blp.get("/map/frame", endpoint="gap_map_frame")
def gap_map_frame():
    chain_id, chain, _ = _chain()
    tiles = tile_layers.chosen(request.args.get("tiles"))
    data = geo.gap_map_data(store(), actor=actor(), today=local_today(now()), chain_id=chain_id)
    outside = {d: len(rows) for d, rows in bought_from_outside(store(), chain_id=chain_id,
                                                               as_of=local_today(now())).items()}
    html = gap_map_html(data, tiles=tiles, locale=current_locale(), chain_name=_named(chain),
                        asset=lambda path: url_for("static", filename=path), link=url_for, outside=outside)
    return Response(nonce_tags(html, allow_inline(img_hosts=tiles.hosts)), mimetype="text/html")


def _named(chain: pickers.Option | None) -> str | None:
    if chain is None:
        return None
    return (chain.name_en or chain.name_zh) if current_locale() == "en" else (chain.name_zh or chain.name_en)
