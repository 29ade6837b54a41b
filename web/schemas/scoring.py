"""Shapes of the gap analysis and the ranked candidates (scoring/ dataclasses, as the API shows them)."""
from __future__ import annotations

from marshmallow import fields, validate

from crm.choices import GAP_ACTIONS
from web.schemas.common import Strict, choice, ident


class GapReasonSchema(Strict):
    code = fields.String()
    values = fields.Dict()
    zh = fields.String()
    en = fields.String()


class LinkGapSchema(Strict):
    link_id = fields.String()
    chain_id = fields.String(allow_none=True)
    name_zh = fields.String(allow_none=True)
    name_en = fields.String(allow_none=True)
    tier = fields.String(allow_none=True)
    high_tech = fields.Boolean()
    in_focus = fields.Boolean()
    action = fields.String(metadata={"enum": GAP_ACTIONS.values})
    severity = fields.Float()
    need = fields.Float()
    criticality = fields.Float()
    priority = fields.Float()
    makers = fields.Integer()
    local_makers = fields.Integer()
    measures = fields.Dict(keys=fields.String(), values=fields.Float())
    reasons = fields.List(fields.Nested(GapReasonSchema))
    summary_zh = fields.String()
    summary_en = fields.String()


class GapArgs(Strict):
    action = choice(GAP_ACTIONS)
    as_of = fields.Date(metadata={"description": "The gaps as the chain stood on this day (not in the future)"})


class CandidateSchema(Strict):
    rank = fields.Integer()
    company_id = fields.String()
    company_name_zh = fields.String(allow_none=True)
    company_name_en = fields.String(allow_none=True)
    link_id = fields.String()
    link_name_zh = fields.String(allow_none=True)
    link_name_en = fields.String(allow_none=True)
    chain_id = fields.String(allow_none=True)
    action = fields.String()
    severity = fields.Float()
    score = fields.Float()
    factors = fields.Dict(keys=fields.String(), values=fields.Float())
    district_id = fields.String(allow_none=True)
    district_name_zh = fields.String(allow_none=True)
    district_name_en = fields.String(allow_none=True)
    lead_id = fields.String(allow_none=True)
    lead_stage = fields.String(allow_none=True)
    reason_zh = fields.String()
    reason_en = fields.String()


class CandidateArgs(Strict):
    chain = ident(metadata={"description": "Rank the candidates of one chain (all chains when absent)"})
    action = fields.String(validate=validate.OneOf([a for a in GAP_ACTIONS.values if a != "healthy"]))


class CandidateLeadSchema(Strict):
    chain_id = ident(required=True)
    link_id = ident(required=True)
    company_id = ident(required=True)
    mine = fields.Boolean(load_default=False, metadata={"description": "Own the new lead (else it may go to the pool)"})
