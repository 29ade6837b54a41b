"""The CLI while the app runs: `chainlead serve` runs the CLI's commands for it over a local socket.

On the embedded engine only the serving process may open the database. So `serve` listens on a
Unix socket beside the database file (`<file>.sock`, mode 0600: only the service's account and
root may connect, and the peer's account is checked again on each connection), and a `chainlead`
command that finds the socket answering sends its arguments there instead of opening the file.
The app runs the very same click command in a thread with its own store lent
(crm/cli/invocation.py), and streams the command's stdout, stderr and exit code back, so the
output is what the command prints with the app stopped. Changes are audited as `cli:<account>`
of the account that connected.

Protocol: one JSON line from the CLI ({"argv", "cwd", "env"}), then JSON lines from the app:
{"out": text}, {"err": text}, and last {"exit": code}.
"""
from __future__ import annotations

import errno
import json
import logging
import os
import socket
import sys
import threading
import traceback
from pathlib import Path
from typing import Any, TextIO

from crm.cli import invocation
from graph.local_socket import close_listener, listen_private, peer_uid, trusted

log = logging.getLogger("chainlead.cli_channel")

# Commands the app runs for the CLI; the others need the app stopped (restore, migrate, init) or are the app.
SERVED = frozenset({"status", "gaps", "rank", "resilience", "demand", "risk", "report", "token", "user", "job", "import",
                    "backup", "demo"})
PASSED_ENV = ("CHAINLEAD_PASSWORD",)
MAX_REQUEST = 1 << 20  # bytes of one request line  # what a command reads from the caller's environment


def socket_path(db_file: str | Path) -> Path:
    file = Path(db_file).resolve()
    return file.with_name(file.name + ".sock")


class _Routed:
    """sys.stdout / sys.stderr of the serving process: a thread running a CLI command writes to its
    client; every other thread (waitress, logging) to the original stream."""

    def __init__(self, default: TextIO):
        self._default = default
        self._local = threading.local()

    def route(self, sink: Any) -> None:
        self._local.sink = sink

    def _target(self) -> Any:
        return getattr(self._local, "sink", None) or self._default

    @property
    def encoding(self) -> str:
        return getattr(self._target(), "encoding", None) or "utf-8"

    @property
    def errors(self) -> str:
        return getattr(self._target(), "errors", None) or "strict"

    def write(self, text: str) -> int:
        return self._target().write(text)

    def flush(self) -> None:
        self._target().flush()

    def isatty(self) -> bool:
        return self._target().isatty()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target(), name)


class _Sink:
    """One of a command's output streams, written to the client as JSON lines."""

    encoding, errors = "utf-8", "strict"

    def __init__(self, conn: socket.socket, key: str, lock: threading.Lock):
        self._conn, self._key, self._lock = conn, key, lock
        self.gone = False

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError("a text stream")  # how click tells a text stream from a binary one
        if text:
            self.send({self._key: text})
        return len(text)

    def send(self, message: dict[str, Any]) -> None:
        if self.gone:
            return  # the client went away (Ctrl-C): the command finishes, its output is dropped
        with self._lock:
            try:
                self._conn.sendall(json.dumps(message, ensure_ascii=False).encode() + b"\n")
            except OSError:
                self.gone = True

    def flush(self) -> None:
        """Each write is sent at once."""

    def isatty(self) -> bool:
        return False


class Channel:
    """The listening socket and the thread that accepts on it; `close()` removes the socket file."""

    def __init__(self, store: Any, path: Path, command: Any):
        self.store, self.path, self.command = store, path, command
        self._stdout, self._stderr = _routed("stdout"), _routed("stderr")
        self.listener = listen_private(path, 8)
        self.thread = threading.Thread(target=self._accept, name="cli-channel", daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return  # closed
            threading.Thread(target=self._serve, args=(conn,), name="cli-command", daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            lock = threading.Lock()
            out, err = _Sink(conn, "out", lock), _Sink(conn, "err", lock)
            line = conn.makefile("rb").readline(MAX_REQUEST)  # read first: a reply to an unread request is reset
            uid = peer_uid(conn)
            if not trusted(uid):
                log.warning("refused a CLI command from uid %s: only %s and root may run commands here",
                            uid, invocation.os_user())
                err.send({"err": f"refused: this app runs as {invocation.os_user()}; run the command as that account\n"})
                err.send({"exit": 1})
                return
            try:
                request = json.loads(line)
                argv = [str(a) for a in request["argv"]]
                prog = str(request.get("prog") or "chainlead")
                cwd = Path(request["cwd"])
                env = {k: str(v) for k, v in dict(request.get("env") or {}).items() if k in PASSED_ENV}
            except (ValueError, KeyError, TypeError) as exc:
                err.send({"err": f"refused: not a CLI request ({exc})\n"})
                err.send({"exit": 2})
                return
            if not _served_command(argv):
                err.send({"err": f"refused: `chainlead {' '.join(argv[:1])}` does not run inside the app; stop it first\n"})
                err.send({"exit": 2})
                return
            user = invocation.os_user(uid)
            log.info("running `chainlead %s` for %s", " ".join(argv[:2]), user)
            code = self._run(argv, prog, invocation.Invocation(cwd=cwd, user=user, env=env, store=self.store), out, err)
            out.send({"exit": code})

    def _run(self, argv: list[str], prog: str, called: invocation.Invocation, out: _Sink, err: _Sink) -> int:
        self._stdout.route(out)
        self._stderr.route(err)
        try:
            with invocation.running(called):
                self.command.main(args=argv, prog_name=prog, standalone_mode=True)
            return 0
        except SystemExit as exc:
            if exc.code is None or isinstance(exc.code, int):
                return exc.code or 0
            err.write(f"{exc.code}\n")
            return 1
        except Exception:  # a bug in a command must not take the app down; the caller sees what the shell would
            log.exception("CLI command %s failed", argv[:2])
            err.write(traceback.format_exc())
            return 1
        finally:
            self._stdout.route(None)
            self._stderr.route(None)

    def close(self) -> None:
        close_listener(self.listener, self.path)


def _routed(name: str) -> _Routed:
    current = getattr(sys, name)
    if not isinstance(current, _Routed):
        current = _Routed(current)
        setattr(sys, name, current)
    return current


def start(store: Any, command: Any) -> Channel | None:
    """Listen beside the embedded database file; None on Neo4j (every process may open it) or when the
    path is too long for a Unix socket (the app runs; the CLI then says the database is in use)."""
    if store.engine != "embedded":
        return None
    path = socket_path(store.location)
    try:
        return Channel(store, path, command)
    except OSError as exc:
        log.warning("no CLI socket at %s (%s): CLI commands wait until the app is stopped", path, exc)
        return None


def _served_command(argv: list[str]) -> bool:
    words = [a for a in argv if not a.startswith("-")]
    return bool(words) and words[0] in SERVED and "--help" not in argv


def forward(argv: list[str], db_file: str) -> int | None:
    """Run the command in the running app when its socket answers; the exit code, or None to run it here."""
    if not _served_command(argv):
        return None
    path = socket_path(db_file)
    if not path.exists():
        return None
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        client.connect(str(path))
    except OSError as exc:
        client.close()
        if exc.errno in (errno.ECONNREFUSED, errno.ENOENT):
            return None  # left by an app that was killed: nobody listens, the file is free (or locked)
        if exc.errno in (errno.EACCES, errno.EPERM):
            sys.stderr.write(f"Error: the app serving {Path(db_file).resolve()} runs as another account: run this "
                             f"command as that account (e.g. sudo -u <account> chainlead …), or as root.\n")
            return 1
        raise
    with client:
        if not trusted(peer_uid(client)):
            sys.stderr.write(f"Error: {path} is served by another account than this one or root; not using it.\n")
            return 1
        return _talk(client, argv)


def _talk(client: socket.socket, argv: list[str]) -> int:
    import click

    env = {name: os.environ[name] for name in PASSED_ENV if os.environ.get(name)}
    words = [a for a in argv if not a.startswith("-")]
    if words[:2] == ["user", "add"] and "CHAINLEAD_PASSWORD" not in env:
        env["CHAINLEAD_PASSWORD"] = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    prog = click.utils._detect_program_name()  # what click's usage lines call the program, as it runs here
    client.sendall(json.dumps({"argv": argv, "prog": prog, "cwd": os.getcwd(), "env": env}).encode() + b"\n")
    for line in client.makefile("rb"):
        message = json.loads(line)
        if "out" in message:
            sys.stdout.write(message["out"])
            sys.stdout.flush()
        elif "err" in message:
            sys.stderr.write(message["err"])
            sys.stderr.flush()
        elif "exit" in message:
            return int(message["exit"])
    sys.stderr.write("Error: the app closed the connection before the command finished (see its log).\n")
    return 1
