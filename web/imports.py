"""Companies imported from the browser: an upload's dry run under a token, then its commit as a background job.

The dry run keeps the file's bytes under a random token with their SHA-256; a commit names both, so
it writes exactly the file whose dry run the user saw (a token expires after UPLOAD_TTL and serves
only the user who uploaded). The commit runs `import_companies` in a thread while the app keeps
serving; the job's phase and writes done are polled. The import's own rules hold: nothing is written
unless every row is valid and matched; a crash mid-write is recorded by the import journal and the
same upload committed again completes it (every write is by key).

Uploads and jobs live in the memory of the web process that received them (docs/deploy.md, section 3,
says how to route them when several web processes serve).
"""
from __future__ import annotations

import hashlib
import logging
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import PurePosixPath
from typing import Any, Callable

from crm.base.access import Actor
from crm.base.text import unstorable
from crm.errors import Conflict, NotFound, ValidationFailed
from crm.library.imports.preview import Preview, preview_companies
from crm.library.imports.problems import FileRefused, ImportFailed, Problem
from crm.library.imports.run import import_companies
from crm.library.imports.table import Table, read_bytes

log = logging.getLogger("chainlead.imports")
UPLOAD_TTL = timedelta(minutes=30)  # how long a dry run may wait for its commit
MAX_UPLOADS = 8                     # held at once (each up to 50 MB and its dry run); the oldest go first
MAX_JOBS = 50                       # finished jobs remembered for their status
MAX_NAME = 200                      # characters of a file name (it goes into the journal and the audit entry)


@dataclass
class Upload:
    token: str
    sha256: str
    name: str
    data: bytes
    actor_id: str
    expires_at: datetime
    preview: Preview


@dataclass
class Job:
    id: str
    actor_id: str
    file: str
    status: str = "running"  # running | done | failed
    phase: str = "read"
    done: int = 0
    total: int = 0
    summary: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    error: str = ""
    skipped: list[str] = field(default_factory=list)

    @property
    def percent(self) -> int:
        if self.status == "done":
            return 100
        return int(100 * self.done / self.total) if self.total else 0


def refused(exc: FileRefused) -> ValidationFailed:
    return ValidationFailed({"file": [str(exc)]}, "the file cannot be imported")


def file_name(sent: str) -> str:
    """The file's own name, without the folders some clients send; one that cannot be stored is refused."""
    name = PurePosixPath(sent.replace("\\", "/")).name
    if not name or len(name) > MAX_NAME or unstorable(name):
        raise ValidationFailed({"file": [f"the file name must be 1 to {MAX_NAME} characters of text; rename the file"]},
                               "the file cannot be imported")
    return name


class Imports:
    """The uploads waiting for their commit and the commit jobs, shared by the pages and the API."""

    def __init__(self, store: Any, clock: Callable[[], datetime]):
        self.store, self.clock = store, clock
        self.uploads: dict[str, Upload] = {}
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()
        self.running: threading.Thread | None = None

    def dry_run(self, name: str, data: bytes, actor: Actor) -> Upload:
        """Read, validate and match the file; keep it under a new token. Raises ValidationFailed for a file
        that cannot be read at all (wrong type, too big, not text, a broken workbook)."""
        name = file_name(name)
        try:
            table = read_bytes(name, data)
        except FileRefused as exc:
            raise refused(exc) from None
        now = self.clock()
        upload = Upload(secrets.token_urlsafe(24), hashlib.sha256(data).hexdigest(), name, data, actor.id,
                        now + UPLOAD_TTL, preview_companies(self.store, table, now=now))
        with self.lock:
            self._prune(now)
            while len(self.uploads) >= MAX_UPLOADS:
                self.uploads.pop(next(iter(self.uploads)))
            self.uploads[upload.token] = upload
        return upload

    def upload(self, token: str, sha256: str, actor: Actor) -> Upload:
        """The actor's unexpired upload under `token` whose bytes hash to `sha256`."""
        with self.lock:
            self._prune(self.clock())
            found = self.uploads.get(token)
        if found is None or found.actor_id != actor.id:
            raise ValidationFailed({"token": ["unknown or expired upload: upload the file again"]})
        if not secrets.compare_digest(found.sha256, sha256.lower()):
            raise ValidationFailed({"sha256": ["does not match the uploaded file"]})
        return found

    def commit(self, token: str, sha256: str, actor: Actor, *, skip_ambiguous: bool = False) -> Job:
        """Start writing the upload in the background; one import at a time per process."""
        upload = self.upload(token, sha256, actor)
        if upload.preview.problems:
            raise ValidationFailed({"token": [f"the file has {len(upload.preview.problems)} problem(s); "
                                              "correct them and upload it again"]})
        if upload.preview.of("ambiguous") and not skip_ambiguous:
            raise ValidationFailed({"skip_ambiguous": ["the file has ambiguous rows: add company_id to them, "
                                                       "or skip them"]})
        job = Job(secrets.token_urlsafe(12), actor.id, upload.name)
        with self.lock:
            if self.running is not None and self.running.is_alive():
                raise Conflict("an import is running: wait for it to finish")
            self._remember(job)
            self.running = threading.Thread(target=self._run, args=(job, upload, actor, skip_ambiguous),
                                            name=f"import-{job.id}", daemon=True)
            self.running.start()
        return job

    def job(self, job_id: str, actor: Actor) -> Job:
        with self.lock:
            found = self.jobs.get(job_id)
        if found is None or (found.actor_id != actor.id and not actor.is_admin):
            raise NotFound("ImportJob", job_id)
        return found

    def _run(self, job: Job, upload: Upload, actor: Actor, skip_ambiguous: bool) -> None:
        def progress(phase: str, done: int, total: int) -> None:
            job.phase, job.done, job.total = phase, done, total

        try:
            table: Table = read_bytes(upload.name, upload.data)
            job.phase = "check"
            report = import_companies(self.store, table, now=self.clock(), actor=actor, progress=progress,
                                      skip_ambiguous=skip_ambiguous)
        except ImportFailed as exc:
            job.problems, job.error, job.status = exc.problems, str(exc), "failed"
            return
        except Exception as exc:  # the store failing mid-write: the journal names it, a rerun completes it
            log.exception("import of %s failed", upload.name)
            job.error, job.status = str(exc) or type(exc).__name__, "failed"
            return
        job.summary, job.skipped = report.summary(), report.skipped
        job.phase, job.status = "done", "done"
        with self.lock:
            self.uploads.pop(upload.token, None)  # written: a second commit of it would only repeat the work

    def _remember(self, job: Job) -> None:
        while len(self.jobs) >= MAX_JOBS:
            oldest = next((k for k, j in self.jobs.items() if j.status != "running"), None)
            if oldest is None:
                break
            self.jobs.pop(oldest)
        self.jobs[job.id] = job

    def _prune(self, now: datetime) -> None:
        for token in [t for t, u in self.uploads.items() if u.expires_at <= now]:
            del self.uploads[token]


def init_app(app: Any) -> None:
    from crm.base.clock import utcnow

    def clock() -> datetime:
        pinned = app.config.get("CLOCK")
        return pinned() if pinned else utcnow()

    app.extensions["chainlead.imports"] = Imports(app.extensions["chainlead.store"], clock)


def imports() -> Imports:
    from flask import current_app

    return current_app.extensions["chainlead.imports"]
