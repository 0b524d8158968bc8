#!/usr/bin/env python3
"""CPU time of a process by kind of thread (issue 27): workers, fork-join pool, collector,
compiler, the rest.

Runs the command, reads /proc/PID/task/*/stat every 50 ms while it runs and keeps the last
user + sys time seen for each thread, then prints the totals grouped by the thread's name
(Linux truncates names to 15 characters: "C2 CompilerThre", "GC Thread#3", "G1 Conc#0",
"ForkJoinPool.co", "ssrl-generate"). A thread that ends between two reads loses at most
50 ms; the process total from wait4 is printed next to the sum to show what was missed.

    threadcpu.py [--json FILE] -- COMMAND ...
"""
import argparse
import json
import os
import subprocess
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")
GROUPS = [
    ("worker (ssrl-generate)", ("ssrl-generate",)),
    ("fork-join common pool", ("ForkJoinPool.co", "ForkJoinPool-")),
    ("C2 compiler", ("C2 Compiler",)),
    ("C1 compiler", ("C1 Compiler",)),
    ("collector (GC, G1)", ("GC Thread", "G1 ", "VM Periodic", "GC ")),
    ("VM thread", ("VM Thread",)),
    ("main", ("main", "java")),
]


def group_of(name):
    for g, prefixes in GROUPS:
        if any(name.startswith(p) for p in prefixes):
            return g
    return "other"


def read_tasks(pid, seen):
    base = "/proc/%d/task" % pid
    try:
        tids = os.listdir(base)
    except OSError:
        return
    for tid in tids:
        try:
            with open("%s/%s/stat" % (base, tid)) as f:
                s = f.read()
        except OSError:
            continue
        name = s[s.index("(") + 1 : s.rindex(")")]
        fields = s[s.rindex(")") + 2 :].split()
        cpu = (int(fields[11]) + int(fields[12])) / TICK
        seen[tid] = (name, cpu)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--json")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    if not cmd:
        sys.exit("usage: threadcpu.py -- COMMAND ...")
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    seen = {}
    # The launcher execs java, so the pid stays the JVM's.
    while True:
        read_tasks(p.pid, seen)
        r = os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        if r is not None:
            break
        time.sleep(0.05)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    total = ru.ru_utime + ru.ru_stime
    groups, threads = {}, {}
    for name, cpu in seen.values():
        g = group_of(name)
        groups[g] = groups.get(g, 0.0) + cpu
        threads[g] = threads.get(g, 0) + 1
    print("wall %.2f s, process CPU %.2f s (user %.2f + sys %.2f), peak RSS %.0f MB,"
          " %d minor faults, %d involuntary context switches, exit %d"
          % (wall, total, ru.ru_utime, ru.ru_stime, ru.ru_maxrss / 1024, ru.ru_minflt,
             ru.ru_nivcsw, os.waitstatus_to_exitcode(status)))
    for g, cpu in sorted(groups.items(), key=lambda x: -x[1]):
        print("  %-24s %3d threads %7.2f s  %5.1f %%" % (g, threads[g], cpu, 100 * cpu / total))
    print("  %-24s             %7.2f s" % ("(threads ended unseen)", total - sum(groups.values())))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"wall": wall, "cpu": total, "user": ru.ru_utime, "sys": ru.ru_stime,
                       "minflt": ru.ru_minflt, "nivcsw": ru.ru_nivcsw, "rss_mb": ru.ru_maxrss / 1024,
                       "groups": groups, "threads": threads}, f, indent=1)
    sys.exit(os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
