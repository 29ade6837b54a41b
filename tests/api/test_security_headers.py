"""Every response carries the security headers; the CSP admits only the app's own scripts and styles."""
import re

import pytest

from web.security import allow_inline, nonce_tags

HEADERS = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "SAMEORIGIN", "Referrer-Policy": "same-origin"}


def csp(response) -> dict[str, list[str]]:
    parts = [p.strip().split() for p in response.headers["Content-Security-Policy"].split(";")]
    return {p[0]: p[1:] for p in parts}


@pytest.mark.parametrize("url", ["/api/v1/leads", "/login", "/healthz", "/static/app.css", "/api/v1/nowhere", "/api/docs",
                                 "/api/openapi.json"])
def test_it_sends_the_headers_on_every_kind_of_response(staff_client, url):
    response = staff_client.get(url)
    for name, value in HEADERS.items():
        assert response.headers[name] == value
    policy = csp(response)
    assert policy["default-src"] == ["'self'"] and policy["frame-ancestors"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]


def test_the_policy_allows_no_inline_or_foreign_script_or_style(staff_client):
    policy = csp(staff_client.get("/api/v1/leads"))
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert "'unsafe-eval'" not in str(policy)


def test_the_headers_survive_an_unexpected_error(app, staff_client):
    app.add_url_rule("/api/v1/boom", "boom", lambda: 1 / 0)
    response = staff_client.get("/api/v1/boom")
    assert response.status_code == 500 and response.headers["X-Content-Type-Options"] == "nosniff"
    assert "ZeroDivisionError" not in response.get_data(as_text=True)


def test_the_api_docs_page_runs_no_inline_script(staff_client):
    response = staff_client.get("/api/docs")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-spec-url="/api/openapi.json"' in html
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == [], "every script must come from a file"
    assert "/static/swagger-init.js" in html


def test_pages_run_no_inline_script(staff_client):
    html = staff_client.get("/").get_data(as_text=True)
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
    assert re.findall(r"\son[a-z]+=", html) == [], "no inline event handlers"


def test_a_view_may_allow_its_own_inline_code_with_a_nonce_and_only_it(app, staff_client):
    """The hook the map iframe uses: folium's inline tags get this response's nonce."""

    def map_frame():
        nonce = allow_inline(img_hosts=["https://tiles.intranet.example"])
        return nonce_tags("<style>.m{}</style><script>draw()</script><script src='/static/x.js'></script>", nonce)

    app.add_url_rule("/maps/frame-test", "map_frame_test", map_frame)
    response = staff_client.get("/maps/frame-test")
    policy = csp(response)
    nonce = policy["script-src"][1].removeprefix("'nonce-").rstrip("'")
    assert policy["script-src"] == ["'self'", f"'nonce-{nonce}'"] and f"'nonce-{nonce}'" in policy["style-src"]
    assert "https://tiles.intranet.example" in policy["img-src"]
    assert response.get_data(as_text=True).count(f'nonce="{nonce}"') == 3
    assert csp(staff_client.get("/maps/frame-test"))["script-src"][1] != f"'nonce-{nonce}'", "fresh per response"
    assert csp(staff_client.get("/api/v1/leads"))["script-src"] == ["'self'"]


def test_a_missing_if_match_says_what_to_send(staff_client, store):
    from tests.factories import make_lead

    lead = make_lead(store)
    r = staff_client.patch(f"/api/v1/leads/{lead.id}", json={"title": "x"})
    assert r.status_code == 428 and "If-Match" in r.json["message"]


def test_the_favicon_is_served_to_anyone(anonymous_client):
    r = anonymous_client.get("/favicon.ico")
    assert r.status_code == 301 and r.headers["Location"].endswith("/static/favicon.svg")
    assert anonymous_client.get("/static/favicon.svg").status_code == 200


def test_authenticated_answers_are_not_kept_by_shared_caches(staff_client, anonymous_client, app):
    assert staff_client.get("/api/v1/leads").headers["Cache-Control"] == "no-store"
    assert anonymous_client.get("/api/v1/leads").headers["Cache-Control"] == "no-store"
    page = app.test_client()
    assert "no-store" not in page.get("/static/app.css").headers.get("Cache-Control", "")
