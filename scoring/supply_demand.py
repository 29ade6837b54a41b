"""The supply–demand signal per district (issue 14, item 6): the links no local firm makes that firms in a
district buy from outside, because they make a link it FEEDS. A district officer's list of what to bring
in for the firms already there; the gap map counts them per district.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from scoring.projection import project_chains, today


@dataclass(frozen=True)
class OutsideSupply:
    link_id: str
    chain_id: str | None
    name_zh: str | None
    name_en: str | None
    buyers: list[dict[str, Any]] = field(default_factory=list)  # {id, name_zh, name_en} of the district's buyers
    buyers_citywide: int = 0
    districts_citywide: int = 0


def bought_from_outside(store: Any, district_id: str | None = None, *, chain_id: str | None = None,
                        as_of: date | None = None) -> dict[str, list[OutsideSupply]]:
    """{district: the links without a local maker its firms buy, most buyers first} on `as_of` (today)."""
    day = today(as_of)
    G = project_chains(store, chain_id, as_of=day)
    found = {n: d["buyers_by_district"] for n, d in G.nodes(data=True)
             if d.get("member", True) and d["local_makers"] == 0 and d["buyers_by_district"]}
    ids = sorted({b for by_district in found.values() for firms in by_district.values() for b in firms})
    names = {r["id"]: r for r in store.read("MATCH (c:Company) WHERE c.id IN $ids "
                                           "RETURN c.id AS id, c.name_zh AS name_zh, c.name_en AS name_en",
                                           {"ids": ids})}
    out: dict[str, list[OutsideSupply]] = {}
    for node, by_district in sorted(found.items()):
        data = G.nodes[node]
        for district, firms in by_district.items():
            if district_id is not None and district != district_id:
                continue
            out.setdefault(district, []).append(OutsideSupply(
                node, data.get("chain_id"), data.get("name_zh"), data.get("name_en"),
                [names.get(b, {"id": b, "name_zh": None, "name_en": None}) for b in sorted(firms)],
                data["local_buyers"], data["buyer_districts"]))
    for rows in out.values():
        rows.sort(key=lambda r: (-len(r.buyers), r.link_id))
    return out
