#!/usr/bin/env bash
# Regenerates the PTX shipped in the jar from src/main/cuda, plus a .sha256 beside each PTX
# holding the SHA-256 of the sources it was built from (the .cu, then its headers, bytes
# concatenated in the order listed in the file). The tests recompute that hash and fail when
# the shipped PTX is stale.
#
# compute_75 (Turing) is the lowest virtual architecture CUDA 13 accepts; the driver JIT-compiles
# the PTX for any newer GPU. CUDA 13.0 writes PTX ISA 9.0, which needs an NVIDIA driver >= 580.
# -fmad=false keeps a*b+c as two rounded operations, as Java computes it, so results can be
# compared bit for bit with CPU code.
set -euo pipefail
cd "$(dirname "$0")"
src=src/main/cuda
out=src/main/resources/dev/ssrl/gpu
NVCC=${NVCC:-nvcc}
FLAGS=(-ptx -arch=compute_75 -fmad=false)
mkdir -p "$out"

build() {
  local name=$1
  shift
  "$NVCC" "${FLAGS[@]}" -o "$out/$name.ptx" "$src/$name.cu"
  local hash
  hash=$(cd "$src" && cat "$name.cu" "$@" | sha256sum | cut -d' ' -f1)
  echo "$hash  $name.cu $*" > "$out/$name.ptx.sha256"
  echo "$out/$name.ptx  ($hash)"
}

build reward reward_core.cuh
build window_stats window_stats_core.cuh
build window_candidates window_candidates_core.cuh
