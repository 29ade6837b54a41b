"""`chainlead report`: generates a finished week unless stored, prints its headline, writes the file."""
from datetime import date

import openpyxl
import pytest
from click.testing import CliRunner

from graph.engines.embedded import EmbeddedStore
from tests.documents import docx_text
from tests.factories import NOW, make_inflow, make_project, make_reference, make_user
from web.report_cli import report


@pytest.fixture
def cli_store(tmp_path, monkeypatch):
    """An embedded store with the reference data that the command opens (closed between the two)."""
    path = tmp_path / "cli.lbug"
    store = EmbeddedStore(path, buffer_pool_mb=256)
    store.ensure_schema()
    make_reference(store)
    monkeypatch.delenv("CHAINLEAD_NEO4J_URI", raising=False)
    monkeypatch.setenv("CHAINLEAD_DB_PATH", str(path))
    monkeypatch.setenv("CHAINLEAD_BUFFER_POOL_MB", "256")
    monkeypatch.setattr("web.report_cli.utcnow", lambda: NOW)
    return store


def test_it_generates_once_and_writes_the_file(tmp_path, cli_store):
    project = make_project(cli_store, signed_on=date(2026, 11, 9))
    make_inflow(cli_store, project.id, received_on=date(2026, 11, 10), amount_usd=35_000_000)
    cli_store.close()
    runner = CliRunner()
    out = tmp_path / "week.xlsx"
    first = runner.invoke(report, ["--format", "xlsx", "--out", str(out)], catch_exceptions=False)
    assert first.exit_code == 0 and "report 2026-W46 generated" in first.output
    assert "签约1个，合同外资6,000万美元" in first.output and out.exists()
    assert "7 财政奖励" in openpyxl.load_workbook(out).sheetnames
    again = runner.invoke(report, ["--week", "2026-W46"], catch_exceptions=False)
    assert again.exit_code == 0 and "as stored" in again.output
    assert runner.invoke(report, ["--week", "2026-W47"]).exit_code == 1   # not over until Sunday 22 November
    assert "has no week" in runner.invoke(report, ["--week", "2026-W99"]).output


def test_an_operator_writes_the_file_a_given_user_would_read(tmp_path, cli_store):
    for name, district in (("OURS project", "500103"), ("THEIRS project", "500157")):
        project = make_project(cli_store, name=name, district_id=district, signed_on=date(2026, 11, 9))
        make_inflow(cli_store, project.id, received_on=date(2026, 11, 10), amount_usd=35_000_000)
    make_user(cli_store, "officer", "district_officer", districts=["500103"])
    cli_store.close()
    runner = CliRunner()
    whole, theirs = tmp_path / "whole.docx", tmp_path / "officer.docx"
    assert runner.invoke(report, ["--format", "docx", "--out", str(whole)], catch_exceptions=False).exit_code == 0
    made = runner.invoke(report, ["--format", "docx", "--out", str(theirs), "--reader", "officer"],
                         catch_exceptions=False)
    assert made.exit_code == 0 and "as officer reads it" in made.output
    assert "THEIRS project" in docx_text(whole.read_bytes())
    text = docx_text(theirs.read_bytes())
    assert "OURS project" in text and "THEIRS project" not in text and "仅列您所辖区县（渝中区）" in text
    assert "no user 'nobody'" in runner.invoke(report, ["--format", "docx", "--reader", "nobody"]).output
    assert "--reader needs --format" in runner.invoke(report, ["--reader", "officer"]).output
