"""Assignment rules in the pages (issue 16, item 13): staff and admins list, add, edit and archive
the rules that place new leads, with messages beside the fields; others may not."""
from crm.base.access import SYSTEM
from crm.pipeline import assignment
from tests.factories import NOW
from tests.pages.conftest import form_post


def html(client, url, status=200):
    r = client.get(url)
    assert r.status_code == status, r.get_data(as_text=True)[:300]
    return r.get_data(as_text=True)


def rules(store, archived=False):
    return assignment.list_rules(store, actor=SYSTEM, archived=archived).items


def test_staff_add_a_rule_that_then_places_leads(staff, store):
    assert 'href="/assignment-rules"' in html(staff, "/")
    r = form_post(staff, "/assignment-rules/new", {"user_id": staff.user.id, "chain_id": "nev",
                                                   "district_id": "500157", "position": "5", "note": "两江新能源"},
                  "/assignment-rules/new")
    assert r.status_code == 302
    [rule] = rules(store)
    assert (rule.user_id, rule.chain_id, rule.district_id, rule.position) == (staff.user.id, "nev", "500157", 5)
    page = html(staff, "/assignment-rules")
    assert "分配规则" in page and "两江新能源" in page and f'href="/assignment-rules/{rule.id}/edit"' in page


def test_a_rule_without_chain_or_district_or_person_is_refused_beside_the_fields(staff, store):
    r = form_post(staff, "/assignment-rules/new", {"position": "-3"}, "/assignment-rules/new")
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and page.count('class="field-error"') >= 2
    assert rules(store) == []


def test_a_position_that_is_not_a_number_is_refused(staff, store):
    r = form_post(staff, "/assignment-rules/new", {"user_id": staff.user.id, "chain_id": "nev", "position": "first"},
                  "/assignment-rules/new")
    assert r.status_code == 422 and "整数" in r.get_data(as_text=True) and rules(store) == []


def test_an_unknown_chain_is_refused(staff, store):
    r = form_post(staff, "/assignment-rules/new", {"user_id": staff.user.id, "chain_id": "spaceships"},
                  "/assignment-rules/new")
    assert r.status_code == 422 and rules(store) == []


def test_editing_and_archiving_a_rule_in_english(admin, staff, store):
    rule = assignment.create_rule(store, {"user_id": staff.user.id, "chain_id": "nev"}, actor=SYSTEM, now=NOW)
    admin.get("/lang/en?next=/assignment-rules")
    form = html(admin, f"/assignment-rules/{rule.id}/edit")
    assert "Edit rule" in form and "Archived" in form
    r = form_post(admin, f"/assignment-rules/{rule.id}/edit",
                  {"user_id": staff.user.id, "district_id": "500103", "position": "7", "archived": "1",
                   "version": str(rule.version)}, f"/assignment-rules/{rule.id}/edit")
    assert r.status_code == 302
    assert rules(store) == [] and rules(store, archived=True)[0].district_id == "500103"
    assert "Show active rules" in html(admin, "/assignment-rules?archived=1")


def test_a_stale_edit_is_refused_and_saves_nothing(staff, store):
    rule = assignment.create_rule(store, {"user_id": staff.user.id, "chain_id": "nev"}, actor=SYSTEM, now=NOW)
    assignment.update_rule(store, rule.id, {"position": 9}, actor=SYSTEM, now=NOW, expected_version=rule.version)
    r = form_post(staff, f"/assignment-rules/{rule.id}/edit",
                  {"user_id": staff.user.id, "chain_id": "nev", "position": "1", "version": str(rule.version)},
                  f"/assignment-rules/{rule.id}/edit")
    assert r.status_code == 422 and rules(store)[0].position == 9


def test_viewers_and_chain_leaders_may_not_manage_rules(viewer, chain_leader, staff):
    for client in (viewer, chain_leader):
        assert 'href="/assignment-rules"' not in html(client, "/")
        html(client, "/assignment-rules", status=403)
        html(client, "/assignment-rules/new", status=403)
        r = form_post(client, "/assignment-rules/new", {"user_id": staff.user.id, "chain_id": "nev"})
        assert r.status_code == 403
