"""Editing a lead: its chain and search text follow its title, company and link, read as the lock finds
them, even when another edit changed the lead between the reading of the names and the lock."""
from datetime import timedelta

import pytest

from crm.base.access import SYSTEM
from crm.pipeline import leads
from tests.factories import NOW, make_lead, make_reference


@pytest.fixture
def store(embedded_store):
    make_reference(embedded_store)
    return embedded_store


def held(store, lead_id):
    return store.read("MATCH (l:Lead {id: $id}) RETURN l.search_text AS text, l.chain_id AS chain, l.title AS title",
                      {"id": lead_id})[0]


def edit(store, lead_id, changes, minutes):
    return leads.update_lead(store, lead_id, changes, actor=SYSTEM, now=NOW + timedelta(minutes=minutes),
                             expected_version=None)


def test_a_new_title_company_or_link_is_in_the_search_text_and_the_chain_at_once(store):
    lead = make_lead(store, title="初次 first")
    edit(store, lead.id, {"title": "改名 renamed"}, 1)
    assert "改名 renamed" in held(store, lead.id)["text"] and "宁德时代" in held(store, lead.id)["text"]
    edit(store, lead.id, {"company_id": "bosch", "link_id": "electronics.chip"}, 2)
    now = held(store, lead.id)
    assert now["chain"] == "electronics" and "bosch" in now["text"] and "功率半导体" in now["text"]
    assert "宁德时代" not in now["text"] and "改名 renamed" in now["text"]


def test_an_edit_that_raced_another_still_takes_the_names_of_what_the_lock_found(store, monkeypatch):
    lead = make_lead(store, title="赛跑 race")
    real = leads.names_found

    def names_then_another_edit(reader, company_id, link_id):
        found = real(reader, company_id, link_id)  # the names of the company and link as read before the lock
        monkeypatch.setattr(leads, "names_found", real)
        edit(store, lead.id, {"company_id": "bosch", "link_id": "electronics.chip"}, 1)  # lands in between
        return found

    monkeypatch.setattr(leads, "names_found", names_then_another_edit)
    edit(store, lead.id, {"title": "后来 later"}, 2)
    now = held(store, lead.id)
    assert now["title"] == "后来 later" and now["chain"] == "electronics"
    assert "bosch" in now["text"] and "后来 later" in now["text"] and "宁德时代" not in now["text"]
