"""The Neo4j engine: the official driver, managed transactions with retries, bounded timeouts.

One driver per process; a session per call. Every driver failure that means "the server is not
there now" becomes `StoreUnavailable` naming the URI, within the configured timeout, and the
driver reconnects by itself when the server returns.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Iterator, TypeVar

import neo4j
from neo4j import exceptions as nx

from graph import ddl
from graph.config import StoreConfig
from graph.errors import ConstraintViolation, QueryError, StoreError, StoreUnavailable
from graph.schema import SCHEMA, Schema
from graph.store import Params, Row, Touches
from graph.values import row_from_store, to_store

T = TypeVar("T")

_UNAVAILABLE = (nx.ServiceUnavailable, nx.SessionExpired, nx.TransientError,
                nx.ConnectionAcquisitionTimeoutError, OSError)


def _collect(result: Any) -> list[Row]:
    keys = list(result.keys())
    return [row_from_store(keys, record.values()) for record in result]


class _Tx:
    def __init__(self, tx: Any):
        self._tx = tx

    def run(self, query: str, params: Params = None, touches: Touches = None) -> list[Row]:
        return _collect(self._tx.run(query, to_store(dict(params or {}))))


class Neo4jStore:
    engine = "neo4j"

    def __init__(self, config: StoreConfig, *, schema: Schema = SCHEMA):
        if not config.neo4j_uri:
            raise StoreError("no Neo4j URI configured (CHAINLEAD_NEO4J_URI)")
        self.location = config.neo4j_uri
        self.schema = schema
        self.writes = 0  # committed write transactions of this process: lets caches tell a change
        self.journaled = False  # other processes may write the same database unseen
        self._database = config.neo4j_database
        timeout = max(config.neo4j_timeout, 0.5)
        auth = (config.neo4j_user, config.neo4j_password) if config.neo4j_password else None
        try:
            self._driver = neo4j.GraphDatabase.driver(
                config.neo4j_uri, auth=auth,
                connection_timeout=min(1.0, timeout),
                connection_acquisition_timeout=timeout,
                max_transaction_retry_time=max(timeout - 1.0, 0.0),
                liveness_check_timeout=30.0,
                # "label/type/property does not exist" on a sparse graph is normal here (queries are
                # written from the schema); without this, each one logs a driver warning.
                notifications_disabled_classifications=["UNRECOGNIZED"],
            )
        except (ValueError, nx.ConfigurationError) as exc:
            raise StoreError(f"bad Neo4j URI {config.neo4j_uri!r}: {exc}") from None

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except nx.ConstraintError as exc:
            raise ConstraintViolation(exc.message or str(exc)) from None
        except _UNAVAILABLE as exc:
            raise StoreUnavailable(f"Neo4j at {self.location} is unavailable: {exc}") from None
        except nx.Neo4jError as exc:
            raise QueryError(exc.message or str(exc)) from None
        except nx.DriverError as exc:
            raise StoreUnavailable(f"Neo4j at {self.location} failed: {exc}") from None
        except UnicodeEncodeError as exc:  # a lone surrogate in a parameter: the driver cannot send it
            raise QueryError(f"a parameter holds text that cannot be stored: {exc}") from None

    def _session(self, read: bool = False) -> Any:
        mode = neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS
        return self._driver.session(database=self._database, default_access_mode=mode)

    def read(self, query: str, params: Params = None) -> list[Row]:
        with self._errors(), self._session(read=True) as session:
            return session.execute_read(lambda tx: _Tx(tx).run(query, params))

    def write(self, query: str, params: Params = None, touches: Touches = None) -> list[Row]:
        return self.transaction(lambda tx: tx.run(query, params))

    def transaction(self, work: Callable[[Any], T]) -> T:
        """Run work(tx) in a managed write transaction (retried on transient failures)."""
        with self._errors(), self._session() as session:
            result = session.execute_write(lambda tx: work(_Tx(tx)))
        self.writes += 1
        return result

    def ensure_schema(self) -> list[str]:
        """Create missing constraints and indexes; return the statements it ran."""
        wanted = ddl.neo4j_statements(self.schema)
        with self._errors(), self._session() as session:
            have = {r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name RETURN name")}
            have |= {r["name"] for r in session.run("SHOW INDEXES YIELD name RETURN name")}
            done = []
            for name, statement in wanted.items():
                if name not in have:
                    session.run(statement).consume()
                    done.append(statement)
        return done

    def ping(self) -> None:
        self.read("RETURN 1 AS ok")

    def close(self) -> None:
        self._driver.close()
