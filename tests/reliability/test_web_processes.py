"""Several web processes on one embedded file: `serve --reuse-port` owns it, `serve --via-app` serves on its store.

The concurrent-edit and pool-claim specifications run again with the app's store reached over the
owner's socket (graph/engines/shared.py); then two real `chainlead serve` processes share one port.
"""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph.engines.shared import SharedStore, StoreServer, store_socket
from tests.conftest import ROOT
from tests.reliability.servers import SECRET, call, free_port, wait_until_up
from tests.reliability.test_concurrent_edits import (  # noqa: F401  (run again here on the shared store)
    test_twenty_clients_editing_one_lead_lose_no_update, test_twenty_people_claiming_one_pool_lead_leave_exactly_one_owner)


@pytest.fixture
def store(embedded_store):
    """The app's store as a --via-app web process sees it: every query answered by the owner's store."""
    lender = StoreServer(embedded_store, store_socket(embedded_store.location))
    shared = SharedStore(embedded_store.location)
    yield shared
    shared.close()
    lender.close()


def _chainlead(db: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environ = dict(os.environ, CHAINLEAD_DB_PATH=str(db), CHAINLEAD_BUFFER_POOL_MB="256", **env)
    environ.pop("CHAINLEAD_NEO4J_URI", None)
    return subprocess.run([sys.executable, "-m", "web.cli", *args], cwd=ROOT, env=environ, capture_output=True,
                          text=True, timeout=120)


def _serve(db: Path, port: int, log: Path, *extra: str) -> subprocess.Popen:
    environ = dict(os.environ, CHAINLEAD_DB_PATH=str(db), CHAINLEAD_SECRET_KEY=SECRET, CHAINLEAD_BUFFER_POOL_MB="256")
    environ.pop("CHAINLEAD_NEO4J_URI", None)
    with log.open("ab") as sink:
        return subprocess.Popen([sys.executable, "-m", "web.cli", "serve", "--port", str(port), "--no-scheduler",
                                 "--reuse-port", *extra], cwd=ROOT, env=environ, stdout=sink, stderr=sink)


def test_two_processes_on_one_port_both_serve_and_share_one_store(tmp_path):
    db = tmp_path / "two.lbug"
    assert _chainlead(db, "init").returncode == 0
    assert _chainlead(db, "user", "add", "boss", "--role", "admin", CHAINLEAD_PASSWORD="boss-password-1").returncode == 0
    token = _chainlead(db, "token", "create", "boss").stdout.strip()
    port, base = free_port(), None
    owner_log, web_log = tmp_path / "owner.log", tmp_path / "web.log"
    owner = _serve(db, port, owner_log)
    web = None
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base, process=owner, log=owner_log)
        web = _serve(db, port, web_log, "--via-app")
        deadline = time.monotonic() + 60
        while "Serving on" not in web_log.read_text(errors="replace"):
            assert web.poll() is None and time.monotonic() < deadline, web_log.read_text(errors="replace")
            time.sleep(0.2)
        names = [f"两进程企业{i:02d}" for i in range(24)]
        for name in names:  # a new connection each: the kernel spreads them over both processes
            made = call("POST", base + "/api/v1/companies", token=token, body={"name_zh": name, "country": "DE"})
            assert made.status == 201, made.body
            for _ in range(2):
                assert call("GET", base + f"/api/v1/companies/{made.body['id']}", token=token).status == 200
        served = [log.read_text(errors="replace").count("POST /api/v1/companies") for log in (owner_log, web_log)]
        assert sum(served) == len(names) and min(served) > 0, served
        assert "CLI commands run in this app" in owner_log.read_text() and "CLI commands" not in web_log.read_text()
        status = _chainlead(db, "status", "--json")  # the CLI still reaches the owner
        assert status.returncode == 0 and '"ok": true' in status.stdout
    finally:
        for process in (web, owner):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(30)
    assert not store_socket(db).exists()


def test_a_web_process_without_an_owner_refuses_to_start(tmp_path):
    db = tmp_path / "alone.lbug"
    assert _chainlead(db, "init", "--no-seed").returncode == 0
    log = tmp_path / "web.log"
    web = _serve(db, free_port(), log, "--via-app")
    assert web.wait(60) != 0
    assert "start `chainlead serve` first" in log.read_text(errors="replace")
