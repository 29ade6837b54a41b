"""A synthetic bureau for the API benchmarks, on either engine: chains, companies, people, leads.

Every record is labelled synthetic. Leads are bulk-written (with their relationships, whose ids
the leads mirror); about one in five has no owner, so it waits in the pool. Each staff member
gets an API token, so benchmark clients act as different people.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from bench.synthetic import generate
from crm.base.access import SYSTEM
from crm.people.users import create_token, create_user
from graph.cypher import merge_rels, upsert_nodes
from graph.meta import initialise

STAGES = ["identified", "contacted", "visited", "negotiating", "signed", "dropped"]
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)
PASSWORD = "bench-password"


@dataclass
class Bureau:
    admin_token: str
    staff: list[tuple[str, str]] = field(default_factory=list)  # (user id, API token)
    companies: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)
    leads: int = 0


def write_bureau(store: Any, *, leads: int, staff: int = 20, seed: int = 11) -> Bureau:
    """Write the synthetic world into an empty store and return who may call the API."""
    initialise(store, now=NOW)
    g = generate(companies=5000, links=400, makes=20_000, feeds=800, chains=10)
    upsert_nodes(store, "Chain", g.chains)
    upsert_nodes(store, "ChainNode", g.links)
    upsert_nodes(store, "District", g.districts)
    upsert_nodes(store, "Company", g.companies)
    merge_rels(store, "PART_OF", "ChainNode", "Chain", g.part_of)
    admin = create_user(store, username="bench", password=PASSWORD, role="admin", actor=SYSTEM, now=NOW)
    people = [create_user(store, username=f"staff{i}", password=PASSWORD, role="staff", actor=SYSTEM, now=NOW,
                          synthetic=True) for i in range(staff)]
    bureau = Bureau(create_token(store, admin.id, "bench", actor=SYSTEM, now=NOW)[0],
                    [(p.id, create_token(store, p.id, "bench", actor=SYSTEM, now=NOW)[0]) for p in people],
                    [c["id"] for c in g.companies], [link["id"] for link in g.links], [d["id"] for d in g.districts],
                    leads)
    write_leads(store, leads, g, [p.id for p in people], random.Random(seed))
    return bureau


def write_leads(store: Any, count: int, g: Any, owners: list[str], rnd: random.Random) -> None:
    links = [rnd.choice(g.links) for _ in range(count)]
    rows = [{"id": f"lead-syn-{i:06d}", "title": f"合成线索 {i:06d} synthetic lead", "stage": rnd.choice(STAGES),
             "chain_id": links[i]["chain_id"], "search_text": f"合成线索 {i:06d} synthetic lead | {links[i]['name_zh']}",
             "priority": rnd.choice("ABC"), "expected_usd": rnd.randrange(1, 300) * 1_000_000,
             "source": "ranking", "created_at": NOW - timedelta(days=rnd.randrange(700)),
             "updated_at": NOW - timedelta(days=rnd.randrange(100)), "version": 1, "archived": False,
             "synthetic": True} for i in range(count)]
    upsert_nodes(store, "Lead", rows)
    merge_rels(store, "TARGETS", "Lead", "Company",
               [{"src": r["id"], "dst": rnd.choice(g.companies)["id"]} for r in rows])
    merge_rels(store, "FILLS", "Lead", "ChainNode", [{"src": r["id"], "dst": link["id"]} for r, link in zip(rows, links)])
    merge_rels(store, "LANDS_IN", "Lead", "District",
               [{"src": r["id"], "dst": rnd.choice(g.districts)["id"]} for r in rows])
    merge_rels(store, "OWNED_BY", "Lead", "User", [{"src": r["id"], "dst": rnd.choice(owners)} for r in rows
                                                   if rnd.random() < 0.8])
