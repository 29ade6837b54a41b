"""Repeated wrong passwords lock the account, and the lock message never tells whether it exists."""
from datetime import timedelta

from tests.factories import NOW, PASSWORD, make_user
from tests.pages.conftest import log_in

LOCKED = "请 15 分钟后再试"


def fail(client, username, times):
    return [log_in(client, username, "wrong password") for _ in range(times)]


def test_it_locks_an_account_after_five_wrong_passwords_even_for_the_right_one(app, store):
    make_user(store, "lin", "staff")
    client = app.test_client()
    answers = fail(client, "lin", 5)
    assert [r.status_code for r in answers] == [401, 401, 401, 401, 429]
    assert LOCKED in answers[-1].get_data(as_text=True)
    right = log_in(client, "lin", PASSWORD)
    assert right.status_code == 429 and LOCKED in right.get_data(as_text=True)
    assert 0 < int(right.headers["Retry-After"]) <= 15 * 60, "the lock's remaining seconds"
    audit = store.read("MATCH (a:AuditEntry) WHERE a.action = 'lockout' RETURN a.record_label AS label")
    assert audit == [{"label": "User"}]


def test_an_unknown_username_gets_the_same_answers_as_a_real_one(app, store):
    make_user(store, "lin", "staff")
    real = [(r.status_code, r.get_data(as_text=True)) for r in fail(app.test_client(), "lin", 6)]
    ghost = [(r.status_code, r.get_data(as_text=True)) for r in fail(app.test_client(), "nobody", 6)]
    assert [status for status, _ in ghost] == [status for status, _ in real] == [401] * 4 + [429] * 2
    assert [LOCKED in body for _, body in ghost] == [LOCKED in body for _, body in real]


def test_the_lock_ends_after_the_lockout_and_a_success_resets_the_count(app, store):
    make_user(store, "lin", "staff")
    client = app.test_client()
    fail(client, "lin", 5)
    later = NOW + timedelta(minutes=16)
    app.config["CLOCK"] = lambda: later
    assert log_in(client, "lin", PASSWORD).status_code == 302
    user = store.read("MATCH (u:User {username: 'lin'}) RETURN u.failed_logins AS n, u.last_login_at AS at")[0]
    assert user == {"n": 0, "at": later}
    assert [r.status_code for r in fail(app.test_client(), "lin", 4)] == [401] * 4, "counting starts afresh"


def test_the_minutes_left_are_counted_down(app, store):
    make_user(store, "lin", "staff")
    client = app.test_client()
    fail(client, "lin", 5)
    app.config["CLOCK"] = lambda: NOW + timedelta(minutes=11)
    assert "请 4 分钟后再试" in log_in(client, "lin", PASSWORD).get_data(as_text=True)


def test_one_address_failing_across_many_names_is_held_back(app, store):
    app.extensions["chainlead.throttle"].address_limit = 8
    make_user(store, "lin", "staff")
    client = app.test_client()
    answers = [log_in(client, f"guess{i}", "wrong password") for i in range(8)]
    assert [r.status_code for r in answers] == [401] * 7 + [429]
    assert log_in(client, "lin", PASSWORD).status_code == 429


def test_another_address_is_not_held_back(app, store):
    app.extensions["chainlead.throttle"].address_limit = 3
    make_user(store, "lin", "staff")
    noisy = app.test_client()
    noisy.environ_base["REMOTE_ADDR"] = "10.0.0.66"
    assert [log_in(noisy, f"guess{i}", "x").status_code for i in range(3)] == [401, 401, 429]
    assert log_in(app.test_client(), "lin", PASSWORD).status_code == 302
