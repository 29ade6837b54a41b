"""`chainlead gaps` and `chainlead rank`: the gap analysis and the ranked candidates, as text
for people and as JSON (one object per link or candidate, with its factors) for scripts."""
from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from itertools import groupby
from typing import TYPE_CHECKING, Any, Callable, Iterable

import click

from crm.cli import open_or_exit
from crm.base.clock import local_today, utcnow
from crm.choices import CANDIDATE_MARKETS
from crm.errors import DomainError
from graph.errors import StoreError
from scoring.policy import ACTIONS
from scoring.reasons import ACTION_LABELS

if TYPE_CHECKING:  # networkx and numpy load only when a scoring command runs
    from scoring.gaps import LinkGap
    from scoring.ranking import Candidate

ORDER = (*ACTIONS, "healthy")


def _run(work: Callable[[Any], None]) -> None:
    store = open_or_exit()
    try:
        work(store)
    except (StoreError, DomainError) as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()


def _as_of(value: Any) -> date | None:
    """The --as-of day, refused when it lies after today (the same rule as the API's `as_of`)."""
    if value is None:
        return None
    from scoring.projection import check_as_of

    day = value.date()
    check_as_of(day, today=local_today(utcnow()))
    return day


AS_OF = click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]),
                     help="Read the graph (and the leads' stages) as they stood on this day, YYYY-MM-DD.")


def _echo_json(items: Iterable[Any]) -> None:
    """A JSON array written item by item: 300k candidates never sit in one string."""
    click.echo("[", nl=False)
    for i, item in enumerate(items):
        click.echo(("," if i else "") + "\n" + json.dumps(asdict(item), ensure_ascii=False, default=str), nl=False)
    click.echo("\n]")


@click.command()
@click.option("--chain", "chain_id", help="One chain's id (default: every chain).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object per link.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@AS_OF
def gaps(chain_id: str | None, as_json: bool, lang: str, as_of: Any = None) -> None:
    """Each chain's links by action (补链/固链/强链/扩链) and severity, with the reasons."""

    def work(store: Any) -> None:
        from scoring.gaps import analyse_gaps

        found = analyse_gaps(store, chain_id, as_of=_as_of(as_of))
        if chain_id and not found:
            raise click.ClickException(f"no links for chain {chain_id!r}")
        if as_json:
            _echo_json(found)
            return
        _print_gaps(found, lang)

    _run(work)


def _print_gaps(found: list["LinkGap"], lang: str) -> None:
    by_chain = sorted(found, key=lambda g: (g.chain_id or "", ORDER.index(g.action), -g.severity, g.link_id))
    for chain, chain_links in groupby(by_chain, key=lambda g: g.chain_id):
        links = list(chain_links)
        name = links[0].chain_name_zh if lang == "zh" else links[0].chain_name_en
        click.echo(f"\n{chain}  {name or ''}  ({links[0].tier or '-'})")
        for action, action_links in groupby(links, key=lambda g: g.action):
            group = list(action_links)
            zh, en = ACTION_LABELS[action]
            click.echo(f"  {zh} {en} ({len(group)})")
            for g in group:
                click.echo(f"    {g.severity:6.2f}  {g.link_id:<28} {g.summary_zh if lang == 'zh' else g.summary_en}")


@click.command()
@click.option("--chain", "chain_id", help="One chain's id (default: every chain).")
@click.option("--action", type=click.Choice(list(ACTIONS)), help="Only candidates for links needing this action.")
@click.option("--top", type=click.IntRange(min=1), help="Only the N best candidates.")
@click.option("--market", type=click.Choice(CANDIDATE_MARKETS.values), default="fdi", show_default=True,
              help="fdi: foreign investors (HK, MO, TW included); domestic: mainland partners, not FDI.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object per candidate.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@AS_OF
def rank(chain_id: str | None, action: str | None, top: int | None, market: str, as_json: bool, lang: str,
         as_of: Any = None) -> None:
    """Companies to go after for the chain gaps, best first, with the factors behind each score."""

    def work(store: Any) -> None:
        from scoring.ranking import rank_candidates

        found = rank_candidates(store, chain_id, action, top, now=utcnow(), as_of=_as_of(as_of), market=market)
        if as_json:
            _echo_json(found)
            return
        for c in found:
            _print_candidate(c, lang)

    _run(work)


def _print_candidate(c: "Candidate", lang: str) -> None:
    name = (c.company_name_zh or c.company_name_en) if lang == "zh" else (c.company_name_en or c.company_name_zh)
    link = c.link_name_zh if lang == "zh" else c.link_name_en
    factors = " ".join(f"{k}={v:.2f}" for k, v in c.factors.items())
    click.echo(f"{c.rank:>5}  {c.score:6.2f}  {name or c.company_id} → {link or c.link_id} ({c.link_id})")
    click.echo(f"       {c.reason_zh if lang == 'zh' else c.reason_en}")
    click.echo(f"       {factors}")


@click.command()
@click.option("--chain", "chain_id", help="One chain's id (default: the city and every chain).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array: the city first, then each chain.")
@AS_OF
def resilience(chain_id: str | None, as_json: bool, as_of: Any = None) -> None:
    """The chain resilience index (0–100) of the city and each chain, with its parts (docs/scoring.md)."""

    def work(store: Any) -> None:
        from scoring.resilience import resilience as measure
        from scoring.resilience_trend import as_dict

        found = measure(store, as_of=_as_of(as_of))
        if chain_id is not None and chain_id not in found:
            raise click.ClickException(f"no links for chain {chain_id!r}")
        chosen = [found[chain_id]] if chain_id else [found[None], *(r for c, r in found.items() if c is not None)]
        if as_json:
            click.echo(json.dumps([as_dict(r) for r in chosen], ensure_ascii=False, default=str, indent=1))
            return
        for r in chosen:
            parts = " ".join(f"{k}={v:.2f}" for k, v in r.parts.items())
            click.echo(f"{r.chain_id or 'city':<16} {r.index:6.2f}  {parts}  ({r.links} links, {r.day.isoformat()})")

    _run(work)


@click.command()
@click.option("--district", "district_id", help="One district's 6-digit code (default: every district).")
@click.option("--chain", "chain_id", help="One chain's id (default: every chain).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array: one object per district and link.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@AS_OF
def demand(district_id: str | None, chain_id: str | None, as_json: bool, lang: str, as_of: Any = None) -> None:
    """What local firms buy from outside: the links no local firm makes that firms in a district make
    something downstream of (the supply–demand signal, docs/scoring.md)."""

    def work(store: Any) -> None:
        from scoring.supply_demand import bought_from_outside

        found = bought_from_outside(store, district_id, chain_id=chain_id, as_of=_as_of(as_of))
        rows = [{"district_id": d, **asdict(r)} for d in sorted(found) for r in found[d]]
        if as_json:
            click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        for row in rows:
            name = row["name_zh"] if lang == "zh" else row["name_en"]
            firms = ", ".join((b["name_zh"] if lang == "zh" else b["name_en"]) or b["id"] for b in row["buyers"])
            click.echo(f"{row['district_id']}  {name or row['link_id']} ({row['link_id']}): {firms}  "
                       f"[{row['buyers_citywide']} / {row['districts_citywide']}]")

    _run(work)
