"""`chainlead demo`: a synthetic history on the real seeds, labelled, repeatable and added once."""
from datetime import datetime, timezone

import pytest

from crm.demo import generate_demo
from crm.demo.accounts import DEMO_PASSWORD
from crm.library.seeding import load_seeds
from crm.people.users import check_password
from graph.engines.embedded import EmbeddedStore
from web.demo import _candidates

pytestmark = pytest.mark.xdist_group("demo")  # its module fixture is built once, on one worker

NOW = datetime(2026, 12, 4, 2, 0, tzinfo=timezone.utc)  # the seeds cite the data review of that day


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    # 512 MB as `chainlead demo` has by default: the history, then four weekly reports, outgrow 256 MB.
    store = EmbeddedStore(tmp_path_factory.mktemp("demo") / "demo.lbug", buffer_pool_mb=512)
    store.ensure_schema()
    load_seeds(store, now=NOW)
    summary = generate_demo(store, now=NOW, candidates=_candidates, leads_per_chain=2)
    yield store, summary
    store.close()


def test_it_builds_a_history_from_the_ranked_candidates(demo):
    _, summary = demo
    assert summary.created and summary.counts["leads"] >= 15
    assert summary.counts["stage changes"] > 0 and summary.counts["follow-ups"] > 0


def test_everything_it_adds_is_labelled_synthetic(demo):
    store, _ = demo
    for label in ("Lead", "Project", "CapitalInflow", "Contact", "Task", "FollowUp", "Issue", "Note"):
        unlabelled = store.read(f"MATCH (n:{label}) WHERE n.synthetic <> true RETURN count(n) AS n")[0]["n"]
        assert unlabelled == 0, label


def test_running_it_again_adds_nothing(demo):
    store, summary = demo
    before = store.read("MATCH (l:Lead) RETURN count(l) AS n")[0]["n"]
    assert not generate_demo(store, now=NOW, candidates=_candidates, leads_per_chain=2).created
    assert store.read("MATCH (l:Lead) RETURN count(l) AS n")[0]["n"] == before


def test_the_demo_logins_work_with_their_scopes(demo):
    store, _ = demo
    assert check_password(store, "admin", DEMO_PASSWORD).role == "admin"
    assert check_password(store, "sun.hao", DEMO_PASSWORD).districts == ["500157"]
    assert check_password(store, "liu.yang", DEMO_PASSWORD).chains == ["energy_storage", "nev"]


def test_it_ends_with_the_last_four_weeks_reports_labelled_synthetic(demo):
    from crm.reports import Week, list_reports

    store, summary = demo
    latest = Week.last_completed(NOW)
    assert summary.counts["weekly reports"] == 4 and summary.counts["recent leads"] > 0
    reports = list_reports(store)
    assert [r.week for r in reports] == [latest.id, latest.previous.id, latest.previous.previous.id,
                                         latest.previous.previous.previous.id]
    assert all(r.synthetic for r in reports)


def test_roadshows_have_checklists_at_different_states_and_held_events_their_outcome(demo):
    store, summary = demo
    statuses = {r["s"]: r["n"] for r in store.read(
        "MATCH (t:Task)-[:FOR_EVENT]->(e:Event) WHERE e.synthetic = true RETURN t.status AS s, count(t) AS n")}
    assert statuses.get("done", 0) > 0 and statuses.get("open", 0) > 0
    assert summary.counts["more events"] == 2 and summary.counts["events held"] >= 2
    held = store.read("MATCH (e:Event) WHERE e.synthetic = true AND e.status = 'held' RETURN e.outcome AS outcome")
    assert held and all("合成" in r["outcome"] for r in held)


def test_projects_have_planned_days_and_a_few_are_stalled(demo):
    from crm.projects.stalls import stalled_projects

    store, _ = demo
    unplanned = store.read("MATCH (p:Project) WHERE p.registered_planned_on IS NULL RETURN count(p) AS n")[0]["n"]
    assert unplanned == 0
    assert stalled_projects(store, day=NOW.date())


def test_the_resilience_trend_is_kept_weekly_from_the_dated_history_and_labelled_synthetic(demo):
    from crm.demo.latest_weeks import add_resilience_trend
    from scoring.hooks import provide

    store, _ = demo
    chains = store.read("MATCH (c:Chain) RETURN count(c) AS n")[0]["n"]
    assert add_resilience_trend(store, now=NOW, scoring=provide(), weeks=3) == {"resilience snapshots": 3 * (chains + 1)}
    kept = store.read("MATCH (s:ResilienceSnapshot) WHERE s.chain_id = 'city' RETURN s.week AS week, "
                      "s.synthetic AS synthetic ORDER BY week")
    assert [r["week"] for r in kept] == ["2026-W46", "2026-W47", "2026-W48"] and all(r["synthetic"] for r in kept)


def test_leads_move_through_their_stages_and_some_sign_into_projects(demo):
    store, summary = demo
    signed = store.read("MATCH (l:Lead)-[:BECAME]->(p:Project) RETURN count(p) AS n")[0]["n"]
    assert signed > 0 and summary.counts["stage changes"] > summary.counts["leads"]


def test_projects_stand_at_every_lifecycle_stage_and_one_landed_firm_left_again(demo):
    store, summary = demo
    stages = {r["stage"] for r in store.read("MATCH (p:Project) RETURN DISTINCT p.stage AS stage")}
    assert stages >= {"signed", "registered", "started", "producing", "full_production", "withdrawn"}
    ended = store.read("MATCH (:Company)-[r:WAS_PRESENT_IN]->(:District) WHERE r.source_project IS NOT NULL "
                       "RETURN count(r) AS n")[0]["n"]
    reopened = store.read("MATCH (g:GapChange) WHERE g.kind = 'reopened' RETURN count(g) AS n")[0]["n"]
    assert summary.counts["exits"] == 1 and ended == 1 and reopened >= 1


def test_a_few_landed_foreign_firms_are_on_the_exit_risk_watch(demo):
    from crm.base.access import SYSTEM
    from crm.base.clock import local_today
    from scoring.exit_watch import watch_list

    store, summary = demo
    assert summary.counts["firms watched"] >= 2 and summary.counts["risk signals"] >= 3
    watched = [e for e in watch_list(store, actor=SYSTEM, today=local_today(NOW)) if e.risk.signals]
    assert len(watched) >= 2
    assert watched[0].risk.escalate  # the parent's closure, a lease ending and an issue open for months
    unlabelled = store.read("MATCH (s:RiskSignal) WHERE s.synthetic <> true RETURN count(s) AS n")[0]["n"]
    assert unlabelled == 0
