"""The `chainlead` console script: the store and domain commands plus `serve`."""
from __future__ import annotations

import click

from crm.cli import cli, register_commands
from scoring.cli import gaps, rank

register_commands()
cli.add_command(gaps)
cli.add_command(rank)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
def serve(host: str, port: int, threads: int) -> None:
    """Serve the web app (and, on the embedded engine, the scheduler) in this process."""
    import waitress

    from web.app import create_app

    app = create_app()
    click.echo(f"ChainLead on http://{host}:{port}/  (engine: {app.extensions['chainlead.store'].engine})")
    waitress.serve(app, host=host, port=port, threads=threads, ident="ChainLead")


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
