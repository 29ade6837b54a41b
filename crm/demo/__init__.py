"""A living demo on top of the real seed data: a deterministic, synthetic two-year history.

Everything generated here is marked `synthetic` (the UI labels it). Leads come from the ranked
candidates of each chain when a ranker is given (`scoring.ranking.rank_candidates`), else from
seed companies; they move through the pipeline through the same services users call, dated
over the last two years, so stage changes, follow-ups, projects, inflows and audit entries
all look like the bureau's own work. Running it again on a store that has it does nothing.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from crm.demo.daily_work import add_events, add_service_work
from crm.demo.exit_risk import add_exit_risk
from crm.demo.accounts import DEMO_PASSWORD, ensure_people
from crm.demo.lead_history import add_pipeline, add_reinvestment, candidates_for
from crm.demo.roadshows import add_roadshow_work
from crm.demo.latest_weeks import add_recent_work, add_reports, add_resilience_trend
from crm.reports.outlook import Scoring

Ranker = Callable[..., Any]


@dataclass
class DemoSummary:
    created: bool
    counts: dict[str, int] = field(default_factory=dict)
    password: str = DEMO_PASSWORD

    def lines(self) -> list[str]:
        if not self.created:
            return ["demo history already present: nothing added"]
        return [f"demo history added (synthetic): " + ", ".join(f"{v} {k}" for k, v in self.counts.items())]


def has_demo(store: Any) -> bool:
    return bool(store.read("MATCH (l:Lead) WHERE l.synthetic = true RETURN l.id AS id LIMIT 1"))


def generate_demo(store: Any, *, now: datetime, candidates: Ranker | None = None, ranker: Ranker | None = None,
                  scoring: Scoring | None = None, seed: int = 2026, leads_per_chain: int = 12) -> DemoSummary:
    """Add the demo bureau and its history (idempotent: a store that has demo leads is left alone).

    `candidates(store, chain_id=, top=, now=)` gives lead data for a chain's best candidates;
    `ranker` is the event target-list hook (crm.events.targets) and `scoring` the weekly reports'
    chain outlook (crm.reports.outlook); all come from the scoring package.
    """
    chains = {r["id"] for r in store.read("MATCH (c:Chain) RETURN c.id AS id")}
    districts = {r["id"] for r in store.read("MATCH (d:District) WHERE d.valid_to IS NULL RETURN d.id AS id")}
    people = ensure_people(store, now=now, chains=chains, districts=districts)
    if has_demo(store) or not chains:
        return DemoSummary(created=False)
    rnd = random.Random(seed)
    picks = candidates_for(store, sorted(chains), per_chain=leads_per_chain, now=now, ranker=candidates, rnd=rnd)
    counts = add_pipeline(store, picks, people, now=now, rnd=rnd)
    for key, value in add_reinvestment(store, people, now=now, rnd=rnd).items():
        counts[key] += value
    counts |= add_service_work(store, people, now=now, rnd=rnd)
    counts |= add_events(store, people, sorted(chains), now=now, rnd=rnd, ranker=ranker)
    counts |= add_roadshow_work(store, people, sorted(chains), now=now, rnd=rnd, ranker=ranker)
    counts |= add_recent_work(store, people, now=now, rnd=rnd)
    counts |= add_exit_risk(store, now=now, rnd=rnd)
    counts |= _run_jobs(store, now=now)
    counts |= add_resilience_trend(store, now=now, scoring=scoring)
    counts |= add_reports(store, now=now, scoring=scoring)
    return DemoSummary(created=True, counts=counts)


def _run_jobs(store: Any, *, now: datetime) -> dict[str, int]:
    """Run the scheduled jobs once at `now`, so the pool, escalations and inboxes have content."""
    from crm.ops import jobs

    return {"leads returned to the pool": jobs.return_stale_leads(store, now=now),
            "escalations": jobs.escalate_overdue(store, now=now),
            "reminders": jobs.scan_followups(store, now=now),
            "exit-risk escalations": jobs.escalate_exit_risk(store, now=now)}  # starts the high-score streaks
