#!/usr/bin/env bash
# Prints what a device run measured on: nvidia-smi (its summary and the GPU's model, driver, clocks and power
# limit) and the CPU. Used by run-on-device.sh and run-suite-on-device.sh for $OUT/machine.txt.
echo "== nvidia-smi"
nvidia-smi 2>&1 || echo "nvidia-smi failed or is missing"
echo "== nvidia-smi --query-gpu"
nvidia-smi --query-gpu=name,driver_version,compute_cap,memory.total,clocks.sm,clocks.max.sm,clocks.mem,power.limit \
    --format=csv 2>&1 || true
echo "== CPU"
nproc; grep -m1 'model name' /proc/cpuinfo || true
