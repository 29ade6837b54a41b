"""One lead: its facts, why it ranks where it does, its timeline, and what the reader may do with it.

The action forms (stage, owner, note) post here and, when refused, the page is drawn again
with the messages beside the form that caused them; the kanban's fallback form gets its
refusal as a flash message on the board instead.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from crm.base import pickers
from crm.followups import followups
from crm.people import notes
from crm.pipeline import leads
from crm.base.access import can_assign, can_comment, can_write
from crm.choices import FOLLOWUP_KINDS, LEAD_STAGES, SCORE_FACTORS
from crm.base.clock import local_today
from crm.pipeline.stages import allowed_moves
from web.i18n import current_locale
from web.pages import blp
from web.pages.common import FormErrors, actor, attempt, now, safe_next, store
from web.pages.forms import FormData


@dataclass
class Moment:
    """One entry of the lead's timeline: a stage change, a note or a follow-up."""
    at: datetime
    kind: str
    who: str | None = None
    text: str | None = None
    from_stage: str | None = None
    to_stage: str | None = None
    label: str | None = None


def _utc(value: datetime | None) -> datetime:
    """Stored times are naive UTC; comparing them with aware ones needs the zone put back."""
    if value is None:
        return datetime.min.replace(tzinfo=timezone.utc)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def timeline(lead: leads.Lead, done: list[followups.FollowUp]) -> list[Moment]:
    """Stage changes, notes and completed follow-ups merged by time, newest first."""
    moments = [Moment(_utc(s["at"]), "stage", s["actor"], s["reason"], s["from_stage"], s["to_stage"])
               for s in leads.stage_history(store(), lead.id)]
    moments += [Moment(_utc(n.created_at), "note", n.author_name, n.body)
                for n in notes.list_notes(store(), lead.id, actor=actor(), label="Lead", page_size=200).items]
    moments += [Moment(_utc(f.done_at), "followup", f.owner_name, f.outcome,
                       label=FOLLOWUP_KINDS.label(f.kind, current_locale())) for f in done]
    return sorted(moments, key=lambda m: m.at, reverse=True)


def why(lead: leads.Lead) -> dict[str, Any] | None:
    """The score's factor breakdown as bars: each factor's strength, weight and points contributed."""
    snapshot = lead.score_factors or {}
    factors, weights = snapshot.get("factors") or {}, snapshot.get("weights") or {}
    if not factors:
        return None
    bars = []
    for factor in SCORE_FACTORS:
        value = float(factors.get(factor.value) or 0.0)
        weight = float(weights.get(factor.value) or 0.0)
        bars.append({"choice": factor, "value": value, "weight": weight, "points": 100 * value * weight})
    reason = snapshot.get("reason_en" if current_locale() == "en" else "reason_zh")
    return {"bars": bars, "reason": reason, "action": snapshot.get("action"), "severity": snapshot.get("severity")}


def render_lead(lead_id: str, *, form: str | None = None, errors: FormErrors | None = None,
                values: dict[str, Any] | None = None, status: int = 200):
    me = actor()
    lead = leads.get_lead(store(), lead_id, actor=me)
    chains = {c.id: c for c in pickers.chains(store())}
    may = {"write": can_write(me, lead.scope), "assign": can_assign(me, lead.scope),
           "comment": can_comment(me, lead.scope)}
    moves = allowed_moves(lead.stage, dropped_from=lead.dropped_from) if may["write"] else []
    signing = "signed" in moves
    items = followups.list_followups(store(), followups.FollowUpQuery(lead=lead_id, page_size=200), actor=me,
                                     now=now()).items
    return render_template(
        "leads/detail.html", lead=lead, chain=chains.get(lead.chain_id or ""), may=may, moves=moves,
        why=why(lead), timeline=timeline(lead, [f for f in items if f.status == "done"]),
        open_followups=[f for f in items if f.status == "open"], owners=pickers.people(store()) if may["assign"] else [],
        districts=pickers.districts(store(), today=local_today(now())) if signing else [],
        categories=pickers.industry_categories() if signing else [], today=local_today(now()),
        errors_for={form: errors or {}} if form else {}, values=values or {},
        chosen_move=request.args.get("move")), status


@blp.get("/leads/<lead_id>")
def lead(lead_id: str):
    return render_lead(lead_id)


def _terms(form: FormData) -> dict[str, Any]:
    """The project's terms from the signing fields; blanks take the lead's own values."""
    terms = {"name": form.text("project.name"), "district_id": form.text("project.district_id"),
             "kind": form.text("project.kind"), "signed_on": form.day("project.signed_on"),
             "contracted_fdi_usd": form.whole("project.contracted_fdi_usd"),
             "total_investment_usd": form.whole("project.total_investment_usd"),
             "industry_category": form.text("project.industry_category")}
    for flag in ("high_tech", "rd_centre", "regional_hq"):
        if form.flag(f"project.{flag}"):
            terms[flag] = True
    return {k: v for k, v in terms.items() if v is not None}


def _refused(lead_id: str, form_name: str, errors: FormErrors, next_url: str | None):
    """Back to the kanban with the reason, or the lead page drawn again with it beside the form."""
    if next_url and next_url.startswith(url_for("pages.kanban")):
        for message in [m for messages in errors.values() for m in messages]:
            flash(message, "error")
        return redirect(next_url)
    return render_lead(lead_id, form=form_name, errors=errors, values=request.form.to_dict(), status=422)


@blp.post("/leads/<lead_id>/stage")
def move_lead(lead_id: str):
    """Change the stage by the pipeline's rules; signing first asks for the project's terms."""
    form = FormData(request.form)
    to, reason, version = form.text("to"), form.text("reason"), form.version()
    next_url = safe_next(form.text("next"), url_for("pages.lead", lead_id=lead_id))
    if to == "signed" and not form.flag("terms"):
        return redirect(url_for("pages.lead", lead_id=lead_id, move="signed", _anchor="stage"))
    if not to:
        form.errors["to"] = [_("Pick the stage to move to.")]
    project = _terms(form) if to == "signed" else None
    moved, errors = attempt(lambda: leads.move_lead(store(), lead_id, to or "", actor=actor(), now=now(),
                                                    expected_version=version, reason=reason, project=project),
                            form.errors)
    if moved is None:
        return _refused(lead_id, "stage", errors, next_url)
    flash(_("Moved to %(stage)s.", stage=LEAD_STAGES.label(moved.stage, current_locale())), "success")
    return redirect(next_url)


@blp.post("/leads/<lead_id>/owner")
def reassign_lead(lead_id: str):
    """Give the lead to a colleague, or back to the pool (no owner)."""
    form = FormData(request.form)
    owner, version = form.text("owner_id"), form.version()
    changed, errors = attempt(lambda: leads.update_lead(store(), lead_id, {"owner_id": owner}, actor=actor(),
                                                        now=now(), expected_version=version), form.errors)
    if changed is None:
        return _refused(lead_id, "owner", errors, None)
    flash(_("Now owned by %(name)s.", name=changed.owner_name) if changed.owner_name
          else _("The lead is back in the pool."), "success")
    return redirect(url_for("pages.lead", lead_id=lead_id))


@blp.post("/leads/<lead_id>/notes")
def note_lead(lead_id: str):
    form = FormData(request.form)
    data = {"record_id": lead_id, "label": "Lead", "body": form.text("body")}
    added, errors = attempt(lambda: notes.add_note(store(), data, actor=actor(), now=now()), form.errors)
    if added is None:
        return _refused(lead_id, "note", errors, None)
    flash(_("Note added."), "success")
    return redirect(url_for("pages.lead", lead_id=lead_id, _anchor="timeline"))
