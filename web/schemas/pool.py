"""Lead-pool and assignment-rule shapes for the API (公海池)."""
from __future__ import annotations

from marshmallow import fields, validate

from crm.choices import LEAD_SOURCES, LEAD_STAGES, PRIORITIES
from web.schemas.common import ListArgs, Strict, choice, ident, text


class PoolListArgs(ListArgs):
    stage = fields.List(choice(LEAD_STAGES))
    priority = fields.List(choice(PRIORITIES))
    district = ident()
    chain = ident()
    link = ident()
    company = ident()
    source = choice(LEAD_SOURCES)
    event = ident()
    sort = text(40, load_default="-updated_at")


class AssignmentRuleSchema(Strict):
    id = fields.String()
    user_id = fields.String(allow_none=True)
    user_name = fields.String(allow_none=True)
    user_active = fields.Boolean(allow_none=True)
    chain_id = fields.String(allow_none=True)
    district_id = fields.String(allow_none=True)
    position = fields.Integer()
    note = fields.String(allow_none=True)
    created_at = fields.DateTime(allow_none=True)
    updated_at = fields.DateTime(allow_none=True)
    version = fields.Integer()
    archived = fields.Boolean()
    synthetic = fields.Boolean()


class AssignmentRuleCreateSchema(Strict):
    user_id = ident(required=True)
    chain_id = ident(allow_none=True)
    district_id = ident(allow_none=True)
    position = fields.Integer(validate=validate.Range(min=0, max=10**6), metadata={"description": "Lower wins"})
    note = text(500, allow_none=True)


class AssignmentRuleUpdateSchema(Strict):
    user_id = ident()
    chain_id = ident(allow_none=True)
    district_id = ident(allow_none=True)
    position = fields.Integer(validate=validate.Range(min=0, max=10**6))
    note = text(500, allow_none=True)
    archived = fields.Boolean()


class RuleListArgs(Strict):
    archived = fields.Boolean(load_default=False)
