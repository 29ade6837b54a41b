"""`chainlead risk`: the exit-risk watch list (固链) on the console, as the whole bureau sees it."""
from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import click

from crm.base.access import SYSTEM
from crm.base.clock import local_today, utcnow
from scoring.cli import _run


@click.command()
@click.option("--chain", "chain_id", help="Only firms making a link of this chain.")
@click.option("--district", "district_id", help="Only firms present in this district.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object per firm.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def risk(chain_id: str | None, district_id: str | None, as_json: bool, lang: str) -> None:
    """Present foreign firms by exit-risk score, riskiest first, each with its dated signals."""

    def work(store: Any) -> None:
        from scoring.exit_watch import watch_list

        entries = watch_list(store, actor=SYSTEM, today=local_today(utcnow()), chain=chain_id,
                             district=district_id)
        if as_json:
            click.echo(json.dumps([asdict(e) for e in entries], ensure_ascii=False, default=str, indent=1))
            return
        for e in entries:
            flag = " !" if e.risk.escalate else ""
            name = (e.name_zh or e.name_en) if lang == "zh" else (e.name_en or e.name_zh)
            click.echo(f"{e.risk.score:4d}{flag}  {e.company_id:<20} {name or ''}  {','.join(e.districts)}")
            for s in e.risk.signals:
                click.echo(f"        {s.on}  {s.kind:<20} +{s.points:<3} {s.why_zh if lang == 'zh' else s.why_en}")

    _run(work)
