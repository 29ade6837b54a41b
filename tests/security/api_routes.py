"""Who may call each API route: endpoint name → its cases (method, scope variant, outcome per role).

A route missing here fails tests/security/test_route_access.py: add it with the rule it follows.
Records a write would change are made fresh per request (tests/security/world.py).
"""
from __future__ import annotations

from tests.security.rules import (VISIT_OURS, WATCHED_OURS, ADMIN, COMMENT_OURS, EVERYONE, ORGANISERS, READ_THEIRS, REFER_THEIRS, STAFF,
                                  WRITE_OURS, WRITE_THEIRS, Call, Case, if_match)
from tests.security.world import SIDES


def _both(method: str, build, ours: dict[str, str], theirs: dict[str, str]) -> list[Case]:
    """The same request on a record of ours and one of theirs."""
    return [Case(method, ours, lambda w, p: build(w, p, "ours"), "ours"),
            Case(method, theirs, lambda w, p: build(w, p, "theirs"), "theirs")]


def _commit(upload):
    return Call(json={"token": upload.token, "sha256": upload.sha256})


def _reads(build) -> list[Case]:
    return _both("GET", build, EVERYONE, READ_THEIRS)


def _writes(method: str, build) -> list[Case]:
    return _both(method, build, WRITE_OURS, WRITE_THEIRS)


def _new_lead(w, p, side):
    return Call(json={**SIDES[side], "title": f"{side.upper()} new lead", "priority": "B"})


def _edit_lead(w, p, side):
    lead = w.fresh_lead(side)
    return Call({"lead_id": lead.id}, json={"priority": "A"}, headers=if_match(lead.version))


def _move_lead(w, p, side):
    lead = w.fresh_lead(side)
    return Call({"lead_id": lead.id}, json={"to": "contacted"}, headers=if_match(lead.version))


def _claim(w, p, side):
    lead = w.fresh_lead(side, owner_id=None)
    return Call({"lead_id": lead.id}, headers=if_match(lead.version))


def _new_project(w, p, side):
    return Call(json={**SIDES[side], "name": f"{side.upper()} new project", "kind": "new"})


def _move_project(w, p, side):
    project = w.fresh_project(side)
    return Call({"project_id": project.id}, json={"to": "withdrawn", "on": "2023-06-01", "reason": "walk"},
                headers=if_match(project.version))


def _edit_project(w, p, side):
    project = w.fresh_project(side)
    return Call({"project_id": project.id}, json={"contracted_fdi_usd": 1_000_000}, headers=if_match(project.version))


def _new_inflow(w, p, side):
    return Call({"project_id": w.side(side).project.id},
                json={"received_on": "2026-01-05", "amount_usd": 1_000_000, "kind": "equity"})


def _edit_inflow(w, p, side):
    inflow = w.fresh_inflow(side)
    return Call({"project_id": w.side(side).project.id, "inflow_id": inflow.id}, json={"amount_usd": 2_000_000},
                headers=if_match(inflow.version))


def _new_issue(w, p, side):
    return Call(json={"project_id": w.side(side).project.id, "category": "energy", "title": f"{side.upper()} issue"})


def _edit_issue(w, p, side):
    issue = w.fresh_issue(side)
    return Call({"issue_id": issue.id}, json={"status": "in_progress"}, headers=if_match(issue.version))


def _new_followup(w, p, side):
    return Call(json={"lead_id": w.side(side).lead.id, "kind": "call", "due_on": "2026-11-23",
                      "title": f"{side.upper()} call"})


def _edit_followup(w, p, side):
    item = w.fresh_followup(side)
    return Call({"followup_id": item.id}, json={"title": f"{side.upper()} call moved"}, headers=if_match(item.version))


def _complete_followup(w, p, side):
    item = w.fresh_followup(side)
    return Call({"followup_id": item.id}, json={"outcome": "谈得很好"}, headers=if_match(item.version))


def _new_note(w, p, side):
    return Call(json={"record_id": w.side(side).lead.id, "body": f"{side.upper()} note"})


def _archive_note(w, p, side):
    note = w.fresh_note(side)
    return Call({"note_id": note.id}, json={"archived": True}, headers=if_match(note.version))


def _meeting(w, p, side):
    return Call({"event_id": w.event.id}, json={"lead_id": w.side(side).lead.id, "outcome": "见面，有意向"})


def _task(w, p):
    return Call({"task_id": w.fresh_task_id()}, json={"notes": "done"}, headers=if_match(1))


def _fresh_user(w, p, body):
    user = w.fresh_user()
    return Call({"user_id": user.id}, json=body, headers=if_match(user.version))


def _new_signal(w, p, side):
    return Call(json={"company_id": w.watched_firm(side), "district_id": SIDES[side]["district_id"],
                      "kind": "incentive_end", "signal_on": "2027-01-31", "note": f"{side.upper()} incentive"})


def _edit_signal(w, p, side):
    signal = w.fresh_signal(side)
    return Call({"signal_id": signal.id}, json={"note": f"{side.upper()} lease moved"}, headers=if_match(signal.version))


def _week(w, p):
    return Call({"week": w.week})


API = {
    "api-docs.openapi_json": [Case("GET", EVERYONE)],
    "api_docs": [Case("GET", EVERYONE)],
    "swagger_assets": [Case("GET", EVERYONE, lambda w, p: Call({"name": "swagger-ui.css"}))],
    "admin.Backup": [Case("POST", ADMIN)],
    "assignment_rules.Rules": [Case("GET", EVERYONE),
                               Case("POST", STAFF, lambda w, p: Call(json={
                                   "user_id": w.users["staff"].id, "chain_id": "nev", "district_id": "500106"}))],
    "assignment_rules.RuleById": [
        Case("GET", EVERYONE, lambda w, p: Call({"rule_id": w.rule_id})),
        Case("PATCH", STAFF, lambda w, p: Call({"rule_id": w.rule_id}, json={"note": f"by {p}"},
                                               headers=if_match(w.version("AssignmentRule", w.rule_id))))],
    "audit.Audit": _reads(lambda w, p, side: Call(query=f"record={w.side(side).lead.id}")),
    "sources.Facts": [Case("GET", STAFF, lambda w, p: Call(query="kind=makes&flag=undated"))],
    "scoring.Candidates": [Case("GET", EVERYONE, lambda w, p: Call(query="chain=electronics"))],
    "scoring.CandidateLead": [Case("POST", STAFF, lambda w, p: Call(json={
        "chain_id": "electronics", "link_id": "electronics.chip", "company_id": "infineon", "mine": False}))],
    "chains.Chains": [Case("GET", EVERYONE)],
    "chains.ChainById": [Case("GET", EVERYONE, lambda w, p: Call({"chain_id": "nev"}))],
    "scoring.ChainGaps": [Case("GET", EVERYONE, lambda w, p: Call({"chain_id": "nev"}))],
    "scoring.ChainResilience": [Case("GET", EVERYONE, lambda w, p: Call({"chain_id": "nev"}))],
    "scoring.CityResilience": [Case("GET", EVERYONE)],
    "companies.Companies": [Case("GET", EVERYONE),
                            Case("POST", STAFF, lambda w, p: Call(json={"name_en": f"Walk {p} GmbH", "country": "DE"}))],
    "companies.CompanyById": [
        Case("GET", EVERYONE, lambda w, p: Call({"company_id": "catl"})),
        Case("PATCH", STAFF, lambda w, p: _company_edit(w))],
    "imports.DryRun": [Case("POST", STAFF, lambda w, p: Call(form={"file": w.upload_file(p)}))],
    "imports.Commit": [Case("POST", STAFF, lambda w, p: _commit(w.imported_upload(p)))],
    "imports.JobStatus": [Case("GET", STAFF, lambda w, p: Call({"job_id": w.import_job_id(p)}))],
    "companies.PresenceEnd": [Case("POST", STAFF, lambda w, p: _presence(w, p, "end"))],
    "companies.PresenceRestore": [Case("POST", STAFF, lambda w, p: _presence(w, p, "restore"))],
    "contacts.Contacts": [Case("GET", EVERYONE),
                          Case("POST", STAFF, lambda w, p: Call(json={"company_id": "bosch", "name": f"{p} contact"}))],
    "contacts.ContactById": [
        Case("GET", EVERYONE, lambda w, p: Call({"contact_id": w.contact.id})),
        Case("PATCH", STAFF, lambda w, p: _contact_edit(w))],
    "districts.Districts": [Case("GET", EVERYONE)],
    "districts.DistrictByCode": [Case("GET", EVERYONE, lambda w, p: Call({"code": "500157"}))],
    "districts.DistrictOutsideSupply": [Case("GET", EVERYONE, lambda w, p: Call({"code": "500157"}))],
    "events.Events": [Case("GET", EVERYONE),
                      Case("POST", ORGANISERS, lambda w, p: Call(json={"name_zh": "走查活动", "kind": "forum",
                                                                       "start_on": "2027-03-01"}))],
    "events.EventById": [
        Case("GET", EVERYONE, lambda w, p: Call({"event_id": w.event.id})),
        Case("PATCH", STAFF, lambda w, p: _event_edit(w))],
    "events.Meetings": [Case("GET", EVERYONE, lambda w, p: Call({"event_id": w.event.id})),
                        *_writes("POST", _meeting)],
    "events.Targets": [Case("GET", EVERYONE, lambda w, p: Call({"event_id": w.event.id})),
                       Case("POST", STAFF, lambda w, p: _targets(w))],
    "followups.FollowUps": [Case("GET", EVERYONE), *_both("POST", _new_followup, WRITE_OURS, REFER_THEIRS)],
    "followups.FollowUpById": [*_reads(lambda w, p, side: Call({"followup_id": w.side(side).followup.id})),
                               *_writes("PATCH", _edit_followup)],
    "followups.FollowUpComplete": _writes("POST", _complete_followup),
    "inbox.Inbox": [Case("GET", EVERYONE)],
    "inbox.Notifications": [Case("GET", EVERYONE)],
    "inbox.MarkRead": [Case("POST", EVERYONE, lambda w, p: Call({"notification_id": w.fresh_notification_id(p)}))],
    "inbox.MarkAllRead": [Case("POST", EVERYONE)],
    "issues.Issues": [Case("GET", EVERYONE), *_both("POST", _new_issue, WRITE_OURS, REFER_THEIRS)],
    "issues.IssueById": [*_reads(lambda w, p, side: Call({"issue_id": w.side(side).issue.id})),
                         *_writes("PATCH", _edit_issue)],
    "kpis.Kpis": [Case("GET", EVERYONE, lambda w, p: Call(query="year=2026"))],
    "leads.Leads": [Case("GET", EVERYONE), *_both("POST", _new_lead, WRITE_OURS, STAFF)],
    "leads.LeadById": [*_reads(lambda w, p, side: Call({"lead_id": w.side(side).lead.id})),
                       *_writes("PATCH", _edit_lead)],
    "leads.LeadHistory": _reads(lambda w, p, side: Call({"lead_id": w.side(side).lead.id})),
    "leads.LeadStage": _writes("POST", _move_lead),
    "users.Me": [Case("GET", EVERYONE)],
    "notes.Notes": [*_reads(lambda w, p, side: Call(query=f"record={w.side(side).lead.id}")),
                    *_both("POST", _new_note, COMMENT_OURS, REFER_THEIRS)],
    "notes.NoteById": [*_reads(lambda w, p, side: Call({"note_id": w.side(side).note.id})),
                       *_both("PATCH", _archive_note, STAFF, WRITE_THEIRS)],
    "pool.Pool": [Case("GET", EVERYONE)],
    "pool.Claim": _writes("POST", _claim),
    "projects.Projects": [Case("GET", EVERYONE), *_both("POST", _new_project, WRITE_OURS, STAFF)],
    "projects.ProjectById": [*_reads(lambda w, p, side: Call({"project_id": w.side(side).project.id})),
                             *_writes("PATCH", _edit_project)],
    "projects.ProjectIncentives": _reads(lambda w, p, side: Call({"project_id": w.side(side).project.id})),
    "projects.ProjectStage": _writes("POST", _move_project),
    "projects.ProjectGapChanges": _reads(lambda w, p, side: Call({"project_id": w.side(side).project.id})),
    "projects.ProjectStalls": _reads(lambda w, p, side: Call({"project_id": w.side(side).project.id})),
    "inflows.Inflows": [*_reads(lambda w, p, side: Call({"project_id": w.side(side).project.id})),
                        *_writes("POST", _new_inflow)],
    "inflows.InflowById": [*_reads(lambda w, p, side: Call({"project_id": w.side(side).project.id,
                                                             "inflow_id": w.side(side).inflow.id})),
                           *_writes("PATCH", _edit_inflow)],
    "reports.Reports": [Case("GET", EVERYONE),
                        Case("POST", STAFF, lambda w, p: Call(json={"week": w.week, "regenerate": True}))],
    "reports.ReportByWeek": [Case("GET", EVERYONE, _week)],
    "reports.ReportFile": [Case("GET", EVERYONE, lambda w, p, fmt=fmt: Call({"week": w.week, "fmt": fmt}), fmt)
                           for fmt in ("html", "docx", "xlsx")],
    "risk.Watch": [Case("GET", EVERYONE)],
    "risk.FirmRisk": _both("GET", lambda w, p, side: Call({"company_id": w.watched_firm(side)}), WATCHED_OURS,
                           READ_THEIRS),
    "risk.RetentionVisit": _both("POST", lambda w, p, side: Call({"company_id": w.watched_firm(side)}), VISIT_OURS,
                                 WRITE_THEIRS),
    "risk.Signals": _both("POST", _new_signal, WRITE_OURS, STAFF),
    "risk.SignalById": [*_both("GET", lambda w, p, side: Call({"signal_id": w.fresh_signal(side).id}), WATCHED_OURS,
                               READ_THEIRS),
                        *_both("PATCH", _edit_signal, VISIT_OURS, WRITE_THEIRS)],
    "tasks.Tasks": [Case("GET", EVERYONE)],
    "tasks.TaskById": [Case("GET", EVERYONE, lambda w, p: Call({"task_id": w.task_id})),
                       Case("PATCH", STAFF, lambda w, p: _task(w, p))],
    "tasks.TaskComplete": [Case("POST", STAFF, _task)],
    "users.Tokens": [Case("GET", EVERYONE), Case("POST", EVERYONE, lambda w, p: Call(json={"name": "walk"}))],
    "users.TokenById": [Case("DELETE", EVERYONE, lambda w, p: Call({"token_id": w.fresh_token_id(p)}), "own")],
    "users.Users": [Case("GET", EVERYONE),
                    Case("POST", ADMIN, lambda w, p: Call(json={"username": f"new-{p}", "password": "long enough pw",
                                                                "role": "viewer"}))],
    "users.UserById": [Case("GET", ADMIN, lambda w, p: Call({"user_id": w.other_user.id}), "another user's"),
                       Case("PATCH", ADMIN, lambda w, p: _fresh_user(w, p, {"display_name": "改名"}), "another user's")],
    "users.Password": [Case("POST", ADMIN, lambda w, p: _fresh_user(w, p, {"password": "another long pw"}),
                            "another user's")],
}


def _company_edit(w):
    version = w.version("Company", "semcorp")
    return Call({"company_id": "semcorp"}, json={"employees": 100 + version}, headers=if_match(version))


def _presence(w, p, what):
    """A company of its own, present in a district of no side, so ending its presence moves no gap of the walk."""
    from tests.factories import make_company

    company = make_company(w.store, name_en=f"Walk presence {p} {what}", name_zh=None, aliases=[],
                           district_ids=["500106"], link_ids=[])
    if what == "restore":
        from datetime import date

        from crm.base.access import SYSTEM
        from crm.library.presence import end_presence
        from tests.factories import NOW

        end_presence(w.store, company.id, "500106", until=date(2024, 1, 1), reason="exit", actor=SYSTEM, now=NOW)
        return Call({"company_id": company.id, "district_id": "500106"})
    return Call({"company_id": company.id, "district_id": "500106"}, json={"until": "2024-01-01", "reason": "exit"})


def _contact_edit(w):
    version = w.version("Contact", w.contact.id)
    return Call({"contact_id": w.contact.id}, json={"title": f"VP v{version}"}, headers=if_match(version))


def _event_edit(w):
    version = w.version("Event", w.event.id)
    return Call({"event_id": w.event.id}, json={"city_en": f"Munich {version}"}, headers=if_match(version))


def _targets(w):
    return Call({"event_id": w.event.id}, json={"targets": [{"company_id": "bosch"}]},
                headers=if_match(w.version("Event", w.event.id)))
