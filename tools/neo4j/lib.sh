# Shared helpers for start.sh / stop.sh (sourced, not run).
# shellcheck shell=bash
# (variables here are used by the scripts that source this; the single-quoted
# bash -c scripts expand their own $0/$1)
# shellcheck disable=SC2034,SC2016

N4J_TOOL_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
N4J_CACHE="$N4J_TOOL_DIR/.cache"
N4J_HOST=127.0.0.1

n4j_log() { printf 'neo4j: %s\n' "$*" >&2; }
n4j_die() { printf 'neo4j: ERROR: %s\n' "$*" >&2; exit 1; }

# Parse "[--flags] [PORT] [HOME]" into N4J_PORT / N4J_HOME; flags named in
# $N4J_FLAGS_ALLOWED (space separated) are set to 1 in N4J_FLAG_<name>.
n4j_parse_args() {
    local positional=() a name
    for a in "$@"; do
        case $a in
            -h|--help) n4j_usage; exit 0 ;;
            --*)
                name=${a#--}
                [[ " $N4J_FLAGS_ALLOWED " == *" $name "* ]] || n4j_die "unknown option $a (try --help)"
                printf -v "N4J_FLAG_${name//-/_}" 1
                ;;
            *) positional+=("$a") ;;
        esac
    done
    (( ${#positional[@]} <= 2 )) || n4j_die "too many arguments (try --help)"
    N4J_PORT=${positional[0]:-${CHAINLEAD_NEO4J_PORT:-7699}}
    if ! [[ $N4J_PORT =~ ^[0-9]+$ ]] || (( N4J_PORT < 1 || N4J_PORT > 65535 )); then
        n4j_die "PORT must be a number 1..65535, got '$N4J_PORT'"
    fi
    N4J_HOME=${positional[1]:-$N4J_TOOL_DIR/run/$N4J_PORT}
    # Absolute, so the pid check below can match the launcher's argv.
    case $N4J_HOME in /*) ;; *) N4J_HOME="$PWD/$N4J_HOME" ;; esac
    N4J_HOME=${N4J_HOME%/}
    N4J_PIDFILE="$N4J_HOME/neo4j.pid"
    N4J_LOGFILE="$N4J_HOME/neo4j.log"
    N4J_URI="bolt://$N4J_HOST:$N4J_PORT"
}

# The pid of the launcher serving N4J_HOME, or nothing. A pid file whose
# process is gone or is something else (pid reuse) does not count; if the pid
# file is missing, the launcher is found by its exact command line instead.
n4j_running_pid() {
    local pid cmd
    if [[ -s $N4J_PIDFILE ]]; then
        pid=$(<"$N4J_PIDFILE")
        if [[ $pid =~ ^[0-9]+$ ]] && n4j_is_launcher "$pid"; then
            echo "$pid"; return 0
        fi
    fi
    for cmd in /proc/[0-9]*/cmdline; do
        pid=${cmd#/proc/}; pid=${pid%/cmdline}
        if n4j_is_launcher "$pid"; then echo "$pid"; return 0; fi
    done 2>/dev/null
    return 1
}

# True if pid is a live Launcher JVM for N4J_HOME (argv: ... Launcher HOME PORT).
n4j_is_launcher() {
    local pid=$1 args=()
    [[ -r /proc/$pid/cmdline ]] || return 1
    mapfile -d '' -t args < "/proc/$pid/cmdline" 2>/dev/null || return 1
    local n=${#args[@]}
    (( n >= 3 )) || return 1
    [[ ${args[n-3]} == Launcher || ${args[n-3]} == */Launcher.java || ${args[n-3]} == Launcher.java ]] || return 1
    [[ ${args[n-2]} == "$N4J_HOME" ]] || return 1
    # a zombie has an empty cmdline, so reaching here means it is alive
    return 0
}

# True if pid exists and is not a zombie (a child of ours that died stays a
# zombie until reaped, and kill -0 still succeeds on it).
n4j_alive() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [[ ${stat:0:1} != Z && ${stat:0:1} != X ]]
}

# The port a running launcher was started with (last argv element).
n4j_launcher_port() {
    local args=()
    mapfile -d '' -t args < "/proc/$1/cmdline" 2>/dev/null || return 1
    echo "${args[${#args[@]}-1]}"
}

# True if something accepts TCP connections on 127.0.0.1:PORT.
n4j_port_open() {
    timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$N4J_HOST" "$1" 2>/dev/null
}

# True if a Bolt server on 127.0.0.1:PORT completes the Bolt handshake
# (magic 6060B017, offering 5.0-5.4 and 4.2-4.4; a server answers with the
# version it picked, or 00000000 if none fits).
n4j_bolt_answers() {
    local reply
    reply=$(timeout 3 bash -c '
        exec 3<>"/dev/tcp/$0/$1" || exit 1
        printf "\x60\x60\xb0\x17\x00\x04\x04\x05\x00\x02\x04\x04\x00\x00\x00\x00\x00\x00\x00\x00" >&3
        head -c 4 <&3 | od -An -tx1
    ' "$N4J_HOST" "$1" 2>/dev/null) || return 1
    reply=${reply//[[:space:]]/}
    [[ ${#reply} -eq 8 && $reply != 00000000 ]]
}

# Seconds since the epoch with milliseconds, for timings.
n4j_now() { date +%s.%N | cut -c1-14; }
n4j_elapsed() { awk -v a="$1" -v b="$(n4j_now)" 'BEGIN { printf "%.1f", b - a }'; }

# Stop pid: SIGTERM (or SIGKILL with hard=1), wait up to timeout seconds,
# then SIGKILL and wait for it to be gone. Then settle the CDS archive.
n4j_stop_pid() {
    local pid=$1 timeout=$2 hard=$3 i gone=0
    if [[ $hard == 1 ]]; then
        kill -KILL "$pid" 2>/dev/null || true
    else
        kill -TERM "$pid" 2>/dev/null || true
        for (( i = 0; i < timeout * 10; i++ )); do
            n4j_is_launcher "$pid" || { gone=1; break; }
            sleep 0.1
        done
        if (( ! gone )); then
            n4j_log "pid $pid still running after ${timeout}s, sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    if (( ! gone )); then
        for (( i = 0; i < 100; i++ )); do
            n4j_is_launcher "$pid" || { gone=1; break; }
            sleep 0.1
        done
    fi
    (( gone )) || return 1
    n4j_settle_cds
}

# A server started without a CDS archive was told to write one when it exits
# (see cds_flags in start.sh; HOME/neo4j.cds says where). Once it is gone,
# keep that file if the JVM accepts it (checksums included), else drop it.
n4j_settle_cds() {
    local info="$N4J_HOME/neo4j.cds" lines=()
    [[ -s $info ]] || return 0
    mapfile -t lines < "$info"
    rm -f "$info"
    local tmp=${lines[0]:-} archive=${lines[1]:-} java=${lines[2]:-java} cp=${lines[3]:-}
    [[ -n $tmp && $tmp == *.tmp && -f $tmp ]] || return 0
    if [[ ! -s $archive ]] && "$java" -Xshare:on -XX:+VerifySharedSpaces -XX:SharedArchiveFile="$tmp" \
            -Xlog:cds*=off -cp "$cp" -version >/dev/null 2>&1; then
        mv -f "$tmp" "$archive"
        n4j_log "saved class-data-sharing archive $(basename "$archive") for faster starts"
    else
        rm -f "$tmp"
    fi
}
