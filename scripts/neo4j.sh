#!/usr/bin/env bash
# Development/test Neo4j for polgraph (Neo4j Community 5.26, embedded, Bolt only).
#
#   scripts/neo4j.sh start     build if needed, start in the background, wait, print the Bolt URI
#   scripts/neo4j.sh stop      stop it (SIGTERM, then SIGKILL after NEO4J_STOP_TIMEOUT seconds)
#   scripts/neo4j.sh restart   stop, then start
#   scripts/neo4j.sh kill      SIGKILL it at once, as a crash would (fault tests; `start` recovers it)
#   scripts/neo4j.sh status    "running ..." (exit 0) or "stopped" (exit 1)
#   scripts/neo4j.sh wait      wait until the running instance accepts Bolt, print the URI
#   scripts/neo4j.sh uri       print the Bolt URI (of the running instance, else the configured one)
#   scripts/neo4j.sh build     (re)build tools/neo4j if its sources changed
#   scripts/neo4j.sh log       print the path of the log file
#
# Environment (all optional):
#   NEO4J_HOME_DIR       run directory: pid file, log, default data   (default: $REPO/.neo4j)
#   NEO4J_DATA_DIR       Neo4j home with data/ and logs/              (default: $NEO4J_HOME_DIR/data)
#   NEO4J_HOST           Bolt listen host                              (default: 127.0.0.1)
#   NEO4J_PORT           Bolt listen port                              (default: 7687)
#   NEO4J_PASSWORD       if set (>= 8 chars): auth on, user neo4j gets this password; else no auth
#   NEO4J_PAGECACHE      page cache size                               (default: 1g)
#   NEO4J_HEAP_MIN/MAX   JVM heap                                      (default: 2g / 3g)
#   NEO4J_TX_TIMEOUT, NEO4J_TX_MEMORY_MAX, NEO4J_TX_MEMORY_TOTAL, NEO4J_CONF_FILE, NEO4J_LOG_LEVEL:
#                        passed to the launcher, see tools/neo4j/README.md
#   NEO4J_START_TIMEOUT  seconds to wait for start-up                  (default: 180)
#   NEO4J_STOP_TIMEOUT   seconds to wait after SIGTERM before SIGKILL  (default: 60)
#   NEO4J_JAVA           java binary                                   (default: java on PATH)
#   NEO4J_JAVA_OPTS      extra JVM options
#   NEO4J_MVN_ARGS       extra Maven arguments for the build (e.g. -o)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOL="$REPO/tools/neo4j"
RUN_DIR="${NEO4J_HOME_DIR:-$REPO/.neo4j}"
DATA_DIR="${NEO4J_DATA_DIR:-$RUN_DIR/data}"
HOST="${NEO4J_HOST:-127.0.0.1}"
PORT="${NEO4J_PORT:-7687}"
PAGECACHE="${NEO4J_PAGECACHE:-1g}"
HEAP_MIN="${NEO4J_HEAP_MIN:-2g}"
HEAP_MAX="${NEO4J_HEAP_MAX:-3g}"
START_TIMEOUT="${NEO4J_START_TIMEOUT:-180}"
STOP_TIMEOUT="${NEO4J_STOP_TIMEOUT:-60}"
JAVA="${NEO4J_JAVA:-java}"
MAIN_CLASS="dev.polgraph.neo4j.Launcher"

PID_FILE="$RUN_DIR/neo4j.pid"
URI_FILE="$RUN_DIR/neo4j.uri"
LOG_FILE="$RUN_DIR/neo4j.log"
LOCK_FILE="$RUN_DIR/neo4j.lock"
STAMP="$TOOL/target/.build-stamp"

say() { echo "neo4j.sh: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

configured_uri() {
  local h="$HOST"
  [[ "$h" == *:* && "$h" != \[* ]] && h="[$h]"
  echo "bolt://$h:$PORT"
}

# host and port of a bolt:// URI, for the TCP probe
uri_host() { local hp="${1#bolt://}"; hp="${hp%:*}"; hp="${hp#[}"; echo "${hp%]}"; }
uri_port() { echo "${1##*:}"; }

# Does HOST:PORT accept a TCP connection?
port_open() {
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

# The pid of our running launcher, or nothing. Cleans a stale pid file.
running_pid() {
  [[ -f "$PID_FILE" ]] || return 0
  local pid cmdline=""
  pid=$(tr -dc '0-9' <"$PID_FILE" || true)
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)
  fi
  if [[ "$cmdline" == *"$MAIN_CLASS"* ]]; then
    echo "$pid"
    return 0
  fi
  say "removing stale pid file $PID_FILE (pid ${pid:-?} is not a running Neo4j launcher)"
  rm -f "$PID_FILE" "$URI_FILE"
}

current_uri() {
  if [[ -n "$(running_pid)" && -s "$URI_FILE" ]]; then cat "$URI_FILE"; else configured_uri; fi
}

log_tail() {
  if [[ -f "$LOG_FILE" ]]; then
    say "last lines of $LOG_FILE:"
    tail -n "${1:-40}" "$LOG_FILE" | sed 's/^/    /' >&2
  fi
}

needs_build() {
  [[ -f "$STAMP" && -d "$TOOL/target/lib" && -d "$TOOL/target/classes" ]] || return 0
  [[ -n "$(find "$TOOL/pom.xml" "$TOOL/src" -newer "$STAMP" -print -quit)" ]]
}

build() {
  if ! needs_build; then return 0; fi
  command -v mvn >/dev/null || die "mvn not found; install Maven (apt-get install maven) and OpenJDK 17"
  mkdir -p "$TOOL/target"
  # Several run dirs may share one build: serialise builds (fd 8, closed for the JVM).
  if command -v flock >/dev/null; then
    exec 8>"$TOOL/target/.build.lock"
    flock -w 900 8 || die "could not take $TOOL/target/.build.lock"
    if ! needs_build; then exec 8>&-; return 0; fi
  fi
  say "building $TOOL (mvn package; the first build downloads ~175 MB into ~/.m2)"
  local t0=$SECONDS
  # Never 'mvn clean' here: a running instance may use target/lib.
  # shellcheck disable=SC2086
  # (Debian's Maven 3.8.7 prints stray ESC[0m codes even with -B -q; they are filtered out.)
  if ! mvn -B -q -Dstyle.color=never -f "$TOOL/pom.xml" ${NEO4J_MVN_ARGS:-} package -DskipTests 2>&1 \
       | sed -e 's/\x1b\[0m//g' -e '/^$/d' >&2; then
    die "Maven build of $TOOL failed"
  fi
  touch "$STAMP"
  say "built in $((SECONDS - t0)) s"
  exec 8>&- || true
}

check_java() {
  command -v "$JAVA" >/dev/null || die "java not found ($JAVA); Neo4j 5.26 needs Java 17 or 21"
  local v
  v=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  case "$v" in
    17|21) ;;
    *) say "warning: java $v found; Neo4j 5.26 supports Java 17 and 21 only (set NEO4J_JAVA)";;
  esac
}

# Wait until the launcher printed its ready line and the Bolt port accepts connections.
# $1 = pid. Prints the URI. On failure prints the log tail and returns 1.
wait_ready() {
  local pid="$1" deadline=$((SECONDS + START_TIMEOUT)) uri=""
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      say "ERROR: Neo4j (pid $pid) exited during start-up"
      log_tail 60
      rm -f "$PID_FILE" "$URI_FILE"
      return 1
    fi
    if [[ -z "$uri" ]]; then
      uri=$(grep -m1 -a '^NEO4J_READY ' "$LOG_FILE" 2>/dev/null | awk '{print $2}' || true)
    fi
    if [[ -n "$uri" ]] && port_open "$(uri_host "$uri")" "$(uri_port "$uri")"; then
      echo "$uri" >"$URI_FILE"
      echo "$uri"
      return 0
    fi
    if ((SECONDS >= deadline)); then
      say "ERROR: Neo4j (pid $pid) did not come up within ${START_TIMEOUT}s"
      log_tail 60
      return 1
    fi
    sleep 0.5
  done
}

with_lock() {
  mkdir -p "$RUN_DIR"
  if command -v flock >/dev/null; then
    exec 9>"$LOCK_FILE"
    flock -w "$((START_TIMEOUT + STOP_TIMEOUT + 600))" 9 || die "could not take $LOCK_FILE"
  fi
}

cmd_start() {
  with_lock
  local pid
  pid=$(running_pid)
  if [[ -n "$pid" ]]; then
    say "already running (pid $pid)"
    if [[ -s "$URI_FILE" ]]; then cat "$URI_FILE"; else wait_ready "$pid"; fi
    return 0
  fi
  if port_open "$HOST" "$PORT"; then
    say "ERROR: port $PORT on $HOST is already in use by another process (not this script's Neo4j)."
    if command -v ss >/dev/null; then ss -ltnp "sport = :$PORT" 2>/dev/null | sed 's/^/    /' >&2 || true; fi
    die "stop that process or choose another port with NEO4J_PORT=..."
  fi
  if [[ -n "${NEO4J_PASSWORD:-}" && ${#NEO4J_PASSWORD} -lt 8 ]]; then
    die "NEO4J_PASSWORD must be at least 8 characters (or unset it for no auth)"
  fi
  check_java
  build
  mkdir -p "$DATA_DIR"
  [[ -f "$LOG_FILE" ]] && mv -f "$LOG_FILE" "$LOG_FILE.1"

  local jvm=(
    -Xms"$HEAP_MIN" -Xmx"$HEAP_MAX"
    -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -XX:-OmitStackTraceInFastThrow
    --add-opens=java.base/java.nio=ALL-UNNAMED
    --add-opens=java.base/java.io=ALL-UNNAMED
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
    --enable-native-access=ALL-UNNAMED
    -Dio.netty.tryReflectionSetAccessible=true
    -Dfile.encoding=UTF-8
  )
  # shellcheck disable=SC2206
  [[ -n "${NEO4J_JAVA_OPTS:-}" ]] && jvm+=(${NEO4J_JAVA_OPTS})

  local t0=$SECONDS
  # setsid + all fds redirected: the server outlives this script and never holds the
  # caller's stdout (so "uri=$(scripts/neo4j.sh start)" returns); fd 9 (the lock) is closed.
  setsid "$JAVA" "${jvm[@]}" -cp "$TOOL/target/classes:$TOOL/target/lib/*" "$MAIN_CLASS" \
    --host "$HOST" --port "$PORT" --data-dir "$DATA_DIR" --pagecache "$PAGECACHE" \
    </dev/null >"$LOG_FILE" 2>&1 8>&- 9>&- &
  pid=$!
  echo "$pid" >"$PID_FILE"
  say "starting (pid $pid, data $DATA_DIR, log $LOG_FILE)"
  if ! wait_ready "$pid"; then
    if kill -0 "$pid" 2>/dev/null; then
      say "stopping the unfinished start-up"
      stop_pid "$pid"
    fi
    rm -f "$PID_FILE" "$URI_FILE"
    exit 1
  fi
  say "ready in $((SECONDS - t0)) s"
}

stop_pid() {
  local pid="$1" deadline=$((SECONDS + STOP_TIMEOUT))
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      say "still running ${STOP_TIMEOUT}s after SIGTERM; sending SIGKILL to pid $pid"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
  done
  # Not our child after setsid in an earlier shell, so poll instead of wait.
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
}

kill_pid() {
  kill -KILL "$1" 2>/dev/null || true
  while kill -0 "$1" 2>/dev/null; do sleep 0.1; done
}

# cmd_stop stops the running instance with stop_pid (a shutdown), or with
# kill_pid (a crash, for fault tests: no checkpoint, no clean close of the
# store files, so the next start must recover from the transaction log).
cmd_stop() {
  local how="${1:-stop}"
  with_lock
  local pid
  pid=$(running_pid)
  if [[ -z "$pid" ]]; then
    say "not running"
    rm -f "$PID_FILE" "$URI_FILE"
    return 0
  fi
  if [[ "$how" == kill ]]; then
    say "killing pid $pid (SIGKILL)"
    kill_pid "$pid"
  else
    say "stopping pid $pid"
    stop_pid "$pid"
  fi
  rm -f "$PID_FILE" "$URI_FILE"
  if [[ "$how" == kill ]]; then say "killed"; else say "stopped"; fi
}

cmd_status() {
  local pid
  pid=$(running_pid)
  if [[ -n "$pid" ]]; then
    echo "running pid $pid $(current_uri)"
    return 0
  fi
  echo "stopped"
  return 1
}

cmd_wait() {
  local pid
  pid=$(running_pid)
  [[ -n "$pid" ]] || die "not running (use: $0 start)"
  wait_ready "$pid"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  restart) cmd_stop; cmd_start ;;
  kill) cmd_stop kill ;;
  status) cmd_status ;;
  wait) cmd_wait ;;
  uri) current_uri ;;
  build) mkdir -p "$RUN_DIR"; build ;;
  log) echo "$LOG_FILE" ;;
  *) echo "usage: $0 start|stop|restart|status|wait|uri|build|log" >&2; exit 2 ;;
esac
