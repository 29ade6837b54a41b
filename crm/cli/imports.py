"""`chainlead import companies|chains FILE`: load a bureau's own CSV or XLSX files.

The file is read and checked before the store is opened, so a wrong file type or size is
refused even while the app holds the embedded database.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any, Callable

import click

from crm.base.clock import utcnow
from crm.errors import DomainError
from crm.library.imports.problems import FileRefused, ImportFailed
from crm.library.imports.run import ImportReport, import_chains, import_companies
from crm.library.imports.table import read_path
from graph.errors import StoreError

BAR_FROM = 1000  # items: smaller writes finish before a bar would be worth drawing


class BarProgress:
    """A click progress bar on stderr per phase, drawn only for long phases on a terminal (elsewhere a
    line per batch, so a log shows how far an import got)."""

    def __init__(self, label: str):
        self.label = label
        self.bar: Any = None
        self.done = 0

    def __call__(self, phase: str, done: int, total: int) -> None:
        if total < BAR_FROM:
            return
        if not sys.stderr.isatty():  # a log file or a pipe: one line per batch instead of a bar
            if done:
                click.echo(f"{self.label}: {phase} {done:,}/{total:,}", err=True)
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=f"{self.label}: {phase}", file=sys.stderr,
                                         show_pos=True, show_eta=True)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done
        if done >= total:
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar, self.done = None, 0


def fail(exc: ImportFailed) -> None:
    """Every problem on stderr, one per line, then a non-zero exit."""
    for problem in exc.problems:
        click.echo(str(problem), err=True)
    raise click.ClickException(str(exc))


def describe(report: ImportReport) -> str:
    parts = [f"{label}: {n['created']:,} created, {n['updated']:,} updated, {n['unchanged']:,} unchanged"
             for label, n in report.nodes.items()]
    rels = ", ".join(f"{t} +{n:,}" for t, n in report.relationships.items() if n)
    timing = ", ".join(f"{phase} {s:.1f} s" for phase, s in report.seconds.items())
    text = f"{report.file}: {report.rows:,} rows; " + "; ".join(parts) + (f"; {rels}" if rels else "")
    text += f" ({timing})"
    if report.skipped:
        text += f"\nskipped {len(report.skipped)} ambiguous row(s):\n  " + "\n  ".join(report.skipped)
    return text + ("\n(dry run: nothing was written)" if report.dry_run else "")


def _run(file: Path, encoding: str | None, as_json: bool, work: Callable[..., ImportReport], **options: Any) -> None:
    from crm.cli import invocation, open_or_exit

    try:
        click.echo(f"reading {file.name} …", err=True)
        started = time.perf_counter()
        table = read_path(invocation.path(file), encoding=encoding)
        read_s = round(time.perf_counter() - started, 3)
    except FileRefused as exc:
        raise click.ClickException(str(exc)) from None
    store = open_or_exit()
    progress = BarProgress(file.name)
    try:
        report = work(store, table, now=utcnow(), progress=progress, actor=invocation.cli_actor(), **options)
    except ImportFailed as exc:
        fail(exc)
    except (DomainError, StoreError) as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        progress.close()
        store.close()
    report.seconds["read"] = read_s  # the file was read before the store opened
    click.echo(json.dumps({**report.summary(), "seconds": report.seconds, "dry_run": report.dry_run},
                          ensure_ascii=False) if as_json else describe(report))


def _common(command: Callable[..., None]) -> Callable[..., None]:
    command = click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")(command)
    command = click.option("--encoding", default=None,
                           help="CSV text encoding, if detection gets it wrong (e.g. gb18030).")(command)
    command = click.option("--dry-run", is_flag=True, help="Check and match every row; write nothing.")(command)
    return click.argument("file", type=click.Path(dir_okay=False, path_type=Path))(command)


@click.group("import")
def import_group() -> None:
    """Import your own companies or chains from CSV or XLSX (see README: Importing your own data)."""


@import_group.command("companies")
@_common
@click.option("--skip-ambiguous", is_flag=True,
              help="Import the other rows and list the ambiguous ones as skipped.")
def companies(file: Path, dry_run: bool, encoding: str | None, as_json: bool, skip_ambiguous: bool) -> None:
    """Import companies from FILE; re-importing updates them by company_id or name."""
    _run(file, encoding, as_json, import_companies, dry_run=dry_run, skip_ambiguous=skip_ambiguous)


@import_group.command("chains")
@_common
def chains(file: Path, dry_run: bool, encoding: str | None, as_json: bool) -> None:
    """Import industrial chains and their links from FILE (one row per link)."""
    _run(file, encoding, as_json, import_chains, dry_run=dry_run)
