"""/api/v1/events: expos, fairs, forums and roadshows, with targets, meetings and checklists."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from crm.events import events, targets as event_targets
from web.api.common import IF_MATCH, actor, etag, expected_version, now, store
from web.schemas.events import (EventCreateSchema, EventListArgs, EventSchema, EventUpdateSchema, MeetingSchema,
                                TargetSchema, TargetsSchema)
from web.schemas.followups import FollowUpSchema

blp = Blueprint("events", __name__, url_prefix="/api/v1/events",
                description="Promotion events and roadshows: targets, meetings and task checklists")


@blp.route("")
class Events(MethodView):
    @blp.arguments(EventListArgs, location="query")
    @blp.response(200, EventSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=200)
    def get(self, args, pagination_parameters):
        """The event calendar, filtered (kind, status, chain, owner, dates), searched and paged."""
        query = events.EventQuery(**args, page=pagination_parameters.page, page_size=pagination_parameters.page_size)
        page = events.list_events(store(), query, actor=actor())
        pagination_parameters.item_count = page.total
        return page.items

    @blp.arguments(EventCreateSchema)
    @blp.response(201, EventSchema)
    def post(self, data):
        """Add an event: its checklist comes from the policy template; `targets` or `top` start its target list."""
        event = event_targets.create_event_with_targets(store(), data, actor=actor(), now=now())
        return event, 201, {**etag(event.version), "Location": f"/api/v1/events/{event.id}"}


@blp.route("/<event_id>")
class EventById(MethodView):
    @blp.response(200, EventSchema)
    def get(self, event_id):
        event = events.get_event(store(), event_id, actor=actor())
        return event, 200, etag(event.version)

    @blp.arguments(EventUpdateSchema)
    @blp.response(200, EventSchema)
    @blp.doc(**IF_MATCH)
    def patch(self, data, event_id):
        """Edit; new dates move the open checklist tasks, `status: cancelled` cancels them."""
        event = events.update_event(store(), event_id, data, actor=actor(), now=now(),
                                    expected_version=expected_version())
        return event, 200, etag(event.version)


@blp.route("/<event_id>/targets")
class Targets(MethodView):
    @blp.response(200, TargetSchema(many=True))
    def get(self, event_id):
        """The companies the event invites, with their status, best score first."""
        return event_targets.list_targets(store(), event_id, actor=actor())

    @blp.arguments(TargetsSchema)
    @blp.response(200, TargetSchema(many=True))
    @blp.doc(**IF_MATCH)
    def post(self, data, event_id):
        """Add targets or change their status; If-Match carries the event's ETag (the answer has the new one)."""
        targets = event_targets.add_targets(store(), event_id, data, actor=actor(), now=now(),
                                            expected_version=expected_version())
        return targets, 200, etag(events.get_event(store(), event_id, actor=actor()).version)


@blp.route("/<event_id>/meetings")
class Meetings(MethodView):
    @blp.response(200, FollowUpSchema(many=True))
    def get(self, event_id):
        """Meetings held (or to be held) at the event: follow-ups HELD_AT it."""
        return event_targets.list_meetings(store(), event_id, actor=actor(), now=now())

    @blp.arguments(MeetingSchema)
    @blp.response(201, FollowUpSchema)
    def post(self, data, event_id):
        """Log a meeting (with its outcome) or schedule one; without lead_id a lead sourced here is opened."""
        item = event_targets.record_meeting(store(), event_id, data, actor=actor(), now=now())
        return item, 201, {**etag(item.version), "Location": f"/api/v1/followups/{item.id}"}
