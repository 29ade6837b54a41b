"""Shapes of the gap analysis and the ranked candidates (scoring/ dataclasses, as the API shows them)."""
from __future__ import annotations

from datetime import date

from marshmallow import ValidationError, fields, validate, validates

from crm.base.clock import local_today
from crm.choices import CANDIDATE_MARKETS, GAP_ACTIONS
from crm.errors import ValidationFailed
from scoring.projection import check_as_of
from web.schemas.common import Strict, choice, ident


class AsOfArgs(Strict):
    """`as_of`: read the graph and the leads' stages as they stood on a day (today when absent)."""

    as_of = fields.Date(metadata={"description": "YYYY-MM-DD, today or earlier: the analysis as of that day"})

    @validates("as_of")
    def _not_after_today(self, value: date, **_: object) -> None:
        from web.api.common import now  # the request's clock, which tests pin

        try:
            check_as_of(value, today=local_today(now()))
        except ValidationFailed as exc:
            raise ValidationError(exc.errors["as_of"]) from None


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
    local_buyers = fields.Integer(metadata={"description": "Local firms that make a link this one feeds (its buyers)"})
    buyer_districts = fields.Integer(metadata={"description": "The districts those buyers are in"})
    measures = fields.Dict(keys=fields.String(), values=fields.Float())
    reasons = fields.List(fields.Nested(GapReasonSchema))
    summary_zh = fields.String()
    summary_en = fields.String()


class GapArgs(AsOfArgs):
    action = choice(GAP_ACTIONS)


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
    origin = fields.String(metadata={"description": "foreign (HK, MO, TW included), unknown (no country in the "
                                                    "library) or domestic (a mainland partner, not FDI)"})


class CandidateArgs(AsOfArgs):
    chain = ident(metadata={"description": "Rank the candidates of one chain (all chains when absent)"})
    action = fields.String(validate=validate.OneOf([a for a in GAP_ACTIONS.values if a != "healthy"]))
    market = fields.String(load_default="fdi", validate=validate.OneOf(CANDIDATE_MARKETS.values),
                           metadata={"description": "fdi: foreign investors (the default); domestic: mainland "
                                                    "partners for the gap, never counted as FDI"})


class CandidateLeadSchema(Strict):
    chain_id = ident(required=True)
    link_id = ident(required=True)
    company_id = ident(required=True)
    mine = fields.Boolean(load_default=False, metadata={"description": "Own the new lead (else it may go to the pool)"})


class BuyerSchema(Strict):
    id = fields.String()
    name_zh = fields.String(allow_none=True)
    name_en = fields.String(allow_none=True)


class OutsideSupplySchema(Strict):
    link_id = fields.String()
    chain_id = fields.String(allow_none=True)
    name_zh = fields.String(allow_none=True)
    name_en = fields.String(allow_none=True)
    buyers = fields.List(fields.Nested(BuyerSchema), metadata={"description": "The district's firms that buy it"})
    buyers_citywide = fields.Integer()
    districts_citywide = fields.Integer()


class ResilienceSchema(Strict):
    chain_id = fields.String(allow_none=True, metadata={"description": "The chain; null for the city"})
    day = fields.Date()
    index = fields.Float(metadata={"description": "0–100: 100·(w_c·C + w_s·(1−S) + w_d·D + w_o·(1−O)), docs/scoring.md"})
    parts = fields.Dict(keys=fields.String(), values=fields.Float(),
                        metadata={"description": "coverage C, single_source S, depth D, outside O"})
    links = fields.Integer()


class TrendPointSchema(Strict):
    week = fields.String()
    day = fields.Date()
    index = fields.Float()
    parts = fields.Dict(keys=fields.String(), values=fields.Float())


class MoveSchema(Strict):
    link_id = fields.String()
    what = fields.String(metadata={"description": "covered, uncovered, single_source, second_source, "
                                                  "bought_from_outside or supplied_here"})


class ChainResilienceSchema(Strict):
    current = fields.Nested(ResilienceSchema)
    trend = fields.List(fields.Nested(TrendPointSchema), metadata={"description": "Kept weekly points, oldest first"})
    movers = fields.List(fields.Nested(MoveSchema), metadata={"description": "Links that moved the last kept week"})


class CityResilienceSchema(ChainResilienceSchema):
    chains = fields.List(fields.Nested(ResilienceSchema))
