#!/usr/bin/env bash
# Two builds of `ssrl serve` side by side under the same load (issue 26; docs/BENCHMARKS.md,
# "The old transport against Jetty 12"): RewardServerLoad runs interleaved, old, new, old, new, ...
# (PAIRS pairs), each a fresh server process with ROUNDS rounds of CLIENTS keep-alive clients x
# REQUESTS one-item POST /v1/score, every round without and then with SLOW slowloris sockets; the
# load average is recorded before every run. Then START extra interleaved start-ups per build.
# Prints Markdown: one row per run (the last round of each kind, JIT warm), the medians per build,
# start-up times and the jar sizes. About 2–3 minutes with the defaults on a 2-core machine.
#
#   ssrl-bench/run-server-compare.sh OLD_JAR OLD_JSA NEW_JAR NEW_JSA
#   PAIRS=5 ROUNDS=3 ssrl-bench/run-server-compare.sh old/ssrl.jar old/ssrl.jsa \
#       ssrl-cli/target/ssrl.jar ssrl-cli/target/ssrl.jsa
#
# A JSA argument may be "-" (no class-data sharing archive). Run each jar in place: an archive is
# only used with the jar path it was made with. To get an old build:
#   git worktree add /tmp/old <commit> && (cd /tmp/old && ./mvnw -B -q -o -pl ssrl-cli -am package -DskipTests)
# Needs ssrl-bench/target/benchmarks.jar (built here if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -lt 4 ]]; then
  sed -n '2,17p' "$0" >&2
  exit 2
fi
OLD_JAR=$1 OLD_JSA=$2 NEW_JAR=$3 NEW_JSA=$4
PAIRS=${PAIRS:-3} ROUNDS=${ROUNDS:-3} CLIENTS=${CLIENTS:-200} REQUESTS=${REQUESTS:-50}
SLOW=${SLOW:-50} START=${START:-4}
for f in "$OLD_JAR" "$NEW_JAR"; do
  [[ -f $f ]] || { echo "no such jar: $f" >&2; exit 2; }
done
if [[ ! -f ssrl-bench/target/benchmarks.jar ]]; then
  echo "building ssrl-bench/target/benchmarks.jar ..." >&2
  ./mvnw -B -q -o -pl ssrl-bench -am package -DskipTests
fi
JAVA=${JAVA:-java}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

load() { cut -d' ' -f1-3 /proc/loadavg; }

# run SIDE JAR JSA ROUNDS -> output file
run() {
  local side=$1 jar=$2 jsa=$3 rounds=$4 out=$5
  local args=(--jar "$jar" --rounds "$rounds" --clients "$CLIENTS" --requests "$REQUESTS"
    --slowloris "$SLOW")
  [[ $jsa != - ]] && args+=(--jsa "$jsa")
  "$JAVA" -cp ssrl-bench/target/benchmarks.jar dev.ssrl.bench.cli.RewardServerLoad "${args[@]}" \
    > "$out" 2>&1 || { echo "RewardServerLoad failed ($side):" >&2; tail -5 "$out" >&2; exit 1; }
}

rows=$work/rows.tsv
: > "$rows"
for p in $(seq "$PAIRS"); do
  for side in old new; do
    if [[ $side == old ]]; then jar=$OLD_JAR jsa=$OLD_JSA; else jar=$NEW_JAR jsa=$NEW_JSA; fi
    before=$(load)
    echo "pair $p, $side (load average $before) ..." >&2
    run "$side" "$jar" "$jsa" "$ROUNDS" "$work/$side.$p.txt"
    startup=$(sed -nE 's/.*start-up to first \/health 200: ([0-9]+) ms.*/\1/p' "$work/$side.$p.txt")
    peak=$(sed -nE 's/^peak RSS \(VmHWM\): ([0-9]+) MB.*/\1/p' "$work/$side.$p.txt")
    # ROUND slow answers/s p50 p99 200s 503s other broken cpu-us/answer rss p50-of-200s p99-of-200s
    plain=$(awk -F'\t' '$1 == "ROUND" && $2 == 0' "$work/$side.$p.txt" | tail -1 | cut -f3-)
    attacked=$(awk -F'\t' -v s="$SLOW" '$1 == "ROUND" && $2 == s && s > 0' "$work/$side.$p.txt" \
      | tail -1 | cut -f3-)
    [[ -n $attacked ]] || attacked=$(printf -- '-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$side" "$p" "$before" "$startup" "$peak" "$plain" \
      "$attacked" >> "$rows"
  done
done

starts=$work/starts.tsv
: > "$starts"
for i in $(seq "$START"); do
  for side in old new; do
    if [[ $side == old ]]; then jar=$OLD_JAR jsa=$OLD_JSA; else jar=$NEW_JAR jsa=$NEW_JSA; fi
    before=$(load)
    run "$side" "$jar" "$jsa" 0 "$work/start.txt"
    ms=$(sed -nE 's/.*start-up to first \/health 200: ([0-9]+) ms, RSS ([0-9]+) MB.*/\1\t\2/p' \
      "$work/start.txt")
    printf '%s\t%s\t%s\n' "$side" "$before" "$ms" >> "$starts"
  done
done

echo
echo "## ssrl serve, old against new ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores)"
echo
echo "old: \`$OLD_JAR\` ($(stat -c %s "$OLD_JAR") bytes); new: \`$NEW_JAR\` ($(stat -c %s "$NEW_JAR") bytes)."
echo "$PAIRS interleaved pairs; each run a fresh server, $ROUNDS rounds of $CLIENTS clients x"
echo "$REQUESTS requests (the last round of each kind shown, JIT warm), + $SLOW slowloris sockets"
echo "in the second kind. answers/s counts every answer (503s included); CPU is the server's"
echo "user+system time per answer; p99 200s is the p99 latency of the scored answers alone (a 503"
echo "is answered without queueing, so a server that turns fewer away has a longer tail over all)."
echo
echo "| pair | server | load avg before | answers/s | p50 ms | p99 ms | p99 200s | 503s | CPU us/answer | answers/s +slowloris | p50 | p99 | p99 200s | 503s | CPU | other statuses / broken | peak RSS MB |"
echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
# columns: side pair load startup peak | a p50 p99 ok busy other broken cpu rss p50ok p99ok |
# the same, attacked (from $17)
awk -F'\t' '{
  printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d / %d | %s |\n",
    $2, $1, $3, $6, $7, $8, $16, $10, $13, $17, $18, $19, $27, $21, $24, $11 + $22, $12 + $23, $5
}' "$rows"
echo
echo "Medians per server:"
echo
# rewards/s: the answers that carried a reward (200s) per second, answers/s x 200s / all answers:
# a 503 is a refusal the trainer must send again, so this is the rate at which work gets done.
echo "| server | answers/s | rewards/s (200s) | p50 ms | p99 ms | p99 200s | 503s | CPU us/answer | answers/s +slowloris | rewards/s +slowloris | p99 +slowloris | p99 200s +slowloris | 503s +slowloris | CPU +slowloris |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for side in old new; do
  med() { awk -F'\t' -v s="$side" -v c="$1" '$1 == s {print $c}' "$rows" | sort -g \
    | awk '{v[NR]=$1} END {if (NR == 0) print "-"; else if (NR % 2) print v[(NR+1)/2];
      else print (v[NR/2] + v[NR/2+1]) / 2}'; }
  rate() { awk -F'\t' -v s="$side" -v a="$1" -v o="$2" '$1 == s && $(o) != "-" {
      t = $(o) + $(o + 1) + $(o + 2); if (t > 0) printf "%.0f\n", $(a) * $(o) / t}' "$rows" \
    | sort -g | awk '{v[NR]=$1} END {if (NR == 0) print "-"; else if (NR % 2) print v[(NR+1)/2];
      else print (v[NR/2] + v[NR/2+1]) / 2}'; }
  echo "| $side | $(med 6) | $(rate 6 9) | $(med 7) | $(med 8) | $(med 16) | $(med 10) | $(med 13) | $(med 17) | $(rate 17 20) | $(med 19) | $(med 27) | $(med 21) | $(med 24) |"
done
echo
echo "Start-up of \`ssrl serve\` (process start to the first GET /health 200), interleaved, ms:"
echo
echo "| server | runs (load average before) | median | RSS after start MB |"
echo "|---|---|---:|---:|"
for side in old new; do
  runs=$(awk -F'\t' -v s="$side" '$1 == s {printf "%s%s (%s)", (n++ ? ", " : ""), $3, $2}' "$starts")
  median=$(awk -F'\t' -v s="$side" '$1 == s {print $3}' "$starts" | sort -n \
    | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}')
  rss=$(awk -F'\t' -v s="$side" '$1 == s {print $4}' "$starts" | sort -n | sed -n '1p;$p' \
    | paste -sd- -)
  echo "| $side | $runs | $median | $rss |"
done
