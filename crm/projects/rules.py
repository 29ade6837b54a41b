"""A project's own consistency rules, pure: required fields, amounts, dates, and flags that agree.

The manufacturing flag and the industry category say the same thing twice (the flag picks the
4 % incentive tier and the KPI manufacturing share, the category the 任务 10 exclusions), so
one is derived from the other when only one is given, and a contradiction is refused.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Iterable

MANUFACTURING = "manufacturing"
NOT_MANUFACTURING = "other"
USD_FIELDS = ("total_investment_usd", "contracted_fdi_usd")
DATE_FIELDS = ("signed_on", "rd_centre_recognised_on")
# Each stage after signing has a planned day (editable) and the day it was reached (set by a move).
LATER_STAGES = ("registered", "started", "producing", "full_production")
PLANNED = {stage: f"{stage}_planned_on" for stage in LATER_STAGES}
REACHED = {stage: f"{stage}_on" for stage in LATER_STAGES}
# The scheme that already rewarded the project for the same purpose (按照同一方向不重复支持).
SUPPORT_FIELDS = ("capital_support_elsewhere", "rd_support_elsewhere")


def validate(data: dict[str, Any], *, creating: bool, categories: Iterable[str],
             kinds: Iterable[str]) -> dict[str, list[str]]:
    """Field messages for a project's values (the whole record, or the record after a change)."""
    categories, kinds = list(categories), list(kinds)
    errors: dict[str, list[str]] = {}
    if creating:
        for name in ("company_id", "district_id"):
            if not data.get(name):
                errors[name] = ["required"]
        if not (data.get("name") or "").strip():
            errors["name"] = ["required"]
    for name in ("name", *SUPPORT_FIELDS):
        if len(data.get(name) or "") > 200:
            errors[name] = ["at most 200 characters"]
    if data.get("kind") is not None and data["kind"] not in kinds:
        errors["kind"] = [f"must be one of {', '.join(kinds)}"]
    if data.get("industry_category") is not None and data["industry_category"] not in categories:
        errors["industry_category"] = [f"must be one of {', '.join(categories)}"]
    for name in USD_FIELDS:
        value = data.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            errors[name] = ["must be a whole number of US dollars, 0 or more"]
    if data.get("rd_centre_recognised_on") and not data.get("rd_centre", True):
        errors["rd_centre_recognised_on"] = ["only an R&D centre can be recognised as one"]
    return errors


def check_dates(data: dict[str, Any], today: date) -> dict[str, list[str]]:
    """Signing and R&D-centre recognition are facts that happened: neither lies in the future."""
    errors: dict[str, list[str]] = {}
    for name in DATE_FIELDS:
        value = data.get(name)
        if value is None:
            continue
        if not isinstance(value, date):
            errors[name] = ["must be a date (YYYY-MM-DD)"]
        elif value > today:
            errors[name] = [f"cannot be in the future (today is {today.isoformat()} in Chongqing)"]
    return errors


def check_plan(merged: dict[str, Any]) -> dict[str, list[str]]:
    """Planned days lie on or after the signing and follow the stages' order (a day may hold two)."""
    errors: dict[str, list[str]] = {}
    signed, last, last_stage = merged.get("signed_on"), None, None
    for stage in LATER_STAGES:
        name, value = PLANNED[stage], merged.get(PLANNED[stage])
        if value is None:
            continue
        if not isinstance(value, date):
            errors[name] = ["must be a date (YYYY-MM-DD)"]
        elif isinstance(signed, date) and value < signed:
            errors[name] = [f"cannot be before the signing ({signed.isoformat()})"]
        elif last is not None and value < last:
            errors[name] = [f"cannot be before the planned {last_stage} ({last.isoformat()})"]
        else:
            last, last_stage = value, stage
    return errors


def reconcile(current: dict[str, Any], changes: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The changes with the manufacturing flag or category derived from the other, and any conflict.

    >>> reconcile({}, {"industry_category": "real_estate"})[0]["manufacturing"]
    False
    >>> reconcile({"industry_category": "finance"}, {"manufacturing": True})[0]["industry_category"]
    'manufacturing'
    """
    out = dict(changes)
    for name in SUPPORT_FIELDS:
        if name in out:
            out[name] = (out[name] or "").strip() or None
    flag, category = changes.get("manufacturing"), changes.get("industry_category")
    if flag is not None and category is not None:
        if bool(flag) != (category == MANUFACTURING):
            return out, {"manufacturing": [
                f"disagrees with industry_category {category!r}: a manufacturing project has category "
                f"{MANUFACTURING!r} and only it"]}
    elif category is not None:
        out["manufacturing"] = category == MANUFACTURING
    elif flag is not None:
        before = current.get("industry_category")
        if flag:
            out["industry_category"] = MANUFACTURING
        elif before in (None, MANUFACTURING):
            out["industry_category"] = NOT_MANUFACTURING
    return out, {}
