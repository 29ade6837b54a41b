"""The OpenAPI document (/api/openapi.json) describes every API route, though the app documents its
views only when the document is first read (web/api/__init__.py: half of start-up was building it)."""
import re

from web.app import create_app


def _routes(app):
    """(path in OpenAPI form, method) of every /api/v1 route the app serves."""
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
            found |= {(path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return found


def test_the_document_lists_every_api_route_with_its_methods(app, staff_client):
    spec = staff_client.get("/api/openapi.json").json
    documented = {(path, method) for path, operations in spec["paths"].items() for method in operations
                  if method in ("get", "post", "put", "patch", "delete")}
    assert _routes(app) - documented == set()
    assert {tag["name"] for tag in spec["tags"]} >= {"leads", "followups", "pool", "inbox"}


def test_reading_it_again_or_in_another_app_gives_the_same_document(app, staff_client, embedded_store):
    first = staff_client.get("/api/openapi.json").json
    assert staff_client.get("/api/openapi.json").json == first
    other = create_app({"TESTING": True, "STORE": embedded_store})
    assert other.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict() == first
