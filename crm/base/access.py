"""Who may do what: roles and their scopes, decided here and enforced by every service.

admin does everything; staff read and write all promotion records; a chain leader reads
everything on the chains they lead and may comment and reassign there; a district officer reads
and writes only leads and projects landing in their district; a viewer only reads.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from crm.errors import Forbidden


@dataclass(frozen=True)
class Actor:
    id: str
    username: str
    role: str
    districts: tuple[str, ...] = field(default=())
    chains: tuple[str, ...] = field(default=())
    display_name: str = ""

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


SYSTEM = Actor(id="system", username="system", role="admin", display_name="ChainLead")
UNSCOPED = ("admin", "staff", "viewer")  # roles that read every promotion record


@dataclass(frozen=True)
class Scope:
    """Where a record sits, for the access check: its landing district and its chain."""
    district: str | None = None
    chain: str | None = None


def reads_everything(actor: Actor) -> bool:
    return actor.role in UNSCOPED


def can_read(actor: Actor, scope: Scope | None = None) -> bool:
    if reads_everything(actor) or scope is None:
        return True
    if actor.role == "chain_leader":
        return scope.chain in actor.chains
    if actor.role == "district_officer":
        return scope.district in actor.districts
    return False


def can_write(actor: Actor, scope: Scope | None = None) -> bool:
    """Create or change promotion records (leads, projects, inflows, follow-ups …)."""
    if actor.role in ("admin", "staff"):
        return True
    if actor.role == "district_officer" and scope is not None:
        return scope.district in actor.districts
    return False


def may_open_records(actor: Actor) -> bool:
    """Whether the role writes promotion records anywhere (a district officer in their district): the
    pages offer a New lead form only to these."""
    return actor.role in ("admin", "staff", "district_officer")


def can_comment(actor: Actor, scope: Scope | None = None) -> bool:
    if actor.role == "chain_leader":
        return scope is None or scope.chain in actor.chains
    return can_write(actor, scope)


def can_assign(actor: Actor, scope: Scope | None = None) -> bool:
    return can_comment(actor, scope)


def require(allowed: bool, what: str) -> None:
    if not allowed:
        raise Forbidden(f"your role may not {what}")


def require_admin(actor: Actor, what: str = "manage users") -> None:
    require(actor.is_admin, what)


def read_scope(actor: Actor) -> tuple[str, list[str]] | None:
    """What limits the records the actor may list: ("chain", their chains), ("district", their
    districts), or None when nothing does."""
    if actor.role == "chain_leader":
        return "chain", list(actor.chains)
    if actor.role == "district_officer":
        return "district", list(actor.districts)
    return None


def scope_filter(actor: Actor, district_var: str, chain_var: str) -> tuple[str, dict]:
    """A WHERE fragment limiting a list to what the actor may read (empty when unlimited)."""
    limit = read_scope(actor)
    if limit is None:
        return "", {}
    kind, ids = limit
    return f"{chain_var if kind == 'chain' else district_var} IN $scope_{kind}s", {f"scope_{kind}s": ids}
