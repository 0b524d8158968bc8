#!/usr/bin/env bash
# One call on a GPU machine (the device tool), prepared by device-prep.sh on the build machine:
#   carry: ["ssrl-gpu/target/device"]   command: "ssrl-gpu/device-check.sh"   timeout_s: 540
# Environment: OUT (results folder), DEVICE_JAVA (a java to use instead of PATH's or the staged
# one), DEVICE_CHECK_FORCE=1 (run without a GPU), JMH_ARGS (benchmark selection and options).
# Steps, about 6-8 minutes in all, everything written under $OUT (default ./device-out):
#   1. the device: nvidia-smi (GPU model, driver) -> $OUT/device.txt; no GPU: a message, exit 0
#      (DEVICE_CHECK_FORCE=1 runs the steps anyway, to try the script on a machine without one);
#   2. build: nvcc compiles the CUDA sources with build-ptx.sh's flags and the result is compared
#      with the shipped PTX; ptxas assembles the shipped PTX for this GPU (what the driver's JIT
#      does) -> $OUT/build.log;
#   3. the ssrl-gpu tests with the GPU present (none may skip for want of a GPU) -> $OUT/tests.log;
#   4. JMH GpuBench: scorer 1 KB / 16 KB, GPU vs CPU on all cores; window statistics of 64 maps of
#      1600x1064, GPU vs the CPU implementation -> $OUT/jmh.txt, $OUT/jmh.json, $OUT/summary.txt.
# Exit status: 0 when every step passed (or there is no GPU), 1 when a step failed, 2 when the
# staging from device-prep.sh is missing.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$PWD/device-out}
mkdir -p "$OUT"
dev=ssrl-gpu/target/device
status=0
say() { echo "device-check: $*" | tee -a "$OUT/summary.txt"; }

# 1. Is there a GPU at all?
if [[ "${DEVICE_CHECK_FORCE:-}" == 1 ]]; then
  echo "DEVICE_CHECK_FORCE=1: running every step without checking for a GPU" >"$OUT/device.txt"
else
  if ! command -v nvidia-smi >/dev/null 2>&1; then
    echo "nvidia-smi not found" >"$OUT/device.txt"
  else
    nvidia-smi -L >"$OUT/device.txt" 2>&1
  fi
  if ! grep -q '^GPU ' "$OUT/device.txt"; then
    say "no NVIDIA GPU on this machine ($(tr '\n' ' ' <"$OUT/device.txt")): nothing to check; the CPU paths are tested by 'mvn verify'"
    exit 0
  fi
fi
cc=75
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv >>"$OUT/device.txt" 2>&1
  nvidia-smi >>"$OUT/device.txt" 2>&1
  cc=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader | head -1 | tr -d '. \r')
  say "GPU: $(nvidia-smi --query-gpu=name,driver_version,compute_cap --format=csv,noheader | head -1)"
fi

if [[ ! -d "$dev/lib" ]]; then
  say "staging missing: run ssrl-gpu/device-prep.sh on the build machine and carry ssrl-gpu/target/device"
  exit 2
fi
if [[ -n "${DEVICE_JAVA:-}" ]]; then
  JAVA=$DEVICE_JAVA
elif command -v java >/dev/null 2>&1 && java -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])'; then
  JAVA=java
elif [[ -x "$dev/jre/bin/java" ]]; then
  JAVA=$PWD/$dev/jre/bin/java
else
  say "no Java 17+ here and no staged runtime: run device-prep.sh without NO_JRE=1"
  exit 2
fi
say "java: $("$JAVA" -version 2>&1 | head -1)"
CP="$dev/test-classes:$dev/classes:$dev/lib/*"

# 2. Build: the kernels compile here and the shipped PTX is current and assembles for this GPU.
(
  if command -v nvcc >/dev/null 2>&1; then
    tmp=$(mktemp -d)
    for k in reward window_stats; do
      nvcc -ptx -arch=compute_75 -fmad=false -o "$tmp/$k.ptx" "ssrl-gpu/src/main/cuda/$k.cu" \
        && echo "nvcc: $k.cu compiles" || { echo "nvcc: $k.cu FAILED"; exit 1; }
      if cmp -s "$tmp/$k.ptx" "ssrl-gpu/src/main/resources/dev/ssrl/gpu/$k.ptx"; then
        echo "$k.ptx: identical to a fresh build"
      else
        echo "$k.ptx: differs from this nvcc's build ($(nvcc --version | tail -1)); the hash test decides staleness"
      fi
      ptxas -arch="sm_$cc" -o "$tmp/$k.cubin" "ssrl-gpu/src/main/resources/dev/ssrl/gpu/$k.ptx" \
        && echo "ptxas: shipped $k.ptx assembles for sm_$cc" || { echo "ptxas: $k.ptx FAILED"; exit 1; }
    done
  else
    echo "no nvcc here: the kernels' compilation is checked by PtxFreshnessTest on the build machine"
  fi
) >"$OUT/build.log" 2>&1 || status=1
say "build: $(tail -1 "$OUT/build.log")"

# 3. Tests with the GPU present.
# From the module directory, as surefire runs them (the tests read src/ and write target/).
(cd ssrl-gpu && timeout 240 "$JAVA" -Xmx8g -Dssrl.shared=target/device/shared \
  -cp "target/device/test-classes:target/device/classes:target/device/lib/*" \
  dev.ssrl.gpu.DeviceTestMain) >"$OUT/tests.log" 2>&1 || status=1
grep -E 'tests (successful|failed|skipped|aborted|found)' "$OUT/tests.log" | tee -a "$OUT/summary.txt"
# Skips that say a GPU is missing would mean the device tests did not run (the tests that need
# no GPU skip with "this machine has a usable GPU", which is expected here).
gpu_skips=$(grep -E '^(SKIPPED|ABORTED)' "$OUT/tests.log" \
  | grep -E 'CUDA|NVIDIA|compute capability|ssrl.gpu.disable|no usable GPU' | grep -v 'has a usable GPU')
if [[ -n "$gpu_skips" ]]; then
  say "FAIL: GPU tests were skipped although a GPU is present:"
  echo "$gpu_skips" | head -5 | tee -a "$OUT/summary.txt"
  status=1
fi

# 4. Benchmarks (JMH reports responses/s and maps/s: each invocation counts its batch).
# JMH_ARGS replaces the selection (e.g. "-wi 0 -i 1 GpuBench.score1kCpu" for a quick trial).
# The device runs nothing else: JMH's machine-wide lock (/tmp/jmh.lock) is not needed there.
timeout 330 "$JAVA" -Djmh.ignoreLock=true -cp "$CP" org.openjdk.jmh.Main ${JMH_ARGS:-dev.ssrl.gpu.bench.GpuBench} \
  -jvmArgsPrepend "-Dssrl.shared=$dev/shared" -rf json -rff "$OUT/jmh.json" >"$OUT/jmh.txt" 2>&1 || status=1
grep -E '^GpuBench\.|^Benchmark ' "$OUT/jmh.txt" | tee -a "$OUT/summary.txt"
say "command: ssrl-gpu/device-check.sh (JMH: java -cp '$CP' org.openjdk.jmh.Main dev.ssrl.gpu.bench.GpuBench)"
say "exit status $status"
exit $status
