"""/api/v1/risk: the exit-risk watch list (固链), a firm's score, and the signals staff record."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from crm.base.clock import local_today
from crm.errors import NotFound
from crm.followups.retention import schedule_retention_visit
from crm.projects import risk_signals
from scoring.exit_watch import firm_risk, watch_list
from web.api.common import IF_MATCH, actor, etag, expected_version, now, store
from web.schemas.followups import FollowUpSchema
from web.schemas.risk import (RiskSignalCreateSchema, RiskSignalSchema, RiskSignalUpdateSchema, WatchArgs,
                              WatchEntrySchema)

blp = Blueprint("risk", __name__, url_prefix="/api/v1/risk",
                description="Exit-risk watch (固链): present foreign firms scored from dated signals")


def _watched(company_id: str):
    entry = firm_risk(store(), company_id, actor=actor(), today=local_today(now()))
    if entry is None:
        raise NotFound("Company", company_id)
    return entry


@blp.route("/watch")
class Watch(MethodView):
    @blp.arguments(WatchArgs, location="query")
    @blp.response(200, WatchEntrySchema(many=True))
    def get(self, args):
        """The firms the caller may see, riskiest first, each with its dated, explained signals."""
        return watch_list(store(), actor=actor(), today=local_today(now()), **args)


@blp.route("/firms/<company_id>")
class FirmRisk(MethodView):
    @blp.response(200, WatchEntrySchema)
    def get(self, company_id):
        """One present foreign firm's score and signals; a firm the caller may not see is not found."""
        return _watched(company_id)


@blp.route("/firms/<company_id>/visit")
class RetentionVisit(MethodView):
    @blp.response(201, FollowUpSchema)
    def post(self, company_id):
        """固链: schedule a visit follow-up on the firm's latest project (422 when it has none); a firm not on
        the caller's watch list is not found."""
        _watched(company_id)
        return schedule_retention_visit(store(), company_id, actor=actor(), now=now()), 201


@blp.route("/signals")
class Signals(MethodView):
    @blp.arguments(RiskSignalCreateSchema)
    @blp.response(201, RiskSignalSchema)
    def post(self, data):
        """Record a parent's announced closure, a lease end or an incentive end on a present firm."""
        signal = risk_signals.record_signal(store(), data, actor=actor(), now=now())
        return signal, 201, {**etag(signal.version), "Location": f"/api/v1/risk/signals/{signal.id}"}


@blp.route("/signals/<signal_id>")
class SignalById(MethodView):
    @blp.response(200, RiskSignalSchema)
    def get(self, signal_id):
        signal = risk_signals.get_signal(store(), signal_id, actor=actor())
        return signal, 200, etag(signal.version)

    @blp.arguments(RiskSignalUpdateSchema)
    @blp.response(200, RiskSignalSchema)
    @blp.doc(**IF_MATCH)
    def patch(self, data, signal_id):
        """Correct a signal, or archive it with `archived: true`; If-Match must carry the ETag last read."""
        signal = risk_signals.update_signal(store(), signal_id, data, actor=actor(), now=now(),
                                            expected_version=expected_version())
        return signal, 200, etag(signal.version)
