"""The report's tables, declared once for the Word document and the Excel workbook: each section
is a list of parts (a line of text, a chart, a table; see crm/reports/parts.py).
"""
from __future__ import annotations

from typing import Any

from crm.choices import LEAD_STAGES
from crm.reports.parts import Part, chart, day_of, table, text
from crm.reports.settings import COMPONENTS
from crm.reports.words import Words, component_labels, status_text

def _fdi(f: dict[str, Any], words: Words) -> list[Part]:
    gettext, fdi = words.gettext, f["fdi"]
    proj = fdi["projection"]
    usd = "usd"
    return [
        text(gettext("FDI paid in from 1 January to %(day)s: %(value)s, %(growth)s on the same period last year "
                     "(target at least %(target)s): %(status)s.") % {
            "day": fdi["as_of"], "value": words.usd(fdi["ytd_usd"]["value"]),
            "growth": words.growth(fdi["growth"]["value"]), "target": words.goal(fdi["growth"]["target"]),
            "status": status_text(fdi["growth"]["status"], words)}),
        table(gettext("Paid-in FDI by measure"), [
            (gettext("Measure"), "text"), (gettext("Year to date"), usd), (gettext("Same period last year"), usd),
            (gettext("Growth"), "pct"), (gettext("Manufacturing"), usd), (gettext("Manufacturing share"), "pct"),
            (gettext("High-tech manufacturing"), usd), (gettext("High-tech services"), usd)],
            [[m["label_zh"] if words.zh else m["label_en"], m["current"]["total_usd"], m["previous"]["total_usd"],
              m["growth"], m["current"]["manufacturing_usd"], m["current"]["manufacturing_share"],
              m["current"]["high_tech_manufacturing_usd"], m["current"]["high_tech_services_usd"]]
             for m in fdi["measures"]]),
        table(gettext("Plan targets"), [(gettext("Target"), "text"), (gettext("This year"), "pct"),
                                   (gettext("Plan"), "pct"), (gettext("Status"), "text")],
              [[gettext("FDI growth"), fdi["growth"]["value"], fdi["growth"]["target"],
                status_text(fdi["growth"]["status"], words)],
               [gettext("Manufacturing share"), fdi["manufacturing_share"]["value"],
                fdi["manufacturing_share"]["target"], status_text(fdi["manufacturing_share"]["status"], words)]]),
        table(gettext("High-tech FDI"), [(gettext("Category"), "text"), (gettext("Year to date"), usd),
                                         (gettext("Same period last year"), usd), (gettext("Status"), "text")],
              [[label, fdi[key]["value"], fdi[key]["previous"], status_text(fdi[key]["status"], words)]
               for key, label in (("high_tech_manufacturing_usd", gettext("High-tech manufacturing")),
                                  ("high_tech_services_usd", gettext("High-tech services")))]),
        table(gettext("Projection of the year"), [(gettext("Item"), "text"), (gettext("USD"), usd)], [
            [gettext("Last year, full year"), proj["last_year_full_usd"]],
            [gettext("This year to date"), proj["ytd_usd"]], [gettext("Last year, same period"), proj["last_ytd_usd"]],
            [gettext("Projected for the year"), proj["projected_usd"]],
            [gettext("Asked for by the growth target"), proj["target_usd"]],
            [gettext("Shortfall"), proj["shortfall_usd"]]]),
        chart("fdi"),
        table(gettext("Cumulative FDI by month"), [(gettext("Month"), "int"), (gettext("This year"), usd),
                                                   (gettext("Last year"), usd)],
              [[m["month"], m["this_year_usd"], m["last_year_usd"]] for m in fdi["monthly"]], in_docx=False),
    ]


def _pipeline(f: dict[str, Any], words: Words) -> list[Part]:
    gettext, pipe = words.gettext, f["pipeline"]
    week = pipe["week"]
    group_columns = [(gettext("Open leads"), "int"), (gettext("Open last week"), "int"), (gettext("New leads"), "int"),
                     (gettext("Stage advances"), "int"), (gettext("Drops"), "int"), (gettext("Signings"), "int"),
                     (gettext("Contracted FDI"), "usd")]

    def grouped(rows: list[dict[str, Any]]) -> list[list[Any]]:
        return [[words.name(r) if r["id"] else gettext("Not set"), r["open"]["value"], r["open"]["previous"],
                 r["new_leads"]["value"], r["advances"]["value"], r["drops"]["value"], r["signings"]["value"],
                 r["contracted_fdi_usd"]["value"]] for r in rows]

    return [
        table(gettext("Leads by stage"), [(gettext("Stage"), "text"), (gettext("End of week"), "int"),
                                          (gettext("End of last week"), "int")],
              [[words.stage(s), pipe["by_stage"][s]["value"], pipe["by_stage"][s]["previous"]]
               for s in LEAD_STAGES.values if s in pipe["by_stage"]]),
        table(gettext("The week's moves"), [(gettext("Figure"), "text"), (gettext("This week"), "int"),
                                            (gettext("Last week"), "int")],
              [[label, week[key]["value"], week[key]["previous"]] for key, label in (
                  ("new_leads", gettext("New leads")), ("advances", gettext("Stage advances")),
                  ("drops", gettext("Drops")), ("signings", gettext("Signings")))]),
        text(gettext("Contracted FDI of this week's signings: %(value)s (last week %(previous)s).") % {
            "value": words.usd(week["contracted_fdi_usd"]["value"]),
            "previous": words.usd(week["contracted_fdi_usd"]["previous"])}),
        chart("stages"),
        table(gettext("By chain"), [(gettext("Chain"), "text")] + group_columns, grouped(pipe["by_chain"])),
        table(gettext("By district"), [(gettext("District"), "text")] + group_columns, grouped(pipe["by_district"])),
        table(gettext("Drops this week"), [(gettext("Lead"), "text"), (gettext("Dropped from"), "text"),
                                           (gettext("Reason"), "text"), (gettext("Date"), "date"),
                                           (gettext("Owner"), "text")],
              [[d["title"], words.stage(d["from_stage"]), d["reason"], day_of(d["on"]), d["owner"]]
               for d in pipe["drops"]]),
        table(gettext("Signings this week"), [(gettext("Project"), "text"), (gettext("Company"), "text"),
                                              (gettext("Kind"), "text"), (gettext("Signed on"), "date"),
                                              (gettext("Contracted FDI"), "usd")],
              [[s["name"], words.name(s, "company_name"), words.project_kind(s["kind"]), day_of(s["signed_on"]),
                s["contracted_fdi_usd"]] for s in pipe["signings"]]),
        *([table(gettext("Stalled projects at the week's end"),
                 [(gettext("Project"), "text"), (gettext("Stage"), "text"), (gettext("Why stalled"), "text"),
                   (gettext("Owner"), "text")],
                 [[s["name"], words.project_stage(s["stage"]),
                   "；".join(r["zh"] for r in s["reasons"]) if words.zh else "; ".join(r["en"] for r in s["reasons"]),
                   s["owner"]] for s in pipe["stalled"]])] if "stalled" in pipe else []),
    ]


def chain_parts(f: dict[str, Any], words: Words) -> list[Part]:
    gettext, ch = words.gettext, f["chains"]
    chains = {r["id"]: r for r in ch["chains"]}
    actions = ch["gap_actions"]
    parts = [text(gettext("Gaps closed this week: %(week)s; this year: %(year)s.") % {
        "week": ch["closed_week"], "year": ch["closed_year"]})]
    rs = ch.get("resilience")
    if rs:
        parts.append(text(gettext("Chain resilience index of the city: %(value)s (a week earlier %(previous)s).") % {
            "value": words.number(rs["city"]["value"], 1), "previous": words.number(rs["city"]["previous"], 1)}))
        parts.append(table(gettext("Chain resilience index"), [(gettext("Chain"), "text"),
                                                               (gettext("Resilience"), "num1"),
                                                               (gettext("A week earlier"), "num1")],
                           [[words.name(r), r["resilience"]["value"], r["resilience"]["previous"]]
                            for r in ch["chains"] if r.get("resilience")]))
    if not ch["available"]:
        parts.append(text(gettext("The open gaps and candidates need the scoring package, which is not installed "
                                  "here.")))
    parts += [
        table(gettext("Gaps by chain"), [(gettext("Chain"), "text"), (gettext("Closed this week"), "int"),
                                         (gettext("Closed this year"), "int")] +
              [(gettext("Open: %(action)s") % {"action": words.action(a)}, "int") for a in actions],
              [[words.name(r), r["closed_week"], r["closed_year"], *[r["open"][a] for a in actions]]
               for r in ch["chains"]]),
        chart("gaps"),
        table(gettext("Gaps closed this year"), [(gettext("Link"), "text"), (gettext("Chain"), "text"),
                                                 (gettext("Date"), "date"), (gettext("Closed by"), "text")],
              [[words.name(c), words.name(chains.get(c["chain_id"]) or {}), day_of(c["on"]),
                (gettext("landing") if c["how"] == "landing" else gettext("local presence")) + "：" + (c["by"] or "—")]
               for c in ch["closed"]]),
        table(gettext("Best candidates for the severest gaps"), [
            (gettext("Chain"), "text"), (gettext("Gap"), "text"), (gettext("Action"), "text"),
            (gettext("Company"), "text"), (gettext("Score"), "num1")],
            [[words.name(r), words.name(c, "link_name"), words.action(c["action"]), words.name(c, "company_name"),
              c["score"]] for r in ch["chains"] for c in r["candidates"]]),
    ]
    return parts


def district_parts(f: dict[str, Any], words: Words) -> list[Part]:
    gettext, d = words.gettext, f["districts"]
    labels = component_labels(words)
    how = gettext("the highest district's value") if d["normalisation"] == "max" else gettext("the city total")
    weights = "，".join(f"{labels[c]} {d['weights'][c]:g}" for c in COMPONENTS)
    ranking = d["ranking"]
    return [
        text(gettext("Index = 100 × Σ weight × component, each component divided by %(how)s. Weights:") % {
            "how": how} + " " + weights),
        table(gettext("Activity index ranking"), [
            (gettext("Rank"), "int"), (gettext("District"), "text"), (gettext("Index"), "num1"),
            (gettext("Last week"), "num1"), (gettext("Change"), "num1"), (gettext("Last week's rank"), "int")],
            [[r["rank"], words.name(r), r["score"], r["previous_score"], r["change"], r["previous_rank"]]
             for r in ranking]),
        chart("index"),
        table(gettext("Components of the index"), [(gettext("District"), "text")] +
              [(labels[c], "usd" if c == "paid_in_fdi" else "int") for c in COMPONENTS],
              [[words.name(r), *[r["components"][c]["value"] for c in COMPONENTS]] for r in ranking]),
        table(gettext("Points per component"), [(gettext("District"), "text")] +
              [(labels[c], "num1") for c in COMPONENTS] + [(gettext("Index"), "num1")],
              [[words.name(r), *[r["components"][c]["points"] for c in COMPONENTS], r["score"]] for r in ranking],
              in_docx=False),
    ]


def people_parts(f: dict[str, Any], words: Words) -> list[Part]:
    gettext, p = words.gettext, f["people"]
    return [
        text(gettext("Follow-ups done: %(done)s (last week %(done_before)s); overdue at the week's end: %(late)s "
                     "(last week %(late_before)s); leads returned to the pool: %(pool)s (last week %(pool_before)s).")
             % {"done": p["done"]["value"], "done_before": p["done"]["previous"], "late": p["overdue"]["value"],
                "late_before": p["overdue"]["previous"], "pool": p["returned_to_pool"]["value"],
                "pool_before": p["returned_to_pool"]["previous"]}),
        table(gettext("Follow-up work by owner"), [
            (gettext("Owner"), "text"), (gettext("Follow-ups done"), "int"), (gettext("Done last week"), "int"),
            (gettext("Overdue at the week's end"), "int"), (gettext("Overdue last week"), "int"),
            (gettext("Leads returned to the pool"), "int"), (gettext("Returned last week"), "int")],
            [[r["name"] or gettext("No owner"), r["done"]["value"], r["done"]["previous"], r["overdue"]["value"],
              r["overdue"]["previous"], r["returned_to_pool"]["value"], r["returned_to_pool"]["previous"]]
             for r in p["owners"]]),
    ]


def event_parts(f: dict[str, Any], words: Words) -> list[Part]:
    gettext, ev = words.gettext, f["events"]
    return [
        table(gettext("Events in the next %(n)s weeks") % {"n": ev["weeks"]}, [
            (gettext("Event"), "text"), (gettext("Kind"), "text"), (gettext("Starts"), "date"),
            (gettext("Ends"), "date"), (gettext("Owner"), "text"), (gettext("Tasks done"), "int"),
            (gettext("Tasks open"), "int"), (gettext("Tasks overdue"), "int"), (gettext("Targets"), "int")],
            [[words.name(e), words.event_kind(e["kind"]), day_of(e["start_on"]), day_of(e["end_on"]),
              e["owner_name"], e["tasks_done"], e["tasks_open"], e["tasks_overdue"], e["targets"]]
             for e in ev["upcoming"]]),
        text(gettext("Leads sourced at events: %(leads)s; of them signed: %(signed)s, contracted FDI %(usd)s.") % {
            "leads": ev["leads_sourced"], "signed": ev["signings"], "usd": words.usd(ev["contracted_fdi_usd"])}),
        *([text(gettext("Each event's own figures count leads of the whole city, so they are left out here: "
                        "its page counts those within your scope."))] if f.get("reader") else []),
        table(gettext("What this year's events brought"), [
            (gettext("Event"), "text"), (gettext("Started"), "date"), (gettext("Meetings"), "int"),
            (gettext("Leads met"), "int"), (gettext("Leads sourced"), "int"), (gettext("Signings"), "int"),
            (gettext("Contracted FDI"), "usd")],
            [[e["name_zh"], day_of(e["start_on"]), e["meetings"], e["leads_met"], e["leads_sourced"], e["signings"],
              e["contracted_fdi_usd"]] for e in ev["past"]]),
    ]


def incentive_parts(f: dict[str, Any], words: Words) -> list[Part]:
    gettext, inc = words.gettext, f["incentives"]
    return [
        text(gettext("Estimated rewards for %(year)s so far: %(total)s for %(n)s projects (last week %(before)s).")
             % {"year": inc["year"], "total": words.rmb(inc["total_rmb"]["value"]),
                "n": inc["projects_rewarded"]["value"], "before": words.rmb(inc["total_rmb"]["previous"])}),
        table(gettext("Projects earning a reward"), [
            (gettext("Project"), "text"), (gettext("Company"), "text"), (gettext("Kind"), "text"),
            (gettext("Counted capital"), "usd"), (gettext("Rate"), "pct"), (gettext("Capital reward"), "rmb"),
            (gettext("R&D centre reward"), "rmb"), (gettext("Total"), "rmb"), (gettext("Capped"), "text")],
            [[p["name"], words.name(p, "company_name"), words.project_kind(p["kind"]), p["counted_usd"], p["rate"],
              p["capital_reward_rmb"], p["rd_centre_rmb"], p["total_rmb"], gettext("yes") if p["capped"] else ""]
             for p in inc["projects"]]),
    ]


def section_tables(figures: dict[str, Any], words: Words) -> dict[str, list[Part]]:
    """Every section's parts, keyed as the figures are."""
    parts = {"fdi": _fdi(figures, words), "pipeline": _pipeline(figures, words)}
    for key, build in (("chains", chain_parts), ("districts", district_parts), ("people", people_parts),
                       ("events", event_parts), ("incentives", incentive_parts)):
        parts[key] = build(figures, words)
    return parts
