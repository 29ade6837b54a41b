"""Note shapes for the API."""
from __future__ import annotations

from marshmallow import fields, validate

from crm.people.notes import MAX_BODY
from crm.people.visibility import NOTABLE
from web.schemas.common import Strict, ident



def notable_label(description: str = "") -> fields.String:
    return fields.String(validate=validate.OneOf(NOTABLE), metadata={"enum": list(NOTABLE), "description": description})


class NoteSchema(Strict):
    id = fields.String()
    body = fields.String()
    record_id = fields.String()
    record_label = fields.String()
    author_id = fields.String(allow_none=True)
    author_username = fields.String(allow_none=True)
    author_name = fields.String(allow_none=True)
    created_at = fields.DateTime(allow_none=True)
    updated_at = fields.DateTime(allow_none=True)
    version = fields.Integer()
    archived = fields.Boolean()
    synthetic = fields.Boolean()


class NoteCreateSchema(Strict):
    record_id = ident(required=True)
    label = notable_label("The record's kind, when its id is ambiguous")
    body = fields.String(required=True, validate=validate.Length(min=1, max=MAX_BODY))


class NoteArchiveSchema(Strict):
    archived = fields.Boolean(required=True, metadata={"description": "Notes are never edited, only archived"})


class NoteListArgs(Strict):
    record = ident(required=True, metadata={"description": "The id of the lead, project, company … noted"})
    label = notable_label()
    archived = fields.Boolean(load_default=False)
