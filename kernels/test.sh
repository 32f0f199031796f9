#!/usr/bin/env bash
# Builds and runs the host-side tests of the kernel code (CPU only; nvcc compiles the
# __host__ __device__ arithmetic for the host), then checks the device-only inline-PTX field code
# in a small PTX interpreter (needs python3). Exits non-zero on any mismatch.
set -euo pipefail
cd "$(dirname "$0")/.."
bin_dir=$(mktemp -d)
trap 'rm -rf "$bin_dir"' EXIT
# the default build, then the compile-time variants whose host code differs (see kernels/README.md)
nvcc -O2 -o "$bin_dir/host_tests" kernels/test/host_tests.cu
"$bin_dir/host_tests" kernels/test/vectors
for flags in "-DBIP340_COMB=1" "-DBIP340_LAZY=1"; do
  echo "kernel host tests with $flags:"
  # shellcheck disable=SC2086
  nvcc -O2 $flags -o "$bin_dir/host_tests_variant" kernels/test/host_tests.cu
  "$bin_dir/host_tests_variant" kernels/test/vectors
done
if command -v python3 >/dev/null 2>&1; then
  python3 kernels/test/ptx_sim.py
else
  echo "kernel tests: python3 not found, skipping the PTX simulation of the device field code"
fi
