"""/api/v1/notes: notes on any record, append-only."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from crm.people import notes
from web.api.common import IF_MATCH, actor, etag, expected_version, now, store
from web.schemas.notes import NoteArchiveSchema, NoteCreateSchema, NoteListArgs, NoteSchema

blp = Blueprint("notes", __name__, url_prefix="/api/v1/notes",
                description="Notes on leads, projects, companies, events, issues and contacts")


@blp.route("")
class Notes(MethodView):
    @blp.arguments(NoteListArgs, location="query")
    @blp.response(200, NoteSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=200)
    def get(self, args, pagination_parameters):
        """A record's notes, newest first; the record must be one the caller may read."""
        page = notes.list_notes(store(), args["record"], actor=actor(), label=args.get("label"),
                                archived=args["archived"], page=pagination_parameters.page,
                                page_size=pagination_parameters.page_size)
        pagination_parameters.item_count = page.total
        return page.items

    @blp.arguments(NoteCreateSchema)
    @blp.response(201, NoteSchema)
    def post(self, data):
        """Add a note as the caller; chain leaders may comment on their chains' records."""
        note = notes.add_note(store(), data, actor=actor(), now=now())
        return note, 201, {**etag(note.version), "Location": f"/api/v1/notes/{note.id}"}


@blp.route("/<note_id>")
class NoteById(MethodView):
    @blp.response(200, NoteSchema)
    def get(self, note_id):
        note = notes.get_note(store(), note_id, actor=actor())
        return note, 200, etag(note.version)

    @blp.arguments(NoteArchiveSchema)
    @blp.response(200, NoteSchema)
    @blp.doc(**IF_MATCH)
    def patch(self, data, note_id):
        """Archive (or restore) a note: its author or an admin only; the text is never edited."""
        note = notes.archive_note(store(), note_id, archived=data["archived"], actor=actor(), now=now(),
                                  expected_version=expected_version())
        return note, 200, etag(note.version)
