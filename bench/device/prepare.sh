#!/usr/bin/env bash
# Run HERE (the development machine, no GPU needed): builds everything DeviceCheck needs on the lent GPU
# machine into .gpu/ at the repository root (git-ignored), which the device run carries along:
#   .gpu/jre.tar.xz                       a jlink'd Java runtime (the device has no Java)
#   .gpu/lib/*.jar                        bench (DeviceCheck), gpu-worker and what they load, natives for linux-x86_64 only
#   .gpu/bip340-final-test-vectors.csv    the official BIP-340 vectors
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
JDK=${JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
GPU_DIR=$ROOT/.gpu
MODULES=java.base,java.logging,java.management,java.naming,java.sql,jdk.unsupported
if [ $# -gt 0 ]; then
  echo "usage: $0 (no options)" >&2
  exit 2
fi
export JAVA_HOME=$JDK
export PATH="$JDK/bin:$PATH"

echo "== building bench, gpu-worker and their runtime classpath"
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
mvn -q -B -pl bench -am -Dmaven.test.skip=true package \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$staging/lib"
cp gpu-worker/target/gpu-worker-*.jar bench/target/bench-*.jar "$staging/lib/"

if ! unzip -l "$staging"/lib/gpu-worker-*.jar | grep -q 'kernels/bip340_verify.ptx'; then
  echo "ERROR: the jar has no kernels/bip340_verify.ptx (it is committed under gpu-worker/src/main/resources/kernels/)" >&2
  exit 1
fi

echo "== keeping only what DeviceCheck loads, with natives for linux-x86_64 only"
# An allow-list, not the worker's whole classpath: DeviceCheck needs no Vert.x, Netty or metrics, and the
# smoke run of run-on-device.sh here fails loudly (NoClassDefFoundError) if that ever changes.
mkdir "$staging/keep"
for pattern in 'bench-*.jar' 'gpu-worker-*.jar' 'common-*.jar' 'jcuda-*.jar' 'secp256k1-kmp-*.jar' 'kotlin-stdlib-*.jar' \
               'annotations-*.jar' 'jackson-core-*.jar' 'jackson-databind-*.jar' 'jackson-annotations-*.jar'; do
  for jar in "$staging"/lib/$pattern; do
    [ -e "$jar" ] && mv "$jar" "$staging/keep/"
  done
done
rm -rf "$staging/lib" && mv "$staging/keep" "$staging/lib"
rm -f "$staging"/lib/secp256k1-kmp-jni-jvm-darwin-*.jar "$staging"/lib/secp256k1-kmp-jni-jvm-mingw-*.jar
zip -q -d "$staging"/lib/secp256k1-kmp-jni-jvm-linux-*.jar 'fr/acinq/secp256k1/jni/native/linux-aarch64/*'
zip -q -d "$staging"/lib/jcuda-natives-*.jar 'lib/libJNvPTXCompiler-*' 'lib/libJNvrtc-*' 'lib/libJCudaRuntime-*'
ls "$staging/lib"

echo "== modules the classpath refers to (jdeps, for information)"
# Jackson refers to java.desktop (java.beans) and java.sql only optionally; the fixed list below is what runs.
jdeps --multi-release 25 --ignore-missing-deps --print-module-deps --class-path "$staging/lib/*" \
    "$staging"/lib/gpu-worker-*.jar || true

echo "== jlink runtime ($MODULES)"
jlink --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages --compress=zip-9 \
    --output "$staging/jre"
"$staging/jre/bin/java" -version 2>&1 | head -1

echo "== packing into $GPU_DIR"
# only what this script makes: .gpu/kernel (kernels/device/build-device-bench.sh) stays
rm -rf "$GPU_DIR/jre.tar.xz" "$GPU_DIR/lib" "$GPU_DIR/bip340-final-test-vectors.csv"
mkdir -p "$GPU_DIR"
tar -C "$staging" -cJf "$GPU_DIR/jre.tar.xz" jre
mv "$staging/lib" "$GPU_DIR/lib"
cp common/src/test/resources/bip340-final-test-vectors.csv "$GPU_DIR/"
du -sh "$GPU_DIR/jre.tar.xz" "$GPU_DIR/lib"
du -sh "$GPU_DIR"
total_kib=$(du -sk "$GPU_DIR" | cut -f1)
if [ "$total_kib" -ge $((60 * 1024)) ]; then
  echo "ERROR: $GPU_DIR is ${total_kib} KiB, over the 60 MiB budget" >&2
  exit 1
fi
echo "ready: run bench/device/run-on-device.sh on the device (carry .gpu)"
