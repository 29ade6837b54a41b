"""A small promotion world for page tests: leads and projects in three districts and two chains,
a company whose name is a script tag, and local trade partners.

    两江新区 500157: lead `lj` (CATL, nev.cell, staff's, scored), lead `xss` (the script company)
                     and project `proj_lj` (Bosch, electronics.chip)
    渝中区 500103:   lead `yz` (Bosch, electronics.chip, in the pool) and project `proj_yz` (CATL, nev.cell)
    沙坪坝区 500106: lead `spb` (SEMCORP, nev.separator, staff's)
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from graph.cypher import merge_rels, upsert_nodes
from tests.factories import make_contact, make_inflow, make_issue, make_lead, make_note, make_project

XSS = "<script>alert(1)</script>"
FACTORS = {"action": "supplement", "severity": 0.9, "score": 71.5,
           "factors": {"gap": 0.9, "standing": 0.7, "synergy": 0.3, "policy_fit": 0.8, "engagement": 0.1,
                       "district": 0.6},
           "weights": {"gap": 0.35, "standing": 0.2, "synergy": 0.15, "policy_fit": 0.15, "engagement": 0.05,
                       "district": 0.1},
           "reason_zh": "补链：动力电池电芯本地无企业生产", "reason_en": "Supplement: no local maker of battery cells"}


@dataclass
class World:
    lj: Any
    yz: Any
    spb: Any
    xss: Any
    proj_lj: Any
    proj_yz: Any


def build(store: Any, *, owner_id: str) -> World:
    upsert_nodes(store, "Company", [{"id": "xss", "name_zh": XSS, "name_en": XSS, "country": "US"}])
    merge_rels(store, "MAKES", "Company", "ChainNode", [{"src": "xss", "dst": "nev.vehicle"}])
    merge_rels(store, "SUPPLIES", "Company", "Company", [{"src": "changan", "dst": "semcorp"},
                                                         {"src": "semcorp", "dst": "changan"},
                                                         {"src": "infineon", "dst": "semcorp"},
                                                         {"src": "xss", "dst": "changan"}])
    merge_rels(store, "PRESENT_IN", "Company", "District", [{"src": "xss", "dst": "500157"}])
    lj = make_lead(store, owner_id=owner_id, score=71.5, score_factors=FACTORS)
    yz = make_lead(store, company_id="bosch", link_id="electronics.chip", district_id="500103", priority="B",
                   expected_usd=8_000_000)
    spb = make_lead(store, company_id="semcorp", link_id="nev.separator", district_id="500106", owner_id=owner_id,
                    priority="C")
    xss = make_lead(store, company_id="xss", link_id="nev.vehicle", district_id="500157", title=XSS)
    proj_lj = make_project(store)
    proj_yz = make_project(store, name="宁德时代渝中电芯", company_id="catl", district_id="500103", link_id="nev.cell",
                           high_tech=False)
    make_inflow(store, proj_lj.id, received_on=date(2024, 5, 10), amount_usd=35_000_000)
    make_issue(store, proj_lj.id, title="夏季限电影响生产")
    make_issue(store, proj_yz.id, title="渝中用工短缺")
    make_note(store, lj.id, body="首次电话沟通，对方有意向")
    make_contact(store, company_id="catl", name="曾先生", title="中国区副总裁")
    return World(lj, yz, spb, xss, proj_lj, proj_yz)
