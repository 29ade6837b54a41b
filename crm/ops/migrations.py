"""The domain's share of schema migrations: data that only crm knows how to derive.

graph/migrations.py fills what the schema alone describes (mirrored ids from relationships);
a lead's chain and search text follow from its link, company and title, which is lead
knowledge (crm/pipeline/leads.py), so those are filled here, as a hook on the same version step.
Old audit entries that kept secret values are masked on step 4 (crm/base/records.py says which
fields are secret). `chainlead migrate` runs graph's steps with these hooks.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Sequence

from crm.base.records import HIDDEN, SECRET
from crm.pipeline.lead_fields import refresh_derived as refresh_lead_derived
from graph import migrations
from graph.cypher import batches

BATCH = 500  # leads per transaction: bounded memory, and progress survives an interruption


def backfill_lead_derived(store: Any) -> int:
    """Fill chain_id and search_text on leads that lack them (stores older than those properties)."""
    ids = [r["id"] for r in store.read(
        "MATCH (l:Lead) WHERE (l.search_text IS NULL OR l.chain_id IS NULL) "
        "AND EXISTS { MATCH (l)-[:TARGETS]->(:Company) } AND EXISTS { MATCH (l)-[:FILLS]->(:ChainNode) } "
        "RETURN l.id AS id ORDER BY l.id")]
    def refresh(tx: Any, chunk: Sequence[str]) -> None:
        for lead_id in chunk:
            refresh_lead_derived(tx, lead_id)

    for chunk in batches(ids, BATCH):
        store.transaction(lambda tx, chunk=chunk: refresh(tx, chunk))
    return len(ids)


def scrub_audit_secrets(store: Any) -> int:
    """Mask the values of secret fields (password hashes, token digests) in audit entries written
    before the trail stopped recording them; returns how many entries changed."""
    rows = store.read("MATCH (a:AuditEntry) WHERE a.changes CONTAINS 'hash' OR a.changes CONTAINS 'password' "
                      "OR a.changes CONTAINS 'token' OR a.changes CONTAINS 'secret' OR a.changes CONTAINS 'digest' "
                      "OR a.changes CONTAINS 'key' RETURN a.id AS id, a.changes AS changes ORDER BY a.id")
    masked = []
    for row in rows:
        changes = json.loads(row["changes"] or "{}")
        secret = [k for k in changes if SECRET.search(k) and changes[k] != [HIDDEN, HIDDEN]]
        if secret:
            changes.update({k: [HIDDEN, HIDDEN] for k in secret})
            masked.append({"id": row["id"], "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True)})
    for chunk in batches(masked, BATCH):
        store.write("UNWIND $rows AS r MATCH (a:AuditEntry {id: r.id}) SET a.changes = r.changes", {"rows": chunk})
    return len(masked)


HOOKS = {2: (backfill_lead_derived,), 4: (scrub_audit_secrets,)}


def migrate(store: Any, *, now: datetime) -> list[migrations.Migration]:
    """Every missing step, graph's and the domain's, in version order; see graph.migrations.migrate."""
    return migrations.migrate(store, now=now, hooks=HOOKS)
