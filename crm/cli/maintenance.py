"""`chainlead backup FILE`, `chainlead restore FILE`, `chainlead migrate`: keeping the store safe.

The embedded database belongs to the one process that opened it: while `chainlead serve` runs,
`backup` runs inside the app (web/cli_channel.py) or comes over HTTP (POST /api/v1/admin/backup),
and restore and migrate wait until the app is stopped.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from crm.base.clock import utcnow
from graph.errors import StoreError

APP_BACKUP = ("To back up while the app runs, ask the app: curl -fsS -X POST -H 'Authorization: Bearer "
              "<admin token>' http://HOST:PORT/api/v1/admin/backup -o FILE")


def _open(hint: str = "", *, initialised: bool = True) -> Any:
    from crm.cli import open_or_exit

    return open_or_exit(initialised=initialised, locked_hint=hint)


def _size(path: Path) -> str:
    size = float(path.stat().st_size)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


def _totals(header: dict[str, Any]) -> tuple[int, int]:
    counts = header["counts"]
    return sum(counts.get("nodes", {}).values()), sum(counts.get("relationships", {}).values())


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup(file: Path) -> None:
    """Write the whole graph to FILE (gzip JSON lines), restorable on either engine.

    While `chainlead serve` holds the embedded database, the app writes it on this command's behalf.
    """
    from crm.cli import invocation
    from graph.backup import write_backup

    store = _open(APP_BACKUP)
    try:
        header = write_backup(store, invocation.path(file), now=utcnow())
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    nodes, rels = _totals(header)
    click.echo(f"backup of the {store.engine} store at {store.location}: {nodes:,} nodes, {rels:,} relationships, "
               f"schema version {header['schema_version']} → {file} ({_size(file)})")


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore(file: Path) -> None:
    """Load the backup FILE into an empty store (either engine) and check the counts.

    A backup of an older schema version restores as it was; run `chainlead migrate` after it.
    """
    from crm.cli.imports import BarProgress
    from graph import restore as restoring

    try:
        header = restoring.read_header(file)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    nodes, rels = _totals(header)
    click.echo(f"{file.name}: made {header.get('created_at')} from a {header.get('engine')} store, schema version "
               f"{header['schema_version']}: {nodes:,} nodes, {rels:,} relationships", err=True)
    store = _open(initialised=False)
    progress = BarProgress(file.name)
    try:
        done = restoring.restore(store, file, progress=lambda n, total: progress("restoring", n, total))
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        progress.close()
        store.close()
    click.echo(f"restored {nodes:,} nodes and {rels:,} relationships into the {store.engine} store at "
               f"{store.location}; counts checked.")
    if done.needs_migrate:
        click.echo(f"The backup holds schema version {header['schema_version']}; run `chainlead migrate` to "
                   f"bring it to version {done.schema_version} before starting the app.")


@click.command()
@click.option("--dry-run", is_flag=True, help="Say which steps would run; change nothing.")
def migrate(dry_run: bool) -> None:
    """Upgrade the store to this ChainLead's schema version (stop the app first; take a backup)."""
    from crm.ops import migrations as domain
    from graph.migrations import pending
    from graph.schema import SCHEMA_VERSION

    store = _open(initialised=False)
    try:
        version, steps = pending(store)
        if version == SCHEMA_VERSION:
            click.echo(f"the {store.engine} store at {store.location} is at schema version {version}: nothing to do")
            return
        where = f"the {store.engine} store at {store.location}"
        click.echo(f"{where} has no schema version yet" if version is None else f"{where} is at schema version {version}")
        click.echo(f"this ChainLead uses schema version {SCHEMA_VERSION}")
        for step in steps:
            click.echo(f"  → {step.version}: {step.summary}")
        if dry_run:
            click.echo("(dry run: nothing was changed)")
            return
        domain.migrate(store, now=utcnow())
        click.echo(f"done: schema version {SCHEMA_VERSION}")
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
