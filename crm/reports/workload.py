"""The people and events sections: follow-ups done and overdue by owner, leads returned to the
pool (requirements P2, M3), and events in the coming weeks and what past events brought (P3).

Overdue at a week's end means due before the next Monday's midnight in Chongqing and neither done
nor cancelled by then, so last week's report can be regenerated with the figures it had; by owner
it counts the follow-ups assigned to someone (every follow-up is, when made through the services).
"""
from __future__ import annotations

from typing import Any

from crm.reports.common import named, pair
from crm.reports.loading import ReportData


def people_figures(data: ReportData) -> dict[str, Any]:
    users = named(data.users)
    late, late_before = data.overdue_by_owner.this, data.overdue_by_owner.before
    done, pool = data.done_by_owner, data.pool_returns
    ids = set(done.this) | set(done.before) | {k for k, v in late.items() if v} | \
        {k for k, v in late_before.items() if v} | set(pool.this) | set(pool.before)
    rows: list[dict[str, Any]] = []
    for owner in ids:
        user = users.get(owner) or {}
        rows.append({"owner_id": owner, "name": user.get("name") or user.get("username") or owner,
                     "done": pair(done.this.get(owner, 0), done.before.get(owner, 0)),
                     "overdue": pair(late.get(owner, 0), late_before.get(owner, 0)),
                     "returned_to_pool": pair(pool.this.get(owner, 0), pool.before.get(owner, 0))})
    rows.sort(key=lambda r: (-r["overdue"]["value"], -r["done"]["value"], r["owner_id"] is None, r["name"] or ""))
    return {"owners": rows,
            "done": pair(sum(done.this.values()), sum(done.before.values())),
            "overdue": pair(sum(late.values()), sum(late_before.values())),
            "returned_to_pool": pair(sum(pool.this.values()), sum(pool.before.values()))}


def event_figures(data: ReportData, *, weeks: int) -> dict[str, Any]:
    past = [a for a in data.attributed if a["start_on"] is not None and a["start_on"] <= data.week.end]
    return {"weeks": weeks, "upcoming": data.upcoming, "past": past,
            "leads_sourced": sum(a["leads_sourced"] for a in past), "signings": sum(a["signings"] for a in past),
            "contracted_fdi_usd": sum(a["contracted_fdi_usd"] for a in past)}
