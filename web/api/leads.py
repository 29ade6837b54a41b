"""/api/v1/leads: the lead pipeline."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from crm.pipeline import leads
from web.api.common import IF_MATCH, actor, etag, expected_version, listed, now, one, store
from web.schemas.leads import (LeadCreateSchema, LeadListArgs, LeadSchema, LeadUpdateSchema, StageChangeSchema,
                               StageMoveSchema)

blp = Blueprint("leads", __name__, url_prefix="/api/v1/leads", description="Leads and their pipeline stages")


@blp.route("")
class Leads(MethodView):
    @blp.arguments(LeadListArgs, location="query")
    @blp.response(200, LeadSchema(many=True), headers={"X-Next-Cursor": {
        "description": "Give it as `after` for the next page (absent on the last page)", "schema": {"type": "string"}}})
    @blp.paginate(page_size=50, max_page_size=200)
    def get(self, args, pagination_parameters):
        """List leads the caller may see, filtered, searched, sorted and paged.

        Pages go by number (`page`) or, stable while leads are added, by the cursor the page before
        gave in its `X-Next-Cursor` header (`after`).
        """
        query = leads.LeadQuery(**args, page=pagination_parameters.page,
                                page_size=pagination_parameters.page_size)
        page = leads.list_leads(store(), query, actor=actor())
        pagination_parameters.item_count = page.total
        return listed(LeadSchema, page)

    @blp.arguments(LeadCreateSchema)
    @blp.response(201, LeadSchema)
    def post(self, data):
        """Open a lead (stage `identified`; without an owner it waits in the pool)."""
        lead = leads.create_lead(store(), data, actor=actor(), now=now())
        return one(LeadSchema, lead, {**etag(lead.version), "Location": f"/api/v1/leads/{lead.id}"}, 201)


@blp.route("/<lead_id>")
class LeadById(MethodView):
    @blp.response(200, LeadSchema)
    def get(self, lead_id):
        lead = leads.get_lead(store(), lead_id, actor=actor())
        return one(LeadSchema, lead, etag(lead.version))

    @blp.arguments(LeadUpdateSchema)
    @blp.response(200, LeadSchema)
    @blp.doc(**IF_MATCH)
    def patch(self, data, lead_id):
        """Edit fields and references; If-Match must carry the ETag last read."""
        lead = leads.update_lead(store(), lead_id, data, actor=actor(), now=now(),
                                 expected_version=expected_version())
        return one(LeadSchema, lead, etag(lead.version))


@blp.route("/<lead_id>/stage")
class LeadStage(MethodView):
    @blp.arguments(StageMoveSchema)
    @blp.response(200, LeadSchema)
    @blp.doc(**IF_MATCH)
    def post(self, data, lead_id):
        """Move the lead to another stage by the pipeline rules; `signed` creates its project."""
        lead = leads.move_lead(store(), lead_id, data["to"], actor=actor(), now=now(),
                               expected_version=expected_version(), reason=data.get("reason"),
                               project=data.get("project"))
        return one(LeadSchema, lead, etag(lead.version))


@blp.route("/<lead_id>/history")
class LeadHistory(MethodView):
    @blp.response(200, StageChangeSchema(many=True))
    def get(self, lead_id):
        leads.get_lead(store(), lead_id, actor=actor())
        return leads.stage_history(store(), lead_id)
