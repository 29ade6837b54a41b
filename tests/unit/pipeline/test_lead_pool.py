"""The lead pool (公海池): stale leads return once and their owner is told; claims race safely;
assignment rules place new leads."""
import threading
from datetime import timedelta

import pytest

from crm.pipeline import pool
from crm.base.access import SYSTEM
from crm.pipeline.assignment import create_rule
from crm.followups.completion import complete_followup
from crm.errors import Conflict, DomainError
from crm.notify.inbox import list_notifications
from crm.pipeline.leads import LeadQuery, fetch
from tests.factories import NOW, make_followup, make_lead, make_reference, make_user

MONTH_AGO = NOW - timedelta(days=31)


@pytest.fixture
def world(embedded_store):
    make_reference(embedded_store)
    return embedded_store, make_user(embedded_store, "li", "staff"), make_user(embedded_store, "wang", "staff")


def test_a_stale_lead_returns_to_the_pool_once_and_its_owner_is_told(world):
    store, li, _ = world
    lead = make_lead(store, owner_id=li.id, now=MONTH_AGO)
    assert pool.return_stale_leads(store, now=NOW) == 1
    assert pool.return_stale_leads(store, now=NOW + timedelta(hours=1)) == 0
    back = fetch(store, lead.id)
    assert back.owner_id is None and back.in_pool and back.pooled_at == NOW
    [note] = list_notifications(store, actor=li.actor()).items
    assert note.kind == "pool_return" and note.record_id == lead.id and "已31天未完成跟进" in note.body


def test_a_completed_follow_up_keeps_a_lead_out_of_the_pool(world):
    store, li, _ = world
    lead = make_lead(store, owner_id=li.id, now=MONTH_AGO)
    followup = make_followup(store, lead.id, actor=li.actor(), now=MONTH_AGO)
    complete_followup(store, followup.id, {"outcome": "电话沟通"}, actor=li.actor(), now=NOW - timedelta(days=3),
                      expected_version=1)
    assert pool.return_stale_leads(store, now=NOW) == 0
    assert fetch(store, lead.id).owner_id == li.id


def test_a_freshly_claimed_old_lead_gets_its_full_grace(world):
    store, li, _ = world
    lead = make_lead(store, now=MONTH_AGO)
    pool.claim(store, lead.id, actor=li.actor(), now=NOW - timedelta(days=1), expected_version=None)
    assert pool.return_stale_leads(store, now=NOW) == 0


def test_exactly_one_of_several_racing_claimants_wins(world):
    store, li, wang = world
    lead = make_lead(store)
    people = [li, wang] + [make_user(store, f"staff{i}", "staff") for i in range(3)]
    barrier, results = threading.Barrier(len(people)), {}

    def claim(user):
        barrier.wait()
        try:
            results[user.id] = pool.claim(store, lead.id, actor=user.actor(), now=NOW, expected_version=1).owner_id
        except DomainError as exc:
            results[user.id] = exc

    threads = [threading.Thread(target=claim, args=(u,)) for u in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [uid for uid, r in results.items() if r == uid]
    assert len(winners) == 1 and fetch(store, lead.id).owner_id == winners[0]
    losers = [r for uid, r in results.items() if uid not in winners]
    assert all(isinstance(r, Conflict) and "claimed it first" in str(r) for r in losers)


def test_the_pool_shows_a_district_officer_only_their_district(world):
    store, _, _ = world
    officer = make_user(store, "zhao", "district_officer", districts=["500103"])
    mine = make_lead(store, district_id="500103")
    make_lead(store, district_id="500157")
    assert [l.id for l in pool.list_pool(store, LeadQuery(), actor=officer.actor()).items] == [mine.id]


def test_an_assignment_rule_places_a_new_lead_and_tells_its_user(world):
    store, li, wang = world
    create_rule(store, {"user_id": li.id, "chain_id": "nev"}, actor=SYSTEM, now=NOW)
    create_rule(store, {"user_id": wang.id, "chain_id": "nev", "district_id": "500103"}, actor=SYSTEM, now=NOW)
    general = make_lead(store, district_id="500157")
    specific = make_lead(store, district_id="500103")
    other_chain = make_lead(store, company_id="bosch", link_id="electronics.chip")
    assert general.owner_id == li.id and not general.in_pool
    assert specific.owner_id == wang.id
    assert other_chain.owner_id is None and other_chain.in_pool
    assert [n.kind for n in list_notifications(store, actor=li.actor()).items] == ["lead_assigned"]
