"""`chainlead serve --web-processes N`: the owner of the embedded file keeps the store, the jobs and the
CLI channel, and N web processes (`serve --reuse-port --via-app`) answer the requests on one address.

One Python process runs its request work on one core at a time (docs/processes.md), so the web work
moves to processes of its own while the owner answers their store calls. A web process that dies is
started again; one that keeps dying at once (its port taken, a bad setting) stops the whole app with
its reason, rather than restarting forever.
"""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

log = logging.getLogger("chainlead.serve")

QUICK_DEATH_SECONDS = 10.0  # a web process that ends sooner than this after its start "died at once"
QUICK_DEATHS_TO_GIVE_UP = 3  # ... this many times in a row, and the app stops
RESTART_DELAY_SECONDS = 0.5
STOP_WAIT_SECONDS = 20.0
OWNER_ENV = "CHAINLEAD_OWNER_PID"  # set for the web processes an owner starts: they end when it is gone


class WebProcessesFailing(RuntimeError):
    """A web process died at once again and again: the reason is in its output."""


@dataclass
class _Child:
    number: int
    process: subprocess.Popen | None = None
    started: float = 0.0
    quick_deaths: int = 0
    start_at: float = 0.0  # when to start it (again)


@dataclass
class WebProcesses:
    """Web processes run from `command`, each restarted when it ends while the owner runs."""

    command: list[str]
    count: int
    clock: Callable[[], float] = time.monotonic
    children: list[_Child] = field(default_factory=list)

    def start(self) -> None:
        self.children = [_Child(k + 1) for k in range(self.count)]
        for child in self.children:
            self._start(child)

    def _start(self, child: _Child) -> None:
        env = dict(os.environ, **{OWNER_ENV: str(os.getpid())})
        child.process = subprocess.Popen(self.command, env=env)  # output goes where the owner's goes
        child.started = self.clock()

    def check(self) -> None:
        """Start again each web process that ended; raise WebProcessesFailing when one keeps ending at once."""
        now = self.clock()
        for child in self.children:
            process = child.process
            if process is None:
                if now >= child.start_at:
                    self._start(child)
                continue
            code = process.poll()
            if code is None:
                if now - child.started >= QUICK_DEATH_SECONDS:
                    child.quick_deaths = 0
                continue
            lived = now - child.started
            child.quick_deaths = child.quick_deaths + 1 if lived < QUICK_DEATH_SECONDS else 0
            if child.quick_deaths >= QUICK_DEATHS_TO_GIVE_UP:
                raise WebProcessesFailing(
                    f"web process {child.number} ended {child.quick_deaths} times within {QUICK_DEATH_SECONDS:.0f} s "
                    f"of its start (last exit code {code}); its output above says why")
            log.warning("web process %d (pid %d) ended with exit code %s after %.0f s; starting it again",
                        child.number, process.pid, code, lived)
            child.process, child.start_at = None, now + RESTART_DELAY_SECONDS

    def stop(self) -> None:
        """Ask every web process to stop (SIGTERM: they finish the requests under way), then make sure."""
        running = [c.process for c in self.children if c.process is not None and c.process.poll() is None]
        for process in running:
            process.send_signal(signal.SIGTERM)
        deadline = self.clock() + STOP_WAIT_SECONDS
        for process in running:
            try:
                process.wait(max(0.1, deadline - self.clock()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def end_with_owner() -> None:
    """In a web process the owner started: stop (as on SIGTERM) once the owner is gone, even if it was
    killed outright and could not stop its web processes itself."""
    owner = os.environ.get(OWNER_ENV)
    if not owner:
        return

    def watch() -> None:
        while os.getppid() == int(owner):
            time.sleep(1)
        log.warning("the app that started this web process is gone; stopping")
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="owner-watch", daemon=True).start()


def web_command(host: str, port: int, threads: int, demo: bool) -> list[str]:
    """The command line of one web process beside this owner."""
    return [sys.executable, "-m", "web.cli", "serve", "--host", host, "--port", str(port), "--threads", str(threads),
            "--reuse-port", "--via-app", *(["--demo"] if demo else [])]
