"""The data steward's API: each fact of one kind with its sources, date and flags, paged, for staff and admins;
a kind or flag it does not know is a 422 naming the field."""
import json
from datetime import date

from tests.factories import make_presence


def test_facts_come_with_their_sources_day_and_flags_undated_first(staff_client, store):
    make_presence(store, "catl", "500106", source="seed: CATL report", sources=["seed: CATL report"],
                  source_date=date(2024, 11, 8))
    r = staff_client.get("/api/v1/sources?kind=presence")
    assert r.status_code == 200 and json.loads(r.headers["X-Pagination"])["total"] == 2
    changan, catl = r.json
    assert (changan["company_id"], changan["sources"], changan["flags"]) == ("changan", [], ["unsourced", "undated"])
    assert (catl["target_id"], catl["sources"], catl["source_date"], catl["flags"]) == (
        "500106", ["seed: CATL report"], "2024-11-08", [])


def test_ranks_without_a_list_are_listed_as_unsourced(admin_client):
    r = admin_client.get("/api/v1/sources?kind=rank&flag=unsourced")
    assert r.status_code == 200
    assert [(f["company_id"], f["fg500_rank"]) for f in r.json] == [("bosch", 110), ("catl", 292)]


def test_an_unknown_kind_or_flag_is_refused_by_name(staff_client):
    r = staff_client.get("/api/v1/sources?kind=contacts&flag=stale")
    assert r.status_code == 422 and {"kind", "flag"} <= set(r.json["errors"]["query"])


def test_roles_that_do_not_keep_the_library_are_refused(viewer_client):
    assert viewer_client.get("/api/v1/sources").status_code == 403
