"""User administration (admins only) and personal API tokens (everyone)."""
import re

import pytest

from crm.people import users
from crm.base.access import SYSTEM
from tests.factories import NOW, make_user
from tests.pages.conftest import form_post, log_in


def html(client, url):
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)[:500]
    return r.get_data(as_text=True)


@pytest.mark.parametrize("role", ["staff", "chain_leader", "district_officer", "viewer"])
def test_only_admins_manage_users(request, role):
    client = request.getfixturevalue(role)
    assert client.get("/users").status_code == 403
    assert client.get("/users/new").status_code == 403
    assert "/users" not in re.findall(r'<nav class="nav">(.*?)</nav>', html(client, "/"), re.S)[0]


def test_an_admin_lists_users_with_their_roles_and_scopes(admin, district_officer):
    page = html(admin, "/users")
    assert "district_officer" in page and "区县招商干部" in page and "两江新区" in page


def test_adding_a_user_validates_every_field_and_writes_nothing_on_bad_input(admin, store):
    r = form_post(admin, "/users/new", {"username": "zhao", "password": "short", "role": "district_officer"})
    body = r.get_data(as_text=True)
    assert r.status_code == 422 and "至少 8 个字符" in body and "区县招商干部须指定所属区县" in body
    assert users.find_by_username(store, "zhao") is None
    r = form_post(admin, "/users/new", {"username": "zhao", "password": "long enough pw", "role": "district_officer",
                                        "districts": "500157", "display_name": "赵敏"})
    assert r.status_code == 302
    made = users.find_by_username(store, "zhao")
    assert made.districts == ["500157"] and made.display_name == "赵敏"
    r = form_post(admin, "/users/new", {"username": "zhao", "password": "long enough pw", "role": "staff"})
    assert r.status_code == 422 and "用户名 zhao 已被使用" in r.get_data(as_text=True)


def test_editing_a_role_and_scope_is_version_checked(admin, store):
    person = make_user(store, "qian", "staff")
    users.update_user(store, person.id, {"display_name": "钱进"}, actor=SYSTEM, now=NOW,
                      expected_version=person.version)
    stale = {"version": person.version, "role": "chain_leader", "chains": "nev", "locale": "zh", "active": "1"}
    r = form_post(admin, f"/users/{person.id}/edit", stale)
    assert r.status_code == 422 and "他人已修改此记录" in r.get_data(as_text=True)
    assert users.get_user(store, person.id).role == "staff"
    r = form_post(admin, f"/users/{person.id}/edit", {**stale, "version": person.version + 1})
    assert r.status_code == 302
    changed = users.get_user(store, person.id)
    assert changed.role == "chain_leader" and changed.chains == ["nev"]


def test_a_new_password_must_be_long_enough_and_saves_nothing_otherwise(admin, store, app):
    person = make_user(store, "sun", "staff")
    data = {"version": person.version, "role": "staff", "locale": "zh", "active": "1", "display_name": "孙",
            "password": "short"}
    r = form_post(admin, f"/users/{person.id}/edit", data)
    assert r.status_code == 422 and "至少 8 个字符" in r.get_data(as_text=True)
    assert users.get_user(store, person.id).display_name != "孙"
    assert form_post(admin, f"/users/{person.id}/edit", {**data, "password": "a brand new one"}).status_code == 302
    assert log_in(app.test_client(), "sun", "a brand new one").status_code == 302


def test_a_disabled_user_cannot_log_in(admin, store, app):
    person = make_user(store, "li", "staff")
    r = form_post(admin, f"/users/{person.id}/active", {"version": person.version}, "/users")
    assert r.status_code == 302 and not users.get_user(store, person.id).active
    assert log_in(app.test_client(), "li").status_code == 401
    form_post(admin, f"/users/{person.id}/active", {"version": person.version + 1, "active": "1"}, "/users")
    assert users.get_user(store, person.id).active


def test_a_token_is_shown_once_works_and_can_be_revoked(viewer, app):
    r = form_post(viewer, "/account/tokens", {"name": ""})
    assert r.status_code == 422 and "1 至 100 个字符" in r.get_data(as_text=True)
    r = form_post(viewer, "/account/tokens", {"name": "周报脚本"})
    assert r.status_code == 201 and r.headers["Cache-Control"] == "no-store"
    token = re.search(r'id="new-token">(cl_[^<]+)<', r.get_data(as_text=True)).group(1)
    api = app.test_client()
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json["username"] == "viewer"
    page = html(viewer, "/account/tokens")
    assert "周报脚本" in page and token not in page and "<th>令牌名称</th>" in page
    revoke = re.search(r'action="(/account/tokens/[^"]+/revoke)"', page).group(1)
    assert form_post(viewer, revoke, {}).status_code == 302
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_nobody_revokes_someone_elses_token(staff, viewer, store):
    _, token = users.create_token(store, staff.user.id, "staff's", actor=SYSTEM, now=NOW)
    assert form_post(viewer, f"/account/tokens/{token.id}/revoke", {}).status_code == 404
