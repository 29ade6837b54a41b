"""/api/v1/pool and /api/v1/assignment-rules: the lead pool (公海池) and the rules that place leads."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from crm.pipeline import assignment, leads, pool
from web.api.common import IF_MATCH, actor, etag, expected_version, now, one, store
from web.schemas.leads import LeadSchema
from web.schemas.pool import (AssignmentRuleCreateSchema, AssignmentRuleSchema, AssignmentRuleUpdateSchema,
                              PoolListArgs, RuleListArgs)

blp = Blueprint("pool", __name__, url_prefix="/api/v1/pool", description="The lead pool (公海池): leads without an owner")
rules_blp = Blueprint("assignment_rules", __name__, url_prefix="/api/v1/assignment-rules",
                      description="Rules that give new leads without an owner to a user, by chain or district")


@blp.route("")
class Pool(MethodView):
    @blp.arguments(PoolListArgs, location="query")
    @blp.response(200, LeadSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=200)
    def get(self, args, pagination_parameters):
        """Open leads without an owner that the caller may see (staff: all; others: their chains or districts)."""
        query = leads.LeadQuery(**args, page=pagination_parameters.page, page_size=pagination_parameters.page_size)
        page = pool.list_pool(store(), query, actor=actor())
        pagination_parameters.item_count = page.total
        return page.items


@blp.route("/<lead_id>/claim")
class Claim(MethodView):
    @blp.response(200, LeadSchema)
    @blp.doc(**IF_MATCH)
    def post(self, lead_id):
        """Take a pool lead as your own; when someone was quicker, 409 says who."""
        lead = pool.claim(store(), lead_id, actor=actor(), now=now(), expected_version=expected_version())
        return one(LeadSchema, lead, etag(lead.version))


@rules_blp.route("")
class Rules(MethodView):
    @rules_blp.arguments(RuleListArgs, location="query")
    @rules_blp.response(200, AssignmentRuleSchema(many=True))
    @rules_blp.paginate(page_size=50, max_page_size=200)
    def get(self, args, pagination_parameters):
        page = assignment.list_rules(store(), actor=actor(), archived=args["archived"],
                                     page=pagination_parameters.page, page_size=pagination_parameters.page_size)
        pagination_parameters.item_count = page.total
        return page.items

    @rules_blp.arguments(AssignmentRuleCreateSchema)
    @rules_blp.response(201, AssignmentRuleSchema)
    def post(self, data):
        """Add a rule (admins and staff); the most specific matching rule wins, then the lowest position."""
        rule = assignment.create_rule(store(), data, actor=actor(), now=now())
        return rule, 201, {**etag(rule.version), "Location": f"/api/v1/assignment-rules/{rule.id}"}


@rules_blp.route("/<rule_id>")
class RuleById(MethodView):
    @rules_blp.response(200, AssignmentRuleSchema)
    def get(self, rule_id):
        rule = assignment.get_rule(store(), rule_id, actor=actor())
        return rule, 200, etag(rule.version)

    @rules_blp.arguments(AssignmentRuleUpdateSchema)
    @rules_blp.response(200, AssignmentRuleSchema)
    @rules_blp.doc(**IF_MATCH)
    def patch(self, data, rule_id):
        """Edit or archive a rule; If-Match must carry the ETag last read."""
        rule = assignment.update_rule(store(), rule_id, data, actor=actor(), now=now(),
                                      expected_version=expected_version())
        return rule, 200, etag(rule.version)
