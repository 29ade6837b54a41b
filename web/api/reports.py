"""/api/v1/reports: the weekly promotion report (招商周报): generate, list, read, download."""
from __future__ import annotations

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from crm import reports
from crm.reports.files import CONTENT_TYPES, render
from web.api.common import actor, now, store
from web.i18n import current_locale
from web.reports import scoring, words
from web.schemas.reports import DownloadArgs, GenerateSchema, ReportSchema, ReportSummarySchema

blp = Blueprint("reports", __name__, url_prefix="/api/v1/reports",
                description="Weekly promotion reports: pipeline, FDI against the plan, chains, districts, people")
FILE_DOC = {"responses": {"200": {"description": "The report file", "content": {
    ct.split(";")[0]: {"schema": {"type": "string", "format": "binary"}} for ct in CONTENT_TYPES.values()}}}}


@blp.route("")
class Reports(MethodView):
    @blp.response(200, ReportSummarySchema(many=True))
    def get(self):
        """Every stored report, newest week first (figures left out: read one report for them)."""
        return reports.list_reports(store())

    @blp.arguments(GenerateSchema)
    @blp.response(201, ReportSchema)
    def post(self, data):
        """Generate a finished week's report (admins and staff); an existing week needs `regenerate: true`."""
        me = actor()
        report = reports.generate(store(), reports.Week.parse(data["week"]), actor=me, now=now(),
                                  scoring=scoring(), regenerate=data["regenerate"])
        return report.seen_by(me), 201, {"Location": f"/api/v1/reports/{report.week}"}


@blp.route("/<week>")
class ReportByWeek(MethodView):
    @blp.response(200, ReportSchema)
    def get(self, week):
        """One week's report as stored when it was generated: the city's figures, and the rows naming a
        project, lead or person that the reader may open (`figures.reader` says when rows are limited)."""
        return reports.get(store(), reports.Week.parse(week)).seen_by(actor())


@blp.route("/<week>.<any(docx, xlsx, html):fmt>")
class ReportFile(MethodView):
    @blp.arguments(DownloadArgs, location="query")
    @blp.doc(**FILE_DOC)
    def get(self, args, week, fmt):
        """The report as a Word document, an Excel workbook or a standalone HTML page, as the reader may read it."""
        report = reports.get(store(), reports.Week.parse(week)).seen_by(actor())
        made = render(report.figures, fmt, words(args.get("lang") or current_locale()))
        return Response(made.content, content_type=made.content_type,
                        headers={"Content-Disposition": f'attachment; filename="{made.filename}"'})
