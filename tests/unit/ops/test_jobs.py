"""The job functions and `chainlead job`: re-scoring from the ranking, the report hook, runs by hand."""
import logging
from datetime import timedelta

import pytest
from click.testing import CliRunner

from crm.base import hooks
from crm.ops import jobs
from crm.cli.jobs import job
from crm.pipeline.leads import fetch
from graph.engines.embedded import EmbeddedStore
from tests.factories import NOW, make_lead, make_reference, make_user


def test_rescoring_gives_open_leads_their_ranking_score(embedded_store):
    make_reference(embedded_store)
    lead = make_lead(embedded_store)
    assert jobs.rescore_leads(embedded_store, now=NOW) == 1
    scored = fetch(embedded_store, lead.id)
    assert scored.score is not None and scored.score > 0 and "factors" in scored.score_factors
    assert scored.version == lead.version    # derived data: no one editing the lead gets a conflict


def test_without_a_lead_ranking_rescoring_says_so_and_does_nothing(embedded_store, monkeypatch, caplog):
    monkeypatch.setattr(hooks, "_installed", None)
    make_reference(embedded_store)
    make_lead(embedded_store)
    with caplog.at_level(logging.INFO, logger="chainlead.jobs"):
        assert jobs.rescore_leads(embedded_store, now=NOW) == 0
    assert "no lead ranking is installed" in caplog.text


def test_a_job_runs_by_hand_and_its_status_is_shown(tmp_path, monkeypatch):
    path = tmp_path / "cli.lbug"
    store = EmbeddedStore(path, buffer_pool_mb=256)
    store.ensure_schema()
    make_reference(store)
    owner = make_user(store, "li", "staff")
    make_lead(store, owner_id=owner.id, now=NOW - timedelta(days=40))
    store.close()
    monkeypatch.delenv("CHAINLEAD_NEO4J_URI", raising=False)
    monkeypatch.setenv("CHAINLEAD_DB_PATH", str(path))
    monkeypatch.setenv("CHAINLEAD_BUFFER_POOL_MB", "256")
    monkeypatch.setattr("crm.cli.jobs.utcnow", lambda: NOW)
    runner = CliRunner()
    result = runner.invoke(job, ["run", "return_stale_leads"], catch_exceptions=False)
    assert result.exit_code == 0 and result.output.strip() == "return_stale_leads: 1"
    assert runner.invoke(job, ["run", "return_stale_leads"]).output.strip() == "return_stale_leads: 0"
    assert "no job has run yet" in runner.invoke(job, ["status"]).output
    assert runner.invoke(job, ["run", "make_coffee"]).exit_code == 2


@pytest.mark.parametrize("name", sorted(jobs.JOBS))
def test_every_job_is_safe_to_run_twice(embedded_store, name):
    """On an empty store only the weekly report has something to do (last week's, once)."""
    assert jobs.JOBS[name](embedded_store, now=NOW) == (1 if name == "weekly_report" else 0)
    assert jobs.JOBS[name](embedded_store, now=NOW) == 0
