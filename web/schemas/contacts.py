"""Contact shapes for the API: people at companies."""
from __future__ import annotations

from marshmallow import fields, validate

from crm.library.contacts import SORTS
from web.schemas.common import ListArgs, Strict, ident, text


class ContactSchema(Strict):
    id = fields.String()
    name = fields.String()
    title = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    notes = fields.String(allow_none=True)
    company_id = fields.String()
    company_name_zh = fields.String(allow_none=True)
    company_name_en = fields.String(allow_none=True)
    created_at = fields.DateTime(allow_none=True)
    updated_at = fields.DateTime(allow_none=True)
    version = fields.Integer()
    archived = fields.Boolean()
    synthetic = fields.Boolean()


class _ContactFields(Strict):
    title = text(100, allow_none=True)
    email = fields.Email(allow_none=True, validate=validate.Length(max=254))
    phone = fields.String(allow_none=True, validate=[validate.Length(max=40),
                                                     validate.Regexp(r"^[0-9+()\-\s.,/x转]*$")])
    notes = text(2000, allow_none=True)


class ContactCreateSchema(_ContactFields):
    company_id = ident(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))


class ContactUpdateSchema(_ContactFields):
    company_id = ident()
    name = fields.String(validate=validate.Length(min=1, max=100))
    archived = fields.Boolean()


class ContactListArgs(ListArgs):
    company = ident()
    sort = text(40, load_default="name",
                metadata={"description": "One of " + ", ".join(sorted(SORTS)) + "; prefix '-' for descending"})
