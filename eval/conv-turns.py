#!/usr/bin/env python3
"""Out-of-scope questions asked mid-conversation (conv40): each
out-of-scope and near-miss line of SCOPE, asked after the first turn of
PAGES' follow-up line (i mod the number of follow-up lines), in SCOPE's
order; the id gets "-conv".  Copied from the lead's mkconv.py (round 38,
branch conv40); docs/performance.md, "conv40".

    eval/conv-turns.py SCOPE.jsonl PAGES.jsonl OUT.jsonl
"""
import json
import sys

scope, pages, out = sys.argv[1:4]
firsts = []
for l in open(pages):
    d = json.loads(l)
    if d.get("category") == "follow_up":
        firsts.append(d["context"][:1])
assert firsts, "no follow-up lines"
i = 0
with open(out, "w") as f:
    for l in open(scope):
        d = json.loads(l)
        if d.get("category") not in ("out_of_scope", "near_miss"):
            continue
        d["context"] = firsts[i % len(firsts)]
        d["id"] = d["id"] + "-conv"
        i += 1
        f.write(json.dumps(d) + "\n")
print(i, "lines")
