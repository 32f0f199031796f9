#!/usr/bin/env bash
# Run ON the lent GPU machine, from the repository root, after bench/device/prepare.sh made .gpu/ here
# and the device run carried it along. Unpacks the Java runtime to /tmp, records nvidia-smi, runs DeviceCheck
# (differential test + throughput) and leaves everything under $OUT (or /tmp/device-check-out without $OUT).
# Extra arguments go to DeviceCheck, e.g. --smoke, or --sizes 1024,65536 --reps 3.
# Exit status: DeviceCheck's (0 all verdicts agree, 1 a mismatch, 3 CUDA not selected), 4 setup failed.
set -uo pipefail
cd "$(dirname "$0")/../.."
GPU_DIR=${GPU_DIR:-.gpu}
OUT=${OUT:-/tmp/device-check-out}
RUNTIME=${RUNTIME:-/tmp/nostrgpu-jre}
mkdir -p "$OUT"

{
  echo "== nvidia-smi"
  nvidia-smi 2>&1 || echo "nvidia-smi failed or is missing"
  echo "== nvidia-smi --query-gpu"
  nvidia-smi --query-gpu=name,driver_version,compute_cap,memory.total,clocks.sm,clocks.max.sm,clocks.mem,power.limit \
      --format=csv 2>&1 || true
  echo "== CPU"
  nproc; grep -m1 'model name' /proc/cpuinfo || true
} > "$OUT/machine.txt" 2>&1
cat "$OUT/machine.txt"

if [ ! -f "$GPU_DIR/jre.tar.xz" ] || [ ! -d "$GPU_DIR/lib" ]; then
  echo "missing $GPU_DIR/jre.tar.xz or $GPU_DIR/lib: run bench/device/prepare.sh first and carry .gpu" \
      | tee "$OUT/device-check.txt"
  exit 4
fi
rm -rf "$RUNTIME" && mkdir -p "$RUNTIME" && tar -xJf "$GPU_DIR/jre.tar.xz" -C "$RUNTIME" || {
  echo "cannot unpack the runtime" | tee "$OUT/device-check.txt"; exit 4; }
JAVA="$RUNTIME/jre/bin/java"

# The kernel from the working tree that came along, so a PTX rebuilt after prepare.sh is the one checked.
PTX=gpu-worker/src/main/resources/kernels/bip340_verify.ptx
PTX_ARGS=()
if [ -f "$PTX" ]; then
  PTX_ARGS=(--ptx "$PTX")
  echo "kernel: $PTX sha256 $(sha256sum "$PTX" | cut -c1-16)" | tee -a "$OUT/machine.txt"
fi

"$JAVA" --enable-native-access=ALL-UNNAMED -cp "$GPU_DIR/lib/*" org.nostrgpu.bench.device.DeviceCheck \
    --vectors "$GPU_DIR/bip340-final-test-vectors.csv" --json "$OUT/device-check.json" --require-cuda \
    ${PTX_ARGS[@]+"${PTX_ARGS[@]}"} "$@" 2>&1 | tee "$OUT/device-check.txt"
status=${PIPESTATUS[0]}

nvidia-smi --query-gpu=clocks.sm,clocks.mem,temperature.gpu,power.draw --format=csv >> "$OUT/machine.txt" 2>&1 || true
echo "DeviceCheck exit status: $status" | tee -a "$OUT/device-check.txt"
exit "$status"
