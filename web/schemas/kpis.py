"""KPI shapes for the API: each FDI measure apart, and the targets checked on the target measure."""
from __future__ import annotations

from marshmallow import fields, validate

from web.schemas.common import Strict


class KpiArgs(Strict):
    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2999))
    as_of = fields.Date(metadata={"description": "Compare the year up to this date with the same period a year "
                                                 "before; defaults to today in the current year"})


class PeriodSchema(Strict):
    start = fields.Date()
    end = fields.Date()


def _share(part: str) -> fields.Function:
    return fields.Function(lambda b: b.share(part), allow_none=True)


class BreakdownSchema(Strict):
    total_usd = fields.Integer()
    manufacturing_usd = fields.Integer()
    high_tech_manufacturing_usd = fields.Integer()
    high_tech_services_usd = fields.Integer()
    manufacturing_share = _share("manufacturing_usd")
    high_tech_manufacturing_share = _share("high_tech_manufacturing_usd")
    high_tech_services_share = _share("high_tech_services_usd")


class MeasureSchema(Strict):
    key = fields.String()
    label_zh = fields.String()
    label_en = fields.String()
    kinds = fields.List(fields.String())
    is_target_measure = fields.Boolean()
    growth = fields.Float(allow_none=True)
    current = fields.Nested(BreakdownSchema)
    previous = fields.Nested(BreakdownSchema)


class CheckSchema(Strict):
    name = fields.String()
    value = fields.Float(allow_none=True)
    target = fields.Float(allow_none=True)
    status = fields.String()
    zh = fields.String()
    en = fields.String()


class KpiSchema(Strict):
    year = fields.Integer()
    as_of = fields.Date(allow_none=True)
    period = fields.Nested(PeriodSchema)
    previous_period = fields.Nested(PeriodSchema)
    measures = fields.List(fields.Nested(MeasureSchema))
    checks = fields.List(fields.Nested(CheckSchema))
