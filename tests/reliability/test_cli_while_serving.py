"""The CLI while the app runs: on the embedded engine `chainlead serve` runs the CLI's commands for it.

A real `chainlead serve` in a child process holds the database; `chainlead …` commands in other
processes print what they print with the app stopped, write through the app (audited as the
account that ran them), and only the app's own account (or root) may use the channel.
"""
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl
import pytest

from crm.cli.invocation import os_user
from graph.engines.embedded import EmbeddedStore
from tests.conftest import ROOT
from tests.factories.files import company, csv_file
from tests.reliability.servers import SECRET, call, serve_process

pytestmark = pytest.mark.xdist_group("cli_while_serving")  # its module fixture is built once, on one worker

# Commands whose output must not depend on whether the app runs (a bad one included: its error too).
READS = [["status"], ["status", "--json"], ["gaps", "--chain", "nev"], ["rank", "--top", "5"],
         ["rank", "--chain", "nev", "--top", "3", "--json", "--lang", "en"], ["user", "list"], ["job", "status"],
         ["token", "create", "nobody"], ["rank", "--action", "nonsense"], ["risk", "--json"],
         ["risk", "--district", "500157"]]
NOBODY = 65534


def chainlead(db: Path, *args: str, cwd: Path = ROOT, user: int | None = None,
              **env: str) -> subprocess.CompletedProcess:
    environ = dict(os.environ, CHAINLEAD_DB_PATH=str(db), CHAINLEAD_BUFFER_POOL_MB="256", **env)
    environ.pop("CHAINLEAD_NEO4J_URI", None)
    environ["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "web.cli", *args], cwd=cwd, env=environ, capture_output=True,
                          text=True, timeout=120, user=user)


@pytest.fixture(scope="module")
def world():
    """A seeded store with an admin, each read command's output with the app stopped, then the app serving."""
    folder = Path(tempfile.mkdtemp(prefix="chainlead-cli-"))
    folder.chmod(0o755)  # another account can reach the socket's folder; only the socket's mode stops it
    db = folder / "cli.lbug"
    assert chainlead(db, "init").returncode == 0
    assert chainlead(db, "user", "add", "boss", "--role", "admin", CHAINLEAD_PASSWORD="boss-password-1").returncode == 0
    stopped = {tuple(args): chainlead(db, *args) for args in READS}
    os.environ["CHAINLEAD_SECRET_KEY"] = SECRET
    with serve_process(db) as (process, base):
        yield {"db": db, "folder": folder, "stopped": stopped, "process": process, "base": base}


def test_read_commands_print_the_same_while_the_app_runs(world):
    for args in READS:
        before, now = world["stopped"][tuple(args)], chainlead(world["db"], *args)
        assert (now.returncode, now.stdout, now.stderr) == (before.returncode, before.stdout, before.stderr), args
    assert world["process"].poll() is None


def test_the_channel_is_a_socket_only_the_apps_account_may_open(world):
    sock = world["db"].with_name("cli.lbug.sock")
    mode = sock.stat().st_mode
    assert stat.S_ISSOCK(mode) and stat.S_IMODE(mode) == 0o600 and sock.stat().st_uid == os.getuid()


@pytest.mark.skipif(os.geteuid() != 0, reason="connecting as another account needs root")
def test_another_account_is_refused_and_nothing_is_written(world):
    sock = world["db"].with_name("cli.lbug.sock")
    refused = _as_nobody(sock, world["folder"])
    assert "PermissionError" in refused.stderr and refused.stdout == ""  # the socket's mode: no connection at all
    # Even with the socket's mode opened up, the app checks who connected before running anything.
    sock.chmod(0o666)
    try:
        probe = _as_nobody(sock, world["folder"])
    finally:
        sock.chmod(0o600)
    answers = [json.loads(line) for line in probe.stdout.splitlines()]
    assert answers[-1] == {"exit": 1} and "refused" in answers[0]["err"], probe.stdout + probe.stderr
    assert _tokens(world["db"]) == 0


def _as_nobody(sock: Path, cwd: Path) -> subprocess.CompletedProcess:
    """What `chainlead token create boss` sends, sent by another account (the system Python: the venv is root's)."""
    return subprocess.run(["/usr/bin/python3", "-c", _RAW_REQUEST, str(sock)], capture_output=True, text=True,
                          timeout=60, user=NOBODY, cwd=cwd)


_RAW_REQUEST = """
import json, socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(json.dumps({"argv": ["token", "create", "boss"], "cwd": "/", "env": {}}).encode() + b"\\n")
print(s.makefile().read(), end="")
"""


def _tokens(db: Path) -> int:
    """Tokens in the store, read by a read-only open beside the app (which sees every commit made before it)."""
    store = EmbeddedStore(db, buffer_pool_mb=64, read_only=True)
    try:
        return store.read("MATCH (t:ApiToken) RETURN count(t) AS n")[0]["n"]
    finally:
        store.close()


def test_a_token_created_while_serving_works_and_is_audited_as_the_cli_account(world):
    made = chainlead(world["db"], "token", "create", "boss", "--name", "nightly backup")
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    assert token.startswith("cl_") and "\n" not in token
    assert call("GET", world["base"] + "/api/v1/me", token=token).status == 200
    store = EmbeddedStore(world["db"], buffer_pool_mb=64, read_only=True)
    try:
        actors = [r["actor"] for r in store.read("MATCH (a:AuditEntry) WHERE a.action = 'token_create' "
                                                 "RETURN a.actor AS actor")]
    finally:
        store.close()
    assert actors == [f"cli:{os_user()}"]


def test_commands_that_need_the_app_stopped_say_so(world):
    for args in (["init"], ["migrate"]):
        refused = chainlead(world["db"], *args)
        assert refused.returncode == 1 and "is in use by process" in refused.stderr and "Stop it first" in refused.stderr
        assert "Traceback" not in refused.stderr


def test_an_import_and_a_report_file_land_where_the_user_ran_them(world, tmp_path):
    csv_file(tmp_path, [company(company_id="cli-served-1", name_zh="命令行导入企业", name_en="CLI Import Co",
                                aliases="", makes="nev.cathode")], name="mine.csv")
    imported = chainlead(world["db"], "import", "companies", "mine.csv", "--json", cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["nodes"]["Company"]["created"] == 1
    bad = chainlead(world["db"], "import", "companies", "missing.csv", cwd=tmp_path)
    assert bad.returncode == 1 and "missing.csv" in bad.stderr
    wrote = chainlead(world["db"], "report", "--format", "xlsx", "--out", "week.xlsx", "--lang", "en", cwd=tmp_path)
    assert wrote.returncode == 0, wrote.stderr
    assert "wrote week.xlsx" in wrote.stdout and openpyxl.load_workbook(tmp_path / "week.xlsx").sheetnames
    status = json.loads(chainlead(world["db"], "status", "--json").stdout)
    assert status["ok"] and status["nodes"]["Company"] > 0


def test_after_the_app_is_killed_commands_open_the_file_themselves(tmp_path):
    db = tmp_path / "killed.lbug"
    assert chainlead(db, "init", "--no-seed").returncode == 0
    with serve_process(db) as (process, _):
        served = chainlead(db, "status")
        process.send_signal(signal.SIGKILL)
        process.wait(30)
    assert db.with_name("killed.lbug.sock").exists()  # left behind: nobody listens on it
    after = chainlead(db, "status")
    assert after.returncode == 0 and after.stdout == served.stdout


def test_a_stopped_app_removes_its_socket(tmp_path):
    db = tmp_path / "stopped.lbug"
    assert chainlead(db, "init", "--no-seed").returncode == 0
    with serve_process(db) as (process, _):
        sock = db.with_name("stopped.lbug.sock")
        assert sock.exists()
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0
    assert not sock.exists()


def test_a_request_that_is_not_a_command_is_refused(world):
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(str(world["db"].with_name("cli.lbug.sock")))
        s.sendall(b'{"argv": ["serve", "--port", "1"], "cwd": "/"}\n')
        answers = [json.loads(line) for line in s.makefile().read().splitlines()]
    assert answers[-1] == {"exit": 2} and "does not run inside the app" in answers[0]["err"]
    assert world["process"].poll() is None


def test_a_user_added_while_serving_can_log_in_with_the_password_given_to_the_cli(world):
    added = chainlead(world["db"], "user", "add", "ann", "--role", "staff", CHAINLEAD_PASSWORD="ann-password-123")
    assert (added.returncode, added.stdout) == (0, "added ann (staff)\n"), added.stderr
    assert "ann" in chainlead(world["db"], "user", "list").stdout
    page = subprocess.run([sys.executable, "-c", _LOGIN, world["base"]], capture_output=True, text=True, timeout=60)
    assert page.stdout.strip() == "logged in", page.stdout + page.stderr


_LOGIN = """
import re, sys, http.cookiejar, urllib.parse, urllib.request
base = sys.argv[1]
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
html = opener.open(base + "/login").read().decode()
token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
data = urllib.parse.urlencode({"csrf_token": token, "username": "ann", "password": "ann-password-123"}).encode()
answer = opener.open(base + "/login", data)
print("logged in" if "/login" not in answer.geturl() else "refused")
"""
