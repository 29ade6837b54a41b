"""The exit-risk watch page (固链): present foreign firms the reader may see, riskiest first, each
signal dated and explained, with the 固链 visit one click away."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from crm.base.clock import local_today
from crm.followups.retention import schedule_retention_visit
from crm.projects.risk_signals import record_signal
from crm.errors import NotFound
from scoring.exit_watch import firm_risk, watch_list
from web.pages import blp
from web.pages.common import actor, attempt, now, safe_next, store
from web.pages.forms import FormData


@blp.get("/risk", endpoint="risk")
def risk_watch():
    chain = request.args.get("chain") or None
    district = request.args.get("district") or None
    entries = watch_list(store(), actor=actor(), today=local_today(now()), chain=chain, district=district)
    return render_template("risk/watch.html", entries=entries, chain=chain, district=district)


@blp.post("/risk/<company_id>/visit")
def retention_visit(company_id: str):
    """The 固链 button: schedule a visit on the firm's project, then back to where the reader was."""
    if firm_risk(store(), company_id, actor=actor(), today=local_today(now())) is None:
        raise NotFound("Company", company_id)
    form = FormData(request.form)
    back = safe_next(form.text("next"), url_for("pages.risk"))
    made, errors = attempt(lambda: schedule_retention_visit(store(), company_id, actor=actor(), now=now()),
                           form.errors)
    if made is None:
        for message in [m for messages in errors.values() for m in messages]:
            flash(message, "error")
    else:
        flash(_("Visit scheduled: %(title)s", title=made.title), "success")
    return redirect(back)


@blp.post("/companies/<company_id>/risk-signals")
def record_risk_signal(company_id: str):
    """Staff record a parent's announced closure, a lease end or an incentive end from the company page."""
    from web.pages.companies import render_company  # the company page re-rendered with the form's errors

    form = FormData(request.form)
    data = {"company_id": company_id, "district_id": form.text("district_id"), "kind": form.text("kind"),
            "signal_on": form.day("signal_on"), "note": form.text("note"), "source": form.text("source")}
    made, errors = attempt(lambda: record_signal(store(), {k: v for k, v in data.items() if v is not None},
                                                 actor=actor(), now=now()), form.errors)
    if made is None:
        return render_company(company_id, form="risk", errors=errors, values=request.form.to_dict(), status=422)
    flash(_("Risk signal recorded."), "success")
    return redirect(url_for("pages.company", company_id=company_id, _anchor="exit-risk"))
