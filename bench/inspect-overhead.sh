#!/usr/bin/env bash
# Does an attached inspector slow the cluster? One relay and one CPU worker clustered on loopback; ingest is
# measured four times against the same relay, alternating: without an inspector, with `inspect` attached (one stats
# round a second, tailing accepted events and verification requests, the heaviest it gets), and again.
#
#   bench/inspect-overhead.sh [EVENTS] [WARMUP]    (defaults 30000 and 15000 per run)
#
# Each run publishes fresh events (its own corpus) over 8 connections, 64 unacknowledged each, and prints
# accepted events/s and the relay's CPU per accepted event (IngestLoad --relay-pid). Working files go to
# $BENCH_DIR (default bench-results/, git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java --enable-native-access=ALL-UNNAMED"
JAR=app/target/nostr-gpu-relay.jar
DIR=${BENCH_DIR:-bench-results}/inspect-overhead
PORT=${BENCH_PORT:-16979}
BASE=${BENCH_CLUSTER_PORT:-15801}
INSPECT_ARGS=${INSPECT_ARGS---tail-events --tail-verify} # INSPECT_ARGS= measures an inspector without tails
events=${1:-30000}
warmup=${2:-15000}
[ -f "$JAR" ] || { echo "build first: mvn -B -q -DskipTests package"; exit 2; }
rm -rf "$DIR" && mkdir -p "$DIR"
members="127.0.0.1:$BASE,127.0.0.1:$((BASE + 1)),127.0.0.1:$((BASE + 2))"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

$JAVA -jar "$JAR" worker --backend cpu --health-host 127.0.0.1 --health-port $((PORT + 1)) \
    --cluster-port "$BASE" --cluster-members "$members" > "$DIR/worker.log" 2>&1 &
pids+=($!)
$JAVA -jar "$JAR" relay --host 127.0.0.1 --port "$PORT" --data "$DIR/data" --cluster-port $((BASE + 1)) \
    --cluster-members "$members" --verification cluster --config bench/loopback-load.yaml > "$DIR/relay.log" 2>&1 &
relay=$!
pids+=("$relay")
for _ in $(seq 1 240); do
  curl -sf "http://127.0.0.1:$((PORT + 1))/health" > /dev/null \
    && curl -sf -H 'Accept: application/nostr+json' "http://127.0.0.1:$PORT/" > /dev/null && break
  sleep 0.5
done
# without heap options the started JVM runs the relay in a child JVM with the heap default: measure that one
child=$(pgrep -P "$relay" java | head -1 || true)
relay=${child:-$relay}

ingest() { # label, corpus number
  echo "== $1"
  $JAVA -cp "$JAR" org.nostrgpu.bench.IngestLoad "ws://127.0.0.1:$PORT/" --events "$events" --warmup "$warmup" \
      --connections 8 --window 64 --corpus "$DIR/corpus-$2.jsonl" --relay-pid "$relay" \
      | grep -E '^(accepted|CPU per|OK latency)'
}

attach() {
  $JAVA -jar "$JAR" inspect --json $INSPECT_ARGS --cluster-port $((BASE + 2)) \
      --cluster-members "$members" > "$DIR/inspect.jsonl" 2> "$DIR/inspect.log" &
  inspector=$!
  pids+=("$inspector")
  for _ in $(seq 1 120); do [ -s "$DIR/inspect.jsonl" ] && break; sleep 0.5; done
}

detach() {
  rounds=$(wc -l < "$DIR/inspect.jsonl")
  kill "$inspector"; wait "$inspector" 2>/dev/null || true
  echo "   (the inspector ran $rounds stats rounds during that run and its warm-up)"
}

# A B A B: the relay's own warm-up (JIT) lowers its CPU per event from run to run, so each condition is measured
# both before and after the other.
ingest "1: without an inspector" 1
attach
ingest "2: with inspect ${INSPECT_ARGS:-(no tails)} attached, one round a second" 2
detach
ingest "3: without an inspector" 3
attach
ingest "4: with inspect ${INSPECT_ARGS:-(no tails)} attached" 4
detach
