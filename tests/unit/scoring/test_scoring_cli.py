"""`chainlead gaps` and `chainlead rank` from the shell: text for people, JSON with factors for scripts."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from graph.engines.embedded import EmbeddedStore
from scoring.cli import demand, gaps, rank, resilience
from tests.scoring_factories import make_world


@pytest.fixture
def shell(tmp_path, monkeypatch):
    """Run a scoring command against an embedded store in tmp_path holding the small chain world."""
    path = tmp_path / "cli.lbug"
    store = EmbeddedStore(path, buffer_pool_mb=128)
    store.ensure_schema()
    make_world(store)
    store.close()
    monkeypatch.delenv("CHAINLEAD_NEO4J_URI", raising=False)
    monkeypatch.setenv("CHAINLEAD_DB_PATH", str(path))
    monkeypatch.setenv("CHAINLEAD_BUFFER_POOL_MB", "128")
    runner = CliRunner()
    return lambda command, *args: runner.invoke(command, list(args), catch_exceptions=False)


def test_gaps_prints_each_chain_s_links_by_action(shell):
    result = shell(gaps, "--chain", "nev")
    assert result.exit_code == 0
    assert "补链 Supplement (1)" in result.output
    assert "nev.separator" in result.output and "本地无电池隔膜企业" in result.output


def test_gaps_json_has_one_object_per_link_with_its_reasons(shell):
    result = shell(gaps, "--json")
    found = {g["link_id"]: g for g in json.loads(result.output)}
    assert found["nev.recycling"]["action"] == "extend"
    assert found["nev.cell"]["reasons"][0]["code"] == "few_sources"


def test_an_unknown_chain_is_an_error(shell):
    result = shell(gaps, "--chain", "nosuch")
    assert result.exit_code == 1 and "no links for chain 'nosuch'" in result.output


def test_rank_json_carries_factors_and_honours_action_and_top(shell):
    result = shell(rank, "--action", "supplement", "--top", "2", "--json")
    found = json.loads(result.output)
    assert [c["rank"] for c in found] == [1, 2]
    assert {c["action"] for c in found} == {"supplement"}
    assert set(found[0]["factors"]) == {"gap", "standing", "synergy", "policy_fit", "engagement", "district", "demand"}


def test_rank_prints_reasons_in_the_chosen_language(shell):
    result = shell(rank, "--chain", "chips", "--lang", "en")
    assert result.exit_code == 0
    assert "Infineon" in result.output and "proposed landing: Shapingba" in result.output


def test_resilience_prints_the_city_then_each_chain_and_json_for_scripts(shell):
    out = shell(resilience)
    assert out.exit_code == 0 and out.output.splitlines()[0].startswith("city")
    found = json.loads(shell(resilience, "--json", "--as-of", "2026-01-01").output)
    assert [r["chain_id"] for r in found] == [None, "chips", "nev"]
    assert all(0 <= r["index"] <= 100 and set(r["parts"]) == {"coverage", "single_source", "depth", "outside"}
               for r in found)
    assert json.loads(shell(resilience, "--chain", "nev", "--json").output)[0]["chain_id"] == "nev"
    assert shell(resilience, "--chain", "nope").exit_code != 0


def test_demand_lists_per_district_what_local_firms_buy_from_outside(shell):
    # the small world: CATL (两江新区) makes cells, which need separators nobody local makes
    found = json.loads(shell(demand, "--json").output)
    assert [(r["district_id"], r["link_id"], [b["id"] for b in r["buyers"]]) for r in found] == \
        [("500157", "nev.separator", ["catl"])]
    assert json.loads(shell(demand, "--district", "500106", "--json").output) == []
    text = shell(demand, "--lang", "en").output
    assert "nev.separator" in text and "CATL" in text
