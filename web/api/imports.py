"""/api/v1/imports: companies imported by upload, a dry run first, then the commit as a background job."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from crm.base.access import can_write, require
from web.api.common import actor
from web.imports import imports
from web.schemas.imports import ImportCommitSchema, ImportDryRunArgs, ImportDryRunSchema, ImportJobSchema, dry_run_body

blp = Blueprint("imports", __name__, url_prefix="/api/v1/imports",
                description="Import companies from CSV or XLSX: dry run, commit, progress (staff and admins)")


def _may_import() -> None:
    require(can_write(actor()), "import companies")


@blp.route("/companies/dry-run")
class DryRun(MethodView):
    @blp.arguments(ImportDryRunArgs, location="files")
    @blp.response(200, ImportDryRunSchema)
    def post(self, args):
        """Check and match every row of the file, write nothing; returns the token and sha256 a commit names.
        Row problems are in the answer (200); a file that cannot be read at all is a 422 on `file`."""
        _may_import()
        upload = args["file"]
        return dry_run_body(imports().dry_run(upload.filename, upload.read(), actor()))


@blp.route("/companies/commit")
class Commit(MethodView):
    @blp.arguments(ImportCommitSchema)
    @blp.response(202, ImportJobSchema)
    def post(self, data):
        """Write the file of that dry run in the background; poll the job for its progress. 409 while another
        import runs."""
        _may_import()
        return imports().commit(data["token"], data["sha256"], actor(), skip_ambiguous=data["skip_ambiguous"])


@blp.route("/jobs/<job_id>")
class JobStatus(MethodView):
    @blp.response(200, ImportJobSchema)
    def get(self, job_id):
        """How far a commit got: running (phase, writes done of total), done (what it wrote) or failed (why)."""
        _may_import()
        return imports().job(job_id, actor())
