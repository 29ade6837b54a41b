"""`chainlead report`: generate a week's report (or read the stored one) and write it as a file.

Composed at the web level, like `chainlead demo`, because it joins crm's report with scoring's
outlook and the web catalogue's translations (web/reports.py). It is the operator's: whoever can
run it holds the store, so the file has every row unless `--reader` asks for one user's copy.
"""
from __future__ import annotations

from pathlib import Path

import click

from crm.base.clock import utcnow


@click.command()
@click.option("--week", help="ISO week such as 2024-W10 (default: last week).")
@click.option("--format", "fmt", type=click.Choice(["html", "docx", "xlsx"]), help="Also write the report as this file.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: in this folder).")
@click.option("--regenerate", is_flag=True, help="Replace the stored report of that week with a fresh one.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Language of the file.")
@click.option("--reader", metavar="USERNAME",
              help="Write the file as this user reads it: rows naming records limited to their scope.")
def report(week: str | None, fmt: str | None, out: Path | None, regenerate: bool, lang: str,
           reader: str | None) -> None:
    """Generate the weekly report (招商周报) unless it is stored, and print its headline figures."""
    from crm import reports
    from crm.base.access import SYSTEM
    from crm.cli import invocation, open_or_exit
    from crm.errors import DomainError
    from crm.reports.charts import ChartFontMissing
    from crm.reports.files import render
    from crm.reports.delivery import summary_lines
    from crm.people.users import find_by_username
    from graph.errors import StoreError
    from web.reports import scoring, words

    if reader and not fmt:
        raise click.UsageError("--reader needs --format: it chooses whose copy of the file to write")
    now = utcnow()
    store = open_or_exit()
    try:
        chosen = reports.Week.parse(week) if week else reports.Week.last_completed(now)
        if regenerate or not reports.exists(store, chosen):
            stored = reports.generate(store, chosen, actor=invocation.cli_actor(), now=now, scoring=scoring(),
                                      regenerate=regenerate)
            click.echo(f"report {chosen.id} generated ({chosen.start} to {chosen.end}); every active user was told")
        else:
            stored = reports.get(store, chosen)
            click.echo(f"report {chosen.id} as stored at {stored.generated_at:%Y-%m-%d %H:%M} UTC "
                       "(--regenerate replaces it)")
        for line in summary_lines(stored.figures, lang):
            click.echo("  " + line)
        if fmt:
            user = find_by_username(store, reader) if reader else None
            if reader and user is None:
                raise click.ClickException(f"no user {reader!r}: `chainlead user list` shows who there is")
            made = render(stored.seen_by(user.actor() if user else SYSTEM).figures, fmt, words(lang))
            target = out or Path(made.filename)
            invocation.path(target).write_bytes(made.content)
            whose = f" as {user.username} reads it" if user else ""
            click.echo(f"wrote {target}{whose} ({len(made.content):,} bytes)")
    except (DomainError, StoreError, ChartFontMissing) as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
