#!/usr/bin/env bash
# Compiles kernels/src/bip340_verify.cu to PTX at the path given as $1.
# The flags are the single source of truth for the committed PTX and the stale check.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$1
nvcc -ptx -arch=compute_80 -O3 -o "$out" kernels/src/bip340_verify.cu
