#!/usr/bin/env bash
# One call on a GPU machine (the device tool), prepared by device-prep.sh on the build machine:
#   carry: ["ssrl-gpu/target/device"]   command: "ssrl-gpu/device-check.sh"   timeout_s: 540
# Steps, about 6-8 minutes in all, everything written under $OUT (default ./device-out):
#   1. the device: nvidia-smi (GPU model, driver) -> $OUT/device.txt; no GPU: a message, exit 0;
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
if ! command -v nvidia-smi >/dev/null 2>&1 || ! nvidia-smi -L >"$OUT/device.txt" 2>&1 \
  || ! grep -q '^GPU ' "$OUT/device.txt"; then
  say "no NVIDIA GPU on this machine ($(tr '\n' ' ' <"$OUT/device.txt" 2>/dev/null || echo 'no nvidia-smi')): nothing to check; the CPU paths are tested by 'mvn verify'"
  exit 0
fi
nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv >>"$OUT/device.txt" 2>&1
say "GPU: $(sed -n '2p' "$OUT/device.txt" | tr -d '\r')"

if [[ ! -d "$dev/lib" ]]; then
  say "staging missing: run ssrl-gpu/device-prep.sh on the build machine and carry ssrl-gpu/target/device"
  exit 2
fi
if command -v java >/dev/null 2>&1 && java -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])'; then
  JAVA=java
elif [[ -x "$dev/jre/bin/java" ]]; then
  JAVA=$dev/jre/bin/java
else
  say "no Java 17+ here and no staged runtime: run device-prep.sh without NO_JRE=1"
  exit 2
fi
say "java: $("$JAVA" -version 2>&1 | head -1)"
CP="$dev/test-classes:$dev/classes:$dev/lib/*"

# 2. Build: the kernels compile here and the shipped PTX is current and assembles for this GPU.
{
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
      cc=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader | head -1 | tr -d '.')
      ptxas -arch="sm_$cc" -o "$tmp/$k.cubin" "ssrl-gpu/src/main/resources/dev/ssrl/gpu/$k.ptx" \
        && echo "ptxas: shipped $k.ptx assembles for sm_$cc" || { echo "ptxas: $k.ptx FAILED"; exit 1; }
    done
  else
    echo "no nvcc here: the kernels' compilation is checked by PtxFreshnessTest on the build machine"
  fi
} >"$OUT/build.log" 2>&1 || status=1
say "build: $(tail -1 "$OUT/build.log")"

# 3. Tests with the GPU present.
timeout 240 "$JAVA" -Xmx8g -Dssrl.shared="$dev/shared" -cp "$CP" dev.ssrl.gpu.DeviceTestMain \
  >"$OUT/tests.log" 2>&1 || status=1
grep -E 'tests (successful|failed|skipped|found)' "$OUT/tests.log" | tee -a "$OUT/summary.txt"
# Skips that say a GPU is missing would mean the device tests did not run (the tests that need
# no GPU skip with "this machine has a usable GPU", which is expected here).
gpu_skips=$(grep -E '^SKIPPED' "$OUT/tests.log" | grep -Ei 'gpu|cuda' | grep -v 'has a usable GPU')
if [[ -n "$gpu_skips" ]]; then
  say "FAIL: GPU tests were skipped although a GPU is present:"
  echo "$gpu_skips" | head -5 | tee -a "$OUT/summary.txt"
  status=1
fi

# 4. Benchmarks (JMH reports responses/s and maps/s: each invocation counts its batch).
timeout 330 "$JAVA" -cp "$CP" org.openjdk.jmh.Main 'dev.ssrl.gpu.bench.GpuBench' \
  -jvmArgsPrepend "-Dssrl.shared=$dev/shared" -rf json -rff "$OUT/jmh.json" >"$OUT/jmh.txt" 2>&1 || status=1
grep -E '^GpuBench\.|^Benchmark ' "$OUT/jmh.txt" | tee -a "$OUT/summary.txt"
say "command: ssrl-gpu/device-check.sh (JMH: java -cp '$CP' org.openjdk.jmh.Main dev.ssrl.gpu.bench.GpuBench)"
say "exit status $status"
exit $status
