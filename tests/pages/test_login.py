"""Logging in: the only page open to strangers; Chinese first, English one click away."""
import pytest

from tests.pages.conftest import csrf_of, log_in
from tests.factories import make_user


def test_a_stranger_is_sent_to_the_login_page(app):
    r = app.test_client().get("/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_the_login_page_speaks_chinese_by_default(app):
    html = app.test_client().get("/login").get_data(as_text=True)
    assert "用户名" in html and "登录" in html


def test_it_logs_in_and_goes_where_the_user_was_heading(app, store):
    make_user(store, "lin", "staff")
    client = app.test_client()
    client.get("/login?next=/api/v1/me")
    r = client.post("/login?next=/api/v1/me", data={"username": "lin", "password": "correct horse battery",
                                                    "csrf_token": csrf_of(client.get("/login").get_data(as_text=True))})
    assert r.status_code == 302 and r.headers["Location"].endswith("/api/v1/me")
    assert client.get("/api/v1/me").json["username"] == "lin"


def test_it_never_redirects_to_another_site(app, store):
    make_user(store, "lin", "staff")
    client = app.test_client()
    token = csrf_of(client.get("/login").get_data(as_text=True))
    r = client.post("/login?next=//evil.example/x", data={"username": "lin", "password": "correct horse battery",
                                                          "csrf_token": token})
    assert r.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/leads%0d%0aSet-Cookie:%20x=1", "/leads%0a", "/%5C%5Cevil.example", "/a%00b"])
def test_a_next_with_a_line_break_or_control_character_goes_home_instead_of_failing(app, store, target):
    make_user(store, "lin", "staff")
    client = app.test_client()
    token = csrf_of(client.get(f"/login?next={target}").get_data(as_text=True))
    r = client.post(f"/login?next={target}", data={"username": "lin", "password": "correct horse battery",
                                                    "csrf_token": token})
    assert r.status_code == 302 and r.headers["Location"] == "/"
    assert client.get(f"/lang/en?next={target}").status_code == 302


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(app, store):
    make_user(store, "lin", "staff")
    r = log_in(app.test_client(), "lin", "wrong password")
    assert r.status_code == 401 and "用户名或密码错误" in r.get_data(as_text=True)


def test_a_form_without_its_csrf_token_is_refused(app, store):
    make_user(store, "lin", "staff")
    r = app.test_client().post("/login", data={"username": "lin", "password": "correct horse battery"})
    assert r.status_code == 400


def test_switching_to_english_sticks_for_the_session(staff):
    staff.get("/lang/en?next=/")
    assert "Log out" in staff.get("/").get_data(as_text=True)


def test_logging_out_ends_the_session(staff):
    token = csrf_of(staff.get("/").get_data(as_text=True))
    staff.post("/logout", data={"csrf_token": token})
    assert staff.get("/").status_code == 302


def test_session_writes_to_the_api_need_the_csrf_header(staff):
    body = {"company_id": "catl", "link_id": "nev.cell"}
    assert staff.post("/api/v1/leads", json=body).status_code == 400
    token = csrf_of(staff.get("/").get_data(as_text=True))
    assert staff.post("/api/v1/leads", json=body, headers={"X-CSRFToken": token}).status_code == 201
