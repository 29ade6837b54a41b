"""The chains format (seeds/chains.csv is an example): one row per link, chain columns repeated.

`validate_chains(table, refs)` is pure: it returns the chains and links it read and every
problem, including chain columns that disagree between rows, FEEDS targets that exist nowhere,
links moved between chains, and FEEDS cycles (upstream must stay upstream).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from crm.choices import CHAIN_TIERS, LINK_SEGMENTS
from crm.library.imports import cells
from crm.library.imports.columns import Column, check_header, parse_cells
from crm.library.imports.problems import Problem, quoted
from crm.library.imports.references import References
from crm.library.imports.table import Table

TIERS = CHAIN_TIERS.spellings()
SEGMENTS = LINK_SEGMENTS.spellings()

COLUMNS = (
    Column("chain_id", cells.ident, "The chain's key (`nev`); every row names its chain."),
    Column("chain_name_zh", cells.text, "Chinese name of the chain (once per chain is enough)."),
    Column("chain_name_en", cells.text, "English name of the chain."),
    Column("cluster_zh", cells.text, "The 33618 cluster it belongs to."),
    Column("tier", cells.choice(TIERS), "`lead`, `pillar` or `featured` (主导/支柱/特色)."),
    Column("link_id", cells.ident, "The link's key (`nev.battery_cell`); required."),
    Column("link_name_zh", cells.text, "Chinese name of the link."),
    Column("link_name_en", cells.text, "English name of the link."),
    Column("segment", cells.choice(SEGMENTS), "`upstream`, `midstream` or `downstream` (上游/中游/下游)."),
    Column("position", cells.whole(1), "Order of the link within its chain, from 1 upstream."),
    Column("high_tech", cells.boolean, "High-tech manufacturing in the NBS classification: `true`/`false`."),
    Column("in_focus", cells.boolean, "On the city's chain map (`true`) or an extension direction (`false`)."),
    Column("feeds", cells.ident_list, "Link ids this link supplies, separated by `;` (may be in other chains)."),
)
CHAIN_PROPS = {"chain_name_zh": "name_zh", "chain_name_en": "name_en", "cluster_zh": "cluster_zh", "tier": "tier"}
LINK_PROPS = {"link_name_zh": "name_zh", "link_name_en": "name_en", "segment": "segment", "position": "position",
              "high_tech": "high_tech", "in_focus": "in_focus"}


@dataclass
class ChainRows:
    chains: dict[str, dict[str, Any]] = field(default_factory=dict)       # chain id -> Chain props
    links: dict[str, dict[str, Any]] = field(default_factory=dict)        # link id -> ChainNode props
    feeds: list[tuple[str, str, int]] = field(default_factory=list)       # (from, to, row)


def validate_chains(table: Table, refs: References) -> tuple[ChainRows, list[Problem]]:
    problems = list(table.problems) + check_header(table, COLUMNS, need_one_of=("link_id",))
    out = ChainRows()
    if problems:  # with a wrong header every row would be read wrongly: the header first
        return out, problems
    link_rows: dict[str, int] = {}
    chain_rows: dict[str, int] = {}
    chain_first: dict[tuple[str, str], tuple[Any, int]] = {}
    for number, raw in table.rows:
        values = parse_cells(table, number, raw, COLUMNS, problems)

        def problem(column: str | None, message: str, number: int = number) -> None:
            problems.append(Problem(table.name, number, column, message))

        chain_id, link_id = values.get("chain_id"), values.get("link_id")
        if chain_id is None and "chain_id" not in {p.column for p in problems if p.row == number}:
            problem("chain_id", "is required")
        if link_id is None and "link_id" not in {p.column for p in problems if p.row == number}:
            problem("link_id", "is required")
        if chain_id is None or link_id is None:
            continue
        if link_id in link_rows:
            problem("link_id", f"{quoted(link_id)} is also in row {link_rows[link_id]}")
            continue
        link_rows[link_id] = number
        stored_chain = refs.link_chain.get(link_id)
        if stored_chain is not None and stored_chain != chain_id:
            problem("chain_id", f"link {quoted(link_id)} belongs to chain {quoted(stored_chain)}; "
                                "links cannot move between chains")
        chain = out.chains.setdefault(chain_id, {})
        chain_rows.setdefault(chain_id, number)
        for column, prop in CHAIN_PROPS.items():
            if column not in values:
                continue
            first = chain_first.setdefault((chain_id, column), (values[column], number))
            if first[0] != values[column]:
                problem(column, f"{quoted(str(values[column]))} differs from {quoted(str(first[0]))} "
                                f"given for chain {chain_id} in row {first[1]}")
            chain[prop] = first[0]
        link = {prop: values[column] for column, prop in LINK_PROPS.items() if column in values}
        out.links[link_id] = {"chain_id": chain_id, **link}
        out.feeds += [(link_id, target, number) for target in values.get("feeds", [])]
    for chain_id, chain in out.chains.items():
        if chain_id not in refs.chains and not chain.get("name_zh") and not chain.get("name_en"):
            problems.append(Problem(table.name, chain_rows[chain_id], "chain_name_zh",
                                    f"new chain {quoted(chain_id)} needs chain_name_zh or chain_name_en"))
    problems += _check_feeds(table.name, out, refs)
    return out, sorted(problems, key=lambda p: (p.row or 0, p.column or ""))


def _check_feeds(name: str, rows: ChainRows, refs: References) -> list[Problem]:
    problems = []
    graph = nx.DiGraph(list(refs.feeds))
    for a, b, number in rows.feeds:
        if a == b:
            problems.append(Problem(name, number, "feeds", "a link cannot feed itself"))
        elif b not in rows.links and b not in refs.link_chain:
            problems.append(Problem(name, number, "feeds", f"no chain link {quoted(b)} in this file or the store"))
        else:
            graph.add_edge(a, b)
    component = {node: i for i, nodes in enumerate(nx.strongly_connected_components(graph)) for node in nodes}
    for a, b, number in rows.feeds:
        if a != b and graph.has_edge(a, b) and component[a] == component[b]:
            cycle = " → ".join([a] + nx.shortest_path(graph, b, a))
            problems.append(Problem(name, number, "feeds", f"makes a FEEDS cycle: {cycle}"))
    return problems
