#!/usr/bin/env bash
# Regenerates the committed PTX of the BIP-340 kernel and runs the host-side tests.
# Usage: kernels/build.sh            (needs nvcc on PATH; no GPU needed)
set -euo pipefail
cd "$(dirname "$0")/.."
PTX=gpu-worker/src/main/resources/kernels/bip340_verify.ptx
bash kernels/ptx.sh "$PTX"
echo "wrote $PTX ($(wc -c <"$PTX") bytes)"
bash kernels/test.sh
