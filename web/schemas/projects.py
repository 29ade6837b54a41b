"""Project, capital-inflow and incentive shapes for the API."""
from __future__ import annotations

from marshmallow import fields, validate

from crm.choices import INFLOW_KINDS, PROJECT_KINDS, PROJECT_STAGES
from crm.projects.projects import SORTS as PROJECT_SORTS
from crm.projects.projects import category_ids
from crm.projects.inflows import SORTS as INFLOW_SORTS
from web.schemas.common import ListArgs, Strict, choice, ident, text, usd

USD_STRICT = {"strict": True}


def category() -> fields.String:
    """An industry category id from policy `industry_categories`."""
    return fields.String(validate=validate.OneOf(category_ids()), metadata={"enum": category_ids()})


def _sort_help(sorts: dict[str, str]) -> dict[str, str]:
    return {"description": "One of " + ", ".join(sorted(sorts)) + "; prefix '-' for descending"}


class ProjectSchema(Strict):
    id = fields.String()
    name = fields.String()
    kind = fields.String()
    signed_on = fields.Date(allow_none=True)
    total_investment_usd = fields.Integer(allow_none=True)
    contracted_fdi_usd = fields.Integer(allow_none=True)
    manufacturing = fields.Boolean()
    industry_category = fields.String()
    incentive_excluded = fields.Boolean(metadata={"description": "Real estate, finance or quasi-finance: no 任务 10 "
                                                                 "reward"})
    high_tech = fields.Boolean()
    high_tech_services = fields.Boolean()
    rd_centre = fields.Boolean()
    rd_centre_recognised_on = fields.Date(allow_none=True)
    regional_hq = fields.Boolean()
    status = fields.String()
    capital_support_elsewhere = fields.String(allow_none=True)
    rd_support_elsewhere = fields.String(allow_none=True)
    stage = fields.String(metadata={"description": "签约 signed → registered → started → producing → "
                                                  "full_production, or withdrawn"})
    stage_on = fields.Date(allow_none=True)
    landed_on = fields.Date(allow_none=True, metadata={"description": "When the investor became present "
                                                                      "(the landing stage of policy)"})
    registered_planned_on = fields.Date(allow_none=True)
    registered_on = fields.Date(allow_none=True)
    started_planned_on = fields.Date(allow_none=True)
    started_on = fields.Date(allow_none=True)
    producing_planned_on = fields.Date(allow_none=True)
    producing_on = fields.Date(allow_none=True)
    full_production_planned_on = fields.Date(allow_none=True)
    full_production_on = fields.Date(allow_none=True)
    withdrawn_on = fields.Date(allow_none=True)
    company_id = fields.String()
    company_name_zh = fields.String(allow_none=True)
    company_name_en = fields.String(allow_none=True)
    district_id = fields.String()
    district_name_zh = fields.String(allow_none=True)
    district_name_en = fields.String(allow_none=True)
    link_id = fields.String(allow_none=True)
    link_name_zh = fields.String(allow_none=True)
    chain_id = fields.String(allow_none=True)
    owner_id = fields.String(allow_none=True)
    owner_name = fields.String(allow_none=True)
    lead_id = fields.String(allow_none=True)
    created_at = fields.DateTime(allow_none=True)
    updated_at = fields.DateTime(allow_none=True)
    version = fields.Integer()
    archived = fields.Boolean()
    synthetic = fields.Boolean()


class _ProjectFields(Strict):
    link_id = ident(allow_none=True)
    owner_id = ident(allow_none=True)
    kind = choice(PROJECT_KINDS)
    signed_on = fields.Date()
    total_investment_usd = usd(allow_none=True, **USD_STRICT)
    contracted_fdi_usd = usd(allow_none=True, **USD_STRICT)
    manufacturing = fields.Boolean(metadata={"description": "Sets industry_category to manufacturing when true"})
    industry_category = category()
    high_tech = fields.Boolean(metadata={"description": "High-tech manufacturing (任务 8) when manufacturing"})
    high_tech_services = fields.Boolean()
    rd_centre = fields.Boolean()
    rd_centre_recognised_on = fields.Date(allow_none=True, metadata={"description": "Earns 任务 5's one-off reward"})
    regional_hq = fields.Boolean()
    capital_support_elsewhere = text(200, allow_none=True, metadata={
        "description": "The scheme that already rewarded this project's paid-in capital: 任务 10's reward is "
                       "withheld (按照同一方向不重复支持)"})
    rd_support_elsewhere = text(200, allow_none=True, metadata={
        "description": "The scheme that already paid an R&D-centre opening reward: 任务 5's is withheld"})
    registered_planned_on = fields.Date(allow_none=True, metadata={"description": "Planned 注册 (stall rules)"})
    started_planned_on = fields.Date(allow_none=True, metadata={"description": "Planned 开工"})
    producing_planned_on = fields.Date(allow_none=True, metadata={"description": "Planned 竣工投产"})
    full_production_planned_on = fields.Date(allow_none=True, metadata={"description": "Planned 达产"})


class ProjectCreateSchema(_ProjectFields):
    name = text(200, required=True)
    company_id = ident(required=True)
    district_id = ident(required=True)


class ProjectUpdateSchema(_ProjectFields):
    name = text(200)
    company_id = ident()
    district_id = ident()
    archived = fields.Boolean()


class ProjectListArgs(ListArgs):
    district = ident()
    chain = ident()
    company = ident()
    owner = ident()
    kind = choice(PROJECT_KINDS)
    manufacturing = fields.Boolean()
    high_tech = fields.Boolean()
    industry_category = category()
    signed_year = fields.Integer(validate=validate.Range(min=1900, max=2999))
    sort = text(40, load_default="-signed_on", metadata=_sort_help(PROJECT_SORTS))


class ProjectStageMoveSchema(Strict):
    to = choice(PROJECT_STAGES, required=True)
    on = fields.Date(required=True, metadata={"description": "The day the stage was reached (not in the future)"})
    reason = text(500, allow_none=True, metadata={"description": "Needed to move back, withdraw, or return"})


class StallSchema(Strict):
    code = fields.String(metadata={"description": "slow_registration, behind_plan or capital_behind"})
    since = fields.Date(metadata={"description": "The first day the rule held"})
    stage = fields.String(allow_none=True, metadata={"description": "The stage it waits for"})
    zh = fields.String()
    en = fields.String()


class GapChangeSchema(Strict):
    link_id = fields.String()
    link_name_zh = fields.String(allow_none=True)
    link_name_en = fields.String(allow_none=True)
    kind = fields.String(metadata={"description": "closed (a landing covered the link) or reopened"})
    day = fields.Date()
    project_id = fields.String(allow_none=True)
    company_id = fields.String(allow_none=True)


class InflowSchema(Strict):
    id = fields.String()
    project_id = fields.String()
    received_on = fields.Date()
    amount_usd = fields.Integer()
    kind = fields.String()
    created_at = fields.DateTime(allow_none=True)
    updated_at = fields.DateTime(allow_none=True)
    version = fields.Integer()
    archived = fields.Boolean()
    synthetic = fields.Boolean()


def _amount(**kwargs) -> fields.Integer:
    return fields.Integer(strict=True, validate=validate.Range(min=1, max=10**13),
                          metadata={"description": "Whole US dollars, more than 0"}, **kwargs)


class InflowCreateSchema(Strict):
    received_on = fields.Date(required=True, metadata={"description": "Not in the future (Chongqing time)"})
    amount_usd = _amount(required=True)
    kind = choice(INFLOW_KINDS, required=True)


class InflowUpdateSchema(Strict):
    received_on = fields.Date()
    amount_usd = _amount()
    kind = choice(INFLOW_KINDS)
    archived = fields.Boolean(metadata={"description": "Archive a mistaken inflow: it stops counting"})


class InflowListArgs(Strict):
    year = fields.Integer(validate=validate.Range(min=1900, max=2999))
    kind = choice(INFLOW_KINDS)
    archived = fields.Boolean(load_default=False)
    sort = text(40, load_default="received_on", metadata=_sort_help(INFLOW_SORTS))


class ReasonSchema(Strict):
    code = fields.String()
    zh = fields.String()
    en = fields.String()


def _money(description: str) -> fields.Decimal:
    return fields.Decimal(as_string=True, places=2, metadata={"description": description})


class YearRewardSchema(Strict):
    year = fields.Integer()
    counted_usd = fields.Integer(metadata={"description": "Paid-in capital that counts (loans excluded)"})
    uncounted_usd = fields.Integer(metadata={"description": "Paid-in capital that does not count"})
    tier = fields.String(allow_none=True)
    rate = fields.Decimal(as_string=True, allow_none=True)
    base = _money("The figure the rate applies to")
    uncapped_rmb = _money("Rate times base, before the yearly cap")
    capital_reward_rmb = _money("任务 10 reward after the cap")
    capped = fields.Boolean()
    rd_centre_rmb = _money("任务 5 one-off R&D centre reward")
    withheld_rmb = _money("Withheld because another scheme rewarded the same purpose (按照同一方向不重复支持)")
    total_rmb = _money("Both rewards")
    reasons = fields.List(fields.Nested(ReasonSchema))
