"""A chain's figures for its leader (任务 9 链长制; requirements C4): leads by stage, signed projects,
contracted and paid-in FDI, and the local makers of a link.

Every figure is grouped by chain in one read, so the chain list shows all chains for the cost of
one and the cockpit asks for one chain the same way. Leads and projects go through the readers'
scope, as their lists do: a district officer's figures count their district only. Paid-in
capital counts the plan's target measure (policy `fdi_measures`), the same as the KPIs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from crm.library.companies import cited
from crm.reports import kpis
from crm.base.access import Actor
from crm.choices import LEAD_STAGES
from crm.pipeline.leads import LeadQuery
from crm.pipeline.leads import where as lead_where
from crm.projects.projects import ProjectQuery
from crm.projects.projects import _where as project_where


@dataclass
class ChainFigures:
    chain_id: str
    leads_by_stage: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEAD_STAGES.values, 0))
    signed_projects: int = 0
    contracted_fdi_usd: int = 0
    paid_in_usd: int = 0
    paid_in_year_usd: int = 0

    @property
    def open_leads(self) -> int:
        return sum(n for stage, n in self.leads_by_stage.items() if stage not in ("signed", "dropped"))


@dataclass
class LocalMaker:
    """A company that makes the link and is present in Chongqing, with the districts it is in."""
    company_id: str
    name_zh: str | None
    name_en: str | None
    fg500_rank: int | None = None
    multinational: bool = False
    leading: bool = False
    synthetic: bool = False
    districts: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # where "it makes the link" comes from
    source_date: date | None = None


def chain_figures(store: Any, *, actor: Actor, today: date, chain_id: str | None = None) -> dict[str, ChainFigures]:
    """Figures per chain (every chain, or one), within what the actor may read; `today` sets the year."""
    out: dict[str, ChainFigures] = {}

    def of(chain: str) -> ChainFigures:
        return out.setdefault(chain, ChainFigures(chain))

    where = lead_where(LeadQuery(chain=chain_id), actor)
    for r in store.read(f"MATCH (l:Lead) {where.clause()} RETURN l.chain_id AS chain, l.stage AS stage, "
                        "count(l) AS n", where.params):
        if r["chain"] and r["stage"] in LEAD_STAGES:
            of(r["chain"]).leads_by_stage[r["stage"]] = r["n"]
    match, params = _projects(chain_id, actor)
    for r in store.read(match + "RETURN n.chain_id AS chain, count(p) AS n, "
                        "sum(coalesce(p.contracted_fdi_usd, 0)) AS contracted", params):
        figures = of(r["chain"])
        figures.signed_projects, figures.contracted_fdi_usd = r["n"], int(r["contracted"] or 0)
    kinds = kpis.measures()[1][kpis.measures()[0]]["kinds"]
    rows = store.read(match + "WITH p, n MATCH (f:CapitalInflow)-[:PAID_INTO]->(p) "
                      "WHERE f.archived = false AND f.kind IN $kinds "
                      "RETURN n.chain_id AS chain, sum(f.amount_usd) AS total, "
                      "sum(CASE WHEN f.received_on >= $year_start THEN f.amount_usd ELSE 0 END) AS year",
                      {**params, "kinds": list(kinds), "year_start": date(today.year, 1, 1)})
    for r in rows:
        figures = of(r["chain"])
        figures.paid_in_usd, figures.paid_in_year_usd = int(r["total"] or 0), int(r["year"] or 0)
    return out


def _projects(chain_id: str | None, actor: Actor) -> tuple[str, dict[str, Any]]:
    """The projects of a chain (or all chains) the actor may read, as a MATCH … WITH p, n head."""
    where = project_where(ProjectQuery(chain=chain_id), actor)
    return ("MATCH (p:Project)-[:IN_LINK]->(n:ChainNode) WITH p, n MATCH (p)-[:LOCATED_IN]->(d:District) "
            "WITH p, n, d " + where.clause() + " WITH p, n ", where.params)


def local_makers(store: Any, link_id: str) -> list[LocalMaker]:
    """Companies that make the link and are present in a district, leading firms first."""
    rows = store.read(
        "MATCH (c:Company)-[m:MAKES]->(:ChainNode {id: $link}) WITH c, m "
        "MATCH (c)-[:PRESENT_IN]->(d:District) "
        "RETURN c.id AS id, c.name_zh AS name_zh, c.name_en AS name_en, c.fg500_rank AS fg500_rank, "
        "c.multinational AS multinational, c.leading AS leading, c.synthetic AS synthetic, "
        "d.id AS district_id, d.name_zh AS district_zh, d.name_en AS district_en, "
        "m.source AS source, m.sources AS sources, m.source_date AS source_date "
        "ORDER BY c.id, d.id", {"link": link_id})
    found: dict[str, LocalMaker] = {}
    for r in rows:
        maker = found.setdefault(r["id"], LocalMaker(r["id"], r["name_zh"], r["name_en"], r["fg500_rank"],
                                                     bool(r["multinational"]), bool(r["leading"]),
                                                     bool(r["synthetic"]), [],
                                                     cited(r)["sources"], r["source_date"]))
        maker.districts.append((r["district_id"], r["district_zh"], r["district_en"]))
    return sorted(found.values(), key=lambda m: (not m.leading, m.fg500_rank or 10_000, m.company_id))
