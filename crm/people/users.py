"""Users, their roles and scopes, passwords (argon2) and personal API tokens (stored hashed)."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from crm.base import memo, records
from crm.people import sessions
from crm.base.access import Actor, require_admin
from crm.choices import ROLES
from crm.errors import Conflict, NotFound, ValidationFailed

# OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): ~0.1 s here; the library default (4 lanes)
# costs 0.6 s a login on a 2-core server.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
MIN_PASSWORD = 8
TOKEN_PREFIX = "cl_"


@dataclass
class User:
    id: str
    username: str
    role: str
    display_name: str = ""
    email: str | None = None
    locale: str = "zh"
    active: bool = True
    districts: list[str] = field(default_factory=list)
    chains: list[str] = field(default_factory=list)
    last_login_at: datetime | None = None
    created_at: datetime | None = None
    version: int = 1

    def actor(self) -> Actor:
        return Actor(id=self.id, username=self.username, role=self.role, districts=tuple(self.districts),
                     chains=tuple(self.chains), display_name=self.display_name or self.username)


# A user's scope in two small queries: one with OPTIONAL MATCHes and collect() cost Ladybug
# 4-5 ms, paid on every authenticated request.
_SCOPES = ("MATCH (u:User)-[:BELONGS_TO]->(d:District) WHERE u.id IN $ids RETURN u.id AS user, d.id AS scope",
           "MATCH (u:User)-[:LEADS_CHAIN]->(c:Chain) WHERE u.id IN $ids RETURN u.id AS user, c.id AS scope")


def _with_scopes(store: Any, nodes: list[dict[str, Any]]) -> list[User]:
    ids = [n["id"] for n in nodes]
    districts: dict[str, list[str]] = {}
    chains: dict[str, list[str]] = {}
    if ids:
        for query, into in zip(_SCOPES, (districts, chains)):
            for row in store.read(query, {"ids": ids}):
                into.setdefault(row["user"], []).append(row["scope"])
    users = []
    for node in nodes:
        fields: dict[str, Any] = {k: node[k] for k in User.__dataclass_fields__
                                  if k not in ("districts", "chains") and node.get(k) is not None}
        users.append(User(**fields, districts=sorted(districts.get(node["id"], [])),
                          chains=sorted(chains.get(node["id"], []))))
    return users


def get_user(store: Any, user_id: str) -> User:
    rows = store.read("MATCH (u:User {id: $id}) RETURN u", {"id": user_id})
    if not rows:
        raise NotFound("User", user_id)
    return _with_scopes(store, [rows[0]["u"]])[0]


def find_by_username(store: Any, username: str) -> User | None:
    rows = store.read("MATCH (u:User) WHERE u.username = $name RETURN u", {"name": username.strip().lower()})
    return _with_scopes(store, [rows[0]["u"]])[0] if rows else None


def list_users(store: Any) -> list[User]:
    nodes = [r["u"] for r in store.read("MATCH (u:User) RETURN u")]
    return sorted(_with_scopes(store, nodes), key=lambda u: u.username)


def _validate(username: str, password: str | None, role: str, districts: list[str], chains: list[str]) -> None:
    errors: dict[str, list[str]] = {}
    name = username.strip().lower()
    if not name or not name.replace("_", "").replace(".", "").replace("-", "").isalnum() or len(name) > 64:
        errors["username"] = ["letters, digits, '.', '_' or '-', at most 64"]
    if password is not None and len(password) < MIN_PASSWORD:
        errors["password"] = [f"at least {MIN_PASSWORD} characters"]
    if role not in ROLES:
        errors["role"] = [f"must be one of {', '.join(ROLES.values)}"]
    if role == "district_officer" and not districts:
        errors["districts"] = ["a district officer needs a district"]
    if role == "chain_leader" and not chains:
        errors["chains"] = ["a chain leader needs a chain"]
    if errors:
        raise ValidationFailed(errors)


def create_user(store: Any, *, username: str, password: str, role: str, actor: Actor, now: datetime,
                display_name: str = "", email: str | None = None, districts: list[str] | None = None,
                chains: list[str] | None = None, locale: str = "zh", synthetic: bool = False) -> User:
    require_admin(actor, "add users")
    districts, chains = list(districts or []), list(chains or [])
    _validate(username, password, role, districts, chains)
    name = username.strip().lower()

    def work(tx: Any) -> str:
        if tx.run("MATCH (u:User) WHERE u.username = $n RETURN u.id AS id", {"n": name}):
            raise Conflict(f"user {name!r} already exists")
        record = records.create(tx, "User", {
            "username": name, "display_name": display_name or name, "email": email, "role": role,
            "locale": locale, "active": True, "password_hash": _hasher.hash(password), "failed_logins": 0,
            "synthetic": synthetic}, actor=actor, now=now, prefix="user")
        _set_scope(tx, record["id"], districts, chains)
        return record["id"]

    return get_user(store, store.transaction(work))


def _set_scope(tx: Any, user_id: str, districts: list[str], chains: list[str]) -> None:
    tx.run("MATCH (u:User {id: $id})-[r:BELONGS_TO]->(:District) DELETE r", {"id": user_id}, touches={})
    tx.run("MATCH (u:User {id: $id})-[r:LEADS_CHAIN]->(:Chain) DELETE r", {"id": user_id}, touches={})
    for field_name, rel, label, ids in (("districts", "BELONGS_TO", "District", districts),
                                        ("chains", "LEADS_CHAIN", "Chain", chains)):
        for target in ids:
            found = tx.run(f"MATCH (u:User {{id: $u}}) MATCH (t:{label} {{id: $t}}) CREATE (u)-[:{rel}]->(t) "
                           "RETURN t.id AS id", {"u": user_id, "t": target})
            if not found:
                raise ValidationFailed({field_name: [f"no {label} with id {target!r}"]})


def update_user(store: Any, user_id: str, changes: dict[str, Any], *, actor: Actor, now: datetime,
                expected_version: int | None) -> User:
    """Change a user's role, scope, name or state; a password change goes through set_password."""
    require_admin(actor, "change users")
    user = get_user(store, user_id)
    role = changes.get("role", user.role)
    districts = changes.get("districts", user.districts)
    chains = changes.get("chains", user.chains)
    _validate(user.username, None, role, districts, chains)
    fields: dict[str, Any] = {k: changes[k] for k in ("role", "display_name", "email", "locale", "active")
                              if k in changes}

    def work(tx: Any) -> None:
        scope_diff = {}
        if "districts" in changes or "chains" in changes:
            scope_diff = {"districts": (user.districts, sorted(districts)), "chains": (user.chains, sorted(chains))}
            _set_scope(tx, user_id, districts, chains)
        records.update(tx, "User", user_id, fields, actor=actor, now=now, expected_version=expected_version,
                       extra_audit=scope_diff)
        if fields.get("role", user.role) != user.role or fields.get("active", user.active) is False:
            sessions.end_all(tx, user_id, now=now)  # what they may do changed: log them in again

    store.transaction(work)
    memo.forget_all()
    return get_user(store, user_id)


def set_password(store: Any, user_id: str, password: str, *, actor: Actor, now: datetime,
                 current: str | None = None, keep_session: str | None = None) -> None:
    """A new password; one's own needs the current one (an admin resetting someone else's does not).
    Every other session of the user ends: a thief's copied cookie stops working."""
    if actor.id != user_id:
        require_admin(actor, "set another user's password")
    errors: dict[str, list[str]] = {}
    if len(password) < MIN_PASSWORD:
        errors["password"] = [f"at least {MIN_PASSWORD} characters"]
    if actor.id == user_id and not password_matches(store, user_id, current or ""):
        errors["current_password"] = ["does not match your current password"]
    if errors:
        raise ValidationFailed(errors)

    def work(tx: Any) -> None:
        records.update(tx, "User", user_id, {"password_hash": _hasher.hash(password), "failed_logins": 0,
                                             "locked_until": None},
                       actor=actor, now=now, expected_version=None, action="password")
        sessions.end_all(tx, user_id, now=now, keep=keep_session if actor.id == user_id else None)

    store.transaction(work)
    memo.forget_all()


def password_matches(store: Any, user_id: str, password: str) -> bool:
    """The password is the user's current one (for changing one's own)."""
    rows = store.read("MATCH (u:User {id: $id}) RETURN u.password_hash AS h", {"id": user_id})
    if not rows or not rows[0]["h"]:
        return False
    try:
        return _hasher.verify(rows[0]["h"], password)
    except (VerificationError, InvalidHashError):
        return False


def check_password(store: Any, username: str, password: str) -> User | None:
    """The user when the password matches an active account, else None (no hint which part failed)."""
    rows = store.read("MATCH (u:User) WHERE u.username = $n RETURN u.id AS id, u.password_hash AS h, "
                      "u.active AS active", {"n": username.strip().lower()})
    if not rows or not rows[0]["active"] or not rows[0]["h"]:
        _hasher.hash(password)  # same cost whether or not the user exists
        return None
    try:
        _hasher.verify(rows[0]["h"], password)
    except (VerificationError, InvalidHashError):
        return None
    return get_user(store, rows[0]["id"])


def _digest(token: str) -> str:
    """Tokens are 256 random bits, so a plain SHA-256 stores them safely (no slow hash needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class Token:
    id: str
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool


def create_token(store: Any, user_id: str, name: str, *, actor: Actor, now: datetime) -> tuple[str, Token]:
    """A new personal token; the plain text is returned once and never stored."""
    if actor.id != user_id:
        require_admin(actor, "create tokens for another user")
    get_user(store, user_id)
    if not name.strip() or len(name) > 100:
        raise ValidationFailed({"name": ["1 to 100 characters"]})
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token_id = records.new_id("tok")

    def work(tx: Any) -> None:
        tx.run("MATCH (u:User {id: $u}) CREATE (t:ApiToken {id: $id}) SET t.name = $name, t.token_hash = $h, "
               "t.created_at = $now, t.revoked = false CREATE (t)-[:TOKEN_OF]->(u)",
               {"u": user_id, "id": token_id, "name": name.strip(), "h": _digest(plain), "now": now})
        records.audit(tx, actor, "token_create", "ApiToken", token_id, {"name": (None, name.strip())}, now)

    store.transaction(work)
    return plain, Token(token_id, name.strip(), now, None, False)


def list_tokens(store: Any, user_id: str) -> list[Token]:
    rows = store.read("MATCH (t:ApiToken)-[:TOKEN_OF]->(u:User {id: $u}) RETURN t ORDER BY t.created_at",
                      {"u": user_id})
    return [Token(r["t"]["id"], r["t"]["name"], r["t"]["created_at"], r["t"]["last_used_at"],
                  bool(r["t"]["revoked"])) for r in rows]


def revoke_token(store: Any, token_id: str, *, actor: Actor, now: datetime) -> None:
    rows = store.read("MATCH (t:ApiToken {id: $id})-[:TOKEN_OF]->(u:User) RETURN u.id AS user", {"id": token_id})
    if not rows or (rows[0]["user"] != actor.id and not actor.is_admin):
        raise NotFound("ApiToken", token_id)

    def work(tx: Any) -> None:
        tx.run("MATCH (t:ApiToken {id: $id}) SET t.revoked = true", {"id": token_id})
        records.audit(tx, actor, "token_revoke", "ApiToken", token_id, {"revoked": (False, True)}, now)

    store.transaction(work)
    memo.forget_all()


def actor_for_token(store: Any, token: str) -> Actor | None:
    """The active user a personal token belongs to, as an actor (recently seen ones from memory)."""
    return memo.actors.get_or_load(memo.keyed(store, "token", _digest(token)), lambda: _active(
        user_for_token(store, token)))


def actor_for_session(store: Any, user_id: str, secret: str, *, now: datetime) -> Actor | None:
    """The active user of a live login session, as an actor (recently seen ones from memory)."""
    def load() -> Actor | None:
        if not sessions.live(store, user_id, secret, now=now):
            return None
        try:
            return _active(get_user(store, user_id))
        except NotFound:
            return None

    return memo.actors.get_or_load(memo.keyed(store, "session", user_id, secret), load)


def _active(user: User | None) -> Actor | None:
    return user.actor() if user is not None and user.active else None


def user_for_token(store: Any, token: str) -> User | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    rows = store.read("MATCH (t:ApiToken)-[:TOKEN_OF]->(u:User) WHERE t.token_hash = $h AND t.revoked = false "
                      "AND u.active = true RETURN u.id AS id", {"h": _digest(token)})
    return get_user(store, rows[0]["id"]) if rows else None
