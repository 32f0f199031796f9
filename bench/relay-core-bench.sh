#!/usr/bin/env bash
# The relay's core costs over real WebSockets, from the built jar: ingest, replicated ingest, live fan-out and
# REQ per filter shape. Each figure that matters is CPU time of the relay process (from /proc), which stays stable
# on a shared machine where rates do not; the load average is printed with each run.
#
#   bench/relay-core-bench.sh ingest [EVENTS] [WARMUP]   8 publishers x 64 unacknowledged, after WARMUP (default
#                                                     EVENTS/2) unmeasured events; --verification local (CPU
#                                                     verification in the relay), then the embedded worker; relay
#                                                     CPU per accepted event split into verification and the rest
#   bench/relay-core-bench.sh replicate [EVENTS] [WARMUP]  a peer joins the relay's cluster and publishes accepted
#                                                     events; the relay pinned to one core absorbs them
#   bench/relay-core-bench.sh fanout [RATE] [SECONDS] [WARMUP]  100 connections x 20 subscriptions matching
#                                                     every event, RATE published events/s (default 50) for SECONDS
#                                                     (15) after WARMUP (5) unmeasured; CPU per delivered frame
#   bench/relay-core-bench.sh fill EVENTS              a database of EVENTS notes of the corpus's shape (no
#                                                     signatures), bench-results/fill/query-EVENTS.sqlite3
#   bench/relay-core-bench.sh query SQLITE_FILE        every REQ shape on (a copy of) that database: 1 connection x 4
#                                                     in flight (CPU per REQ), 1 x 1 (latency), 8 x 4 (the mix)
#   bench/relay-core-bench.sh all                      ingest, replicate, fanout at 50 and 125 events/s (40 s
#                                                     each after 30 s), fill 100000, query
#
# Environment: RELAY_JAR (the relay measured, default app/target/nostr-gpu-relay.jar), TOOLS_JAR (the load tools,
# default the same jar), BENCH_DIR (working files and databases, default bench-results/, git-ignored),
# BENCH_PORT, QUERY_IN_PLACE=1 (query the file itself rather than a copy: for big databases), RELAY_OPTIONS (more
# options for every relay started, e.g. "--config big-batches.yaml"), INGEST_MODES (the --verification modes the
# ingest step runs, default "local auto").
# Another relay: RELAY_URL=ws://host:port/ [RELAY_PID=pid] runs ingest, fanout and query (after ingest, on the
# corpus it published) against it instead of starting this one.
# The relay is started with the default command, `java -jar JAR relay ...`, so its memory is the default's; where
# that JVM runs the relay in a child JVM with the heap default (README, "Run the relay"), CPU and memory are the
# child's, and the launching JVM's memory is printed beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
RELAY_JAR=${RELAY_JAR:-app/target/nostr-gpu-relay.jar}
TOOLS_JAR=${TOOLS_JAR:-$RELAY_JAR}
DIR=${BENCH_DIR:-bench-results}
PORT=${BENCH_PORT:-16969}
CLUSTER_PORT=${BENCH_CLUSTER_PORT:-15801}
mkdir -p "$DIR"
for jar in "$RELAY_JAR" "$TOOLS_JAR"; do
  [ -f "$jar" ] || { echo "build first: mvn -B -q -DskipTests package ($jar is missing)"; exit 2; }
done
TOOL="$JAVA --enable-native-access=ALL-UNNAMED -cp $TOOLS_JAR"
PIN=() PIN_RELAY=() PIN_TOOL=()
if command -v taskset > /dev/null && [ "$(nproc)" -ge 2 ]; then PIN_RELAY=(taskset -c 1) PIN_TOOL=(taskset -c 0); fi

start_relay() { # data-dir, extra relay options...
  local data=$1; shift
  if [ -n "${RELAY_URL:-}" ]; then URL=$RELAY_URL; RELAY_PID=${RELAY_PID:-0}; return 0; fi
  # shellcheck disable=SC2086 # RELAY_OPTIONS is a list of options
  ${PIN:+"${PIN[@]}"} $JAVA -jar "$RELAY_JAR" relay --host 127.0.0.1 --port "$PORT" --data "$data" \
      --config bench/loopback-load.yaml "$@" ${RELAY_OPTIONS:-} > "$DIR/relay.log" 2>&1 &
  STARTED_PID=$!
  URL="ws://127.0.0.1:$PORT/"
  for _ in $(seq 1 240); do
    if curl -sf -H 'Accept: application/nostr+json' "http://127.0.0.1:$PORT/" > /dev/null; then
      # without heap options the started JVM runs the relay in a child JVM with the heap default: measure that one
      RELAY_PID=$(pgrep -P "$STARTED_PID" java | head -1 || true)
      RELAY_PID=${RELAY_PID:-$STARTED_PID}
      return 0
    fi
    sleep 0.5
  done
  echo "relay did not start; see $DIR/relay.log"; kill "$STARTED_PID"; exit 1
}

stop_relay() {
  if [ -z "${RELAY_URL:-}" ]; then kill -TERM "$STARTED_PID"; wait "$STARTED_PID" 2>/dev/null || true; fi
  STARTED_PID=
}
# a failing step must not leave a relay holding the port for the next run
trap 'if [ -n "${STARTED_PID:-}" ]; then kill -TERM "$STARTED_PID" 2>/dev/null || true; fi' EXIT

memory() { # what: resident memory of the relay now and at its peak (and of the launching JVM, when there is one)
  [ "${RELAY_PID:-0}" -gt 0 ] || return 0
  awk -v what="$1" '/^VmRSS/ {rss=$2} /^VmHWM/ {hwm=$2} END {printf "relay resident memory %s: %.0f MiB (peak so far %.0f MiB)", what, rss/1024, hwm/1024}' "/proc/$RELAY_PID/status"
  if [ "${STARTED_PID:-0}" != "$RELAY_PID" ] && [ -r "/proc/${STARTED_PID:-0}/status" ]; then
    awk '/^VmRSS/ {printf "; launching JVM %.0f MiB", $2/1024}' "/proc/$STARTED_PID/status"
  fi
  echo
}

write_groups() { # the store's group commits so far, from the relay's /metrics (warm-up included)
  [ -z "${RELAY_URL:-}" ] || return 0
  curl -sf "http://127.0.0.1:$PORT/metrics" | awk '/^nostr_relay_store_write_transaction_size_events_count/ {n=$2}
    /^nostr_relay_store_write_transaction_size_events_sum/ {s=$2}
    END {if (n > 0) printf "store write transactions: %d, %.0f events each on average\n", n, s/n}' || true
}

# one corpus file for every tool (each reads the first events it needs), generated by the first tool to need it
corpus_file() { local n=$(( $1 > 150000 ? $1 : 150000 )); echo "$DIR/corpus-$n.jsonl"; }

ingest() {
  local events=${1:-100000}; local warmup=${2:-$((events / 2))}
  echo "== verification alone: libsecp256k1, one thread"
  $TOOL org.nostrgpu.bench.verify.VerifierThroughput 1 1024 2 3 | tail -1 | tee "$DIR/verify.txt"
  local per_cpu_second
  per_cpu_second=$(sed -E 's/.*median ([0-9,]+) verifies per CPU-second.*/\1/' "$DIR/verify.txt" | tr -d ,)
  local modes=(${INGEST_MODES:-local auto})
  [ -n "${RELAY_URL:-}" ] && modes=(external)
  for mode in "${modes[@]}"; do
    rm -rf "$DIR/ingest-data"
    start_relay "$DIR/ingest-data" --verification "$mode"
    echo "== ingest, verification $mode: $(grep -m1 'verification' "$DIR/relay.log" 2>/dev/null | cut -c1-160)"
    $TOOL org.nostrgpu.bench.IngestLoad "$URL" --events "$events" --warmup "$warmup" --connections 8 --window 64 \
        --corpus "$(corpus_file $((warmup + events)))" --relay-pid "$RELAY_PID" | tee "$DIR/ingest-$mode.txt"
    local total
    total=$(sed -nE 's/.*relay \(pid [0-9]+\) ([0-9]+) us.*/\1/p' "$DIR/ingest-$mode.txt")
    if [ -n "$total" ] && [ -n "$per_cpu_second" ]; then
      awk -v total="$total" -v rate="$per_cpu_second" 'BEGIN {v = 1e6 / rate;
        printf "relay CPU per accepted event: %d us = verification %.0f us + everything else %.0f us\n", total, v, total - v}'
    fi
    write_groups
    memory "after ingest"
    stop_relay
  done
}

replicate() {
  local events=${1:-100000}; local warmup=${2:-20000}
  [ -n "${RELAY_URL:-}" ] && { echo "replicate measures this relay's cluster path only"; return 0; }
  local members="127.0.0.1:$CLUSTER_PORT,127.0.0.1:$((CLUSTER_PORT + 1))"
  rm -rf "$DIR/replicate-data"
  PIN=("${PIN_RELAY[@]}")
  start_relay "$DIR/replicate-data" --verification local \
      --cluster-host 127.0.0.1 --cluster-port "$CLUSTER_PORT" --cluster-members "$members"
  PIN=()
  echo "== replicated ingest: relay ${PIN_RELAY[*]:-not pinned}, peer ${PIN_TOOL[*]:-not pinned}"
  # the options Hazelcast asks for (the relay's jar manifest gives them to the relay)
  ${PIN_TOOL:+"${PIN_TOOL[@]}"} $JAVA --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED \
      --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
      --add-opens java.management/sun.management=ALL-UNNAMED \
      --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED -cp "$TOOLS_JAR" org.nostrgpu.bench.ReplicationLoad "http://127.0.0.1:$PORT/" \
      --cluster-port $((CLUSTER_PORT + 1)) --cluster-members "$members" --events "$events" --warmup "$warmup" \
      --corpus "$(corpus_file $((warmup + events)))" --relay-pid "$RELAY_PID" 2>&1 | grep -v '^[A-Z][a-z][a-z] [0-9]' || true
  write_groups
  memory "after replicated ingest"
  stop_relay
}

fanout() {
  local rate=${1:-50}; local seconds=${2:-15}; local warmup=${3:-5}
  rm -rf "$DIR/fanout-data"
  start_relay "$DIR/fanout-data"
  echo "== live fan-out"
  $TOOL org.nostrgpu.bench.FanOutLoad "$URL" --connections 100 --subscriptions 20 --rate "$rate" --warmup "$warmup" \
      --seconds "$seconds" --corpus "$(corpus_file 0)" --relay-pid "$RELAY_PID"
  memory "after fan-out"
  stop_relay
}

fill() {
  local events=${1:?fill EVENTS}
  mkdir -p "$DIR/fill"
  echo "== fill: $events notes"
  $TOOL org.nostrgpu.bench.store.StoreBenchmark --dir "$DIR/fill" --ingest 0 --fill "$events" --queries 0
}

query() {
  local data="$DIR/query-data"
  if [ -z "${RELAY_URL:-}" ]; then
    local file=${1:?query SQLITE_FILE}
    if [ "${QUERY_IN_PLACE:-0}" = 1 ]; then
      data=$(dirname "$file"); [ "$(basename "$file")" = nostr.sqlite3 ] || ln -sf "$(basename "$file")" "$data/nostr.sqlite3"
    else
      rm -rf "$data" && mkdir -p "$data" && cp "$file" "$data/nostr.sqlite3"
      sync # the copy's dirty pages would otherwise be written back during the measurement
    fi
    echo "== query on $(basename "$file") ($(du -h "$file" | cut -f1))"
  fi
  start_relay "$data"
  memory "at start"
  $TOOL org.nostrgpu.bench.QueryLoad "$URL" --connections 1 --in-flight 4 --queries 2000 --warmup 10000 \
      --relay-pid "$RELAY_PID"
  $TOOL org.nostrgpu.bench.QueryLoad "$URL" --connections 1 --in-flight 1 --queries 1000 --warmup 1000 \
      --relay-pid "$RELAY_PID"
  $TOOL org.nostrgpu.bench.QueryLoad "$URL" --connections 8 --in-flight 4 --shapes mix --queries 10000 \
      --warmup 1000 --relay-pid "$RELAY_PID"
  memory "after the queries"
  stop_relay
}

case "${1:-}" in
  ingest|replicate|fanout|fill|query) command=$1; shift; "$command" "$@" ;;
  all)
    # fan-out at the default 50 events/s and at 125/s, the publishing rate of the issue's first measurement
    ingest; replicate; fanout 50 40 30; fanout 125 40 30
    [ -f "$DIR/fill/query-100000.sqlite3" ] || fill 100000
    query "$DIR/fill/query-100000.sqlite3"
    ;;
  *) sed -n '2,31p' "$0"; exit 2 ;;
esac
