"""What the store said is remembered briefly, and forgotten the moment a change is committed."""
from crm.base.access import Actor
from crm.base.memo import Recent

ALICE = Actor(id="u1", username="alice", role="staff")


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_it_loads_once_within_the_ttl():
    clock, loads = Clock(), []
    cache = Recent(ttl=10, clock=clock)
    load = lambda: loads.append(1) or ALICE  # noqa: E731
    assert cache.get_or_load("k", load) is ALICE
    clock.now = 9.9
    assert cache.get_or_load("k", load) is ALICE
    assert len(loads) == 1


def test_it_loads_again_after_the_ttl():
    clock, loads = Clock(), []
    cache = Recent(ttl=10, clock=clock)
    cache.get_or_load("k", lambda: loads.append(1) or ALICE)
    clock.now = 10.1
    cache.get_or_load("k", lambda: loads.append(1) or None)
    assert len(loads) == 2


def test_forgetting_drops_everything_at_once():
    cache = Recent(ttl=10, clock=Clock())
    cache.get_or_load("k", lambda: ALICE)
    cache.forget()
    assert cache.get_or_load("k", lambda: None) is None


def test_it_loads_only_the_keys_it_does_not_remember_in_one_call():
    calls = []
    cache = Recent(ttl=10, clock=Clock())

    def load(keys):
        calls.append(keys)
        return {k: k.upper() for k in keys if k != "gone"}

    assert cache.get_many(["a", "b"], load) == {"a": "A", "b": "B"}
    assert cache.get_many(["a", "c", "gone"], load) == {"a": "A", "c": "C"}
    assert calls == [["a", "b"], ["c", "gone"]]


def test_a_load_overtaken_by_a_change_is_not_remembered():
    cache = Recent(ttl=10, clock=Clock())

    def load_then_change(keys):
        cache.forget()  # a change committed while the old value was being read
        return {k: "old" for k in keys}

    assert cache.get_many(["k"], load_then_change) == {"k": "old"}
    assert cache.get_or_load("k", lambda: "new") == "new"


def test_a_lead_shows_its_company_s_and_owner_s_new_names_at_once(embedded_store):
    from crm.base.access import SYSTEM
    from crm.library.company_edits import update_company
    from crm.pipeline.leads import get_lead
    from crm.people.users import update_user
    from tests.factories import NOW, make_lead, make_reference, make_user

    make_reference(embedded_store)
    owner = make_user(embedded_store, "li", "staff", display_name="李明")
    lead = make_lead(embedded_store, owner_id=owner.id)
    assert get_lead(embedded_store, lead.id, actor=SYSTEM).company_name_en != "CATL Renamed"  # now remembered
    update_company(embedded_store, lead.company_id, {"name_en": "CATL Renamed"}, actor=SYSTEM, now=NOW,
                   expected_version=None)
    assert get_lead(embedded_store, lead.id, actor=SYSTEM).company_name_en == "CATL Renamed"
    update_user(embedded_store, owner.id, {"display_name": "李明明"}, actor=SYSTEM, now=NOW, expected_version=None)
    assert get_lead(embedded_store, lead.id, actor=SYSTEM).owner_name == "李明明"
