"""Weekly reports (招商周报): the list with a form to generate one, and each report in the reader's language.

The report body comes from crm/reports/render_html.py (the stored figures, worded through the
catalogue); its stylesheet is served from the same package so the page and the download agree.
"""
from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from crm import reports
from crm.base.text import displayable
from crm.reports import render_html
from web.i18n import current_locale
from web.pages import blp
from web.pages.common import FormErrors, actor, attempt, now, store
from web.pages.forms import FormData
from web.reports import scoring, words


def _list(errors: FormErrors | None = None, values: dict[str, Any] | None = None, status: int = 200):
    me = actor()
    return render_template("reports/list.html", reports=reports.list_reports(store()),
                           may_generate=reports.may_generate(me), errors=errors or {},
                           values=values or {"week": reports.Week.last_completed(now()).id}), status


@blp.get("/reports", endpoint="reports")
def report_list():
    return _list()


@blp.post("/reports")
def generate_report():
    """Generate (or, when asked, regenerate) a finished week's report, then show it."""
    form = FormData(request.form)
    week, regenerate = form.text("week") or "", form.flag("regenerate")
    made, errors = attempt(lambda: reports.generate(store(), reports.Week.parse(week), actor=actor(), now=now(),
                                                    scoring=scoring(), regenerate=regenerate),
                           form.errors, conflict_field="week")
    if made is None:
        return _list(errors, request.form.to_dict(), 422)
    flash(_("The report for %(week)s is ready and its readers have been told.", week=made.week), "success")
    return redirect(url_for("pages.report", week=made.week))


@blp.get("/reports/report.css")
def report_stylesheet():
    return Response(render_html.STYLESHEET, mimetype="text/css", headers={"Cache-Control": "max-age=3600"})


@blp.get("/reports/<week>")
def report(week: str):
    stored = reports.get(store(), reports.Week.parse(week)).seen_by(actor())
    body = render_html.fragment(displayable(stored.figures), words(current_locale()))
    return render_template("reports/detail.html", report=stored, body=body)
