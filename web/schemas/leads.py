"""Lead shapes for the API."""
from __future__ import annotations

from marshmallow import fields, validate

from crm.choices import LEAD_SOURCES, LEAD_STAGES, PRIORITIES
from web.schemas.common import ListArgs, Strict, choice, ident, text, usd


class LeadSchema(Strict):
    id = fields.String()
    title = fields.String()
    stage = fields.String()
    priority = fields.String()
    expected_usd = fields.Integer(allow_none=True)
    source = fields.String(allow_none=True)
    company_id = fields.String()
    company_name_zh = fields.String(allow_none=True)
    company_name_en = fields.String(allow_none=True)
    link_id = fields.String()
    link_name_zh = fields.String(allow_none=True)
    link_name_en = fields.String(allow_none=True)
    chain_id = fields.String(allow_none=True)
    district_id = fields.String(allow_none=True)
    district_name_zh = fields.String(allow_none=True)
    district_name_en = fields.String(allow_none=True)
    owner_id = fields.String(allow_none=True)
    owner_name = fields.String(allow_none=True)
    event_id = fields.String(allow_none=True)
    project_id = fields.String(allow_none=True)
    drop_reason = fields.String(allow_none=True)
    score = fields.Float(allow_none=True)
    score_factors = fields.Dict(allow_none=True)
    in_pool = fields.Boolean()
    created_at = fields.DateTime(allow_none=True)
    updated_at = fields.DateTime(allow_none=True)
    stage_changed_at = fields.DateTime(allow_none=True)
    last_followup_at = fields.DateTime(allow_none=True)
    version = fields.Integer()
    archived = fields.Boolean()
    synthetic = fields.Boolean()


class LeadCreateSchema(Strict):
    company_id = ident(required=True)
    link_id = ident(required=True)
    district_id = ident(allow_none=True)
    owner_id = ident(allow_none=True)
    event_id = ident(allow_none=True)
    title = text(200)
    priority = choice(PRIORITIES)
    expected_usd = usd(allow_none=True)
    source = choice(LEAD_SOURCES)


class LeadUpdateSchema(Strict):
    link_id = ident()
    district_id = ident(allow_none=True)
    owner_id = ident(allow_none=True)
    event_id = ident(allow_none=True)
    title = text(200)
    priority = choice(PRIORITIES)
    expected_usd = usd(allow_none=True)
    source = choice(LEAD_SOURCES)
    archived = fields.Boolean()


class ProjectTermsSchema(Strict):
    name = text(200)
    district_id = ident()
    kind = fields.String(validate=validate.OneOf(["new", "capital_increase"]))
    total_investment_usd = usd(allow_none=True)
    contracted_fdi_usd = usd(allow_none=True)
    manufacturing = fields.Boolean()
    industry_category = text(40)
    high_tech = fields.Boolean()
    high_tech_services = fields.Boolean()
    rd_centre = fields.Boolean()
    regional_hq = fields.Boolean()
    signed_on = fields.Date()


class StageMoveSchema(Strict):
    to = choice(LEAD_STAGES, required=True)
    reason = text(500, allow_none=True)
    project = fields.Nested(ProjectTermsSchema, metadata={"description": "Terms of the project, when signing"})


class LeadListArgs(ListArgs):
    stage = fields.List(choice(LEAD_STAGES))
    priority = fields.List(choice(PRIORITIES))
    owner = ident()
    district = ident()
    chain = ident()
    link = ident()
    company = ident()
    source = choice(LEAD_SOURCES)
    event = ident()
    pool = fields.Boolean()
    sort = text(40, load_default="-updated_at")
    after = text(400, metadata={"description": "The X-Next-Cursor of the page before: the page after it, "
                                               "by (sort key, id), stable while leads are added"})


class StageChangeSchema(Strict):
    from_stage = fields.String(allow_none=True)
    to_stage = fields.String()
    at = fields.DateTime()
    actor = fields.String()
    reason = fields.String(allow_none=True)
