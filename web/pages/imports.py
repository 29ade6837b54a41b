"""Import companies from the browser: upload a file, read its dry run, commit it and watch it write.

The same service as /api/v1/imports (web/imports.py) does the work; these views only render it.
Staff and admins import; other roles get a 403 and never see the link.
"""
from __future__ import annotations

from flask import redirect, render_template, request, url_for

from crm.base.access import can_write, require
from crm.errors import Conflict, ValidationFailed
from crm.library.imports.table import MAX_BYTES
from web.imports import imports
from web.messages import translate
from web.pages import blp
from web.pages.common import FORM, FormErrors, actor
from web.pages.forms import FormData

SHOWN = 200             # rows listed per section of a dry run; the counts are always whole
SHOWN_PROBLEMS = 5000   # problems listed (each by row and column); a file wrong throughout lists the first ones


def _may_import() -> None:
    require(can_write(actor()), "import companies")


def _form(errors: FormErrors | None = None, status: int = 200):
    return render_template("companies/import.html", errors=errors or {}, max_mb=MAX_BYTES // 1024 // 1024), status


def _messages(exc: ValidationFailed) -> FormErrors:
    return {name: [translate(m) for m in messages] for name, messages in exc.errors.items()}


@blp.get("/companies/import")
def import_companies():
    _may_import()
    return _form()


@blp.post("/companies/import")
def import_dry_run():
    """Read and match the uploaded file, write nothing, and show what a commit would do."""
    _may_import()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _form({"file": [translate("a CSV or XLSX file is required")]}, 422)
    try:
        found = imports().dry_run(upload.filename, upload.read(), actor())
    except ValidationFailed as exc:
        return _form(_messages(exc), 422)
    return render_template("companies/import_preview.html", upload=found, preview=found.preview, shown=SHOWN,
                           shown_problems=SHOWN_PROBLEMS, translate=translate, errors={})


@blp.post("/companies/import/commit")
def import_commit():
    """Start writing the dry run's file in the background and go to its progress."""
    _may_import()
    form = FormData(request.form)
    try:
        job = imports().commit(form.text("token") or "", form.text("sha256") or "", actor(),
                               skip_ambiguous=form.flag("skip_ambiguous"))
    except ValidationFailed as exc:
        return _form(_messages(exc), 422)
    except Conflict as exc:
        return _form({FORM: [translate(str(exc))]}, 409)
    return redirect(url_for("pages.import_job", job_id=job.id))


@blp.get("/companies/import/jobs/<job_id>")
def import_job(job_id: str):
    """The commit's progress bar (static/import.js polls the job), then what it wrote or why it failed."""
    _may_import()
    return render_template("companies/import_job.html", job=imports().job(job_id, actor()), translate=translate)
