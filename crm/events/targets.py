"""An event's target list and its meetings (任务 9 靶向招商; requirements P3).

Targets are companies the event INVITES, each invited → confirmed → met, or declined; the list
usually starts from the best-ranked candidates of the event's focus chains. Meetings held at the
event are follow-ups HELD_AT it; a meeting with a firm that has no lead yet opens one, sourced at
the event ("roadshow"), so leads and signings can be attributed to events (crm/events/attribution.py).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Iterable

from crm.base import hooks, records
from crm.followups import completion, followups
from crm.pipeline import leads
from crm.base.access import Actor, can_write, require
from crm.choices import FOLLOWUP_KINDS, TARGET_STATUSES
from crm.errors import ValidationFailed
from crm.events.events import Event, get_event, may_change
from crm.policy import section
from crm.base.checks import check_exists
from graph.cypher import read_with

log = logging.getLogger("chainlead.events")

# ranker(store, chain_id=..., top=..., now=...) -> candidates with .company_id and .score, best first
Ranker = Callable[..., Iterable[Any]]


@dataclass
class Target:
    company_id: str
    status: str
    name_zh: str | None = None
    name_en: str | None = None
    country: str | None = None
    score: float | None = None
    updated_at: datetime | None = None


def list_targets(store: Any, event_id: str, *, actor: Actor) -> list[Target]:
    get_event(store, event_id, actor=actor)
    rows = store.read("MATCH (:Event {id: $id})-[r:INVITES]->(c:Company) RETURN c.id AS company_id, r.status AS status, "
                      "c.name_zh AS name_zh, c.name_en AS name_en, c.country AS country, r.score AS score, "
                      "r.updated_at AS updated_at ORDER BY r.score DESC, c.id", {"id": event_id})
    return [Target(**r) for r in rows]


def default_ranker() -> Ranker | None:
    """The installed lead ranking (crm.base.hooks), if any."""
    installed = hooks.scoring()
    return installed.rank_candidates if installed else None


def top_candidates(store: Any, chain_ids: list[str], top: int, *, now: datetime,
                   ranker: Ranker | None = None) -> list[tuple[str, float]]:
    """The `top` best-scored companies across the chains' ranked candidates, each company once."""
    ranker = ranker or default_ranker()
    if ranker is None:
        raise ValidationFailed({"top": ["lead ranking is not installed here: list the companies instead"]})
    best: dict[str, float] = {}
    for chain in chain_ids:
        for cand in ranker(store, chain_id=chain, top=max(top * 5, 50), now=now):
            best[cand.company_id] = max(best.get(cand.company_id, 0.0), float(cand.score))
    return sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[:top]


def add_targets(store: Any, event_id: str, data: dict[str, Any], *, actor: Actor, now: datetime,
                expected_version: int | None, ranker: Ranker | None = None) -> list[Target]:
    """Add or update targets: `targets` [{company_id, status}] and/or `top` N ranked candidates of its chains.

    `ranker` is the ranking hook (see `Ranker`); by default the scoring package's lead ranking.
    """
    event = get_event(store, event_id, actor=actor)
    require(may_change(actor, event), "change this event's targets")
    wanted = _wanted(store, event, data, now=now, ranker=ranker)

    def work(tx: Any) -> None:
        errors = [m for cid in wanted for m in check_exists(tx, "Company", cid, "targets").get("targets", [])]
        if errors:
            raise ValidationFailed({"targets": errors})
        before = {r["c"]: r["s"] for r in tx.run("MATCH (:Event {id: $id})-[r:INVITES]->(c:Company) "
                                                 "RETURN c.id AS c, r.status AS s", {"id": event_id})}
        diff = {}
        for cid, (status, score) in wanted.items():
            status = status or before.get(cid) or "invited"
            tx.run("MATCH (e:Event {id: $id}) MATCH (c:Company {id: $c}) MERGE (e)-[r:INVITES]->(c) "
                   "SET r.status = $status, r.updated_at = $now, r.score = coalesce($score, r.score)",
                   {"id": event_id, "c": cid, "status": status, "now": now, "score": score})
            if before.get(cid) != status:
                diff[f"target:{cid}"] = (before.get(cid), status)
        records.update(tx, "Event", event_id, {}, actor=actor, now=now, expected_version=expected_version,
                       action="targets", extra_audit=diff)

    store.transaction(work)
    return list_targets(store, event_id, actor=actor)


def _wanted(store: Any, event: Event, data: dict[str, Any], *, now: datetime,
            ranker: Ranker | None) -> dict[str, tuple[str | None, float | None]]:
    wanted: dict[str, tuple[str | None, float | None]] = {}
    top = data.get("top")
    if top is not None:
        if not isinstance(top, int) or isinstance(top, bool) or not 1 <= top <= 200:
            raise ValidationFailed({"top": ["a whole number from 1 to 200"]})
        if not event.chain_ids:
            raise ValidationFailed({"top": ["the event has no focus chains to rank candidates for"]})
        for cid, score in top_candidates(store, event.chain_ids, top, now=now, ranker=ranker):
            wanted[cid] = (None, score)
        if not wanted and not data.get("targets"):
            raise ValidationFailed({"top": ["no foreign investor is ranked for the event's chains: "
                                            "name the companies instead"]})
    for item in data.get("targets") or []:
        status = item.get("status")
        if status is not None and status not in TARGET_STATUSES:
            raise ValidationFailed({"targets": [f"status must be one of {', '.join(TARGET_STATUSES.values)}"]})
        if not item.get("company_id"):
            raise ValidationFailed({"targets": ["each target needs a company_id"]})
        wanted[item["company_id"]] = (status, wanted.get(item["company_id"], (None, None))[1])
    if not wanted:
        raise ValidationFailed({"targets": ["give targets, or top for the best-ranked candidates"]})
    return wanted


def default_top() -> int:
    return int(section("event_targets").get("top", 20))


def list_meetings(store: Any, event_id: str, *, actor: Actor, now: datetime) -> list[followups.FollowUp]:
    get_event(store, event_id, actor=actor)
    page = followups.list_followups(store, followups.FollowUpQuery(event=event_id, status=[], page_size=200,
                                                                   sort="due_at"), actor=actor, now=now)
    return page.items


def record_meeting(store: Any, event_id: str, data: dict[str, Any], *, actor: Actor, now: datetime) -> followups.FollowUp:
    """Log (or schedule) a meeting at the event as a follow-up HELD_AT it; the firm's target turns `met`.

    Without `lead_id`, a lead is opened for `company_id` and `link_id`, sourced at the event.
    """
    event = get_event(store, event_id, actor=actor)
    errors = followups.validate({k: data.get(k) for k in ("title", "notes", "outcome")}, creating=False)
    if data.get("kind") and data["kind"] not in FOLLOWUP_KINDS:
        errors["kind"] = [f"must be one of {', '.join(FOLLOWUP_KINDS.values)}"]
    if not data.get("lead_id") and not (data.get("company_id") and data.get("link_id")):
        errors["lead_id"] = ["give lead_id, or company_id and link_id to open a lead"]
    if not data.get("outcome") and not (data.get("due_at") or data.get("due_on")):
        errors["outcome"] = ["give the outcome of a meeting held, or due_at for one still to come"]
    if errors:
        raise ValidationFailed(errors)
    lead_id = data.get("lead_id")
    if not lead_id:
        lead = leads.create_lead(store, {
            "company_id": data["company_id"], "link_id": data["link_id"], "district_id": data.get("district_id"),
            "priority": data.get("priority"), "owner_id": data.get("owner_id") or _user(store, actor),
            "event_id": event.id, "source": "roadshow", "synthetic": data.get("synthetic")}, actor=actor, now=now,
            first_followup=False)  # the meeting below is its first follow-up
        lead_id = lead.id
    lead = leads.get_lead(store, lead_id, actor=actor)
    require(can_write(actor, lead.scope), "record meetings on this lead")
    due = followups.due_from(data) or now

    def work(tx: Any) -> str:
        fid = followups.insert(tx, {"lead_id": lead_id, "event_id": event.id, "kind": data.get("kind") or
                                    "roadshow_meeting", "title": data.get("title") or event.name_zh, "due_at": due,
                                    "notes": data.get("notes"), "owner_id": data.get("owner_id") or lead.owner_id
                                    or _user(tx, actor), "synthetic": data.get("synthetic")}, actor=actor, now=now)
        if data.get("outcome"):
            completion.complete_in(tx, fid, {"outcome": data["outcome"]}, actor=actor, now=now, expected_version=None)
            tx.run("MATCH (e:Event {id: $e}) MATCH (c:Company {id: $c}) MERGE (e)-[r:INVITES]->(c) "
                   "SET r.status = 'met', r.updated_at = $now", {"e": event.id, "c": lead.company_id, "now": now})
        return fid

    return followups.fetch(store, store.transaction(work), now)


def _user(reader: Any, actor: Actor) -> str | None:
    run = read_with(reader)
    return actor.id if run("MATCH (u:User {id: $id}) RETURN u.id AS id", {"id": actor.id}) else None


def create_event_with_targets(store: Any, data: dict[str, Any], *, actor: Actor, now: datetime,
                              ranker: Ranker | None = None) -> Event:
    """Create the event and its checklist, then (when asked) its target list; returns the event."""
    from crm.events.events import create_event, fetch

    wanted = {k: data[k] for k in ("targets", "top") if data.get(k)}
    event = create_event(store, {k: v for k, v in data.items() if k not in ("targets", "top")}, actor=actor, now=now)
    if wanted:
        add_targets(store, event.id, wanted, actor=actor, now=now, expected_version=event.version, ranker=ranker)
    return fetch(store, event.id)
