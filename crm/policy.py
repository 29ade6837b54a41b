"""The plan's rules as data: `seeds/policy.yaml`, read once; each rule module parses its section."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from crm.errors import ValidationFailed

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "seeds" / "policy.yaml"


@lru_cache(maxsize=4)
def load_policy(path: str | None = None) -> dict[str, Any]:
    """The whole policy file as plain data (cached: the file is read once per process)."""
    file = Path(path) if path else DEFAULT_PATH
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValidationFailed({"policy": [f"{file}: {exc}"]}) from None
    if not isinstance(data, dict):
        raise ValidationFailed({"policy": [f"{file}: expected a mapping at the top"]})
    return data


def section(name: str, policy: dict[str, Any] | None = None) -> dict[str, Any]:
    data = policy if policy is not None else load_policy()
    try:
        return data[name]
    except KeyError:
        raise ValidationFailed({"policy": [f"policy has no section {name!r}"]}) from None
