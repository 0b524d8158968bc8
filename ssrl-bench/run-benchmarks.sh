#!/usr/bin/env bash
# Runs the JMH benchmarks recorded in docs/BENCHMARKS.md, one after the other, from the
# repository root (the benchmarks read ../shared/data and ssrl-cli/target/ssrl.jar relative to it).
# Results go to ${1:-bench-results}/: one JMH text log and one JSON file per group, plus the
# machine's load before and after each group (benchmarks on a busy machine are not comparable).
#
#   ./mvnw -B -q package -DskipTests && ssrl-bench/run-benchmarks.sh /tmp/bench
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-bench-results}"
mkdir -p "$out"
jar=ssrl-bench/target/benchmarks.jar
[[ -f "$jar" ]] || { echo "missing $jar: run ./mvnw -B -q package -DskipTests" >&2; exit 1; }

run() { # name, JMH arguments...
  local name="$1"; shift
  echo "$name start $(date -u +%T) $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/load.txt"
  java -jar "$jar" "$@" -rf json -rff "$out/$name.json" > "$out/$name.txt" 2>&1
  echo "$name end   $(date -u +%T) $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/load.txt"
}

# Latency of one sample, default JVM settings (a sample may use the idle core: ssrl.parallel on).
run tasks-t1 'dev.ssrl.bench.tasks.TaskBenchmark' -t 1
# Scaling with worker threads: each sample on one core (ssrl.parallel=false) and the young
# generation ./ssrl uses (-Xmn256m), 1 and 2 threads, with a longer warm-up (with three 2 s
# warm-up iterations the first measured one was often still compiling); and 2 threads with the
# default settings.
run tasks-seq-t1 'dev.ssrl.bench.tasks.TaskBenchmark.(endToEnd|generateAndEncode)' -t 1 -wi 6 -i 6 -jvmArgsAppend "-Dssrl.parallel=false -Xmn256m"
run tasks-seq-t2 'dev.ssrl.bench.tasks.TaskBenchmark.(endToEnd|generateAndEncode)' -t 2 -wi 6 -i 6 -jvmArgsAppend "-Dssrl.parallel=false -Xmn256m"
run tasks-t2 'dev.ssrl.bench.tasks.TaskBenchmark.endToEnd' -t 2
run windows 'dev.ssrl.bench.tasks.WindowStatsBenchmark' -t 1 -wi 10 -jvmArgsAppend -Dssrl.parallel=false
# Library (BoofCV, ImgLib2, Commons Math) against our code for each image operation, side by
# side in one invocation; then BoofCV's single-threaded path for the operations it splits.
run libs 'dev.ssrl.bench.tasks.LibraryVsOwnBenchmark' -f 1 -wi 3 -w 500ms -i 5 -r 500ms
run libs-seq 'dev.ssrl.bench.tasks.LibraryVsOwnBenchmark.(rotateCW|meanAbsDiff|flipVertical)_(ours|boofcv)$' -p boofConcurrent=true,false -f 1 -wi 2 -i 5
run verify 'dev.ssrl.bench.verify.(ReferenceCasesBenchmark|RewardBenchmark.reference|AdversarialBenchmark)' -t 1 -f 1 -wi 2 -w 2s -i 3 -r 2s
run generate 'dev.ssrl.bench.cli.GenerateBenchmark'
run server 'dev.ssrl.bench.cli.RewardServerBenchmark' -t 2 -wi 10 -w 2s -i 5 -r 2s
echo "results in $out"
