"""/api/v1/issues: problems and complaints firms raise after signing (任务 15)."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from crm.projects import firm_issues
from web.api.common import IF_MATCH, actor, etag, expected_version, now, store
from web.schemas.issues import IssueCreateSchema, IssueListArgs, IssueSchema, IssueUpdateSchema

blp = Blueprint("issues", __name__, url_prefix="/api/v1/issues",
                description="Firm issues: logistics, labour, energy, permits and complaints, tracked to resolution")


@blp.route("")
class Issues(MethodView):
    @blp.arguments(IssueListArgs, location="query")
    @blp.response(200, IssueSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=200)
    def get(self, args, pagination_parameters):
        """List issues the caller may see, filtered by status, category, owner, district, project."""
        query = firm_issues.IssueQuery(**args, page=pagination_parameters.page,
                                       page_size=pagination_parameters.page_size)
        page = firm_issues.list_issues(store(), query, actor=actor())
        pagination_parameters.item_count = page.total
        return page.items

    @blp.arguments(IssueCreateSchema)
    @blp.response(201, IssueSchema)
    def post(self, data):
        """Log an issue on a project; it opens as `open`, raised by the project's investor."""
        issue = firm_issues.create_issue(store(), data, actor=actor(), now=now())
        return issue, 201, {**etag(issue.version), "Location": f"/api/v1/issues/{issue.id}"}


@blp.route("/<issue_id>")
class IssueById(MethodView):
    @blp.response(200, IssueSchema)
    def get(self, issue_id):
        issue = firm_issues.get_issue(store(), issue_id, actor=actor())
        return issue, 200, etag(issue.version)

    @blp.arguments(IssueUpdateSchema)
    @blp.response(200, IssueSchema)
    @blp.doc(**IF_MATCH)
    def patch(self, data, issue_id):
        """Edit, reassign, move the status one step, or archive; If-Match must carry the ETag last read."""
        issue = firm_issues.update_issue(store(), issue_id, data, actor=actor(), now=now(),
                                         expected_version=expected_version())
        return issue, 200, etag(issue.version)
