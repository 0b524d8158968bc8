#!/usr/bin/env python3
"""Where a generate run's threads wait and what the JVM spends (issue 27), from a JFR recording.

    SSRL_JAVA_EXTRA_OPTS='-XX:StartFlightRecording=filename=run.jfr,settings=profile' \
        ./ssrl generate ... --threads T
    jfr_summary.py run.jfr

Prints, from `jfr print --json` (the JDK's jfr tool on the PATH):
  * monitor contention (jdk.JavaMonitorEnter, blocked >= 10 ms in the profile settings): count
    and total blocked time by the first frame outside the JDK, and by the monitor's class;
  * thread parking (jdk.ThreadPark) by the first non-JDK frame;
  * collector pauses (jdk.GarbageCollection: count, sum of pauses) by cause;
  * compilation (jdk.Compilation: count and time by tier);
  * allocation by thread name (jdk.ObjectAllocationSample weights, an estimate of bytes).
"""
import collections
import json
import subprocess
import sys

EVENTS = "jdk.JavaMonitorEnter,jdk.ThreadPark,jdk.GarbageCollection,jdk.Compilation," \
         "jdk.ObjectAllocationSample"


def seconds(d):
    # JFR JSON durations look like "PT0.012345S" (ISO-8601), sometimes with minutes.
    d = d[2:]
    total = 0.0
    num = ""
    for ch in d:
        if ch.isdigit() or ch == ".":
            num += ch
        else:
            total += float(num) * {"H": 3600, "M": 60, "S": 1}[ch]
            num = ""
    return total


def frame(ev):
    st = (ev.get("stackTrace") or {}).get("frames") or []
    for f in st:
        t = f["method"]["type"]["name"].replace("/", ".")
        if (t.startswith("dev.ssrl") or t.startswith("io.jhdf")) and "$$Lambda" not in t:
            return "%s.%s" % (t.rsplit(".", 1)[-1], f["method"]["name"])
    return "(JDK only) " + ("%s.%s" % (st[0]["method"]["type"]["name"].replace("/", "."),
                                       st[0]["method"]["name"])
                            if st else "?")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: jfr_summary.py RECORDING.jfr")
    raw = subprocess.run(["jfr", "print", "--json", "--stack-depth", "24", "--events", EVENTS,
                          sys.argv[1]], check=True, capture_output=True).stdout
    events = json.loads(raw)["recording"]["events"]
    by = collections.defaultdict(list)
    for e in events:
        by[e["type"]].append(e["values"])

    def table(title, rows):
        print(title)
        for k, (n, s) in sorted(rows.items(), key=lambda x: -x[1][1])[:8]:
            print("  %6d  %8.3f s  %s" % (n, s, k))

    def agg(evs, key):
        rows = collections.defaultdict(lambda: [0, 0.0])
        for v in evs:
            r = rows[key(v)]
            r[0] += 1
            r[1] += seconds(v["duration"])
        return rows

    mon = by["jdk.JavaMonitorEnter"]
    table("monitor contention (%d events) by caller:" % len(mon), agg(mon, frame))
    table("  by monitor class:", agg(mon, lambda v: v["monitorClass"]["name"].replace("/", ".")))
    park = by["jdk.ThreadPark"]
    table("thread parking (%d events) by caller:" % len(park), agg(park, frame))
    gc = by["jdk.GarbageCollection"]
    rows = collections.defaultdict(lambda: [0, 0.0])
    for v in gc:
        r = rows["%s (%s)" % (v["name"], v["cause"])]
        r[0] += 1
        r[1] += seconds(v["sumOfPauses"])
    table("collector pauses (%d collections, sum of pauses):" % len(gc), rows)
    comp = by["jdk.Compilation"]
    table("compilation (%d events of the recording's threshold) by tier:" % len(comp),
          agg(comp, lambda v: "tier %d" % v["compileLevel"]))
    alloc = collections.Counter()
    for v in by["jdk.ObjectAllocationSample"]:
        name = (v.get("eventThread") or {}).get("javaName") or "?"
        alloc[name.rstrip("0123456789-")] += v["weight"]
    print("allocation (sampled estimate) by thread name:")
    for k, w in alloc.most_common(6):
        print("  %10.1f MB  %s" % (w / 1e6, k))


if __name__ == "__main__":
    main()
