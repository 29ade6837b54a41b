"""Accounts and tokens through the API: admins manage users; everyone manages their own tokens."""


def test_an_admin_adds_a_district_officer(admin_client):
    r = admin_client.post("/api/v1/users", json={"username": "Li.Wei", "password": "long enough pw",
                                                 "role": "district_officer", "districts": ["500103"]})
    assert r.status_code == 201, r.json
    assert r.json["username"] == "li.wei" and r.json["districts"] == ["500103"] and "password" not in r.json


def test_a_district_officer_needs_a_district(admin_client):
    r = admin_client.post("/api/v1/users", json={"username": "x", "password": "long enough pw",
                                                 "role": "district_officer"})
    assert r.status_code == 422 and "districts" in r.json["errors"]["json"]


def test_a_short_password_is_refused_and_nobody_is_added(admin_client):
    r = admin_client.post("/api/v1/users", json={"username": "x", "password": "short", "role": "staff"})
    assert r.status_code == 422 and "password" in r.json["errors"]["json"]
    assert [u["username"] for u in admin_client.get("/api/v1/users").json] == ["admin"]


def test_a_duplicate_username_is_a_conflict(admin_client):
    assert admin_client.post("/api/v1/users", json={"username": "admin", "password": "long enough pw",
                                                    "role": "staff"}).status_code == 409


def test_staff_may_not_add_users_but_may_list_colleagues_without_emails(staff_client, admin_client):
    assert staff_client.post("/api/v1/users", json={"username": "x", "password": "long enough pw",
                                                    "role": "staff"}).status_code == 403
    listed = staff_client.get("/api/v1/users").json
    assert {u["username"] for u in listed} == {"admin", "staff"} and all(u["email"] is None for u in listed)


def test_an_admin_changes_a_role_with_if_match(admin_client, staff_client):
    url = f"/api/v1/users/{staff_client.user.id}"
    r = admin_client.patch(url, json={"role": "viewer"}, headers={"If-Match": '"v1"'})
    assert r.status_code == 200 and r.json["role"] == "viewer"
    assert staff_client.post("/api/v1/leads", json={"company_id": "catl", "link_id": "nev.cell"}).status_code == 403


def test_a_disabled_user_is_locked_out(admin_client, staff_client):
    admin_client.patch(f"/api/v1/users/{staff_client.user.id}", json={"active": False}, headers={"If-Match": '"v1"'})
    assert staff_client.get("/api/v1/leads").status_code == 401


def test_me_tells_who_i_am(viewer_client):
    assert viewer_client.get("/api/v1/me").json["role"] == "viewer"


def test_a_token_is_shown_once_works_and_can_be_revoked(app, staff_client):
    created = staff_client.post("/api/v1/tokens", json={"name": "script"})
    assert created.status_code == 201 and created.json["token"].startswith("cl_")
    from tests.api.conftest import ApiClient

    script = ApiClient(app, created.json["token"])
    assert script.get("/api/v1/me").status_code == 200
    assert "token" not in staff_client.get("/api/v1/tokens").json[-1]
    assert staff_client.delete(f"/api/v1/tokens/{created.json['id']}").status_code == 204
    assert script.get("/api/v1/me").status_code == 401


def test_tokens_are_stored_only_as_hashes(store, staff_client):
    plain = staff_client.post("/api/v1/tokens", json={"name": "x"}).json["token"]
    rows = store.read("MATCH (t:ApiToken) RETURN t.token_hash AS h")
    assert rows and all(plain not in (r["h"] or "") for r in rows)


def test_nobody_revokes_another_users_token(staff_client, viewer_client):
    token_id = staff_client.post("/api/v1/tokens", json={"name": "mine"}).json["id"]
    assert viewer_client.delete(f"/api/v1/tokens/{token_id}").status_code == 404
