#!/usr/bin/env bash
# Run ON the lent GPU machine, from the repository root, after `bench/device/prepare.sh --suite` made .gpu/ here and
# the device run carried it along (no Java, no network there). Unpacks the Java runtime and the relay's jar to /tmp,
# records nvidia-smi, then runs the benchmark suite (`java -jar nostr-gpu-relay.jar bench`) with sizes for the GPU
# machine: signature throughput by batch size 1 .. 1 048 576 (CPU 1 thread up to 16 384, CPU all threads, CUDA);
# 25 and 50 publishing connections and fixed offered rates against a relay of the jar (its embedded worker uses CUDA
# there); REQ per filter shape; 1, 2, 4 relay processes against one worker process, with the CUDA worker and then
# the CPU worker; nvidia-smi sampled every second throughout. Everything lands under $OUT (default
# /tmp/suite-out): machine.txt, suite.txt (the log), suite/result.json, suite/report.html, suite/logs/.
# About 6 minutes on 16 cores; the databases go to $WORK (default /tmp/suite-work), not under $OUT.
#
# usage: bash bench/device/run-suite-on-device.sh [--smoke] [-- more bench options, which win over these]
#   --smoke   tiny sizes and the CPU worker only: checks the script itself (this is what to run without a GPU)
# Exit status: 0 every scenario ran; 1 a scenario failed (the others' results are written); 4 setup failed;
# 124 the suite ran out of time ($LIMIT seconds, default 540; what it finished is written).
set -uo pipefail
cd "$(dirname "$0")/../.."
GPU_DIR=${GPU_DIR:-.gpu}
OUT=${OUT:-/tmp/suite-out}
WORK=${WORK:-/tmp/suite-work}
RUNTIME=${RUNTIME:-/tmp/nostrgpu-suite-runtime}
LIMIT=${LIMIT:-540}
SIZES=(--signature-batches 1,10,100,1000,10000,100000,1048576 --one-thread-max-batch 16384
       --signature-seconds 1 --signature-repetitions 3
       --warmup 20000 --connections 25,50 --connection-events 40000
       --rates 1000,2000,4000,8000,12000 --rate-seconds 8 --rate-connections 50 --req-queries 1000
       --relays 1,2,4 --relay-events 60000 --relay-connections 8 --worker-backend cuda,cpu --heap 4g)
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) SIZES=(--signature-batches 1,100,1000 --one-thread-max-batch 100 --signature-seconds 0.2
                    --signature-repetitions 1 --warmup 300 --connections 25 --connection-events 300 --rates 100
                    --rate-seconds 2 --rate-connections 4 --req-queries 20 --relays 1,2 --relay-events 300
                    --relay-connections 2 --worker-backend cpu --heap 512m); shift ;;
    --) shift; EXTRA=("$@"); break ;;
    *) echo "unknown option $1; usage: $0 [--smoke] [-- bench options]" >&2; exit 4 ;;
  esac
done
mkdir -p "$OUT" "$WORK"
bash bench/device/machine.sh > "$OUT/machine.txt" 2>&1
cat "$OUT/machine.txt"

if [ ! -f "$GPU_DIR/jre.tar.xz" ] || [ ! -f "$GPU_DIR/app.tar.xz" ]; then
  echo "missing $GPU_DIR/jre.tar.xz or $GPU_DIR/app.tar.xz: run bench/device/prepare.sh --suite first and carry .gpu" \
      | tee "$OUT/suite.txt"
  exit 4
fi
rm -rf "$RUNTIME" && mkdir -p "$RUNTIME" \
  && tar -xJf "$GPU_DIR/jre.tar.xz" -C "$RUNTIME" && tar -xJf "$GPU_DIR/app.tar.xz" -C "$RUNTIME" || {
  echo "cannot unpack the runtime" | tee "$OUT/suite.txt"; exit 4; }
JAVA="$RUNTIME/jre/bin/java"
TICKS=$(getconf CLK_TCK 2>/dev/null || echo 100)

start=$(date +%s)
# the relays and workers the suite starts run on this same runtime (the suite starts them with its own java)
timeout -k 15 "$LIMIT" "$JAVA" -Xmx16g --enable-native-access=ALL-UNNAMED "-Dnostrgpu.clk.tck=$TICKS" \
    -jar "$RUNTIME/nostr-gpu-relay.jar" bench --out "$OUT/suite" --work "$WORK" "${SIZES[@]}" \
    ${EXTRA[@]+"${EXTRA[@]}"} 2>&1 | tee "$OUT/suite.txt"
status=${PIPESTATUS[0]}
nvidia-smi --query-gpu=clocks.sm,clocks.mem,temperature.gpu,power.draw --format=csv >> "$OUT/machine.txt" 2>&1 || true
echo "== suite exit status $status after $(( $(date +%s) - start )) s" | tee -a "$OUT/suite.txt"
exit "$status"
