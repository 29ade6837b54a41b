"""A firm's presence ended from its company page: a small form for staff and admins only, the gap
re-opening from the day it left, refusals beside the fields, and a button to undo a mistake."""
from datetime import date

import pytest

from crm.library.companies import get_company
from scoring.gaps import analyse_gaps
from tests.factories import NOW, make_presence
from tests.pages.conftest import form_post

PAGE = "/companies/catl"
END = "/companies/catl/presence/500106/end"


@pytest.fixture
def catl(store):
    make_presence(store, "catl", "500106", since=date(2023, 1, 1))
    return store


def text(client, url=PAGE) -> str:
    r = client.get(url)
    assert r.status_code == 200
    return r.get_data(as_text=True)


@pytest.mark.parametrize("role, sees", [("staff", True), ("admin", True), ("chain_leader", False),
                                        ("district_officer", False), ("viewer", False)])
def test_the_form_shows_only_to_roles_that_may_end_a_presence(request, catl, role, sees):
    assert (END in text(request.getfixturevalue(role))) is sees


def test_staff_end_a_presence_and_the_page_keeps_it_as_history(staff, catl):
    r = form_post(staff, END, {"until": "2024-03-01", "reason": "relocation", "version": "1"}, PAGE)
    assert r.status_code == 302 and r.headers["Location"].endswith("/companies/catl#presence")
    page = text(staff)
    assert "迁出重庆" in page and "2024-03-01" in page and "/companies/catl/presence/500106/reopen" in page
    assert "尚未在渝落地" in page
    cell = next(g for g in analyse_gaps(catl, "nev", as_of=date(2024, 3, 1)) if g.link_id == "nev.cell")
    assert cell.action == "supplement"


@pytest.mark.parametrize("form, says", [({"until": "2030-01-01", "reason": "exit"}, "不能晚于今天"),
                                        ({"until": "2024-03-01", "reason": ""}, "请从列表中选择"),
                                        ({"until": "03/01/2024", "reason": "exit"}, "YYYY-MM-DD")])
def test_bad_input_is_refused_beside_the_fields_and_nothing_changes(staff, catl, form, says):
    r = form_post(staff, END, {**form, "version": "1"}, PAGE)
    assert r.status_code == 422 and says in r.get_data(as_text=True)
    assert get_company(catl, "catl", today=NOW.date()).local


def test_a_mistaken_end_is_reopened_from_the_page(staff, catl):
    form_post(staff, END, {"until": "2024-03-01", "reason": "exit", "version": "1"}, PAGE)
    r = form_post(staff, "/companies/catl/presence/500106/reopen", {"version": "2"}, PAGE)
    assert r.status_code == 302
    assert get_company(catl, "catl", today=NOW.date()).local


def test_readers_cannot_post_the_form(viewer, catl):
    assert form_post(viewer, END, {"until": "2024-03-01", "reason": "exit", "version": "1"}, PAGE).status_code == 403
