#!/usr/bin/env bash
# Spark standalone cluster check (docs/spark.md, "A standalone cluster on one machine").
#
# Starts a Spark standalone master and workers as separate JVMs from the Spark jars the build
# resolved (a SPARK_HOME assembled under target/, nothing downloaded), submits SparkGenerateMain with
# the shaded ssrl-spark.jar as a cluster user does (spark://127.0.0.1:PORT, client deploy mode: the
# driver serves the application jar and every executor fetches it), and compares each dataset with
# `ssrl generate` on the same scenes and seed (dev.ssrl.spark.ClusterCompare: train/val lines, image
# bytes, rejections, manifest counts, the TRL and EasyR1 layouts).
#
# Usage: ssrl-spark/scripts/cluster-check.sh [quick|full|throughput]
#   quick       one same-bytes run on 2 workers, one SIGKILLed executor, one speculation run (CI)
#   full        quick on more scenes, and the shared RGB-D scenes when ../shared/data exists
#   throughput  scenes/s with 1 and 2 workers and the CLI on as many threads (prints a table)
# Needs ssrl-cli/target/ssrl.jar, ssrl-spark/target/ssrl-spark.jar
# and ssrl-spark/target/test-classes), which the script builds first unless SSRL_SPARK_CLASSPATH
# (ssrl-spark's resolved test class path) is set. Environment: SSRL_MVN_FLAGS (e.g. -o),
# SSRL_EXECUTOR_MEMORY (default 768m), SSRL_CLUSTER_DIR (default ssrl-spark/target/cluster).
set -euo pipefail
mode="${1:-quick}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$here"
work="${SSRL_CLUSTER_DIR:-$here/ssrl-spark/target/cluster}"
app_jar="$here/ssrl-spark/target/ssrl-spark.jar"
cli_jar="$here/ssrl-cli/target/ssrl.jar"
exec_mem="${SSRL_EXECUTOR_MEMORY:-768m}"
rm -rf "$work"
mkdir -p "$work/logs"
# The build: the two jars, the test classes (the comparison) and the resolved class path, whose
# Spark part becomes the cluster's SPARK_HOME. Skipped when the caller built and passes the class
# path (the test StandaloneClusterIT, which runs after the package phase).
if [[ -z "${SSRL_SPARK_CLASSPATH:-}" ]]; then
  # shellcheck disable=SC2086
  ./mvnw -B -q ${SSRL_MVN_FLAGS:-} -pl ssrl-cli,ssrl-spark -am package dependency:build-classpath \
    -DskipTests -Dmdep.includeScope=test -Dmdep.outputFile=target/classpath.txt \
    >"$work/logs/build.log" 2>&1 || { tail -40 "$work/logs/build.log" >&2; exit 2; }
  SSRL_SPARK_CLASSPATH="$(cat "$here/ssrl-spark/target/classpath.txt")"
fi
for f in "$app_jar" "$cli_jar" "$here/ssrl-spark/target/test-classes"; do
  [[ -e "$f" ]] || { echo "cluster-check: $f is not built; run ./mvnw -B package -DskipTests" >&2; exit 2; }
done
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# --- A SPARK_HOME from the resolved artifacts: jars/ holds Spark, Hadoop, Scala, Jackson and the
# rest of spark-sql's tree, but none of our classes and none of the libraries shaded into the
# application jar, so the executors can only get those from the shipped ssrl-spark.jar.
spark_home="$work/spark-home"
mkdir -p "$spark_home/jars"
IFS=: read -r -a entries <<<"$SSRL_SPARK_CLASSPATH"
for e in "${entries[@]}"; do
  case "$e" in
    */dev/ssrl/* | */info/picocli/* | */net/imglib2/* | */org/boofcv/* | */org/georegression/* | \
      */org/ddogleg/* | */org/ejml/* | */net/sf/trove4j/* | */io/jhdf/* | */org/junit/* | \
      */org/quicktheories/* | */org/opentest4j/* | */org/apiguardian/* | */target/* ) ;;
    *.jar) ln -sf "$e" "$spark_home/jars/" ;;
  esac
done
[[ -n "$(ls "$spark_home/jars" | grep '^spark-core_2.13')" ]] || { echo "cluster-check: no spark-core jar in the class path" >&2; exit 2; }
spark_cp="$spark_home/jars/*"
# What bin/spark-class adds for Java 17 (org.apache.spark.launcher.JavaModuleOptions).
jmo=(-XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false
  -Dio.netty.tryReflectionSetAccessible=true)
export SPARK_HOME="$spark_home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 \
  SPARK_LOCAL_HOSTNAME=127.0.0.1 SPARK_LOG_DIR="$work/logs"

free_port() {
  "$java" -cp "$here/ssrl-spark/target/test-classes" dev.ssrl.spark.FreePort
}

# --- Processes: every one this script starts is recorded and stopped on exit, by its id.
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do
    kill "$p" 2>/dev/null || true
  done
  sleep 1
  for p in "${pids[@]}"; do
    kill -9 "$p" 2>/dev/null || true
  done
}
trap cleanup EXIT INT TERM

master_port=""
workers=()
start_master() {
  master_port="$(free_port)"
  "$java" -Xmx256m -cp "$spark_cp" "${jmo[@]}" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$master_port" --webui-port "$(free_port)" \
    >"$work/logs/master.log" 2>&1 &
  pids+=($!)
  wait_for "$work/logs/master.log" "I have been elected leader" 60
}

# start_worker NAME HOST: one core and enough memory for one executor of $exec_mem. Each worker
# gets its own loopback address (127.0.0.1, 127.0.0.2: Linux routes all of 127/8 to lo), so that
# its executors are on another "host": Spark never runs a speculative copy on the host of the
# attempt it doubles, so with one host name speculation could not happen at all.
start_worker() {
  local name="$1" host="$2"
  mkdir -p "$work/$name"
  SPARK_LOCAL_IP="$host" SPARK_LOCAL_HOSTNAME="$host" \
    "$java" -Xmx256m -cp "$spark_cp" "${jmo[@]}" org.apache.spark.deploy.worker.Worker \
    --host "$host" --port "$(free_port)" --webui-port "$(free_port)" --cores 1 --memory 2g \
    --work-dir "$work/$name" "spark://127.0.0.1:$master_port" >"$work/logs/$name.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  workers+=("$pid")
  wait_for "$work/logs/$name.log" "Successfully registered with master" 60
}

wait_for() {
  local file="$1" text="$2" secs="$3" i
  for ((i = 0; i < secs * 4; i++)); do
    grep -q "$text" "$file" 2>/dev/null && return 0
    sleep 0.25
  done
  echo "cluster-check: '$text' not in $file after ${secs}s" >&2
  tail -30 "$file" >&2
  exit 1
}

# submit NAME OUT CORES [--conf k=v ...] -- JOB ARGS: spark-submit, as bin/spark-submit runs it.
submit() {
  local name="$1" out="$2" cores="$3"
  shift 3
  local confs=()
  while [[ $# -gt 0 && "$1" != "--" ]]; do confs+=("$1"); shift; done
  shift
  "$java" -Xmx768m -cp "$spark_cp" "${jmo[@]}" org.apache.spark.deploy.SparkSubmit \
    --master "spark://127.0.0.1:$master_port" --deploy-mode client \
    --executor-memory "$exec_mem" --executor-cores 1 --total-executor-cores "$cores" \
    --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
    --conf spark.ui.enabled=false \
    "${confs[@]}" \
    --class dev.ssrl.spark.SparkGenerateMain "$app_jar" --out "$out" "$@" \
    >"$work/logs/$name.log" 2>&1
}

cli() {
  local name="$1" threads="$2"
  shift 2
  "$java" -Xmx1g -cp "$cli_jar" dev.ssrl.cli.Main generate --threads "$threads" "$@" \
    >"$work/logs/cli-$name.log" 2>&1
}

compare() {
  "$java" -Xmx1g -cp "$here/ssrl-spark/target/test-classes:$here/ssrl-spark/target/classes:$SSRL_SPARK_CLASSPATH" "${jmo[@]}" \
    dev.ssrl.spark.ClusterCompare "$@" >"$work/logs/compare-$(basename "$2").log" 2>&1 ||
    { cat "$work/logs/compare-$(basename "$2").log" >&2; echo "cluster-check: FAILED: $2 differs from $1" >&2; exit 1; }
  tail -1 "$work/logs/compare-$(basename "$2").log"
}

# A check: the CLI and three cluster runs (plain, a SIGKILLed executor, speculation with a slow
# task) on the same scenes and options; each must equal the CLI's dataset.
check() {
  local label="$1" cli_source="$2" spark_source="$3"
  shift 3
  local opts=(--seed 7 --per-scene 1 --val-fraction 0.25 --layout parquet,trl,easyr1 "$@")
  echo "== $label: ssrl generate"
  cli "$label" 2 --out "$work/$label-cli" "${opts[@]}" $cli_source
  echo "== $label: 2 workers, plain"
  submit "$label-plain" "$work/$label-plain" 2 -- "${opts[@]}" --partitions 8 $spark_source ||
    { tail -40 "$work/logs/$label-plain.log" >&2; exit 1; }
  compare "$work/$label-cli" "$work/$label-plain"

  echo "== $label: 2 workers, one executor SIGKILLed mid-stage"
  # The generation stage's tasks sleep 1.5 s per scene on their first attempt, so the kill lands in
  # the middle of the stage (a stage of 8 tasks on 2 cores) and not after it.
  submit "$label-kill" "$work/$label-kill" 2 --conf spark.ssrl.test.slowFirstAttempts=1500 \
    -- "${opts[@]}" --partitions 8 $spark_source &
  local job=$!
  pids+=("$job")
  local victim="" i
  for ((i = 0; i < 600; i++)); do
    # Images appear once the first tasks have run; the executor to kill is a child of a worker.
    if [[ -n "$(find "$work/$label-kill/images" -name '*.jpg' 2>/dev/null | head -1)" ]]; then
      victim="$(pgrep -P "${workers[0]}" -f CoarseGrainedExecutorBackend | head -1 || true)"
      [[ -n "$victim" ]] && break
    fi
    sleep 0.2
  done
  [[ -n "$victim" ]] || { echo "cluster-check: no executor to kill" >&2; exit 1; }
  local done_images
  done_images="$(find "$work/$label-kill/images" -name '*.jpg' | wc -l)"
  kill -9 "$victim"
  echo "   killed executor pid $victim (SIGKILL) with $done_images images written"
  wait "$job" || { tail -40 "$work/logs/$label-kill.log" >&2; exit 1; }
  grep -q "Lost executor\|Executor lost\|executor lost\|ExecutorLostFailure\|Removed executor\|remove executor" \
    "$work/logs/$label-kill.log" || { echo "cluster-check: the driver saw no lost executor" >&2; exit 1; }
  compare "$work/$label-cli" "$work/$label-kill"

  echo "== $label: 2 workers, spark.speculation=true, one slow task"
  # Two partitions: both hold scenes; the first attempt of partition 0 waits 4 s per scene, so once
  # partition 1 is done (quantile 0.5) partition 0 is a straggler and gets a speculative copy.
  submit "$label-spec" "$work/$label-spec" 2 --conf spark.speculation=true \
    --conf spark.speculation.interval=200ms --conf spark.speculation.quantile=0.5 \
    --conf spark.speculation.multiplier=1.5 --conf spark.speculation.minTaskRuntime=500ms \
    --conf spark.ssrl.test.slowPartition=0:4000 \
    -- "${opts[@]}" --partitions 2 $spark_source || { tail -40 "$work/logs/$label-spec.log" >&2; exit 1; }
  # A speculative copy is a second attempt (N.1) of a task that was marked speculatable; there are
  # no failures in this run, so no retry makes one.
  local marked copies
  marked="$(grep -cE 'Marking task [0-9]+ in stage [0-9.]+ .* as speculatable' "$work/logs/$label-spec.log" || true)"
  copies="$(grep -E 'Starting task [0-9]+\.1 in stage' "$work/logs/$label-spec.log" || true)"
  [[ "$marked" -gt 0 && -n "$copies" ]] ||
    { echo "cluster-check: no speculative attempt was launched" >&2; exit 1; }
  echo "   speculative copies: $(echo "$copies" | sed 's/.*Starting task \([0-9.]*\) in stage \([0-9.]*\).*/task \1 of stage \2/' | paste -sd, -)"
  grep -E 'Killing attempt [0-9]+ for task|another attempt succeeded|Killed: another attempt' \
    "$work/logs/$label-spec.log" | sed 's/^[0-9\/: ]*[A-Z]* //; s/^/   /' | head -2
  compare "$work/$label-cli" "$work/$label-spec"
}

longest_job() {
  grep -o 'finished: .* took [0-9.]* ms' "$1" | sed 's/.* took //; s/ ms//' | sort -n | tail -1 |
    awk '{printf "%.1f", $1 / 1000}'
}

# scenes/s: wall seconds of one job, including JVM and context start.
timed() {
  local t0 t1
  t0=$(date +%s.%N)
  "$@"
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc
}

start_master
start_worker worker-1 127.0.0.1
case "$mode" in
  quick)
    start_worker worker-2 127.0.0.2
    check builtin "--builtin-scenes 8" "synthetic:8"
    ;;
  full)
    start_worker worker-2 127.0.0.2
    check builtin "--builtin-scenes 24" "synthetic:24"
    if [[ -d "$here/../shared/data/rgbd" ]]; then
      check shared "$here/../shared/data/rgb $here/../shared/data/rgbd" \
        "$here/../shared/data/rgb $here/../shared/data/rgbd"
    fi
    ;;
  throughput)
    opts=(--seed 7 --per-scene 1 --layout parquet)
    n="${SSRL_THROUGHPUT_SCENES:-24}"
    shared=()
    [[ -d "$here/../shared/data/rgbd" ]] && shared=("$here/../shared/data/rgb" "$here/../shared/data/rgbd")
    printf '| input | CLI 1 thread: s | Spark 1 worker (1 core): s (generation job) | CLI 2 threads: s | Spark 2 workers (1 core each): s (generation job) | totals |\n'
    for input in builtin shared; do
      if [[ $input == builtin ]]; then cs=(--builtin-scenes $n); ss=(synthetic:$n); else
        [[ ${#shared[@]} -gt 0 ]] || continue; cs=("${shared[@]}"); ss=("${shared[@]}"); fi
      c1=$(timed cli tp-$input-1 1 --out "$work/tp-$input-cli1" "${opts[@]}" "${cs[@]}")
      s1=$(timed submit tp-$input-s1 "$work/tp-$input-s1" 1 -- "${opts[@]}" "${ss[@]}")
      [[ ${#workers[@]} -lt 2 ]] && start_worker worker-2 127.0.0.2
      c2=$(timed cli tp-$input-2 2 --out "$work/tp-$input-cli2" "${opts[@]}" "${cs[@]}")
      s2=$(timed submit tp-$input-s2 "$work/tp-$input-s2" 2 -- "${opts[@]}" "${ss[@]}")
      # The longest Spark job of a run is its generation stage (scenes -> images and staged rows).
      g1=$(longest_job "$work/logs/tp-$input-s1.log")
      g2=$(longest_job "$work/logs/tp-$input-s2.log")
      scenes=$(tr -d ' \n' <"$work/tp-$input-cli2/manifest.json" | grep -o '"totals":{[^}]*}' || true)
      printf '| %s | %s | %s (%s) | %s | %s (%s) | %s |\n' "$input" "$c1" "$s1" "$g1" "$c2" "$s2" "$g2" "$scenes"
      compare "$work/tp-$input-cli2" "$work/tp-$input-s2" >/dev/null
    done
    ;;
  *) echo "usage: $0 [quick|full|throughput]" >&2; exit 2 ;;
esac
echo "cluster-check: PASSED ($mode)"
