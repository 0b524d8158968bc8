#!/usr/bin/env bash
# Thread scaling of `ssrl generate`, whole processes (issue 27; docs/BENCHMARKS.md, "Thread
# scaling"): T = 1, 2, 4, ... up to the core count, wall, CPU per sample, peak RSS, speedup and
# efficiency, every dataset compared byte for byte. Builds the CLI jar if it is missing.
#
#   ssrl-bench/run-scaling.sh                      # T up to the core count, 640 work items
#   ssrl-bench/run-scaling.sh 16                   # T up to 16 whatever the core count
#   RUNS=3 ssrl-bench/run-scaling.sh 8 --base-launcher /tmp/old    # before/after, interleaved
#   ssrl-bench/run-scaling.sh 4 -- --per-scene 10 ../shared/data/rgb ../shared/data/rgbd
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f ssrl-cli/target/ssrl.jar ]]; then
  echo "building ssrl-cli/target/ssrl.jar ..." >&2
  ./mvnw -B -q package -DskipTests -pl ssrl-cli -am
fi
max=()
if [[ $# -gt 0 && "$1" =~ ^[0-9]+$ ]]; then
  max=(--max-threads "$1")
  shift
fi
exec python3 ssrl-bench/whole-process/scaling.py --repo . --runs "${RUNS:-1}" "${max[@]}" "$@"
