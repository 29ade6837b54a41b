"""The chain section (任务 9): gaps closed this week and this year, open 补链/固链 gaps and the best
candidates for the severest, per chain.

A gap closes on the first day its link is covered locally, read from stored data: the earliest
of (a) the `since` date of a PRESENT_IN of a company that MAKES the link and (b) the signing date
of a project IN_LINK to it. A link with a presence of unknown date was covered before any report,
so it never counts as closed. The open gaps and candidates come from the scoring outlook
(crm/reports/outlook.py), as the graph stands when the report is generated.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from crm.reports.common import named, names
from crm.reports.loading import ReportData

ALWAYS = date.min  # covered since before anyone recorded it


def first_cover(data: ReportData) -> dict[str, tuple[date, str, str | None, str | None]]:
    """Per link: the day it was first covered, how (presence or signing), by whom, and the signed
    project's district (its scope, crm/reports/scope.py; a firm's presence is public)."""
    out: dict[str, tuple[date, str, str | None, str | None]] = {}

    def offer(link: str, day: date, how: str, who: str | None, district: str | None = None) -> None:
        if link not in out or day < out[link][0]:
            out[link] = (day, how, who, district)

    for p in data.presences:
        offer(p["link_id"], p["since"] or ALWAYS, "presence", p["name_zh"] or p["name_en"])
    for s in data.link_signings:
        offer(s["link_id"], s["signed_on"], "signing", s["name"], s["district_id"])
    return out


def closed_gaps(data: ReportData) -> list[dict[str, Any]]:
    """Links first covered between 1 January and the week's Sunday, oldest first."""
    links = named(data.links)
    first = date(data.year, 1, 1)
    out = []
    for link_id, (day, how, who, district) in first_cover(data).items():
        if day != ALWAYS and first <= day <= data.week.end:
            link = links.get(link_id) or {}
            out.append({"link_id": link_id, "chain_id": link.get("chain_id"), **names(link, link_id), "on": day,
                        "how": how, "by": who, "district_id": district, "this_week": day >= data.week.start})
    out.sort(key=lambda r: (r["on"], r["link_id"]))
    return out


def chain_figures(data: ReportData, *, gap_actions: tuple[str, ...], max_rows: int) -> dict[str, Any]:
    chains = named(data.chains)
    closed = closed_gaps(data)
    outlook = data.outlook
    gaps = outlook["gaps"] if outlook else []
    candidates = outlook["candidates"] if outlook else []
    severe = outlook["severe"] if outlook else {}
    by_id = {g["link_id"]: g for g in gaps}
    rows = []
    for chain_id in sorted(chains):
        open_gaps = {a: sum(1 for g in gaps if g["chain_id"] == chain_id and g["action"] == a) for a in gap_actions}
        rows.append({"id": chain_id, **names(chains[chain_id], chain_id),
                     "closed_week": sum(1 for c in closed if c["chain_id"] == chain_id and c["this_week"]),
                     "closed_year": sum(1 for c in closed if c["chain_id"] == chain_id),
                     "open": open_gaps,
                     "severe": [by_id[link] for link in severe.get(chain_id, []) if link in by_id],
                     "candidates": [c for c in candidates if c["chain_id"] == chain_id]})
    return {"available": outlook is not None, "gap_actions": list(gap_actions), "chains": rows,
            "closed_week": sum(1 for c in closed if c["this_week"]), "closed_year": len(closed),
            "closed": closed[-max_rows:],
            "open": {a: sum(1 for g in gaps if g["action"] == a) for a in gap_actions}}
