"""Schema migrations: ordered steps keyed by the version they reach, run by `chainlead migrate`.

Additive changes (a new label, property, relationship type or index) need no step: ensure_schema
creates them. A step is for data that must change with the schema, such as filling a new
property from what the graph already holds. Each step brings version N-1 to N and is idempotent,
and the version in the Meta node is stamped after each one, so a migrate that stopped half-way
simply runs again. Layers above add their own data steps as hooks (see crm/ops/migrations.py), so
this module stays free of domain knowledge.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Mapping, Sequence

from graph.errors import SchemaMismatch
from graph.meta import stamp_version, stored_version
from graph.schema import SCHEMA, Schema

Step = Callable[[Any], Any]


@dataclass(frozen=True)
class Migration:
    version: int
    summary: str
    run: Step


def backfill_mirrors(store: Any, schema: Schema = SCHEMA) -> int:
    """Copy each mirrored relationship's end id onto its start node where it is missing or stale.

    Stores written before a mirror property existed hold the relationship but not the copy, and
    lists filter on the copy (graph.schema.RelType.mirror). Returns how many nodes changed.
    """
    changed = 0
    for rt in schema.rels.values():
        for start, end in rt.ends:
            mirror = schema.mirror(rt.type, start)
            if mirror is None:
                continue
            key = schema.node(end).key
            changed += store.write(
                f"MATCH (a:{start})-[:{rt.type}]->(b:{end}) WHERE a.{mirror} IS NULL OR a.{mirror} <> b.{key} "
                f"SET a.{mirror} = b.{key} RETURN count(a) AS n")[0]["n"]
    return changed


MIGRATIONS: tuple[Migration, ...] = (
    Migration(2, "fill mirrored ids (Lead.company_id, link_id, district_id, owner_id, event_id) from relationships",
              backfill_mirrors),
    Migration(3, "fill Lead.project_id from BECAME", backfill_mirrors),
    Migration(4, "no graph change; the domain masks secrets kept in old history (crm/ops/migrations.py)",
              lambda store: 0),
)


def check_version(store: Any, schema: Schema = SCHEMA) -> int | None:
    """The stored version, when this code can run on it; else SchemaMismatch saying what to do.

    A store with no version yet is new (`chainlead init` stamps it) and passes.
    """
    version = stored_version(store)
    if version is None or version == schema.version:
        return version
    if version > schema.version:
        raise SchemaMismatch(
            f"The store at {store.location} is at schema version {version}, newer than this ChainLead knows "
            f"({schema.version}). Install the ChainLead release that wrote it (or newer).")
    raise SchemaMismatch(
        f"The store at {store.location} is at schema version {version}; this ChainLead needs version "
        f"{schema.version}. Stop the app, run `chainlead migrate` (take a backup first), then start it again.")


def pending(store: Any, schema: Schema = SCHEMA,
            migrations: Sequence[Migration] = MIGRATIONS) -> tuple[int | None, list[Migration]]:
    """The stored version and the steps a migrate would run, in order."""
    version = stored_version(store)
    if version is not None and version > schema.version:
        check_version(store, schema)
    start = schema.version if version is None else version
    return version, [m for m in sorted(migrations, key=lambda m: m.version) if start < m.version <= schema.version]


def migrate(store: Any, *, now: datetime, hooks: Mapping[int, Sequence[Step]] | None = None,
            schema: Schema = SCHEMA, migrations: Sequence[Migration] = MIGRATIONS) -> list[Migration]:
    """Bring the store to the schema's version: DDL first, then each missing step and its hooks.

    Returns the steps run (none for a current or brand-new store, which is only stamped).
    """
    version, steps = pending(store, schema, migrations)
    store.ensure_schema()
    for step in steps:
        step.run(store)
        for hook in (hooks or {}).get(step.version, ()):
            hook(store)
        stamp_version(store, now=now, version=step.version)
    if version != schema.version:
        stamp_version(store, now=now, version=schema.version)
    return steps
