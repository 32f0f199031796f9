#!/usr/bin/env bash
# Run HERE (the development machine, no GPU needed): builds everything the device check needs on the lent GPU
# machine into .gpu/ at the repository root (git-ignored), which the device run carries along:
#   .gpu/jre.tar.xz                       a jlink'd Java runtime (the device has no Java)
#   .gpu/lib.tar.xz                       the jars the check loads (bench, gpu-worker, common, JCuda, libsecp256k1,
#                                         Vert.x, Netty, Hazelcast, Jackson, Micrometer), natives for linux-x86_64
#                                         only, stored uncompressed inside the tarball so xz compresses the classes
#   .gpu/bip340-final-test-vectors.csv    the official BIP-340 vectors
# With --suite, also (for bench/device/run-suite-on-device.sh, the benchmark suite with relays and workers):
#   .gpu/app.tar.xz                       the relay's shaded jar, natives for linux-x86_64 only, stored uncompressed
# Everything must stay under 60 MiB. Test the package here with: bash bench/device/run-on-device.sh --smoke
# (and bash bench/device/run-suite-on-device.sh --smoke after --suite)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
JDK=${JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
GPU_DIR=$ROOT/.gpu
BUDGET_KIB=$((60 * 1024))
# java.xml: Hazelcast reads its XML configuration; jdk.management: Hazelcast's and the tools' process metrics;
# java.net.http: the benchmark suite asks the services it starts whether they are up
MODULES=java.base,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,jdk.management,jdk.unsupported
SUITE=0
if [ "${1:-}" = "--suite" ]; then
  SUITE=1
  shift
fi
if [ $# -gt 0 ]; then
  echo "usage: $0 [--suite]" >&2
  exit 2
fi
export JAVA_HOME=$JDK
export PATH="$JDK/bin:$PATH"

echo "== building bench, gpu-worker and their runtime classpath"
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
if [ "$SUITE" = 1 ]; then
  # the relay's shaded jar as well (the same reactor build: app is built after bench)
  mvn -q -B -pl app -am -Dmaven.test.skip=true package
fi
mvn -q -B -pl bench -am -Dmaven.test.skip=true package \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$staging/all"
cp gpu-worker/target/gpu-worker-*.jar bench/target/bench-*.jar "$staging/all/"

if ! unzip -l "$staging"/all/gpu-worker-*.jar | grep -q 'kernels/bip340_verify.ptx'; then
  echo "ERROR: the jar has no kernels/bip340_verify.ptx (it is committed under gpu-worker/src/main/resources/kernels/)" >&2
  exit 1
fi

echo "== keeping only what the device check loads, with natives for linux-x86_64 only"
# An allow-list, not the whole classpath: no SQLite (12 MB of natives for every platform), no relay, no JDBC. The
# smoke run of run-on-device.sh here fails loudly (NoClassDefFoundError) if a part ever needs more.
mkdir "$staging/lib"
for pattern in 'bench-*.jar' 'gpu-worker-*.jar' 'common-*.jar' 'jcuda-*.jar' 'secp256k1-kmp-*.jar' 'kotlin-stdlib-*.jar' \
               'annotations-*.jar' 'jackson-*.jar' 'snakeyaml-*.jar' 'vertx-core-*.jar' 'vertx-hazelcast-*.jar' \
               'vertx-micrometer-metrics-*.jar' 'hazelcast-*.jar' 'netty-*.jar' 'micrometer-*.jar' \
               'prometheus-metrics-*.jar' 'HdrHistogram-*.jar' 'LatencyUtils-*.jar' 'jspecify-*.jar'; do
  for jar in "$staging"/all/$pattern; do
    [ -e "$jar" ] && mv "$jar" "$staging/lib/"
  done
done
rm -f "$staging"/lib/secp256k1-kmp-jni-jvm-darwin-*.jar "$staging"/lib/secp256k1-kmp-jni-jvm-mingw-*.jar
zip -q -d "$staging"/lib/secp256k1-kmp-jni-jvm-linux-*.jar 'fr/acinq/secp256k1/jni/native/linux-aarch64/*'
zip -q -d "$staging"/lib/jcuda-natives-*.jar 'lib/libJNvPTXCompiler-*' 'lib/libJNvrtc-*' 'lib/libJCudaRuntime-*'
echo "left out: $(cd "$staging/all" && ls | tr '\n' ' ')"
# stored (uncompressed) jars: xz then compresses the class files far better than their deflate did
for jar in "$staging"/lib/*.jar; do
  (mkdir "$staging/x" && cd "$staging/x" && unzip -q "$jar" && rm "$jar" && zip -q -0 -r -X "$jar" . ) \
    && rm -rf "$staging/x"
done
ls "$staging/lib"

echo "== modules the classpath refers to (jdeps, for information)"
# Jackson and Hazelcast refer to java.desktop (java.beans) only optionally; the fixed list above is what runs.
jdeps --multi-release 25 --ignore-missing-deps --print-module-deps --class-path "$staging/lib/*" \
    "$staging"/lib/gpu-worker-*.jar "$staging"/lib/bench-*.jar 2>/dev/null || true

echo "== jlink runtime ($MODULES)"
# uncompressed modules: the xz of the whole runtime below is smaller than xz over jlink's own zip compression
jlink --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages --compress=zip-0 \
    --output "$staging/jre"
"$staging/jre/bin/java" -version 2>&1 | head -1

echo "== packing into $GPU_DIR"
# only what this script makes: .gpu/kernel (kernels/device/build-device-bench.sh) stays
rm -rf "$GPU_DIR/jre.tar.xz" "$GPU_DIR/lib" "$GPU_DIR/lib.tar.xz" "$GPU_DIR/bip340-final-test-vectors.csv" \
    "$GPU_DIR/app.tar.xz"
mkdir -p "$GPU_DIR"
tar -C "$staging" -cf - jre | xz -9e -T0 > "$GPU_DIR/jre.tar.xz"
tar -C "$staging" -cf - lib | xz -9e -T0 > "$GPU_DIR/lib.tar.xz"
cp common/src/test/resources/bip340-final-test-vectors.csv "$GPU_DIR/"
mine=("$GPU_DIR/jre.tar.xz" "$GPU_DIR/lib.tar.xz" "$GPU_DIR/bip340-final-test-vectors.csv")
if [ "$SUITE" = 1 ]; then
  echo "== the relay's jar, natives for linux-x86_64 only, stored"
  mkdir "$staging/app" "$staging/x"
  (cd "$staging/x" && unzip -q "$ROOT/app/target/nostr-gpu-relay.jar" \
    && find org/sqlite/native -mindepth 1 -maxdepth 1 ! -name Linux -exec rm -rf {} + \
    && find org/sqlite/native/Linux -mindepth 1 -maxdepth 1 ! -name x86_64 -exec rm -rf {} + \
    && find fr/acinq/secp256k1/jni/native -mindepth 1 -maxdepth 1 ! -name linux-x86_64 -exec rm -rf {} + \
    && rm -f lib/libJNvPTXCompiler-* lib/libJNvrtc-* lib/libJCudaRuntime-* \
    && zip -q -0 -r -X "$staging/app/nostr-gpu-relay.jar" .)
  # grep -c reads to the end: with -q, unzip could die of SIGPIPE and pipefail would fail the check
  unzip -Z1 "$staging/app/nostr-gpu-relay.jar" | grep -c 'org/sqlite/native/Linux/x86_64/libsqlitejdbc.so' > /dev/null \
    || { echo "ERROR: the stripped jar has no SQLite native for linux-x86_64" >&2; exit 1; }
  tar -C "$staging/app" -cf - nostr-gpu-relay.jar | xz -9e -T0 > "$GPU_DIR/app.tar.xz"
  mine+=("$GPU_DIR/app.tar.xz")
fi
du -sh "${mine[@]}"
mine_kib=$(du -sk "${mine[@]}" | awk '{ sum += $1 } END { print sum }')
echo "this script's files: ${mine_kib} KiB; all of .gpu: $(du -sh "$GPU_DIR" | cut -f1)"
if [ "$mine_kib" -ge "$BUDGET_KIB" ]; then
  echo "ERROR: ${mine_kib} KiB is over the 60 MiB budget" >&2
  exit 1
fi
echo "ready: run bench/device/run-on-device.sh on the device (carry .gpu)"
if [ "$SUITE" = 1 ]; then echo "       and bench/device/run-suite-on-device.sh for the benchmark suite"; fi
