"""SIGKILL in the middle of writes loses nothing that was acknowledged, and a re-run finishes the job.

Each test runs the writer in a child process on the embedded engine, kills it mid-way, reopens
the database (Ladybug replays its WAL) and checks it. Bounded: a few seconds of writing each.
"""
import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time

from crm.base.access import SYSTEM
from crm.people.users import create_token
from graph.cypher import count_nodes, count_rels, upsert_nodes
from graph.engines.embedded import EmbeddedStore
from graph.meta import stamp_version
from tests.conftest import ROOT
from tests.factories import NOW, PASSWORD, make_reference, make_user
from tests.factories.files import csv_file
from tests.reliability.servers import call, serve_process

COMPANIES, BATCH, SMALL = 50_000, 2_000, 20_000
# 50k synthetic companies: the first 20k in small batches, printing "ack N" once each has
# committed, then the rest in one large transaction (the kind whose WAL a kill leaves torn).
WRITER = f"""
import sys
from graph.cypher import upsert_nodes
from graph.engines.embedded import EmbeddedStore
store = EmbeddedStore(sys.argv[1], buffer_pool_mb=256)
store.ensure_schema()
def rows(a, b):
    return [{{"id": f"syn-{{i:06d}}", "name_zh": f"合成企业{{i:06d}}", "employees": i, "synthetic": True}}
            for i in range(a, b)]
for start in range(0, {SMALL}, {BATCH}):
    upsert_nodes(store, "Company", rows(start, start + {BATCH}), batch={BATCH})
    print("ack", start + {BATCH}, flush=True)
print("large", flush=True)
upsert_nodes(store, "Company", rows({SMALL}, {COMPANIES}), batch={COMPANIES})
print("ack", {COMPANIES}, flush=True)
store.close()
"""


def _writer(path):
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True)


def _wal_size(path):
    wal = path.with_name(path.name + ".wal")
    return wal.stat().st_size if wal.exists() else 0


def test_a_bulk_import_killed_mid_transaction_keeps_every_acknowledged_batch_and_a_rerun_ends_exact(tmp_path):
    path = tmp_path / "import.lbug"
    writer = _writer(path)
    acknowledged = 0
    for line in writer.stdout:
        if line.strip() == "large":
            break
        acknowledged = int(line.split()[1])
    grown, deadline = _wal_size(path) + 1_000_000, time.monotonic() + 120
    while writer.poll() is None and _wal_size(path) < grown:
        assert time.monotonic() < deadline, "the large transaction never wrote"
        time.sleep(0.01)
    assert writer.poll() is None, "the large transaction finished before it could be killed"
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    writer.stdout.close()
    assert acknowledged == SMALL

    store = EmbeddedStore(path, buffer_pool_mb=256)  # replays the WAL, up to the torn transaction
    found = store.read("MATCH (c:Company) RETURN count(c) AS n, sum(c.employees) AS total")[0]
    assert found == {"n": SMALL, "total": sum(range(SMALL))}, "every acknowledged batch, nothing of the torn one"
    assert list(tmp_path.glob("import.lbug.wal.torn-*")), "the torn log is kept for inspection"
    store.close()

    rerun = _writer(path)
    out, _ = rerun.communicate(timeout=240)
    assert rerun.returncode == 0 and out.splitlines()[-1] == f"ack {COMPANIES}"
    store = EmbeddedStore(path, buffer_pool_mb=256)
    assert store.read("MATCH (c:Company) RETURN count(c) AS n, count(DISTINCT c.id) AS ids, sum(c.employees) AS total") \
        == [{"n": COMPANIES, "ids": COMPANIES, "total": sum(range(COMPANIES))}]
    store.close()


def test_a_killed_chainlead_import_reruns_to_exactly_the_file(tmp_path):
    """The real `chainlead import companies` killed while writing; the same command again completes it."""
    path, rows = tmp_path / "cli.lbug", 8_000
    store = EmbeddedStore(path, buffer_pool_mb=256)
    store.ensure_schema()
    stamp_version(store, now=NOW)
    upsert_nodes(store, "Chain", [{"id": "nev", "name_zh": "新能源汽车"}])
    upsert_nodes(store, "ChainNode", [{"id": "nev.cell", "chain_id": "nev", "name_zh": "动力电池电芯"}])
    upsert_nodes(store, "District", [{"id": "500112", "name_zh": "渝北区"}])
    store.close()
    file = csv_file(tmp_path, [{"company_id": f"syn-{i:06d}", "name_zh": f"合成企业{i:06d}", "country": "DE",
                                "makes": "nev.cell", "present_in": "500112" if i % 10 == 0 else "",
                                "source": "test"} for i in range(rows)])
    env = dict(os.environ, CHAINLEAD_DB_PATH=str(path), CHAINLEAD_BUFFER_POOL_MB="256")
    env.pop("CHAINLEAD_NEO4J_URI", None)
    command = [sys.executable, "-m", "web.cli", "import", "companies", str(file)]
    first = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wal = path.with_name(path.name + ".wal")
    start, deadline = wal.stat().st_size if wal.exists() else 0, time.monotonic() + 120
    while first.poll() is None and (not wal.exists() or wal.stat().st_size <= start + 512 * 1024):
        assert time.monotonic() < deadline, "the import never started writing"
        time.sleep(0.05)
    assert first.poll() is None, "the import finished before it could be killed"
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)

    store = EmbeddedStore(path, buffer_pool_mb=256)
    assert count_nodes(store, "Company") <= rows
    assert _told_interrupted(store, file.name) == (True, True)
    store.close()
    status = subprocess.run([sys.executable, "-m", "web.cli", "status"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    assert f"import of companies from {file.name}" in status.stderr and "interrupted after" in status.stderr
    again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert again.returncode == 0, again.stderr[-2000:]
    store = EmbeddedStore(path, buffer_pool_mb=256)
    assert count_nodes(store, "Company") == rows
    assert count_rels(store, "MAKES") == rows and count_rels(store, "PRESENT_IN") == rows // 10
    assert _told_interrupted(store, file.name) == (False, False), "the rerun completed it"
    store.close()


def _told_interrupted(store, name: str) -> tuple[bool, bool]:
    """Whether /healthz and the admin's home page say an import of `name` was interrupted (issue 12, item 7)."""
    from web.app import create_app

    if not store.read("MATCH (u:User {username: 'admin'}) RETURN u.id AS id"):
        make_user(store, "admin", "admin")
    app = create_app({"TESTING": True, "STORE": store, "CLOCK": lambda: NOW})
    health = app.test_client().get("/healthz").json
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    client.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token})
    home = client.get("/").get_data(as_text=True)
    return (any(name in line for line in health["interrupted_imports"]),
            'id="interrupted-import"' in home and name in home)


def _prepare_api_store(path):
    store = EmbeddedStore(path, buffer_pool_mb=256)
    store.ensure_schema()
    stamp_version(store, now=NOW)
    make_reference(store)
    user = make_user(store, "staff", "staff")
    token, _ = create_token(store, user.id, "crash test", actor=SYSTEM, now=NOW)
    store.close()
    return token


def test_a_killed_server_keeps_every_acknowledged_api_write(tmp_path):
    path = tmp_path / "api.lbug"
    token = _prepare_api_store(path)
    acked: list[str] = []
    refused: list[object] = []
    lock, stop = threading.Lock(), threading.Event()

    def client(n):
        i = 0
        while not stop.is_set():
            i += 1
            try:
                answer = call("POST", base + "/api/v1/leads", token=token, timeout=10,
                              body={"company_id": "catl", "link_id": "nev.cell", "title": f"burst {n}-{i}"})
            except (OSError, http.client.HTTPException):
                return  # the server is gone (killed before or while it answered: not acknowledged)
            with lock:
                if answer.status == 201:
                    acked.append(answer.body["id"])
                else:
                    refused.append((answer.status, answer.body))

    with serve_process(path) as (server, base):
        clients = [threading.Thread(target=client, args=(n,)) for n in range(6)]
        for thread in clients:
            thread.start()
        deadline = time.monotonic() + 60
        while len(acked) < 60:
            assert time.monotonic() < deadline and all(t.is_alive() for t in clients), "the burst stalled"
            time.sleep(0.05)
        server.send_signal(signal.SIGKILL)  # while the clients are still sending
        server.wait(timeout=30)
        stop.set()
        for thread in clients:
            thread.join(timeout=30)

    assert refused == []
    store = EmbeddedStore(path, buffer_pool_mb=256)
    found = store.read("UNWIND $ids AS i MATCH (l:Lead {id: i})-[:TARGETS]->(:Company {id: 'catl'}) "
                       "RETURN count(l) AS n", {"ids": acked})
    assert found == [{"n": len(acked)}], "every acknowledged lead, with its relationships"
    torn = store.read("MATCH (l:Lead) WHERE NOT EXISTS { MATCH (l)-[:FILLS]->(:ChainNode) } "
                      "OR NOT EXISTS { MATCH (:StageChange)-[:STAGE_OF]->(l) } RETURN count(l) AS n")
    assert torn == [{"n": 0}], "no lead from a half-written transaction"
    store.close()

    with serve_process(path) as (_, base):
        sample = acked[:: max(1, len(acked) // 10)]
        assert all(call("GET", f"{base}/api/v1/leads/{i}", token=token).status == 200 for i in sample)
