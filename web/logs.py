"""No secrets in logs, and one access line per request.

Every log record is masked as it is made: bearer tokens, personal API tokens (cl_…), the values
of Authorization and Cookie headers, and passwords, secrets and tokens in query strings, forms,
JSON or dict reprs. The mask is the process's log record factory, so it covers every logger and
handler (ours, waitress's, the Neo4j driver's, a test's capture), including handlers added later.
"""
from __future__ import annotations

import atexit
import logging
import logging.handlers
import queue
import re
import sys
import time
from typing import Any, Callable

from flask import Flask, Response, g, request

MASK = "***"
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"), r"\1 " + MASK),
    (re.compile(r"\bcl_[A-Za-z0-9_-]{6,}"), "cl_" + MASK),
    (re.compile(r"(?i)\b((?:authorization|proxy-authorization|cookie|set-cookie|x-csrftoken|x-api-key)"
                r"['\"]?\s*[:=]\s*['\"]?)[^'\"\n]+"), r"\1" + MASK),
    (re.compile(r"(?i)((?:password|passwd|secret|token|api_key|apikey|session)['\"]?\s*[:=]\s*)"
                r"(?:\"[^\"]*\"|'[^']*'|[^'\"&\s,;}]+)"), r"\1" + MASK),
]
access = logging.getLogger("chainlead.access")


def mask(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _masked(record: logging.LogRecord) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: leave it to the handler to report
        return record
    clean = mask(message)
    if clean != message:
        record.msg, record.args = clean, ()
    if record.exc_info and not record.exc_text:
        record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
    return record


def install() -> None:
    """Mask every record of this process from now on (idempotent)."""
    current: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()
    if getattr(current, "masks_secrets", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return _masked(current(*args, **kwargs))

    factory.masks_secrets = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def to_stderr() -> None:
    """Log INFO and up to stderr from one background thread: serving threads only queue their records.

    Eight waitress threads writing one access line each through one locked stream handler queued on
    its lock and the GIL: 0.85 ms of CPU per request, more than the rest of a /healthz (measured,
    docs/benchmarks.md). The record is still masked as it is made (install) and the line written whole.
    """
    install()
    records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    writer = logging.StreamHandler(sys.stderr)
    writer.setFormatter(logging.Formatter(FORMAT))
    listener = logging.handlers.QueueListener(records, writer)
    queued = logging.handlers.QueueHandler(records)
    queued.setFormatter(logging.Formatter("%(message)s"))  # the writer adds the time, level and logger
    logging.basicConfig(level=logging.INFO, handlers=[queued], force=True)
    listener.start()
    atexit.register(listener.stop)  # what is queued is written before the process ends


def init_app(app: Flask) -> None:
    install()

    @app.before_request
    def start_clock() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def log_request(response: Response) -> Response:
        elapsed = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        access.info("%s %s %s %d %.0fms", request.remote_addr, request.method, request.full_path.rstrip("?"),
                    response.status_code, elapsed)
        return response
