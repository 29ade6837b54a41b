"""What crm asks of the scoring package, handed in by the program that wires the two together.

scoring sits above crm (it reads crm's policy, clock and choices), so crm never imports it: the
composition points (web/app.py, web/cli.py, and the test suite's conftest) install
`scoring.hooks.provide()` here. Without it, event target lists, the weekly report's chain outlook
and the nightly re-scoring say that ranking is not available instead of failing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

GapAnalysis = Callable[..., Iterable[Any]]    # analyse_gaps(store, *, as_of=) -> gaps with .link_id .chain_id .action
Ranker = Callable[..., Iterable[Any]]         # rank_candidates(store, *, now=, as_of=, chain_id=, top=, market=) -> best first
Snapshot = Callable[..., dict[str, Any]]      # candidate_snapshot(candidate, at=) -> score and its factors
Mention = Callable[[str], tuple[str, str]]    # lead_mention(stage) -> how a reason mentions a lead, zh and en
Resilience = Callable[..., dict[str, Any]]    # for_report(store, *, as_of=) -> the index, its trend and movers
Snapshots = Callable[..., int]                # snapshot(store, week_end, *, now=) -> rows kept
Escalation = Callable[..., int]               # escalate_exit_risk(store, *, now=) -> notices posted


@dataclass(frozen=True)
class Scoring:
    analyse_gaps: GapAnalysis
    rank_candidates: Ranker
    candidate_snapshot: Snapshot
    lead_mention: Mention | None = None
    resilience: Resilience | None = None
    snapshot_resilience: Snapshots | None = None
    escalate_exit_risk: Escalation | None = None


_installed: Scoring | None = None


def install(hooks: Scoring | None) -> None:
    global _installed
    _installed = hooks


def scoring() -> Scoring | None:
    return _installed


# schedule_in(tx, *, now, ids) -> follow-ups scheduled: crm/followups/first.py, installed by the same
# composition points, so a lead or project created, claimed or signed below followups gets its first one
# in the transaction that made it (one commit, and no record left without one by a failure between two).
NewWork = Callable[..., int]
_new_work: NewWork | None = None


def install_new_work(handler: NewWork | None) -> None:
    global _new_work
    _new_work = handler


def new_work(tx: Any, ids: Iterable[str], *, now: Any) -> None:
    """Tell the installed handler, inside the open transaction, of records that may need their first
    follow-up (nothing when none is installed)."""
    if _new_work is not None:
        _new_work(tx, now=now, ids=list(ids))
