"""Smoke test for a server started by tools/neo4j/start.sh.

Run with the project venv (needs the `neo4j` driver):

    .venv/bin/python tools/neo4j/smoke.py write PORT    # create a node, via neo4j:// and bolt://
    .venv/bin/python tools/neo4j/smoke.py check PORT    # the node is still there (after a restart)
    .venv/bin/python tools/neo4j/smoke.py down  PORT    # nothing answers; fails fast

Exit status 0 on success. Prints what it did.
"""

import sys
import time
import uuid

from neo4j import GraphDatabase
from neo4j.exceptions import ServiceUnavailable

MARK = "chainlead-smoke"


def _uris(port):
    return [f"neo4j://127.0.0.1:{port}", f"bolt://127.0.0.1:{port}"]


def write(port):
    token = str(uuid.uuid4())
    for uri in _uris(port):
        with GraphDatabase.driver(uri, auth=None) as driver:
            driver.verify_connectivity()
            info = driver.get_server_info()
            records, _, _ = driver.execute_query(
                "CREATE (n:Smoke {mark: $mark, token: $token, via: $via}) RETURN n.token AS t",
                mark=MARK, token=token, via=uri.split(":")[0],
            )
            assert records[0]["t"] == token
            records, _, _ = driver.execute_query(
                "MATCH (n:Smoke {token: $token, via: $via}) RETURN count(n) AS c",
                token=token, via=uri.split(":")[0], routing_="r",
            )
            assert records[0]["c"] == 1, records
            print(f"{uri}: server {info.agent} at {info.address}, protocol {info.protocol_version}: "
                  f"created and read back Smoke node {token}")
    with GraphDatabase.driver(_uris(port)[0], auth=("neo4j", "any-password")) as driver:
        driver.execute_query("CREATE CONSTRAINT x IF NOT EXISTS FOR (n:T) REQUIRE n.id IS UNIQUE")
        driver.execute_query("CREATE CONSTRAINT x IF NOT EXISTS FOR (n:T) REQUIRE n.id IS UNIQUE")
        records, _, _ = driver.execute_query("SHOW CONSTRAINTS YIELD name WHERE name = 'x' RETURN name")
        assert [r["name"] for r in records] == ["x"], records
        print("constraint x created (twice, idempotent); auth with any user/password accepted")
        records, _, _ = driver.execute_query(
            "CALL dbms.components() YIELD name, versions, edition RETURN name, versions, edition")
        print("components:", [dict(r) for r in records])


def check(port):
    with GraphDatabase.driver(_uris(port)[0], auth=None) as driver:
        records, _, _ = driver.execute_query(
            "MATCH (n:Smoke {mark: $mark}) RETURN n.token AS token, n.via AS via ORDER BY via",
            mark=MARK, routing_="r",
        )
        rows = [dict(r) for r in records]
        assert len(rows) >= 2, rows
        records, _, _ = driver.execute_query("SHOW CONSTRAINTS YIELD name WHERE name = 'x' RETURN name")
        assert [r["name"] for r in records] == ["x"], records
        print(f"after restart: {len(rows)} Smoke nodes and constraint x still there: {rows}")


def down(port):
    for uri in _uris(port):
        t0 = time.monotonic()
        try:
            with GraphDatabase.driver(uri, auth=None, connection_timeout=1,
                                      max_transaction_retry_time=2) as driver:
                driver.execute_query("RETURN 1")
        except ServiceUnavailable as e:
            print(f"{uri}: ServiceUnavailable after {time.monotonic() - t0:.2f} s ({e.__class__.__name__})")
        else:
            print(f"{uri}: unexpectedly answered")
            sys.exit(1)


if __name__ == "__main__":
    action, port = sys.argv[1], int(sys.argv[2])
    {"write": write, "check": check, "down": down}[action](port)
