"""Backups asked for by a user (the running app's POST /api/v1/admin/backup): administrators only.

The file format and the reading are storage matters (graph/backup.py); who may carry the whole
graph away, every confidential lead included, is decided here.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from crm.base.access import Actor, require_admin
from crm.base.records import audit, new_id
from graph.backup import Snapshot, snapshot


def take_backup(store: Any, *, actor: Actor, now: datetime) -> Snapshot:
    """The whole graph, read at once, for an administrator; stream it with graph.backup.compressed.

    Carrying every confidential record away is audited like a write: who took a copy, when, of how much.
    """
    require_admin(actor, "take a backup of the whole store")
    taken = snapshot(store, now=now)
    counts = {part: sum(taken.header["counts"][part].values()) for part in taken.header["counts"]}
    store.transaction(lambda tx: audit(tx, actor, "backup", "Store", new_id("backup"),
                                       {k: (None, v) for k, v in counts.items()}, now))
    return taken
