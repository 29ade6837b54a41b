"""The scoring functions crm calls through crm.base.hooks (installed by web/app.py and web/cli.py)."""
from __future__ import annotations

from crm.base.hooks import Scoring
from scoring.exit_escalation import escalate_exit_risk
from scoring.gaps import analyse_gaps
from scoring.ranking import candidate_snapshot, rank_candidates
from scoring.reasons import lead_mention
from scoring.resilience_trend import for_report, snapshot


def provide() -> Scoring:
    return Scoring(analyse_gaps=analyse_gaps, rank_candidates=rank_candidates, candidate_snapshot=candidate_snapshot,
                   lead_mention=lead_mention, resilience=for_report, snapshot_resilience=snapshot,
                   escalate_exit_risk=escalate_exit_risk)
