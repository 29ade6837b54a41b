"""API fixtures: an app on a fresh embedded store, and one client per persona."""
from __future__ import annotations

import pytest

from crm.people.users import create_token
from crm.base.access import SYSTEM
from tests.factories import NOW, make_reference, make_user
from web.app import create_app


@pytest.fixture
def app(embedded_store):
    make_reference(embedded_store)
    app = create_app({"TESTING": True, "STORE": embedded_store, "CLOCK": lambda: NOW})
    return app


@pytest.fixture
def store(app):
    return app.extensions["chainlead.store"]


class ApiClient:
    """A test client that sends the persona's token and remembers ETags."""

    def __init__(self, app, token: str | None):
        self._client = app.test_client()
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}

    def _call(self, method, url, headers=None, **kwargs):
        return self._client.open(url, method=method, headers={**self._headers, **(headers or {})}, **kwargs)

    def get(self, url, **kwargs):
        return self._call("GET", url, **kwargs)

    def post(self, url, **kwargs):
        return self._call("POST", url, **kwargs)

    def patch(self, url, **kwargs):
        return self._call("PATCH", url, **kwargs)

    def delete(self, url, **kwargs):
        return self._call("DELETE", url, **kwargs)


def _persona(app, store, username, role, **scope):
    user = make_user(store, username, role, **scope)
    token, _ = create_token(store, user.id, "tests", actor=SYSTEM, now=NOW)
    client = ApiClient(app, token)
    client.user = user
    return client


@pytest.fixture
def admin_client(app, store):
    return _persona(app, store, "admin", "admin")


@pytest.fixture
def staff_client(app, store):
    return _persona(app, store, "staff", "staff")


@pytest.fixture
def chain_leader_client(app, store):
    return _persona(app, store, "leader", "chain_leader", chains=["electronics"])


@pytest.fixture
def district_officer_client(app, store):
    return _persona(app, store, "officer", "district_officer", districts=["500103"])


@pytest.fixture
def viewer_client(app, store):
    return _persona(app, store, "viewer", "viewer")


@pytest.fixture
def anonymous_client(app):
    return ApiClient(app, None)
