"""Which text can be stored: every edge (API schemas, page forms, import cells) refuses the rest.

A lone surrogate cannot be encoded at all (the engines fail on it), and control characters other
than tab and line breaks break the Word and Excel reports and hide in what users read. Refused
with a reason naming the first offending character, so the user can find it.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# C0 controls but tab and LF (CR only as part of CRLF), DEL, C1 controls, U+FFFE/U+FFFF, lone surrogates.
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]|\r(?!\n)")


def unstorable(text: str) -> str | None:
    """Why the text cannot be stored, or None when it can."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    char = found.group(0)
    kind = "a lone surrogate" if "\ud800" <= char <= "\udfff" else "a control character"
    return f"contains {kind} (U+{ord(char):04X}) at position {found.start() + 1}; remove it"


def displayable(value: Any) -> Any:
    """The value with every character that cannot be stored replaced by U+FFFD, through dicts and lists.

    For what was stored before the edges refused such text (or came in another way): Word and Excel
    files refuse XML-illegal characters, and a page cannot encode a lone surrogate. Renderers show
    a replacement mark rather than fail for every reader.
    """
    if isinstance(value, str):
        return _UNSTORABLE.sub("\ufffd", value) if _UNSTORABLE.search(value) else value
    if isinstance(value, Mapping):
        return {k: displayable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(displayable(v) for v in value)
    return value


def problems_in(value: object, path: str = "") -> dict[str, list[str]]:
    """Every string in a parsed JSON value that cannot be stored, keyed by its field path (keys too)."""
    found: dict[str, list[str]] = {}
    stack: list[tuple[str, object]] = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            reason = unstorable(item)
            if reason:
                found[where or "_"] = [reason]
        elif isinstance(item, Mapping):
            for key, inner in item.items():
                name = f"{where}.{key}" if where else str(key)
                if isinstance(key, str) and unstorable(key):
                    found[name] = [f"the field name {unstorable(key)}"]
                stack.append((name, inner))
        elif isinstance(item, list):
            stack.extend((f"{where}.{i}" if where else str(i), inner) for i, inner in enumerate(item))
    return found
