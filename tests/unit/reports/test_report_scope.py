"""What a reader sees of a stored report (crm/reports/scope.py): the same function for every format,
over the stored figures alone. Rows naming a project, lead or person are kept only where the
reader may open that record by the app's rules (crm/base/access.py); a row whose scope the stored
figures do not tell (a report stored before they did) is withheld from a scoped reader, never shown.
"""
import copy
from datetime import date

import pytest

from crm.base.access import SYSTEM, Actor
from crm.projects import lifecycle
from crm.reports import Week, build, render_html
from crm.reports.outlook import Scoring
from crm.reports.scope import for_reader
from tests.factories import NOW, make_inflow, make_lead, make_project, make_reference
from web.reports import words

OFFICER = Actor("u-officer", "officer", "district_officer", districts=("500103",))
LEADER = Actor("u-leader", "leader", "chain_leader", chains=("electronics",))
EVERYONE = [Actor("u-admin", "admin", "admin"), Actor("u-staff", "staff", "staff"), Actor("u-viewer", "viewer", "viewer")]


def stored(**changes):
    """A stored report's figures as generated now, with one row on each side of the officer's district."""
    ours = {"district_id": "500103", "chain_id": "electronics"}
    theirs = {"district_id": "500157", "chain_id": "nev"}
    figures = {
        "week": "2026-W46", "pipeline": {
            "drops": [{"lead_id": "l-ours", "title": "OURS", **ours}, {"lead_id": "l-theirs", "title": "THEIRS", **theirs}],
            "signings": [{"project_id": "p-ours", "name": "OURS", **ours},
                         {"project_id": "p-theirs", "name": "THEIRS", **theirs}],
            "drops_total": 2, "signings_total": 2, "by_district": [{"id": "500103", "name_zh": "渝中区"}]},
        "chains": {"closed": [
            {"link_id": "electronics.chip", "how": "signing", "by": "OURS", **ours},
            {"link_id": "nev.cell", "how": "signing", "by": "THEIRS", **theirs},
            {"link_id": "nev.vehicle", "chain_id": "nev", "how": "presence", "by": "长安汽车", "district_id": None}],
            "chains": [{"id": "nev", "name_zh": "智能网联新能源汽车", "candidates": [
                {"company_id": "catl", "lead_id": "l-theirs", "lead_stage": "visited", "lead_district_id": "500157",
                 "lead_mention_zh": "已有线索（已拜访）", "lead_mention_en": "existing lead (visited)",
                 "reason_zh": "补链：本地无电芯企业；已有线索（已拜访）；建议落地两江新区",
                 "reason_en": "Supplement: no local maker; existing lead (visited); proposed landing: Liangjiang",
                 "chain_id": "nev"},
                {"company_id": "semcorp", "lead_id": "l-ours", "lead_stage": "contacted", "lead_district_id": "500103",
                 "lead_mention_zh": "已有线索（已接洽）", "lead_mention_en": "existing lead (contacted)",
                 "reason_zh": "固链；已有线索（已接洽）", "reason_en": "Stabilise; existing lead (contacted)",
                 "chain_id": "nev"}]}]},
        "districts": {"ranking": [{"district_id": "500103", "name_zh": "渝中区", "name_en": "Yuzhong"}]},
        "people": {"owners": [{"owner_id": "u-officer", "name": "officer"}, {"owner_id": "u-staff", "name": "li"}],
                   "done": {"value": 3, "previous": 1}},
        "events": {"upcoming": [{"id": "e-next", "owner_name": "li"}],
                   "past": [{"event_id": "e-fair", "name_zh": "投洽会", "meetings": 2, "leads_met": 2,
                             "leads_sourced": 3, "signings": 1, "contracted_fdi_usd": 10}],
                   "leads_sourced": 3},
        "incentives": {"projects": [{"project_id": "p-ours", "name": "OURS", "total_rmb": 1.0, **ours},
                                    {"project_id": "p-theirs", "name": "THEIRS", "total_rmb": 2.0, **theirs}],
                       "total_rmb": {"value": 3.0, "previous": 0.0}},
    }
    for path, value in changes.items():
        section, key = path.split(".")
        figures[section][key] = value
    return figures


@pytest.mark.parametrize("reader", EVERYONE, ids=lambda a: a.role)
def test_admins_staff_and_viewers_get_the_stored_figures_as_they_are(reader):
    assert for_reader(stored(), reader) == stored()


def test_a_district_officer_keeps_totals_and_their_district_s_rows():
    figures = stored()
    seen = for_reader(figures, OFFICER)
    assert figures == stored()   # the stored figures are never changed for a reader
    assert [d["lead_id"] for d in seen["pipeline"]["drops"]] == ["l-ours"]
    assert [s["project_id"] for s in seen["pipeline"]["signings"]] == ["p-ours"]
    assert [p["project_id"] for p in seen["incentives"]["projects"]] == ["p-ours"]
    assert (seen["pipeline"]["drops_total"], seen["incentives"]["total_rmb"]) == (2, {"value": 3.0, "previous": 0.0})
    assert [o["owner_id"] for o in seen["people"]["owners"]] == ["u-officer"]
    assert seen["people"]["done"] == {"value": 3, "previous": 1}
    assert seen["reader"] == {"role": "district_officer", "districts": ["500103"], "chains": []}


def test_a_chain_leader_keeps_their_chains_rows():
    seen = for_reader(stored(), LEADER)
    assert [d["lead_id"] for d in seen["pipeline"]["drops"]] == ["l-ours"]
    assert [p["project_id"] for p in seen["incentives"]["projects"]] == ["p-ours"]
    assert seen["people"]["owners"] == []
    assert seen["reader"] == {"role": "chain_leader", "districts": [], "chains": ["electronics"]}


def test_a_gap_closed_by_a_signing_out_of_scope_keeps_its_link_but_not_the_project():
    closed = for_reader(stored(), OFFICER)["chains"]["closed"]
    assert [(c["link_id"], c["by"]) for c in closed] == [
        ("electronics.chip", "OURS"), ("nev.cell", None), ("nev.vehicle", "长安汽车")]   # a firm's presence is public


def test_a_candidate_loses_a_lead_its_reader_may_not_open_and_the_mention_of_it():
    theirs, ours = for_reader(stored(), OFFICER)["chains"]["chains"][0]["candidates"]
    assert (theirs["company_id"], theirs["lead_id"], theirs["lead_stage"]) == ("catl", None, None)
    assert theirs["reason_zh"] == "补链：本地无电芯企业；建议落地两江新区"
    assert theirs["reason_en"] == "Supplement: no local maker; proposed landing: Liangjiang"
    assert (ours["lead_id"], ours["reason_zh"]) == ("l-ours", "固链；已有线索（已接洽）")


def test_events_stay_but_their_per_event_figures_do_not():
    events = for_reader(stored(), OFFICER)["events"]
    assert events["upcoming"] == stored()["events"]["upcoming"]   # the calendar: every role reads it
    assert [(e["event_id"], e["leads_sourced"], e["signings"], e["contracted_fdi_usd"], e["meetings"])
            for e in events["past"]] == [("e-fair", None, None, None, None)]
    assert events["leads_sourced"] == 3


def test_rows_of_a_report_stored_before_it_told_their_scope_are_withheld():
    old = stored()
    for row in old["incentives"]["projects"] + old["chains"]["closed"]:
        row.pop("chain_id", None)
        row.pop("district_id", None)
    for c in old["chains"]["chains"][0]["candidates"]:
        for key in ("lead_district_id", "lead_mention_zh", "lead_mention_en"):
            c.pop(key)
    for reader in (OFFICER, LEADER):
        seen = for_reader(copy.deepcopy(old), reader)
        assert seen["incentives"]["projects"] == []
        assert [c["by"] for c in seen["chains"]["closed"]] == [None, None, "长安汽车"]
        candidates = seen["chains"]["chains"][0]["candidates"]
        assert [(c["company_id"], c["lead_id"], c["reason_zh"]) for c in candidates] == [
            ("catl", None, None), ("semcorp", None, None)]   # the mention cannot be taken out: no reason at all


def test_the_generated_figures_tell_each_row_s_scope(store):
    """On both engines: a landing that closed a gap names the firm (public), the chain of a rewarded project
    and the district of a candidate's lead are stored with the report, so the scope can be decided later."""
    make_reference(store)
    lead = make_lead(store, company_id="catl", link_id="nev.cell", district_id="500103")
    project = make_project(store, name="闭环项目", company_id="catl", district_id="500157", link_id="nev.cell",
                           signed_on=date(2026, 11, 9))
    make_inflow(store, project.id, received_on=date(2026, 11, 10), amount_usd=35_000_000)
    lifecycle.move_project(store, project.id, "registered", on=date(2026, 11, 11), reason=None, actor=SYSTEM, now=NOW,
                           expected_version=None)
    gap = type("Gap", (), dict(chain_id="nev", link_id="nev.cell", name_zh="电芯", name_en="cells",
                               action="supplement", severity=80.0, local_makers=0, summary_zh="", summary_en=""))
    cand = type("Candidate", (), dict(chain_id="nev", link_id="nev.cell", link_name_zh="电芯", link_name_en="cells",
                                      company_id="catl", company_name_zh="宁德时代", company_name_en="CATL", score=90.0,
                                      action="supplement", severity=80.0, reason_zh="补链；已有线索（已识别）",
                                      reason_en="Supplement; existing lead (identified)", lead_id=lead.id,
                                      lead_stage="identified"))
    scoring = Scoring(lambda s, **kw: [gap], lambda s, **kw: [cand], lambda c, at: {},
                      lambda stage: ("已有线索（已识别）", "existing lead (identified)"))
    figures = build(store, Week.parse("2026-W46"), now=NOW, scoring=scoring)
    closed = next(c for c in figures["chains"]["closed"] if c["link_id"] == "nev.cell")
    assert (closed["how"], closed["by"], closed["chain_id"]) == ("landing", "宁德时代", "nev")
    rewarded = figures["incentives"]["projects"][0]
    assert (rewarded["district_id"], rewarded["chain_id"]) == ("500157", "nev")
    candidate = next(c for r in figures["chains"]["chains"] for c in r["candidates"])
    assert (candidate["lead_district_id"], candidate["lead_mention_zh"]) == ("500103", "已有线索（已识别）")
    seen = for_reader(figures, OFFICER)
    assert next(c for c in seen["chains"]["closed"] if c["link_id"] == "nev.cell")["by"] == "宁德时代"
    assert seen["incentives"]["projects"] == []
    assert [(c["lead_id"], c["reason_zh"]) for r in seen["chains"]["chains"] for c in r["candidates"]] == [
        (lead.id, "补链；已有线索（已识别）")]
    assert [(c["lead_id"], c["reason_zh"]) for r in for_reader(figures, LEADER)["chains"]["chains"]
            for c in r["candidates"]] == [(None, "补链")]
    for c in (c for r in figures["chains"]["chains"] for c in r["candidates"]):
        del c["lead_mention_zh"], c["lead_mention_en"]   # as a report stored before version 2
    page = render_html.fragment(for_reader(figures, LEADER), words("zh"))
    assert "宁德时代" in page and "None" not in page
