"""What page views share: the store, the actor, the clock and a safe redirect target."""
from __future__ import annotations

from urllib.parse import urlsplit

from web.api.common import actor, now, store

__all__ = ["actor", "now", "store", "safe_next"]


def safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site paths: a login link must not bounce users to another host."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target
