"""Portable backups: the whole graph as one versioned file of gzip-compressed JSON lines.

Everything is read through the schema (labels, relationship types and property types come from
graph/schema.py), so no engine introspection is needed and a file written from one engine
restores into the other (graph/restore.py). Lines are sorted and values encoded by their declared
type, and the gzip header is fixed (mtime 0, one file name), so one graph always gives the same
bytes. The first line is the header: format, versions, when, from which engine, and counts.
"""
from __future__ import annotations

import gzip
import io
import json
import os
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, BinaryIO, Iterator

from graph.errors import SchemaError, StoreError
from graph.meta import stored_version
from graph.schema import SCHEMA, Prop, Schema

FORMAT = "chainlead-backup"
FORMAT_VERSION = 1
GZIP_NAME = "chainlead-backup.jsonl"  # the name inside the gzip header, the same for every file
CHUNK = 1 << 16


class BackupRefused(StoreError):
    """A backup cannot be written or restored as asked (wrong version, non-empty store, bad file)."""


def encode(prop: Prop, value: Any) -> Any:
    """A stored value as JSON, losslessly: dates as ISO, timestamps as ISO UTC, doubles as floats.

    Doubles become floats even when an engine hands back an int (Neo4j keeps `5` as written,
    Ladybug returns `5.0`), so both engines give the same line.
    """
    if value is None:
        return None
    if prop.type == "DOUBLE":
        return float(value)
    if prop.type == "DATE":
        return value.isoformat()
    if prop.type == "TIMESTAMP":
        return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    if prop.type == "STRING[]":
        return list(value)
    return value


def decode(prop: Prop, value: Any, owner: str) -> Any:
    """The Python value of an encoded property, refusing one that does not fit its type."""
    if value is None:
        return None
    try:
        if prop.type == "DATE":
            return date.fromisoformat(value)
        if prop.type == "TIMESTAMP":
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                raise ValueError("a timestamp without its time zone")
            return moment
        if prop.type == "DOUBLE" and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
    except (TypeError, ValueError, AttributeError) as exc:
        raise SchemaError(f"{owner}.{prop.name}: {value!r} is not a {prop.type} ({exc})") from None
    return value


def dumps(obj: Any) -> str:
    """One canonical JSON text: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass
class Snapshot:
    """A whole graph read at once: the header and the encoded lines in file order."""
    header: dict[str, Any]
    lines: list[str]

    def text_lines(self) -> Iterator[bytes]:
        yield (dumps(self.header) + "\n").encode("utf-8")
        for line in self.lines:
            yield (line + "\n").encode("utf-8")


def _columns(names: tuple[str, ...], var: str) -> str:
    """Positional aliases (c0, c1 …): property names may be words an engine reserves."""
    return ", ".join(f"{var}.{name} AS c{i}" for i, name in enumerate(names))


def _props(owner: Any, row: dict[str, Any]) -> dict[str, Any]:
    values = {p.name: encode(p, row[f"c{i}"]) for i, p in enumerate(owner.props)}
    return {k: v for k, v in values.items() if v is not None}


def _read_graph(tx: Any, schema: Schema) -> tuple[list[str], dict[str, dict[str, int]]]:
    lines: list[str] = []
    counts: dict[str, dict[str, int]] = {"nodes": {}, "relationships": {}}
    for label in sorted(schema.nodes):
        nt = schema.nodes[label]
        rows = tx.run(f"MATCH (n:{label}) RETURN {_columns(nt.names, 'n')}")
        nodes = sorted((_props(nt, row) for row in rows), key=lambda p: p[nt.key])
        lines.extend(dumps({"label": label, "props": p}) for p in nodes)
        counts["nodes"][label] = len(nodes)
    for type_ in sorted(schema.rels):
        rt = schema.rels[type_]
        found: list[tuple[tuple[str, ...], dict[str, Any]]] = []
        for start, end in sorted(rt.ends):
            s_key, e_key = schema.node(start).key, schema.node(end).key
            extra = (", " + _columns(rt.names, "r")) if rt.props else ""
            rows = tx.run(f"MATCH (a:{start})-[r:{type_}]->(b:{end}) RETURN a.{s_key} AS src, b.{e_key} AS dst{extra}")
            for row in rows:
                props = _props(rt, row)
                line = {"type": type_, "from": start, "src": row["src"], "to": end, "dst": row["dst"], "props": props}
                found.append(((start, end, row["src"], row["dst"], dumps(props)), line))
        found.sort(key=lambda item: item[0])
        lines.extend(dumps(line) for _, line in found)
        counts["relationships"][type_] = len(found)
    return lines, counts


def snapshot(store: Any, *, now: datetime, schema: Schema = SCHEMA) -> Snapshot:
    """Read the whole graph in one transaction (on the embedded engine writers wait meanwhile, so
    the file is consistent; on Neo4j see docs/deploy.md for hot backups of a busy server)."""
    version = stored_version(store)
    if version is not None and version != schema.version:
        advice = ("run `chainlead migrate` first" if version < schema.version
                  else "this ChainLead is older than the store; upgrade it first")
        raise BackupRefused(f"the store is at schema version {version}, this ChainLead writes version "
                            f"{schema.version}: {advice}")
    lines, counts = store.transaction(lambda tx: _read_graph(tx, schema))
    header = {"format": FORMAT, "format_version": FORMAT_VERSION, "schema_version": schema.version,
              "created_at": encode(Prop("created_at", "TIMESTAMP"), now), "engine": store.engine,
              "counts": counts}
    return Snapshot(header, lines)


class _Sink(io.RawIOBase):
    """Collects what gzip writes, so the compressed stream can be handed out chunk by chunk."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        out, self.parts = b"".join(self.parts), []
        return out


def compressed(snap: Snapshot) -> Iterator[bytes]:
    """The backup file's bytes in chunks (for streaming over HTTP or writing to disk)."""
    sink = _Sink()
    with gzip.GzipFile(filename=GZIP_NAME, mode="wb", fileobj=sink, mtime=0, compresslevel=6) as gz:
        pending = 0
        for line in snap.text_lines():
            gz.write(line)
            pending += len(line)
            if pending >= CHUNK:
                pending = 0
                data = sink.take()
                if data:
                    yield data
    data = sink.take()
    if data:
        yield data


def write_backup(store: Any, target: str | Path | BinaryIO, *, now: datetime,
                 schema: Schema = SCHEMA) -> dict[str, Any]:
    """Write a backup file (atomically, when given a path) and return its header."""
    snap = snapshot(store, now=now, schema=schema)
    if not isinstance(target, (str, Path)):
        for chunk in compressed(snap):
            target.write(chunk)
        return snap.header
    path = Path(target)
    partial = path.with_name(path.name + ".partial")
    with open(partial, "wb") as out:
        for chunk in compressed(snap):
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, path)
    return snap.header


__all__ = ["FORMAT", "FORMAT_VERSION", "BackupRefused", "Snapshot", "compressed", "decode",
           "dumps", "encode", "snapshot", "write_backup"]
