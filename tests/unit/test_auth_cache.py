"""Recently seen actors are remembered briefly, and forgotten the moment a user or token changes."""
from crm.access import Actor
from crm.auth_cache import RecentActors

ALICE = Actor(id="u1", username="alice", role="staff")


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_it_loads_once_within_the_ttl():
    clock, loads = Clock(), []
    cache = RecentActors(ttl=10, clock=clock)
    load = lambda: loads.append(1) or ALICE  # noqa: E731
    assert cache.get_or_load("k", load) is ALICE
    clock.now = 9.9
    assert cache.get_or_load("k", load) is ALICE
    assert len(loads) == 1


def test_it_loads_again_after_the_ttl():
    clock, loads = Clock(), []
    cache = RecentActors(ttl=10, clock=clock)
    cache.get_or_load("k", lambda: loads.append(1) or ALICE)
    clock.now = 10.1
    cache.get_or_load("k", lambda: loads.append(1) or None)
    assert len(loads) == 2


def test_forgetting_drops_everything_at_once():
    cache = RecentActors(ttl=10, clock=Clock())
    cache.get_or_load("k", lambda: ALICE)
    cache.forget()
    assert cache.get_or_load("k", lambda: None) is None
