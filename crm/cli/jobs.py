"""`chainlead job …`: run one scheduled job by hand, and see when each last ran."""
from __future__ import annotations

import click

from crm.ops import jobs
from crm.base.clock import utcnow
from crm.errors import DomainError
from crm.ops.joblocks import leases
from graph.errors import StoreError


@click.group()
def job() -> None:
    """Scheduled jobs (the scheduler runs them by itself; these are for operators)."""


@job.command("run")
@click.argument("name", type=click.Choice(sorted(jobs.JOBS)))
def run_job(name: str) -> None:
    """Run job NAME once now, outside the scheduler (it is safe to run twice)."""
    from crm.cli import open_or_exit

    store = open_or_exit()
    try:
        count = jobs.JOBS[name](store, now=utcnow())
    except (StoreError, DomainError) as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    click.echo(f"{name}: {count}")


@job.command("status")
def status() -> None:
    """Each job's last start, finish, outcome and count, from its lease in the store."""
    from crm.cli import open_or_exit

    store = open_or_exit()
    try:
        found = leases(store)
    finally:
        store.close()
    if not found:
        click.echo("no job has run yet")
    for lease in found:
        started = lease.last_run_at.isoformat(timespec="seconds") if lease.last_run_at else "-"
        click.echo(f"{lease.name:<20} last start {started}  {lease.last_status or '-':<7} "
                   f"count {lease.last_count if lease.last_count is not None else '-'}"
                   + (f"  error: {lease.last_error}" if lease.last_error else ""))
