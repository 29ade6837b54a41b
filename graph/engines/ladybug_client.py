"""Where ChainLead steps around a slow path of the ladybug Python client (its version is pinned in pyproject.toml).

Before each statement with parameters the client searches the query once per parameter for
`to_json($name)`, to pass JSON values its own way: a regular expression each, 0.44 ms for a
32-parameter CREATE (measured on this project's VM), paid inside the write lock. A query without the
text `to_json` can match none of those searches, so it skips the loop and is sent as it is; any other
query goes the client's own way.
"""
from __future__ import annotations

import re
from typing import Any

from ladybug.connection import Connection

_TO_JSON = re.compile("to_json", re.IGNORECASE)


def skip_json_rewrite_without_to_json() -> None:
    original = getattr(Connection, "_normalize_parameters_for_pybind", None)
    if original is None or getattr(original, "skips_without_to_json", False):
        return

    def normalise(self: Connection, query: str, parameters: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        if _TO_JSON.search(query) is None and all(isinstance(key, str) for key in parameters):
            return query, dict(parameters)
        return original(self, query, parameters)

    normalise.skips_without_to_json = True  # type: ignore[attr-defined]
    normalise.original = original  # type: ignore[attr-defined]
    setattr(Connection, "_normalize_parameters_for_pybind", normalise)
