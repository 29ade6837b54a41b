"""/api/v1/admin: operations for administrators, such as a backup of the running app's store.

On the embedded engine the app holds the database file: `chainlead backup` on the app's machine
runs inside the app (web/cli_channel.py); this endpoint serves a backup over HTTP (docs/deploy.md).
"""
from __future__ import annotations

from flask import Response, stream_with_context
from flask.views import MethodView
from flask_smorest import Blueprint

from crm.ops.backups import take_backup
from graph.backup import compressed
from web.api.common import actor, now, store

blp = Blueprint("admin", __name__, url_prefix="/api/v1/admin", description="Administration (admins only)")

BACKUP_DOC = {"responses": {"200": {
    "description": "The backup file (gzip-compressed JSON lines); restore it with `chainlead restore FILE`.",
    "content": {"application/gzip": {"schema": {"type": "string", "format": "binary"}}}}}}


@blp.route("/backup")
class Backup(MethodView):
    @blp.doc(**BACKUP_DOC)
    def post(self):
        """Stream a backup of the whole graph (admins only)."""
        taken = now()
        snap = take_backup(store(), actor=actor(), now=taken)
        name = f"chainlead-{taken:%Y%m%dT%H%M%SZ}.jsonl.gz"
        return Response(stream_with_context(compressed(snap)), mimetype="application/gzip",
                        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})
