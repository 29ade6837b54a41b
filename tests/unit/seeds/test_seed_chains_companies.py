"""Integrity tests for the reference seed data seeds/chains.csv and seeds/companies.csv.

Pure Python: the CSV files are read with the csv module; no database is involved.
"""
from __future__ import annotations

import csv
import re
from datetime import date
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[3] / "seeds"
CHAINS_CSV = SEEDS / "chains.csv"
COMPANIES_CSV = SEEDS / "companies.csv"
DISTRICTS_YAML = SEEDS / "districts.yaml"

CHAIN_COLUMNS = [
    "chain_id", "chain_name_zh", "chain_name_en", "cluster_zh", "tier", "link_id",
    "link_name_zh", "link_name_en", "segment", "position", "high_tech", "in_focus", "feeds",
]
COMPANY_COLUMNS = [
    "company_id", "name_zh", "name_en", "aliases", "country", "fg500_rank", "fg500_year", "fg500_source",
    "industry", "multinational", "leading", "revenue_usd_m", "employees", "makes",
    "present_in", "presence_ended", "supplies", "parent", "source", "source_date",
]
SLUG = re.compile(r"^[a-z][a-z0-9_]*$")
BOOL = {"true", "false"}


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def _split(value: str) -> list[str]:
    return [part for part in value.split(";") if part]


def _codes(value: str) -> list[str]:
    """The district codes of a `present_in` cell, without the start days some carry (`500157:2025-11-06`)."""
    return [part.partition(":")[0] for part in _split(value)]


@pytest.fixture(scope="module")
def chains() -> list[dict[str, str]]:
    header, rows = _read(CHAINS_CSV)
    assert header == CHAIN_COLUMNS
    return rows


@pytest.fixture(scope="module")
def companies() -> list[dict[str, str]]:
    header, rows = _read(COMPANIES_CSV)
    assert header == COMPANY_COLUMNS
    return rows


@pytest.fixture(scope="module")
def links(chains: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {row["link_id"]: row for row in chains}


# ---------------------------------------------------------------- chains.csv

def test_link_ids_unique_and_well_formed(chains):
    ids = [row["link_id"] for row in chains]
    assert len(ids) == len(set(ids)), "duplicate link_id"
    for row in chains:
        chain_id, _, slug = row["link_id"].partition(".")
        assert chain_id == row["chain_id"], row["link_id"]
        assert SLUG.match(chain_id) and SLUG.match(slug), row["link_id"]


def test_at_least_eight_chains_with_the_three_lead_clusters(chains):
    by_chain = defaultdict(set)
    for row in chains:
        by_chain[row["chain_id"]].add((row["chain_name_zh"], row["tier"], row["cluster_zh"]))
    assert len(by_chain) >= 8
    for chain_id, attrs in by_chain.items():
        assert len(attrs) == 1, f"{chain_id}: chain attributes differ between its rows"
    assert {"nev", "electronics", "materials"} <= set(by_chain)
    for chain_id in ("nev", "electronics", "materials"):
        assert next(iter(by_chain[chain_id]))[1] == "lead"
    tiers = {next(iter(v))[1] for v in by_chain.values()}
    assert tiers == {"lead", "pillar", "featured"}


def test_every_chain_has_12_to_40_links_in_upstream_to_downstream_order(chains):
    by_chain = defaultdict(list)
    for row in chains:
        by_chain[row["chain_id"]].append(row)
    order = {"upstream": 0, "midstream": 1, "downstream": 2}
    for chain_id, rows in by_chain.items():
        assert 12 <= len(rows) <= 40, f"{chain_id} has {len(rows)} links"
        positions = [int(r["position"]) for r in rows]
        assert sorted(positions) == list(range(1, len(rows) + 1)), chain_id
        ranked = sorted(rows, key=lambda r: int(r["position"]))
        segs = [order[r["segment"]] for r in ranked]
        assert segs == sorted(segs), f"{chain_id}: segments not ordered by position"


def test_flags_and_focus_mix(chains):
    by_chain = defaultdict(list)
    for row in chains:
        assert row["high_tech"] in BOOL and row["in_focus"] in BOOL, row["link_id"]
        by_chain[row["chain_id"]].append(row)
    for chain_id, rows in by_chain.items():
        off = sum(1 for r in rows if r["in_focus"] == "false")
        assert 2 <= off <= 6, f"{chain_id}: {off} non-focus links"


def test_every_feeds_target_exists(chains, links):
    for row in chains:
        for target in _split(row["feeds"]):
            assert target in links, f"{row['link_id']} feeds unknown {target}"
            assert target != row["link_id"]


def _find_cycle(edges: dict[str, list[str]]) -> list[str] | None:
    white, grey, black = 0, 1, 2
    colour: dict[str, int] = defaultdict(int)
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        colour[node] = grey
        stack.append(node)
        for nxt in edges.get(node, []):
            if colour[nxt] == grey:
                return stack[stack.index(nxt):] + [nxt]
            if colour[nxt] == white:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        colour[node] = black
        return None

    for node in list(edges):
        if colour[node] == white:
            found = visit(node)
            if found:
                return found
    return None


def test_no_feeds_cycle_within_a_chain(chains):
    per_chain: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for row in chains:
        same = [t for t in _split(row["feeds"]) if t.split(".")[0] == row["chain_id"]]
        per_chain[row["chain_id"]][row["link_id"]] = same
    for chain_id, edges in per_chain.items():
        assert _find_cycle(edges) is None, f"cycle in {chain_id}: {_find_cycle(edges)}"


def test_no_feeds_cycle_globally(chains):
    edges = {row["link_id"]: _split(row["feeds"]) for row in chains}
    assert _find_cycle(edges) is None, _find_cycle(edges)


def test_chain_is_connected_and_only_downstream_links_are_sinks(chains):
    by_chain = defaultdict(list)
    for row in chains:
        by_chain[row["chain_id"]].append(row)
    for chain_id, rows in by_chain.items():
        ids = {r["link_id"] for r in rows}
        adj: dict[str, set[str]] = {i: set() for i in ids}
        for r in rows:
            for t in _split(r["feeds"]):
                if t in ids:
                    adj[r["link_id"]].add(t)
                    adj[t].add(r["link_id"])
            if not _split(r["feeds"]):
                assert r["segment"] == "downstream", f"{r['link_id']} feeds nothing"
        start = next(iter(ids))
        seen, todo = {start}, [start]
        while todo:
            for nxt in adj[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        assert seen == ids, f"{chain_id}: links not connected: {sorted(ids - seen)}"


# ------------------------------------------------------------- companies.csv

def test_at_least_200_companies_with_unique_ids(companies):
    ids = [c["company_id"] for c in companies]
    assert len(ids) >= 200
    assert len(ids) == len(set(ids)), "duplicate company_id"
    for c in companies:
        assert SLUG.match(c["company_id"]), c["company_id"]
        assert c["name_zh"] and c["name_en"] and c["source"], c["company_id"]
        assert re.fullmatch(r"[A-Z]{2}", c["country"]), c["company_id"]
        assert c["multinational"] in BOOL and c["leading"] in BOOL, c["company_id"]
        for field in ("revenue_usd_m", "employees"):
            if c[field]:
                assert float(c[field]) > 0, (c["company_id"], field)


def test_every_company_makes_an_existing_link(companies, links):
    for c in companies:
        makes = _split(c["makes"])
        assert makes, f"{c['company_id']} makes nothing"
        for link_id in makes:
            assert link_id in links, f"{c['company_id']} makes unknown {link_id}"


def test_present_in_codes_are_chongqing_codes(companies):
    for c in companies:
        for code in _codes(c["present_in"]):
            assert re.fullmatch(r"500\d{3}", code), f"{c['company_id']}: {code}"


@pytest.mark.skipif(not DISTRICTS_YAML.exists(), reason="districts seed not present")
def test_beijing_hyundai_has_no_chongqing_plant_after_2021(companies):
    """Issue 15: the 鱼嘴 plant stopped in December 2021 and was sold at the end of 2023."""
    bh = next(c for c in companies if c["company_id"] == "beijing_hyundai")
    assert not bh["present_in"] and bh["presence_ended"] == "500105:2022-01-01:shutdown"
    assert "December 2021" in bh["source"] and "end of 2023" in bh["source"]


def test_present_in_codes_are_known_districts(companies):
    known = set(re.findall(r'code:\s*"(500\d{3})"', DISTRICTS_YAML.read_text(encoding="utf-8")))
    for c in companies:
        for code in _codes(c["present_in"]):
            assert code in known, f"{c['company_id']}: {code} not in districts.yaml"


def test_a_presence_in_liangjiang_begins_no_earlier_than_the_district(companies):
    """两江新区 500157 exists from 2025-11-06: a presence there says so, or it would read as held before."""
    for c in companies:
        for item in _split(c["present_in"]):
            code, _, day = item.partition(":")
            if code == "500157":
                assert day and date.fromisoformat(day) >= date(2025, 11, 6), f"{c['company_id']}: {item}"


def test_supplies_and_parent_reference_existing_companies(companies):
    ids = {c["company_id"] for c in companies}
    for c in companies:
        for other in _split(c["supplies"]) + _split(c["parent"]):
            assert other in ids, f"{c['company_id']} references unknown {other}"
            assert other != c["company_id"]


def test_fg500_rank_and_year(companies):
    ranks = []
    for c in companies:
        if c["fg500_rank"] == "unknown":
            assert not c["fg500_year"] and "rank unknown" in c["source"], c["company_id"]
        elif c["fg500_rank"]:
            rank = int(c["fg500_rank"])
            assert 1 <= rank <= 500, c["company_id"]
            assert c["fg500_year"] == "2024", c["company_id"]
            ranks.append(rank)
        else:
            assert not c["fg500_year"], c["company_id"]
    assert len(ranks) == len(set(ranks)), "two companies share a Fortune Global 500 rank"


ESTIMATED = re.compile(r"approximat|estimat|recollection|verify|guess", re.IGNORECASE)


def test_every_fg500_rank_is_a_published_one_with_its_source(companies):
    """Issue 15: a rank is the published list's, with the year and where it was read, or it is empty."""
    for c in companies:
        if c["fg500_rank"] in ("", "unknown"):
            continue
        cited = re.search(rf"Fortune Global 500 {c['fg500_year']} #{c['fg500_rank']} \(([^)]*)\)", c["source"])
        assert cited, f"{c['company_id']}: rank {c['fg500_rank']} without its source"
        assert not ESTIMATED.search(cited.group(1)), f"{c['company_id']}: rank marked as estimated: {cited.group(1)}"
        listed = c["fg500_source"]
        assert listed.startswith(f"Fortune Global 500 {c['fg500_year']} "), f"{c['company_id']}: rank without its list"
        assert not ESTIMATED.search(listed), f"{c['company_id']}: rank marked as estimated: {listed}"


def test_only_a_rank_has_a_list_source(companies):
    for c in companies:
        assert bool(c["fg500_source"]) == (c["fg500_rank"] not in ("", "unknown")), c["company_id"]


CITED_DAY = re.compile(r"\b((?:19|20)\d\d-\d\d-\d\d)\b")


def test_a_rows_source_date_is_the_newest_day_its_source_cites(companies):
    """The date of each fact is the publication day of the newest dated document the row cites; a row
    citing no dated document stays undated (the steward view lists it), never a guessed day."""
    today = date.today()
    for c in companies:
        cited = sorted(CITED_DAY.findall(c["source"]))
        assert c["source_date"] == (cited[-1] if cited else ""), c["company_id"]
        if c["source_date"]:
            assert date.fromisoformat(c["source_date"]) <= today, c["company_id"]


def test_hyundai_motor_is_73rd_on_the_2024_list(companies):
    hyundai = next(c for c in companies if c["company_id"] == "hyundai")
    assert (hyundai["fg500_rank"], hyundai["fg500_year"]) == ("73", "2024")


# --------------------------------------------------------------- gap picture

def _local_makers(companies) -> dict[str, set[str]]:
    local = defaultdict(set)
    for c in companies:
        if _split(c["present_in"]):
            for link_id in _split(c["makes"]):
                local[link_id].add(c["company_id"])
    return local


def test_gap_picture_is_realistic(chains, companies):
    local = _local_makers(companies)
    focus = [r["link_id"] for r in chains if r["in_focus"] == "true"]
    missing = [l for l in focus if not local[l]]
    share = len(missing) / len(focus)
    assert share >= 0.25, f"only {share:.0%} of focus links lack a local maker"
    assert share <= 0.50, f"{share:.0%} of focus links lack a local maker"
    assert any(len(local[r["link_id"]]) == 1 for r in chains), "no single-source link"


def test_every_chain_has_a_local_picture(chains, companies):
    local = _local_makers(companies)
    by_chain = defaultdict(list)
    for r in chains:
        by_chain[r["chain_id"]].append(r["link_id"])
    for chain_id, link_ids in by_chain.items():
        covered = [l for l in link_ids if local[l]]
        assert covered, f"{chain_id} has no local maker at all"


def test_every_industry_of_the_library_has_a_chinese_name():
    from crm.library.reference import industry_names

    with (Path(__file__).resolve().parents[3] / "seeds" / "companies.csv").open(encoding="utf-8") as fh:
        used = {row["industry"] for row in csv.DictReader(fh) if row["industry"]}
    names = industry_names()
    assert used - set(names) == set()
    assert all(re.search(r"[\u4e00-\u9fff]", zh) for zh in names.values())


# ------------------------------------------------------------ presence sources

UNSURE = re.compile(r"assumed|verify", re.I)
NOT_RECORDED = "no presence recorded"


def test_every_presence_names_its_source_and_none_is_assumed(companies):
    """Issue 15, item 3: a presence is sourced, or it is not in the file."""
    for c in companies:
        if not _split(c["present_in"]):
            continue
        assert c["source"].strip(), f"{c['company_id']}: presence without a source"
        assert not UNSURE.search(c["source"]), f"{c['company_id']}: presence still marked assumed/verify"
        assert NOT_RECORDED not in c["source"], f"{c['company_id']}: presence kept although its source says it was dropped"


def test_a_dropped_presence_says_why(companies):
    dropped = [c for c in companies if NOT_RECORDED in c["source"]]
    assert dropped
    for c in dropped:
        assert not _split(c["present_in"]), c["company_id"]
        assert re.search(r"presence (not sourced|reported \(.+\) but district not sourced)", c["source"]), c["company_id"]


def test_no_row_is_marked_assumed_or_verify_any_more(companies):
    assert [c["company_id"] for c in companies if UNSURE.search(c["source"])] == []


def test_the_nev_drive_links_the_map_called_empty_have_a_sourced_local_maker(companies):
    """Issue 15, item 6: thermal management and the electric drive are made in Chongqing."""
    local = _local_makers(companies)
    for link_id in ("nev.thermal_mgmt", "nev.e_axle", "nev.motor_controller"):
        assert local[link_id], f"{link_id} has no local maker"


def test_the_well_known_local_makers_an_official_would_name_are_in_the_library(companies):
    """Issue 15, item 6: beer, wind turbines, traction motors, rail-transit equipment, primary aluminium and
    data centres are made in Chongqing, and consumer finance is run from it; each keeps a local maker whose
    source says where it was read."""
    local = _local_makers(companies)
    by_id = {c["company_id"]: c for c in companies}
    for link_id in ("food.beer_beverage", "energy_storage.wind_turbine", "nev.drive_motor",
                    "equipment.rail_transit", "materials.primary_aluminium", "software.data_center",
                    "software.fintech"):
        assert local[link_id], f"{link_id} has no local maker"
        for company_id in local[link_id]:
            assert re.search(r"https?://|\w\.(com|cn|net)\b", by_id[company_id]["source"]), f"{company_id}: source names no address"
