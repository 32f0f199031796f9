#!/usr/bin/env bash
# Starts the built jar's relay on the given java, checks that NIP-11 answers and that one signed event is
# accepted, then stops the relay. Used by .ci/run to show the jar runs on the newest JDK as well as on 17.
# Usage: .ci/smoke-jar.sh JAVA_BINARY [JAR]
set -euo pipefail
java_bin=$1
jar=${2:-app/target/nostr-gpu-relay.jar}
work=$(mktemp -d)
relay_pid=""
cleanup() {
  if [ -n "$relay_pid" ] && kill -0 "$relay_pid" 2>/dev/null; then
    kill "$relay_pid"; wait "$relay_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "smoke: $("$java_bin" -version 2>&1 | sed -n 1p) running $jar"
"$java_bin" -jar "$jar" relay --host 127.0.0.1 --port 0 --data "$work/data" > "$work/relay.log" 2>&1 &
relay_pid=$!
port=""
for _ in $(seq 1 600); do
  port=$(sed -n 's|.*listening on ws://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/relay.log" | head -n 1)
  [ -n "$port" ] && break
  kill -0 "$relay_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$port" ]; then
  echo "smoke: the relay did not start; its log:" >&2; cat "$work/relay.log" >&2; exit 1
fi

info=$(curl -sS --max-time 10 -H 'Accept: application/nostr+json' "http://127.0.0.1:$port/")
case "$info" in
  *'"supported_nips"'*) echo "smoke: NIP-11 answers on port $port" ;;
  *) echo "smoke: no NIP-11 document on port $port: $info" >&2; exit 1 ;;
esac

"$java_bin" -cp "$jar" org.nostrgpu.bench.IngestLoad "ws://127.0.0.1:$port/" --events 1 --connections 1 \
    --corpus "$work/corpus.jsonl" > "$work/ingest.txt" 2>&1 || true
if ! grep -q 'accepted (OK true): 1 ' "$work/ingest.txt"; then
  echo "smoke: the event was not accepted:" >&2; cat "$work/ingest.txt" "$work/relay.log" >&2; exit 1
fi
echo "smoke: one event published and accepted"
