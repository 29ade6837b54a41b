"""Projects (重点项目库): the list, and each project's capital, incentives, issues and notes.

The project page carries the forms that feed the plan's figures: capital paid in (任务 10's
base, and the FDI KPIs) and issues the firm raises (任务 15); each re-draws the page with its
messages beside the fields when refused.
"""
from __future__ import annotations

from typing import Any, Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from crm import choices
from crm.base import pickers
from crm.followups import followups
from crm.people import notes
from crm.projects import firm_issues, inflows, landing, lifecycle, projects, stalls
from crm.projects.rules import PLANNED, REACHED
from crm.base.access import can_assign, can_comment, can_write, require
from crm.base.clock import local_today
from crm.errors import NotFound
from web.pages import blp
from web.i18n import current_locale
from web.pages.common import FORM, FormErrors, actor, attempt, now, store
from web.pages.forms import FormData
from web.pages.listing import PAGE_SIZE, list_args, page_number, sort_key
from web.schemas.projects import ProjectListArgs

LIST_ARGS = ProjectListArgs()
DEFAULT_SORT = "-signed_on"


@blp.get("/projects", endpoint="projects")
def project_list():
    me = actor()
    args, dropped = list_args(LIST_ARGS)
    args["sort"] = sort_key(args.get("sort", DEFAULT_SORT), projects.SORTS, DEFAULT_SORT)
    query = projects.ProjectQuery(**args, page=page_number(), page_size=PAGE_SIZE)
    page = projects.list_projects(store(), query, actor=me)
    only = list(me.districts) if me.role == "district_officer" else None
    return render_template("projects/list.html", page=page, query=query, dropped=dropped,
                           districts=pickers.districts(store(), today=local_today(now()), only=only),
                           chains=pickers.chains(store()),
                           years=range(local_today(now()).year, 2018, -1))


def render_project(project_id: str, *, form: str | None = None, errors: FormErrors | None = None,
                   values: dict[str, Any] | None = None, status: int = 200):
    me = actor()
    project = projects.get_project(store(), project_id, actor=me)
    issues = firm_issues.list_issues(store(), firm_issues.IssueQuery(project=project_id, page_size=100), actor=me)
    closed = landing.gap_changes(store(), project_id=project_id)
    work = followups.list_followups(store(), followups.FollowUpQuery(project=project_id, sort="-due_at", page_size=50),
                                    actor=me, now=now()).items
    return render_template(
        "projects/detail.html", project=project, inflows=inflows.inflows_of(store(), project_id), followups=work,
        gap_changes=closed, stages=(*lifecycle.Lifecycle.from_policy().order, lifecycle.WITHDRAWN),
        stalled=stalls.stalls_of(store(), project, day=local_today(now())), planned=PLANNED, reached=REACHED,
        rewards=inflows.rewards(store(), project_id, actor=me), issues=issues,
        notes=notes.list_notes(store(), project_id, actor=me, label="Project", page_size=100),
        categories={c.id: c for c in pickers.industry_categories()},
        may={"write": can_write(me, project.scope) and not project.archived,
             "comment": can_comment(me, project.scope), "assign": can_assign(me, project.scope)},
        owners=pickers.people(store()), today=local_today(now()), issue_flow=firm_issues.FLOW,
        errors_for={form: errors or {}} if form else {}, values=values or {}), status


@blp.get("/projects/<project_id>")
def project(project_id: str):
    return render_project(project_id)


def _redraw(project_id: str, form: str, errors: FormErrors):
    return render_project(project_id, form=form, errors=errors, values=request.form.to_dict(), status=422)


EDIT_TEXT = ("name", "kind", "industry_category", "district_id", "link_id", "owner_id", "capital_support_elsewhere",
             "rd_support_elsewhere")
EDIT_MONEY = ("total_investment_usd", "contracted_fdi_usd")
EDIT_DAYS = ("signed_on", "rd_centre_recognised_on", *PLANNED.values())


@blp.route("/projects/<project_id>/edit", methods=["GET", "POST"])
def edit_project(project_id: str):
    """Correct a project's facts; its flags and category decide the incentive, so they are here too."""
    me = actor()
    project = projects.get_project(store(), project_id, actor=me)
    require(can_write(me, project.scope), "change this project")
    errors: FormErrors = {}
    fields = EDIT_TEXT + EDIT_MONEY + EDIT_DAYS + projects.FLAGS
    values: dict[str, Any] = {k: getattr(project, k) for k in fields}
    if request.method == "POST":
        form = FormData(request.form)
        values = {**{k: form.text(k) for k in EDIT_TEXT}, **{k: form.whole(k) for k in EDIT_MONEY},
                  **{k: form.day(k) for k in EDIT_DAYS}, **{k: form.flag(k) for k in projects.FLAGS}}
        version = form.version()
        changes = {k: v for k, v in values.items() if v != getattr(project, k)}
        changed, errors = attempt(lambda: projects.update_project(store(), project_id, changes, actor=me, now=now(),
                                                                  expected_version=version), form.errors)
        if changed is not None:
            flash(_("Project saved."), "success")
            return redirect(url_for("pages.project", project_id=project_id))
    only = list(me.districts) if me.role == "district_officer" else None
    return render_template(
        "projects/form.html", project=project, values=values, errors=errors, flags=projects.FLAGS,
        planned_stages=tuple(PLANNED),
        categories=pickers.industry_categories(), links=pickers.links(store()),
        chains={c.id: c for c in pickers.chains(store())}, owners=pickers.people(store()),
        districts=pickers.districts(store(), today=local_today(now()), only=only)), (422 if errors else 200)


@blp.post("/projects/<project_id>/stage")
def move_project(project_id: str):
    """Move the project on (签约 → 注册 → 开工 → 竣工投产 → 达产); its landing closes the link's gap."""
    form = FormData(request.form)
    version = form.version()
    moved, errors = attempt(lambda: lifecycle.move_project(
        store(), project_id, form.text("to") or "", on=form.day("on"), reason=form.text("reason"), actor=actor(),
        now=now(), expected_version=version), form.errors)
    if moved is None:
        return _redraw(project_id, "stage", errors)
    flash(_("Project moved to %(stage)s.", stage=choices.PROJECT_STAGES.label(moved.stage, current_locale())),
          "success")
    return redirect(url_for("pages.project", project_id=project_id, _anchor="stage"))


@blp.post("/projects/<project_id>/inflows")
def add_inflow(project_id: str):
    """Record capital paid in; it counts at once towards the project's incentive and the KPIs."""
    form = FormData(request.form)
    data = {"received_on": form.day("received_on"), "amount_usd": form.whole("amount_usd"), "kind": form.text("kind")}
    added, errors = attempt(lambda: inflows.add_inflow(store(), project_id, data, actor=actor(), now=now()),
                            form.errors)
    if added is None:
        return _redraw(project_id, "inflow", errors)
    flash(_("Capital inflow recorded."), "success")
    return redirect(url_for("pages.project", project_id=project_id, _anchor="inflows"))


@blp.post("/projects/<project_id>/issues")
def add_issue(project_id: str):
    """Log an issue the firm raised (logistics, labour, energy, permits, a complaint)."""
    form = FormData(request.form)
    data = {"project_id": project_id, "category": form.text("category") or "", "title": form.text("title") or "",
            "description": form.text("description"), "owner_id": form.text("owner_id")}
    added, errors = attempt(lambda: firm_issues.create_issue(store(), data, actor=actor(), now=now()), form.errors)
    if added is None:
        return _redraw(project_id, "issue", errors)
    flash(_("Issue logged."), "success")
    return redirect(url_for("pages.project", project_id=project_id, _anchor="issues"))


@blp.post("/projects/<project_id>/issues/<issue_id>/status")
def move_issue(project_id: str, issue_id: str):
    """Move a firm's issue on (open → in progress → resolved → closed, or re-open it)."""
    form = FormData(request.form)
    to = form.text("status") or ""
    return _change_issue(project_id, issue_id, {"status": to}, form, lambda: _(
        "Issue moved to “%(status)s”.", status=choices.ISSUE_STATUSES.label(to, current_locale())))


@blp.post("/projects/<project_id>/issues/<issue_id>/owner")
def assign_issue(project_id: str, issue_id: str):
    """Hand a firm's issue to a colleague (chain leaders may too, on their chains)."""
    form = FormData(request.form)
    return _change_issue(project_id, issue_id, {"owner_id": form.text("owner_id")}, form, lambda: _("Issue assigned."))


def _change_issue(project_id: str, issue_id: str, changes: dict[str, Any], form: FormData,
                  done_message: Callable[[], str]):
    """Apply a row form's change: back to the issues on success, the page with the reasons on refusal."""
    version = form.version()
    if firm_issues.get_issue(store(), issue_id, actor=actor()).project_id != project_id:
        raise NotFound("Issue", issue_id)
    done, errors = attempt(lambda: firm_issues.update_issue(store(), issue_id, changes, actor=actor(), now=now(),
                                                            expected_version=version), form.errors)
    if done is None:
        return _redraw(project_id, "issue-status", {FORM: [m for ms in errors.values() for m in ms]})
    flash(done_message(), "success")
    return redirect(url_for("pages.project", project_id=project_id, _anchor="issues"))


@blp.post("/projects/<project_id>/notes")
def note_project(project_id: str):
    form = FormData(request.form)
    data = {"record_id": project_id, "label": "Project", "body": form.text("body")}
    added, errors = attempt(lambda: notes.add_note(store(), data, actor=actor(), now=now()), form.errors)
    if added is None:
        return _redraw(project_id, "note", errors)
    flash(_("Note added."), "success")
    return redirect(url_for("pages.project", project_id=project_id, _anchor="notes"))
