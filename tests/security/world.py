"""The data the route walk reads and writes: five personas and records on two sides of every scope.

    ours:   district 渝中区 500103 on the electronics chain — the district officer's district and the
            chain leader's chain, so both may read (and the officer write) these records;
    theirs: district 两江新区 500157 on the NEV chain — outside both scopes. Each of these records
            carries THEIRS in its text, so a page or list that leaks one is found by that word.

Records a write would change (a lead to claim, a follow-up to complete) are made fresh for
each request by the `fresh_*` helpers, so every persona meets the same starting state.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from crm.base.access import SYSTEM
from crm.pipeline.assignment import create_rule
from crm.base.notices import Notice, notify
from crm.pipeline.leads import move_lead
from crm.reports import Week
from crm.people.users import create_token
from crm.base.workdays import at_local
from graph.cypher import merge_rels, upsert_nodes
from tests.factories import (NOW, make_contact, make_event, make_followup, make_inflow, make_issue, make_lead,
                             make_note, make_project, make_reference, make_user)

THEIRS = "THEIRS"
ROLES = ("admin", "staff", "leader", "officer", "viewer")
SCOPE = {"leader": {"chains": ["electronics"]}, "officer": {"districts": ["500103"]}}
ROLE_OF = {"admin": "admin", "staff": "staff", "leader": "chain_leader", "officer": "district_officer",
           "viewer": "viewer"}
SIDES = {"ours": {"district_id": "500103", "company_id": "bosch", "link_id": "electronics.chip"},
         "theirs": {"district_id": "500157", "company_id": "catl", "link_id": "nev.cell"}}


@dataclass
class Side:
    """One scope's standing records (read by the walk, never changed by it)."""
    lead: Any
    project: Any
    issue: Any
    inflow: Any
    followup: Any
    note: Any


@dataclass
class World:
    store: Any
    users: dict[str, Any]
    tokens: dict[str, str]
    ours: Side
    theirs: Side
    event: Any
    task_id: str
    contact: Any
    rule_id: str
    week: str
    other_user: Any
    theirs_ids: set[str] = field(default_factory=set)
    made: int = 0
    watched: dict[str, str] = field(default_factory=dict)
    imports: Any = None  # the app's web.imports.Imports, set by the walk

    def imported_upload(self, persona: str) -> Any:
        """An upload of the persona's, dry-run, of a file already imported: its commit writes nothing, so a
        background write never lands in another route's audit count."""
        from crm.library.imports.run import import_companies
        from crm.library.imports.table import read_bytes

        self.settle()
        data = f"company_id,name_en,country\nwalk-{persona},Walk import {persona},DE\n".encode()
        import_companies(self.store, read_bytes("walk.csv", data), now=NOW)
        return self.imports.dry_run("walk.csv", data, self._importer(persona))

    def import_job_id(self, persona: str) -> str:
        upload = self.imported_upload(persona)
        job = self.imports.commit(upload.token, upload.sha256, self._importer(persona))
        self.settle()
        return job.id

    def _importer(self, persona: str) -> Any:
        return self.users.get(persona, self.users["staff"])  # anonymous callers are turned away before

    @staticmethod
    def upload_file(persona: str) -> tuple[Any, str]:
        """A small companies file to post as a multipart upload."""
        import io

        return io.BytesIO(f"name_en,country\nWalk upload {persona},DE\n".encode()), "walk.csv"

    def settle(self) -> None:
        """Wait for a commit of the walk still running."""
        if self.imports.running is not None:
            self.imports.running.join(timeout=60)

    def side(self, name: str) -> Side:
        return self.ours if name == "ours" else self.theirs

    def version(self, label: str, record_id: str) -> int:
        """The version a standing record is at now (earlier personas' writes moved it on)."""
        return self.store.read(f"MATCH (n:{label} {{id: $id}}) RETURN n.version AS v", {"id": record_id})[0]["v"] or 1

    def _mark(self, side: str, record: Any) -> Any:
        if side == "theirs":
            self.theirs_ids.add(record.id)
        return record

    def fresh_lead(self, side: str, **overrides: Any) -> Any:
        """A new lead of the side, owned by staff unless `owner_id=None` leaves it in the pool."""
        data = {"owner_id": self.users["staff"].id, "title": f"{side.upper()} lead"} | overrides
        return self._mark(side, make_lead(self.store, **{**SIDES[side], **data}))

    def fresh_project(self, side: str) -> Any:
        s = SIDES[side]
        return self._mark(side, make_project(self.store, name=f"{side.upper()} project", company_id=s["company_id"],
                                             district_id=s["district_id"], link_id=s["link_id"]))

    def fresh_followup(self, side: str) -> Any:
        lead = self.fresh_lead(side)
        return self._mark(side, make_followup(self.store, lead.id, title=f"{side.upper()} call",
                                              owner_id=self.users["staff"].id))

    def fresh_issue(self, side: str) -> Any:
        return self._mark(side, make_issue(self.store, self.side(side).project.id, title=f"{side.upper()} issue"))

    def fresh_inflow(self, side: str) -> Any:
        return make_inflow(self.store, self.side(side).project.id)

    def fresh_note(self, side: str) -> Any:
        """A note staff wrote on the side's lead (only its author or an admin may archive it)."""
        from crm.base.access import Actor

        staff = self.users["staff"]
        author = Actor(staff.id, staff.username, "staff")
        return self._mark(side, make_note(self.store, self.side(side).lead.id, actor=author, body=f"{side.upper()} note"))

    def fresh_task_id(self) -> str:
        event = make_event(self.store, owner_id=self.users["staff"].id)
        rows = self.store.read("MATCH (t:Task)-[:FOR_EVENT]->(:Event {id: $id}) RETURN t.id AS id ORDER BY id",
                               {"id": event.id})
        return rows[0]["id"]

    def watched_firm(self, side: str) -> str:
        """A foreign firm on the exit-risk watch, with a project in the side's district; made once per side.

        Both make 整车 (nev.vehicle), whose local maker 长安 already draws every NEV landing to 两江新区:
        a local electronics maker would move the landing the walk's ranking leads propose (to the
        lowest district code, the officer's). So the chain leader (electronics) does not see ours;
        tests/contract/test_exit_watch.py shows chain leaders their chains' firms."""
        if side not in self.watched:
            from tests.factories import make_company

            s, word = SIDES[side], side.upper()
            districts = sorted({s["district_id"], "500157"})
            firm = make_company(self.store, name_en=f"Watched firm {side}", name_zh=None, aliases=[], country="DE",
                                district_ids=districts, link_ids=["nev.vehicle"])
            project = make_project(self.store, name=f"{word} watched project", company_id=firm.id,
                                   district_id=s["district_id"], link_id="nev.vehicle")
            self.theirs_ids |= {project.id} if side == "theirs" else set()
            self.watched[side] = firm.id
        return self.watched[side]

    def fresh_signal(self, side: str) -> Any:
        """A lease end recorded on the side's watched firm."""
        from crm.projects.risk_signals import record_signal

        return self._mark(side, record_signal(self.store, {
            "company_id": self.watched_firm(side), "district_id": SIDES[side]["district_id"], "kind": "lease_end",
            "signal_on": date(2027, 3, 31), "note": f"{side.upper()} lease"}, actor=SYSTEM, now=NOW))

    def fresh_user(self) -> Any:
        self.made += 1
        return make_user(self.store, f"someone{self.made}", "viewer")

    def fresh_token_id(self, persona: str) -> str:
        user = self.users.get(persona) or self.users["viewer"]
        _, token = create_token(self.store, user.id, "to revoke", actor=SYSTEM, now=NOW)
        return token.id

    def fresh_notification_id(self, persona: str) -> str:
        self.made += 1
        user = self.users.get(persona) or self.users["viewer"]
        notice = Notice(f"walk-{self.made}", user.id, "reminder", ("提醒", "Reminder"))
        notify(self.store, [notice], now=NOW)
        return notice.id


def _side(store: Any, name: str, staff_id: str) -> Side:
    s = SIDES[name]
    word = name.upper()
    lead = make_lead(store, **s, owner_id=staff_id, title=f"{word} lead")
    project = make_project(store, name=f"{word} project", company_id=s["company_id"], district_id=s["district_id"],
                           link_id=s["link_id"])
    return Side(lead=lead, project=project, issue=make_issue(store, project.id, title=f"{word} issue"),
                inflow=make_inflow(store, project.id),
                followup=make_followup(store, lead.id, title=f"{word} call", owner_id=staff_id),
                note=make_note(store, lead.id, body=f"{word} note"))


def _reported(store: Any, name: str, week: Week) -> set[str]:
    """A project signed and paid into, and a lead dropped, in the report's week: rows the report names."""
    s, word, day = SIDES[name], name.upper(), week.start + timedelta(days=2)
    project = make_project(store, name=f"{word} signed project", company_id=s["company_id"],
                           district_id=s["district_id"], link_id=s["link_id"], signed_on=day)
    make_inflow(store, project.id, received_on=day, amount_usd=35_000_000)
    lead = make_lead(store, **s, title=f"{word} dropped lead", now=at_local(week.start, 10))
    move_lead(store, lead.id, "dropped", actor=SYSTEM, now=at_local(day, 10), expected_version=None,
              reason=f"{word} reason")
    return {project.id, lead.id}


def build(store: Any) -> World:
    """Reference data, the personas (each with an API token), both sides, an event, a rule and a report."""
    from crm import reports

    make_reference(store)
    upsert_nodes(store, "Company", [{"id": "asahi", "name_zh": "旭化成", "name_en": "Asahi Kasei", "country": "JP"}])
    merge_rels(store, "MAKES", "Company", "ChainNode", [{"src": "asahi", "dst": "nev.separator"}])  # an FDI target
    users = {name: make_user(store, name, ROLE_OF[name], **SCOPE.get(name, {})) for name in ROLES}
    tokens = {name: create_token(store, u.id, "walk", actor=SYSTEM, now=NOW)[0] for name, u in users.items()}
    staff_id = users["staff"].id
    ours, theirs = _side(store, "ours", staff_id), _side(store, "theirs", staff_id)
    event = make_event(store, owner_id=staff_id, start_on=date(2026, 12, 21), end_on=date(2026, 12, 23))
    task = store.read("MATCH (t:Task)-[:FOR_EVENT]->(:Event {id: $id}) RETURN t.id AS id ORDER BY id LIMIT 1",
                      {"id": event.id})[0]["id"]
    rule = create_rule(store, {"user_id": staff_id, "district_id": "500106"}, actor=SYSTEM, now=NOW)
    week = Week.last_completed(NOW)
    _reported(store, "ours", week)
    reported = _reported(store, "theirs", week)
    reports.generate(store, week, actor=SYSTEM, now=NOW, scoring=None, deliver=False)
    world = World(store, users, tokens, ours, theirs, event, task, make_contact(store), rule.id, week.id,
                  make_user(store, "someone", "viewer"))
    world.theirs_ids |= reported | {theirs.lead.id, theirs.project.id, theirs.issue.id, theirs.followup.id, theirs.note.id}
    return world
