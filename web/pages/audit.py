"""Who changed what: one record's history (lead, project, company, …) and, for admins, the whole
audit log filtered by user, record kind and days. Both read crm/people/audit.py, so a page shows
exactly what the API would, to the same people."""
from __future__ import annotations

from flask import render_template
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from crm.base.access import require_admin
from crm.base.listing import Page
from crm.people import audit, users
from graph.schema import SCHEMA
from web.pages import blp
from web.pages.common import actor, attempt, store
from web.pages.listing import PAGE_SIZE, list_args, page_number
from web.schemas.common import Strict

# The kinds of record with an audit trail (records carry a version), each named in the reader's language.
KIND_NAMES = {"AssignmentRule": _l("Assignment rule"), "CapitalInflow": _l("Capital inflow"), "Chain": _l("Chain"),
              "ChainNode": _l("Chain link"), "Company": _l("Company"), "Contact": _l("Contact"), "Event": _l("Event"),
              "FollowUp": _l("Follow-up"), "Issue": _l("Firm issue"), "Lead": _l("Lead"), "Note": _l("Note"),
              "Project": _l("Project"), "Task": _l("Task"), "User": _l("User")}
KINDS = sorted(k for k in KIND_NAMES if k in SCHEMA.nodes)


class LogArgs(Strict):
    user = fields.String(validate=validate.Length(max=80))
    label = fields.String(validate=validate.OneOf(KINDS))
    since = fields.Date()
    until = fields.Date()


@blp.get("/history/<label>/<record_id>", endpoint="record_history")
def record_history(label: str, record_id: str):
    """A record's trail, newest first; an unknown or unreadable record answers 404 alike."""
    page = audit.history_for(store(), record_id, actor=actor(), label=label, page=page_number(),
                             page_size=PAGE_SIZE)
    return render_template("audit/record.html", page=page, label=label, record_id=record_id, kind_names=KIND_NAMES)


@blp.get("/audit", endpoint="audit_log")
def audit_log():
    """The global log for admins; a malformed filter is dropped and said, an impossible range explained."""
    require_admin(actor(), "read the audit log")
    args, dropped = list_args(LogArgs())
    query = audit.LogQuery(**args, page=page_number(), page_size=PAGE_SIZE)
    page, errors = attempt(lambda: audit.audit_log(store(), query, actor=actor()))
    if page is None:
        page = Page([], 0, 1, PAGE_SIZE)
    return render_template("audit/log.html", page=page, query=query, dropped=dropped, errors=errors, kinds=KINDS,
                           kind_names=KIND_NAMES,
                           people=users.list_users(store())), (422 if errors else 200)
