"""/api/v1/projects/{id}/inflows: capital paid into a project (实际到位外资)."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from crm.projects import inflows
from web.api.common import IF_MATCH, actor, etag, expected_version, now, store
from web.schemas.projects import InflowCreateSchema, InflowListArgs, InflowSchema, InflowUpdateSchema

blp = Blueprint("inflows", __name__, url_prefix="/api/v1/projects",
                description="Capital inflows per project; a mistaken one is archived, never deleted")


@blp.route("/<project_id>/inflows")
class Inflows(MethodView):
    @blp.arguments(InflowListArgs, location="query")
    @blp.response(200, InflowSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=200)
    def get(self, args, project_id, pagination_parameters):
        """The project's inflows (archived ones with `archived=true`), oldest first by default."""
        query = inflows.InflowQuery(**args, page=pagination_parameters.page,
                                    page_size=pagination_parameters.page_size)
        page = inflows.list_inflows(store(), project_id, query, actor=actor())
        pagination_parameters.item_count = page.total
        return page.items

    @blp.arguments(InflowCreateSchema)
    @blp.response(201, InflowSchema)
    def post(self, data, project_id):
        """Record capital paid in: date (not in the future), whole USD amount, kind."""
        inflow = inflows.add_inflow(store(), project_id, data, actor=actor(), now=now())
        location = f"/api/v1/projects/{project_id}/inflows/{inflow.id}"
        return inflow, 201, {**etag(inflow.version), "Location": location}


@blp.route("/<project_id>/inflows/<inflow_id>")
class InflowById(MethodView):
    @blp.response(200, InflowSchema)
    def get(self, project_id, inflow_id):
        inflow = inflows.get_inflow(store(), project_id, inflow_id, actor=actor())
        return inflow, 200, etag(inflow.version)

    @blp.arguments(InflowUpdateSchema)
    @blp.response(200, InflowSchema)
    @blp.doc(**IF_MATCH)
    def patch(self, data, project_id, inflow_id):
        """Correct an inflow, or archive it with `archived: true`; If-Match must carry the ETag last read."""
        inflow = inflows.update_inflow(store(), project_id, inflow_id, data, actor=actor(), now=now(),
                                       expected_version=expected_version())
        return inflow, 200, etag(inflow.version)
