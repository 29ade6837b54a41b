"""The Neo4j engine fails fast and clearly when the server is away (its recovery when the server
returns: tests/reliability/test_store_outage.py)."""
import os
import subprocess
import sys
import time

import pytest

from graph.config import StoreConfig
from graph.cypher import upsert_nodes
from graph.engines.neo4j import Neo4jStore
from graph.errors import StoreError, StoreUnavailable
from tests.conftest import ROOT, neo4j_config

pytestmark = pytest.mark.neo4j
DEAD = "bolt://127.0.0.1:9"  # the discard port: nothing listens there


def test_an_unreachable_server_raises_store_unavailable_naming_the_uri_without_hanging():
    neo4j_config()  # CI insists Neo4j tests run; locally this skips without one
    store = Neo4jStore(StoreConfig(neo4j_uri=DEAD, neo4j_timeout=1.0))
    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match="bolt://127.0.0.1:9"):
        store.ping()
    assert time.monotonic() - started < 10, "bounded by the configured timeout, not the driver's 30 s default"
    store.close()


def test_a_malformed_uri_is_a_clear_error():
    with pytest.raises(StoreError, match="bad Neo4j URI"):
        Neo4jStore(StoreConfig(neo4j_uri="neo5j://nowhere"))


def test_both_uri_schemes_reach_the_same_server(neo4j_store):
    upsert_nodes(neo4j_store, "Company", [{"id": "seen"}])
    uri = neo4j_store.location
    other = uri.replace("bolt://", "neo4j://") if uri.startswith("bolt://") else uri.replace("neo4j://", "bolt://")
    routed = Neo4jStore(neo4j_config(other))
    assert routed.read("MATCH (c:Company {id: 'seen'}) RETURN c.id AS id") == [{"id": "seen"}]
    routed.close()


def test_status_reports_a_down_server_and_exits_nonzero():
    neo4j_config()
    env = dict(os.environ, CHAINLEAD_NEO4J_URI=DEAD, CHAINLEAD_NEO4J_TIMEOUT="1")
    proc = subprocess.run([sys.executable, "-m", "web.cli", "status"], capture_output=True, text=True, env=env,
                          timeout=60, cwd=ROOT)
    assert proc.returncode == 1
    assert "bolt://127.0.0.1:9" in proc.stderr and "Traceback" not in proc.stderr
