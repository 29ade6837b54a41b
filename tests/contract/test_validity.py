"""When a dated fact holds (graph/validity.py), on both engines: from `since` (inclusive) to `until`
(exclusive), an unset end meaning "before records began" or "still holds"."""
from datetime import date

import pytest

from graph.cypher import merge_rels, upsert_nodes
from graph.validity import holds, present

D = date(2024, 3, 1)


@pytest.fixture
def dated(store):
    upsert_nodes(store, "Company", [{"id": c} for c in ("open", "began", "later", "ended", "ends", "both", "never")])
    upsert_nodes(store, "District", [{"id": "500106"}])
    merge_rels(store, "PRESENT_IN", "Company", "District", [
        {"src": "open", "dst": "500106"},
        {"src": "began", "dst": "500106", "since": D},
        {"src": "later", "dst": "500106", "since": date(2024, 3, 2)},
        {"src": "ended", "dst": "500106", "until": D},
        {"src": "ends", "dst": "500106", "until": date(2024, 3, 2)},
        {"src": "both", "dst": "500106", "since": date(2023, 1, 1), "until": date(2025, 1, 1)}])
    return store


def test_a_fact_holds_from_its_first_day_until_the_day_it_ended(dated):
    rows = dated.read(f"MATCH (c:Company)-[r:PRESENT_IN]->(:District) WHERE {holds('r')} RETURN c.id AS id "
                      "ORDER BY id", {"as_of": D})
    assert [r["id"] for r in rows] == ["began", "both", "ends", "open"]


def test_a_company_is_local_on_a_day_when_a_presence_holds_then(dated):
    rows = dated.read(f"MATCH (c:Company) RETURN c.id AS id, {present('c', '$day')} AS local ORDER BY id",
                      {"day": date(2024, 3, 2)})
    assert {r["id"]: r["local"] for r in rows} == {"began": True, "both": True, "ended": False, "ends": False,
                                                   "later": True, "never": False, "open": True}
