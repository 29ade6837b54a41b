"""Every registered route, for every role: the answer the access rules promise, and nothing else.

The routes come from the app's url_map, so a new route without a decision in the tables
(tests/security/api_routes.py, page_routes.py) fails here. Each case is sent by each persona
(the API with the persona's token, pages with its logged-in session and CSRF token) and the
outcome compared with the table: allowed, refused (403), or hidden (404) for a record outside the
persona's scope. A refused write leaves no audit entry behind; an allowed one leaves one.
Anonymous callers get 401 on the API and the login page elsewhere, except on public routes.
"""
from __future__ import annotations

import re

import pytest

from graph.engines.embedded import EmbeddedStore
from tests.documents import text_of
from tests.factories import NOW, PASSWORD
from tests.security.api_routes import API
from tests.security.page_routes import PAGES
from tests.security.rules import HIDE, NO, OK, ROLES, UNKNOWN, Call, Case
from tests.security.world import THEIRS, build
from web.app import create_app

pytestmark = pytest.mark.xdist_group("route_walk")  # one world per worker: keep the module on one

TABLE: dict[str, list[Case]] = {**API, **PAGES}
SKIPPED = {"static"}  # files from web/static: public by design, no data behind them
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
UNAUDITED = {"pages.login", "pages.logout", "inbox.MarkRead", "inbox.MarkAllRead",
             # a dry run writes nothing; the walk commits files already imported (the job audits what it writes)
             "pages.import_dry_run", "pages.import_commit", "imports.DryRun", "imports.Commit"}
WRITES = {"POST", "PATCH", "PUT", "DELETE"}


class Walk:
    """One app on one store for the whole module, with a logged-in session per persona."""

    def __init__(self, store):
        self.world = build(store)
        self.app = create_app({"TESTING": True, "STORE": store, "CLOCK": lambda: NOW})
        self.rules = {r.endpoint: r for r in self.app.url_map.iter_rules()}
        self.world.imports = self.app.extensions["chainlead.imports"]
        self.sessions = {p: self.log_in(p) for p in ROLES}

    def log_in(self, persona: str):
        client = self.app.test_client()
        token = self.csrf(client, "/login")
        answer = client.post("/login", data={"username": persona, "password": PASSWORD, "csrf_token": token})
        assert answer.status_code == 302, f"{persona} could not log in"
        client.csrf = self.csrf(client, "/")
        return client

    @staticmethod
    def csrf(client, path: str) -> str:
        found = TOKEN.search(client.get(path).get_data(as_text=True))
        assert found, f"{path} has no CSRF token"
        return found.group(1)

    def audits(self) -> int:
        return self.world.store.read("MATCH (a:AuditEntry) RETURN count(a) AS n")[0]["n"]

    def send(self, persona: str, endpoint: str, case: Case, call: Call | None = None):
        """Make the case's request as the persona; `call` when it was built beforehand."""
        call = call or case.build(self.world, persona)
        path = self.rules[endpoint].build(call.args, append_unknown=False)[1]
        url = path + (f"?{call.query}" if call.query else "")
        headers = dict(call.headers)
        if path.startswith("/api/"):
            client = self.app.test_client()
            if persona != "anonymous":
                headers["Authorization"] = f"Bearer {self.world.tokens[persona]}"
            return url, client.open(url, method=case.method, json=call.json, data=call.form, headers=headers)
        if persona == "anonymous":
            client = self.app.test_client()
            client.csrf = self.csrf(client, "/login") if case.method in WRITES else ""
        else:
            client = self.log_in(persona) if case.fresh_session else self.sessions[persona]
        form = None if case.method == "GET" else {**(call.form or {}), "csrf_token": client.csrf}
        return url, client.open(url, method=case.method, data=form, headers=headers)


@pytest.fixture(scope="module")
def walk(tmp_path_factory):
    store = EmbeddedStore(tmp_path_factory.mktemp("walk") / "walk.lbug", buffer_pool_mb=256)
    store.ensure_schema()
    yield Walk(store)
    store.close()


def outcome(response) -> str:
    """What the answer amounts to; reading the body first also runs a streamed response to its end."""
    response.get_data()
    status = response.status_code
    if status == 302 and response.headers.get("Location", "").startswith("/login?next="):
        return "sent to the login page"
    return {401: "unauthenticated (401)", 403: NO, 404: HIDE, 422: UNKNOWN}.get(
        status, OK if status < 400 else f"status {status}")


def cases():
    for endpoint, listed in TABLE.items():
        for case in listed:
            yield endpoint, case


def undecided(app) -> list[str]:
    """What the tables leave open: registered routes (or methods) without a decision, and stale entries."""
    registered = {rule.endpoint: rule.methods - {"HEAD", "OPTIONS"} for rule in app.url_map.iter_rules()
                  if rule.endpoint not in SKIPPED}
    problems = [f"{endpoint} has no access decision: add it to tests/security/api_routes.py (API) or "
                "tests/security/page_routes.py (pages) with the rule it follows"
                for endpoint in sorted(set(registered) - set(TABLE))]
    problems += [f"{endpoint} is in the tables but no longer registered" for endpoint in sorted(set(TABLE) - set(registered))]
    for endpoint in sorted(set(registered) & set(TABLE)):
        decided = {case.method for case in TABLE[endpoint]}
        if decided != registered[endpoint]:
            problems.append(f"{endpoint}: methods {sorted(registered[endpoint])} registered, {sorted(decided)} decided")
    return problems


def test_every_registered_route_has_a_decision_in_the_tables(walk):
    assert undecided(walk.app) == []


def test_a_route_added_without_a_decision_fails_the_walk_and_says_where_to_decide(walk):
    app = create_app({"TESTING": True, "STORE": walk.world.store})
    app.add_url_rule("/leads/<lead_id>/share", "pages.share_lead", lambda lead_id: "", methods=["POST"])
    assert undecided(app) == ["pages.share_lead has no access decision: add it to tests/security/api_routes.py "
                              "(API) or tests/security/page_routes.py (pages) with the rule it follows"]


@pytest.mark.parametrize("persona", ROLES)
def test_each_role_gets_what_the_access_rules_allow_on_every_route(walk, persona):
    wrong = []
    for endpoint, case in cases():
        call = case.build(walk.world, persona)
        before = walk.audits()
        url, response = walk.send(persona, endpoint, case, call)
        got, expected = outcome(response), case.expect[persona]
        where = f"{case.method} {url} ({endpoint}{', ' + case.label if case.label else ''})"
        if got != expected:
            wrong.append(f"{where}: expected {expected}, got {got} {response.get_data(as_text=True)[:200]!r}")
        elif case.method in WRITES and endpoint not in UNAUDITED:
            wrote = walk.audits() - before
            if got == OK and not wrote:
                wrong.append(f"{where}: allowed but recorded no audit entry")
            if got != OK and wrote:
                wrong.append(f"{where}: refused but wrote {wrote} audit entries")
    assert wrong == [], "\n".join(wrong)


def test_anonymous_callers_get_401_or_the_login_page_except_on_public_routes(walk):
    wrong = []
    for endpoint, case in cases():
        call = case.build(walk.world, "anonymous")
        before = walk.audits()
        url, response = walk.send("anonymous", endpoint, case, call)
        got = outcome(response)
        expected = OK if case.public else ("unauthenticated (401)" if url.startswith("/api/")
                                           else "sent to the login page")
        if got != expected:
            wrong.append(f"{case.method} {url} ({endpoint}): expected {expected}, got {got}")
        if not case.public and walk.audits() != before:
            wrong.append(f"{case.method} {url} ({endpoint}): an anonymous request wrote to the audit")
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize("persona", ["leader", "officer"])
def test_a_scoped_reader_never_sees_another_scopes_records_in_any_answer(walk, persona):
    """Lists, pages, the weekly report and its files: nothing of the other district and chain (marked
    THEIRS) shows."""
    leaks = []
    for endpoint, case in cases():
        if case.method != "GET" or case.public:
            continue
        url, response = walk.send(persona, endpoint, case)
        if response.status_code != 200:
            continue
        body = text_of(response.get_data(), response.mimetype)  # Word and Excel files opened, not searched as zip
        found = sorted(i for i in walk.world.theirs_ids if i in body) + ([THEIRS] if THEIRS in body else [])
        if found:
            leaks.append(f"GET {url} ({endpoint}) shows {found[:5]}")
    assert leaks == [], "\n".join(leaks)
