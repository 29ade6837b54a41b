"""Several web processes on one embedded file: `serve --reuse-port` owns it, `serve --via-app` serves on its store.

The concurrent-edit and pool-claim specifications run again with the app's store reached over the
owner's socket (graph/engines/shared.py); then two real `chainlead serve` processes share one port.
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from bench.server import family
from graph.engines.shared import store_socket
from tests.conftest import ROOT, as_web_process
from tests.reliability.servers import SECRET, call, free_port, wait_until_up
from tests.reliability.test_concurrent_edits import (  # noqa: F401  (run again here on the shared store)
    test_twenty_clients_editing_one_lead_lose_no_update, test_twenty_people_claiming_one_pool_lead_leave_exactly_one_owner)


pytestmark = pytest.mark.xdist_group("web_processes")  # its seeded template is made once, on one worker


@pytest.fixture
def store(embedded_store):
    """The app's store as a --via-app web process sees it: every query answered by the owner's store."""
    with as_web_process(embedded_store) as shared:
        yield shared


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


@pytest.fixture(scope="module")
def seeded_template(tmp_path_factory) -> tuple[Path, str]:
    """A seeded store with an admin and its token, made once and copied for each test."""
    db = tmp_path_factory.mktemp("seeded") / "app.lbug"
    assert _chainlead(db, "init").returncode == 0
    assert _chainlead(db, "user", "add", "boss", "--role", "admin", CHAINLEAD_PASSWORD="boss-password-1").returncode == 0
    return db, _chainlead(db, "token", "create", "boss").stdout.strip()


@pytest.fixture
def seeded(seeded_template, tmp_path) -> tuple[Path, str]:
    template, token = seeded_template
    db = tmp_path / template.name
    shutil.copyfile(template, db)
    return db, token


def _serve_with_web_processes(db: Path, port: int, log: Path, count: int) -> subprocess.Popen:
    environ = dict(os.environ, CHAINLEAD_DB_PATH=str(db), CHAINLEAD_SECRET_KEY=SECRET, CHAINLEAD_BUFFER_POOL_MB="256")
    environ.pop("CHAINLEAD_NEO4J_URI", None)
    with log.open("ab") as sink:
        return subprocess.Popen([sys.executable, "-m", "web.cli", "serve", "--port", str(port), "--no-scheduler",
                                 "--web-processes", str(count)], cwd=ROOT, env=environ, stdout=sink, stderr=sink)


def _children(pid: int) -> list[int]:
    return family(pid)[1:]


def _until(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def test_serve_with_web_processes_answers_on_one_address_and_every_request_sees_every_write(seeded, tmp_path):
    db, token = seeded
    port, log = free_port(), tmp_path / "serve.log"
    base = f"http://127.0.0.1:{port}"
    owner = _serve_with_web_processes(db, port, log, 2)
    try:
        _until(lambda: log.read_text(errors="replace").count("Serving on") == 2, "two web processes serving")
        assert len(_children(owner.pid)) == 2
        for i in range(12):  # a new connection each: the kernel spreads them over both web processes
            title = f"两个网页进程 lead {i}"
            made = call("POST", base + "/api/v1/leads", token=token, body={
                "company_id": "changan", "link_id": "nev.cathode", "district_id": "500101", "title": title})
            assert made.status == 201, made.body
            newest = call("GET", base + "/api/v1/leads?sort=-updated_at&page_size=1", token=token)
            assert [lead["id"] for lead in newest.body] == [made.body["id"]], i
            found = call("GET", base + "/api/v1/leads?" + urlencode({"q": title}), token=token)
            assert [lead["id"] for lead in found.body] == [made.body["id"]], i

        status = _chainlead(db, "status", "--json")  # the CLI reaches the owner, which keeps the channel
        assert status.returncode == 0 and '"ok": true' in status.stdout, status.stderr

        killed = _children(owner.pid)[0]
        os.kill(killed, signal.SIGKILL)
        _until(lambda: len(_children(owner.pid)) == 2 and killed not in _children(owner.pid), "a web process again")
        _until(lambda: log.read_text(errors="replace").count("Serving on") == 3, "the new web process serving")
        assert call("GET", base + "/api/v1/leads?page_size=1", token=token).status == 200
        assert "ended with exit code -9" in log.read_text(errors="replace")
        web = _children(owner.pid)
    finally:
        owner.terminate()
        owner.wait(60)
    assert owner.returncode == 0, log.read_text(errors="replace")
    assert not any(Path(f"/proc/{pid}").exists() for pid in web), "the web processes stop with the app"
    assert not store_socket(db).exists() and not db.with_name(db.name + ".sock").exists()


def test_web_processes_end_when_their_owner_is_killed_outright(seeded, tmp_path):
    db, _ = seeded
    port, log = free_port(), tmp_path / "serve.log"
    owner = _serve_with_web_processes(db, port, log, 1)
    try:
        _until(lambda: "Serving on" in log.read_text(errors="replace"), "the web process serving")
        web = _children(owner.pid)
    finally:
        owner.kill()
        owner.wait(30)
    _until(lambda: not any(Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid) for pid in web),
           "the orphaned web process stops", timeout=30)


def _state(pid: int) -> str:
    try:
        return "zombie" if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z" else "alive"
    except OSError:
        return "gone"


def test_a_web_process_that_cannot_start_stops_the_app_with_its_reason(seeded, tmp_path):
    db, _ = seeded
    with socket.socket() as taken:  # the address is held without SO_REUSEPORT: no web process can bind it
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        log = tmp_path / "serve.log"
        owner = _serve_with_web_processes(db, taken.getsockname()[1], log, 1)
        assert owner.wait(120) != 0
    said = log.read_text(errors="replace")
    assert "web process 1 ended 3 times within 10 s of its start" in said, said
    assert not store_socket(db).exists()


def test_web_processes_refuse_options_that_contradict_them(tmp_path):
    db = tmp_path / "none.lbug"
    for extra in (["--via-app", "--reuse-port"], ["--reuse-port"]):
        said = _chainlead(db, "serve", "--web-processes", "2", *extra)
        assert said.returncode == 2 and "--web-processes starts its own --reuse-port --via-app processes" in said.stderr
    said = _chainlead(db, "serve", "--web-processes", "-1")
    assert said.returncode == 2 and "-1 is not in the range 0<=x<=64" in said.stderr
    assert not db.exists(), "nothing was opened or created"
