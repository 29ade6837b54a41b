"""`chainlead backup`, `restore` and `migrate` from the shell: what they say, and when they refuse."""
import gzip
import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from crm.cli import cli, register_commands
from graph.engines.embedded import EmbeddedStore
from graph.meta import stamp_version
from graph.schema import SCHEMA_VERSION
from tests.conftest import ROOT
from tests.factories import NOW, make_lead, make_reference

register_commands()


@pytest.fixture
def shell(tmp_path, monkeypatch):
    """Run `chainlead …` against the embedded store named by CHAINLEAD_DB_PATH (set per call)."""
    monkeypatch.delenv("CHAINLEAD_NEO4J_URI", raising=False)
    runner = CliRunner()

    def run(db, *args):
        monkeypatch.setenv("CHAINLEAD_DB_PATH", str(db))
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return run


@pytest.fixture
def filled(tmp_path):
    path = tmp_path / "source.lbug"
    store = EmbeddedStore(path, buffer_pool_mb=128)
    store.ensure_schema()
    stamp_version(store, now=NOW)
    make_reference(store)
    make_lead(store)
    store.close()
    return path


def test_backup_then_restore_into_a_new_store_says_what_it_did(shell, filled, tmp_path):
    file = tmp_path / "b.jsonl.gz"
    made = shell(filled, "backup", str(file))
    assert made.exit_code == 0 and "backup of the embedded store" in made.output and "schema version" in made.output
    restored = shell(tmp_path / "copy.lbug", "restore", str(file))
    assert restored.exit_code == 0, restored.output
    assert "counts checked" in restored.output and "migrate" not in restored.output
    again = shell(tmp_path / "copy.lbug", "restore", str(file))
    assert again.exit_code == 1 and "is not empty" in again.output


def test_restoring_an_older_backup_asks_for_migrate(shell, filled, tmp_path):
    file = tmp_path / "b.jsonl.gz"
    shell(filled, "backup", str(file))
    lines = gzip.decompress(file.read_bytes()).decode().splitlines()
    header = json.loads(lines[0])
    header["schema_version"] -= 1
    lines = [json.dumps(header)] + [line.replace(f'"schema_version":{SCHEMA_VERSION}', f'"schema_version":{SCHEMA_VERSION - 1}') for line in lines[1:]]
    file.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    restored = shell(tmp_path / "old.lbug", "restore", str(file))
    assert restored.exit_code == 0 and "run `chainlead migrate`" in restored.output
    migrated = shell(tmp_path / "old.lbug", "migrate")
    assert migrated.exit_code == 0 and "done: schema version" in migrated.output


def test_a_file_that_is_no_backup_is_refused_before_opening_the_store(shell, tmp_path):
    (tmp_path / "x.gz").write_bytes(gzip.compress(b'{"hello": 1}\n'))
    result = shell(tmp_path / "never.lbug", "restore", str(tmp_path / "x.gz"))
    assert result.exit_code == 1 and "not a ChainLead backup" in result.output
    assert not (tmp_path / "never.lbug").exists()


@pytest.mark.parametrize("args", [["user", "add", "lin", "--role", "staff"], ["token", "create", "admin"], ["gaps"],
                                  ["rank"], ["report"], ["job", "status"], ["demo"], ["backup", "out.jsonl.gz"]])
def test_every_command_on_a_store_never_set_up_says_to_run_init(tmp_path, args):
    """Issue 12: `chainlead user add` on an uninitialised store printed "Table User does not exist"."""
    env = dict(os.environ, CHAINLEAD_DB_PATH=str(tmp_path / "never.lbug"), CHAINLEAD_PASSWORD="a long password")
    env.pop("CHAINLEAD_NEO4J_URI", None)
    done = subprocess.run([sys.executable, "-m", "web.cli", *args], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode != 0 and "run `chainlead init` first" in done.stderr, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr


def test_backup_of_a_store_the_app_holds_points_to_the_app(filled):
    holder = EmbeddedStore(filled, buffer_pool_mb=64)
    env = dict(os.environ, CHAINLEAD_DB_PATH=str(filled))
    env.pop("CHAINLEAD_NEO4J_URI", None)
    proc = subprocess.run([sys.executable, "-m", "web.cli", "backup", str(filled.with_name("b.gz"))],
                          capture_output=True, text=True, env=env, timeout=60, cwd=ROOT)
    holder.close()
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "is in use by process" in proc.stderr and "POST" in proc.stderr and "/api/v1/admin/backup" in proc.stderr
