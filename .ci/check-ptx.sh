#!/usr/bin/env bash
# CI step: the committed PTX must match the kernel source, and the host-side kernel tests must
# pass. Skipped (exit 0) where nvcc is not installed.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v nvcc >/dev/null 2>&1; then
  echo "check-ptx: nvcc not found, skipping the stale-PTX check and the kernel host tests"
  exit 0
fi
committed=gpu-worker/src/main/resources/kernels/bip340_verify.ptx
fresh=$(mktemp --suffix=.ptx)
trap 'rm -f "$fresh"' EXIT
bash kernels/ptx.sh "$fresh"
if ! cmp -s "$fresh" "$committed"; then
  echo "check-ptx: $committed is stale: it differs from what kernels/src compiles to with $(nvcc --version | tail -1)." >&2
  echo "check-ptx: run kernels/build.sh and commit the regenerated PTX." >&2
  exit 1
fi
echo "check-ptx: committed PTX is up to date"
bash kernels/test.sh
