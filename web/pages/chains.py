"""The chain cockpit (链长视图): every chain with its KPIs, and each chain drawn with its gaps.

A link is opened with a plain address (`?link=…#link`), so the page works without JavaScript;
its panel lists local makers, ranked candidates (each a lead in one step) and open leads.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from crm.choices import GAP_ACTIONS, LINK_SEGMENTS
from crm.library import companies
from crm.reports.kpis import measures
from web.cockpit import chains_overview, cockpit, lead_from_candidate
from web.i18n import current_locale
from web.pages import blp
from web.pages.common import actor, attempt, now, store
from web.pages.forms import FormData


def fdi_measure() -> dict[str, str]:
    """The labels of the FDI measure the plan's targets count (policy `fdi_measures`)."""
    target, defined = measures()
    return defined[target]


@blp.get("/chains", endpoint="chains")
def chain_list():
    return render_template("chains/list.html", rows=chains_overview(store(), actor=actor(), now=now()),
                           actions=[a for a in GAP_ACTIONS if a.value != "healthy"], measure=fdi_measure())


def render_cockpit(chain_id: str, link_id: str | None):
    view = cockpit(store(), chain_id, actor=actor(), now=now(), locale=current_locale(), link_id=link_id)
    return render_template("chains/detail.html", view=view, segments=list(LINK_SEGMENTS),
                           actions=list(GAP_ACTIONS), measure=fdi_measure(), local_firms=companies.local_count(store()))


@blp.get("/chains/<chain_id>", endpoint="chain")
def chain(chain_id: str):
    return render_cockpit(chain_id, request.args.get("link") or None)


@blp.post("/chains/<chain_id>/links/<link_id>/leads")
def lead_from_ranking(chain_id: str, link_id: str):
    """Turn a ranked candidate into a lead with its score snapshot; refusals show on the link's panel."""
    form = FormData(request.form)
    company_id = form.text("company_id") or ""
    created, errors = attempt(lambda: lead_from_candidate(store(), chain_id, link_id, company_id, actor=actor(),
                                                          now=now(), mine=form.flag("mine")), form.errors)
    if created is None:
        for message in [m for messages in errors.values() for m in messages]:
            flash(message, "error")
        return redirect(url_for("pages.chain", chain_id=chain_id, link=link_id, _anchor="link"))
    flash(_("Lead created from the ranking: %(title)s", title=created.title), "success")
    return redirect(url_for("pages.lead", lead_id=created.id))
