"""The data steward's page (/sources): the library's facts that most need a look, each with where it comes
from and how old it is, linking to its company. It reads crm/library/provenance.py as the API does."""
from __future__ import annotations

from flask import render_template
from flask_babel import lazy_gettext as _l

from crm.library.provenance import FactQuery, list_facts
from web.pages import blp
from web.pages.common import actor, store
from web.pages.listing import PAGE_SIZE, list_args, page_number
from web.schemas.sources import FactArgs

KIND_NAMES = {"presence": _l("Presence in Chongqing"), "makes": _l("Links made"), "rank": _l("Fortune Global 500 rank")}
FLAG_NAMES = {"all": _l("All, undated first, then oldest"), "oldest": _l("Oldest dated first"),
              "unsourced": _l("Unsourced"), "undated": _l("Undated"), "estimated": _l("Marked estimated"),
              "unknown_country": _l("Country unknown"), "unknown_rank": _l("Rank unknown")}


@blp.get("/sources", endpoint="sources")
def sources():
    """Staff and admins only (the list refuses others); a malformed filter is dropped and said."""
    args, dropped = list_args(FactArgs())
    query = FactQuery(**args, page=page_number(), page_size=PAGE_SIZE)
    page = list_facts(store(), query, actor=actor())
    return render_template("sources/list.html", page=page, query=query, dropped=dropped, kinds=KIND_NAMES,
                           flags=FLAG_NAMES)
