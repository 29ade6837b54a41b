"""/api/v1/inbox: the caller's notifications and the work due today or overdue."""
from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from crm.notify import inbox
from web.api.common import actor, now, store
from web.schemas.fast import dump_many
from web.schemas.followups import FollowUpSchema
from web.schemas.inbox import InboxSchema, MarkedSchema, NotificationListArgs, NotificationSchema
from web.schemas.tasks import TaskSchema

blp = Blueprint("inbox", __name__, url_prefix="/api/v1/inbox", description="Your inbox: reminders and notifications")


@blp.route("")
class Inbox(MethodView):
    @blp.response(200, InboxSchema)
    def get(self):
        """Your follow-ups due today and overdue, your tasks due, and your latest unread notifications."""
        box = inbox.inbox(store(), actor=actor(), now=now())
        return current_app.json.response({  # dumped as lists are (web/schemas/fast.py): a tenth of the load's calls
            "unread": box.unread, "due_today": dump_many(FollowUpSchema, box.due_today),
            "overdue": dump_many(FollowUpSchema, box.overdue), "tasks_due": dump_many(TaskSchema, box.tasks_due),
            "recent": dump_many(NotificationSchema, box.recent)}), 200


@blp.route("/notifications")
class Notifications(MethodView):
    @blp.arguments(NotificationListArgs, location="query")
    @blp.response(200, NotificationSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=200)
    def get(self, args, pagination_parameters):
        """Your notifications, newest first."""
        page = inbox.list_notifications(store(), actor=actor(), page=pagination_parameters.page,
                                        page_size=pagination_parameters.page_size, **args)
        pagination_parameters.item_count = page.total
        return page.items


@blp.route("/notifications/<notification_id>/read")
class MarkRead(MethodView):
    @blp.response(200, NotificationSchema)
    def post(self, notification_id):
        """Mark one notification read (idempotent: your own items only, so no If-Match)."""
        return inbox.mark_read(store(), notification_id, actor=actor(), now=now())


@blp.route("/read-all")
class MarkAllRead(MethodView):
    @blp.response(200, MarkedSchema)
    def post(self):
        """Mark all your notifications read."""
        return {"marked": inbox.mark_all_read(store(), actor=actor(), now=now())}
