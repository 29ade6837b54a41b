"""`chainlead demo`: the demo history, composed here because it needs both crm and scoring."""
from __future__ import annotations

from typing import Any

import click

from crm.base.clock import utcnow
from crm.demo import generate_demo
from crm.demo.accounts import BUREAU, DEMO_PASSWORD


def _candidates(store: Any, *, chain_id: str, top: int, now: Any) -> list[dict[str, Any]]:
    from scoring.ranking import candidate_snapshot, rank_candidates

    return [candidate_snapshot(c, at=now) for c in rank_candidates(store, chain_id=chain_id, top=top, now=now)]


def run_demo() -> None:
    from crm.cli import open_or_exit
    from scoring.ranking import rank_candidates
    from web.reports import scoring

    store = open_or_exit()
    try:
        summary = generate_demo(store, now=utcnow(), candidates=_candidates, ranker=rank_candidates,
                                scoring=scoring())
    finally:
        store.close()
    for line in summary.lines():
        click.echo(line)
    click.echo(login_hint())


def login_hint() -> str:
    names = ", ".join(f"{p.username} ({p.role})" for p in BUREAU)
    return f"demo logins (password '{DEMO_PASSWORD}'): {names}"
