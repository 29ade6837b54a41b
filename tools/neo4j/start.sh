#!/usr/bin/env bash
# Start a real Neo4j 5.26 server (embedded DBMS + Bolt) for tests/development.
# Prints exactly one line on stdout: the Bolt URI. Progress goes to stderr.
# See README.md beside this file.
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

n4j_usage() {
    cat <<EOF
usage: tools/neo4j/start.sh [--fresh] [PORT] [HOME]

Starts Neo4j (no auth, Bolt only) on 127.0.0.1:PORT with its data in HOME and
prints bolt://127.0.0.1:PORT once it answers. If it is already running for
HOME, just prints the URI. Reuses the data already in HOME.

  PORT     default \$CHAINLEAD_NEO4J_PORT or 7699
  HOME     default tools/neo4j/run/PORT
  --fresh  stop the server of HOME if running and wipe HOME first

Environment:
  CHAINLEAD_NEO4J_PORT           default port (7699)
  CHAINLEAD_NEO4J_HEAP           JVM -Xmx (768m)
  CHAINLEAD_NEO4J_START_TIMEOUT  seconds to wait for the server (120)
  CHAINLEAD_NEO4J_JAVA_HOME      a JDK 17 or 21 (default: java, javac on PATH)
  CHAINLEAD_NEO4J_JVM_OPTS       extra JVM flags, space separated
  CHAINLEAD_NEO4J_CDS=0          no class-data-sharing archive
  CHAINLEAD_NEO4J_M2_REPO        Maven local repository for the jars
                                 (default tools/neo4j/.cache/m2)
EOF
}

N4J_FLAGS_ALLOWED="fresh"
N4J_FLAG_fresh=0
n4j_parse_args "$@"

START_TIMEOUT=${CHAINLEAD_NEO4J_START_TIMEOUT:-120}
M2_REPO=${CHAINLEAD_NEO4J_M2_REPO:-$N4J_CACHE/m2}
HEAP=${CHAINLEAD_NEO4J_HEAP:-768m}
if [[ -n ${CHAINLEAD_NEO4J_JAVA_HOME:-} ]]; then
    JAVA="$CHAINLEAD_NEO4J_JAVA_HOME/bin/java"; JAVAC="$CHAINLEAD_NEO4J_JAVA_HOME/bin/javac"
    JAR="$CHAINLEAD_NEO4J_JAVA_HOME/bin/jar"
else
    JAVA=java; JAVAC=javac; JAR=jar
fi
NEO4J_VERSION=$(sed -n 's:.*<neo4j.version>\(.*\)</neo4j.version>.*:\1:p' "$N4J_TOOL_DIR/pom.xml")

mkdir -p "$N4J_CACHE"

# ---------------------------------------------------------------- 1. jars --
# .cache/cp.txt is the classpath of org.neo4j:neo4j; made by Maven into the
# local repository .cache/m2 on first use (or when pom.xml changes). Guarded
# by a lock so parallel first starts resolve only once.
resolve_classpath() {
    local cp="$N4J_CACHE/cp.txt" stamp="$N4J_CACHE/cp.pom" jar ok=1
    if [[ -s $cp && -s $stamp ]] && cmp -s "$stamp" "$N4J_TOOL_DIR/pom.xml"; then
        IFS=: read -r -a jars < "$cp" || true
        for jar in "${jars[@]}"; do [[ -f $jar ]] || { ok=0; break; }; done
        (( ok )) && return 0
    fi
    command -v mvn >/dev/null || n4j_die "mvn (Maven) is needed once to fetch Neo4j's jars; install it (apt-get install maven)"
    local t0; t0=$(n4j_now)
    n4j_log "resolving org.neo4j:neo4j:$NEO4J_VERSION from Maven Central into $M2_REPO"
    n4j_log "  (first run only: ~155 MB, typically 1-2 minutes; log in tools/neo4j/.cache/mvn.log)"
    if ! (cd "$N4J_TOOL_DIR" && mvn -B -q --no-transfer-progress -Dstyle.color=never \
            -Dmaven.repo.local="$M2_REPO" \
            dependency:build-classpath -Dmdep.outputFile="$cp.tmp" \
            > "$N4J_CACHE/mvn.log" 2>&1); then
        tail -n 30 "$N4J_CACHE/mvn.log" >&2
        n4j_die "Maven could not resolve Neo4j's jars (see $N4J_CACHE/mvn.log)"
    fi
    mv -f "$cp.tmp" "$cp"
    cp -f "$N4J_TOOL_DIR/pom.xml" "$stamp"
    n4j_log "resolved $(tr ':' '\n' < "$cp" | wc -l) jars in $(n4j_elapsed "$t0") s"
}

# ------------------------------------------------------------ 2. launcher --
# Launcher.java is compiled once into .cache/launcher-<hash>.jar: ~2 s less
# per start than java's single-file source mode, and a jar (unlike a source
# file or a class folder) can go into the class-data-sharing archive below.
launcher_key() { cat "$N4J_TOOL_DIR/Launcher.java" "$N4J_CACHE/cp.txt" | cksum | cut -d' ' -f1; }

compile_launcher() {
    local jar tmp="$N4J_CACHE/launcher.tmp.$$"
    jar="$N4J_CACHE/launcher-$(launcher_key).jar"
    [[ -s $jar ]] && return 0
    command -v "$JAVAC" >/dev/null || n4j_die "javac not found (a JDK 17+ is needed)"
    n4j_log "compiling Launcher.java"
    rm -rf "$tmp"; mkdir -p "$tmp/classes"
    "$JAVAC" -nowarn -d "$tmp/classes" -cp "$(<"$N4J_CACHE/cp.txt")" "$N4J_TOOL_DIR/Launcher.java" >&2 \
        || n4j_die "could not compile Launcher.java"
    "$JAR" --create --file "$tmp/launcher.jar" -C "$tmp/classes" . || n4j_die "could not make the launcher jar"
    mv -f "$tmp/launcher.jar" "$jar"
    rm -rf "$tmp"
}

(
    flock -w 900 9 || n4j_die "timed out waiting for another start.sh to fetch jars"
    resolve_classpath
    compile_launcher
) 9> "$N4J_CACHE/.resolve.lock"
LAUNCHER_JAR="$N4J_CACHE/launcher-$(launcher_key).jar"
CLASSPATH_ALL="$LAUNCHER_JAR:$(<"$N4J_CACHE/cp.txt")"

# -------------------------------------------------------------- 3. server --
command -v "$JAVA" >/dev/null || n4j_die "java not found (a JDK 17+ is needed)"
java_props=$("$JAVA" -XshowSettings:properties -version 2>&1 || true)
java_major=$(sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' <<< "$java_props")
java_vm=$(sed -n 's/^ *java\.vm\.version = //p' <<< "$java_props")
(( ${java_major:-0} >= 17 )) || n4j_die "Neo4j 5.26 needs Java 17 or 21; $JAVA is version ${java_major:-unknown}"

JVM_FLAGS=(
    -Xms128m "-Xmx$HEAP"
    -XX:+UseG1GC
    -XX:+ExitOnOutOfMemoryError
    -XX:-OmitStackTraceInFastThrow
    # Neo4j reaches into these for its page cache, direct buffers and
    # native file advice (fadvise); without them it falls back and warns.
    --add-opens=java.base/java.nio=ALL-UNNAMED
    --add-opens=java.base/java.io=ALL-UNNAMED
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
    -Dio.netty.tryReflectionSetAccessible=true
    -Djdk.nio.maxCachedBufferSize=1024
    -Dlog4j2.disable.jmx=true
    -Dfile.encoding=UTF-8
)
(( java_major >= 21 )) && JVM_FLAGS+=(--enable-native-access=ALL-UNNAMED)
# extra flags, e.g. -XX:TieredStopAtLevel=1 (C1 only: starts on less CPU,
# runs hot code slower)
read -r -a extra <<< "${CHAINLEAD_NEO4J_JVM_OPTS:-}" || true
JVM_FLAGS+=(${extra[@]+"${extra[@]}"})

# Class-data sharing (CDS): the first server started for a given launcher
# jar + JVM build records the classes it loads, and the JVM writes them to an
# archive in .cache/cds/ when it exits (stop.sh checks it and moves it into
# place). Later starts map that archive: about a third less CPU to start.
# CHAINLEAD_NEO4J_CDS=0 turns this off.
cds_flags() {
    CDS_FLAGS=()
    n4j_settle_cds # left by a server that ended without stop.sh
    [[ ${CHAINLEAD_NEO4J_CDS:-1} == 0 ]] && return 0
    local dir="$N4J_CACHE/cds" key archive tmp
    key=$(printf '%s\n%s\n' "$LAUNCHER_JAR" "$java_vm" | cksum | cut -d' ' -f1)
    archive="$dir/neo4j-$key.jsa"
    mkdir -p "$dir"
    # archives being written by servers that died without stop.sh
    find "$dir" -name '*.tmp' -mmin +60 -delete 2>/dev/null || true
    # CDS chatter (e.g. "Skipping ...: Signed JAR") goes to HOME/cds.log.
    CDS_FLAGS=("-Xlog:cds*=off")
    [[ $N4J_HOME == *[:,=]* ]] || CDS_FLAGS+=("-Xlog:cds*=warning:file=$N4J_HOME/cds.log")
    if [[ -s $archive ]]; then
        CDS_FLAGS+=(-Xshare:auto "-XX:SharedArchiveFile=$archive")
    else
        tmp="$archive.$N4J_PORT.$$.tmp"
        # VerifySharedSpaces: checksum the regions, so stop.sh can verify the file
        CDS_FLAGS+=("-XX:ArchiveClassesAtExit=$tmp" -XX:+VerifySharedSpaces)
        # for stop.sh: what to check and move into place once the JVM exited
        printf '%s\n%s\n%s\n%s\n' "$tmp" "$archive" "$JAVA" "$CLASSPATH_ALL" > "$N4J_HOME/neo4j.cds"
    fi
}

wipe_home() {
    if [[ -d $N4J_HOME ]]; then
        # Refuse to wipe a folder that does not look like one of ours.
        if [[ -n $(ls -A "$N4J_HOME") && ! -e $N4J_HOME/data && ! -e $N4J_LOGFILE ]]; then
            n4j_die "--fresh: $N4J_HOME is not empty and does not look like a Neo4j home; not wiping it"
        fi
        n4j_log "--fresh: wiping $N4J_HOME"
        rm -rf "$N4J_HOME"
    fi
}

start_server() {
    local pid t0 port_of

    if pid=$(n4j_running_pid); then
        if (( N4J_FLAG_fresh )); then
            n4j_log "--fresh: stopping the running server (pid $pid) first"
            n4j_stop_pid "$pid" 60 0 || n4j_die "could not stop pid $pid"
            rm -f "$N4J_PIDFILE"
        else
            port_of=$(n4j_launcher_port "$pid" || true)
            [[ $port_of == "$N4J_PORT" ]] \
                || n4j_die "$N4J_HOME is already served by pid $pid on port $port_of, not $N4J_PORT"
            echo "$pid" > "$N4J_PIDFILE"
            wait_ready "$pid" "$(n4j_now)" already
            return 0
        fi
    fi
    (( N4J_FLAG_fresh )) && wipe_home
    rm -f "$N4J_PIDFILE"

    if n4j_port_open "$N4J_PORT"; then
        n4j_die "port $N4J_PORT on $N4J_HOST is already in use by another process (not a server of $N4J_HOME)"
    fi

    mkdir -p "$N4J_HOME"
    [[ -f $N4J_LOGFILE ]] && mv -f "$N4J_LOGFILE" "$N4J_LOGFILE.1"
    : > "$N4J_LOGFILE"
    cds_flags
    n4j_log "starting Neo4j $NEO4J_VERSION on $N4J_HOST:$N4J_PORT (home $N4J_HOME, log $N4J_LOGFILE)"
    t0=$(n4j_now)
    # setsid: the server outlives this script and the caller's terminal or
    # process group; stop it with stop.sh. Its stdio go to the log only, so a
    # caller capturing our stdout is not kept waiting by the server, and it
    # does not inherit the start lock (fd 8).
    ( cd "$N4J_HOME" && exec setsid "$JAVA" "${JVM_FLAGS[@]}" ${CDS_FLAGS[@]+"${CDS_FLAGS[@]}"} \
        -cp "$CLASSPATH_ALL" Launcher "$N4J_HOME" "$N4J_PORT" \
        < /dev/null >> "$N4J_LOGFILE" 2>&1 8>&- ) &
    pid=$!
    echo "$pid" > "$N4J_PIDFILE"
    wait_ready "$pid" "$t0" started
}

# Wait until the log has the ready line and Bolt answers the handshake.
wait_ready() {
    local pid=$1 t0=$2 how=$3 deadline
    deadline=$(( $(date +%s) + START_TIMEOUT ))
    while :; do
        # (just after the fork, the child is still bash, not the launcher)
        if ! n4j_alive "$pid" || { [[ $how == already ]] && ! n4j_is_launcher "$pid"; }; then
            [[ -f $N4J_LOGFILE ]] && tail -n 40 "$N4J_LOGFILE" >&2
            rm -f "$N4J_PIDFILE"
            n4j_die "Neo4j (pid $pid) exited before it was ready; log: $N4J_LOGFILE, debug log: $N4J_HOME/logs/debug.log"
        fi
        if grep -q "^NEO4J READY $N4J_URI" "$N4J_LOGFILE" 2>/dev/null && n4j_bolt_answers "$N4J_PORT"; then
            if [[ $how == already ]]; then
                n4j_log "already running (pid $pid)"
            else
                n4j_log "ready in $(n4j_elapsed "$t0") s (pid $pid)"
            fi
            return 0
        fi
        if (( $(date +%s) >= deadline )); then
            tail -n 40 "$N4J_LOGFILE" >&2 || true
            if [[ $how == started ]]; then
                n4j_log "not ready after ${START_TIMEOUT}s; stopping pid $pid"
                n4j_stop_pid "$pid" 20 0 || true
                rm -f "$N4J_PIDFILE"
            fi
            n4j_die "Neo4j did not come up on $N4J_URI within ${START_TIMEOUT}s; log: $N4J_LOGFILE"
        fi
        sleep 0.2
    done
}

mkdir -p "$(dirname "$N4J_HOME")"
# One start per HOME at a time: a second caller waits, then finds it running.
exec 8> "$N4J_HOME.start.lock"
flock -w $(( START_TIMEOUT + 120 )) 8 || n4j_die "timed out waiting for another start.sh on $N4J_HOME"
start_server
echo "$N4J_URI"
