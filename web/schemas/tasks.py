"""Task shapes for the API (event checklists, requirements P3)."""
from __future__ import annotations

from marshmallow import fields, validate

from crm.choices import TASK_STATUSES
from crm.events.tasks import SORTS
from web.schemas.common import Strict, choice, ident, text


class TaskSchema(Strict):
    id = fields.String()
    title = fields.String()
    template_key = fields.String(allow_none=True)
    status = fields.String()
    due_on = fields.Date()
    overdue = fields.Boolean()
    done_at = fields.DateTime(allow_none=True)
    notes = fields.String(allow_none=True)
    event_id = fields.String(allow_none=True)
    event_name_zh = fields.String(allow_none=True)
    event_start_on = fields.Date(allow_none=True)
    owner_id = fields.String(allow_none=True)
    owner_name = fields.String(allow_none=True)
    created_at = fields.DateTime(allow_none=True)
    updated_at = fields.DateTime(allow_none=True)
    version = fields.Integer()
    archived = fields.Boolean()
    synthetic = fields.Boolean()


class TaskUpdateSchema(Strict):
    title = fields.String(validate=validate.Length(min=1, max=200))
    due_on = fields.Date(metadata={"description": "A day off moves to the next working day"})
    owner_id = ident(allow_none=True)
    notes = text(5000, allow_none=True)
    status = fields.String(validate=validate.OneOf(["open", "cancelled"]), metadata={
        "enum": ["open", "cancelled"], "description": "cancel or re-open; completing is POST …/complete"})
    archived = fields.Boolean()


class TaskCompleteSchema(Strict):
    notes = text(5000, allow_none=True)


class TaskListArgs(Strict):
    mine = fields.Boolean(metadata={"description": "Only tasks you own"})
    event = ident()
    owner = ident()
    status = fields.List(choice(TASK_STATUSES))
    due_before = fields.Date()
    due_after = fields.Date()
    overdue = fields.Boolean()
    archived = fields.Boolean(load_default=False)
    sort = text(40, load_default="due_on",
                metadata={"description": "One of " + ", ".join(sorted(SORTS)) + "; prefix '-' for descending"})
