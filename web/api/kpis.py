"""/api/v1/kpis: FDI against the plan's targets, each measure apart and labelled."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from crm.reports import kpis
from crm.base.clock import local_today
from web.api.common import now, store
from web.schemas.kpis import KpiArgs, KpiSchema

blp = Blueprint("kpis", __name__, url_prefix="/api/v1/kpis", description="FDI KPIs: growth, manufacturing and "
                "high-tech shares against the plan's targets")


@blp.route("")
class Kpis(MethodView):
    @blp.arguments(KpiArgs, location="query")
    @blp.response(200, KpiSchema)
    def get(self, args):
        """The year's FDI under each measure against the same period a year before, and the targets checked."""
        return kpis.kpis_for(store(), args["year"], as_of=args.get("as_of"), today=local_today(now()))
