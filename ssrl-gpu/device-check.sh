#!/usr/bin/env bash
# One call on a GPU machine (the device tool), prepared by device-prep.sh on the build machine:
#   carry: ["ssrl-gpu/target/device"]   command: "ssrl-gpu/device-check.sh"   timeout_s: 540
# Environment: OUT (results folder), DEVICE_ROOT (where the staging is unpacked, default
# /tmp/ssrl-device), DEVICE_JAVA (a java to use instead of the staged one),
# RUN_JMH=1 or JMH_ARGS (run GpuBench: default -wi 1 -w 2 -i 3 -r 2, about 3 more minutes),
# GEN_PER_SCENE (variants per scene of the generate runs, default 8).
# Steps, about 5-7 minutes with a GPU (JMH off), everything written under $OUT (default ./device-out):
#   1. the device: nvidia-smi (GPU model, driver) -> $OUT/device.txt. Without a GPU every step
#      that needs none still runs (a dry run of this script) and the GPU parts say "unavailable";
#   2. build: nvcc compiles the CUDA sources with build-ptx.sh's flags and the result is compared
#      with the shipped PTX; ptxas assembles the shipped PTX for this GPU -> $OUT/build.log;
#   3. the ssrl-gpu tests (with a GPU none may skip for want of one) -> $OUT/tests.log;
#   4. stage times: where the time of one scoring batch and of one window-statistics batch goes
#      (pack, host->device, kernel, device->host, unpack), dev.ssrl.gpu.ScoreStageTimes and
#      dev.ssrl.gpu.bench.WindowStageTimes (when this build has it) -> $OUT/stages.txt;
#   5. whole process: ./ssrl generate --tasks depth,position on the staged RGB-D scenes without
#      and with --gpu (time, CPU, peak memory; the two datasets must be identical) -> $OUT/generate.txt;
#   6. JMH GpuBench (GPU only, opt-in): scorer 1 KB / 16 KB, GPU vs CPU on all cores; window
#      statistics of 64 maps of 1600x1064 -> $OUT/jmh.txt, $OUT/jmh.json.
# $OUT/summary.txt collects the key lines. Exit status: 0 when every step that could run passed,
# 1 when one failed, 2 when the staging from device-prep.sh is missing.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$PWD/device-out}
mkdir -p "$OUT"
staged=ssrl-gpu/target/device/device.tar.xz
# Unpacked outside the checkout, so that a dry run here leaves nothing the next carry would send.
dev=${DEVICE_ROOT:-/tmp/ssrl-device}
abs=$dev
status=0
say() { echo "device-check: $*" | tee -a "$OUT/summary.txt"; }
: >"$OUT/summary.txt"

# 1. Is there a GPU?
gpu=0
if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >"$OUT/device.txt" 2>&1 \
  && grep -q '^GPU ' "$OUT/device.txt"; then
  gpu=1
  nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv >>"$OUT/device.txt" 2>&1
  nvidia-smi >>"$OUT/device.txt" 2>&1
  cc=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader | head -1 | tr -d '. \r')
  say "GPU: $(nvidia-smi --query-gpu=name,driver_version,compute_cap --format=csv,noheader | head -1)"
else
  command -v nvidia-smi >/dev/null 2>&1 || echo "nvidia-smi not found" >"$OUT/device.txt"
  say "no NVIDIA GPU here ($(tr '\n' ' ' <"$OUT/device.txt" | cut -c1-200)): running the CPU parts; GPU parts unavailable"
fi

if [[ ! -f "$staged" ]]; then
  say "staging missing: run ssrl-gpu/device-prep.sh on the build machine and carry ssrl-gpu/target/device"
  exit 2
fi
rm -rf "$dev" && mkdir -p "$dev"
if ! tar -C "$dev" -xJf "$staged" 2>/dev/null; then
  python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$staged" "$dev" \
    || { say "cannot unpack $staged (tar -J and python3 failed)"; exit 2; }
fi
if [[ -n "${DEVICE_JAVA:-}" ]]; then
  JAVA=$DEVICE_JAVA
elif [[ -x "$dev/jre/bin/java" ]]; then
  JAVA=$abs/jre/bin/java
elif command -v java >/dev/null 2>&1 && java -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])'; then
  JAVA=java
else
  say "no staged runtime and no Java 17+ here: run device-prep.sh without NO_JRE=1"
  exit 2
fi
say "java: $("$JAVA" -version 2>&1 | head -1)"
CP="$abs/test-classes:$abs/lib/ssrl.jar:$abs/lib/*"

# 2. Build: the kernels compile here and the shipped PTX is current and assembles for this GPU.
(
  if command -v nvcc >/dev/null 2>&1 && [[ $gpu == 1 ]]; then
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
    echo "build: unavailable (needs nvcc and a GPU; PtxFreshnessTest checks the PTX on the build machine)"
  fi
) >"$OUT/build.log" 2>&1 || status=1
say "$(tail -1 "$OUT/build.log")"

# 3. Tests, from the module directory as surefire runs them (the tests read src/, write target/).
(cd ssrl-gpu && timeout 240 "$JAVA" -Xmx8g -Djava.awt.headless=true -Dssrl.shared="$abs/shared" \
  -cp "$CP" dev.ssrl.gpu.DeviceTestMain) >"$OUT/tests.log" 2>&1 || status=1
grep -E 'tests (successful|failed|skipped|aborted|found)' "$OUT/tests.log" | tee -a "$OUT/summary.txt"
if [[ $gpu == 1 ]]; then
  # Skips saying a GPU is missing would mean the device tests did not run (tests that need no GPU
  # skip with "this machine has a usable GPU", which is expected here).
  gpu_skips=$(grep -E '^(SKIPPED|ABORTED)' "$OUT/tests.log" \
    | grep -E 'CUDA|NVIDIA|compute capability|ssrl.gpu.disable|no usable GPU' | grep -v 'has a usable GPU')
  if [[ -n "$gpu_skips" ]]; then
    say "FAIL: GPU tests were skipped although a GPU is present:"
    echo "$gpu_skips" | head -5 | tee -a "$OUT/summary.txt"
    status=1
  fi
else
  say "tests: GPU tests skip here (no GPU); the counts above are the CPU parts"
fi

# 4. Stage times.
{
  echo "## dev.ssrl.gpu.ScoreStageTimes"
  timeout 120 "$JAVA" -Xmx12g -cp "$CP" dev.ssrl.gpu.ScoreStageTimes || echo "ScoreStageTimes FAILED ($?)"
  echo "## dev.ssrl.gpu.bench.WindowStageTimes"
  if [[ -f "$dev/test-classes/dev/ssrl/gpu/bench/WindowStageTimes.class" ]]; then
    # 64 maps of 1600x1064, 3 rounds (its CPU one-thread figure runs in a child JVM).
    timeout 200 "$JAVA" -Xmx24g -Dssrl.shared="$abs/shared" -cp "$CP" dev.ssrl.gpu.bench.WindowStageTimes \
      64 3 || echo "WindowStageTimes FAILED ($?)"
  else
    echo "skipped: dev.ssrl.gpu.bench.WindowStageTimes is not in this build"
  fi
} >"$OUT/stages.txt" 2>&1
grep -q FAILED "$OUT/stages.txt" && status=1
head -80 "$OUT/stages.txt" | tee -a "$OUT/summary.txt"

# 5. Whole process: ./ssrl generate with and without --gpu on the staged RGB-D scenes.
# The repository's own launcher, beside a layout it expects (ssrl-cli/target/ssrl.jar), outside the
# checkout so that a dry run on a build machine leaves its own ssrl.jar alone.
mkdir -p "$dev/cli/ssrl-cli/target"
cp ssrl "$dev/cli/ssrl"
ln -sf "$abs/lib/ssrl.jar" "$dev/cli/ssrl-cli/target/ssrl.jar"
per=${GEN_PER_SCENE:-8}
gen() { # name, extra args...
  local name=$1 t0 t1 rc
  shift
  rm -rf "/tmp/gen-$name"
  t0=$(date +%s.%N)
  if [[ -x /usr/bin/time ]]; then
    JAVA=$JAVA /usr/bin/time -f "$name: %e s wall, %U s user, %S s sys, %M KB peak RSS" \
      "$dev/cli/ssrl" generate --out "/tmp/gen-$name" --tasks depth,position --per-scene "$per" --seed 1 "$@" \
      "$dev/shared/data/rgbd" >>"$OUT/generate.txt" 2>&1
  else
    JAVA=$JAVA "$dev/cli/ssrl" generate --out "/tmp/gen-$name" --tasks depth,position --per-scene "$per" --seed 1 "$@" \
      "$dev/shared/data/rgbd" >>"$OUT/generate.txt" 2>&1
  fi
  rc=$?
  t1=$(date +%s.%N)
  echo "$name: exit $rc, $(echo "$t1 - $t0" | bc 2>/dev/null || python3 -c "print($t1 - $t0)") s wall" >>"$OUT/generate.txt"
  return $rc
}
{
  echo "## ./ssrl generate --tasks depth,position --per-scene $per --seed 1 <3 RGB-D scenes> [--gpu]"
  echo "## $(nproc) cores"
} >"$OUT/generate.txt"
gen cpu || status=1
if gen gpu --gpu; then
  if diff -r -x manifest.json -x .ssrl-progress /tmp/gen-cpu /tmp/gen-gpu >/dev/null; then
    echo "datasets: identical with and without --gpu (manifest run facts aside)" >>"$OUT/generate.txt"
  else
    echo "datasets: DIFFER with and without --gpu" >>"$OUT/generate.txt"
    status=1
  fi
elif [[ $gpu == 1 ]]; then
  status=1
else
  echo "gpu: unavailable here (--gpu refused, as it must be without a GPU)" >>"$OUT/generate.txt"
fi
for n in cpu gpu; do
  [[ -f /tmp/gen-$n/manifest.json ]] && echo "$n: $(grep -o '"windowStatsEngine" : "[^"]*"' /tmp/gen-$n/manifest.json)" >>"$OUT/generate.txt"
done
grep -E '^(##|cpu|gpu|datasets)|window statistics on|--gpu cannot' "$OUT/generate.txt" | tee -a "$OUT/summary.txt"

# 6. Benchmarks (JMH reports responses/s and maps/s: each invocation counts its batch).
if [[ $gpu == 1 && ( "${RUN_JMH:-}" == 1 || -n "${JMH_ARGS:-}" ) ]]; then
  # The device runs nothing else: JMH's machine-wide lock (/tmp/jmh.lock) is not needed there.
  # shellcheck disable=SC2086
  timeout 300 "$JAVA" -Djmh.ignoreLock=true -cp "$CP" org.openjdk.jmh.Main \
    ${JMH_ARGS:--wi 1 -w 2 -i 3 -r 2 dev.ssrl.gpu.bench.GpuBench} \
    -jvmArgsPrepend "-Dssrl.shared=$abs/shared" -rf json -rff "$OUT/jmh.json" >"$OUT/jmh.txt" 2>&1 || status=1
  grep -E '^GpuBench\.|^Benchmark ' "$OUT/jmh.txt" | tee -a "$OUT/summary.txt"
else
  say "jmh: skipped ($([[ $gpu == 1 ]] && echo "opt-in with RUN_JMH=1 or JMH_ARGS: about 3 minutes; issue 28's GpuBench figures stand for the unchanged scorer" || echo "no GPU: GpuBench measures GPU against CPU"))"
fi
say "exit status $status"
exit $status
