"""Light id-and-name lists for pickers and filters: one small query each, no counts or joins.

Forms and filter bars need every chain, link, district or colleague by name, on every render;
the full reference reads (crm/library/reference.py) count makers per link and are too heavy for that.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from crm.policy import section


@dataclass(frozen=True)
class Option:
    id: str
    name_zh: str | None = None
    name_en: str | None = None
    group: str | None = None


def chains(store: Any) -> list[Option]:
    rows = store.read("MATCH (ch:Chain) RETURN ch.id AS id, ch.name_zh AS zh, ch.name_en AS en ORDER BY ch.id")
    return [Option(r["id"], r["zh"], r["en"]) for r in rows]


def links(store: Any, chain_id: str | None = None) -> list[Option]:
    """Every chain link (or one chain's), in chain order, grouped by chain id."""
    where = "WHERE n.chain_id = $chain " if chain_id else ""
    rows = store.read("MATCH (n:ChainNode) " + where + "RETURN n.id AS id, n.name_zh AS zh, n.name_en AS en, "
                      "n.chain_id AS chain ORDER BY n.chain_id, n.position, n.id", {"chain": chain_id})
    return [Option(r["id"], r["zh"], r["en"], r["chain"]) for r in rows]


def districts(store: Any, *, today: date, only: list[str] | None = None) -> list[Option]:
    """Today's divisions (new records land only there), optionally just some of them."""
    where = "WHERE (d.valid_from IS NULL OR d.valid_from <= $today) AND (d.valid_to IS NULL OR d.valid_to > $today) "
    if only is not None:
        where += "AND d.id IN $wanted "
    rows = store.read("MATCH (d:District) " + where + "RETURN d.id AS id, d.name_zh AS zh, d.name_en AS en "
                      "ORDER BY d.id", {"today": today, "wanted": list(only or [])})
    return [Option(r["id"], r["zh"], r["en"]) for r in rows]


def people(store: Any) -> list[Option]:
    """Active colleagues who may own work (display name in both languages), by username."""
    rows = store.read("MATCH (u:User) WHERE u.active = true AND u.role <> 'viewer' "
                      "RETURN u.id AS id, u.display_name AS name, u.username AS username ORDER BY u.username")
    return [Option(r["id"], r["name"] or r["username"], r["name"] or r["username"]) for r in rows]


def countries(store: Any) -> list[str]:
    """The country codes companies in the library carry, for the country filter."""
    rows = store.read("MATCH (c:Company) WHERE c.country IS NOT NULL RETURN DISTINCT c.country AS country "
                      "ORDER BY country")
    return [r["country"] for r in rows]


def company(store: Any, company_id: str) -> Option | None:
    rows = store.read("MATCH (c:Company {id: $id}) RETURN c.id AS id, c.name_zh AS zh, c.name_en AS en",
                      {"id": company_id})
    return Option(rows[0]["id"], rows[0]["zh"], rows[0]["en"]) if rows else None


def industry_categories() -> list[Option]:
    """The project categories policy declares (they decide 任务 10's exclusions)."""
    categories: Any = section("industry_categories")  # a list in the file, though sections are usually mappings
    return [Option(c["id"], c["label_zh"], c["label_en"]) for c in categories]
