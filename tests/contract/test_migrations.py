"""Schema migrations: stores made by schema versions 1 to 3 are upgraded in place, once, on either engine."""
from datetime import timedelta

import pytest
from click.testing import CliRunner

from crm.base.access import SYSTEM
from crm.pipeline.leads import LeadQuery, fetch, list_leads
from crm.ops.migrations import migrate
from graph.cypher import create_rels, upsert_nodes
from graph.errors import SchemaMismatch
from graph.meta import stamp_version, stored_version
from graph.migrations import MIGRATIONS, backfill_mirrors, check_version, pending
from graph.schema import SCHEMA_VERSION
from tests.factories import NOW, make_reference, make_user

LATER = NOW + timedelta(days=30)


def make_v1_store(store):
    """What a version-1 store held: leads joined to their company, link, district and owner by
    relationships only, without the mirrored ids, chain or search text that lists now read."""
    make_reference(store)
    owner = make_user(store, "lin", "staff")
    record = {"stage": "contacted", "priority": "A", "created_at": NOW, "updated_at": NOW, "version": 3,
              "archived": False, "synthetic": False}
    upsert_nodes(store, "Lead", [{"id": "lead-1", "title": "宁德时代电芯", **record},
                                 {"id": "lead-2", "title": "Bosch chips", **record}])
    create_rels(store, "TARGETS", "Lead", "Company", [{"src": "lead-1", "dst": "catl"}, {"src": "lead-2", "dst": "bosch"}])
    create_rels(store, "FILLS", "Lead", "ChainNode", [{"src": "lead-1", "dst": "nev.cell"},
                                                      {"src": "lead-2", "dst": "electronics.chip"}])
    create_rels(store, "LANDS_IN", "Lead", "District", [{"src": "lead-1", "dst": "500157"}])
    create_rels(store, "OWNED_BY", "Lead", "User", [{"src": "lead-1", "dst": owner.id}])
    stamp_version(store, now=NOW, version=1)
    return owner


def lead(store, lead_id):
    return store.read("MATCH (l:Lead {id: $id}) RETURN l", {"id": lead_id})[0]["l"]


def test_the_steps_run_in_order_up_to_the_current_version():
    versions = [m.version for m in MIGRATIONS]
    assert versions == list(range(2, SCHEMA_VERSION + 1))


def test_it_upgrades_a_version_1_store_so_lists_find_its_leads(store):
    owner = make_v1_store(store)
    with pytest.raises(SchemaMismatch, match="chainlead migrate"):
        check_version(store)
    assert [m.version for m in migrate(store, now=LATER)] == [2, 3, 4]
    assert stored_version(store) == SCHEMA_VERSION
    first = lead(store, "lead-1")
    assert (first["company_id"], first["link_id"], first["district_id"], first["owner_id"], first["chain_id"]) == \
        ("catl", "nev.cell", "500157", owner.id, "nev")
    assert "宁德时代" in first["search_text"] and "catl" in first["search_text"]
    second = lead(store, "lead-2")
    assert (second["district_id"], second["owner_id"], second["chain_id"]) == (None, None, "electronics")
    assert first["version"] == 3, "a migration is not an edit: versions (ETags) stay"
    found = list_leads(store, LeadQuery(district="500157", owner=owner.id, q="宁德"), actor=SYSTEM)
    assert [lead.id for lead in found.items] == ["lead-1"]
    assert [lead.id for lead in list_leads(store, LeadQuery(chain="electronics"), actor=SYSTEM).items] == ["lead-2"]


def test_it_upgrades_a_version_2_store_so_a_signed_lead_names_its_project(store):
    make_v1_store(store)
    upsert_nodes(store, "Project", [{"id": "project-1", "name": "宁德时代重庆基地", "created_at": NOW, "updated_at": NOW,
                                     "version": 1, "archived": False, "synthetic": False}])
    create_rels(store, "BECAME", "Lead", "Project", [{"src": "lead-1", "dst": "project-1"}])
    stamp_version(store, now=NOW, version=2)
    assert [m.version for m in migrate(store, now=LATER)] == [3, 4]
    assert fetch(store, "lead-1").project_id == "project-1" and fetch(store, "lead-2").project_id is None


def test_it_masks_password_hashes_kept_in_a_version_3_store_s_audit_trail(store):
    """Issue 12, item 3: before version 4 a password change stored both argon2 hashes in the audit."""
    upsert_nodes(store, "AuditEntry", [
        {"id": "audit-1", "at": NOW, "actor": "admin", "action": "update", "record_label": "User", "record_id": "u1",
         "changes": '{"display_name": ["李", "李娜"], "password_hash": ["$argon2id$v=19$old", "$argon2id$v=19$new"]}'},
        {"id": "audit-2", "at": NOW, "actor": "admin", "action": "update", "record_label": "Lead", "record_id": "l1",
         "changes": '{"title": ["a", "b"]}'}])
    stamp_version(store, now=NOW, version=3)
    assert [m.version for m in migrate(store, now=LATER)] == [4]
    rows = {r["id"]: r["changes"] for r in store.read("MATCH (a:AuditEntry) RETURN a.id AS id, a.changes AS changes")}
    assert "argon2" not in rows["audit-1"] and '"display_name": ["李", "李娜"]' in rows["audit-1"]
    assert '"password_hash": ["(secret: changed)", "(secret: changed)"]' in rows["audit-1"]
    assert rows["audit-2"] == '{"title": ["a", "b"]}'


def test_running_it_again_changes_nothing(store):
    make_v1_store(store)
    migrate(store, now=LATER)
    before = [lead(store, "lead-1"), lead(store, "lead-2")]
    assert migrate(store, now=LATER + timedelta(days=1)) == []
    assert backfill_mirrors(store) == 0
    assert [lead(store, "lead-1"), lead(store, "lead-2")] == before


def test_a_store_newer_than_the_code_is_refused_not_touched(store):
    stamp_version(store, now=NOW, version=SCHEMA_VERSION + 1)
    with pytest.raises(SchemaMismatch, match="newer than this ChainLead knows"):
        check_version(store)
    with pytest.raises(SchemaMismatch):
        migrate(store, now=LATER)
    assert stored_version(store) == SCHEMA_VERSION + 1


def test_a_new_store_is_stamped_without_running_steps(store):
    assert pending(store) == (None, [])
    assert migrate(store, now=LATER) == []
    assert stored_version(store) == SCHEMA_VERSION


def test_the_app_refuses_a_newer_store_and_asks_for_migrate_on_an_older_one(embedded_store):
    from web.app import create_app

    stamp_version(embedded_store, now=NOW, version=SCHEMA_VERSION + 1)
    with pytest.raises(SchemaMismatch, match="newer than this ChainLead knows"):
        create_app({"TESTING": True, "STORE": embedded_store})
    stamp_version(embedded_store, now=NOW, version=SCHEMA_VERSION - 1)
    with pytest.raises(SchemaMismatch, match="run `chainlead migrate`"):
        create_app({"TESTING": True, "STORE": embedded_store})
    stamp_version(embedded_store, now=NOW)
    assert create_app({"TESTING": True, "STORE": embedded_store})


def test_chainlead_migrate_says_what_it_does_and_serve_refuses_until_then(tmp_path, monkeypatch):
    from graph.engines.embedded import EmbeddedStore
    from web.cli import cli

    path = tmp_path / "old.lbug"
    old = EmbeddedStore(path, buffer_pool_mb=128)
    old.ensure_schema()
    make_v1_store(old)
    old.close()
    monkeypatch.delenv("CHAINLEAD_NEO4J_URI", raising=False)
    monkeypatch.setenv("CHAINLEAD_DB_PATH", str(path))
    monkeypatch.setenv("CHAINLEAD_SECRET_KEY", "a-long-enough-secret-for-tests")
    shell = CliRunner()
    for command in (["serve", "--port", "0"], ["worker"]):
        refused = shell.invoke(cli, command)
        assert refused.exit_code == 1 and "run `chainlead migrate`" in refused.output, command
    dry = shell.invoke(cli, ["migrate", "--dry-run"])
    assert dry.exit_code == 0 and "schema version 1" in dry.output and "→ 2: fill mirrored ids" in dry.output
    assert "nothing was changed" in dry.output
    done = shell.invoke(cli, ["migrate"])
    assert done.exit_code == 0 and f"done: schema version {SCHEMA_VERSION}" in done.output
    again = shell.invoke(cli, ["migrate"])
    assert again.exit_code == 0 and "nothing to do" in again.output
