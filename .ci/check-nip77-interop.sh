#!/usr/bin/env bash
# After "mvn verify": the NIP-77 interop test against nostr-tools (NostrToolsNegentropyInteropTest) must have run,
# not been skipped. It skips itself where node or npm is missing, which is fine on a developer's machine but not
# in CI, where .ci/run installs them.
set -euo pipefail
cd "$(dirname "$0")/.."
report=relay-verticle/target/surefire-reports/TEST-org.nostrgpu.relay.NostrToolsNegentropyInteropTest.xml
if [ ! -f "$report" ]; then
  echo "NIP-77 interop check: no report at $report (the test did not run)" >&2
  exit 1
fi
summary=$(grep -o '<testsuite [^>]*>' "$report" | head -1)
count() { echo "$summary" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
tests=$(count tests); skipped=$(count skipped); failures=$(count failures); errors=$(count errors)
if [ "${tests:-0}" -lt 1 ] || [ "${skipped:-1}" -ne 0 ] || [ "${failures:-1}" -ne 0 ] || [ "${errors:-1}" -ne 0 ]; then
  echo "NIP-77 interop check: tests=$tests skipped=$skipped failures=$failures errors=$errors in $report" >&2
  exit 1
fi
echo "NIP-77 interop with nostr-tools: $tests tests ran, none skipped"
