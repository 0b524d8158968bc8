#!/usr/bin/env python3
"""Thread scaling of `ssrl generate`, whole processes (issue 27).

Runs `./ssrl generate ... --threads T` as a fresh process for T = 1, 2, 4, ... up to the core
count (or --max-threads), RUNS times each, interleaved (all T once, then all T again), and
prints per T the median wall time, CPU time (user + sys of the process, from wait4's rusage)
per sample, peak RSS, speedup and efficiency against T = 1, with the 1-minute load average
taken before each run. Every dataset is compared with the first one byte for byte: SHA-256
over every file but the progress journal and the lock (run facts), with manifest.json's "run"
object (start/finish time, thread count) left out. A difference fails the script.

With --base-launcher DIR (an earlier checkout, or a copy of its `ssrl` launcher and
ssrl-cli/target/ssrl.jar + ssrl.jsa in the same layout) every T is also run with the earlier
build, interleaved with the new one, and its datasets must match too.

    scaling.py --repo REPO [--max-threads N] [--runs R] [--base-launcher DIR] [--work DIR]
               [--extra-opts '-Dssrl.parallel=false'] [-- GENERATE ARGS]

The generate arguments default to `--builtin-scenes 32 --per-scene 4` (640 work items).
"""
import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

DEFAULT_ARGS = ["--builtin-scenes", "32", "--per-scene", "4"]
RUN_FACTS = {".ssrl-progress", ".ssrl-lock"}


def timed(cmd, env):
    """Runs cmd once; returns (wall s, cpu s, peak RSS MB). Fails loudly on a non-zero exit."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    err = p.stderr.read().decode("utf-8", "replace")
    p.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit("failed (exit %d): %s\n%s" % (code, " ".join(cmd), err[-2000:]))
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0


def load():
    return float(open("/proc/loadavg").read().split()[0])


def digest(out):
    """SHA-256 of the dataset without run facts; and the number of samples in it."""
    h = hashlib.sha256()
    samples = 0
    for root, dirs, files in os.walk(out):
        dirs.sort()
        for name in sorted(files):
            rel = os.path.relpath(os.path.join(root, name), out)
            if rel in RUN_FACTS:
                continue
            with open(os.path.join(root, name), "rb") as f:
                data = f.read()
            if rel == "manifest.json":
                m = json.loads(data)
                m.pop("run", None)
                data = json.dumps(m, sort_keys=True).encode()
            if rel in ("train.jsonl", "val.jsonl"):
                samples += data.count(b"\n")
            h.update(rel.encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest(), samples


def machine():
    """Cores as lscpu counts them: hardware threads per core matter (two busy siblings share one
    core's units, so CPU time per sample grows past the physical cores without any waste in ssrl)."""
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "lscpu unavailable"
    keep = ("Model name", "Thread(s) per core", "Core(s) per socket", "Socket(s)")
    return "; ".join(l.split(":", 1)[0] + ": " + l.split(":", 1)[1].strip()
                     for l in out.splitlines() if l.split(":", 1)[0] in keep)


def thread_counts(limit):
    ts, t = [], 1
    while t < limit:
        ts.append(t)
        t *= 2
    ts.append(limit)
    return ts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    ap.add_argument("--max-threads", type=int, default=os.cpu_count())
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--base-launcher")
    ap.add_argument("--work", default="/tmp/ssrl-scaling")
    ap.add_argument("--extra-opts", default="", help="SSRL_JAVA_EXTRA_OPTS for every run")
    ap.add_argument("gen", nargs="*", help="generate arguments (after --)")
    a = ap.parse_args()
    gen = a.gen or DEFAULT_ARGS
    if a.max_threads < 1:
        sys.exit("--max-threads must be >= 1")
    builds = [("new", os.path.abspath(a.repo))]
    if a.base_launcher:
        builds.insert(0, ("base", os.path.abspath(a.base_launcher)))
    for _, d in builds:
        if not os.path.isfile(os.path.join(d, "ssrl-cli/target/ssrl.jar")):
            sys.exit("no ssrl-cli/target/ssrl.jar under %s: build it first" % d)
    env = dict(os.environ)
    env.pop("SSRL_JAVA_OPTS", None)
    if a.extra_opts:
        env["SSRL_JAVA_EXTRA_OPTS"] = a.extra_opts
    else:
        env.pop("SSRL_JAVA_EXTRA_OPTS", None)
    os.makedirs(a.work, exist_ok=True)
    ts = thread_counts(a.max_threads)
    print("# ssrl generate %s; cores %d; T = %s; runs %d; extra JVM options %r"
          % (" ".join(gen), os.cpu_count(), ts, a.runs, a.extra_opts or ""))
    print("# " + machine(), flush=True)
    rows = {}
    reference = None
    for r in range(a.runs):
        order = [(b, t) for t in ts for b in builds]
        if r % 2:
            order.reverse()
        for (label, d), t in order:
            out = os.path.join(a.work, "%s-t%d" % (label, t))
            shutil.rmtree(out, ignore_errors=True)
            la = load()
            cmd = [os.path.join(d, "ssrl"), "generate", *gen, "--threads", str(t), "--out", out]
            wall, cpu, rss = timed(cmd, env)
            dg, samples = digest(out)
            if reference is None:
                reference = (dg, label, t)
            elif dg != reference[0]:
                sys.exit("dataset of %s T=%d differs from %s T=%d" % (label, t, *reference[1:]))
            shutil.rmtree(out, ignore_errors=True)
            rows.setdefault((label, t), []).append((wall, cpu, rss, la, samples))
            print("  %s T=%-3d wall %6.2f s  cpu %6.2f s  rss %5.0f MB  load %.1f"
                  % (label, t, wall, cpu, rss, la), flush=True)
    print()
    print("| build | T | wall s | CPU s | CPU ms/sample | CPU vs T=1 | peak RSS MB | speedup"
          " | efficiency | load avg |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for label, _ in builds:
        base = None
        for t in ts:
            rs = rows[(label, t)]
            wall = statistics.median(x[0] for x in rs)
            cpu = statistics.median(x[1] for x in rs)
            rss = statistics.median(x[2] for x in rs)
            samples = rs[0][4]
            if base is None:
                base = (wall, cpu)
            speed = base[0] / wall
            print("| %s | %d | %.2f | %.2f | %.1f | %.2f | %.0f | %.2f | %.0f %% | %s |"
                  % (label, t, wall, cpu, 1000 * cpu / max(1, samples), cpu / base[1], rss,
                     speed, 100 * speed / t,
                     "–".join("%.1f" % x for x in sorted({min(y[3] for y in rs),
                                                          max(y[3] for y in rs)}))))
    print("\nAll %d datasets identical (SHA-256 %s..., %d samples)."
          % (sum(len(v) for v in rows.values()), reference[0][:16], rows[(builds[0][0], 1)][0][4]))


if __name__ == "__main__":
    main()
