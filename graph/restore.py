"""Restore a backup file (graph/backup.py) into an empty store of either engine.

The file is read twice: first every line is checked against the schema and the header's counts,
so a truncated, foreign or newer file is refused before anything is written; then the lines are
written in batches through graph.cypher. At the end the store's counts must equal the header's.
A backup of an older schema version restores as it was; `chainlead migrate` then upgrades it.
"""
from __future__ import annotations

import gzip
import json
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterator

from graph.backup import FORMAT, FORMAT_VERSION, BackupRefused, decode
from graph.cypher import BATCH, count_nodes, counts, create_rels, upsert_nodes
from graph.errors import SchemaError
from graph.schema import SCHEMA, Schema

Progress = Callable[[int, int], None]
Source = str | Path | BinaryIO


@dataclass
class Restored:
    header: dict[str, Any]
    written: int
    schema_version: int

    @property
    def needs_migrate(self) -> bool:
        """True when the backup was made by an older schema: run `chainlead migrate` next."""
        return self.header["schema_version"] < self.schema_version


def _lines(source: Source) -> Iterator[tuple[int, str]]:
    if not isinstance(source, (str, Path)):
        source.seek(0)
    try:
        with gzip.open(source, "rt", encoding="utf-8") as text:
            for number, line in enumerate(text, start=1):
                yield number, line
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
        raise BackupRefused(f"the backup file is damaged or not a gzip file ({exc})") from None


def check_header(header: Any, schema: Schema = SCHEMA) -> dict[str, Any]:
    """Refuse a file that is not a ChainLead backup, or that this ChainLead is too old to read."""
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupRefused("this is not a ChainLead backup (its first line names no chainlead-backup format)")
    if not isinstance(header.get("format_version"), int) or header["format_version"] > FORMAT_VERSION:
        raise BackupRefused(f"the backup's format version {header.get('format_version')} is newer than this "
                            f"ChainLead reads ({FORMAT_VERSION}): upgrade ChainLead to restore it")
    version = header.get("schema_version")
    if not isinstance(version, int) or version > schema.version:
        raise BackupRefused(f"the backup holds schema version {version}, newer than this ChainLead knows "
                            f"({schema.version}): upgrade ChainLead to restore it")
    if not isinstance(header.get("counts"), dict):
        raise BackupRefused("the backup's header has no counts")
    return header


def read_header(source: Source, schema: Schema = SCHEMA) -> dict[str, Any]:
    for _, line in _lines(source):
        try:
            return check_header(json.loads(line), schema)
        except json.JSONDecodeError:
            raise BackupRefused("this is not a ChainLead backup (its first line is not JSON)") from None
    raise BackupRefused("the backup file is empty")


def _parse(line: str, number: int, schema: Schema) -> tuple[tuple[str, ...], dict[str, Any]]:
    """(group, row): group is ("node", label) or ("rel", type, from, to); row is ready to write."""
    try:
        item = json.loads(line)
        if "label" in item:
            nt = schema.node(item["label"])
            row = {name: decode(nt.prop(name), value, nt.label) for name, value in item["props"].items()}
            schema.check_node(nt.label, row)
            return ("node", nt.label), row
        type_, start, end = item["type"], item["from"], item["to"]
        rt = schema.rel(type_)
        row = {name: decode(rt.prop(name), value, type_) for name, value in item["props"].items()}
        schema.check_rel(type_, start, end, row)
        return ("rel", type_, start, end), {"src": item["src"], "dst": item["dst"], **row}
    except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise BackupRefused(f"line {number} of the backup is not a node or relationship ({exc})") from None
    except SchemaError as exc:
        raise BackupRefused(f"line {number} of the backup does not fit this ChainLead's schema: {exc}") from None


def _check_all(source: Source, header: dict[str, Any], schema: Schema) -> int:
    seen: Counter[tuple[str, str]] = Counter()
    for number, line in _lines(source):
        if number > 1:
            group, _ = _parse(line, number, schema)
            seen["nodes" if group[0] == "node" else "relationships", group[1]] += 1
    expected = {(section, name): n for section in ("nodes", "relationships")
                for name, n in header["counts"].get(section, {}).items() if n}
    if dict(seen) != expected:
        missing = sorted(f"{name}: {n} of {expected.get((s, name), 0)}" for (s, name), n in
                         (Counter(expected) - seen).items())
        raise BackupRefused("the backup's lines do not match its header (truncated or edited?)"
                            + (f": {', '.join(missing[:5])}" if missing else ""))
    return sum(expected.values())


def require_empty(store: Any, schema: Schema = SCHEMA) -> None:
    """Refuse a store holding anything but its Meta node: a restore never merges into data."""
    found = {label: n for label in schema.nodes if label != "Meta" and (n := count_nodes(store, label))}
    if found:
        sample = ", ".join(f"{n:,} {label}" for label, n in sorted(found.items())[:3])
        raise BackupRefused(f"the store at {store.location} is not empty ({sample} …): restore into an empty "
                            "store (a new database file, or an emptied Neo4j database)")


def _write(store: Any, group: tuple[str, ...], rows: list[dict[str, Any]], schema: Schema, batch: int) -> None:
    if group[0] == "node":
        upsert_nodes(store, group[1], rows, schema=schema, batch=batch)
        return
    _, type_, start, end = group
    made = create_rels(store, type_, start, end, rows, schema=schema, batch=batch)
    if made != len(rows):
        raise BackupRefused(f"{len(rows) - made} {type_} relationship(s) name a node missing from the backup")


def restore(store: Any, source: Source, *, progress: Progress | None = None, schema: Schema = SCHEMA,
            batch: int = BATCH) -> Restored:
    """Load a backup into an empty store: check it all, write it in batches, verify the counts."""
    header = read_header(source, schema)
    total = _check_all(source, header, schema)
    store.ensure_schema()
    require_empty(store, schema)
    store.write("MATCH (m:Meta) DELETE m")  # the backup's own Meta node (its schema version) replaces it
    done = 0
    group: tuple[str, ...] = ()
    pending: list[dict[str, Any]] = []
    for number, line in _lines(source):
        if number == 1:
            continue
        key, row = _parse(line, number, schema)
        if pending and (key != group or len(pending) >= batch):
            _write(store, group, pending, schema, batch)
            done += len(pending)
            pending = []
            if progress:
                progress(done, total)
        group = key
        pending.append(row)
    if pending:
        _write(store, group, pending, schema, batch)
        done += len(pending)
        if progress:
            progress(done, total)
    have = counts(store, schema)
    wrong = [f"{name}: {have[section].get(name, 0)} instead of {n}" for section in ("nodes", "relationships")
             for name, n in header["counts"].get(section, {}).items() if have[section].get(name, 0) != n]
    if wrong:
        raise BackupRefused("the restored store's counts differ from the backup's: " + ", ".join(wrong[:5]))
    return Restored(header, done, schema.version)
