"""The contacts API: people at companies, read by everyone, kept by staff, versioned."""
import json

from tests.factories import make_contact

NEW = {"company_id": "catl", "name": "张伟", "title": "海外投资总监", "email": "zhang.wei@catl.example",
       "phone": "+86 592 1234567"}


def total(response) -> int:
    return json.loads(response.headers["X-Pagination"])["total"]


def names(response) -> list[str]:
    return [c["name"] for c in response.json]


def test_it_adds_a_contact_at_a_company(staff_client):
    r = staff_client.post("/api/v1/contacts", json=NEW)
    assert r.status_code == 201, r.json
    assert r.json["company_name_zh"] == "宁德时代" and r.json["email"] == "zhang.wei@catl.example"
    assert r.headers["ETag"] == '"v1"' and r.headers["Location"].endswith(r.json["id"])
    assert staff_client.get(f"/api/v1/contacts/{r.json['id']}").json["name"] == "张伟"


def test_it_refuses_a_bad_email_and_writes_nothing(staff_client):
    r = staff_client.post("/api/v1/contacts", json=NEW | {"email": "not-an-address", "phone": "call me"})
    assert r.status_code == 422 and {"email", "phone"} <= set(r.json["errors"]["json"])
    assert staff_client.get("/api/v1/contacts").json == []


def test_it_needs_a_name_and_a_real_company(staff_client):
    r = staff_client.post("/api/v1/contacts", json={"company_id": "catl", "name": ""})
    assert r.status_code == 422 and "name" in r.json["errors"]["json"]
    r = staff_client.post("/api/v1/contacts", json=NEW | {"company_id": "ghost"})
    assert r.status_code == 422 and "no Company with id 'ghost'" in r.json["errors"]["json"]["company_id"][0]
    assert staff_client.get("/api/v1/contacts").json == []


def test_it_lists_by_company_and_searches_in_chinese_and_english(staff_client, store):
    make_contact(store)
    make_contact(store, company_id="catl", name="李娜", title="副总裁", email=None)
    make_contact(store, company_id="catl", name="王强", title="Investment manager", email=None)
    assert sorted(names(staff_client.get("/api/v1/contacts?company=catl"))) == ["李娜", "王强"]
    assert names(staff_client.get("/api/v1/contacts?q=博世")) == ["Anna Schmidt"]
    assert names(staff_client.get("/api/v1/contacts?q=ANNA")) == ["Anna Schmidt"]
    assert names(staff_client.get("/api/v1/contacts?q=investment")) == ["王强"]
    assert sorted(names(staff_client.get("/api/v1/contacts?q=宁德"))) == ["李娜", "王强"]


def test_it_pages_and_sorts(staff_client, store):
    for name in ("C", "A", "B"):
        make_contact(store, name=name)
    first = staff_client.get("/api/v1/contacts?sort=name&page_size=2")
    assert names(first) == ["A", "B"] and total(first) == 3
    assert names(staff_client.get("/api/v1/contacts?sort=-name&page_size=1&page=3")) == ["A"]
    assert staff_client.get("/api/v1/contacts?sort=shoe_size").status_code == 422


def test_it_moves_a_contact_to_another_company(staff_client, store):
    contact = make_contact(store)
    r = staff_client.patch(f"/api/v1/contacts/{contact.id}", json={"company_id": "infineon", "title": "CEO"},
                           headers={"If-Match": '"v1"'})
    assert r.status_code == 200 and r.json["company_name_en"] == "Infineon" and r.json["title"] == "CEO"


def test_it_requires_if_match_to_edit(staff_client, store):
    contact = make_contact(store)
    assert staff_client.patch(f"/api/v1/contacts/{contact.id}", json={"title": "CEO"}).status_code == 428


def test_a_stale_edit_gets_412_and_changes_nothing(staff_client, store):
    contact = make_contact(store)
    url = f"/api/v1/contacts/{contact.id}"
    assert staff_client.patch(url, json={"title": "CFO"}, headers={"If-Match": '"v1"'}).status_code == 200
    assert staff_client.patch(url, json={"title": "CTO"}, headers={"If-Match": '"v1"'}).status_code == 412
    assert staff_client.get(url).json["title"] == "CFO"


def test_a_bad_edit_is_a_422_and_changes_nothing(staff_client, store):
    contact = make_contact(store)
    url = f"/api/v1/contacts/{contact.id}"
    r = staff_client.patch(url, json={"email": "nope", "name": ""}, headers={"If-Match": '"v1"'})
    assert r.status_code == 422 and {"email", "name"} <= set(r.json["errors"]["json"])
    after = staff_client.get(url)
    assert after.json["email"] == "anna@bosch.example" and after.headers["ETag"] == '"v1"'


def test_archiving_takes_a_contact_out_of_the_list(staff_client, store):
    contact = make_contact(store)
    r = staff_client.patch(f"/api/v1/contacts/{contact.id}", json={"archived": True}, headers={"If-Match": '"v1"'})
    assert r.status_code == 200
    assert staff_client.get("/api/v1/contacts").json == []
    assert names(staff_client.get("/api/v1/contacts?archived=true")) == ["Anna Schmidt"]


def test_an_unknown_contact_is_a_404(staff_client):
    assert staff_client.get("/api/v1/contacts/contact-ghost").status_code == 404


def test_it_needs_a_login(anonymous_client):
    assert anonymous_client.get("/api/v1/contacts").status_code == 401


def test_every_role_reads_contacts(store, viewer_client, chain_leader_client, district_officer_client):
    contact = make_contact(store)
    for client in (viewer_client, chain_leader_client, district_officer_client):
        assert names(client.get("/api/v1/contacts")) == ["Anna Schmidt"]
        assert client.get(f"/api/v1/contacts/{contact.id}").status_code == 200


def test_only_staff_and_admins_keep_contacts(store, admin_client, viewer_client, chain_leader_client,
                                             district_officer_client):
    contact = make_contact(store)
    for client in (viewer_client, chain_leader_client, district_officer_client):
        assert client.post("/api/v1/contacts", json=NEW).status_code == 403
        assert client.patch(f"/api/v1/contacts/{contact.id}", json={"title": "x"},
                            headers={"If-Match": '"v1"'}).status_code == 403
    assert admin_client.post("/api/v1/contacts", json=NEW).status_code == 201
