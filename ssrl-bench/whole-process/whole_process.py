#!/usr/bin/env python3
"""Whole-process timings of `ssrl score` and `ssrl generate` next to the reference (issue 17).

Every figure is a fresh process timed from outside (JVM start included), run RUNS times; the
table shows the median and the spread (min-max) of wall time, CPU time (user + sys, from
wait4's rusage of the child) and peak RSS, and the ratios against the reference:

  * score: `ssrl score` on 120,000 responses (98 MB, 5 per group, make_score_input.py) against
    reference_score.py (json.loads, the Spatial-SSRL reward, json.dumps) on the same file;
  * start-up: `ssrl --version`, a 5-line score, a 1-sample generate;
  * generate: depth on diode-1, --per-scene 40 --threads 1, ms per sample against the
    reference's 1,494 ms (../shared/reference/README.md);
  * whole runs over ../shared/data, --per-scene 4 (180 samples), --threads 1 and 2.

With --base JAR (an ssrl.jar built from an earlier commit), every ssrl figure is also taken
with that jar, run the same way, for a before/after table. Outputs of both jars are compared
(score output bytes; dataset trees by SHA-256 without manifest.json, whose keys grow with features).

    whole_process.py --repo REPO [--runs 5] [--base OLD.jar] [--work DIR]
"""
import argparse
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time

REF_DEPTH_MS = 1494.0


def timed(cmd, env=None, cwd=None):
    """Runs cmd once; returns (wall s, cpu s, peak RSS MB). Fails loudly on a non-zero exit."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=cwd)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    err = p.stderr.read().decode("utf-8", "replace")
    p.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit("failed (exit %d): %s\n%s" % (code, " ".join(cmd), err[-2000:]))
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0


def measure(name, cmd, runs, before=None, after=None):
    rows = []
    for _ in range(runs):
        if before:
            before()
        rows.append(timed(cmd))
        if after:
            after()
    stats = {}
    for i, k in enumerate(("wall", "cpu", "rss")):
        v = [r[i] for r in rows]
        stats[k] = (statistics.median(v), min(v), max(v))
    print("  %-44s wall %s  cpu %s  rss %4.0f MB" % (
        name, fmt(stats["wall"]), fmt(stats["cpu"]), stats["rss"][0]), flush=True)
    return stats


def fmt(s):
    return "%7.3f s (%.3f-%.3f)" % s


def tree_hash(root):
    h = {}
    for d, _, files in os.walk(root):
        for f in sorted(files):
            p = os.path.join(d, f)
            rel = os.path.relpath(p, root)
            if rel == ".ssrl-progress.jsonl" or rel.startswith(".ssrl"):
                continue
            if rel == "manifest.json":
                # Not compared: its keys grow with features (e.g. the blind-baseline "audit")
                # and its "run" part holds times; the samples, images and rejects are what must
                # stay byte-identical.
                continue
            h[rel] = hashlib.sha256(open(p, "rb").read()).hexdigest()
    return hashlib.sha256(json.dumps(h, sort_keys=True).encode()).hexdigest(), len(h)


def check_count(out, expected):
    with open(os.path.join(out, "train.jsonl"), encoding="utf-8") as f:
        n = sum(1 for _ in f)
    if n != expected:
        sys.exit("%s holds %d samples, expected %d" % (out, n, expected))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--base", help="an earlier ssrl.jar for the before column")
    ap.add_argument("--work", default="/tmp/ssrl-whole-process")
    ap.add_argument("--skip-reference", action="store_true",
                    help="use the reference score time given by --reference-wall/--reference-cpu")
    a = ap.parse_args()
    repo = os.path.abspath(a.repo)
    here = os.path.join(repo, "ssrl-bench", "whole-process")
    data = os.path.abspath(os.path.join(repo, "..", "shared", "data"))
    if not os.path.isdir(data):
        data = "/work/shared/data"
    work = a.work
    os.makedirs(work, exist_ok=True)
    launcher = os.path.join(repo, "ssrl")
    jars = [("after", [launcher])]
    if a.base:
        # The old jar through the same launcher flags (-Xmn256m), without the new launcher.
        jars.insert(0, ("before", ["java", "-Xmn256m", "-jar", os.path.abspath(a.base)]))

    big = os.path.join(work, "score-120k.jsonl")
    if not os.path.exists(big):
        print("writing %s (120,000 responses) ..." % big, flush=True)
        subprocess.check_call([sys.executable, os.path.join(here, "make_score_input.py"), big])
    small = os.path.join(work, "score-5.jsonl")
    with open(big, encoding="utf-8") as f, open(small, "w", encoding="utf-8") as o:
        for _ in range(5):
            o.write(f.readline())
    diode = os.path.join(work, "diode-1")
    os.makedirs(diode, exist_ok=True)
    for f in os.listdir(os.path.join(data, "rgbd")):
        if f.startswith("diode-1"):
            link = os.path.join(diode, f)
            if not os.path.lexists(link):
                os.symlink(os.path.join(data, "rgbd", f), link)

    print("machine: %d CPUs, load %s; %d runs per figure, median (min-max)" % (
        os.cpu_count(), open("/proc/loadavg").read().split()[:3], a.runs), flush=True)
    results = {}
    print("reference:", flush=True)
    ref_out = os.path.join(work, "ref-out.jsonl")
    results["ref-score"] = measure(
        "reference_score.py, 120k responses",
        [sys.executable, os.path.join(here, "reference_score.py"), big, ref_out], a.runs)

    outs = {}
    for label, cmd in jars:
        print("%s: %s" % (label, " ".join(cmd)), flush=True)
        r = {}
        out = os.path.join(work, "score-out-%s.jsonl" % label)
        r["score"] = measure("score, 120k responses", cmd + ["score", "--in", big, "--out", out],
                             a.runs)
        outs[label] = hashlib.sha256(open(out, "rb").read()).hexdigest()
        r["version"] = measure("--version", cmd + ["--version"], a.runs)
        r["score5"] = measure("score, 5 lines", cmd + ["score", "--in", small, "--out",
                                                       os.path.join(work, "s5.jsonl")], a.runs)
        gdir = os.path.join(work, "gen-%s" % label)
        clean = lambda: shutil.rmtree(gdir, ignore_errors=True)
        r["gen1"] = measure("generate, 1 depth sample (diode-1)",
                            cmd + ["generate", "--out", gdir, "--tasks", "depth", "--per-scene",
                                   "1", "--threads", "1", diode], a.runs, before=clean)
        r["depth40"] = measure("generate depth, diode-1, 40 samples, 1 thread",
                               cmd + ["generate", "--out", gdir, "--tasks", "depth",
                                      "--per-scene", "40", "--threads", "1", diode], a.runs,
                               before=clean)
        outs[label + "-depth40"] = tree_hash(gdir)
        check_count(gdir, 40)
        for t in ("1", "2"):
            r["whole" + t] = measure("generate all data, --per-scene 4, %s thread(s)" % t,
                                     cmd + ["generate", "--out", gdir, "--per-scene", "4",
                                            "--threads", t, os.path.join(data, "rgb"),
                                            os.path.join(data, "rgbd")], a.runs, before=clean)
            outs[label + "-whole" + t] = tree_hash(gdir)
            check_count(gdir, 180)
        clean()
        results[label] = r

    ref = results["ref-score"]
    print("\nratios (medians):")
    for label, _ in jars:
        r = results[label]
        print("  %s:" % label)
        print("    score wall: reference / ssrl = %.2fx (target >= 5x)" % (
            ref["wall"][0] / r["score"]["wall"][0]))
        print("    score CPU: ssrl / reference = %.2f (target <= 0.5)" % (
            r["score"]["cpu"][0] / ref["cpu"][0]))
        print("    score peak RSS: %.0f MB (reference %.0f MB)" % (
            r["score"]["rss"][0], ref["rss"][0]))
        ms = r["depth40"]["wall"][0] * 1000 / 40
        print("    depth, whole process: %.1f ms per sample = %.1fx the reference's %.0f ms"
              " (target >= 50x)" % (ms, REF_DEPTH_MS / ms, REF_DEPTH_MS))
        print("    whole runs: --threads 1 / --threads 2 = %.2fx (target >= 1.7x)" % (
            r["whole1"]["wall"][0] / r["whole2"]["wall"][0]))
    if a.base:
        print("\nbefore -> after (median wall):")
        for k, name in (("score", "score 120k"), ("version", "--version"), ("score5", "score 5"),
                        ("gen1", "generate 1"), ("depth40", "depth 40"),
                        ("whole1", "whole t1"), ("whole2", "whole t2")):
            b, n = results["before"][k], results["after"][k]
            print("  %-12s %7.3f s -> %7.3f s (%.2fx); cpu %7.3f -> %7.3f s" % (
                name, b["wall"][0], n["wall"][0], b["wall"][0] / n["wall"][0], b["cpu"][0],
                n["cpu"][0]))
        same = all(outs["before" + s] == outs["after" + s]
                   for s in ("", "-depth40", "-whole1", "-whole2"))
        print("outputs identical before/after: %s" % ("yes" if same else "NO: %s" % outs))
        if not same:
            sys.exit(1)
    else:
        print("outputs: %s" % outs)


if __name__ == "__main__":
    main()
