"""/api/v1/districts: Chongqing's divisions, today's or with their history."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from crm.library import reference
from crm.base.clock import local_today
from web.api.common import now, store
from scoring.supply_demand import bought_from_outside
from web.schemas.reference import DistrictListArgs, DistrictSchema
from web.schemas.scoring import AsOfArgs, OutsideSupplySchema

blp = Blueprint("districts", __name__, url_prefix="/api/v1/districts",
                description="Districts and management zones (read-only reference data)")


@blp.route("")
class Districts(MethodView):
    @blp.arguments(DistrictListArgs, location="query")
    @blp.response(200, DistrictSchema(many=True))
    @blp.paginate(page_size=100, max_page_size=200)
    def get(self, args, pagination_parameters):
        """Today's divisions by code; `all=true` adds abolished ones with valid_to and successor."""
        page = reference.list_districts(store(), today=local_today(now()), **args,
                                        page=pagination_parameters.page, page_size=pagination_parameters.page_size)
        pagination_parameters.item_count = page.total
        return page.items


@blp.route("/<code>")
class DistrictByCode(MethodView):
    @blp.response(200, DistrictSchema)
    def get(self, code):
        """Any division by its code, current or abolished."""
        return reference.get_district(store(), code, today=local_today(now()))


@blp.route("/<code>/outside-supply")
class DistrictOutsideSupply(MethodView):
    @blp.arguments(AsOfArgs, location="query")
    @blp.response(200, OutsideSupplySchema(many=True))
    def get(self, args, code):
        """The supply–demand signal for a district: links no local firm makes that its firms buy from outside
        (they make a link it feeds), most buyers first; `as_of` reads the graph of a past day."""
        reference.get_district(store(), code, today=local_today(now()))
        return bought_from_outside(store(), code, as_of=args.get("as_of") or local_today(now())).get(code, [])
