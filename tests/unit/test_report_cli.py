"""`chainlead report`: generates a finished week unless stored, prints its headline, writes the file."""
from datetime import date

import openpyxl
from click.testing import CliRunner

from graph.engines.embedded import EmbeddedStore
from tests.factories import NOW, make_inflow, make_project, make_reference
from web.report_cli import report


def test_it_generates_once_and_writes_the_file(tmp_path, monkeypatch):
    path = tmp_path / "cli.lbug"
    store = EmbeddedStore(path, buffer_pool_mb=256)
    store.ensure_schema()
    make_reference(store)
    project = make_project(store, signed_on=date(2026, 11, 12))
    make_inflow(store, project.id, received_on=date(2026, 11, 10), amount_usd=35_000_000)
    store.close()
    monkeypatch.delenv("CHAINLEAD_NEO4J_URI", raising=False)
    monkeypatch.setenv("CHAINLEAD_DB_PATH", str(path))
    monkeypatch.setenv("CHAINLEAD_BUFFER_POOL_MB", "256")
    monkeypatch.setattr("web.report_cli.utcnow", lambda: NOW)
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
