"""Leads: the list (filters, sort, search, paging through crm.pipeline.leads.LeadQuery), new and edit forms."""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from crm.base import pickers
from crm.library import companies
from crm.pipeline import leads
from crm.base.access import can_write, may_open_records, require
from crm.base.clock import local_today
from crm.errors import ValidationFailed
from web.pages import blp
from web.pages.common import FormErrors, actor, attempt, now, store
from web.pages.forms import FormData
from web.pages.listing import PAGE_SIZE, list_args, page_number, sort_key
from web.schemas.leads import LeadListArgs

LIST_ARGS = LeadListArgs()
DEFAULT_SORT = "-updated_at"


def lead_query(*, page_size: int = PAGE_SIZE, **fixed: Any) -> tuple[leads.LeadQuery, list[str]]:
    """The page's LeadQuery from the address, read by the API's schema; `owner=me` means the reader."""
    args, dropped = list_args(LIST_ARGS)
    if args.get("owner") == "me":
        args["owner"] = actor().id
    args["sort"] = sort_key(args.get("sort", DEFAULT_SORT), leads.SORTS, DEFAULT_SORT)
    return leads.LeadQuery(**{"page": page_number(), "page_size": page_size, **args, **fixed}), dropped


def filter_options() -> dict[str, Any]:
    """What the filter bar offers; a district officer is offered only their own districts."""
    me = actor()
    only = list(me.districts) if me.role == "district_officer" else None
    chains = pickers.chains(store())
    if me.role == "chain_leader":
        chains = [c for c in chains if c.id in me.chains]
    return {"owners": pickers.people(store()), "districts": pickers.districts(store(), today=local_today(now()),
                                                                              only=only),
            "chains": chains}


@blp.get("/leads", endpoint="leads")
def leads_list():
    query, dropped = lead_query()
    try:
        page = leads.list_leads(store(), query, actor=actor())
    except ValidationFailed as exc:  # a cursor from another sort or an edited address: read by page number
        if "after" not in exc.errors or query.after is None:
            raise
        query, dropped = replace(query, after=None), dropped + ["after"]
        page = leads.list_leads(store(), query, actor=actor())
    return render_template("leads/list.html", page=page, query=query, dropped=dropped, **filter_options())



def form_choices(current_district: str | None = None) -> dict[str, Any]:
    """Pickers for the lead forms: links by chain, today's districts (plus the lead's own), colleagues."""
    me = actor()
    only = list(me.districts) if me.role == "district_officer" else None
    districts = pickers.districts(store(), today=local_today(now()), only=only)
    return {"links": pickers.links(store()), "chains": {c.id: c for c in pickers.chains(store())},
            "districts": districts, "owners": pickers.people(store()), "current_district": current_district}


def _lead_fields(form: FormData) -> dict[str, Any]:
    return {"title": form.text("title"), "priority": form.text("priority"), "source": form.text("source"),
            "expected_usd": form.whole("expected_usd"), "link_id": form.text("link_id"),
            "district_id": form.text("district_id")}


@blp.route("/leads/new", methods=["GET", "POST"])
def new_lead():
    """A new lead, by hand or prefilled from a ranked candidate (?company_id=&link_id=&district_id=)."""
    require(may_open_records(actor()), "open leads")
    errors: FormErrors = {}
    values: dict[str, Any] = {"priority": "B", "source": "ranking" if request.args.get("company_id") else "referral",
                              **{k: request.args.get(k) for k in ("company_id", "link_id", "district_id")}}
    if request.method == "POST":
        form = FormData(request.form)
        values = {**_lead_fields(form), "company_id": form.text("company_id"), "owner_id": form.text("owner_id")}
        data = {k: v for k, v in values.items() if v is not None}
        created, errors = attempt(lambda: leads.create_lead(store(), data, actor=actor(), now=now()), form.errors)
        if created is not None:
            flash(_("Lead created."), "success")
            return redirect(url_for("pages.lead", lead_id=created.id))
    company = pickers.company(store(), values["company_id"]) if values.get("company_id") else None
    return render_template("leads/form.html", lead=None, values=values, errors=errors, company=company,
                           matches=None if company else _company_matches(),
                           **form_choices()), (422 if errors else 200)


def _company_matches() -> list[companies.Company] | None:
    """Companies matching the picker's search (zh or en), or None before anything was searched."""
    q = (request.args.get("company_q") or "").strip()
    if not q:
        return None
    return companies.list_companies(store(), companies.CompanyQuery(q=q, page_size=20)).items


@blp.route("/leads/<lead_id>/edit", methods=["GET", "POST"])
def edit_lead(lead_id: str):
    """Edit a lead's fields; the version the form was read at travels with it, so a stale form is refused."""
    lead = leads.get_lead(store(), lead_id, actor=actor())
    require(can_write(actor(), lead.scope), "change this lead")
    errors: FormErrors = {}
    values: dict[str, Any] = {k: getattr(lead, k) for k in ("title", "priority", "source", "expected_usd",
                                                            "link_id", "district_id")}
    version: int | None = lead.version
    if request.method == "POST":
        form = FormData(request.form)
        values = _lead_fields(form)
        version = form.version()
        values["title"] = values["title"] or lead.title
        changes = {k: v for k, v in values.items() if v != getattr(lead, k)}
        if not changes and not form.errors:
            flash(_("Nothing was changed."))
            return redirect(url_for("pages.lead", lead_id=lead_id))
        updated, errors = attempt(lambda: leads.update_lead(store(), lead_id, changes, actor=actor(), now=now(),
                                                            expected_version=version), form.errors)
        if updated is not None:
            flash(_("Lead saved."), "success")
            return redirect(url_for("pages.lead", lead_id=lead_id))
    return render_template("leads/form.html", lead=lead, values=values, errors=errors, version=version,
                           company=pickers.company(store(), lead.company_id), matches=None,
                           **form_choices(lead.district_id)), (422 if errors else 200)
