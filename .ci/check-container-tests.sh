#!/usr/bin/env bash
# After `mvn -B verify`: the container tests must have run, not been skipped (they skip without a Docker engine, or
# without docker compose / docker-compose). In CI (CI=true) a skip fails the run, so a green CI always means the
# image, the containers and the Compose stack were exercised; elsewhere it is reported.
set -euo pipefail
cd "$(dirname "$0")/.."

status=0
for test in ClusterContainersIT ComposeIT; do
    report=app/target/failsafe-reports/TEST-org.nostrgpu.app.$test.xml
    if [ ! -f "$report" ]; then
        echo "$test: no report ($report): it did not run"
        status=1
        continue
    fi
    # the <testsuite> element's counters
    header=$(grep -m1 -o '<testsuite [^>]*>' "$report")
    tests=$(sed -n 's/.* tests="\([0-9]*\)".*/\1/p' <<<"$header")
    skipped=$(sed -n 's/.* skipped="\([0-9]*\)".*/\1/p' <<<"$header")
    if [ "${tests:-0}" -eq 0 ] || [ "${skipped:-0}" -ne 0 ]; then
        reason=$(grep -m1 -o '<skipped message="[^"]*"' "$report" | sed 's/<skipped message="//; s/"$//' || true)
        echo "$test: ${skipped:-0} of ${tests:-0} skipped (${reason:-no reason given})"
        status=1
    else
        echo "$test: $tests ran"
    fi
done
if [ "$status" -ne 0 ]; then
    if [ "${CI:-}" = true ]; then
        echo "CI=true: the container tests must run here"
        exit 1
    fi
    echo "(not CI: the container tests did not all run)"
fi
