"""A firm's presence on its company page: the form to record that it left shows only to staff and admins,
an ended presence stays as history, and one ended by mistake is restored with a button."""
from datetime import date

import pytest

from crm.library.companies import get_company
from tests.factories import make_presence
from tests.pages.conftest import form_post

PAGE = "/companies/catl"
END = "/companies/catl/presence/500106/end"
RESTORE = "/companies/catl/presence/500106/restore"


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


def test_an_ended_presence_stays_as_history_and_a_mistake_is_restored(staff, viewer, catl):
    assert form_post(staff, END, {"until": "2024-03-01", "reason": "relocation"}, PAGE).status_code == 302
    page = text(staff)
    assert "迁出" in page and "2024-03-01" in page and RESTORE in page and END not in page
    assert RESTORE not in text(viewer)
    assert form_post(viewer, RESTORE, {}, PAGE).status_code == 403
    assert form_post(staff, RESTORE, {}, PAGE).status_code == 302
    assert get_company(catl, "catl").local and RESTORE not in text(staff)


def test_restoring_what_has_not_ended_is_refused_on_the_page(staff, catl):
    r = form_post(staff, RESTORE, {}, PAGE)
    assert r.status_code == 422 and "无需恢复" in r.get_data(as_text=True)


def test_each_presence_shows_its_source_escaped(viewer, store):
    make_presence(store, "catl", "500106", source="<b>CATL report</b> 2024")
    page = text(viewer)
    assert "&lt;b&gt;CATL report&lt;/b&gt; 2024" in page and "<b>CATL report</b>" not in page
