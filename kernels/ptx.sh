#!/usr/bin/env bash
# Compiles kernels/src/bip340_verify.cu to PTX at the path given as $1.
# The flags are the single source of truth for the committed PTX and the stale check; further
# arguments are passed on to nvcc (only the device benchmark's variants use that).
#
# nvcc 13 stamps its PTX with ISA version 9.0, which only CUDA 13 drivers (R580+) accept. The
# kernel uses nothing newer than PTX ISA 7.0 (integer carry chains, ld.global.nc, prmt), so the
# header is lowered to ISA 8.0: any CUDA 12.0+ driver (R525+) can JIT it, matching the JCuda 12.x
# binding of the worker. The output contains no paths or dates, so it is reproducible.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$1
shift
nvcc -ptx -arch=compute_80 -O3 "$@" -o "$out" kernels/src/bip340_verify.cu
if ! grep -qx '.version 9.0' "$out" || ! grep -qx '.target sm_80' "$out"; then
  echo "ptx.sh: unexpected PTX header from this nvcc ($(grep -m1 '^.version' "$out")); review the ISA lowering" >&2
  exit 1
fi
sed -i 's/^\.version 9\.0$/.version 8.0/' "$out"
