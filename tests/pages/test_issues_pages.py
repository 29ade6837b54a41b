"""The firm-issues page (issue 16; 任务 15 三送一访): every issue the reader may see, filtered by
status, district, owner, and those open past policy's limit, each linking to its project."""
from datetime import timedelta

from crm.base.access import SYSTEM
from crm.projects import firm_issues
from tests.factories import NOW


def html(client, url):
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return r.get_data(as_text=True)


def test_staff_see_every_issue_linked_to_its_project(staff, world):
    page = html(staff, "/issues")
    assert "夏季限电影响生产" in page and "渝中用工短缺" in page
    assert f'href="/projects/{world.proj_lj.id}#issues"' in page


def test_a_district_officer_sees_only_their_district_s_issues(district_officer, world):
    page = html(district_officer, "/issues")
    assert "夏季限电影响生产" in page and "渝中用工短缺" not in page


def test_issues_filter_by_status_and_those_open_too_long(staff, world, store):
    issue = firm_issues.list_issues(store, firm_issues.IssueQuery(q="渝中"), actor=SYSTEM).items[0]
    firm_issues.update_issue(store, issue.id, {"status": "in_progress"}, actor=SYSTEM, now=NOW, expected_version=None)
    assert "渝中用工短缺" in html(staff, "/issues?status=in_progress")
    assert "夏季限电影响生产" not in html(staff, "/issues?status=in_progress")
    assert "夏季限电影响生产" not in html(staff, "/issues?overdue=1"), "opened today: not overdue"
    store.write("MATCH (i:Issue) SET i.opened_on = $old", {"old": (NOW - timedelta(days=40)).date()})
    late = html(staff, "/issues?overdue=1")
    assert "夏季限电影响生产" in late and "久拖未决" in late and "已逾期" in late


def test_a_bad_filter_is_dropped_and_said_not_an_error(staff, world):
    page = html(staff, "/issues?status=sleeping")
    assert "夏季限电影响生产" in page
