"""Weekly report shapes for the API: the list, a stored report with its figures, the generate request."""
from __future__ import annotations

from marshmallow import fields, validate

from web.schemas.common import Strict

WEEK = {"description": "An ISO week, Monday to Sunday in Chongqing, e.g. 2024-W10", "example": "2024-W10"}


class ReportSummarySchema(Strict):
    week = fields.String(metadata=WEEK)
    week_start = fields.Date()
    week_end = fields.Date()
    generated_at = fields.DateTime()
    generated_by = fields.String(allow_none=True)
    synthetic = fields.Boolean()


class ReportSchema(ReportSummarySchema):
    figures = fields.Dict(metadata={"description": "Every figure of the report, as stored when it was generated "
                                                   "(docs/report.md describes each section). Rows naming a project, "
                                                   "lead or person are limited to the reader's scope; `reader` "
                                                   "then names the role, districts and chains they are limited to"})


class GenerateSchema(Strict):
    week = fields.String(required=True, validate=validate.Regexp(r"^\d{4}-W\d{2}$"), metadata=WEEK)
    regenerate = fields.Boolean(load_default=False, metadata={
        "description": "Replace a report already stored for the week (otherwise that answers 409)"})


class DownloadArgs(Strict):
    lang = fields.String(validate=validate.OneOf(["zh", "en"]), metadata={
        "description": "Language of the file; the reader's language by default"})
