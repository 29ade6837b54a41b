"""Factories: small, readable ways to put known data in a store (one place, not copied setup)."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from crm.base.access import SYSTEM
from crm.library.company_edits import create_company
from crm.library.contacts import create_contact
from crm.projects.firm_issues import create_issue
from crm.projects.inflows import add_inflow
from crm.events.events import create_event
from crm.followups.followups import create_followup
from crm.pipeline.leads import create_lead
from crm.people.notes import add_note
from crm.projects.projects import create_project
from crm.people.users import create_user
from graph.cypher import merge_rels, upsert_nodes

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)  # Friday 10:00 in Chongqing
PASSWORD = "correct horse battery"


def make_reference(store: Any) -> None:
    """A tiny chain world: two chains, five links, four districts (one abolished), five companies."""
    upsert_nodes(store, "Chain", [
        {"id": "nev", "name_zh": "智能网联新能源汽车", "name_en": "Intelligent connected NEV", "tier": "lead"},
        {"id": "electronics", "name_zh": "新一代电子信息制造", "name_en": "Electronics", "tier": "lead"}])
    upsert_nodes(store, "ChainNode", [
        {"id": "nev.cell", "chain_id": "nev", "name_zh": "动力电池电芯", "name_en": "Battery cells", "segment": "midstream",
         "position": 1, "high_tech": False, "in_focus": True},
        {"id": "nev.separator", "chain_id": "nev", "name_zh": "电池隔膜", "name_en": "Battery separators",
         "segment": "upstream", "position": 0, "high_tech": False, "in_focus": True},
        {"id": "nev.vehicle", "chain_id": "nev", "name_zh": "整车制造", "name_en": "Vehicle assembly",
         "segment": "downstream", "position": 2, "high_tech": False, "in_focus": True},
        {"id": "electronics.chip", "chain_id": "electronics", "name_zh": "功率半导体", "name_en": "Power semiconductors",
         "segment": "upstream", "position": 0, "high_tech": True, "in_focus": True},
        {"id": "electronics.notebook", "chain_id": "electronics", "name_zh": "笔记本电脑", "name_en": "Notebooks",
         "segment": "downstream", "position": 1, "high_tech": True, "in_focus": True}])
    merge_rels(store, "PART_OF", "ChainNode", "Chain", [
        {"src": "nev.cell", "dst": "nev"}, {"src": "nev.separator", "dst": "nev"}, {"src": "nev.vehicle", "dst": "nev"},
        {"src": "electronics.chip", "dst": "electronics"}, {"src": "electronics.notebook", "dst": "electronics"}])
    merge_rels(store, "FEEDS", "ChainNode", "ChainNode", [
        {"src": "nev.separator", "dst": "nev.cell"}, {"src": "nev.cell", "dst": "nev.vehicle"},
        {"src": "electronics.chip", "dst": "electronics.notebook"}])
    upsert_nodes(store, "District", [
        {"id": "500105", "name_zh": "江北区", "name_en": "Jiangbei District", "kind": "district",
         "valid_from": date(1995, 1, 1), "valid_to": date(2025, 11, 6)},
        {"id": "500157", "name_zh": "两江新区", "name_en": "Liangjiang New Area", "kind": "district",
         "valid_from": date(2025, 11, 6)},
        {"id": "500103", "name_zh": "渝中区", "name_en": "Yuzhong District", "kind": "district",
         "valid_from": date(1995, 1, 1)},
        {"id": "500106", "name_zh": "沙坪坝区", "name_en": "Shapingba District", "kind": "district",
         "valid_from": date(1995, 1, 1)}])
    merge_rels(store, "SUCCEEDED_BY", "District", "District", [{"src": "500105", "dst": "500157"}])
    upsert_nodes(store, "Company", [
        {"id": "catl", "name_zh": "宁德时代", "name_en": "CATL", "country": "CN", "fg500_rank": 292},
        {"id": "semcorp", "name_zh": "恩捷股份", "name_en": "SEMCORP", "country": "CN"},
        {"id": "bosch", "name_zh": "博世", "name_en": "Robert Bosch GmbH", "country": "DE", "fg500_rank": 110},
        {"id": "changan", "name_zh": "长安汽车", "name_en": "Changan Automobile", "country": "CN"},
        {"id": "infineon", "name_zh": "英飞凌", "name_en": "Infineon", "country": "DE"}])
    merge_rels(store, "MAKES", "Company", "ChainNode", [
        {"src": "catl", "dst": "nev.cell"}, {"src": "semcorp", "dst": "nev.separator"},
        {"src": "bosch", "dst": "electronics.chip"}, {"src": "changan", "dst": "nev.vehicle"},
        {"src": "infineon", "dst": "electronics.chip"}])
    merge_rels(store, "PRESENT_IN", "Company", "District", [{"src": "changan", "dst": "500157"}])


def make_user(store: Any, username: str, role: str, **kwargs: Any):
    return create_user(store, username=username, password=PASSWORD, role=role, actor=SYSTEM, now=NOW, **kwargs)


def make_lead(store: Any, *, actor=SYSTEM, now: datetime = NOW, **overrides: Any):
    data = {"company_id": "catl", "link_id": "nev.cell", "district_id": "500157", "priority": "A",
            "expected_usd": 50_000_000, "source": "ranking"} | overrides
    return create_lead(store, data, actor=actor, now=now)


def make_followup(store: Any, lead_id: str | None = None, *, actor=SYSTEM, now: datetime = NOW, **overrides: Any):
    """A call on the lead, due on the Monday after NOW (09:00 Chongqing), unless told otherwise."""
    data = {"lead_id": lead_id, "kind": "call", "due_on": date(2026, 11, 23)} | overrides
    return create_followup(store, data, actor=actor, now=now)


def make_event(store: Any, *, actor=SYSTEM, now: datetime = NOW, **overrides: Any):
    """A roadshow for the NEV chain a month after NOW (so its checklist is partly due), unless told otherwise."""
    data = {"name_zh": "德国新能源汽车产业链招商路演", "name_en": "NEV roadshow in Germany", "kind": "roadshow_abroad",
            "start_on": date(2026, 12, 21), "end_on": date(2026, 12, 23), "city_zh": "慕尼黑", "city_en": "Munich",
            "country": "DE", "chain_ids": ["nev"]} | overrides
    return create_event(store, data, actor=actor, now=now)


def make_project(store: Any, *, actor=SYSTEM, now: datetime = NOW, **overrides: Any):
    """A manufacturing project of Bosch in 两江新区 on the electronics chain, unless told otherwise."""
    data = {"name": "博世功率半导体扩产", "company_id": "bosch", "district_id": "500157", "link_id": "electronics.chip",
            "kind": "new", "manufacturing": True, "high_tech": True, "signed_on": date(2023, 3, 1),
            "contracted_fdi_usd": 60_000_000} | overrides
    return create_project(store, data, actor=actor, now=now)


def make_inflow(store: Any, project_id: str, *, actor=SYSTEM, now: datetime = NOW, **overrides: Any):
    data = {"received_on": date(2024, 5, 10), "amount_usd": 12_000_000, "kind": "equity"} | overrides
    return add_inflow(store, project_id, data, actor=actor, now=now)


def make_company(store: Any, *, actor=SYSTEM, now: datetime = NOW, **overrides: Any):
    """A European multinational making power chips, not yet in Chongqing, unless told otherwise."""
    data = {"name_zh": "意法半导体", "name_en": "STMicroelectronics N.V.", "aliases": ["ST", "意法"],
            "country": "CH", "multinational": True, "link_ids": ["electronics.chip"]} | overrides
    return create_company(store, data, actor=actor, now=now)


def make_contact(store: Any, *, actor=SYSTEM, now: datetime = NOW, **overrides: Any):
    data = {"company_id": "bosch", "name": "Anna Schmidt", "title": "VP China", "email": "anna@bosch.example"}
    return create_contact(store, data | overrides, actor=actor, now=now)


def make_issue(store: Any, project_id: str, *, actor=SYSTEM, now: datetime = NOW, **overrides: Any):
    data = {"project_id": project_id, "category": "energy", "title": "夏季限电影响生产"} | overrides
    return create_issue(store, data, actor=actor, now=now)


def make_note(store: Any, record_id: str, *, actor=SYSTEM, now: datetime = NOW, **overrides: Any):
    return add_note(store, {"record_id": record_id, "body": "已电话沟通"} | overrides, actor=actor, now=now)


def make_presence(store: Any, company_id: str, district_id: str, **props: Any) -> None:
    """The company present in the district (from `since` when given)."""
    merge_rels(store, "PRESENT_IN", "Company", "District", [{"src": company_id, "dst": district_id, **props}])


def make_yubei(store: Any) -> None:
    """渝北区 (500112), abolished on 6 November 2025 into 两江新区 (500157) as seeds/districts.yaml has it."""
    store.write("CREATE (:District {id: '500112', name_zh: '渝北区', name_en: 'Yubei District', kind: 'district', "
                "valid_from: $from, valid_to: $to})", {"from": date(1997, 6, 18), "to": date(2025, 11, 6)})
    store.write("MATCH (a:District {id: '500112'}) MATCH (b:District {id: '500157'}) "
                "CREATE (a)-[:SUCCEEDED_BY {effective_on: $d}]->(b)", {"d": date(2025, 11, 6)})
