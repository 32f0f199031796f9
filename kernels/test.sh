#!/usr/bin/env bash
# Builds and runs the host-side tests of the kernel code (CPU only; nvcc compiles the
# __host__ __device__ arithmetic for the host). Exits non-zero on any mismatch.
set -euo pipefail
cd "$(dirname "$0")/.."
bin_dir=$(mktemp -d)
trap 'rm -rf "$bin_dir"' EXIT
nvcc -O2 -o "$bin_dir/host_tests" kernels/test/host_tests.cu
"$bin_dir/host_tests" kernels/test/vectors
