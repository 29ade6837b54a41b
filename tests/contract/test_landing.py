"""The living graph (issue 14): a lead signed for a 补链 gap, its project moved to the landing stage →
the investor is present and makes the link, the link is no longer a 补链 gap, the company is no
longer a candidate for it, and the closing is a dated fact; the presence ended → the gap re-opens;
the gaps as of a day before and after give the old and the new picture. On both engines."""
from datetime import date

import pytest

from crm.base.access import SYSTEM
from crm.errors import InvalidTransition, NotFound, ValidationFailed
from crm.library.presence import end_presence, restore_presence
from crm.pipeline.leads import move_lead
from crm.pipeline.stages import OPEN_STAGES
from crm.projects import lifecycle
from crm.projects.landing import gap_changes
from crm.projects.projects import fetch
from scoring.gaps import analyse_gaps
from scoring.ranking import rank_candidates
from tests.factories import NOW, make_company, make_lead, make_presence, make_reference

LANDED = date(2026, 3, 19)


def supplement_gap_with_a_candidate(store):
    """A 补链 link and a foreign company that makes it but is not in Chongqing."""
    ranking = rank_candidates(store, action="supplement", now=NOW)
    assert len(ranking), "the reference world has a 补链 gap with candidates"
    first = ranking[0]
    return first.link_id, first.company_id


def action_of(store, link_id):
    return next(g.action for g in analyse_gaps(store) if g.link_id == link_id)


def signed_project(store, link_id, company_id):
    lead = make_lead(store, company_id=company_id, link_id=link_id, district_id="500157")
    for stage in OPEN_STAGES[1:]:
        move_lead(store, lead.id, stage, actor=SYSTEM, now=NOW, expected_version=None)
    move_lead(store, lead.id, "signed", actor=SYSTEM, now=NOW, expected_version=None,
              project={"signed_on": date(2026, 1, 5)})
    return store.read("MATCH (:Lead {id: $id})-[:BECAME]->(p:Project) RETURN p.id AS id", {"id": lead.id})[0]["id"]


def test_a_project_that_lands_closes_its_gap_and_leaves_the_candidates(store):
    make_reference(store)
    link_id, company_id = supplement_gap_with_a_candidate(store)
    project_id = signed_project(store, link_id, company_id)
    assert action_of(store, link_id) == "supplement", "signing alone does not put a maker in Chongqing"

    lifecycle.move_project(store, project_id, "registered", on=LANDED, reason=None, actor=SYSTEM, now=NOW,
                           expected_version=None)

    project = fetch(store, project_id)
    assert (project.stage, project.stage_on, project.landed_on) == ("registered", LANDED, LANDED)
    assert action_of(store, link_id) != "supplement"
    assert (company_id, link_id) not in {(c.company_id, c.link_id) for c in rank_candidates(store, now=NOW)}
    [change] = gap_changes(store, project_id=project_id)
    assert (change["link_id"], change["kind"], change["day"]) == (link_id, "closed", LANDED)
    presence = store.read("MATCH (:Company {id: $c})-[r:PRESENT_IN]->(:District {id: '500157'}) "
                          "RETURN r.since AS since, r.source_project AS project, r.sources AS sources, "
                          "r.source_date AS day", {"c": company_id})
    cited = [f"project {project.name} ({project_id})"]
    assert presence == [{"since": LANDED, "project": project_id, "sources": cited, "day": LANDED}], \
        "a landed fact cites its project, dated on its landing day, so the steward does not see it as undated"


def test_moving_on_past_the_landing_stage_records_nothing_twice(store):
    make_reference(store)
    link_id, company_id = supplement_gap_with_a_candidate(store)
    project_id = signed_project(store, link_id, company_id)
    lifecycle.move_project(store, project_id, "started", on=LANDED, reason=None, actor=SYSTEM, now=NOW,
                           expected_version=None)
    lifecycle.move_project(store, project_id, "producing", on=date(2026, 9, 1), reason=None, actor=SYSTEM, now=NOW,
                           expected_version=None)
    assert fetch(store, project_id).landed_on == LANDED, "skipping past the landing stage lands on that day"
    assert len(gap_changes(store, project_id=project_id)) == 1
    assert store.read("MATCH (:Company {id: $c})-[r:PRESENT_IN]->(:District {id: '500157'}) RETURN count(r) AS n",
                      {"c": company_id})[0]["n"] == 1


def test_a_move_back_needs_a_reason_and_a_day_must_be_real(store):
    make_reference(store)
    link_id, company_id = supplement_gap_with_a_candidate(store)
    project_id = signed_project(store, link_id, company_id)
    with pytest.raises(ValidationFailed) as future:
        lifecycle.move_project(store, project_id, "registered", on=date(2027, 1, 1), reason=None, actor=SYSTEM,
                               now=NOW, expected_version=None)
    assert "on" in future.value.errors
    with pytest.raises(ValidationFailed) as early:
        lifecycle.move_project(store, project_id, "registered", on=date(2025, 12, 1), reason=None, actor=SYSTEM,
                               now=NOW, expected_version=None)
    assert "before the signing" in early.value.errors["on"][0]
    lifecycle.move_project(store, project_id, "started", on=LANDED, reason=None, actor=SYSTEM, now=NOW,
                           expected_version=None)
    with pytest.raises(ValidationFailed) as back:
        lifecycle.move_project(store, project_id, "registered", on=LANDED, reason=None, actor=SYSTEM, now=NOW,
                               expected_version=None)
    assert "reason" in back.value.errors
    with pytest.raises(InvalidTransition):
        lifecycle.move_project(store, project_id, "started", on=LANDED, reason=None, actor=SYSTEM, now=NOW,
                               expected_version=None)
    assert fetch(store, project_id).stage == "started"


def test_a_presence_that_ends_reopens_the_gap_and_history_keeps_both_pictures(store):
    """The landed firm leaves: the gap re-opens from that day, and `as_of` gives the picture of any day."""
    make_reference(store)
    link_id, company_id = supplement_gap_with_a_candidate(store)
    project_id = signed_project(store, link_id, company_id)
    lifecycle.move_project(store, project_id, "registered", on=LANDED, reason=None, actor=SYSTEM, now=NOW,
                           expected_version=None)
    left = date(2026, 10, 1)

    reopened = end_presence(store, company_id, "500157", until=left, reason="relocation", actor=SYSTEM, now=NOW)

    assert link_id in reopened and action_of(store, link_id) == "supplement"
    kinds = [(g["kind"], g["day"]) for g in gap_changes(store, link_id=link_id)]
    assert kinds == [("reopened", left), ("closed", LANDED)]

    def action_on(day):
        return next(g.action for g in analyse_gaps(store, as_of=day) if g.link_id == link_id)

    assert action_on(date(2026, 1, 1)) == "supplement", "before the landing"
    assert action_on(date(2026, 6, 1)) != "supplement", "while the firm was there"
    assert action_on(date(2026, 10, 1)) == "supplement", "from the day it left"

    restore_presence(store, company_id, "500157", actor=SYSTEM, now=NOW)
    assert action_of(store, link_id) != "supplement" and [g["kind"] for g in gap_changes(store, link_id=link_id)] == [
        "closed"]


def test_a_presence_ended_on_a_past_day_reopens_the_gap_for_a_firm_that_came_only_later(store):
    """Backdated: the landed firm left in May; another maker arrived only in August. The gap was open
    from May, so the re-opening is kept, dated May, though a maker is present today."""
    make_reference(store)
    link_id, company_id = supplement_gap_with_a_candidate(store)
    project_id = signed_project(store, link_id, company_id)
    lifecycle.move_project(store, project_id, "registered", on=LANDED, reason=None, actor=SYSTEM, now=NOW,
                           expected_version=None)
    later = make_company(store, name_en="Later Maker GmbH", name_zh="后来者", country="DE", link_ids=[link_id])
    make_presence(store, later.id, "500106", since=date(2026, 8, 1))

    reopened = end_presence(store, company_id, "500157", until=date(2026, 5, 1), reason="exit", actor=SYSTEM, now=NOW)

    assert reopened == [link_id]
    assert [(g["kind"], g["day"]) for g in gap_changes(store, link_id=link_id)][0] == ("reopened", date(2026, 5, 1))


def test_ending_a_presence_refuses_bad_input_and_changes_nothing(store):
    make_reference(store)
    present = store.read("MATCH (c:Company)-[:PRESENT_IN]->(d:District) RETURN c.id AS c, d.id AS d LIMIT 1")[0]
    for until, reason, field in ((date(2027, 1, 1), "exit", "until"), (date(2025, 1, 1), "boredom", "reason"),
                                 (None, "exit", "until")):
        with pytest.raises(ValidationFailed) as refused:
            end_presence(store, present["c"], present["d"], until=until, reason=reason, actor=SYSTEM, now=NOW)
        assert field in refused.value.errors
    with pytest.raises(NotFound):
        end_presence(store, present["c"], "500243", until=date(2025, 1, 1), reason="exit", actor=SYSTEM, now=NOW)
    assert store.read("MATCH (:Company {id: $c})-[r:PRESENT_IN]->(:District {id: $d}) RETURN count(r) AS n",
                      present)[0]["n"] == 1
