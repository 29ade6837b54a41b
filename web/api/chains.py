"""/api/v1/chains: the industrial chains, their links and FEEDS edges."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from crm.library import reference
from web.api.common import store
from web.schemas.reference import ChainDetailSchema, ChainListArgs, ChainSchema

blp = Blueprint("chains", __name__, url_prefix="/api/v1/chains",
                description="Industrial chains (read-only reference data)")


@blp.route("")
class Chains(MethodView):
    @blp.arguments(ChainListArgs, location="query")
    @blp.response(200, ChainSchema(many=True))
    @blp.paginate(page_size=100, max_page_size=200)
    def get(self, args, pagination_parameters):
        """Chains with counts: links, links covered locally, makers and local makers."""
        page = reference.list_chains(store(), q=args.get("q"), page=pagination_parameters.page,
                                     page_size=pagination_parameters.page_size)
        pagination_parameters.item_count = page.total
        return page.items


@blp.route("/<chain_id>")
class ChainById(MethodView):
    @blp.response(200, ChainDetailSchema)
    def get(self, chain_id):
        """One chain with its links (upstream to downstream, with maker counts) and FEEDS edges."""
        return reference.get_chain(store(), chain_id)
