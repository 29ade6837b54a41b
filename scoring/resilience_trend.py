"""The resilience index kept week by week (ResilienceSnapshot), so the cockpit and the weekly report draw
its trend and say which links moved it. A week's snapshot is the index as of its last day, computed from
the dated graph, so a past week can be filled in later and reads as it stood.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from graph.cypher import upsert_nodes
from scoring.resilience import LinkState, Move, Resilience, movers, resilience

CITY = "city"


@dataclass(frozen=True)
class Point:
    week: str
    day: date
    index: float
    parts: dict[str, float]


def week_id(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _row(r: Resilience, *, now: datetime, synthetic: bool) -> dict[str, Any]:
    chain = r.chain_id or CITY
    return {"id": f"{chain}:{week_id(r.day)}", "chain_id": chain, "week": week_id(r.day), "day": r.day,
            "resilience": r.index, **r.parts, "links": r.links, "computed_at": now, "synthetic": synthetic,
            "states": json.dumps({k: [s.covered, s.single_source, s.outside] for k, s in r.states.items()},
                                 separators=(",", ":"), sort_keys=True)}


def snapshot(store: Any, week_end: date, *, now: datetime, synthetic: bool = False,
             policy: dict[str, Any] | None = None) -> int:
    """Keep every chain's and the city's index as of `week_end` (a Sunday), once: a week already kept stays
    as it was. Returns the snapshots kept now (none for a graph without links)."""
    kept = {r["id"] for r in store.read("MATCH (s:ResilienceSnapshot) WHERE s.week = $week RETURN s.id AS id",
                                        {"week": week_id(week_end)})}
    rows = [_row(r, now=now, synthetic=synthetic) for r in resilience(store, as_of=week_end, policy=policy).values()
            if r.links]
    fresh = [row for row in rows if row["id"] not in kept]
    return upsert_nodes(store, "ResilienceSnapshot", fresh) if fresh else 0


def snapshot_weeks(store: Any, first: date, last: date, *, now: datetime, synthetic: bool = False) -> int:
    """Fill the weekly snapshots of the Sundays from `first` to `last` (the demo's two years of history)."""
    day, made = first + timedelta(days=(6 - first.weekday()) % 7), 0
    while day <= last:
        made += snapshot(store, day, now=now, synthetic=synthetic)
        day += timedelta(days=7)
    return made


_POINTS = ("MATCH (s:ResilienceSnapshot) WHERE s.chain_id = $chain AND s.day <= $until "
           "RETURN s.week AS week, s.day AS day, s.resilience AS resilience, s.coverage AS coverage, "
           "s.single_source AS single_source, s.depth AS depth, s.outside AS outside, s.states AS states "
           "ORDER BY s.day DESC LIMIT $n")


def trend(store: Any, chain_id: str | None, *, until: date, weeks: int = 104) -> tuple[list[Point], list[Move]]:
    """The kept weekly points up to `until`, oldest first, and the links that moved the last one."""
    rows = store.read(_POINTS, {"chain": chain_id or CITY, "until": until, "n": weeks})
    points = [Point(r["week"], r["day"], r["resilience"],
                    {k: r[k] for k in ("coverage", "single_source", "depth", "outside")}) for r in reversed(rows)]
    moved = movers(_states(rows[1]["states"]), _states(rows[0]["states"])) if len(rows) >= 2 else []
    return points, moved


def _states(text: str | None) -> dict[str, LinkState]:
    return {k: LinkState(k, *v) for k, v in json.loads(text or "{}").items()}


def as_dict(r: Resilience) -> dict[str, Any]:
    """The index for the API and `--json`: its parts, without the per-link states."""
    out = asdict(r)
    out.pop("states")
    return out


def for_report(store: Any, *, as_of: date) -> dict[str, Any]:
    """The report's resilience: the city's and each chain's index at the week's end and a week before
    (both from the dated graph, so a past week's report reads as it did), the links that moved the
    city's, and the kept weekly trend of the city up to the week."""
    now, before = resilience(store, as_of=as_of), resilience(store, as_of=as_of - timedelta(days=7))
    points, _ = trend(store, None, until=as_of, weeks=12)
    return {
        "city": {"value": now[None].index, "previous": before[None].index, "parts": now[None].parts},
        "chains": {c: {"value": r.index, "previous": before[c].index if c in before else None}
                   for c, r in now.items() if c is not None},
        "movers": [asdict(m) for m in movers(before[None].states, now[None].states)],
        "trend": [{"week": p.week, "value": p.index} for p in points],
    }
