"""Page fixtures: a browser-like client per persona, logged in through the login form."""
from __future__ import annotations

import re

import pytest

from tests.factories import NOW, PASSWORD, make_reference, make_user
from web.app import create_app

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app(embedded_store):
    make_reference(embedded_store)
    return create_app({"TESTING": True, "STORE": embedded_store, "CLOCK": lambda: NOW})


@pytest.fixture
def store(app):
    return app.extensions["chainlead.store"]


def csrf_of(html: str) -> str:
    found = TOKEN.search(html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def log_in(client, username: str, password: str = PASSWORD):
    page = client.get("/login").get_data(as_text=True)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": csrf_of(page)})


def _persona(app, store, username, role, **scope):
    user = make_user(store, username, role, **scope)
    client = app.test_client()
    assert log_in(client, username).status_code == 302
    client.user = user
    return client


@pytest.fixture
def staff(app, store):
    return _persona(app, store, "staff", "staff")


@pytest.fixture
def admin(app, store):
    return _persona(app, store, "admin", "admin")


@pytest.fixture
def chain_leader(app, store):
    """Leads the electronics chain (Bosch's and Infineon's power chips)."""
    return _persona(app, store, "chain_leader", "chain_leader", chains=["electronics"])


@pytest.fixture
def district_officer(app, store):
    """Works for 两江新区 (500157) only."""
    return _persona(app, store, "district_officer", "district_officer", districts=["500157"])


@pytest.fixture
def viewer(app, store):
    return _persona(app, store, "viewer", "viewer")


@pytest.fixture
def world(store, staff):
    from tests.pages.world import build

    return build(store, owner_id=staff.user.id)


def form_post(client, url: str, data: dict, page_url: str | None = None):
    """Post a form the way a browser does: with the CSRF token of the page it sits on."""
    token = csrf_of(client.get(page_url or "/").get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})
