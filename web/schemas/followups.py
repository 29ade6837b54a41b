"""Follow-up shapes for the API (requirements P2)."""
from __future__ import annotations

from marshmallow import fields, validate

from crm.choices import FOLLOWUP_KINDS, FOLLOWUP_STATUSES
from crm.followups.followups import SORTS
from web.schemas.common import Strict, choice, ident, text

def due_at_field() -> fields.DateTime:
    return fields.DateTime(metadata={"description": "ISO time; without a zone it is Chongqing time. A day off "
                                                    "moves to the next working day."})


def due_on_field() -> fields.Date:
    return fields.Date(metadata={"description": "A day: due at the policy hour (09:00 Chongqing) of it, or of "
                                                "the next working day"})


class FollowUpSchema(Strict):
    id = fields.String()
    kind = fields.String()
    title = fields.String()
    status = fields.String()
    due_at = fields.DateTime()
    done_at = fields.DateTime(allow_none=True)
    outcome = fields.String(allow_none=True)
    notes = fields.String(allow_none=True)
    overdue = fields.Boolean()
    escalated_at = fields.DateTime(allow_none=True)
    lead_id = fields.String(allow_none=True)
    lead_title = fields.String(allow_none=True)
    project_id = fields.String(allow_none=True)
    project_name = fields.String(allow_none=True)
    owner_id = fields.String(allow_none=True)
    owner_name = fields.String(allow_none=True)
    event_id = fields.String(allow_none=True)
    event_name_zh = fields.String(allow_none=True)
    district_id = fields.String(allow_none=True)
    chain_id = fields.String(allow_none=True)
    next_id = fields.String(allow_none=True)
    previous_id = fields.String(allow_none=True)
    created_at = fields.DateTime(allow_none=True)
    updated_at = fields.DateTime(allow_none=True)
    version = fields.Integer()
    archived = fields.Boolean()
    synthetic = fields.Boolean()


class FollowUpCreateSchema(Strict):
    lead_id = ident(metadata={"description": "The lead it is about (or project_id)"})
    project_id = ident(metadata={"description": "The project it is about (or lead_id)"})
    kind = choice(FOLLOWUP_KINDS, load_default="call")
    title = text(200)
    due_at = due_at_field()
    due_on = due_on_field()
    owner_id = ident(allow_none=True, metadata={"description": "Defaults to the record's owner, else you"})
    event_id = ident(allow_none=True)
    notes = text(5000, allow_none=True)


class FollowUpUpdateSchema(Strict):
    kind = choice(FOLLOWUP_KINDS)
    title = text(200)
    due_at = due_at_field()
    due_on = due_on_field()
    owner_id = ident(allow_none=True)
    event_id = ident(allow_none=True)
    notes = text(5000, allow_none=True)
    status = fields.String(validate=validate.OneOf(["open", "cancelled"]), metadata={
        "enum": ["open", "cancelled"], "description": "cancel (or keep open); completing is POST …/complete"})
    archived = fields.Boolean()


class FollowUpCompleteSchema(Strict):
    outcome = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    notes = text(5000, allow_none=True)
    next_kind = choice(FOLLOWUP_KINDS)
    next_due_on = fields.Date(metadata={"description": "Override the cadence's due day for the next one"})


class FollowUpListArgs(Strict):
    mine = fields.Boolean(metadata={"description": "Only follow-ups you own"})
    owner = ident()
    lead = ident()
    project = ident()
    event = ident()
    status = fields.List(choice(FOLLOWUP_STATUSES))
    kind = fields.List(choice(FOLLOWUP_KINDS))
    due_before = fields.DateTime()
    due_after = fields.DateTime()
    overdue = fields.Boolean(metadata={"description": "Open and due before today (Chongqing)"})
    escalated = fields.Boolean()
    archived = fields.Boolean(load_default=False)
    sort = text(40, load_default="due_at",
                metadata={"description": "One of " + ", ".join(sorted(SORTS)) + "; prefix '-' for descending"})
