#!/usr/bin/env bash
# Run ON the lent GPU machine, from the repository root, after bench/device/prepare.sh made .gpu/ here and the
# device run carried it along (no Java, no network needed there). Unpacks the Java runtime and the jars to /tmp,
# records nvidia-smi, then runs the parts of the device check, each in its own JVM under its own time limit, so a
# failure or a hang in one part does not lose the others:
#   machine       the GPU, the kernel's attributes, key cache and self-test (exit 3 when CUDA is unusable)
#   corpus        1 048 576 signatures by distinct keys and 1 048 576 by 10 000 Zipf authors, libsecp256k1 verdicts
#   differential  BIP-340 vectors + both corpora through the CUDA record path (key cache on, tiny, off): 0 mismatches
#   throughput    kernel-only (cache on/off), CudaSchnorrVerifier (1 and 4 callers), libsecp256k1 1 / all threads
#   eventbus      the worker verticle on the local event bus, request sizes 1 .. 65536 and more in flight
#   hybrid        the measured crossover; single-event p50/p99 hybrid / GPU-only / CPU-only; high load
#   cluster       1 worker process and 1, 2, 4 sender processes on a loopback Hazelcast cluster; CPU per verify
#   report        the summary against the targets
# Everything lands under $OUT (default /tmp/device-check-out): machine.txt, PART.txt (log and tables, every table
# captioned with the GPU model), PART.json, summary.txt. Total wall time stays under about 5 minutes.
#
# usage: bash bench/device/run-on-device.sh [--smoke] [--skip PART,...] [--only PART,...] [-- DeviceCheck options]
#   --smoke   small sizes, for a quick check of the script itself (this is what to run without a GPU)
# Exit status: 0 all parts done, CUDA used and every verdict agrees; 1 a verdict differs from libsecp256k1 (or the
# differential test could not run on a GPU); 3 CUDA is unavailable here (the CPU parts ran; reason in machine.txt);
# 4 setup failed; 5 a part failed or timed out (see summary.txt).
set -uo pipefail
cd "$(dirname "$0")/../.."
GPU_DIR=${GPU_DIR:-.gpu}
OUT=${OUT:-/tmp/device-check-out}
WORK=${WORK:-/tmp/device-check-work}
RUNTIME=${RUNTIME:-/tmp/nostrgpu-runtime}
HEAP=${HEAP:-16g}
PARTS=(machine corpus differential throughput eventbus hybrid cluster report)
# seconds each part may take; its own soft limit is 12 s less (half for short ones), so it can still write its results
declare -A LIMIT=([machine]=20 [corpus]=40 [differential]=35 [throughput]=70 [eventbus]=55 [hybrid]=35 [cluster]=55 [report]=10)
SMOKE=()
SKIP=","
ONLY=""
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) SMOKE=(--smoke); shift ;;
    --skip) SKIP=",$2,"; shift 2 ;;
    --only) ONLY=",$2,"; shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    *) echo "unknown option $1; usage: $0 [--smoke] [--skip PART,...] [--only PART,...] [-- DeviceCheck options]" >&2
       exit 4 ;;
  esac
done
mkdir -p "$OUT" "$WORK"
: > "$OUT/summary.txt"
run_start=$(date +%s%N)
# milliseconds since a `date +%s%N` stamp, printed as seconds (no bc on the device)
seconds_since() { local ms=$(( ($(date +%s%N) - $1) / 1000000 )); printf '%d.%d' $((ms / 1000)) $(((ms % 1000) / 100)); }

bash bench/device/machine.sh > "$OUT/machine.txt" 2>&1
cat "$OUT/machine.txt"

if [ ! -f "$GPU_DIR/jre.tar.xz" ] || [ ! -f "$GPU_DIR/lib.tar.xz" ]; then
  echo "missing $GPU_DIR/jre.tar.xz or $GPU_DIR/lib.tar.xz: run bench/device/prepare.sh first and carry .gpu" \
      | tee -a "$OUT/summary.txt"
  exit 4
fi
rm -rf "$RUNTIME" && mkdir -p "$RUNTIME" \
  && tar -xJf "$GPU_DIR/jre.tar.xz" -C "$RUNTIME" && tar -xJf "$GPU_DIR/lib.tar.xz" -C "$RUNTIME" || {
  echo "cannot unpack the runtime" | tee -a "$OUT/summary.txt"; exit 4; }
JAVA="$RUNTIME/jre/bin/java"
TICKS=$(getconf CLK_TCK 2>/dev/null || echo 100)

# The kernel from the working tree that came along (PTX=... overrides), so a PTX rebuilt after prepare.sh is the one
# checked.
PTX=${PTX:-gpu-worker/src/main/resources/kernels/bip340_verify.ptx}
PTX_ARGS=()
if [ -f "$PTX" ]; then
  PTX_ARGS=(--ptx "$PTX")
  echo "kernel: $PTX sha256 $(sha256sum "$PTX" | cut -c1-16)" | tee -a "$OUT/machine.txt"
fi
VECTOR_ARGS=()
[ -f "$GPU_DIR/bip340-final-test-vectors.csv" ] && VECTOR_ARGS=(--vectors "$GPU_DIR/bip340-final-test-vectors.csv")

mismatch=0
no_cuda=0
failed=0
for part in "${PARTS[@]}"; do
  if [[ "$SKIP" == *",$part,"* ]] || { [ -n "$ONLY" ] && [[ "$ONLY" != *",$part,"* ]]; }; then
    echo "== $part: skipped" | tee -a "$OUT/summary.txt"
    continue
  fi
  limit=${LIMIT[$part]}
  soft=$(( limit > 24 ? limit - 12 : limit / 2 ))
  start=$(date +%s%N)
  rm -f "$OUT/$part.json" "$OUT/$part.txt"  # a part that dies early must not leave an older run's results
  echo "== $part (at most ${limit} s)"
  timeout -k 10 "$limit" "$JAVA" "-Xmx$HEAP" --enable-native-access=ALL-UNNAMED "-Dnostrgpu.clk.tck=$TICKS" \
      --add-exports java.base/jdk.internal.ref=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED \
      --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
      -cp "$RUNTIME/lib/*" org.nostrgpu.bench.device.DeviceCheck "$part" --out "$OUT" --work "$WORK" \
      --part-seconds "$soft" ${VECTOR_ARGS[@]+"${VECTOR_ARGS[@]}"} ${PTX_ARGS[@]+"${PTX_ARGS[@]}"} \
      ${SMOKE[@]+"${SMOKE[@]}"} ${EXTRA[@]+"${EXTRA[@]}"} 2>&1 | tee "$OUT/$part.txt"
  status=${PIPESTATUS[0]}
  elapsed=$(seconds_since "$start")
  case $status in
    0) verdict="done" ;;
    1) verdict="VERDICTS DIFFER"; mismatch=1 ;;
    3) verdict="CUDA unavailable"; no_cuda=1 ;;
    124|137) verdict="TIMED OUT"; failed=1 ;;
    *) verdict="FAILED"; failed=1 ;;
  esac
  printf '== %-12s exit %3d  %6s s  %s\n' "$part" "$status" "$elapsed" "$verdict" | tee -a "$OUT/summary.txt"
done
if [ "$no_cuda" = 0 ] && [ "$mismatch" = 0 ] && [ -f "$OUT/differential.json" ] \
    && grep -q '"cuda" : false' "$OUT/differential.json"; then
  no_cuda=1
fi

nvidia-smi --query-gpu=clocks.sm,clocks.mem,temperature.gpu,power.draw --format=csv >> "$OUT/machine.txt" 2>&1 || true
total=$(seconds_since "$run_start")
status=0
if [ "$mismatch" = 1 ]; then status=1; elif [ "$no_cuda" = 1 ]; then status=3; elif [ "$failed" = 1 ]; then status=5; fi
printf '== all parts in %s s; exit status %d\n' "$total" "$status" | tee -a "$OUT/summary.txt"
exit "$status"
