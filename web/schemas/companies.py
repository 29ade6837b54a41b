"""Company shapes for the API: the enterprise library (企业库)."""
from __future__ import annotations

from marshmallow import fields, validate

from crm.library.companies import SORTS
from crm.choices import PRESENCE_END_REASONS
from web.schemas.common import ListArgs, Strict, choice, ident, text


class LinkRefSchema(Strict):
    id = fields.String()
    name_zh = fields.String(allow_none=True)
    name_en = fields.String(allow_none=True)
    chain_id = fields.String(allow_none=True)
    source = fields.String(allow_none=True, metadata={"description": "The first citation of the fact"})
    sources = fields.List(fields.String(), metadata={"description": "Every citation, first first"})
    source_date = fields.Date(allow_none=True, metadata={"description": "Day of the newest citation; null: undated"})


class PresenceSchema(Strict):
    district_id = fields.String()
    name_zh = fields.String(allow_none=True)
    name_en = fields.String(allow_none=True)
    since = fields.Date(allow_none=True)
    entity_name = fields.String(allow_none=True)
    source = fields.String(allow_none=True, metadata={"description": "The first citation of the fact"})
    sources = fields.List(fields.String(), metadata={"description": "Every citation, first first"})
    source_date = fields.Date(allow_none=True, metadata={"description": "Day of the newest citation; null: undated"})


class CompanyRefSchema(Strict):
    id = fields.String()
    name_zh = fields.String(allow_none=True)
    name_en = fields.String(allow_none=True)
    local = fields.Boolean()


class CompanySchema(Strict):
    id = fields.String()
    name_zh = fields.String(allow_none=True)
    name_en = fields.String(allow_none=True)
    name_norm = fields.String(allow_none=True)
    aliases = fields.List(fields.String())
    country = fields.String(allow_none=True)
    fg500_rank = fields.Integer(allow_none=True)
    fg500_year = fields.Integer(allow_none=True)
    fg500_source = fields.String(allow_none=True, metadata={"description": "Where the rank's list was read"})
    industry = fields.String(allow_none=True)
    multinational = fields.Boolean()
    leading = fields.Boolean()
    revenue_usd_m = fields.Float(allow_none=True)
    employees = fields.Integer(allow_none=True)
    source = fields.String(allow_none=True)
    source_date = fields.Date(allow_none=True, metadata={"description": "Day the row's source was published"})
    local = fields.Boolean(metadata={"description": "Present in a Chongqing district"})
    chain_ids = fields.List(fields.String())
    links = fields.List(fields.Nested(LinkRefSchema), metadata={"description": "Chain links the company makes"})
    presence = fields.List(fields.Nested(PresenceSchema), metadata={"description": "Districts where it is present"})
    parent_ids = fields.List(fields.String())
    created_at = fields.DateTime(allow_none=True)
    updated_at = fields.DateTime(allow_none=True)
    version = fields.Integer()
    archived = fields.Boolean()
    synthetic = fields.Boolean()


class CompanyDetailSchema(CompanySchema):
    suppliers = fields.List(fields.Nested(CompanyRefSchema), metadata={"description": "Companies that supply it"})
    customers = fields.List(fields.Nested(CompanyRefSchema), metadata={"description": "Companies it supplies"})
    subsidiaries = fields.List(fields.Nested(CompanyRefSchema))


def _ids(description: str) -> fields.List:
    return fields.List(ident(), validate=validate.Length(max=500),
                       metadata={"description": description + " (the whole set; replaces the current one)"})


class _CompanyFields(Strict):
    name_zh = text(200, allow_none=True)
    name_en = text(200, allow_none=True)
    aliases = fields.List(fields.String(validate=validate.Length(min=1, max=200)), validate=validate.Length(max=30))
    country = fields.String(allow_none=True, validate=validate.Regexp(r"^[A-Z]{2}$"),
                            metadata={"description": "ISO 3166 two-letter code, e.g. CN, DE"})
    fg500_rank = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=1, max=500))
    fg500_year = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=1955, max=2100))
    industry = text(200, allow_none=True)
    multinational = fields.Boolean()
    leading = fields.Boolean()
    revenue_usd_m = fields.Float(allow_none=True, validate=validate.Range(min=0, max=10**7),
                                 metadata={"description": "Revenue in US$ millions"})
    employees = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=0, max=10**8))
    source = text(2000, allow_none=True)
    link_ids = _ids("Chain links it makes")
    district_ids = _ids("Districts where it is present")
    parent_ids = _ids("Parent companies")


class CompanyCreateSchema(_CompanyFields):
    """A Chinese or an English name is required."""


class CompanyUpdateSchema(_CompanyFields):
    archived = fields.Boolean(metadata={"description": "Archive the company (it leaves lists and counts)"})


class CompanyListArgs(ListArgs):
    country = fields.String(validate=validate.Regexp(r"^[A-Za-z]{2}$"))
    fg500 = fields.Boolean(metadata={"description": "Only Fortune Global 500 firms (false: only others)"})
    multinational = fields.Boolean()
    local = fields.Boolean(metadata={"description": "Present in a Chongqing district (false: not yet)"})
    district = ident()
    chain = ident(metadata={"description": "Makes a link of this chain"})
    link = ident(metadata={"description": "Makes this link"})
    sort = text(40, load_default="name_zh",
                metadata={"description": "One of " + ", ".join(sorted(SORTS)) + "; prefix '-' for descending"})


class PresenceEndSchema(Strict):
    until = fields.Date(required=True, metadata={"description": "The first day the firm is no longer there"})
    reason = choice(PRESENCE_END_REASONS, required=True)


class PresenceEndedSchema(Strict):
    company_id = fields.String()
    district_id = fields.String()
    reopened_links = fields.List(fields.String(), metadata={"description": "Links left without a local maker"})
