"""Event, target and meeting shapes for the API (任务 9; requirements P3)."""
from __future__ import annotations

from marshmallow import fields, validate

from crm.choices import EVENT_KINDS, EVENT_STATUSES, FOLLOWUP_KINDS, PRIORITIES, TARGET_STATUSES
from crm.events.events import SORTS
from web.schemas.common import Strict, choice, ident, text

def country_field() -> fields.String:
    return fields.String(allow_none=True, validate=validate.Length(equal=2),
                         metadata={"description": "ISO 3166 code, e.g. DE"})


class EventSchema(Strict):
    id = fields.String()
    name_zh = fields.String()
    name_en = fields.String(allow_none=True)
    kind = fields.String()
    status = fields.String()
    start_on = fields.Date()
    end_on = fields.Date()
    city_zh = fields.String(allow_none=True)
    city_en = fields.String(allow_none=True)
    country = fields.String(allow_none=True)
    outcome = fields.String(allow_none=True)
    series_id = fields.String(allow_none=True)
    owner_id = fields.String(allow_none=True)
    owner_name = fields.String(allow_none=True)
    chain_ids = fields.List(fields.String())
    tasks_open = fields.Integer()
    tasks_done = fields.Integer()
    targets = fields.Integer()
    created_at = fields.DateTime(allow_none=True)
    updated_at = fields.DateTime(allow_none=True)
    version = fields.Integer()
    archived = fields.Boolean()
    synthetic = fields.Boolean()


class TargetInSchema(Strict):
    company_id = ident(required=True)
    status = choice(TARGET_STATUSES)


class EventCreateSchema(Strict):
    name_zh = fields.String(required=True, validate=validate.Length(min=1, max=200))
    name_en = text(200, allow_none=True)
    kind = choice(EVENT_KINDS, required=True)
    start_on = fields.Date(required=True)
    end_on = fields.Date(metadata={"description": "Defaults to start_on"})
    city_zh = text(100, allow_none=True)
    city_en = text(100, allow_none=True)
    country = country_field()
    series_id = ident(allow_none=True)
    owner_id = ident(allow_none=True, metadata={"description": "Defaults to you; owns the checklist's tasks"})
    chain_ids = fields.List(ident(), metadata={"description": "Focus chains"})
    targets = fields.List(fields.Nested(TargetInSchema))
    top = fields.Integer(validate=validate.Range(min=1, max=200),
                         metadata={"description": "Invite the N best-ranked candidates of the focus chains"})


class EventUpdateSchema(Strict):
    name_zh = fields.String(validate=validate.Length(min=1, max=200))
    name_en = text(200, allow_none=True)
    kind = choice(EVENT_KINDS)
    status = choice(EVENT_STATUSES)
    start_on = fields.Date()
    end_on = fields.Date()
    city_zh = text(100, allow_none=True)
    city_en = text(100, allow_none=True)
    country = country_field()
    outcome = text(5000, allow_none=True)
    owner_id = ident(allow_none=True)
    chain_ids = fields.List(ident())
    archived = fields.Boolean()


class EventListArgs(Strict):
    kind = choice(EVENT_KINDS)
    status = choice(EVENT_STATUSES)
    chain = ident()
    owner = ident()
    series = ident()
    start_from = fields.Date()
    start_to = fields.Date()
    q = text(100)
    archived = fields.Boolean(load_default=False)
    sort = text(40, load_default="start_on",
                metadata={"description": "One of " + ", ".join(sorted(SORTS)) + "; prefix '-' for descending"})


class TargetSchema(Strict):
    company_id = fields.String()
    status = fields.String()
    name_zh = fields.String(allow_none=True)
    name_en = fields.String(allow_none=True)
    country = fields.String(allow_none=True)
    score = fields.Float(allow_none=True)
    updated_at = fields.DateTime(allow_none=True)


class TargetsSchema(Strict):
    targets = fields.List(fields.Nested(TargetInSchema))
    top = fields.Integer(validate=validate.Range(min=1, max=200),
                         metadata={"description": "Add the N best-ranked candidates of the focus chains"})


class MeetingSchema(Strict):
    lead_id = ident(metadata={"description": "The lead met; or give company_id and link_id to open one"})
    company_id = ident()
    link_id = ident()
    district_id = ident(allow_none=True)
    priority = choice(PRIORITIES)
    kind = choice(FOLLOWUP_KINDS, load_default="roadshow_meeting")
    title = text(200)
    owner_id = ident(allow_none=True)
    outcome = text(5000, metadata={"description": "What came of it (a meeting held); omit for one to come"})
    notes = text(5000, allow_none=True)
    due_at = fields.DateTime(metadata={"description": "When a meeting still to come is"})
    due_on = fields.Date()
