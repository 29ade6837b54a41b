"""What page views share: the store, the actor, the clock, a safe redirect target, and form outcomes.

`attempt` is the one place a page turns a domain refusal a user can fix (bad input, a stale
version, a move the pipeline forbids, a duplicate) into messages beside the form's fields;
every other error still reaches web/errors.py and its error page.
"""
from __future__ import annotations

from typing import Callable, TypeVar
from urllib.parse import urlsplit

from flask_babel import gettext as _

from crm.base.text import unstorable
from crm.errors import Conflict, InvalidTransition, ValidationFailed, VersionConflict
from web.api.common import actor, now, store
from web.messages import translate

__all__ = ["actor", "now", "store", "safe_next", "attempt", "FORM", "FormErrors"]

T = TypeVar("T")
FormErrors = dict[str, list[str]]
FORM = "_form"  # the key of messages about the whole form rather than one field


def safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site paths: a login link must not bounce users to another host, nor carry a header break."""
    if not target or unstorable(target) or any(c in target for c in "\r\n\t\\"):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def attempt(work: Callable[[], T], errors: FormErrors | None = None,
            conflict_field: str = FORM) -> tuple[T | None, FormErrors]:
    """Run a service call unless the form already failed to parse; fixable refusals become messages.

    Returns (result, {}) on success and (None, messages) when nothing was written.
    """
    if errors:
        return None, errors
    try:
        return work(), {}
    except ValidationFailed as exc:
        return None, {name: [translate(m) for m in messages] for name, messages in exc.errors.items()}
    except VersionConflict:
        return None, {FORM: [_("Someone changed this record after you opened the form, so your changes were "
                               "not saved. Reload the page to see the current version, then try again.")]}
    except InvalidTransition as exc:
        return None, {FORM: [_("This move is not allowed: %(rule)s", rule=translate(str(exc)))]}
    except Conflict as exc:
        return None, {conflict_field: [translate(str(exc))]}
