"""The report's tables, declared once for the Word document and the Excel workbook: each section
is a list of parts (a line of text, a chart, a table; see crm/reports/parts.py). FDI and the
pipeline are here, the other sections in crm/reports/tables_more.py.
"""
from __future__ import annotations

from typing import Any

from crm.choices import LEAD_STAGES
from crm.reports.parts import Part, chart, day_of, table, text
from crm.reports.tables_more import chain_parts, district_parts, event_parts, incentive_parts, people_parts
from crm.reports.words import Words, status_text

def _fdi(f: dict[str, Any], words: Words) -> list[Part]:
    gettext, fdi = words.gettext, f["fdi"]
    proj = fdi["projection"]
    usd = "usd"
    return [
        text(gettext("FDI paid in from 1 January to %(day)s: %(value)s, %(growth)s on the same period last year "
                     "(target at least %(target)s): %(status)s.") % {
            "day": fdi["as_of"], "value": words.usd(fdi["ytd_usd"]["value"]),
            "growth": words.pct(fdi["growth"]["value"], signed=True), "target": words.pct(fdi["growth"]["target"]),
            "status": status_text(fdi["growth"]["status"], words)}),
        table(gettext("Paid-in FDI by measure"), [
            (gettext("Measure"), "text"), (gettext("Year to date"), usd), (gettext("Same period last year"), usd),
            (gettext("Growth"), "pct"), (gettext("Manufacturing"), usd), (gettext("Manufacturing share"), "pct"),
            (gettext("High-tech manufacturing"), usd), (gettext("High-tech services"), usd)],
            [[m["label_zh"] if words.zh else m["label_en"], m["current"]["total_usd"], m["previous"]["total_usd"],
              m["growth"], m["current"]["manufacturing_usd"], m["current"]["manufacturing_share"],
              m["current"]["high_tech_manufacturing_usd"], m["current"]["high_tech_services_usd"]]
             for m in fdi["measures"]]),
        table(gettext("Targets"), [(gettext("Target"), "text"), (gettext("This year"), "pct"),
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
    ]


def section_tables(figures: dict[str, Any], words: Words) -> dict[str, list[Part]]:
    """Every section's parts, keyed as the figures are."""
    parts = {"fdi": _fdi(figures, words), "pipeline": _pipeline(figures, words)}
    for key, build in (("chains", chain_parts), ("districts", district_parts), ("people", people_parts),
                       ("events", event_parts), ("incentives", incentive_parts)):
        parts[key] = build(figures, words)
    return parts
