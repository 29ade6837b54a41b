#!/usr/bin/env bash
# Stop the Neo4j server started by start.sh for HOME (default
# tools/neo4j/run/PORT): SIGTERM, which makes it shut down cleanly, a bounded
# wait, then SIGKILL. Exits 0 if nothing was running. See README.md.
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

n4j_usage() {
    cat <<USAGE
usage: tools/neo4j/stop.sh [--kill] [PORT] [HOME]

  PORT    default \$CHAINLEAD_NEO4J_PORT or 7699
  HOME    default tools/neo4j/run/PORT
  --kill  SIGKILL at once (simulates a crash; the next start recovers
          from the transaction log)

Environment: CHAINLEAD_NEO4J_STOP_TIMEOUT (seconds before SIGKILL, default 60).
USAGE
}

N4J_FLAGS_ALLOWED="kill"
N4J_FLAG_kill=0
n4j_parse_args "$@"
STOP_TIMEOUT=${CHAINLEAD_NEO4J_STOP_TIMEOUT:-60}

if ! pid=$(n4j_running_pid); then
    rm -f "$N4J_PIDFILE"
    n4j_log "not running ($N4J_HOME)"
    exit 0
fi

t0=$(n4j_now)
if (( N4J_FLAG_kill )); then
    n4j_log "killing pid $pid (SIGKILL)"
else
    n4j_log "stopping pid $pid"
fi
n4j_stop_pid "$pid" "$STOP_TIMEOUT" "$N4J_FLAG_kill" || n4j_die "pid $pid did not exit"
rm -f "$N4J_PIDFILE"
n4j_log "stopped in $(n4j_elapsed "$t0") s"
