"""POST /api/v1/admin/backup: how an admin backs up the embedded store while the app holds it."""
import gzip
import io
import json

from graph.restore import restore
from tests.factories import make_lead


def test_an_admin_gets_the_whole_graph_as_a_restorable_file(admin_client, store, tmp_path):
    make_lead(store)
    response = admin_client.post("/api/v1/admin/backup")
    assert response.status_code == 200 and response.mimetype == "application/gzip"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="chainlead-')
    body = response.get_data()
    header = json.loads(gzip.decompress(body).splitlines()[0])
    assert header["counts"]["nodes"]["Lead"] == 1 and header["engine"] == "embedded"
    from graph.engines.embedded import EmbeddedStore

    target = EmbeddedStore(tmp_path / "restored.lbug", buffer_pool_mb=128)
    restored = restore(target, io.BytesIO(body))
    assert restored.written == sum(n for part in header["counts"].values() for n in part.values())
    target.close()


def test_nobody_else_may_take_the_graph_away(staff_client, viewer_client, chain_leader_client, anonymous_client):
    for client in (staff_client, viewer_client, chain_leader_client):
        response = client.post("/api/v1/admin/backup")
        assert response.status_code == 403 and response.mimetype == "application/json"
    assert anonymous_client.post("/api/v1/admin/backup").status_code == 401


def test_each_backup_is_audited_with_who_took_it_and_how_much(admin_client, store):
    make_lead(store)
    assert admin_client.post("/api/v1/admin/backup").status_code == 200
    [entry] = store.read("MATCH (a:AuditEntry) WHERE a.action = 'backup' RETURN a.actor AS actor, a.changes AS changes")
    assert entry["actor"] == "admin" and json.loads(entry["changes"])["nodes"][1] > 0
