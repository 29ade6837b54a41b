"""The chain section (任务 9): gaps closed this week and this year, open 补链/固链 gaps and the best
candidates for the severest, per chain.

A link is covered while a company that MAKES it (from the MAKES' `since`) is present in a district (from
the presence's `since`; an ended one, WAS_PRESENT_IN, until its `until`). A signing does not cover it: the
project's landing does (crm/projects/landing.py writes the presence), as the gap analysis sees it. A gap
closes on each day the link turns covered after a stretch without cover: the first day of each stretch
of cover, by a landing (a presence a project wrote) or a presence recorded otherwise. A stretch that began before any record (a presence with no date) never counts
as a closing. The open gaps and candidates come from the scoring outlook (crm/reports/outlook.py), as
of the week's end.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from crm.reports.common import named, names
from crm.reports.loading import ReportData

ALWAYS = date.min  # covered since before anyone recorded it
Cover = tuple[date, date | None, str, str | None, str | None]  # from, until, how, by whom, district


def _later(a: date | None, b: date | None) -> date:
    return max(a or ALWAYS, b or ALWAYS)


def covers(data: ReportData) -> dict[str, list[Cover]]:
    """Per link, each stretch of cover by a local maker (presence and MAKES both begun), with how (a
    project's landing, or a presence) and by whom (the firm: a firm's presence is public)."""
    out: dict[str, list[Cover]] = {}
    for p in data.presences:
        start, end = _later(p["since"], p.get("made_since")), p.get("until")
        how = "landing" if p.get("source_project") else "presence"
        if end is None or start < end:
            out.setdefault(p["link_id"], []).append((start, end, how, p["name_zh"] or p["name_en"], None))
    return out


def closings(stretches: list[Cover]) -> list[Cover]:
    """The stretches that begin a run of cover: each is a day the link's gap closed (ALWAYS: never closed).

    >>> d = date
    >>> [c[0].isoformat() for c in closings([(d(2024, 6, 1), None, "presence", "B", None),
    ...                                      (d(2024, 1, 1), d(2024, 3, 1), "presence", "A", None),
    ...                                      (d(2024, 3, 1), d(2024, 4, 1), "presence", "C", None)])]
    ['2024-01-01', '2024-06-01']
    """
    out: list[Cover] = []
    run_end: date | None = ALWAYS  # the first day without cover after the current run (None: it never ends)
    for stretch in sorted(stretches, key=lambda c: (c[0], c[2])):
        start, end = stretch[0], stretch[1]
        if run_end is None:
            break
        if not out or start > run_end:
            out.append(stretch)
            run_end = end
        else:
            run_end = None if end is None else max(run_end, end)
    return out


def closed_gaps(data: ReportData) -> list[dict[str, Any]]:
    """Gaps that closed between 1 January and the week's Sunday, oldest first."""
    links = named(data.links)
    first = date(data.year, 1, 1)
    out = []
    for link_id, stretches in covers(data).items():
        for day, _, how, who, district in closings(stretches):
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
    kept = (outlook or {}).get("resilience")
    rows = []
    for chain_id in sorted(chains):
        open_gaps = {a: sum(1 for g in gaps if g["chain_id"] == chain_id and g["action"] == a) for a in gap_actions}
        rows.append({"id": chain_id, **names(chains[chain_id], chain_id),
                     "closed_week": sum(1 for c in closed if c["chain_id"] == chain_id and c["this_week"]),
                     "closed_year": sum(1 for c in closed if c["chain_id"] == chain_id),
                     "open": open_gaps,
                     "severe": [by_id[link] for link in severe.get(chain_id, []) if link in by_id],
                     "candidates": [c for c in candidates if c["chain_id"] == chain_id],
                     "resilience": kept["chains"].get(chain_id) if kept else None})
    return {"available": outlook is not None, "gap_actions": list(gap_actions), "chains": rows,
            "closed_week": sum(1 for c in closed if c["this_week"]), "closed_year": len(closed),
            "closed": closed[-max_rows:],
            "open": {a: sum(1 for g in gaps if g["action"] == a) for a in gap_actions},
            "resilience": {k: kept[k] for k in ("city", "movers", "trend")} if kept else None}
