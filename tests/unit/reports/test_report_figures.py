"""The weekly report's figures on a small known history, every one checked against a value worked
out by hand below (report week 2026-W46 = Mon 9 – Sun 15 November 2026; the week before, W45 =
2–8 November).

History (Chongqing times):
  leads   L1 catl·nev.cell → 两江新区 (li), opened 1 Oct, contacted 3 Nov (W45), visited 10 Nov (W46)
          L2 semcorp·nev.separator → 渝中区 (wang), opened 4 Nov (W45), dropped 11 Nov (W46)
          L3 bosch·electronics.chip → 两江新区 (li), opened 10 Nov (W46), sourced at the Oct expo
          L4 infineon·electronics.chip → 沙坪坝区 (wang), opened 12 Nov, contacted 13 Nov (W46)
          L6 catl·nev.separator → 沙坪坝区 (li), opened 1 Sep, back to the pool on 13 Nov (W46)
  projects P1 bosch, 两江新区, electronics.chip, manufacturing + high-tech, signed 12 Nov, contracted 60 M
           P2 catl, 渝中区, nev.cell, manufacturing, signed 5 Nov (W45), contracted 40 M
           P0 high-tech services, 渝中区, no link; P3 real estate, 沙坪坝区, no link
  inflows 2025: P0 40 M (Mar), 60 M (Oct), 20 M (Dec) → same period 100 M, full year 120 M
          2026: P0 25 M (May), P3 30 M (Jun), P2 5 M (6 Nov), P1 35 M (10 Nov) + a 10 M loan (11 Nov)
  follow-ups F1 li visit on L1 done 10 Nov; F2 wang call on L2 due 4, done 5 Nov; F3 li call on L3 due
          11 Nov, open; F4 wang call on L4 due 6 Nov, done 12 Nov
  presence semcorp in 沙坪坝区 since 1 Mar 2026; changan (reference data) with no date
"""
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from crm.pipeline import pool
from crm.projects import lifecycle
from crm.base.access import SYSTEM
from crm.followups.completion import complete_followup
from crm.pipeline.leads import move_lead
from crm.policy import load_policy
from crm.reports import Week, build
from crm.reports.activity import activity_index
from crm.reports.fdi import projection
from crm.reports.outlook import Scoring
from crm.reports.settings import IndexPolicy, report_policy
from crm.base.workdays import at_local
from crm.base import hooks
from graph.cypher import merge_rels
from graph.engines.embedded import EmbeddedStore
from tests.factories import (make_event, make_followup, make_inflow, make_lead, make_project, make_reference,
                             make_user)

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)
M = 1_000_000


def at(month: int, day: int, hour: int = 10, year: int = 2026) -> datetime:
    return at_local(date(year, month, day), hour)


def stub_scoring() -> Scoring:
    """Known gaps and a known ranking, so the outlook's choices can be checked by hand."""
    gap = lambda chain, link, action, sev: SimpleNamespace(  # noqa: E731
        chain_id=chain, link_id=link, name_zh=link, name_en=link, action=action, severity=sev, local_makers=0,
        summary_zh="", summary_en="")
    gaps = [gap("nev", "nev.cell", "supplement", 80.0), gap("electronics", "electronics.notebook", "supplement", 70.0),
            gap("nev", "nev.separator", "stabilise", 50.0), gap("nev", "nev.vehicle", "strengthen", 30.0)]
    cand = lambda company, link, chain, score: SimpleNamespace(  # noqa: E731
        chain_id=chain, link_id=link, link_name_zh=link, link_name_en=link, company_id=company,
        company_name_zh=company, company_name_en=company, score=score, action="supplement", severity=80.0,
        reason_zh="", reason_en="", lead_id=None, lead_stage=None)
    ranked = [cand("a", "nev.vehicle", "nev", 90), cand("b", "nev.cell", "nev", 85),
              cand("c", "electronics.notebook", "electronics", 80), cand("d", "nev.separator", "nev", 75),
              cand("e", "nev.cell", "nev", 70)]
    return Scoring(lambda store, **kw: gaps, lambda store, **kw: ranked, lambda candidate, at: {})


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:  # the world counts only the follow-ups it schedules
        mp.setattr(hooks, "_new_work", None)
        yield from _report(tmp_path_factory)


def _report(tmp_path_factory):
    store = EmbeddedStore(tmp_path_factory.mktemp("report") / "r.lbug", buffer_pool_mb=256)
    store.ensure_schema()
    make_reference(store)
    merge_rels(store, "PRESENT_IN", "Company", "District", [{"src": "semcorp", "dst": "500106",
                                                            "since": date(2026, 3, 1)}])
    li, wang = make_user(store, "li", "staff"), make_user(store, "wang", "staff")
    expo = make_event(store, name_zh="十月展会", start_on=date(2026, 10, 10), end_on=date(2026, 10, 12),
                      now=at(9, 1))
    upcoming = make_event(store, start_on=date(2026, 12, 1), end_on=date(2026, 12, 3), now=at(10, 1))

    l1 = make_lead(store, owner_id=li.id, district_id="500157", now=at(10, 1))
    move_lead(store, l1.id, "contacted", actor=SYSTEM, now=at(11, 3), expected_version=None)
    move_lead(store, l1.id, "visited", actor=SYSTEM, now=at(11, 10), expected_version=None)
    l2 = make_lead(store, company_id="semcorp", link_id="nev.separator", district_id="500103", owner_id=wang.id,
                   now=at(11, 4))
    move_lead(store, l2.id, "dropped", actor=SYSTEM, now=at(11, 11), expected_version=None, reason="选择其他省市")
    l3 = make_lead(store, company_id="bosch", link_id="electronics.chip", owner_id=li.id, event_id=expo.id,
                   now=at(11, 10))
    l4 = make_lead(store, company_id="infineon", link_id="electronics.chip", district_id="500106", owner_id=wang.id,
                   now=at(11, 12))
    move_lead(store, l4.id, "contacted", actor=SYSTEM, now=at(11, 13), expected_version=None)
    make_lead(store, link_id="nev.separator", district_id="500106", owner_id=li.id, now=at(9, 1))

    f1 = make_followup(store, l1.id, kind="visit", due_on=date(2026, 11, 10), now=at(11, 2))
    complete_followup(store, f1.id, {"outcome": "ok"}, actor=li.actor(), now=at(11, 10, 15), expected_version=None)
    f2 = make_followup(store, l2.id, due_on=date(2026, 11, 4), now=at(11, 4, 11))
    complete_followup(store, f2.id, {"outcome": "ok"}, actor=wang.actor(), now=at(11, 5), expected_version=None)
    make_followup(store, l3.id, due_on=date(2026, 11, 11), now=at(11, 10, 11))
    f4 = make_followup(store, l4.id, due_on=date(2026, 11, 6), now=at(11, 2))
    complete_followup(store, f4.id, {"outcome": "ok"}, actor=wang.actor(), now=at(11, 12, 15), expected_version=None)
    assert pool.return_stale_leads(store, now=at(11, 13)) == 1

    p1 = make_project(store, signed_on=date(2026, 11, 9), contracted_fdi_usd=60 * M)
    lifecycle.move_project(store, p1.id, "registered", on=date(2026, 11, 10), reason=None, actor=SYSTEM, now=NOW,
                           expected_version=None)  # lands: Bosch now makes power chips in 两江新区
    p2 = make_project(store, name="宁德时代电芯", company_id="catl", district_id="500103", link_id="nev.cell",
                      high_tech=False, signed_on=date(2026, 11, 5), contracted_fdi_usd=40 * M)
    p0 = make_project(store, name="研发服务", company_id="catl", district_id="500103", link_id=None,
                      manufacturing=False, high_tech=False, industry_category="high_tech_services",
                      high_tech_services=True, signed_on=date(2024, 6, 1))
    p3 = make_project(store, name="商业地产", company_id="changan", district_id="500106", link_id=None,
                      manufacturing=False, high_tech=False, industry_category="real_estate",
                      signed_on=date(2024, 1, 1))
    for project, day, usd, kind in ((p0, date(2025, 3, 1), 40, "equity"), (p0, date(2025, 10, 1), 60, "equity"),
                                    (p0, date(2025, 12, 1), 20, "equity"), (p0, date(2026, 5, 1), 25, "equity"),
                                    (p3, date(2026, 6, 1), 30, "equity"), (p2, date(2026, 11, 6), 5, "equity"),
                                    (p1, date(2026, 11, 10), 35, "equity"),
                                    (p1, date(2026, 11, 11), 10, "shareholder_loan")):
        make_inflow(store, project.id, received_on=day, amount_usd=usd * M, kind=kind)
    figures = build(store, Week.parse("2026-W46"), now=NOW, scoring=stub_scoring())
    yield SimpleNamespace(f=figures, ids={"p0": p0.id, "p1": p1.id, "p3": p3.id, "li": li.id, "wang": wang.id,
                                          "expo": expo.id, "upcoming": upcoming.id})
    store.close()


def test_it_names_the_week_and_the_one_before(report):
    f = report.f
    assert (f["week"], f["week_start"], f["week_end"], f["previous_week"], f["year"]) == (
        "2026-W46", "2026-11-09", "2026-11-15", "2026-W45", 2026)


def test_the_pipeline_replays_the_stage_history_to_each_week_s_end(report):
    p = report.f["pipeline"]
    assert {s: (v["value"], v["previous"]) for s, v in p["by_stage"].items()} == {
        "identified": (2, 2), "contacted": (1, 1), "visited": (1, 0), "negotiating": (0, 0), "signed": (0, 0),
        "dropped": (1, 0)}
    assert (p["open"]["value"], p["open"]["previous"]) == (4, 3)
    assert {k: (v["value"], v["previous"]) for k, v in p["week"].items()} == {
        "new_leads": (2, 1), "advances": (2, 1), "drops": (1, 0), "signings": (1, 1),
        "contracted_fdi_usd": (60 * M, 40 * M)}
    assert [(d["from_stage"], d["reason"], d["on"]) for d in p["drops"]] == [("identified", "选择其他省市", "2026-11-11")]
    assert [(s["name"], s["signed_on"], s["contracted_fdi_usd"]) for s in p["signings"]] == [
        ("博世功率半导体扩产", "2026-11-09", 60 * M)]


def test_the_pipeline_splits_by_chain_and_district(report):
    chains = {r["id"]: r for r in report.f["pipeline"]["by_chain"]}
    nev, electronics = chains["nev"], chains["electronics"]
    assert (nev["open"], nev["new_leads"], nev["advances"], nev["drops"]) == (
        {"value": 2, "previous": 3}, {"value": 0, "previous": 1}, {"value": 1, "previous": 1},
        {"value": 1, "previous": 0})
    assert (nev["signings"], nev["contracted_fdi_usd"]) == ({"value": 0, "previous": 1}, {"value": 0, "previous": 40 * M})
    assert (electronics["open"], electronics["new_leads"], electronics["signings"]["value"],
            electronics["contracted_fdi_usd"]["value"]) == ({"value": 2, "previous": 0}, {"value": 2, "previous": 0},
                                                            1, 60 * M)
    districts = {r["id"]: r for r in report.f["pipeline"]["by_district"]}
    assert districts["500157"]["open"] == {"value": 2, "previous": 1}
    assert districts["500106"]["new_leads"] == {"value": 1, "previous": 0}
    assert districts["500103"]["drops"] == {"value": 1, "previous": 0}


def test_fdi_growth_manufacturing_share_and_high_tech_are_against_the_plan(report):
    fdi = report.f["fdi"]
    assert (fdi["ytd_usd"]["value"], fdi["ytd_usd"]["previous"]) == (95 * M, 100 * M)   # the loan is left out
    assert fdi["growth"] == {"value": pytest.approx(-0.05), "target": 0.1, "status": "off_track"}
    assert fdi["manufacturing_share"]["value"] == pytest.approx(40 / 95)   # P1 35 M + P2 5 M
    assert (fdi["manufacturing_share"]["target"], fdi["manufacturing_share"]["status"]) == (0.30, "on_target")
    assert fdi["high_tech_manufacturing_usd"] == {"value": 35 * M, "previous": 0, "status": "rising"}
    assert fdi["high_tech_services_usd"] == {"value": 25 * M, "previous": 100 * M, "status": "not_rising"}
    broad = next(m for m in fdi["measures"] if m["key"] == "utilised")
    assert broad["current"]["total_usd"] == 105 * M and not broad["is_target_measure"]
    assert (fdi["week_usd"]["value"], fdi["week_usd"]["previous"], fdi["ytd_at_last_week_usd"]) == (
        35 * M, 5 * M, 60 * M)
    assert [m["this_year_usd"] for m in fdi["monthly"]][4:] == [25 * M, 55 * M, 55 * M, 55 * M, 55 * M, 55 * M,
                                                                95 * M, None]


def test_an_off_track_year_is_projected_and_warned_about(report):
    proj = report.f["fdi"]["projection"]
    # last year's full year 120 M × (95 M ÷ 100 M) = 114 M; the target asks for 120 M × 1.10 = 132 M
    assert proj == {"method": "same_period_ratio", "last_year_full_usd": 120 * M, "ytd_usd": 95 * M,
                    "last_ytd_usd": 100 * M, "projected_usd": 114 * M, "target_usd": 132 * M,
                    "shortfall_usd": 18 * M}
    codes = [w["code"] for w in report.f["warnings"]]
    assert codes == ["fdi_off_track", "high_tech_services_not_rising"]
    assert report.f["warnings"][0]["shortfall_usd"] == 18 * M


def test_a_projection_needs_last_year_s_same_period():
    assert projection(0, 5 * M, 0, __import__("decimal").Decimal("0.1"))["projected_usd"] is None
    on_pace = projection(100, 55, 50, __import__("decimal").Decimal("0.1"))
    assert (on_pace["projected_usd"], on_pace["target_usd"], on_pace["shortfall_usd"]) == (110, 110, 0)


def test_the_activity_index_ranks_districts_with_its_components(report):
    d = report.f["districts"]
    assert d["weights"] == {"followups_done": 0.15, "visits": 0.15, "new_leads": 0.15, "signings": 0.25,
                            "paid_in_fdi": 0.30, "overdue": -0.20}
    ranking = [(r["district_id"], r["score"], r["rank"], r["previous_score"], r["previous_rank"], r["change"])
               for r in d["ranking"]]
    # W46: 两江新区 has every component's best (1 done, 1 visit, 1 new lead, 1 signing, 35 M) and the only
    # overdue call: 15+15+15+25+30−20 = 80; 沙坪坝区 a done call and a new lead: 15+15 = 30; 渝中区 nothing.
    # W45: 渝中区 15+15+25+30 = 85 (F2, L2, P2, 5 M); 两江新区 0; 沙坪坝区 −20 (F4 overdue at the week's end).
    assert ranking == [("500157", 80.0, 1, 0.0, 2, 80.0), ("500106", 30.0, 2, -20.0, 3, 50.0),
                       ("500103", 0.0, 3, 85.0, 1, -85.0)]
    top = d["ranking"][0]["components"]
    assert {c: (v["value"], v["points"]) for c, v in top.items()} == {
        "followups_done": (1, 15.0), "visits": (1, 15.0), "new_leads": (1, 15.0), "signings": (1, 25.0),
        "paid_in_fdi": (35 * M, 30.0), "overdue": (1, -20.0)}
    assert "500105" not in [r["district_id"] for r in d["ranking"]]   # abolished before 2026


def test_the_index_can_share_the_city_total_instead():
    policy = IndexPolicy({"followups_done": 0.5, "visits": 0.0, "new_leads": 0.0, "signings": 0.5,
                          "paid_in_fdi": 0.0, "overdue": -0.5}, "share", ("visit",))
    rows = activity_index({"a": {"followups_done": 3, "signings": 1, "overdue": 1},
                           "b": {"followups_done": 1, "signings": 1, "overdue": 3}}, policy)
    # a: 50·3/4 + 50·1/2 − 50·1/4 = 50; b: 50·1/4 + 50·1/2 − 50·3/4 = 0
    assert [(r["district_id"], r["score"]) for r in rows] == [("a", 50.0), ("b", 0.0)]


def test_people_see_follow_ups_done_overdue_and_leads_returned_by_owner(report):
    p = report.f["people"]
    owners = [(r["owner_id"], r["done"], r["overdue"], r["returned_to_pool"]) for r in p["owners"]]
    assert owners == [(report.ids["li"], {"value": 1, "previous": 0}, {"value": 1, "previous": 0},
                       {"value": 1, "previous": 0}),
                      (report.ids["wang"], {"value": 1, "previous": 1}, {"value": 0, "previous": 1},
                       {"value": 0, "previous": 0})]
    assert (p["done"], p["overdue"], p["returned_to_pool"]) == (
        {"value": 2, "previous": 1}, {"value": 1, "previous": 1}, {"value": 1, "previous": 0})


def test_chains_count_gaps_closed_by_landings_and_dated_presence_not_by_signings(report):
    ch = report.f["chains"]
    assert [(c["link_id"], c["on"], c["how"], c["this_week"]) for c in ch["closed"]] == [
        ("nev.separator", "2026-03-01", "presence", False), ("electronics.chip", "2026-11-10", "landing", True)]
    rows = {r["id"]: r for r in ch["chains"]}
    assert (ch["closed_week"], ch["closed_year"]) == (1, 2)  # nev.cell's project was signed, not landed
    assert (rows["electronics"]["closed_week"], rows["electronics"]["closed_year"]) == (1, 1)
    assert (rows["nev"]["closed_week"], rows["nev"]["closed_year"]) == (0, 1)


def test_chains_list_open_gaps_and_the_best_candidates_of_the_severest(report):
    rows = {r["id"]: r for r in report.f["chains"]["chains"]}
    assert rows["nev"]["open"] == {"supplement": 1, "stabilise": 1}   # 强链 is not among the report's actions
    assert [g["link_id"] for g in rows["nev"]["severe"]] == ["nev.cell", "nev.separator"]
    assert [c["company_id"] for c in rows["nev"]["candidates"]] == ["b", "d", "e"]   # not a: its link is 强链
    assert [c["company_id"] for c in rows["electronics"]["candidates"]] == ["c"]


def test_events_show_the_coming_weeks_and_what_past_events_brought(report):
    ev = report.f["events"]
    assert [(e["id"], e["tasks_open"], e["tasks_done"], e["tasks_overdue"]) for e in ev["upcoming"]] == [
        (report.ids["upcoming"], 6, 0, 2)]   # shortlist and invitations fell due before Monday 16 November
    assert [(e["event_id"], e["leads_sourced"], e["signings"]) for e in ev["past"]] == [(report.ids["expo"], 1, 0)]
    assert (ev["leads_sourced"], ev["signings"]) == (1, 0)


def test_incentives_reward_this_year_s_capital_without_loans_or_real_estate(report):
    inc = report.f["incentives"]
    rows = {r["project_id"]: r for r in inc["projects"]}
    assert set(rows) == {report.ids["p1"], report.ids["p0"]}   # P3 is real estate, P2 paid in only 5 M
    p1, p0 = rows[report.ids["p1"]], rows[report.ids["p0"]]
    assert (p1["counted_usd"], p1["uncounted_usd"], p1["tier"], p1["total_rmb"]) == (35 * M, 10 * M, "manufacturing",
                                                                                      1_400_000.0)   # 4 % of 35 M
    assert (p0["counted_usd"], p0["tier"], p0["total_rmb"]) == (25 * M, "general", 500_000.0)   # 2 % of 25 M
    assert inc["total_rmb"] == {"value": 1_900_000.0, "previous": 500_000.0}
    assert inc["projects_rewarded"] == {"value": 2, "previous": 1}


def test_the_settings_refuse_weights_that_do_not_add_up():
    from crm.errors import ValidationFailed

    policy = {**load_policy(), "activity_index": {**load_policy()["activity_index"],
                                                  "components": {**load_policy()["activity_index"]["components"],
                                                                 "signings": 0.5}}}
    with pytest.raises(ValidationFailed):
        report_policy(policy)


def test_weeks_parse_and_refuse_what_is_not_a_week():
    from crm.errors import ValidationFailed

    week = Week.parse("2026-W53")
    assert (week.start, week.end, week.next.id) == (date(2026, 12, 28), date(2027, 1, 3), "2027-W01")
    assert Week.last_completed(NOW).id == "2026-W46"
    assert Week.last_completed(at(11, 16, 0) + timedelta(minutes=1)).id == "2026-W46"
    for bad in ("2025-W53", "2026-10", "W10", "1999-W01"):
        with pytest.raises(ValidationFailed):
            Week.parse(bad)


def test_the_docstring_examples_hold():
    import doctest

    from crm.reports import activity, weeks

    assert doctest.testmod(activity).failed == 0 and doctest.testmod(weeks).failed == 0


def test_a_growth_over_a_base_too_small_is_not_printed_as_a_percentage():
    from crm.reports.words import Words

    words = Words()
    assert words.growth(26.783) == "base too small" and words.growth(0.12) == "+12.0%"
    assert words.growth(None) == "—"


def test_a_district_ranking_where_everyone_is_at_zero_names_no_first(report):
    from crm.reports.delivery import summary_lines

    figures = report.f
    zeroed = {**figures, "districts": {**figures["districts"],
                                       "ranking": [{**r, "score": 0.0} for r in figures["districts"]["ranking"]]}}
    lines = summary_lines(zeroed)
    assert not any("指数第一" in line for line in lines) and any("均为0" in line for line in lines)
