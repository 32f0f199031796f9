#!/usr/bin/env bash
# The benchmark suite in one command: builds the jar when it is missing, then runs `java -jar JAR bench` with the
# options given (see README, Benchmarks, or `java -jar app/target/nostr-gpu-relay.jar bench --help`). Results:
# result.json and report.html under --out (default bench-results/suite-DATE-TIME/).
#
#   bench/run.sh                                  every scenario, sizes for a few minutes on a small machine
#   bench/run.sh --scenarios rates,req --url ws://HOST:PORT/ [--relay-pid PID]   load another NIP-01 relay
#
# Environment: JAVA_HOME (the java to use), RELAY_JAR (default app/target/nostr-gpu-relay.jar), SUITE_JVM (options
# of the suite's own JVM, default -Xmx2g).
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
RELAY_JAR=${RELAY_JAR:-app/target/nostr-gpu-relay.jar}
if [ ! -f "$RELAY_JAR" ]; then
  echo "building $RELAY_JAR (mvn -B -q -DskipTests package)"
  mvn -B -q -DskipTests package
fi
# shellcheck disable=SC2086
exec "$JAVA" ${SUITE_JVM:--Xmx2g} --enable-native-access=ALL-UNNAMED -jar "$RELAY_JAR" bench "$@"
