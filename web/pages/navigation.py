"""The top menu: each role sees the areas it uses; areas appear as their pages exist. Labels are short:
the menu of a leader fits one line at 1366 px in English too."""
from __future__ import annotations

from flask import Flask, current_app, g
from flask_babel import lazy_gettext as _l

from crm.base.access import may_open_records

MENU = (
    ("pages.home", _l("Home"), None),
    ("pages.leads", _l("Leads"), None),
    ("pages.kanban", _l("Pipeline"), None),
    ("pages.companies", _l("Companies"), None),
    ("pages.chains", _l("Chains"), None),
    ("pages.gap_map", _l("Gap map"), None),
    ("pages.projects", _l("Projects"), None),
    ("pages.issues", _l("Issues"), None),
    ("pages.risk", _l("Risk watch"), None),
    ("pages.events", _l("Events"), None),
    ("pages.tasks", _l("Tasks"), None),
    ("pages.reports", _l("Report"), None),
    ("pages.assignment_rules", _l("Assignment rules"), ("admin", "staff")),
    ("pages.sources", _l("Sources"), ("admin", "staff")),
    ("pages.users", _l("Users"), ("admin",)),
    ("pages.audit_log", _l("Audit log"), ("admin",)),
)


def nav_items() -> list[tuple[str, str]]:
    actor = g.get("actor")
    if actor is None:
        return []
    return [(endpoint, str(label)) for endpoint, label, roles in MENU
            if endpoint in current_app.view_functions and (roles is None or actor.role in roles)]


def init_app(app: Flask) -> None:
    app.jinja_env.globals["nav_items"] = nav_items
    app.jinja_env.globals["may_open_records"] = may_open_records  # pages offer forms only to who may send them
