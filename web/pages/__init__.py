"""Server-rendered pages (Jinja): one module per area, all on the `pages` blueprint."""
from __future__ import annotations

from flask import Blueprint, Flask

blp = Blueprint("pages", __name__)


def init_app(app: Flask) -> None:
    from web.pages import account, home  # noqa: F401  (modules attach their routes to blp)
    from web.pages import (companies, kanban, lead_followups, lead_page, leads, listing, projects,  # noqa: F401
                           tokens, users)
    from web.pages import reports  # noqa: F401
    from web.pages import chains, events, gap_map, tasks  # noqa: F401  (cockpit, gap map, events, tasks)
    from web.pages import issues, record_links  # noqa: F401  (firm issues; where notification links land)
    from web.pages import assignment, audit, sources  # noqa: F401  (assignment rules; a record's history; the audit
    # log; the data steward's sources)
    from web.pages import risk  # noqa: F401  (exit-risk watch, 固链)
    from web.pages import imports  # noqa: F401  (companies imported from the browser)
    from web.maps import tiles

    tiles.init_app(app)  # an unknown CHAINLEAD_MAP_TILES stops the app at start, not at the first map

    app.register_blueprint(blp)


def render_error(code: int, message: str) -> str:
    from flask import g, render_template
    from flask_babel import gettext as _
    from werkzeug.http import HTTP_STATUS_CODES

    if g.get("actor") is None and code in (401, 403):
        message = message or ""
    titles = {400: _("Bad request"), 403: _("Not allowed"), 404: _("Not found"), 409: _("Not possible"),
              412: _("Changed meanwhile"), 413: _("File too large"), 422: _("Check your input"), 500: _("Something went wrong"),
              503: _("Database unavailable")}
    return render_template("error.html", code=code, title=titles.get(code) or HTTP_STATUS_CODES.get(code, ""),
                           message=message)
