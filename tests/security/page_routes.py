"""Who may open each page and send each form: endpoint name → its cases (as in api_routes.py).

Forms are posted as a browser does, with the session's CSRF token (added by the walk).
A page missing here fails tests/security/test_route_access.py: add it with the rule it follows.
"""
from __future__ import annotations

from datetime import date

from crm.base.access import SYSTEM
from crm.library import companies
from tests.security.rules import (VISIT_OURS, WATCHED_OURS, ADMIN, COMMENT_LIBRARY, COMMENT_OURS, COMMENT_THEIRS, EVERYONE, ORGANISERS,
                                  READ_THEIRS, STAFF, WRITE_OURS, WRITE_THEIRS, Call, Case, public)
from tests.factories import NOW
from tests.security.world import SIDES


def _both(method, build, ours, theirs):
    return [Case(method, ours, lambda w, p: build(w, p, "ours"), "ours"),
            Case(method, theirs, lambda w, p: build(w, p, "theirs"), "theirs")]


def _commit(upload):
    return Call(form={"token": upload.token, "sha256": upload.sha256})


def _move_project(w, p, side):
    project = w.fresh_project(side)
    return Call({"project_id": project.id},
                form={"to": "withdrawn", "on": "2023-06-01", "reason": "walk", "version": project.version})


def _end_presence(w, p, ended: bool = False):
    """A company of its own present in 沙坪坝区 (its presence already ended when `ended`, to restore it)."""
    from crm.library.presence import end_presence
    from tests.factories import make_company

    company = make_company(w.store, name_en=f"Walk page presence {p} {ended}", name_zh=None, aliases=[],
                           district_ids=["500106"], link_ids=[])
    if ended:
        end_presence(w.store, company.id, "500106", until=date(2024, 1, 1), reason="exit", actor=SYSTEM, now=NOW)
    form = {} if ended else {"until": "2024-01-01", "reason": "exit"}
    return Call({"company_id": company.id, "district_id": "500106"}, form=form)


def _lead(w, p, side):
    return Call({"lead_id": w.side(side).lead.id})


def _project(w, p, side):
    return Call({"project_id": w.side(side).project.id})


def _edit_lead(w, p, side):
    lead = w.fresh_lead(side)
    return Call({"lead_id": lead.id}, form={**SIDES[side], "title": f"{side.upper()} lead edited", "priority": "A",
                                            "source": lead.source, "version": lead.version})


def _claim(w, p, side):
    lead = w.fresh_lead(side, owner_id=None)
    return Call({"lead_id": lead.id}, form={"version": lead.version})


def _move(w, p, side):
    lead = w.fresh_lead(side)
    return Call({"lead_id": lead.id}, form={"to": "contacted", "version": lead.version})


def _reassign(w, p, side):
    lead = w.fresh_lead(side)
    return Call({"lead_id": lead.id}, form={"owner_id": w.users["admin"].id, "version": lead.version})


def _schedule(w, p, side):
    return Call({"lead_id": w.side(side).lead.id}, form={"kind": "call", "due_on": "2026-11-24",
                                                          "title": f"{side.upper()} call"})


def _complete(w, p, side):
    item = w.fresh_followup(side)
    return Call({"lead_id": item.lead_id, "followup_id": item.id}, form={"outcome": "谈妥", "version": item.version})


def _note(key, record):
    return lambda w, p, side: Call({key: getattr(w.side(side), record).id}, form={"body": f"{side.upper()} note"})


def _inflow(w, p, side):
    return Call({"project_id": w.side(side).project.id},
                form={"received_on": "2026-02-02", "amount_usd": "1,000,000", "kind": "equity"})


def _edit_event(w, p):
    """The shared event keeps its kind, dates and chains (later cases rank targets for them)."""
    e = w.event
    return Call({"event_id": e.id}, form={"name_zh": f"{e.name_zh}（{p}）", "kind": e.kind, "chain_ids": e.chain_ids,
                                          "start_on": e.start_on.isoformat(), "end_on": e.end_on.isoformat(),
                                          "owner_id": e.owner_id or "", "version": w.version("Event", e.id)})


def _edit_project(w, p, side):
    project = w.side(side).project
    return Call({"project_id": project.id}, form={
        "name": f"{side.upper()} project ({p})", "kind": project.kind, "district_id": project.district_id,
        "link_id": project.link_id or "", "manufacturing": "1", "version": w.version("Project", project.id)})


def _edit_company(w, p):
    """Bosch keeps its names, links and presence (other cases and sides rely on them)."""
    bosch = companies.fetch(w.store, "bosch")
    return Call({"company_id": "bosch"}, form={
        "name_zh": bosch.name_zh or "", "name_en": bosch.name_en or "", "country": bosch.country or "",
        "industry": f"walk {p}", "link_ids": bosch.link_ids, "district_ids": bosch.district_ids,
        "version": w.version("Company", "bosch")})


def _assign_issue(w, p, side):
    issue = w.fresh_issue(side)
    return Call({"project_id": issue.project_id, "issue_id": issue.id},
                form={"owner_id": w.users["staff"].id, "version": issue.version})


def _move_issue(w, p, side):
    issue = w.fresh_issue(side)
    return Call({"project_id": issue.project_id, "issue_id": issue.id},
                form={"status": "in_progress", "version": issue.version})


def _issue(w, p, side):
    return Call({"project_id": w.side(side).project.id}, form={"category": "energy", "title": f"{side.upper()} issue"})


def _meeting(w, p, side):
    return Call({"event_id": w.event.id}, form={"lead_id": w.side(side).lead.id, "outcome": "见面"})


def _task(w, p):
    task_id = w.fresh_task_id()
    return Call({"task_id": task_id}, form={"version": 1})


def _user_form(w, p):
    user = w.fresh_user()
    return Call({"user_id": user.id}, form={"display_name": "改名", "role": "viewer", "locale": "zh", "active": "on",
                                            "version": user.version})


def _targets(w, p):
    return Call({"event_id": w.event.id}, form={"top": "2", "version": w.version("Event", w.event.id)})


PAGES = {
    "pages.login": [public("GET"), public("POST", lambda w, p: Call(form={"username": "viewer",
                                                                          "password": "correct horse battery"}),
                                          fresh_session=True)],
    "pages.set_language": [public("GET", lambda w, p: Call({"code": "en"}))],
    "pages.logout": [Case("POST", EVERYONE, fresh_session=True)],
    "pages.home": [Case("GET", EVERYONE)],
    "pages.tokens": [Case("GET", EVERYONE)],
    "pages.create_token": [Case("POST", EVERYONE, lambda w, p: Call(form={"name": "walk"}))],
    "pages.revoke_token": [Case("POST", EVERYONE, lambda w, p: Call({"token_id": w.fresh_token_id(p)}), "own")],
    "pages.chains": [Case("GET", EVERYONE)],
    "pages.chain": [Case("GET", EVERYONE, lambda w, p: Call({"chain_id": "nev"}))],
    "pages.lead_from_ranking": [Case("POST", STAFF, lambda w, p: Call(
        {"chain_id": "electronics", "link_id": "electronics.chip"}, form={"company_id": "infineon"}))],
    "pages.companies": [Case("GET", EVERYONE)],
    "pages.new_company": [Case("GET", STAFF), Case("POST", STAFF, lambda w, p: Call(
        form={"name_zh": f"巡检新企业{p}", "name_en": f"Walk new company {p}", "country": "DE"}))],
    "pages.import_companies": [Case("GET", STAFF)],
    "pages.import_dry_run": [Case("POST", STAFF, lambda w, p: Call(form={"file": w.upload_file(p)}))],
    "pages.import_commit": [Case("POST", STAFF, lambda w, p: _commit(w.imported_upload(p)))],
    "pages.import_job": [Case("GET", STAFF, lambda w, p: Call({"job_id": w.import_job_id(p)}))],
    "pages.assignment_rules": [Case("GET", STAFF)],
    "pages.new_rule": [Case("GET", STAFF), Case("POST", STAFF, lambda w, p: Call(
        form={"user_id": w.users["staff"].id, "district_id": "500106", "note": f"walk {p}"}))],
    "pages.edit_rule": [Case("GET", STAFF, lambda w, p: Call({"rule_id": w.rule_id})),
                        Case("POST", STAFF, lambda w, p: Call({"rule_id": w.rule_id}, form={
                            "user_id": w.users["staff"].id, "district_id": "500106", "note": f"walk {p}",
                            "version": w.version("AssignmentRule", w.rule_id)}))],
    "pages.audit_log": [Case("GET", ADMIN)],
    "pages.sources": [Case("GET", STAFF, lambda w, p: Call(query="kind=rank&flag=unsourced"))],
    "pages.record_history": _both("GET", lambda w, p, side: Call({"label": "Lead", "record_id": w.side(side).lead.id}),
                                  EVERYONE, READ_THEIRS),
    "pages.company": [Case("GET", EVERYONE, lambda w, p: Call({"company_id": "bosch"}))],
    "pages.edit_company": [Case("GET", STAFF, lambda w, p: Call({"company_id": "bosch"})),
                           Case("POST", STAFF, _edit_company)],
    "pages.edit_contact": [Case("GET", STAFF, lambda w, p: Call({"contact_id": w.contact.id})),
                           Case("POST", STAFF, lambda w, p: Call({"contact_id": w.contact.id}, form={
                               "name": w.contact.name, "title": f"walk {p}",
                               "version": w.version("Contact", w.contact.id)}))],
    "pages.add_contact": [Case("POST", STAFF, lambda w, p: Call({"company_id": "bosch"},
                                                                form={"name": f"{p} contact", "title": "采购总监"}))],
    "pages.end_presence": [Case("POST", STAFF, lambda w, p: _end_presence(w, p))],
    "pages.restore_presence": [Case("POST", STAFF, lambda w, p: _end_presence(w, p, ended=True))],
    "pages.note_company": [Case("POST", COMMENT_LIBRARY, lambda w, p: Call({"company_id": "bosch"},
                                                                          form={"body": "走查备注"}))],
    "pages.events": [Case("GET", EVERYONE)],
    "pages.edit_event": [Case("GET", STAFF, lambda w, p: Call({"event_id": w.event.id})),
                         Case("POST", STAFF, _edit_event)],
    "pages.new_event": [Case("GET", ORGANISERS),
                        Case("POST", ORGANISERS, lambda w, p: Call(form={"name_zh": "走查活动", "kind": "forum",
                                                                         "start_on": "2027-03-01"}))],
    "pages.event": [Case("GET", EVERYONE, lambda w, p: Call({"event_id": w.event.id}))],
    "pages.record_event_meeting": _both("POST", _meeting, WRITE_OURS, WRITE_THEIRS),
    "pages.add_event_targets": [Case("POST", STAFF, _targets)],
    "pages.leads": [Case("GET", EVERYONE)],
    "pages.kanban": [Case("GET", EVERYONE)],
    "pages.lead": _both("GET", _lead, EVERYONE, READ_THEIRS),
    "pages.new_lead": [Case("GET", ORGANISERS),
                       *_both("POST", lambda w, p, side: Call(form={**SIDES[side], "title": f"{side.upper()} new"}),
                              WRITE_OURS, STAFF)],
    "pages.edit_lead": [*_both("GET", _lead, WRITE_OURS, WRITE_THEIRS),
                        *_both("POST", _edit_lead, WRITE_OURS, WRITE_THEIRS)],
    "pages.claim_lead": _both("POST", _claim, WRITE_OURS, WRITE_THEIRS),
    "pages.move_lead": _both("POST", _move, WRITE_OURS, WRITE_THEIRS),
    "pages.reassign_lead": _both("POST", _reassign, COMMENT_OURS, COMMENT_THEIRS),
    "pages.note_lead": _both("POST", _note("lead_id", "lead"), COMMENT_OURS, COMMENT_THEIRS),
    "pages.schedule_followup": _both("POST", _schedule, WRITE_OURS, WRITE_THEIRS),
    "pages.complete_followup": _both("POST", _complete, WRITE_OURS, WRITE_THEIRS),
    "pages.gap_map": [Case("GET", EVERYONE)],
    "pages.gap_map_frame": [Case("GET", EVERYONE, lambda w, p: Call(query="tiles=none"))],
    "pages.projects": [Case("GET", EVERYONE)],
    "pages.issues": [Case("GET", EVERYONE)],
    "pages.risk": [Case("GET", EVERYONE)],
    "pages.record_risk_signal": _both("POST", lambda w, p, side: Call({"company_id": w.watched_firm(side)}, form={
        "kind": "lease_end", "district_id": SIDES[side]["district_id"], "signal_on": "2027-01-31"}), WRITE_OURS, STAFF),
    "pages.retention_visit": _both("POST", lambda w, p, side: Call({"company_id": w.watched_firm(side)},
                                                                 form={"next": "/risk"}), VISIT_OURS, WRITE_THEIRS),
    "pages.project": _both("GET", _project, EVERYONE, READ_THEIRS),
    "pages.add_inflow": _both("POST", _inflow, WRITE_OURS, WRITE_THEIRS),
    "pages.move_project": _both("POST", _move_project, WRITE_OURS, WRITE_THEIRS),
    "pages.add_issue": _both("POST", _issue, WRITE_OURS, WRITE_THEIRS),
    "pages.move_issue": _both("POST", _move_issue, WRITE_OURS, WRITE_THEIRS),
    "pages.assign_issue": _both("POST", _assign_issue, COMMENT_OURS, COMMENT_THEIRS),
    "pages.edit_project": [*_both("GET", _project, WRITE_OURS, WRITE_THEIRS),
                           *_both("POST", _edit_project, WRITE_OURS, WRITE_THEIRS)],
    "pages.note_project": _both("POST", _note("project_id", "project"), COMMENT_OURS, COMMENT_THEIRS),
    "pages.reports": [Case("GET", EVERYONE)],
    "pages.generate_report": [Case("POST", STAFF, lambda w, p: Call(form={"week": w.week, "regenerate": "on"}))],
    "pages.report": [Case("GET", EVERYONE, lambda w, p: Call({"week": w.week}))],
    "pages.report_stylesheet": [Case("GET", EVERYONE)],
    "pages.tasks": [Case("GET", EVERYONE)],
    "pages.task": [Case("GET", EVERYONE, lambda w, p: Call({"task_id": w.task_id}))],
    "pages.followup": _both("GET", lambda w, p, side: Call({"followup_id": w.side(side).followup.id}), EVERYONE,
                            READ_THEIRS),
    "pages.complete_task": [Case("POST", STAFF, _task)],
    "pages.users": [Case("GET", ADMIN)],
    "pages.new_user": [Case("GET", ADMIN),
                       Case("POST", ADMIN, lambda w, p: Call(form={"username": f"page-{p}", "password": "long enough pw",
                                                                   "role": "viewer", "locale": "zh"}))],
    "pages.edit_user": [Case("GET", ADMIN, lambda w, p: Call({"user_id": w.other_user.id})),
                        Case("POST", ADMIN, _user_form)],
    "pages.set_active": [Case("POST", ADMIN, lambda w, p: _user_form(w, p))],
    "health.healthz": [public("GET")],
    "favicon": [public("GET")],
}
