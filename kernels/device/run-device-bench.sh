#!/usr/bin/env bash
# Runs on the GPU machine (driver R580+; no CUDA toolkit needed): correctness of every kernel of
# the manifest (built-in SASS, committed PTX, variants) on the vectors and the generated corpora
# with the key cache off/large/small and on 4 concurrent streams, then the throughput tables.
# Output goes to stdout and, if $OUT is set, to $OUT/device-bench.txt. Exit status non-zero on any
# wrong verdict. Expected run time on an H100/H200: about 2.5 minutes (--budget-s stops the
# timing of further variants once spent; correctness always runs in full).
# Usage (repository root): kernels/device/run-device-bench.sh [max batch [budget seconds]]
#    or (inside .gpu/kernel): ./run-device-bench.sh [max batch [budget seconds]]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ -x "$here/device_bench" ]; then dir=$here; else dir=$(cd "$here/../../.gpu/kernel" && pwd); fi
log=${OUT:+$OUT/device-bench.txt}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for f in "$dir"/*.ptx.gz; do gunzip -c "$f" >"$work/$(basename "$f" .gz)"; done
cp "$dir/variants.txt" "$work/"
{
  date -u
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv || true
  cat "$dir/resources.txt" 2>/dev/null || true
  "$dir/device_bench" --vectors "$dir/vectors" --manifest "$work/variants.txt" --max-batch "${1:-4194304}" \
    --budget-s "${2:-200}"
} 2>&1 | tee ${log:-/dev/null}
exit "${PIPESTATUS[0]}"
