"""Exit-risk (固链) shapes for the API: recorded signals, scored signals, watch-list entries."""
from __future__ import annotations

from marshmallow import fields, validate

from web.schemas.common import Strict, ident, text

KINDS = validate.OneOf(("parent_closure", "lease_end", "incentive_end"))


class RiskSignalSchema(Strict):
    id = fields.String()
    company_id = fields.String()
    district_id = fields.String()
    kind = fields.String()
    signal_on = fields.Date()
    note = fields.String(allow_none=True)
    source = fields.String(allow_none=True)
    created_at = fields.DateTime(allow_none=True)
    updated_at = fields.DateTime(allow_none=True)
    version = fields.Integer()
    archived = fields.Boolean()
    synthetic = fields.Boolean()


class RiskSignalCreateSchema(Strict):
    company_id = ident(required=True)
    district_id = ident(required=True, metadata={"description": "A district where the firm is present"})
    kind = fields.String(required=True, validate=KINDS)
    signal_on = fields.Date(required=True, metadata={"description": "Announced on, or the end date"})
    note = text(2000)
    source = text(500)


class RiskSignalUpdateSchema(Strict):
    kind = fields.String(validate=KINDS)
    signal_on = fields.Date()
    note = text(2000)
    source = text(500)
    archived = fields.Boolean(metadata={"description": "Archive a mistaken signal: it stops counting"})


class ScoredSignalSchema(Strict):
    kind = fields.String()
    on = fields.Date()
    points = fields.Integer()
    why_zh = fields.String()
    why_en = fields.String(metadata={"description": "The explanation in English (a staff note as written)"})


class RiskSchema(Strict):
    score = fields.Integer()
    escalate = fields.Boolean()
    signals = fields.List(fields.Nested(ScoredSignalSchema))


class WatchEntrySchema(Strict):
    company_id = fields.String()
    name_zh = fields.String(allow_none=True)
    name_en = fields.String(allow_none=True)
    districts = fields.List(fields.String())
    chains = fields.List(fields.String())
    risk = fields.Nested(RiskSchema)


class WatchArgs(Strict):
    chain = ident()
    district = ident()
