"""Shapes of the data steward's list of facts and their provenance."""
from __future__ import annotations

from marshmallow import fields, validate

from crm.library.provenance import FLAGS, KINDS
from web.schemas.common import Strict


class FactArgs(Strict):
    kind = fields.String(load_default="presence", validate=validate.OneOf(KINDS), metadata={"enum": list(KINDS)})
    flag = fields.String(load_default="all", validate=validate.OneOf(FLAGS), metadata={
        "enum": list(FLAGS), "description": "all: undated first, then oldest; oldest: dated ones, oldest first"})
    q = fields.String(validate=validate.Length(max=200), metadata={"description": "Company name or id"})


class FactSchema(Strict):
    kind = fields.String()
    company_id = fields.String()
    company_name_zh = fields.String(allow_none=True)
    company_name_en = fields.String(allow_none=True)
    country = fields.String(allow_none=True)
    target_id = fields.String(allow_none=True, metadata={"description": "The district or chain link; null for a rank"})
    target_name_zh = fields.String(allow_none=True)
    target_name_en = fields.String(allow_none=True)
    sources = fields.List(fields.String(), metadata={"description": "Every citation, first first; empty: unsourced"})
    source_date = fields.Date(allow_none=True, metadata={"description": "Day of the newest citation; null: undated"})
    fg500_rank = fields.Integer(allow_none=True)
    fg500_year = fields.Integer(allow_none=True, metadata={"description": "A rank's list year (its date)"})
    flags = fields.List(fields.String(), metadata={"description": "unsourced, undated, estimated, unknown_country, "
                                                                  "unknown_rank"})
