"""Values come back as they went in, whichever engine holds them."""
from datetime import date, datetime, timedelta, timezone

import pytest

from graph.cypher import upsert_nodes
from graph.errors import SchemaError

SHANGHAI = timezone(timedelta(hours=8))


def company(store, **props):
    upsert_nodes(store, "Company", [{"id": "c", **props}])
    return store.read("MATCH (c:Company) WHERE c.id = 'c' RETURN c")[0]["c"]


def test_chinese_text_round_trips_and_is_searchable(store):
    assert company(store, name_zh="重庆长安福特汽车有限公司")["name_zh"] == "重庆长安福特汽车有限公司"
    rows = store.read("MATCH (c:Company) WHERE c.name_zh CONTAINS $q RETURN c.id AS id", {"q": "长安"})
    assert rows == [{"id": "c"}]


def test_an_aware_datetime_comes_back_as_the_same_instant_in_utc(store):
    at = datetime(2024, 3, 1, 9, 30, tzinfo=SHANGHAI)
    back = company(store, created_at=at)["created_at"]
    assert back == at
    assert back.tzinfo == timezone.utc and back.hour == 1


def test_datetimes_compare_as_instants_whatever_zone_the_parameter_has(store):
    company(store, created_at=datetime(2024, 3, 1, 1, 30, tzinfo=timezone.utc))
    rows = store.read("MATCH (c:Company) WHERE c.created_at >= $t RETURN c.id AS id",
                      {"t": datetime(2024, 3, 1, 9, 30, tzinfo=SHANGHAI)})
    assert rows == [{"id": "c"}]


def test_dates_round_trip_and_filter(store):
    upsert_nodes(store, "District", [{"id": "500105", "valid_from": date(1995, 1, 1),
                                      "valid_to": date(2025, 11, 1)}])
    rows = store.read("MATCH (d:District) WHERE d.valid_to <= $day RETURN d.valid_to AS v",
                      {"day": date(2025, 12, 31)})
    assert rows == [{"v": date(2025, 11, 1)}]


def test_large_and_negative_integers_survive(store):
    assert company(store, employees=2**62)["employees"] == 2**62
    assert company(store, employees=-5)["employees"] == -5


def test_integers_beyond_64_bits_are_refused(store):
    with pytest.raises(SchemaError, match="64 bits"):
        company(store, employees=2**64)


def test_null_clears_a_property_and_is_filterable(store):
    company(store, country="DE")
    company(store, country=None)
    assert store.read("MATCH (c:Company) WHERE c.country IS NULL RETURN c.id AS id") == [{"id": "c"}]


def test_lists_round_trip_including_empty(store):
    assert company(store, aliases=["BOSCH", "博世"])["aliases"] == ["BOSCH", "博世"]
    assert company(store, aliases=[])["aliases"] == []


def test_nodes_come_back_with_every_declared_property(store):
    node = company(store, name_en="X")
    assert node["country"] is None and "fg500_rank" in node


def test_floats_round_trip(store):
    assert company(store, revenue_usd_m=1234.5)["revenue_usd_m"] == 1234.5


def test_sums_of_integers_come_back_as_integers(store):
    upsert_nodes(store, "Company", [{"id": "a", "employees": 2**40}, {"id": "b", "employees": 3}])
    total = store.read("MATCH (c:Company) RETURN sum(c.employees) AS s")[0]["s"]
    assert total == 2**40 + 3 and type(total) is int
