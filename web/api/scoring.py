"""/api/v1/chains/{id}/gaps and /api/v1/candidates: where chains are weak, and whom to approach first."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from crm.base.clock import local_today
from crm.library import reference
from scoring.gaps import analyse_gaps
from scoring.resilience import resilience
from scoring.resilience_trend import as_dict, trend
from scoring.ranking import rank_candidates
from web.api.common import actor, etag, now, store
from web.cockpit import lead_from_candidate, within_scope
from web.schemas.leads import LeadSchema
from web.schemas.scoring import (AsOfArgs, CandidateArgs, CandidateLeadSchema, CandidateSchema, ChainResilienceSchema,
                                 CityResilienceSchema, GapArgs, LinkGapSchema)

blp = Blueprint("scoring", __name__, url_prefix="/api/v1",
                description="Chain gap analysis (补链/固链/强链/扩链) and explainable lead ranking")


@blp.route("/chains/<chain_id>/gaps")
class ChainGaps(MethodView):
    @blp.arguments(GapArgs, location="query")
    @blp.response(200, LinkGapSchema(many=True))
    def get(self, args, chain_id):
        """Every link of the chain with its action, severity and reasons, most severe first."""
        reference.get_chain(store(), chain_id)
        gaps = analyse_gaps(store(), chain_id, as_of=args.get("as_of") or local_today(now()))
        wanted = [g for g in gaps if not args.get("action") or g.action == args["action"]]
        return [asdict(g) for g in sorted(wanted, key=lambda g: (-g.severity, g.link_id))]


@blp.route("/candidates")
class Candidates(MethodView):
    @blp.arguments(CandidateArgs, location="query")
    @blp.response(200, CandidateSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=200)
    def get(self, args, pagination_parameters):
        """Ranked (company, link) candidates, best first, each with its factor breakdown and reason.

        Foreign investors by default (HK, MO and TW count as foreign; a blank country is flagged);
        `market=domestic` lists mainland partners for the gaps, apart and never counted as FDI."""
        if args.get("chain"):
            reference.get_chain(store(), args["chain"])
        ranking = rank_candidates(store(), chain_id=args.get("chain"), action=args.get("action"), now=now(),
                                  as_of=args.get("as_of"), market=args["market"])
        pagination_parameters.item_count = len(ranking)
        start = pagination_parameters.first_item
        return [asdict(within_scope(store(), c, actor())) for c in
                ranking[start:start + pagination_parameters.page_size]]


@blp.route("/candidates/lead")
class CandidateLead(MethodView):
    @blp.arguments(CandidateLeadSchema)
    @blp.response(201, LeadSchema)
    def post(self, data):
        """Open a lead for a ranked candidate in one step, with its score snapshot."""
        lead = lead_from_candidate(store(), data["chain_id"], data["link_id"], data["company_id"], actor=actor(),
                                   now=now(), mine=data["mine"])
        return lead, 201, {**etag(lead.version), "Location": f"/api/v1/leads/{lead.id}"}


def _resilience(chain_id: str | None, as_of: Any) -> dict[str, Any]:
    day = as_of or local_today(now())
    found = resilience(store(), as_of=day)
    if chain_id is not None and chain_id not in found:
        return {"current": {"chain_id": chain_id, "day": day, "index": 0.0, "parts": {}, "links": 0},
                "trend": [], "movers": []}
    points, moved = trend(store(), chain_id, until=day)
    out = {"current": as_dict(found[chain_id]), "trend": [asdict(p) for p in points], "movers": [asdict(m) for m in moved]}
    if chain_id is None:
        out["chains"] = [as_dict(r) for c, r in found.items() if c is not None]
    return out


@blp.route("/resilience")
class CityResilience(MethodView):
    @blp.arguments(AsOfArgs, location="query")
    @blp.response(200, CityResilienceSchema)
    def get(self, args):
        """The city's chain resilience index and every chain's, as of a day (today), with the kept weekly
        trend and the links that moved the last week."""
        return _resilience(None, args.get("as_of"))


@blp.route("/chains/<chain_id>/resilience")
class ChainResilience(MethodView):
    @blp.arguments(AsOfArgs, location="query")
    @blp.response(200, ChainResilienceSchema)
    def get(self, args, chain_id):
        """One chain's resilience index as of a day (today), its kept weekly trend and what moved it."""
        reference.get_chain(store(), chain_id)
        return _resilience(chain_id, args.get("as_of"))
