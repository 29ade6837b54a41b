"""The `chainlead` console script: the store and domain commands plus `serve`."""
from __future__ import annotations

import click

from crm.base import hooks
from crm.cli import cli, register_commands
from scoring.cli import gaps, rank
from scoring.risk_cli import risk
from scoring.hooks import provide
from web.report_cli import report

hooks.install(provide())  # the lead ranking that crm's commands and jobs use (crm/base/hooks.py)
register_commands()
cli.add_command(gaps)
cli.add_command(rank)
cli.add_command(risk)
cli.add_command(report)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
@click.option("--no-scheduler", is_flag=True, help="Do not run the scheduled jobs here (tests, benchmarks).")
@click.option("--demo", is_flag=True, help="Demo mode: a built-in secret key and the demo logins printed.")
def serve(host: str, port: int, threads: int, no_scheduler: bool, demo: bool) -> None:
    """Serve the web app (and, on the embedded engine, the scheduler) in this process."""
    import logging

    import waitress

    from graph.errors import StoreError
    from web.app import create_app
    from web.security import UnsafeConfig

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        app = create_app({"DEMO": True} if demo else None)
    except (StoreError, UnsafeConfig) as exc:
        raise click.ClickException(str(exc)) from None
    store = app.extensions["chainlead.store"]
    click.echo(f"ChainLead on http://{host}:{port}/  (engine: {store.engine})")
    if app.config["DEMO"]:
        from web.demo import login_hint

        click.echo(login_hint())
    if store.engine == "embedded" and not no_scheduler:
        from web.scheduler import start_background

        start_background(store)
    elif store.engine != "embedded" and not no_scheduler:
        click.echo("scheduled jobs: run exactly one `chainlead worker` beside the web workers on Neo4j")
    # waitress warns on every request that waits for a thread; under load that is one log line per request
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    waitress.serve(app, host=host, port=port, threads=threads, ident="ChainLead")


@cli.command()
def demo() -> None:
    """Add demo accounts and a synthetic two-year history on top of the seed data (run `init` first)."""
    from web.demo import run_demo

    run_demo()


@cli.command()
def worker() -> None:
    """Run the scheduled jobs in the foreground (Neo4j deployments: one worker beside the web workers).

    On the embedded engine `chainlead serve` already runs them, and a second process cannot open
    the database while it runs.
    """
    import logging

    from crm.cli import open_or_exit
    from graph.errors import SchemaMismatch
    from graph.migrations import check_version
    from web.logs import install
    from web.scheduler import build

    install()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    store = open_or_exit()
    try:
        check_version(store)
    except SchemaMismatch as exc:
        store.close()
        raise click.ClickException(str(exc)) from None
    scheduler = build(store, blocking=True)
    click.echo(f"ChainLead worker on {store.engine} ({store.location}): {len(scheduler.get_jobs())} jobs; Ctrl-C stops")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        click.echo("worker stopped")
    finally:
        store.close()


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
