"""/api/v1/followups: calls, visits and meetings on leads and projects, and their completion."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from crm.followups import completion, followups
from web.api.common import IF_MATCH, actor, etag, expected_version, now, one, store
from web.schemas.followups import (FollowUpCompleteSchema, FollowUpCreateSchema, FollowUpListArgs, FollowUpSchema,
                                   FollowUpUpdateSchema)

blp = Blueprint("followups", __name__, url_prefix="/api/v1/followups",
                description="Follow-ups on leads and projects, on Chinese working days")


@blp.route("")
class FollowUps(MethodView):
    @blp.arguments(FollowUpListArgs, location="query")
    @blp.response(200, FollowUpSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=200)
    def get(self, args, pagination_parameters):
        """List follow-ups the caller may see, filtered (owner, due, status, overdue, lead, project) and paged."""
        query = followups.FollowUpQuery(**args, page=pagination_parameters.page,
                                        page_size=pagination_parameters.page_size)
        page = followups.list_followups(store(), query, actor=actor(), now=now())
        pagination_parameters.item_count = page.total
        return page.items

    @blp.arguments(FollowUpCreateSchema)
    @blp.response(201, FollowUpSchema)
    def post(self, data):
        """Schedule a follow-up; a due day off moves to the next working day."""
        item = followups.create_followup(store(), data, actor=actor(), now=now())
        return one(FollowUpSchema, item, {**etag(item.version), "Location": f"/api/v1/followups/{item.id}"}, 201)


@blp.route("/<followup_id>")
class FollowUpById(MethodView):
    @blp.response(200, FollowUpSchema)
    def get(self, followup_id):
        item = followups.get_followup(store(), followup_id, actor=actor(), now=now())
        return one(FollowUpSchema, item, etag(item.version))

    @blp.arguments(FollowUpUpdateSchema)
    @blp.response(200, FollowUpSchema)
    @blp.doc(**IF_MATCH)
    def patch(self, data, followup_id):
        """Edit, reschedule, reassign or cancel; If-Match must carry the ETag last read."""
        item = followups.update_followup(store(), followup_id, data, actor=actor(), now=now(),
                                         expected_version=expected_version())
        return one(FollowUpSchema, item, etag(item.version))


@blp.route("/<followup_id>/complete")
class FollowUpComplete(MethodView):
    @blp.arguments(FollowUpCompleteSchema)
    @blp.response(200, FollowUpSchema)
    @blp.doc(**IF_MATCH)
    def post(self, data, followup_id):
        """Record the outcome; the cadence schedules exactly one next follow-up (its id in `next_id`)."""
        item = completion.complete_followup(store(), followup_id, data, actor=actor(), now=now(),
                                            expected_version=expected_version())
        return one(FollowUpSchema, item, etag(item.version))
