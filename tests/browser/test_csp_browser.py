"""The Content-Security-Policy in a real browser: nothing the pages need is refused, the API docs run."""
from __future__ import annotations

import pytest

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def refusals(page) -> list[str]:
    """Console messages of every kind: chromium reports a CSP refusal as 'Refused to …'."""
    seen: list[str] = []
    page.on("console", lambda message: seen.append(message.text))
    return seen


def test_the_api_docs_run_under_the_strict_policy(page, live_server):
    seen = refusals(page)
    log_in(page, live_server, "staff")
    page.goto(live_server.url + "/api/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    assert page.locator(".swagger-ui .opblock").count() > 10
    assert [m for m in seen if "Content Security Policy" in m or "Refused to" in m] == []


@pytest.mark.parametrize("path", ["/", "/leads", "/leads/kanban", "/companies", "/chains", "/events", "/map", "/reports"])
def test_pages_need_nothing_the_policy_refuses(page, live_server, path):
    seen = refusals(page)
    log_in(page, live_server, "staff")
    response = page.goto(live_server.url + path)
    assert response.status in (200, 404)
    page.wait_for_load_state("networkidle")
    assert [m for m in seen if "Content Security Policy" in m or "Refused to" in m] == []
