"""Backups hold the whole graph, restore into an empty store of either engine, and say the same bytes."""
import gzip
import json
from datetime import date, datetime, timedelta, timezone

import pytest

from graph.backup import FORMAT, FORMAT_VERSION, BackupRefused, snapshot, write_backup
from graph.cypher import counts, create_rels, merge_rels, upsert_nodes
from graph.meta import stamp_version, stored_version
from graph.restore import read_header, restore
from graph.schema import SCHEMA_VERSION
from tests.factories import NOW, make_followup, make_lead, make_project, make_reference, make_user

AT = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)
SHANGHAI = timezone(timedelta(hours=8))


def build_world(store):
    """The reference world, CRM records through the services, and values at the edges of each type."""
    make_reference(store)
    owner = make_user(store, "lin", "staff")
    lead = make_lead(store, owner_id=owner.id, title="宁德时代 · 电芯 🔋")
    make_followup(store, lead.id)
    make_project(store)
    upsert_nodes(store, "Company", [
        {"id": "edge", "name_zh": "边界值", "aliases": [], "fg500_rank": 2**62, "employees": -(2**63),
         "revenue_usd_m": 5, "multinational": False, "created_at": datetime(2024, 3, 1, 9, 30, 0, 123456, SHANGHAI)},
        {"id": "edge-2", "aliases": ["甲", "B", ""], "revenue_usd_m": 0.1 + 0.2}])
    merge_rels(store, "PRESENT_IN", "Company", "District",
               [{"src": "edge", "dst": "500103", "since": date(1999, 12, 31), "entity_name": "重庆边界有限公司"}])
    create_rels(store, "SUPPLIES", "Company", "Company", [{"src": "edge", "dst": "edge-2"}] * 2)
    stamp_version(store, now=NOW)


def lines_of(path):
    with gzip.open(path, "rt", encoding="utf-8") as text:
        return text.read().splitlines()


def test_it_writes_a_header_then_sorted_nodes_and_relationships(store, tmp_path):
    build_world(store)
    header = write_backup(store, tmp_path / "b.jsonl.gz", now=AT)
    lines = lines_of(tmp_path / "b.jsonl.gz")
    assert json.loads(lines[0]) == header
    assert header["format"] == FORMAT and header["format_version"] == FORMAT_VERSION
    assert header["schema_version"] == SCHEMA_VERSION and header["created_at"] == "2026-12-01T08:00:00Z"
    assert header["engine"] == store.engine and header["counts"] == counts(store)
    items = [json.loads(line) for line in lines[1:]]
    nodes = [(i["label"], i["props"]["id"]) for i in items if "label" in i]
    rels = [(i["type"], i["from"], i["to"], i["src"], i["dst"]) for i in items if "type" in i]
    assert nodes == sorted(nodes) and rels == sorted(rels)
    assert items.index(next(i for i in items if "type" in i)) == len(nodes), "all nodes come first"


def test_it_encodes_every_type_losslessly(store, tmp_path):
    build_world(store)
    write_backup(store, tmp_path / "b.jsonl.gz", now=AT)
    items = {i["props"]["id"]: i["props"] for i in map(json.loads, lines_of(tmp_path / "b.jsonl.gz")[1:])
             if i.get("label") == "Company"}
    assert items["edge"] == {"id": "edge", "name_zh": "边界值", "aliases": [], "fg500_rank": 2**62,
                             "employees": -(2**63), "revenue_usd_m": 5.0, "multinational": False,
                             "created_at": "2024-03-01T01:30:00.123456Z"}
    assert items["edge-2"]["revenue_usd_m"] == 0.1 + 0.2 and items["edge-2"]["aliases"] == ["甲", "B", ""]


def test_the_same_graph_gives_the_same_bytes(store, tmp_path):
    build_world(store)
    write_backup(store, tmp_path / "a.jsonl.gz", now=AT)
    write_backup(store, tmp_path / "b.jsonl.gz", now=AT)
    assert (tmp_path / "a.jsonl.gz").read_bytes() == (tmp_path / "b.jsonl.gz").read_bytes()


def test_a_restore_into_an_empty_store_brings_back_everything(store, tmp_path):
    """From either engine into a fresh embedded store; backing up again gives the very same file."""
    build_world(store)
    write_backup(store, tmp_path / "a.jsonl.gz", now=AT)
    target = _fresh_embedded(tmp_path)
    done = restore(target, tmp_path / "a.jsonl.gz")
    assert done.written == sum(n for part in counts(store).values() for n in part.values())
    assert not done.needs_migrate and stored_version(target) == SCHEMA_VERSION
    write_backup(target, tmp_path / "b.jsonl.gz", now=AT)
    body = lines_of(tmp_path / "a.jsonl.gz")[1:]
    assert lines_of(tmp_path / "b.jsonl.gz")[1:] == body
    if store.engine == "embedded":
        assert (tmp_path / "a.jsonl.gz").read_bytes() == (tmp_path / "b.jsonl.gz").read_bytes()
    assert target.read("MATCH (:Company {id: 'edge'})-[r:SUPPLIES]->(:Company) RETURN count(r) AS n") == [{"n": 2}]
    target.close()


def _fresh_embedded(tmp_path):
    from graph.engines.embedded import EmbeddedStore

    return EmbeddedStore(tmp_path / "restored.lbug", buffer_pool_mb=128)


@pytest.mark.neo4j
def test_embedded_to_file_to_neo4j_to_file_keeps_every_byte_of_the_graph(embedded_store, neo4j_store, tmp_path):
    """The header names the engine each file came from; everything else is byte for byte the same."""
    build_world(embedded_store)
    write_backup(embedded_store, tmp_path / "embedded.jsonl.gz", now=AT)
    progress = []
    restore(neo4j_store, tmp_path / "embedded.jsonl.gz", progress=lambda done, total: progress.append((done, total)))
    write_backup(neo4j_store, tmp_path / "neo4j.jsonl.gz", now=AT)
    first, second = lines_of(tmp_path / "embedded.jsonl.gz"), lines_of(tmp_path / "neo4j.jsonl.gz")
    assert "\n".join(first[1:]).encode() == "\n".join(second[1:]).encode()
    assert {**json.loads(first[0]), "engine": "neo4j"} == json.loads(second[0])
    assert progress[-1][0] == progress[-1][1] == len(first) - 1
    lead = neo4j_store.read("MATCH (l:Lead)-[:OWNED_BY]->(u:User) RETURN l.owner_id AS mirror, u.id AS owner")
    assert lead[0]["mirror"] == lead[0]["owner"]


def test_it_refuses_a_store_that_is_not_empty(store, tmp_path):
    build_world(store)
    write_backup(store, tmp_path / "a.jsonl.gz", now=AT)
    with pytest.raises(BackupRefused, match="is not empty"):
        restore(store, tmp_path / "a.jsonl.gz")


def _rewrite(path, target, change_header=None, drop_last=0):
    lines = lines_of(path)
    header = json.loads(lines[0])
    if change_header:
        change_header(header)
    body = lines[1:len(lines) - drop_last]
    with gzip.open(target, "wt", encoding="utf-8") as out:
        out.write("\n".join([json.dumps(header), *body]) + "\n")
    return target


def test_it_refuses_a_newer_schema_or_format_and_a_truncated_file_before_writing(embedded_store, tmp_path):
    build_world(embedded_store)
    good = tmp_path / "a.jsonl.gz"
    write_backup(embedded_store, good, now=AT)
    empty = _fresh_embedded(tmp_path)
    empty.ensure_schema()
    newer = _rewrite(good, tmp_path / "newer.gz", lambda h: h.update(schema_version=SCHEMA_VERSION + 1))
    with pytest.raises(BackupRefused, match="newer than this ChainLead knows"):
        restore(empty, newer)
    future = _rewrite(good, tmp_path / "future.gz", lambda h: h.update(format_version=FORMAT_VERSION + 1))
    with pytest.raises(BackupRefused, match="format version"):
        restore(empty, future)
    short = _rewrite(good, tmp_path / "short.gz", drop_last=3)
    with pytest.raises(BackupRefused, match="do not match its header"):
        restore(empty, short)
    cut = tmp_path / "cut.gz"
    cut.write_bytes(good.read_bytes()[:-40])
    with pytest.raises(BackupRefused, match="damaged"):
        restore(empty, cut)
    (tmp_path / "plain.txt").write_text("hello")
    with pytest.raises(BackupRefused):
        read_header(tmp_path / "plain.txt")
    assert counts(empty)["nodes"]["Company"] == 0
    empty.close()


def test_an_older_backup_restores_and_asks_for_migrate(embedded_store, tmp_path):
    build_world(embedded_store)
    good = tmp_path / "a.jsonl.gz"
    write_backup(embedded_store, good, now=AT)

    def older(header):
        header["schema_version"] = SCHEMA_VERSION - 1

    old = _rewrite(good, tmp_path / "old.gz", older)
    lines = lines_of(old)
    meta = next(i for i, line in enumerate(lines) if line.startswith('{"label":"Meta"'))
    item = json.loads(lines[meta])
    item["props"]["schema_version"] = SCHEMA_VERSION - 1
    lines[meta] = json.dumps(item, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    with gzip.open(old, "wt", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    target = _fresh_embedded(tmp_path)
    done = restore(target, old)
    assert done.needs_migrate and stored_version(target) == SCHEMA_VERSION - 1
    target.close()


def test_a_backup_of_a_store_at_another_schema_version_is_refused(store):
    stamp_version(store, now=NOW, version=SCHEMA_VERSION + 1)
    with pytest.raises(BackupRefused, match="upgrade it first"):
        snapshot(store, now=AT)
    stamp_version(store, now=NOW, version=SCHEMA_VERSION - 1)
    with pytest.raises(BackupRefused, match="chainlead migrate"):
        snapshot(store, now=AT)
