"""`chainlead init` and `chainlead import …` from the shell: summaries, exit codes, every problem on stderr."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from crm.cli import cli, register_commands
from graph.engines.embedded import EmbeddedStore
from tests.conftest import ROOT
from tests.factories.files import LINKS, company, csv_file

register_commands()


@pytest.fixture
def shell(tmp_path, monkeypatch):
    """Run `chainlead …` against an embedded store in tmp_path."""
    monkeypatch.delenv("CHAINLEAD_NEO4J_URI", raising=False)
    monkeypatch.setenv("CHAINLEAD_DB_PATH", str(tmp_path / "cli.lbug"))
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, list(args), catch_exceptions=False)


def test_init_loads_the_seeds_and_says_what_it_did(shell):
    result = shell("init")
    assert result.exit_code == 0
    assert "seeds: 765 nodes created" in result.output
    assert "42 districts, 10 chains (202 links), 477 companies, 8 event series (26 editions)" in result.output


def test_init_without_seeds_only_creates_the_schema(shell):
    result = shell("init", "--no-seed")
    assert result.exit_code == 0 and "schema ready" in result.output and "seeds:" not in result.output


def test_import_prints_what_changed(shell, tmp_path):
    shell("init", "--no-seed")
    assert shell("import", "chains", str(csv_file(tmp_path, LINKS, name="chains.csv"))).exit_code == 0
    result = shell("import", "companies", str(csv_file(tmp_path, [company(present_in="")])))
    assert result.exit_code == 0
    assert "companies.csv: 1 rows; Company: 1 created, 0 updated, 0 unchanged; MAKES +1" in result.output


def test_a_bad_file_exits_non_zero_with_every_problem(shell, tmp_path):
    shell("init", "--no-seed")
    rows = [company(fg500_rank="abc", present_in=""), company(name_en="Other", aliases="", country="Germany",
                                                              present_in="")]
    result = shell("import", "companies", str(csv_file(tmp_path, rows)))
    assert result.exit_code == 1
    assert 'companies.csv:2: column fg500_rank: "abc" is not a whole number' in result.output
    assert 'companies.csv:3: column country: "Germany" is not a two-letter ISO' in result.output
    assert "problem(s) in the file; nothing was written" in result.output


def test_a_wrong_file_type_is_refused_before_the_store_opens(shell, tmp_path):
    path = tmp_path / "companies.json"
    path.write_text("[]")
    result = shell("import", "companies", str(path))
    assert result.exit_code == 1 and "only .csv and .xlsx files can be imported" in result.output
    assert not (tmp_path / "cli.lbug").exists()


def test_the_cli_says_who_holds_the_embedded_store(tmp_path):
    held = EmbeddedStore(tmp_path / "busy.lbug", buffer_pool_mb=64)
    try:
        env = {**os.environ, "CHAINLEAD_DB_PATH": str(tmp_path / "busy.lbug")}
        env.pop("CHAINLEAD_NEO4J_URI", None)
        done = subprocess.run([sys.executable, "-m", "web.cli", "import", "chains",
                               str(csv_file(tmp_path, LINKS, name="chains.csv"))],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    finally:
        held.close()
    assert done.returncode == 1
    assert f"is in use by process {os.getpid()}" in done.stderr


def test_init_leaves_out_a_seed_company_the_bureau_already_has_under_its_own_id(shell, tmp_path):
    shell("init", "--no-seed")
    own = company(company_id="JX-0042", makes="", present_in="")
    assert shell("import", "companies", str(csv_file(tmp_path, [own]))).exit_code == 0
    result = shell("init")
    assert result.exit_code == 0
    assert "1 seed companies skipped as ambiguous" in result.output
    assert "has a new company_id (bosch) but the name of: 罗伯特·博世有限公司 (JX-0042)" in result.output
