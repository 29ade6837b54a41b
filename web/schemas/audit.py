"""Audit-history shapes for the API."""
from __future__ import annotations

from marshmallow import fields, validate

from graph.schema import SCHEMA
from web.schemas.common import Strict, ident


class AuditArgs(Strict):
    record = ident(required=True)
    label = fields.String(validate=validate.OneOf(list(SCHEMA.nodes)), metadata={"enum": list(SCHEMA.nodes)})


class AuditEntrySchema(Strict):
    id = fields.String()
    at = fields.DateTime()
    actor = fields.String()
    action = fields.String()
    record_label = fields.String()
    record_id = fields.String()
    changes = fields.Dict(keys=fields.String(), values=fields.Dict(),
                          metadata={"description": "Each changed field: {before, after}"})
