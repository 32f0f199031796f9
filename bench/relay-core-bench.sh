#!/usr/bin/env bash
# Ingest and query figures of the relay over real WebSockets, on this machine, from the built jar.
#
#   bench/relay-core-bench.sh ingest [EVENTS] [WARMUP]  8 publishers, 64 unacknowledged events each, after WARMUP
#                                                    (default EVENTS/2) unmeasured ones; once with the embedded
#                                                    worker (event bus), once with --verification local
#   bench/relay-core-bench.sh query SQLITE_FILE      REQ {"authors":[one],"limit":100} latency on a copy of that
#                                                    database (make one with StoreBenchmark --fill 1000000)
# Results go to stdout; working files to $BENCH_DIR (default bench-results/, git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java --enable-native-access=ALL-UNNAMED"
JAR=app/target/nostr-gpu-relay.jar
DIR=${BENCH_DIR:-bench-results}
PORT=${BENCH_PORT:-16969}
mkdir -p "$DIR"
[ -f "$JAR" ] || { echo "build first: mvn -B -q -DskipTests package"; exit 2; }

start_relay() { # data-dir, extra relay options...
  local data=$1; shift
  $JAVA -jar "$JAR" relay --host 127.0.0.1 --port "$PORT" --data "$data" --config bench/loopback-load.yaml "$@" \
      > "$DIR/relay.log" 2>&1 &
  RELAY_PID=$!
  for _ in $(seq 1 120); do
    curl -sf -H 'Accept: application/nostr+json' "http://127.0.0.1:$PORT/" > /dev/null && return 0
    sleep 0.5
  done
  echo "relay did not start; see $DIR/relay.log"; kill "$RELAY_PID"; exit 1
}

stop_relay() {
  kill -TERM "$RELAY_PID"; wait "$RELAY_PID" 2>/dev/null || true
}

case "${1:-}" in
  ingest)
    events=${2:-100000}
    warmup=${3:-$((events / 2))}
    for mode in auto local; do
      rm -rf "$DIR/ingest-data"
      start_relay "$DIR/ingest-data" --verification "$mode"
      echo "== ingest, verification $mode: $(grep -m1 'verification' "$DIR/relay.log" | cut -c1-160)"
      $JAVA -cp "$JAR" org.nostrgpu.bench.IngestLoad "ws://127.0.0.1:$PORT/" --events "$events" --warmup "$warmup" \
          --connections 8 --window 64 --corpus "$DIR/corpus-$((warmup + events)).jsonl" --relay-pid "$RELAY_PID"
      stop_relay
    done
    ;;
  query)
    [ -f "${2:-}" ] || { echo "usage: $0 query SQLITE_FILE"; exit 2; }
    rm -rf "$DIR/query-data" && mkdir -p "$DIR/query-data" && cp "$2" "$DIR/query-data/nostr.sqlite3"
    sync # the copy's gigabyte of dirty pages would otherwise be written back during the measurement
    start_relay "$DIR/query-data"
    echo "== query on $(basename "$2")"
    $JAVA -cp "$JAR" org.nostrgpu.bench.QueryLoad "ws://127.0.0.1:$PORT/" --queries 5000 --limit 100 --warmup 15000
    stop_relay
    ;;
  *)
    sed -n '2,9p' "$0"; exit 2
    ;;
esac
