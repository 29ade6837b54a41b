"""The `chainlead` console script: the store and domain commands plus `serve`."""
from __future__ import annotations

from typing import Any

import click

from crm.base import hooks
from crm.followups import first
from crm.cli import cli, register_commands
from scoring.cli import demand, gaps, rank, resilience
from scoring.risk_cli import risk
from scoring.hooks import provide
from web.report_cli import report
from web.supervisor import end_with_owner, web_command

hooks.install(provide())  # the lead ranking that crm's commands and jobs use (crm/base/hooks.py)
hooks.install_new_work(first.schedule_in)  # new leads and projects get their first follow-up
register_commands()
cli.add_command(gaps)
cli.add_command(rank)
cli.add_command(resilience)
cli.add_command(demand)
cli.add_command(risk)
cli.add_command(report)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
@click.option("--no-scheduler", is_flag=True, help="Do not run the scheduled jobs here (tests, benchmarks).")
@click.option("--demo", is_flag=True, help="Demo mode: a built-in secret key and the demo logins printed.")
@click.option("--reuse-port", is_flag=True,
              help="Share HOST:PORT with other `serve --reuse-port` processes: the kernel spreads connections. "
                   "On the embedded engine this process also lends its store to `serve --via-app` processes.")
@click.option("--via-app", is_flag=True,
              help="Embedded engine: a web process more, using the store of the `serve --reuse-port` that owns the file.")
@click.option("--web-processes", default=0, show_default=True, type=click.IntRange(0, 64),
              help="Embedded engine: this process keeps the database, the jobs and the CLI channel, and starts this "
                   "many web processes that answer the requests on HOST:PORT (2 on a 2-core server uses both cores; "
                   "docs/deploy.md). 0: this process serves the requests itself.")
def serve(host: str, port: int, threads: int, no_scheduler: bool, demo: bool, reuse_port: bool, via_app: bool,
          web_processes: int) -> None:
    """Serve the web app (and, on the embedded engine, the scheduler) in this process."""
    import logging
    import signal

    import waitress

    from graph.errors import StoreError
    from web import cli_channel
    from web.app import create_app
    from web.logs import to_stderr
    from web.security import UnsafeConfig

    to_stderr()
    if web_processes and (via_app or reuse_port):
        raise click.UsageError("--web-processes starts its own --reuse-port --via-app processes: give it alone")
    overrides: dict[str, Any] = {"DEMO": True} if demo else {}
    try:
        if via_app:
            overrides["STORE"] = _owners_store(reuse_port)
        app = create_app(overrides)
    except (StoreError, UnsafeConfig) as exc:
        raise click.ClickException(str(exc)) from None
    store = app.extensions["chainlead.store"]
    if web_processes and store.engine != "embedded":
        raise click.UsageError("--web-processes is for the embedded engine; on Neo4j run `chainlead serve --reuse-port` "
                               "several times and one `chainlead worker` (docs/deploy.md)")
    if not via_app:
        click.echo(f"ChainLead on http://{host}:{port}/  (engine: {store.engine}"
                   + (f", {web_processes} web processes)" if web_processes else ")"))
    if app.config["DEMO"] and not via_app:
        from web.demo import login_hint

        click.echo(login_hint())
    channel = None if via_app else cli_channel.start(store, cli)
    if channel is not None:
        click.echo(f"CLI commands run in this app while it serves (socket {channel.path})")
    lender = _lend(store) if (reuse_port or web_processes) and not via_app and store.engine == "embedded" else None
    if via_app:
        click.echo(f"a web process more, on the store of the app that owns {store.location}")
        end_with_owner()
    elif store.engine == "embedded" and not no_scheduler:
        from web.scheduler import start_background

        start_background(store)
    elif store.engine != "embedded" and not no_scheduler:
        click.echo("scheduled jobs: run exactly one `chainlead worker` beside the web workers on Neo4j")
    # waitress warns on every request that waits for a thread; under load that is one log line per request
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    signal.signal(signal.SIGTERM, _stop)
    where = {"sockets": [_shared_socket(host, port)]} if reuse_port else {"host": host, "port": port}
    try:
        if web_processes:
            _supervise(web_command(host, port, threads, bool(app.config["DEMO"])), web_processes)
        else:
            waitress.serve(app, threads=threads, ident="ChainLead", **where)
    finally:
        for opened in (channel, lender):
            if opened is not None:
                opened.close()


def _supervise(command: list[str], count: int) -> None:
    """Run the web processes until this process is asked to stop (Ctrl-C, SIGTERM), then stop them."""
    import time

    from web.supervisor import WebProcesses, WebProcessesFailing

    children = WebProcesses(command, count)
    children.start()
    try:
        while True:
            children.check()
            time.sleep(0.5)
    except WebProcessesFailing as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        children.stop()


def _owners_store(reuse_port: bool) -> Any:
    from graph.config import StoreConfig
    from graph.engines.shared import SharedStore

    config = StoreConfig.from_env()
    if config.engine != "embedded" or not reuse_port:
        raise click.UsageError("--via-app is for the embedded engine, with --reuse-port (Neo4j: every process opens it)")
    return SharedStore(config.db_path)


def _lend(store: Any) -> Any:
    """Let `serve --via-app` processes use this process's store (graph/engines/shared.py)."""
    from graph.engines.shared import StoreServer, store_socket

    lender = StoreServer(store, store_socket(store.location))
    click.echo(f"web processes started with --via-app use this store (socket {lender.path})")
    return lender


def _shared_socket(host: str, port: int) -> Any:
    """A listening socket with SO_REUSEPORT: several processes bind the same address, one address for all."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _stop(signum: int, frame: object) -> None:
    """SIGTERM (systemd's stop) ends `serve` like Ctrl-C does, so the CLI socket is removed on the way out."""
    raise SystemExit(0)


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
    from web.logs import to_stderr
    from web.scheduler import build

    to_stderr()
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
    """Run the command here, or, on the embedded engine while `chainlead serve` holds the database, in the app."""
    import sys

    from graph.config import StoreConfig
    from graph.errors import StoreError
    from web import cli_channel

    try:
        config = StoreConfig.from_env()
    except StoreError:
        cli()  # the command says what is wrong with the settings
        return
    if config.engine == "embedded":
        code = cli_channel.forward(sys.argv[1:], config.db_path)
        if code is not None:
            sys.exit(code)
    cli()


if __name__ == "__main__":
    main()
