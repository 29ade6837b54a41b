"""What rows may refer to, read once before validating: links, chains, districts, companies.

Validation stays a pure function over rows plus this snapshot. Districts resolve to today's
division: a company's presence is a fact of today, so a code abolished before `today` (江北区
500105) follows SUCCEEDED_BY to its successor (两江新区 500157).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from crm.base.clock import local_today


@dataclass(frozen=True)
class District:
    id: str
    name_zh: str | None
    name_en: str | None
    valid_from: date | None
    valid_to: date | None
    successor: str | None


@dataclass(frozen=True)
class References:
    link_chain: dict[str, str] = field(default_factory=dict)  # link id -> its chain id
    chains: frozenset[str] = frozenset()
    feeds: frozenset[tuple[str, str]] = frozenset()
    districts: dict[str, District] = field(default_factory=dict)
    companies: frozenset[str] = frozenset()
    today: date | None = None

    def current_district(self, code: str) -> str:
        """Follow successors of divisions abolished by today (at most a few steps; cycles stop)."""
        seen = {code}
        while True:
            d = self.districts[code]
            if d.successor is None or d.valid_to is None or (self.today and d.valid_to > self.today):
                return code
            if d.successor in seen or d.successor not in self.districts:
                return code
            code = d.successor
            seen.add(code)

    def district_by_name(self, name: str) -> list[str]:
        """Codes whose Chinese or English name is `name`, today's divisions first."""
        lowered = name.lower()
        found = [d for d in self.districts.values()
                 if name == d.name_zh or (d.name_en and lowered == d.name_en.lower())]
        return [d.id for d in sorted(found, key=lambda d: d.valid_to is not None)]


def load_references(store: Any, *, now: datetime) -> References:
    links = store.read("MATCH (l:ChainNode) RETURN l.id AS id, l.chain_id AS chain")
    chains = store.read("MATCH (c:Chain) RETURN c.id AS id")
    feeds = store.read("MATCH (a:ChainNode)-[:FEEDS]->(b:ChainNode) RETURN a.id AS a, b.id AS b")
    districts = store.read(
        "MATCH (d:District) OPTIONAL MATCH (d)-[:SUCCEEDED_BY]->(s:District) "
        "RETURN d.id AS id, d.name_zh AS name_zh, d.name_en AS name_en, d.valid_from AS valid_from, "
        "d.valid_to AS valid_to, s.id AS successor")
    companies = store.read("MATCH (c:Company) RETURN c.id AS id")
    return References(
        link_chain={r["id"]: r["chain"] for r in links},
        chains=frozenset(r["id"] for r in chains),
        feeds=frozenset((r["a"], r["b"]) for r in feeds),
        districts={r["id"]: District(**r) for r in districts},
        companies=frozenset(r["id"] for r in companies),
        today=local_today(now),
    )
