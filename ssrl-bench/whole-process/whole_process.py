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
  * whole runs over ../shared/data, --per-scene 4 (179 samples; 180 before the crop
    look-alike check of issue 15), --threads 1 and 2.

With --base-launcher DIR (an earlier checkout, or a copy of its `ssrl` launcher and
ssrl-cli/target/ssrl.jar + ssrl.jsa in the same layout) or --base JAR (an earlier ssrl.jar, run
as `java -Xmn256m -jar`), every ssrl figure is also taken with the earlier build for a
before/after table. The runs of a figure are interleaved (before, after, after, before, ...;
the reference joins the score figure), and every run records the 1-minute load average taken
just before it: on a shared machine that is the only way a before/after ratio means anything.
Outputs of both builds are compared (score output bytes; dataset trees by SHA-256 without
manifest.json, whose keys grow with features).

    whole_process.py --repo REPO [--runs 5] [--base-launcher DIR | --base OLD.jar] [--work DIR]
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


def load():
    return float(open("/proc/loadavg").read().split()[0])


def stats_of(rows):
    stats = {}
    for i, k in enumerate(("wall", "cpu", "rss", "load")):
        v = [r[i] for r in rows]
        stats[k] = (statistics.median(v), min(v), max(v))
    return stats


def measure(name, variants, runs, before=None):
    """Times each (label, cmd) of variants runs times, interleaved (a, b, a, b, ...), so that the
    machine's noise falls on all of them alike; each row records the 1-minute load average taken
    just before it. Returns {label: stats}."""
    rows = {label: [] for label, _ in variants}
    for i in range(runs):
        # Alternate which variant goes first, so that neither always follows the other.
        order = variants if i % 2 == 0 else list(reversed(variants))
        for label, cmd in order:
            if before:
                before(label)
            l = load()
            w, c, m = timed(cmd)
            rows[label].append((w, c, m, l))
    out = {}
    for label, _ in variants:
        st = stats_of(rows[label])
        out[label] = st
        print("  %-44s %-6s wall %s  cpu %s  rss %4.0f MB  load %.1f (%.1f-%.1f)" % (
            name, label, fmt(st["wall"]), fmt(st["cpu"]), st["rss"][0], *st["load"]),
            flush=True)
        print("    runs: %s" % "  ".join("%.3fs/%.3fs@%.1f" % (r[0], r[1], r[3])
                                        for r in rows[label]), flush=True)
    return out


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


def check_count(out, expected=None):
    """The run's sample count: the lines of train.jsonl, which must match the manifest's counts
    (and `expected` when given). A whole run's count is what the tasks accept, not a constant:
    179 since the crop look-alike check of issue 15 rejects one crop, 180 before."""
    with open(os.path.join(out, "train.jsonl"), encoding="utf-8") as f:
        n = sum(1 for _ in f)
    with open(os.path.join(out, "manifest.json"), encoding="utf-8") as f:
        counts = json.load(f)["counts"]
    m = sum(sum(splits.values()) for splits in counts.values())
    if n != m or (expected is not None and n != expected):
        sys.exit("%s holds %d samples, manifest counts %d, expected %s" % (out, n, m, expected))
    return n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--base", help="an earlier ssrl.jar for the before column")
    ap.add_argument("--base-launcher", help="a folder holding an earlier build's ssrl launcher"
                    " and ssrl-cli/target (jar and CDS archive), for the before column")
    ap.add_argument("--work", default="/tmp/ssrl-whole-process")
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
    if a.base_launcher:
        # An older checkout (or a copy of its ssrl launcher, ssrl-cli/target/ssrl.jar and ssrl.jsa
        # in the same layout), run through its own launcher and JVM flags.
        jars.insert(0, ("before", [os.path.join(os.path.abspath(a.base_launcher), "ssrl")]))
    elif a.base:
        # The old jar with the flags the launcher used before it chose them per command.
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

    print("machine: %d CPUs, load %s; %d runs per figure, interleaved, median (min-max)" % (
        os.cpu_count(), open("/proc/loadavg").read().split()[:3], a.runs), flush=True)
    labels = [label for label, _ in jars]
    results = {label: {} for label in labels}
    outs = {}

    def each(fig, name, args, before=None):
        r = measure(name, [(label, cmd + args(label)) for label, cmd in jars], a.runs, before)
        for label in labels:
            results[label][fig] = r[label]

    # score next to the reference, all interleaved
    ref_out = os.path.join(work, "ref-out.jsonl")
    variants = [("ref", [sys.executable, os.path.join(here, "reference_score.py"), big, ref_out])]
    variants += [(label, cmd + ["score", "--in", big, "--out",
                                os.path.join(work, "score-out-%s.jsonl" % label)])
                 for label, cmd in jars]
    r = measure("score, 120k responses", variants, a.runs)
    results["ref-score"] = r["ref"]
    for label in labels:
        results[label]["score"] = r[label]
        outs[label] = hashlib.sha256(
            open(os.path.join(work, "score-out-%s.jsonl" % label), "rb").read()).hexdigest()
    each("version", "--version", lambda label: ["--version"])
    each("score5", "score, 5 lines", lambda label: [
        "score", "--in", small, "--out", os.path.join(work, "s5-%s.jsonl" % label)])
    gdir = lambda label: os.path.join(work, "gen-%s" % label)
    clean = lambda label: shutil.rmtree(gdir(label), ignore_errors=True)
    each("gen1", "generate, 1 depth sample (diode-1)", lambda label: [
        "generate", "--out", gdir(label), "--tasks", "depth", "--per-scene", "1", "--threads",
        "1", diode], clean)
    each("depth40", "generate depth, diode-1, 40 samples, 1 thread", lambda label: [
        "generate", "--out", gdir(label), "--tasks", "depth", "--per-scene", "40", "--threads",
        "1", diode], clean)
    for label in labels:
        outs[label + "-depth40"] = tree_hash(gdir(label))
        check_count(gdir(label), 40)
    for t in ("1", "2"):
        each("whole" + t, "generate all data, --per-scene 4, %s thread(s)" % t, lambda label: [
            "generate", "--out", gdir(label), "--per-scene", "4", "--threads", t,
            os.path.join(data, "rgb"), os.path.join(data, "rgbd")], clean)
        for label in labels:
            outs[label + "-whole" + t] = tree_hash(gdir(label))
            print("    %s: %d samples" % (label, check_count(gdir(label))), flush=True)
    for label in labels:
        clean(label)

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
        cms = r["depth40"]["cpu"][0] * 1000 / 40
        print("    depth, CPU time per sample: %.1f ms (%.1fx the reference's wall time; less"
              " sensitive to other load)" % (cms, REF_DEPTH_MS / cms))
        print("    whole runs: --threads 1 / --threads 2 = %.2fx (target >= 1.7x)" % (
            r["whole1"]["wall"][0] / r["whole2"]["wall"][0]))
    if len(jars) > 1:
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
