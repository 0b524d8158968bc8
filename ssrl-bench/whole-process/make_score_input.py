#!/usr/bin/env python3
"""Writes the score benchmark's input: JSONL rollouts, GROUP responses per prompt, in group order.

Deterministic (fixed seed): the same arguments always give the same bytes. Responses are built
like ssrl-bench's Responses.java (a think block of filler words with some non-ASCII and newlines,
then a boxed answer right about half the time; a few lack the tags or the box), about LENGTH
characters each. 120,000 responses of 685 characters make about 98 MB.

    make_score_input.py OUT.jsonl [COUNT=120000] [GROUP=5] [LENGTH=685]
"""
import json
import random
import sys

WORDS = ["the", "patch", "top", "left", "right", "edge", "texture", "continues", "so", "then",
         "region", "closer", "coarser;", "marked", "arrangement", "深度", "étagère", "😀",
         "\\frac{1}{2}", "0", "2", "{", "}", "<", "/", "looks", "because", "one"]
TRUTHS = ["2-1-3", "0-2-3-1", "C", "3-0", "1-3-2"]


def response(rnd, truth, length):
    tags = rnd.randrange(10) != 0
    b = []
    n = 0
    if tags:
        b.append("<think>" if rnd.random() < 0.5 else "< think >")
    while n < length - 40:
        w = WORDS[rnd.randrange(len(WORDS))] + ("\n" if rnd.randrange(8) == 0 else " ")
        b.append(w)
        n += len(w)
    if tags:
        b.append("</think>" if rnd.random() < 0.5 else " </ think>\n")
    answer = truth if rnd.random() < 0.5 else TRUTHS[rnd.randrange(len(TRUTHS))]
    if rnd.randrange(10) != 0:
        b.append("The answer is \\boxed{ " + answer + " }.")
    else:
        b.append("The answer is " + answer)
    return "".join(b)


def main():
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 120000
    group = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    length = int(sys.argv[4]) if len(sys.argv) > 4 else 685
    rnd = random.Random(17)
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        for i in range(count):
            g = i // group
            truth = TRUTHS[g % len(TRUTHS)]
            row = {"id": "r%06d" % i, "group": "p%05d" % g,
                   "response": response(rnd, truth, length), "answer": truth}
            f.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
