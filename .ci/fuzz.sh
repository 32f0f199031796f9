#!/usr/bin/env bash
# Coverage-guided fuzzing with Jazzer of the client message parser, the event and filter parsers and the event-bus
# codecs: each target for the time its @FuzzTest allows (20 s), one JVM per target (Jazzer fuzzes one per JVM).
# A finding fails the run and is written beside the target's seeds in src/test/resources/.../<Test>Inputs/<method>/:
# commit it with the fix, and every plain `mvn verify` runs it again as a regression test. The corpus the fuzzer
# grows goes to .cifuzz-corpus/ (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(
  "common EventParserFuzzTest"
  "common FilterParserFuzzTest"
  "common VerifyCodecFuzzTest"
  "relay-verticle ClientMessageParserFuzzTest"
)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for target in "${targets[@]}"; do
  read -r module test <<< "$target"
  echo "== fuzzing $test ($module)"
  status=0
  JAZZER_FUZZ=1 mvn -B -q -pl "$module" -am test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
      > "$log" 2>&1 || status=$?
  grep -E '^(#[0-9]+[[:space:]]+DONE|Done [0-9]+ runs|== Java Exception|.*FuzzTestFinding)' "$log" || true
  if [ "$status" -ne 0 ]; then
    tail -40 "$log"
    echo "fuzzing $test found a problem (mvn exit $status); see $module/target/surefire-reports"
    exit 1
  fi
done
