"""Shapes of the companies import from the browser: the upload's dry run, its commit, the job's progress."""
from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate
from werkzeug.datastructures import FileStorage

from web.schemas.common import Strict

SHA256 = validate.Regexp(r"^[0-9a-fA-F]{64}$", error="64 hexadecimal digits (the sha256 the dry run returned)")


class UploadField(fields.Field):
    """A multipart file part; anything else (a text field under that name) is refused."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> FileStorage:
        if not isinstance(value, FileStorage) or not value.filename:
            raise ValidationError("a CSV or XLSX file is required")
        return value


class ImportDryRunArgs(Strict):
    file = UploadField(required=True, metadata={"type": "string", "format": "binary",
                                                "description": "The companies file, .csv or .xlsx (at most 50 MB)"})


class ImportCommitSchema(Strict):
    token = fields.String(required=True, validate=validate.Length(min=16, max=64))
    sha256 = fields.String(required=True, validate=SHA256)
    skip_ambiguous = fields.Boolean(load_default=False,
                                    metadata={"description": "Write the other rows and leave the ambiguous ones out"})


class ImportProblemSchema(Strict):
    row = fields.Integer(allow_none=True, metadata={"description": "Spreadsheet row (the header is row 1)"})
    column = fields.String(allow_none=True)
    message = fields.String()


class ImportCandidateSchema(Strict):
    company_id = fields.String()
    name = fields.String()
    score = fields.Float(metadata={"description": "100 for a name match, less for a near one"})


class ImportOutcomeSchema(Strict):
    row = fields.Integer()
    label = fields.String()
    outcome = fields.String(metadata={"enum": ["new", "match", "merge", "ambiguous"]})
    company_id = fields.String(allow_none=True)
    company_name = fields.String(allow_none=True)
    how = fields.String(allow_none=True, metadata={"description": "id or name, for a match or merge"})
    changes = fields.List(fields.String(), metadata={"description": "Columns a merge changes or adds"})
    candidates = fields.List(fields.Nested(ImportCandidateSchema))
    reason = fields.String()


class ImportDryRunSchema(Strict):
    token = fields.String()
    sha256 = fields.String()
    file = fields.String()
    expires_at = fields.DateTime()
    rows = fields.Integer()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    committable = fields.Boolean()
    outcomes = fields.List(fields.Nested(ImportOutcomeSchema))
    problems = fields.List(fields.Nested(ImportProblemSchema))


class ImportJobSchema(Strict):
    id = fields.String()
    file = fields.String()
    status = fields.String(metadata={"enum": ["running", "done", "failed"]})
    phase = fields.String()
    done = fields.Integer()
    total = fields.Integer()
    percent = fields.Integer()
    summary = fields.Dict()
    skipped = fields.List(fields.String())
    problems = fields.List(fields.Nested(ImportProblemSchema))
    error = fields.String()


def dry_run_body(upload: Any) -> dict[str, Any]:
    preview = upload.preview
    return {"token": upload.token, "sha256": upload.sha256, "file": upload.name, "expires_at": upload.expires_at,
            "rows": preview.rows, "counts": preview.counts, "committable": preview.committable,
            "outcomes": preview.outcomes, "problems": preview.problems}
