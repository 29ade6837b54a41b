"""Factories for scoring tests: link graphs shaped like `project_chains`, candidate pools, and a
small chain world written to a store. Each test states only the facts it is about."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any, Iterable

import networkx as nx

from graph.cypher import merge_rels, upsert_nodes
from scoring.policy import scoring_policy
from scoring.projection import CandidatePool, CompanyFacts, DistrictFacts, LeadFacts

POLICY = scoring_policy()
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)


def link(**over: Any) -> dict[str, Any]:
    """A chain link with no local maker, in focus, not high-tech, in a lead-tier chain."""
    return {"chain_id": "nev", "name_zh": None, "name_en": None, "segment": "midstream", "position": 0,
            "high_tech": False, "in_focus": True, "tier": "lead", "chain_name_zh": "新能源汽车",
            "chain_name_en": "NEV", "makers": 5, "local_makers": 0, "local_leading": 0,
            "local_multinational": 0, "local_fg500": 0, "best_fg500_rank": None, "member": True} | over


def covered(n: int = 1, *, leading: int = 0, multinational: int = 0, fg500: int = 0, **over: Any) -> dict[str, Any]:
    """A link with `n` local makers, of which some are leading, multinational or FG500."""
    return link(local_makers=n, local_leading=leading, local_multinational=multinational, local_fg500=fg500,
                **over)


def strong(n: int = 8, **over: Any) -> dict[str, Any]:
    """A link covered well enough to be healthy at any importance."""
    return covered(n, leading=1, multinational=1, fg500=1, **over)


def link_graph(links: dict[str, dict[str, Any]], feeds: Iterable[tuple[str, str]] = ()) -> nx.DiGraph:
    G = nx.DiGraph()
    for node, data in links.items():
        data = dict(data)
        data["name_zh"] = data["name_zh"] or node
        data["name_en"] = data["name_en"] or node
        G.add_node(node, **data)
    G.add_edges_from(feeds)
    return G


def company(id: str, **over: Any) -> CompanyFacts:
    """A foreign firm of no particular standing that supplies no one here and fills no other gap."""
    values: dict[str, Any] = {"id": id, "name_zh": f"{id}公司", "name_en": f"{id} Co", "country": "DE",
                              "fg500_rank": None, "multinational": False, "leading": False, "revenue_usd_m": None,
                              "local_customers": 0, "uncovered_made": 0} | over
    return CompanyFacts(**values)


def district(id: str, focus: Iterable[str] = (), **local_makers: int) -> DistrictFacts:
    return DistrictFacts(id=id, name_zh=f"区{id}", name_en=f"District {id}", focus=frozenset(focus),
                         local_makers=local_makers)


def pool(makers: dict[str, list[str]], companies: Iterable[CompanyFacts] = (),
         leads: dict[tuple[str, str], list[LeadFacts]] | None = None,
         districts: Iterable[DistrictFacts] = ()) -> CandidatePool:
    known = {c.id: c for c in companies}
    for ids in makers.values():
        for cid in ids:
            known.setdefault(cid, company(cid))
    return CandidatePool(makers={k: tuple(sorted(v)) for k, v in makers.items()}, companies=known,
                         leads={k: tuple(v) for k, v in (leads or {}).items()}, districts=tuple(districts))


def make_world(store: Any) -> None:
    """Two chains in a store: battery separators missing, one cell maker feeding local links,
    a joint venture here, an abolished district, a lead, and foreign firms to rank."""
    upsert_nodes(store, "Chain", [{"id": "nev", "name_zh": "新能源汽车", "name_en": "NEV", "tier": "lead"},
                                  {"id": "chips", "name_zh": "集成电路", "name_en": "Chips", "tier": "featured"}])
    upsert_nodes(store, "ChainNode", [
        {"id": "nev.separator", "chain_id": "nev", "name_zh": "电池隔膜", "name_en": "Battery separators",
         "position": 1, "high_tech": True, "in_focus": True},
        {"id": "nev.cell", "chain_id": "nev", "name_zh": "动力电池电芯", "name_en": "Battery cells", "position": 2,
         "high_tech": True, "in_focus": True},
        {"id": "nev.pack", "chain_id": "nev", "name_zh": "电池包", "name_en": "Battery packs", "position": 3,
         "high_tech": False, "in_focus": True},
        {"id": "nev.vehicle", "chain_id": "nev", "name_zh": "整车", "name_en": "Vehicles", "position": 4,
         "high_tech": False, "in_focus": True},
        {"id": "nev.recycling", "chain_id": "nev", "name_zh": "电池回收", "name_en": "Battery recycling",
         "position": 5, "high_tech": False, "in_focus": False},
        {"id": "chips.power", "chain_id": "chips", "name_zh": "功率半导体", "name_en": "Power semiconductors",
         "position": 1, "high_tech": True, "in_focus": True}])
    merge_rels(store, "PART_OF", "ChainNode", "Chain", [
        {"src": f"nev.{n}", "dst": "nev"} for n in ("separator", "cell", "pack", "vehicle", "recycling")]
        + [{"src": "chips.power", "dst": "chips"}])
    merge_rels(store, "FEEDS", "ChainNode", "ChainNode", [
        {"src": "nev.separator", "dst": "nev.cell"}, {"src": "nev.cell", "dst": "nev.pack"},
        {"src": "nev.pack", "dst": "nev.vehicle"}, {"src": "nev.vehicle", "dst": "nev.recycling"},
        {"src": "chips.power", "dst": "nev.vehicle"}])
    upsert_nodes(store, "District", [
        {"id": "500105", "name_zh": "江北区", "name_en": "Jiangbei", "valid_from": date(1995, 1, 1),
         "valid_to": date(2025, 11, 6)},
        {"id": "500157", "name_zh": "两江新区", "name_en": "Liangjiang New Area", "valid_from": date(2025, 11, 6)},
        {"id": "500106", "name_zh": "沙坪坝区", "name_en": "Shapingba", "valid_from": date(1995, 1, 1)}])
    merge_rels(store, "FOCUSES_ON", "District", "Chain", [
        {"src": "500105", "dst": "nev"}, {"src": "500157", "dst": "nev"}, {"src": "500106", "dst": "chips"}])
    upsert_nodes(store, "Company", [
        {"id": "catl", "name_zh": "宁德时代", "name_en": "CATL", "country": "CN", "fg500_rank": 292, "leading": True},
        {"id": "changan", "name_zh": "长安汽车", "name_en": "Changan", "country": "CN", "leading": True},
        {"id": "packco", "name_zh": "本地电池包", "name_en": "Local Packs", "country": "CN"},
        {"id": "semcorp", "name_zh": "恩捷股份", "name_en": "SEMCORP", "country": "CN", "leading": True},
        {"id": "asahi", "name_zh": "旭化成", "name_en": "Asahi Kasei", "country": "JP", "fg500_rank": 480,
         "multinational": True, "revenue_usd_m": 20000.0},
        {"id": "lg", "name_zh": "LG新能源", "name_en": "LG Energy Solution", "country": "KR", "multinational": True},
        {"id": "bosch", "name_zh": "博世", "name_en": "Bosch", "country": "DE", "fg500_rank": 110,
         "multinational": True},
        {"id": "bosch_cq", "name_zh": "博世（重庆）", "name_en": "Bosch Chongqing", "country": "CN"},
        {"id": "infineon", "name_zh": "英飞凌", "name_en": "Infineon", "country": "DE", "multinational": True}])
    merge_rels(store, "MAKES", "Company", "ChainNode", [
        {"src": "catl", "dst": "nev.cell"}, {"src": "changan", "dst": "nev.vehicle"},
        {"src": "packco", "dst": "nev.pack"}, {"src": "semcorp", "dst": "nev.separator"},
        {"src": "asahi", "dst": "nev.separator"}, {"src": "lg", "dst": "nev.cell"},
        {"src": "lg", "dst": "nev.separator"}, {"src": "bosch", "dst": "chips.power"},
        {"src": "bosch", "dst": "nev.pack"}, {"src": "bosch_cq", "dst": "chips.power"},
        {"src": "infineon", "dst": "chips.power"}])
    merge_rels(store, "PRESENT_IN", "Company", "District", [
        {"src": "catl", "dst": "500157"}, {"src": "changan", "dst": "500157"}, {"src": "packco", "dst": "500106"},
        {"src": "bosch_cq", "dst": "500106"}])
    merge_rels(store, "SUBSIDIARY_OF", "Company", "Company", [{"src": "bosch_cq", "dst": "bosch"}])
    merge_rels(store, "SUPPLIES", "Company", "Company", [{"src": "lg", "dst": "changan"}])
    upsert_nodes(store, "Lead", [{"id": "lead-1", "stage": "negotiating", "archived": False,
                                  "last_followup_at": datetime(2026, 2, 20, tzinfo=timezone.utc)}])
    merge_rels(store, "TARGETS", "Lead", "Company", [{"src": "lead-1", "dst": "asahi"}])
    merge_rels(store, "FILLS", "Lead", "ChainNode", [{"src": "lead-1", "dst": "nev.separator"}])
