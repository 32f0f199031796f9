#!/usr/bin/env bash
# Runs on the GPU machine: correctness of the kernel (built-in SASS and the committed PTX) on the
# test vectors, then the throughput table. Output goes to stdout and, if $OUT is set, to
# $OUT/device-bench.txt (plus nvidia-smi's view of the device).
# Usage (repository root): kernels/device/run-device-bench.sh [max batch]
#    or (inside .gpu/kernel): ./run-device-bench.sh [max batch]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ -x "$here/device_bench" ]; then dir=$here; else dir=$(cd "$here/../../.gpu/kernel" && pwd); fi
log=${OUT:+$OUT/device-bench.txt}
{
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv || true
  "$dir/device_bench" "$dir/vectors" "$dir/bip340_verify.ptx" "${1:-4194304}" $(ls "$dir"/bip340_verify_r*.ptx 2>/dev/null)
} 2>&1 | tee ${log:-/dev/null}
exit "${PIPESTATUS[0]}"
