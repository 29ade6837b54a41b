"""Inbox shapes for the API: notifications and the work due now."""
from __future__ import annotations

from marshmallow import fields

from crm.choices import NOTIFICATION_KINDS
from web.schemas.common import Strict, choice
from web.schemas.followups import FollowUpSchema
from web.schemas.tasks import TaskSchema


class NotificationSchema(Strict):
    id = fields.String()
    kind = fields.String()
    title = fields.String()
    body = fields.String()
    link = fields.String(allow_none=True)
    record_label = fields.String(allow_none=True)
    record_id = fields.String(allow_none=True)
    created_at = fields.DateTime(allow_none=True)
    read_at = fields.DateTime(allow_none=True)
    read = fields.Boolean()


class InboxSchema(Strict):
    unread = fields.Integer()
    due_today = fields.List(fields.Nested(FollowUpSchema))
    overdue = fields.List(fields.Nested(FollowUpSchema))
    tasks_due = fields.List(fields.Nested(TaskSchema))
    recent = fields.List(fields.Nested(NotificationSchema))


class NotificationListArgs(Strict):
    unread = fields.Boolean()
    kind = choice(NOTIFICATION_KINDS)


class MarkedSchema(Strict):
    marked = fields.Integer()
