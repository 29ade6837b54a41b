"""The home page: what each role needs first.

Staff start from their inbox (follow-ups due and overdue, tasks, pool leads to claim) and their
own pipeline; chain leaders from their chains and their inbox (escalations land there); district officers from their district's leads
and projects; leaders (the viewer role) from the latest weekly report's figures (web/pages/leader_home.py);
admins from the users and the store. Every list goes through the services, so
each reader sees only their scope.
"""
from __future__ import annotations

from typing import Any

from flask import current_app, render_template, url_for
from flask_babel import lazy_gettext as _l

from crm.base import pickers
from crm.library.imports import journal
from crm.notify import inbox
from crm.people import users
from crm.pipeline import board, leads, pool
from crm.projects import projects
from crm.choices import LEAD_STAGES
from crm.base.clock import local_today
from crm.ops.overview import store_status
from crm.pipeline.stages import OPEN_STAGES
from crm.base.listing import Page
from crm.reports.words import status_text, warning_text
from scoring.supply_demand import OutsideSupply, bought_from_outside
from web.i18n import current_locale
from web.pages import blp
from web.pages.common import actor, now, store
from web.pages.leader_home import BAR_WIDTH, leader_home
from web.reports import words

SHORT = 10
STORE_LABELS = {"Company": _l("Companies"), "Chain": _l("Chains"), "ChainNode": _l("Chain links"),
                "District": _l("Districts"), "Lead": _l("Leads"), "Project": _l("Projects"),
                "CapitalInflow": _l("Capital inflows"), "FollowUp": _l("Follow-ups"), "Event": _l("Events"),
                "Task": _l("Tasks"), "Issue": _l("Firm issues"), "Note": _l("Notes"), "User": _l("Users")}


def pipeline(**filters: Any) -> list[dict[str, Any]]:
    """Leads per stage for these filters (the lead list's own query, counted in one read)."""
    counts = board.stage_counts(store(), leads.LeadQuery(**filters), actor=actor())
    return [{"stage": stage, "total": counts[stage.value]} for stage in LEAD_STAGES]


def open_leads(**filters: Any) -> Page[leads.Lead]:
    return leads.list_leads(store(), leads.LeadQuery(stage=list(OPEN_STAGES), sort="-score", page_size=SHORT,
                                                     **filters), actor=actor())


def chain_url(chain_id: str) -> str | None:
    """The chain cockpit's address, once that page exists."""
    return url_for("pages.chain", chain_id=chain_id) if "pages.chain" in current_app.view_functions else None


def _staff() -> dict[str, Any]:
    me = actor()
    return {"inbox": inbox.inbox(store(), actor=me, now=now(), limit=SHORT),
            "pool": pool.list_pool(store(), leads.LeadQuery(sort="-score", page_size=SHORT), actor=me),
            "pipeline": pipeline(owner=me.id), "mine": open_leads(owner=me.id)}


def _chain_leader() -> dict[str, Any]:
    me = actor()
    chains = [{"chain": c, "url": chain_url(c.id)} for c in pickers.chains(store()) if c.id in me.chains]
    return {"chains": chains, "pipeline": pipeline(), "open": open_leads(),
            "inbox": inbox.inbox(store(), actor=me, now=now(), limit=SHORT)}


def _district_officer() -> dict[str, Any]:
    me = actor()
    return {"districts": pickers.districts(store(), today=local_today(now()), only=list(me.districts)),
            "pipeline": pipeline(), "open": open_leads(), "inbox": inbox.inbox(store(), actor=me, now=now(),
                                                                                limit=SHORT),
            "projects": projects.list_projects(store(), projects.ProjectQuery(page_size=SHORT), actor=me),
            "outside": _outside(me.districts)}


def _outside(districts: Any) -> list[tuple[str, OutsideSupply]]:
    """The links the officer's firms buy from outside (the supply–demand signal), most buyers first."""
    found = bought_from_outside(store(), as_of=local_today(now()))
    rows = [(d, row) for d in districts for row in found.get(d, [])]
    return sorted(rows, key=lambda r: (-len(r[1].buyers), r[1].link_id))[:SHORT]


def _admin() -> dict[str, Any]:
    people = users.list_users(store())
    return {"people": people, "status": store_status(store()), "pipeline": pipeline(), "store_labels": STORE_LABELS,
            "interrupted": journal.interrupted(store(), now=now()),
            "roles": {role: sum(1 for p in people if p.role == role and p.active) for role in
                      ("admin", "staff", "chain_leader", "district_officer", "viewer")}}


def _leader() -> dict[str, Any]:
    """The viewer role is the bureau's leaders' (docs/report.md, "Who reads what"): the report's figures first."""
    view = leader_home(store(), actor())
    return {"view": view, "w": words(current_locale()), "warning_text": warning_text, "status_text": status_text,
            "bar_width": BAR_WIDTH, "open_stages": list(OPEN_STAGES),
            "pipeline": pipeline() if view.report is None else []}


def _viewer() -> dict[str, Any]:
    return {"pipeline": pipeline(), "open": open_leads()}


BY_ROLE = {"staff": _staff, "chain_leader": _chain_leader, "district_officer": _district_officer,
           "admin": _admin, "viewer": _leader}


@blp.get("/")
def home():
    me = actor()
    return render_template("home.html", me=me, role=me.role, **BY_ROLE.get(me.role, _viewer)())
