"""Firm-issue shapes for the API (任务 15)."""
from __future__ import annotations

from marshmallow import fields, validate

from crm.choices import ISSUE_CATEGORIES, ISSUE_STATUSES
from crm.projects.firm_issues import SORTS
from web.schemas.common import ListArgs, Strict, choice, ident, text


class IssueSchema(Strict):
    id = fields.String()
    title = fields.String()
    description = fields.String(allow_none=True)
    category = fields.String()
    status = fields.String()
    opened_on = fields.Date(allow_none=True)
    resolved_on = fields.Date(allow_none=True)
    project_id = fields.String()
    project_name = fields.String(allow_none=True)
    company_id = fields.String(allow_none=True)
    company_name_zh = fields.String(allow_none=True)
    company_name_en = fields.String(allow_none=True)
    district_id = fields.String()
    district_name_zh = fields.String(allow_none=True)
    district_name_en = fields.String(allow_none=True)
    chain_id = fields.String(allow_none=True)
    owner_id = fields.String(allow_none=True)
    owner_name = fields.String(allow_none=True)
    created_at = fields.DateTime(allow_none=True)
    updated_at = fields.DateTime(allow_none=True)
    version = fields.Integer()
    archived = fields.Boolean()
    synthetic = fields.Boolean()


class IssueCreateSchema(Strict):
    project_id = ident(required=True)
    category = choice(ISSUE_CATEGORIES, required=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = text(5000, allow_none=True)
    owner_id = ident(allow_none=True)
    opened_on = fields.Date(metadata={"description": "Defaults to today (Chongqing time); not in the future"})


class IssueUpdateSchema(Strict):
    title = fields.String(validate=validate.Length(min=1, max=200))
    description = text(5000, allow_none=True)
    category = choice(ISSUE_CATEGORIES)
    status = fields.String(validate=validate.OneOf(ISSUE_STATUSES.values),
                           metadata={"enum": ISSUE_STATUSES.values,
                                     "description": "open → in_progress → resolved → closed, one step at a time; "
                                                    "resolved or closed may re-open"})
    owner_id = ident(allow_none=True)
    archived = fields.Boolean()


class IssueListArgs(ListArgs):
    status = fields.List(choice(ISSUE_STATUSES))
    category = fields.List(choice(ISSUE_CATEGORIES))
    owner = ident()
    district = ident()
    project = ident()
    company = ident()
    sort = text(40, load_default="-opened_on",
                metadata={"description": "One of " + ", ".join(sorted(SORTS)) + "; prefix '-' for descending"})
