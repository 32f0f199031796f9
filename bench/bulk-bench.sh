#!/usr/bin/env bash
# Bulk import and NIP-77 reconciliation figures on this machine, from the built jar (mvn -B -q -DskipTests package).
#
#   bench/bulk-bench.sh import [EVENTS] [VERIFICATION...]
#       A corpus of EVENTS signed events (default 1000000; written once to $BENCH_DIR/corpus-EVENTS.jsonl), then
#       libsecp256k1 alone on one core and on every core (VerifierThroughput), then "import --timings" of the corpus
#       into an empty database once per VERIFICATION (default: local auto; auto is the embedded worker, which uses
#       CUDA on a GPU machine), each printing events/s and where the CPU time went.
#       On the GPU machine: the same command (the worker picks CUDA when the device and kernel are usable).
#   bench/bulk-bench.sh sync [EVENTS] [SHARES]
#       Two databases of EVENTS events (default 1000000) differing by each share (default 0.001,0.01,0.1),
#       reconciled over a WebSocket (org.nostrgpu.bench.bulk.SyncBenchmark): round trips, bytes, time, CPU.
# Working files go to $BENCH_DIR (default bench-results/, git-ignored). The machine may be shared: every step
# reports CPU time beside wall-clock rates.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java --enable-native-access=ALL-UNNAMED"
JAR=app/target/nostr-gpu-relay.jar
DIR=${BENCH_DIR:-bench-results}
mkdir -p "$DIR"
[ -f "$JAR" ] || { echo "build first: mvn -B -q -DskipTests package"; exit 2; }
CORES=$(nproc)

case "${1:-}" in
  import)
    EVENTS=${2:-1000000}
    shift $(( $# >= 2 ? 2 : $# ))
    MODES=("$@")
    [ ${#MODES[@]} -gt 0 ] || MODES=(local auto)
    CORPUS="$DIR/corpus-$EVENTS.jsonl"
    [ -f "$CORPUS" ] || $JAVA -cp "$JAR" org.nostrgpu.bench.bulk.CorpusFile "$CORPUS" "$EVENTS"
    echo "== libsecp256k1 alone: 1 thread, then $CORES threads (batches of 4096, 5 s, median of 3)"
    $JAVA -cp "$JAR" org.nostrgpu.bench.verify.VerifierThroughput 1 4096 5 3 | tail -2
    $JAVA -cp "$JAR" org.nostrgpu.bench.verify.VerifierThroughput "$CORES" 4096 5 3 | tail -2
    for mode in "${MODES[@]}"; do
      rm -rf "$DIR/import-$mode"
      echo "== import of $EVENTS events into an empty database, --verification $mode"
      $JAVA -jar "$JAR" import --data "$DIR/import-$mode" --verification "$mode" --progress none --timings "$CORPUS" \
        2> "$DIR/import-$mode.log"
    done
    ;;
  sync)
    EVENTS=${2:-1000000}
    SHARES=${3:-0.001,0.01,0.1}
    $JAVA -cp "$JAR" org.nostrgpu.bench.bulk.SyncBenchmark "$DIR/sync" "$EVENTS" "$SHARES"
    ;;
  *)
    sed -n '2,18p' "$0"; exit 2 ;;
esac
