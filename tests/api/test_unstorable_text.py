"""Text that cannot be stored is refused at the edge with 422 naming the field, on every write route
(issue 12, item 1): lone surrogates, and control characters other than tab and newline. The store
never sees it, and the same request with plain text still works."""
from __future__ import annotations

import re

import pytest

BAD = {"a lone surrogate": "\udc80", "an escape sequence": "博世\x1b[31m", "a NUL": "a\x00b", "a bell": "\x07"}
WRITES = ("post", "put", "patch")


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def text_fields(app) -> list[tuple[str, str, str]]:
    """(method, path, a string property of its JSON body) for every write operation that takes text."""
    spec = app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
    found = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in WRITES:
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if not body:
                continue
            props = _resolve(spec, body).get("properties", {})
            strings = [name for name, p in props.items() if _resolve(spec, p).get("type") == "string"
                       and not _resolve(spec, p).get("format") and not _resolve(spec, p).get("enum")]
            if strings:
                found.append((method.upper(), re.sub(r"\{[^}]+\}", "x-1", path), strings[0]))
    return found


def test_the_walk_covers_the_api_s_writes(app):
    assert len(text_fields(app)) >= 15


@pytest.mark.parametrize("what", sorted(BAD))
def test_every_write_route_refuses_unstorable_text_naming_the_field(app, admin_client, what):
    for method, path, field in text_fields(app):
        r = admin_client._call(method, path, json={field: BAD[what]}, headers={"If-Match": '"v1"'})
        assert r.status_code == 422, (method, path, r.status_code, r.get_data(as_text=True)[:300])
        assert field in r.json["errors"]["json"], (method, path, r.json)


def test_nested_values_and_field_names_are_checked_too(admin_client):
    r = admin_client.post("/api/v1/leads", json={"company_id": "catl", "link_id": "nev.cell", "title\x00": "x"})
    assert r.status_code == 422
    r = admin_client.post("/api/v1/events", json={"name_zh": "路演", "kind": "forum", "start_on": "2027-03-01",
                                                   "chain_ids": ["nev", "\udc80"]})
    assert r.status_code == 422 and "chain_ids.1" in r.json["errors"]["json"]


def test_tab_newline_and_crlf_are_ordinary_text(staff_client, store):
    from tests.factories import make_lead

    lead = make_lead(store)
    r = staff_client.post("/api/v1/notes", json={"record_id": lead.id, "body": "第一行\r\n第二行\n\t缩进"})
    assert r.status_code == 201, r.json
    assert staff_client.get(f"/api/v1/notes?record={lead.id}").json[0]["body"] == "第一行\r\n第二行\n\t缩进"


@pytest.mark.parametrize("depth", [65, 100_000])
def test_json_nested_too_deeply_is_a_400_with_a_message(admin_client, depth):
    body = "[" * depth + "]" * depth
    r = admin_client.post("/api/v1/leads", data=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and "nested more than 64 levels" in r.get_data(as_text=True)


def test_brackets_inside_strings_do_not_count_as_nesting(admin_client):
    r = admin_client.post("/api/v1/leads", json={"company_id": "catl", "link_id": "nev.cell", "title": "[" * 500})
    assert r.status_code == 422 and "title" in r.json["errors"]["json"]


def test_a_body_with_200000_unknown_keys_gets_a_short_answer(admin_client):
    r = admin_client.post("/api/v1/leads", json={f"k{i}": 1 for i in range(200_000)})
    assert r.status_code == 422 and len(r.get_data()) < 5_000
    fields = r.json["errors"]["json"]
    assert len(fields) == 21 and fields["_more"] == ["199982 more fields have problems"]  # and the two required ones
