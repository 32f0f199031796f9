#!/usr/bin/env bash
# Builds the GPU correctness check / benchmark (kernels/test/device_bench.cu) into .gpu/kernel/
# with the vector files, the committed PTX and the PTX of every variant (the same source with
# other -D switches), ready to be shipped to a GPU machine. Needs nvcc only (no GPU); the binary
# links the CUDA runtime statically and JIT-compiles the PTX files through the driver.
# Also writes resources.txt: registers, spills and SASS size of the hot functions of every
# variant (ptxas -v and readelf on an sm_90 cubin), and runs the bench's host check.
# Run kernels/device/run-device-bench.sh (copied to .gpu/kernel/) on the GPU machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.gpu/kernel
rm -rf "$out"
mkdir -p "$out/vectors"
# sm_90 machine code only (H100/H200); the PTX files carry the kernels for the driver's JIT
nvcc -O3 -gencode arch=compute_90,code=sm_90 -o "$out/device_bench" kernels/test/device_bench.cu
cp kernels/test/vectors/bip340_random.txt kernels/test/vectors/bip340-final.csv "$out/vectors/"
cp gpu-worker/src/main/resources/kernels/bip340_verify.ptx "$out/"
"$out/device_bench" --vectors "$out/vectors" --host-check

# name, timing ("full": all batch and block sizes; "short": large batches at block 256), flags
variants=(
  "batchinv full -DBIP340_BATCH_INV=1"
  "lazy full -DBIP340_LAZY=1"
  "comb full -DBIP340_COMB=1"
  "all full -DBIP340_COMB=1 -DBIP340_BATCH_INV=1 -DBIP340_LAZY=1"
  "batchinv-lazy short -DBIP340_BATCH_INV=1 -DBIP340_LAZY=1"
  "r160 short -DBIP340_MAX_REGISTERS=160"
  "r96 short -DBIP340_MAX_REGISTERS=96"
)
manifest=$out/variants.txt
echo "# name timing ptx flags (the committed PTX is kernels/ptx.sh without flags)" >"$manifest"
echo "committed full bip340_verify.ptx" >>"$manifest"
resources() {  # name, flags...: registers/spills of the entry and the loop, SASS size per function
  local name=$1
  shift
  local cubin
  cubin=$(mktemp --suffix=.cubin)
  {
    echo "== $name ${*:-(default)}"
    nvcc -cubin -arch=sm_90 -O3 -Xptxas -v "$@" -o "$cubin" kernels/src/bip340_verify.cu 2>&1 |
      grep -A2 "for bip340_verify_batch\|for _Z19secp_ecmult_windows" | grep "spill\|Used" | sed 's/^ *//'
    readelf -sW "$cubin" | awk '$4 == "FUNC" { printf "  %6d SASS  %s\n", $3 / 16, $NF }' | sort -rn | head -8
  } >>"$out/resources.txt"
  rm -f "$cubin"
}
resources committed
for v in "${variants[@]}"; do
  read -r name timing flags <<<"$v"
  # shellcheck disable=SC2086
  bash kernels/ptx.sh "$out/bip340_verify_$name.ptx" $flags
  echo "$name $timing bip340_verify_$name.ptx $flags" >>"$manifest"
  # shellcheck disable=SC2086
  resources "$name" $flags
done
# the PTX travels compressed (1.2 MB -> 0.2 MB each); run-device-bench.sh unpacks it
gzip -9 "$out"/*.ptx
cp kernels/device/run-device-bench.sh "$out/"
cat "$out/resources.txt"
echo "built $out ($(du -sh "$out" | cut -f1)): $(grep -vc '^#' "$manifest") PTX kernels"
