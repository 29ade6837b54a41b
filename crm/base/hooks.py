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


@dataclass(frozen=True)
class Scoring:
    analyse_gaps: GapAnalysis
    rank_candidates: Ranker
    candidate_snapshot: Snapshot
    lead_mention: Mention | None = None


_installed: Scoring | None = None


def install(hooks: Scoring | None) -> None:
    global _installed
    _installed = hooks


def scoring() -> Scoring | None:
    return _installed
