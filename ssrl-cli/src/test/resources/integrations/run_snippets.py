"""Runs the Python snippets of docs/integrations.md against a live ssrl server.

Usage: run_snippets.py DOCS_INTEGRATIONS_MD PORT
Prints one JSON object: what each trainer's reward function returned for fixed inputs.
The snippets are executed as written; only the port in their URL is changed.
"""
import json
import re
import sys

doc, port = sys.argv[1], sys.argv[2]
text = open(doc, encoding="utf-8").read()


def snippet(containing):
    for block in re.findall(r"```python\n(.*?)```", text, re.S):
        if containing in block:
            # The TRL block ends by building a trainer that needs TRL itself: keep the function.
            code = block.split("\ntrainer =")[0]
            env = {}
            exec(code.replace("127.0.0.1:8000", "127.0.0.1:" + port), env)
            return env
    raise SystemExit("no python snippet defines " + containing)


easyr1 = snippet("def compute_score(reward_inputs")["compute_score"]
verl = snippet("def compute_score(data_source")["compute_score"]
trl = snippet("def ssrl_reward(")["ssrl_reward"]

out = {
    "easyr1": easyr1(
        [
            {"response": "<think>a</think>\\boxed{C}", "ground_truth": "C"},
            {"response": "\\boxed{B}", "ground_truth": "C"},
        ]
    ),
    "verl": verl("ssrl/position", "<think>x</think>\\boxed{A}", "A", {"task": "position"}),
    "verl_wrong": verl("ssrl/position", "<think>x</think>\\boxed{B}", "A", {"task": "position"}),
    "trl": trl(
        ["<think>a</think>\\boxed{C}", [{"role": "assistant", "content": "<think>b</think>\\boxed{B}"}]],
        ["C", "C"],
        task=["crop", "crop"],
    ),
}
print(json.dumps(out))
