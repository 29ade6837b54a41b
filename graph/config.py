"""Which engine to open, from the environment: Neo4j when a URI is set, else the embedded file."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from graph.errors import StoreError


def env(name: str, default: str | None = None) -> str | None:
    """Read CHAINLEAD_<name>, or the contents of the file named by CHAINLEAD_<name>_FILE."""
    value = os.environ.get(f"CHAINLEAD_{name}")
    path = os.environ.get(f"CHAINLEAD_{name}_FILE")
    if value is None and path:
        value = Path(path).read_text(encoding="utf-8").strip()
    return default if value in (None, "") else value


def env_float(name: str, default: float) -> float:
    raw = env(name)
    if raw is None:
        return default
    try:
        return float(raw)
    except ValueError:
        raise StoreError(f"CHAINLEAD_{name} must be a number of seconds, got {raw!r}") from None


@dataclass(frozen=True)
class StoreConfig:
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""
    neo4j_database: str | None = None
    neo4j_timeout: float = 3.0
    db_path: str = "data/chainlead.lbug"
    buffer_pool_mb: int = 512

    @property
    def engine(self) -> str:
        return "neo4j" if self.neo4j_uri else "embedded"

    @classmethod
    def from_env(cls) -> "StoreConfig":
        return cls(
            neo4j_uri=env("NEO4J_URI"),
            neo4j_user=env("NEO4J_USER", "neo4j") or "neo4j",
            neo4j_password=env("NEO4J_PASSWORD", "") or "",
            neo4j_database=env("NEO4J_DATABASE"),
            neo4j_timeout=env_float("NEO4J_TIMEOUT", 3.0),
            db_path=env("DB_PATH", "data/chainlead.lbug") or "data/chainlead.lbug",
            buffer_pool_mb=int(env_float("BUFFER_POOL_MB", 512)),
        )


def open_store(config: StoreConfig | None = None):
    """Open the configured engine (imported lazily: each pulls in its own driver)."""
    config = config or StoreConfig.from_env()
    if config.neo4j_uri:
        from graph.engines.neo4j import Neo4jStore

        return Neo4jStore(config)
    from graph.engines.embedded import EmbeddedStore

    return EmbeddedStore(config.db_path, buffer_pool_mb=config.buffer_pool_mb)
