"""/api/v1/sources: the data steward's list of facts, where each comes from and how old it is."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from crm.library.provenance import FactQuery, list_facts
from web.api.common import actor, store
from web.schemas.sources import FactArgs, FactSchema

blp = Blueprint("sources", __name__, url_prefix="/api/v1/sources",
                description="Provenance of the library's facts, for those who keep it")


@blp.route("")
class Facts(MethodView):
    @blp.arguments(FactArgs, location="query")
    @blp.response(200, FactSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=200)
    def get(self, args, pagination_parameters):
        """Presences, links made or ranks, undated first then oldest, or only the unsourced, undated or flagged."""
        page = list_facts(store(), FactQuery(**args, page=pagination_parameters.page,
                                             page_size=pagination_parameters.page_size), actor=actor())
        pagination_parameters.item_count = page.total
        return page.items
