"""Backups asked for by a user (the running app's POST /api/v1/admin/backup): administrators only.

The file format and the reading are storage matters (graph/backup.py); who may carry the whole
graph away, every confidential lead included, is decided here.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from crm.access import Actor, require_admin
from graph.backup import Snapshot, snapshot


def take_backup(store: Any, *, actor: Actor, now: datetime) -> Snapshot:
    """The whole graph, read at once, for an administrator; stream it with graph.backup.compressed."""
    require_admin(actor, "take a backup of the whole store")
    return snapshot(store, now=now)
