"""/api/v1/audit: a record's history of changes."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from crm.people import audit
from web.api.common import actor, store
from web.schemas.audit import AuditArgs, AuditEntrySchema

blp = Blueprint("audit", __name__, url_prefix="/api/v1/audit", description="Who changed what, and when")


@blp.route("")
class Audit(MethodView):
    @blp.arguments(AuditArgs, location="query")
    @blp.response(200, AuditEntrySchema(many=True))
    @blp.paginate(page_size=50, max_page_size=200)
    def get(self, args, pagination_parameters):
        """A record's audit entries, newest first, each changed field with its value before and after."""
        page = audit.history_for(store(), args["record"], actor=actor(), label=args.get("label"),
                                 page=pagination_parameters.page, page_size=pagination_parameters.page_size)
        pagination_parameters.item_count = page.total
        return page.items
