#!/usr/bin/env bash
# Whole-process timings of `ssrl score` and `ssrl generate` against the reference (issue 17;
# docs/BENCHMARKS.md, "Whole processes"). Builds the CLI jar if it is missing, then runs
# ssrl-bench/whole-process/whole_process.py: the reference Python score loop and every ssrl
# figure RUNS times (default 5), medians and spread, printed as ratios. About 5 minutes with
# 5 runs on a 2-core machine (twice that with --base). Needs python3 and ../shared/data.
#
#   ssrl-bench/run-whole-process.sh                    # after only
#   ssrl-bench/run-whole-process.sh --base-launcher /tmp/old   # before/after through the old
#                                                      # checkout's own ./ssrl, outputs compared
#   ssrl-bench/run-whole-process.sh --base old.jar     # same, old jar as java -Xmn256m -jar
#   RUNS=3 ssrl-bench/run-whole-process.sh
#
# To get a "before" build: git worktree add /tmp/old <commit> && (cd /tmp/old &&
# ./mvnw -B -q package -DskipTests -pl ssrl-cli -am), then --base-launcher /tmp/old.
# Runs of a figure are interleaved and each records the load average (shared machines).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f ssrl-cli/target/ssrl.jar ]]; then
  echo "building ssrl-cli/target/ssrl.jar ..." >&2
  ./mvnw -B -q package -DskipTests -pl ssrl-cli -am
fi
exec python3 ssrl-bench/whole-process/whole_process.py --repo . --runs "${RUNS:-5}" "$@"
