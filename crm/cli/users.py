"""`chainlead user …` and `chainlead token …`: accounts and personal API tokens from the shell."""
from __future__ import annotations

import click

from crm.base.clock import utcnow
from crm.cli import invocation
from crm.errors import DomainError
from crm.people.users import create_token, create_user, find_by_username, list_users


def _store():
    from crm.cli import open_or_exit

    return open_or_exit()


@click.group()
def user() -> None:
    """Manage user accounts."""


@user.command("add")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(["admin", "staff", "chain_leader", "district_officer", "viewer"]))
@click.option("--district", "districts", multiple=True, help="District code (district officers); repeatable.")
@click.option("--chain", "chains", multiple=True, help="Chain id (chain leaders); repeatable.")
@click.option("--name", "display_name", default="", help="Display name.")
@click.option("--email", default=None)
def add_user(username: str, role: str, districts: tuple[str, ...], chains: tuple[str, ...], display_name: str,
             email: str | None) -> None:
    """Add USERNAME; the password comes from a prompt, or CHAINLEAD_PASSWORD for scripts."""
    password = invocation.env("CHAINLEAD_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True)
    store = _store()
    try:
        created = create_user(store, username=username, password=password, role=role, actor=invocation.cli_actor(),
                              now=utcnow(), display_name=display_name, email=email, districts=list(districts),
                              chains=list(chains))
    except DomainError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    click.echo(f"added {created.username} ({created.role})")


@user.command("list")
def list_cmd() -> None:
    """List accounts with their role and scope."""
    store = _store()
    try:
        for u in list_users(store):
            scope = ",".join(u.districts + u.chains)
            click.echo(f"{u.username:<20}{u.role:<18}{'active' if u.active else 'disabled':<10}{scope}")
    finally:
        store.close()


@click.group()
def token() -> None:
    """Manage personal API tokens."""


@token.command("create")
@click.argument("username")
@click.option("--name", default="cli", show_default=True, help="What the token is for.")
def create_token_cmd(username: str, name: str) -> None:
    """Create a token for USERNAME and print it once (it is stored only as a hash)."""
    store = _store()
    try:
        found = find_by_username(store, username)
        if found is None:
            raise click.ClickException(f"no user {username!r}")
        plain, _ = create_token(store, found.id, name, actor=invocation.cli_actor(), now=utcnow())
    except DomainError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    click.echo(plain)
