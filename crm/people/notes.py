"""Notes: free text attached to any record (lead, project, company, event, issue, contact).

Notes are append-only, so what was written stays as written; their author (or an admin) may
archive one. Who may read a record's notes, and who may add one, is the record's own rule
(crm/people/visibility.py): a chain leader comments on their chains' records.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crm.base import records
from crm.base.access import Actor, require
from crm.errors import NotFound, ValidationFailed
from crm.base.listing import Page, read_page
from crm.people.visibility import NOTABLE, RecordRef, locate, may_comment, may_read, note_target

MAX_BODY = 5000
_AUTHOR = ("OPTIONAL MATCH (o)-[:WRITTEN_BY]->(u:User) "
           "RETURN o AS note, u.id AS author_id, u.username AS author_username, u.display_name AS author_name")


@dataclass
class Note:
    id: str
    body: str
    record_id: str
    record_label: str
    author_id: str | None = None
    author_username: str | None = None
    author_name: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    version: int = 1
    archived: bool = False
    synthetic: bool = False

    @classmethod
    def from_row(cls, row: dict[str, Any], ref: RecordRef) -> "Note":
        node = row["note"]
        return cls(id=node["id"], body=node.get("body") or "", record_id=ref.id, record_label=ref.label,
                   author_id=row["author_id"], author_username=row["author_username"],
                   author_name=row["author_name"] or row["author_username"], created_at=node.get("created_at"),
                   updated_at=node.get("updated_at"), version=node.get("version") or 1,
                   archived=bool(node.get("archived")), synthetic=bool(node.get("synthetic")))


def _readable(store: Any, record_id: str, label: str | None, actor: Actor) -> RecordRef:
    """The record to read notes of; one the actor may not read is as missing as one that is not there."""
    if label is not None and label not in NOTABLE:
        raise ValidationFailed({"label": [f"notes attach to {', '.join(NOTABLE)}"]})
    ref = locate(store, record_id, label)
    if ref.label not in NOTABLE or not may_read(actor, ref):
        raise NotFound(label or "Record", record_id)
    return ref


def list_notes(store: Any, record_id: str, *, actor: Actor, label: str | None = None, archived: bool = False,
               page: int = 1, page_size: int = 50) -> Page[Note]:
    """A record's notes, newest first."""
    ref = _readable(store, record_id, label, actor)
    match = f"MATCH (o:Note)-[:ATTACHED_TO]->(:{ref.label} {{id: $rid}}) WHERE o.archived = $archived "
    params = {"rid": record_id, "archived": archived}
    total, rows = read_page(store, match + "RETURN count(o) AS n",
                            match + "WITH o ORDER BY o.created_at DESC, o.id DESC SKIP $skip LIMIT $limit " + _AUTHOR,
                            params, page=page, page_size=page_size)
    return Page([Note.from_row(r, ref) for r in rows], total, page, page_size)


def get_note(store: Any, note_id: str, *, actor: Actor) -> Note:
    ref = locate(store, note_id, "Note")
    if not may_read(actor, ref):
        raise NotFound("Note", note_id)
    rows = store.read("MATCH (o:Note {id: $id}) " + _AUTHOR, {"id": note_id})
    label, record_id = note_target(store, note_id) or ("", "")
    return Note.from_row(rows[0], RecordRef(label, record_id, ref.scopes))


def add_note(store: Any, data: dict[str, Any], *, actor: Actor, now: datetime) -> Note:
    """Attach a note written by the actor; the record must be one they may read and comment on."""
    body = (data.get("body") or "").strip()
    errors: dict[str, list[str]] = {}
    if not body:
        errors["body"] = ["required"]
    elif len(body) > MAX_BODY:
        errors["body"] = [f"at most {MAX_BODY} characters"]
    if not data.get("record_id"):
        errors["record_id"] = ["required"]
    if errors:
        raise ValidationFailed(errors)
    try:
        ref = _readable(store, data["record_id"], data.get("label"), actor)
    except NotFound:
        raise ValidationFailed({"record_id": [f"no record with id {data['record_id']!r}"]}) from None
    require(may_comment(actor, ref), f"add notes to this {ref.label.lower()}")

    def work(tx: Any) -> str:
        props = {"body": body, "id": data.get("id"), "synthetic": data.get("synthetic")}
        record = records.create(tx, "Note", props, actor=actor, now=now, prefix="note",
                                extra_audit={"record_id": (None, ref.id), "record_label": (None, ref.label)})
        tx.run(f"MATCH (o:Note {{id: $id}}) MATCH (r:{ref.label} {{id: $rid}}) CREATE (o)-[:ATTACHED_TO]->(r)",
               {"id": record["id"], "rid": ref.id})
        tx.run("MATCH (o:Note {id: $id}) MATCH (u:User {id: $uid}) CREATE (o)-[:WRITTEN_BY]->(u)",
               {"id": record["id"], "uid": actor.id})
        return record["id"]

    return get_note(store, store.transaction(work), actor=actor)


def archive_note(store: Any, note_id: str, *, archived: bool = True, actor: Actor, now: datetime,
                 expected_version: int | None) -> Note:
    """Hide (or bring back) a note; only its author or an admin may, and the text never changes."""
    note = get_note(store, note_id, actor=actor)
    require(actor.is_admin or (note.author_id is not None and note.author_id == actor.id),
            "archive a note someone else wrote")

    def work(tx: Any) -> None:
        records.update(tx, "Note", note_id, {"archived": archived}, actor=actor, now=now,
                       expected_version=expected_version, action="archive" if archived else "restore")

    store.transaction(work)
    return get_note(store, note_id, actor=actor)
