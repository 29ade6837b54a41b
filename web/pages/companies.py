"""Companies: the enterprise library's list and each firm's page, with its place in the graph.

A company page shows only the leads and projects the reader may see (the services filter by
the reader's scope), so a district officer never learns of another district's lead here.
"""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from crm.base import pickers
from crm.library import companies, company_edits, contacts, presence
from crm.people import notes
from crm.pipeline import leads
from crm.projects import projects
from crm.base.access import can_write, require
from crm.base.clock import local_today
from crm.people.visibility import locate, may_comment
from scoring.exit_watch import firm_risk
from web.pages import blp
from web.pages.common import FormErrors, actor, attempt, now, store
from web.pages.forms import FormData
from web.pages.listing import PAGE_SIZE, list_args, page_number, sort_key
from web.schemas.companies import CompanyListArgs

LIST_ARGS = CompanyListArgs()
DEFAULT_SORT = "name_zh"
SECTION_SIZE = 50


@blp.get("/companies", endpoint="companies")
def company_list():
    args, dropped = list_args(LIST_ARGS)
    args["sort"] = sort_key(args.get("sort", DEFAULT_SORT), companies.SORTS, DEFAULT_SORT)
    query = companies.CompanyQuery(**args, page=page_number(), page_size=PAGE_SIZE)
    page = companies.list_companies(store(), query)
    return render_template("companies/list.html", page=page, query=query, dropped=dropped,
                           chains=pickers.chains(store()), countries=pickers.countries(store()),
                           chain_names={c.id: c for c in pickers.chains(store())}, may_add=can_write(actor()))


def render_company(company_id: str, *, form: str | None = None, errors: FormErrors | None = None,
                   values: dict[str, Any] | None = None, status: int = 200):
    me = actor()
    company = companies.get_company(store(), company_id)
    its_leads = leads.list_leads(store(), leads.LeadQuery(company=company_id, sort="-updated_at",
                                                          page_size=SECTION_SIZE), actor=me)
    its_projects = projects.list_projects(store(), projects.ProjectQuery(company=company_id,
                                                                         page_size=SECTION_SIZE), actor=me)
    people = contacts.list_contacts(store(), contacts.ContactQuery(company=company_id, page_size=SECTION_SIZE))
    ref = locate(store(), company_id, "Company")
    return render_template(
        "companies/detail.html", company=company, leads=its_leads, projects=its_projects, contacts=people,
        notes=notes.list_notes(store(), company_id, actor=me, label="Company", page_size=SECTION_SIZE),
        chains={c.id: c for c in pickers.chains(store())}, may_comment=may_comment(me, ref),
        may_open_lead=can_write(me) or me.role == "district_officer", may_edit=can_write(me),
        local_suppliers=[c for c in company.suppliers if c.local],
        local_customers=[c for c in company.customers if c.local], ended=presence.ended_presences(store(), company_id),
        risk=firm_risk(store(), company_id, actor=me, today=local_today(now())),
        errors_for={form: errors or {}} if form else {}, values=values or {}), status


@blp.get("/companies/<company_id>")
def company(company_id: str):
    return render_company(company_id)


TEXT_FIELDS = ("name_zh", "name_en", "country", "industry", "source")
WHOLE_FIELDS = ("fg500_rank", "fg500_year", "employees")
FLAG_FIELDS = ("multinational", "leading")


@blp.route("/companies/<company_id>/edit", methods=["GET", "POST"])
def edit_company(company_id: str):
    """Correct a company in the library: names, standing, the links it makes, where it is present."""
    require(can_write(actor()), "change companies in the library")
    company = companies.get_company(store(), company_id)
    errors: FormErrors = {}
    current: dict[str, Any] = {k: getattr(company, k) for k in (*TEXT_FIELDS, *WHOLE_FIELDS, *FLAG_FIELDS,
                                                                "aliases", "revenue_usd_m", "link_ids", "district_ids")}
    values = current
    if request.method == "POST":
        form = FormData(request.form)
        values = _company_values(form)
        version = form.version()
        changes = {k: v for k, v in values.items() if v != (sorted(current[k]) if k.endswith("_ids") else current[k])}
        changed, errors = attempt(lambda: company_edits.update_company(
            store(), company_id, changes, actor=actor(), now=now(), expected_version=version), form.errors)
        if changed is not None:
            flash(_("Company saved."), "success")
            return redirect(url_for("pages.company", company_id=company_id))
    return _company_form(company, values, errors)


@blp.route("/companies/new", methods=["GET", "POST"])
def new_company():
    """Add a firm to the library by hand (the importer adds many); the same checks as the API."""
    require(can_write(actor()), "add companies to the library")
    errors: FormErrors = {}
    values: dict[str, Any] = {"aliases": [], "link_ids": [], "district_ids": []}
    if request.method == "POST":
        form = FormData(request.form)
        values = _company_values(form)
        data = {k: v for k, v in values.items() if v not in (None, [])}
        created, errors = attempt(lambda: company_edits.create_company(store(), data, actor=actor(), now=now()),
                                  form.errors, conflict_field="name_zh")
        if created is not None:
            flash(_("Company added."), "success")
            return redirect(url_for("pages.company", company_id=created.id))
    return _company_form(None, values, errors)


def _company_values(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {**{k: form.text(k) for k in TEXT_FIELDS}, **{k: form.whole(k) for k in WHOLE_FIELDS},
                              **{k: form.flag(k) for k in FLAG_FIELDS}, "aliases": form.lines("aliases"),
                              "revenue_usd_m": form.number("revenue_usd_m"), "link_ids": sorted(form.many("link_ids")),
                              "district_ids": sorted(form.many("district_ids"))}
    values["country"] = (form.text("country") or "").upper() or None
    return values


def _company_form(company: Any, values: dict[str, Any], errors: FormErrors):
    return render_template("companies/form.html", company=company, values=values, errors=errors,
                           links=pickers.links(store()), chains={c.id: c for c in pickers.chains(store())},
                           districts=pickers.districts(store(), today=local_today(now()))), (422 if errors else 200)


CONTACT_FIELDS = ("name", "title", "email", "phone")


@blp.route("/contacts/<contact_id>/edit", methods=["GET", "POST"])
def edit_contact(contact_id: str):
    """Correct a contact, or archive one who left the company (nothing is deleted)."""
    require(can_write(actor()), "change contacts")
    contact = contacts.get_contact(store(), contact_id)
    errors: FormErrors = {}
    values: dict[str, Any] = {k: getattr(contact, k) for k in (*CONTACT_FIELDS, "archived")}
    if request.method == "POST":
        form = FormData(request.form)
        values = {**{k: form.text(k) for k in CONTACT_FIELDS}, "archived": form.flag("archived")}
        version = form.version()
        changes = {k: v for k, v in values.items() if v != getattr(contact, k)}
        changed, errors = attempt(lambda: contacts.update_contact(store(), contact_id, changes, actor=actor(),
                                                                  now=now(), expected_version=version), form.errors)
        if changed is not None:
            flash(_("Contact saved."), "success")
            return redirect(url_for("pages.company", company_id=contact.company_id, _anchor="contacts"))
    return render_template("companies/contact_form.html", contact=contact, values=values,
                           errors=errors), (422 if errors else 200)


@blp.post("/companies/<company_id>/presence/<district_id>/end")
def end_presence(company_id: str, district_id: str):
    """The firm left the district (exit, relocation, shutdown, sale): its gaps re-open from that day."""
    form = FormData(request.form)
    until, reason = form.day("until"), form.text("reason")
    done, errors = attempt(lambda: presence.end_presence(store(), company_id, district_id, until=until, reason=reason,
                                                         actor=actor(), now=now()), form.errors)
    if done is None:
        return render_company(company_id, form=f"end:{district_id}", errors=errors, values=request.form.to_dict(),
                              status=422)
    flash(_("Presence ended; %(n)s chain links have no local maker now.", n=len(done)), "success")
    return redirect(url_for("pages.company", company_id=company_id))


@blp.post("/companies/<company_id>/presence/<district_id>/restore")
def restore_presence(company_id: str, district_id: str):
    """Undo an end recorded by mistake: the presence holds again and the gaps it re-opened are taken back."""
    def restore() -> bool:
        presence.restore_presence(store(), company_id, district_id, actor=actor(), now=now())
        return True

    done, errors = attempt(restore)
    if done is None:
        return render_company(company_id, form=f"restore:{district_id}", errors=errors, status=422)
    flash(_("The firm's presence was restored."), "success")
    return redirect(url_for("pages.company", company_id=company_id))


@blp.post("/companies/<company_id>/notes")
def note_company(company_id: str):
    form = FormData(request.form)
    data = {"record_id": company_id, "label": "Company", "body": form.text("body")}
    added, errors = attempt(lambda: notes.add_note(store(), data, actor=actor(), now=now()), form.errors)
    if added is None:
        return render_company(company_id, form="note", errors=errors, values=request.form.to_dict(), status=422)
    flash(_("Note added."), "success")
    return redirect(url_for("pages.company", company_id=company_id, _anchor="notes"))


@blp.post("/companies/<company_id>/contacts")
def add_contact(company_id: str):
    """A person at the company: name, title, e-mail, phone."""
    form = FormData(request.form)
    data = {"company_id": company_id, **{k: form.text(k) for k in ("name", "title", "email", "phone")}}
    added, errors = attempt(lambda: contacts.create_contact(store(), data, actor=actor(), now=now()), form.errors)
    if added is None:
        return render_company(company_id, form="contact", errors=errors, values=request.form.to_dict(), status=422)
    flash(_("Contact added."), "success")
    return redirect(url_for("pages.company", company_id=company_id, _anchor="contacts"))
