#!/usr/bin/env python3
"""The reference scoring loop that `ssrl score` is timed against (docs/BENCHMARKS.md).

What a Python trainer does with a rollout file: json.loads every line, the Spatial-SSRL reward
(EasyR1's r1v/math reward that the method trained with, SPEC 5.1: whitespace around < > /
removed, <think>..</think>..\\boxed{..} format check with re.fullmatch, last \\boxed{} content
with brace balancing, exact match, 0.9 accuracy + 0.1 format), GRPO advantages per group
((r - mean) / (std + 1e-6), Bessel-corrected std, a group of one gets 0), json.dumps of every
scored line in input order. Pure Python (no NumPy): one process, one core.

    reference_score.py IN.jsonl OUT.jsonl
    reference_score.py --check REWARD_CASES.jsonl   # agree with the reference on every case
"""
import json
import math
import re
import sys

_NORMALISE = re.compile(r"\s*(<|>|/)\s*")
_FORMAT = re.compile(r"<think>.*</think>.*\\boxed\{.*\}.*", re.DOTALL)


def extract_boxed(text):
    start = text.rfind("\\boxed{")
    if start < 0:
        return "None"
    depth = 0
    i = start + len("\\boxed{")
    begin = i
    while i < len(text):
        c = text[i]
        if c == "{":
            depth += 1
        elif c == "}":
            if depth == 0:
                return text[begin:i].strip()
            depth -= 1
        i += 1
    return "None"


def reward(response, truth, format_weight=0.1):
    predict = _NORMALISE.sub(r"\1", response)
    fmt = 1.0 if _FORMAT.fullmatch(predict) else 0.0
    acc = 1.0 if extract_boxed(predict) == truth else 0.0
    return {"overall": (1 - format_weight) * acc + format_weight * fmt, "format": fmt,
            "accuracy": acc}


def advantages(rewards):
    n = len(rewards)
    if n < 2:
        return [0.0] * n
    mean = sum(rewards) / n
    std = math.sqrt(sum((r - mean) ** 2 for r in rewards) / (n - 1))
    return [(r - mean) / (std + 1e-6) for r in rewards]


def score(inp, out):
    rows = []
    groups = {}
    with open(inp, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            o = json.loads(line)
            r = reward(o.get("response") or "", o["answer"])
            row = {"id": o.get("id")}
            if o.get("group") is not None:
                row["group"] = o["group"]
                groups.setdefault(json.dumps(o["group"]), []).append(len(rows))
            row.update(r)
            rows.append(row)
    for members in groups.values():
        for i, a in zip(members, advantages([rows[i]["overall"] for i in members])):
            rows[i]["advantage"] = a
    with open(out, "w", encoding="utf-8") as f:
        for row in rows:
            row.setdefault("advantage", 0.0)
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def check(cases):
    bad = 0
    n = 0
    with open(cases, encoding="utf-8") as f:
        for line in f:
            c = json.loads(line)
            r = reward(c["response"], c["ground_truth"])
            n += 1
            if any(abs(r[k] - c[k]) > 1e-9 for k in ("overall", "format", "accuracy")):
                bad += 1
    print("reference_score.py: %d of %d reward cases agree" % (n - bad, n))
    return 1 if bad else 0


if __name__ == "__main__":
    if sys.argv[1] == "--check":
        sys.exit(check(sys.argv[2]))
    score(sys.argv[1], sys.argv[2])
