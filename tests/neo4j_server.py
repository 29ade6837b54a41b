"""Start and stop a real Neo4j from a test (tools/neo4j/start.sh and stop.sh), e.g. to cause an outage."""
from __future__ import annotations

import subprocess

from tests.conftest import ROOT


def neo4j_server(action: str, port: int) -> str:
    """Run tools/neo4j/{action}.sh PORT; returns the bolt URI that start.sh prints ("" for stop)."""
    script = ROOT / "tools" / "neo4j" / f"{action}.sh"
    proc = subprocess.run([str(script), str(port)], capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
