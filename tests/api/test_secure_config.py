"""Configuration that would run the app insecurely is refused; cookies and bodies are limited."""
import pytest

from tests.pages.conftest import csrf_of
from web.app import create_app
from web.security import DEMO_SECRET, UnsafeConfig

SECRET = "a-long-random-production-secret"


@pytest.fixture
def production(embedded_store, monkeypatch):
    """create_app as `chainlead serve` calls it: no TESTING, no DEMO."""
    for name in ("CHAINLEAD_SECRET_KEY", "CHAINLEAD_SECRET_KEY_FILE", "CHAINLEAD_DEMO", "CHAINLEAD_TESTING",
                 "CHAINLEAD_BEHIND_HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    return lambda **config: create_app({"STORE": embedded_store, **config})


def test_it_refuses_to_start_without_a_secret_key_outside_demo_mode(production):
    with pytest.raises(UnsafeConfig, match="Set CHAINLEAD_SECRET_KEY"):
        production()


def test_it_refuses_the_demo_key_and_short_keys_in_production(production):
    for key in (DEMO_SECRET, "short"):
        with pytest.raises(UnsafeConfig, match="at least 16 characters"):
            production(SECRET_KEY=key)


def test_demo_mode_runs_with_the_demo_key(production):
    assert production(DEMO=True).config["SECRET_KEY"] == DEMO_SECRET


def test_the_key_may_come_from_a_file(production, tmp_path, monkeypatch):
    (tmp_path / "key").write_text(SECRET + "\n")
    monkeypatch.setenv("CHAINLEAD_SECRET_KEY_FILE", str(tmp_path / "key"))
    assert production().config["SECRET_KEY"] == SECRET


def test_a_boolean_setting_that_is_not_a_boolean_stops_the_app(production, monkeypatch):
    monkeypatch.setenv("CHAINLEAD_BEHIND_HTTPS_PROXY", "yes")
    with pytest.raises(UnsafeConfig, match="must be true or false"):
        production(SECRET_KEY=SECRET)


def _session_cookie(app, base_url="http://localhost"):
    client = app.test_client()
    client.get("/login", base_url=base_url)
    return client.get_cookie("session"), client


def test_the_session_cookie_is_httponly_and_samesite_lax(production):
    cookie, _ = _session_cookie(production(SECRET_KEY=SECRET))
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax" and not cookie.secure


def test_behind_an_https_proxy_cookies_are_secure_and_forwarded_headers_are_trusted(production, monkeypatch):
    monkeypatch.setenv("CHAINLEAD_BEHIND_HTTPS_PROXY", "true")
    app = production(SECRET_KEY=SECRET)
    client = app.test_client()
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.1.2.3", "X-Forwarded-Host": "crm.bureau.example"}
    response = client.get("/", headers=forwarded)
    assert response.headers["Location"].startswith(("https://crm.bureau.example/login", "/login"))
    login = client.get("/login", headers=forwarded)
    assert "Secure" in login.headers["Set-Cookie"] and "HttpOnly" in login.headers["Set-Cookie"]
    assert login.headers["Strict-Transport-Security"].startswith("max-age=")
    assert csrf_of(login.get_data(as_text=True))


def test_a_body_over_the_limit_gets_413_as_json(app, staff_client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = staff_client.post("/api/v1/leads", data=b"{" + b" " * 4096 + b"}",
                                 headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json["code"] == 413 and "Traceback" not in response.get_data(as_text=True)


def test_the_default_limit_allows_imports_but_not_huge_bodies(app):
    assert 8 * 1024 * 1024 <= app.config["MAX_CONTENT_LENGTH"] <= 64 * 1024 * 1024
