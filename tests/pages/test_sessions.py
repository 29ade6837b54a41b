"""Sessions end on the server (issue 12, item 4): after logout a copied cookie no longer works; a
password change needs the current password and logs out the user's other sessions; disabling a
user or changing their role logs them out at once."""
import pytest

from crm.base.access import SYSTEM
from crm.people import users
from tests.factories import NOW, PASSWORD, make_user
from tests.pages.conftest import csrf_of, form_post, log_in


def logged_in(app, username):
    client = app.test_client()
    assert log_in(client, username).status_code == 302
    return client


def copy_of(app, client):
    """A second browser holding a copy of the first one's cookie (a stolen cookie)."""
    thief = app.test_client()
    cookie = client.get_cookie("session")
    thief.set_cookie(cookie.key, cookie.value, domain=cookie.domain or "localhost")
    return thief


def is_in(client) -> bool:
    return client.get("/").status_code == 200


@pytest.fixture
def lin(store):
    return make_user(store, "lin", "staff")


def test_a_copied_cookie_stops_working_at_logout(app, lin):
    browser = logged_in(app, "lin")
    thief = copy_of(app, browser)
    assert is_in(thief)
    form_post(browser, "/logout", {})
    assert not is_in(browser) and not is_in(thief)
    assert thief.get("/api/v1/leads").status_code == 401


def test_changing_one_s_password_needs_the_current_one_and_ends_the_other_sessions(app, store, lin):
    here, elsewhere = logged_in(app, "lin"), logged_in(app, "lin")
    token = csrf_of(here.get("/").get_data(as_text=True))
    wrong = here.post(f"/api/v1/users/{lin.id}/password", json={"password": "a brand new password",
                                                               "current_password": "not it"},
                      headers={"X-CSRFToken": token})
    assert wrong.status_code == 422 and "current_password" in wrong.json["errors"]["json"]
    missing = here.post(f"/api/v1/users/{lin.id}/password", json={"password": "a brand new password"},
                        headers={"X-CSRFToken": token})
    assert missing.status_code == 422 and is_in(elsewhere)
    ok = here.post(f"/api/v1/users/{lin.id}/password", json={"password": "a brand new password",
                                                            "current_password": PASSWORD},
                   headers={"X-CSRFToken": token})
    assert ok.status_code == 204
    assert is_in(here) and not is_in(elsewhere)
    assert log_in(app.test_client(), "lin", "a brand new password").status_code == 302


def test_an_admin_resets_someone_else_s_password_without_theirs_and_logs_them_out(app, store, lin):
    victim = logged_in(app, "lin")
    users.set_password(store, lin.id, "reset by the admin", actor=SYSTEM, now=NOW)
    assert not is_in(victim)


@pytest.mark.parametrize("change", [{"active": False}, {"role": "viewer"}])
def test_disabling_a_user_or_changing_their_role_logs_them_out_at_once(app, store, lin, change):
    browser = logged_in(app, "lin")
    users.update_user(store, lin.id, change, actor=SYSTEM, now=NOW, expected_version=None)
    assert not is_in(browser)


def test_a_profile_edit_keeps_the_session(app, store, lin):
    browser = logged_in(app, "lin")
    users.update_user(store, lin.id, {"display_name": "林"}, actor=SYSTEM, now=NOW, expected_version=None)
    assert is_in(browser)


def test_sessions_ended_or_lapsed_a_week_ago_are_deleted_and_live_ones_kept(store, lin):
    from datetime import timedelta

    from crm.people import sessions

    hour, week = timedelta(hours=1), sessions.KEPT_AFTER_END
    live = sessions.start(store, lin.id, now=NOW, lifetime=hour)
    lapsed = sessions.start(store, lin.id, now=NOW - week - 2 * hour, lifetime=hour)
    logged_out = sessions.start(store, lin.id, now=NOW - week - 2 * hour, lifetime=week * 4)
    sessions.end(store, logged_out, now=NOW - week - hour)
    recently_out = sessions.start(store, lin.id, now=NOW - 2 * hour, lifetime=hour * 8)
    sessions.end(store, recently_out, now=NOW - hour)
    assert sessions.prune(store, now=NOW) == 2 and sessions.prune(store, now=NOW) == 0
    assert store.read("MATCH (s:Session) RETURN count(s) AS n")[0]["n"] == 2
    assert sessions.live(store, lin.id, live, now=NOW) and not sessions.live(store, lin.id, lapsed, now=NOW)
