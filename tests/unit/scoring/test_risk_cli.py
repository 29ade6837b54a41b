"""`chainlead risk` from the shell: the watch list with each firm's dated signals, JSON for scripts."""
from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from crm.base.access import SYSTEM
from crm.projects.risk_signals import record_signal
from graph.engines.embedded import EmbeddedStore
from scoring.risk_cli import risk
from tests.factories import NOW, make_presence, make_reference


@pytest.fixture
def shell(tmp_path, monkeypatch):
    """An embedded store with 博世 present in 两江新区 and its parent's closure recorded."""
    path = tmp_path / "cli.lbug"
    store = EmbeddedStore(path, buffer_pool_mb=128)
    store.ensure_schema()
    make_reference(store)
    make_presence(store, "bosch", "500157")
    record_signal(store, {"company_id": "bosch", "district_id": "500157", "kind": "parent_closure",
                          "signal_on": date(2026, 11, 2), "note": "母公司宣布关闭重庆工厂"}, actor=SYSTEM, now=NOW)
    store.close()
    monkeypatch.delenv("CHAINLEAD_NEO4J_URI", raising=False)
    monkeypatch.setenv("CHAINLEAD_DB_PATH", str(path))
    monkeypatch.setenv("CHAINLEAD_BUFFER_POOL_MB", "128")
    runner = CliRunner()
    return lambda *args: runner.invoke(risk, list(args), catch_exceptions=False)


def test_risk_json_lists_the_firm_with_its_dated_signal(shell):
    found = json.loads(shell("--json").output)
    assert [e["company_id"] for e in found] == ["bosch"]
    closure = next(s for s in found[0]["risk"]["signals"] if s["kind"] == "parent_closure")
    assert closure == {"kind": "parent_closure", "on": "2026-11-02", "points": 40,
        "why_zh": "母公司宣布关闭重庆工厂", "why_en": "母公司宣布关闭重庆工厂"}


def test_risk_filters_by_chain_and_district(shell):
    assert json.loads(shell("--chain", "nev", "--json").output) == []
    assert json.loads(shell("--district", "500106", "--json").output) == []
    text = shell("--district", "500157").output
    assert "bosch" in text and "2026-11-02  parent_closure" in text


def test_risk_speaks_english_when_asked(shell):
    chinese, english = shell().output, shell("--lang", "en").output
    assert "博世" in chinese and "Bosch" in english and "博世" not in english
