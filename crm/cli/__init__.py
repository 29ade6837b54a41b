"""The `chainlead` commands that work on the store: init, status (more join as features land)."""
from __future__ import annotations

import json
import sys
from typing import Any

import click

from crm.base.clock import utcnow
from crm.cli import invocation
from crm.errors import DomainError
from crm.library.imports import journal
from crm.library.imports.problems import ImportFailed
from graph.config import StoreConfig, open_store
from graph.cypher import counts
from graph.errors import StoreError, StoreLocked
from graph.meta import initialise, stored_version


def open_or_exit(config: StoreConfig | None = None, *, initialised: bool = True, locked_hint: str = "") -> Any:
    """Open the configured store or stop with the store's own message (no traceback); a store that
    was never initialised (missing, empty) stops with what to run instead of "Table User does not exist".
    Run by the app on a CLI user's behalf (crm/cli/invocation.py), it is the app's own store, lent."""
    try:
        store = invocation.lent_store() or open_store(config)
    except StoreLocked as exc:
        raise click.ClickException(f"{exc}\n{locked_hint}" if locked_hint else str(exc)) from None
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    if initialised:
        try:
            stored_version(store)  # on a store without its schema, the Meta table is missing too
        except StoreError:
            location = store.location
            store.close()
            raise click.ClickException(f"The store at {location} has not been set up: run `chainlead init` first "
                                       "(it creates the schema and loads the seed data).")
    return store


@click.group()
def cli() -> None:
    """ChainLead: investment-promotion CRM on an industrial-chain graph."""


@cli.command()
@click.option("--no-seed", is_flag=True, help="Create the schema only; do not load the reference data in seeds/.")
def init(no_seed: bool) -> None:
    """Create the store and its schema, then load the seed data (safe to run again)."""
    store = open_or_exit(initialised=False)
    try:
        now = utcnow()
        done = initialise(store, now=now)
        click.echo(f"{store.engine} store at {store.location}: schema ready "
                   f"({len(done)} statements run).")
        if not no_seed:
            _seed(store, now)
    except ImportFailed as exc:
        from crm.cli.imports import fail

        fail(exc)
    except (StoreError, DomainError) as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()


def _seed(store: Any, now: Any) -> None:
    from crm.cli.imports import BarProgress
    from crm.library.seeding import load_seeds

    progress = BarProgress("seeds")
    try:
        summary = load_seeds(store, now=now, progress=progress)
    finally:
        progress.close()
    for line in summary.skipped:
        click.echo(f"  skipped seed company {line}", err=True)
    n = counts(store)["nodes"]
    click.echo(f"seeds: {summary.line()} in {summary.seconds['total']:.1f} s; the store holds "
               f"{n['District']} districts, {n['Chain']} chains ({n['ChainNode']} links), "
               f"{n['Company']} companies, {n['EventSeries']} event series ({n['Event']} editions).")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object for scripts.")
def status(as_json: bool) -> None:
    """Show the engine, where the data live, and counts per label and relationship type."""
    config = StoreConfig.from_env()
    report: dict[str, Any] = {"engine": config.engine,
                              "location": config.neo4j_uri or config.db_path, "ok": False}
    try:
        store = invocation.lent_store() or open_store(config)
        try:
            report["location"] = store.location
            report["schema_version"] = stored_version(store)
            report.update(counts(store))
            report["interrupted_imports"] = [run.line() for run in journal.interrupted(store, now=utcnow())]
            report["ok"] = True
        finally:
            store.close()
    except StoreError as exc:
        report["error"] = str(exc)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _print_status(report)
    if not report["ok"]:
        sys.exit(1)


def _print_status(report: dict[str, Any]) -> None:
    click.echo(f"engine:   {report['engine']}")
    click.echo(f"location: {report['location']}")
    if not report["ok"]:
        click.echo(f"error:    {report['error']}", err=True)
        return
    click.echo(f"schema:   version {report['schema_version']}")
    for line in report["interrupted_imports"]:
        click.echo(f"WARNING:  {line}", err=True)
    for section in ("nodes", "relationships"):
        click.echo(f"{section}:")
        for name, n in report[section].items():
            click.echo(f"  {name:<16}{n:>10,}")


def register_commands() -> None:
    """Attach the command groups that live in their own modules."""
    from crm.cli import imports, jobs, maintenance, users

    for command in (maintenance.backup, maintenance.restore, maintenance.migrate):
        cli.add_command(command)
    cli.add_command(jobs.job)
    cli.add_command(users.user)
    cli.add_command(users.token)
    cli.add_command(imports.import_group)
