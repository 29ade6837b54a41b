"""Render each engine's DDL from the one schema declaration (pure functions, no I/O)."""
from __future__ import annotations

from graph.schema import NodeType, Prop, RelType, Schema

_LADYBUG_TYPES = {"BOOL": "BOOLEAN"}


def ladybug_type(prop: Prop) -> str:
    return _LADYBUG_TYPES.get(prop.type, prop.type)


def ladybug_columns(props: tuple[Prop, ...], key: str | None = None) -> str:
    cols = [f"{p.name} {ladybug_type(p)}" + (" PRIMARY KEY" if p.name == key else "") for p in props]
    return ", ".join(cols)


def ladybug_create_node(nt: NodeType) -> str:
    return f"CREATE NODE TABLE IF NOT EXISTS {nt.label}({ladybug_columns(nt.props, nt.key)})"


def ladybug_create_rel(rt: RelType) -> str:
    parts = [f"FROM {a} TO {b}" for a, b in rt.ends]
    cols = ladybug_columns(rt.props)
    return f"CREATE REL TABLE IF NOT EXISTS {rt.type}({', '.join(parts)}{', ' + cols if cols else ''})"


def ladybug_add_column(table: str, prop: Prop) -> str:
    return f"ALTER TABLE {table} ADD IF NOT EXISTS {prop.name} {ladybug_type(prop)}"


def ladybug_add_ends(rt: RelType, a: str, b: str) -> str:
    return f"ALTER TABLE {rt.type} ADD IF NOT EXISTS FROM {a} TO {b}"


def neo4j_statements(schema: Schema) -> dict[str, str]:
    """Constraint and index statements for Neo4j, by the name each creates."""
    out: dict[str, str] = {}
    for nt in schema.nodes.values():
        name = f"{nt.label.lower()}_{nt.key}_unique"
        out[name] = (f"CREATE CONSTRAINT {name} IF NOT EXISTS "
                     f"FOR (n:{nt.label}) REQUIRE n.{nt.key} IS UNIQUE")
        for p in nt.props:
            if p.indexed:
                iname = f"{nt.label.lower()}_{p.name}"
                out[iname] = f"CREATE INDEX {iname} IF NOT EXISTS FOR (n:{nt.label}) ON (n.{p.name})"
    return out
