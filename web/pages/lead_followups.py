"""Working a lead: scheduling a follow-up, logging what came of one, and claiming a lead from the pool.

Logging an outcome completes the open follow-up through crm.followups.completion, which schedules the
next one by the cadence; claiming goes through crm.pipeline.pool, so of two people claiming at once
one wins and the other is told who did.
"""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from crm.followups import completion, followups
from crm.pipeline import pool
from web.pages import blp
from web.pages.common import actor, attempt, now, safe_next, store
from web.pages.forms import FormData
from web.pages.lead_page import render_lead


@blp.post("/leads/<lead_id>/followups")
def schedule_followup(lead_id: str):
    form = FormData(request.form)
    data = {"lead_id": lead_id, "kind": form.text("kind"), "due_on": form.day("due_on"), "title": form.text("title"),
            "notes": form.text("notes")}
    if data["due_on"] is None and "due_on" not in form.errors:
        form.errors["due_on"] = [_("This field is required.")]
    made, errors = attempt(lambda: followups.create_followup(store(), {k: v for k, v in data.items() if v},
                                                             actor=actor(), now=now()), form.errors)
    if made is None:
        return render_lead(lead_id, form="followup", errors=errors, values=request.form.to_dict(), status=422)
    flash(_("Follow-up scheduled for %(when)s.", when=made.due_at.strftime("%Y-%m-%d")), "success")
    return redirect(url_for("pages.lead", lead_id=lead_id, _anchor="followups"))


@blp.post("/leads/<lead_id>/followups/<followup_id>/complete")
def complete_followup(lead_id: str, followup_id: str):
    """Log the outcome of an open follow-up; the next one is scheduled by the cadence."""
    form = FormData(request.form)
    data = {"outcome": form.text("outcome") or "", "notes": form.text("notes"), "next_kind": form.text("next_kind"),
            "next_due_on": form.day("next_due_on")}
    version = form.version()
    done, errors = attempt(lambda: completion.complete_followup(
        store(), followup_id, {k: v for k, v in data.items() if v is not None}, actor=actor(), now=now(),
        expected_version=version), form.errors)
    if done is None:
        return render_lead(lead_id, form=f"complete:{followup_id}", errors=errors, values=request.form.to_dict(),
                           status=422)
    flash(_("Follow-up logged.") + (" " + _("The next one is scheduled.") if done.next_id else ""), "success")
    return redirect(url_for("pages.lead", lead_id=lead_id, _anchor="followups"))


@blp.post("/leads/<lead_id>/claim")
def claim_lead(lead_id: str):
    """Take a pool lead; if someone was quicker, say who and change nothing."""
    form = FormData(request.form)
    claimed, errors = attempt(lambda: pool.claim(store(), lead_id, actor=actor(), now=now(),
                                                 expected_version=form.version()), form.errors)
    if claimed is None:
        for message in [m for messages in errors.values() for m in messages]:
            flash(message, "error")
    else:
        flash(_("The lead is yours now."), "success")
    return redirect(safe_next(form.text("next"), url_for("pages.lead", lead_id=lead_id)))
