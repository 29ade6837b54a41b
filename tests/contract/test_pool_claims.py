"""Claiming a pool lead on both engines: of several claimants at once exactly one wins, the rest
are told who did; a stale lead returns once."""
import threading
from datetime import timedelta

from crm.pipeline import pool
from crm.errors import Conflict, DomainError
from crm.pipeline.leads import fetch
from tests.factories import NOW, make_lead, make_reference, make_user


def test_exactly_one_of_many_concurrent_claimants_wins(store):
    make_reference(store)
    lead = make_lead(store)
    people = [make_user(store, f"staff{i}", "staff") for i in range(6)]
    barrier, results = threading.Barrier(len(people)), {}

    def claim(user):
        barrier.wait()
        try:
            results[user.id] = pool.claim(store, lead.id, actor=user.actor(), now=NOW, expected_version=1)
        except DomainError as exc:
            results[user.id] = exc

    threads = [threading.Thread(target=claim, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [uid for uid, r in results.items() if not isinstance(r, DomainError)]
    assert len(winners) == 1
    assert fetch(store, lead.id).owner_id == winners[0]
    assert all(isinstance(r, Conflict) for uid, r in results.items() if uid != winners[0])


def test_a_stale_lead_returns_once(store):
    make_reference(store)
    owner = make_user(store, "li", "staff")
    lead = make_lead(store, owner_id=owner.id, now=NOW - timedelta(days=40))
    assert pool.return_stale_leads(store, now=NOW) == 1
    assert pool.return_stale_leads(store, now=NOW) == 0
    assert fetch(store, lead.id).in_pool
    assert store.read("MATCH (n:Notification)-[:NOTIFIES]->(:User {id: $u}) RETURN count(n) AS n",
                      {"u": owner.id})[0]["n"] == 1
