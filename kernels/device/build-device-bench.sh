#!/usr/bin/env bash
# Builds the GPU smoke test / benchmark (kernels/test/device_bench.cu) into .gpu/kernel/ together
# with the vector files and the committed PTX, ready to be shipped to a GPU machine.
# Needs nvcc only (no GPU). Run kernels/device/run-device-bench.sh on the GPU machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.gpu/kernel
mkdir -p "$out/vectors"
nvcc -O3 -gencode arch=compute_90,code=sm_90 -gencode arch=compute_80,code=sm_80 \
  -o "$out/device_bench" kernels/test/device_bench.cu
cp kernels/test/vectors/bip340_random.txt kernels/test/vectors/bip340-final.csv "$out/vectors/"
cp gpu-worker/src/main/resources/kernels/bip340_verify.ptx "$out/"
# the same kernel with lower register caps (more warps per SM, a few spills), timed beside it
rm -f "$out"/bip340_verify_r*.ptx
for regs in 160 96; do
  bash kernels/ptx.sh "$out/bip340_verify_r$regs.ptx" -DBIP340_MAX_REGISTERS=$regs
done
cp kernels/device/run-device-bench.sh "$out/"
echo "built $out/device_bench"
