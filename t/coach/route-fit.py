#!/usr/bin/env python3
"""Fits the coach's scope decision (src/coach/route.h, src/coach/README.md,
"Scope") on the sets tuned on, from t/coach/route-features' output:

    t/coach/route-features eval/holdout/tune.jsonl eval/dev.jsonl \\
        eval/coach.jsonl > features.jsonl     # against the starter and
    t/coach/route-fit.py features.jsonl      # evaluation libraries
    t/coach/route-fit.py --cv [--also passage|chapters] features.jsonl

Class-balanced logistic regression by plain gradient descent (fixed steps,
so the same features give the same weights) on every line that is in
scope or a follow-up (answer) or out of scope or a near miss (refuse);
the cut is the lowest logit at which at most MAX_FALSE of tune's in-scope
and follow-up questions would be refused.  Prints the weights as route.h
writes them and what they do on tune.  --cv also cross-validates on tune
(5 folds, three seeded draws; each fold's weights and cut fitted without
it, the other sets always in training), at the 1 % cut and at 2 %.
--also adds a signal measured and not kept (src/coach/README.md, "Scope"):
passage (the best single passage's coverage of the question) or chapters
(how many chapters the five passages fall in, / 5).  Never give it features of
eval/holdout/heldout.jsonl (eval/holdout/README.md)."""
import json
import math
import random
import sys

MAX_FALSE = 0.01  # of tune's in-scope questions, below the 0.02 promised
STEPS, RATE, L2 = 3000, 0.5, 1e-3
NAMES = ["coverage", "best", "lexicon/4", "unknown/3", "specificity"]


def label(r):
    cat, route = r["category"], r["route"]
    if cat in ("out_of_scope", "near_miss") or (cat == "" and route == "refuse"):
        return 1
    if cat in ("in_scope", "follow_up") or (cat == "" and route == "answer"):
        return 0
    return None


ALSO = {
    "passage": lambda r: r["passage"],
    "chapters": lambda r: len(set(h["chapter"] for h in r["hits"])) / 5,
}
also = []


def features(r):
    return [r["coverage"], r["best"], min(r["lexicon"], 4) / 4, min(r["unknown"], 3) / 3,
            r["specificity"]] + [ALSO[a](r) for a in also]


def logit(w, x):
    return w[0] + sum(a * b for a, b in zip(w[1:], x))


def fit(xs, ys):
    n = len(xs[0])
    w = [0.0] * (n + 1)
    pos = sum(ys)
    weight = {1: len(ys) / (2 * pos), 0: len(ys) / (2 * (len(ys) - pos))}
    for _ in range(STEPS):
        g = [0.0] * (n + 1)
        for x, y in zip(xs, ys):
            e = (1 / (1 + math.exp(-logit(w, x))) - y) * weight[y]
            g[0] += e
            for j in range(n):
                g[j + 1] += e * x[j]
        for j in range(n + 1):
            w[j] -= RATE * (g[j] / len(ys) + (L2 * w[j] if j else 0))
    return w


def is_tune(d):
    return d[2]["file"].endswith("tune.jsonl")


def cut_for(w, tune, max_false):
    """The lowest cut (in hundredths) above the (allowed + 1)-th highest
    in-scope logit: at most `allowed` of them are refused."""
    inscope = sorted((logit(w, d[0]) for d in tune if d[1] == 0), reverse=True)
    allowed = int(max_false * len(inscope))
    return math.floor(inscope[allowed] * 100 + 1) / 100


def cross_validate(data, max_false, folds=5, seeds=(1, 2, 3)):
    """Refused and wrongly refused over tune's held-out folds."""
    counts = [0, 0, 0, 0]  # out refused, out, in refused, in
    for seed in seeds:
        tune = [d for d in data if is_tune(d)]
        random.Random(seed).shuffle(tune)
        for f in range(folds):
            train = [d for i, d in enumerate(tune) if i % folds != f]
            train += [d for d in data if not is_tune(d)]
            w = fit([d[0] for d in train], [d[1] for d in train])
            cut = cut_for(w, [d for d in train if is_tune(d)], max_false)
            for d in tune[f::folds]:
                k = 0 if d[1] == 1 else 2
                counts[k] += logit(w, d[0]) >= cut
                counts[k + 1] += 1
    return counts[0] / counts[1], counts[2] / counts[3]


def main():
    args = sys.argv[1:]
    cv = "--cv" in args
    args = [a for a in args if a != "--cv"]
    while args and args[0] == "--also":
        also.append(args[1])
        NAMES.append(args[1])
        args = args[2:]
    rows = [json.loads(line) for f in args for line in open(f)]
    data = [(features(r), label(r), r) for r in rows if label(r) is not None]
    w = fit([d[0] for d in data], [d[1] for d in data])
    tune = [d for d in data if is_tune(d)]
    inscope = [logit(w, d[0]) for d in tune if d[1] == 0]
    out = [logit(w, d[0]) for d in tune if d[1] == 1]
    cut = cut_for(w, tune, MAX_FALSE)
    refused = sum(x >= cut for x in out) / len(out)
    wrong = sum(x >= cut for x in inscope) / len(inscope)
    print("intercept %+.2f" % w[0])
    for name, v in zip(NAMES, w[1:]):
        print("%-12s %+.2f" % (name, v))
    print("cut %.2f (p %.2f)" % (cut, 1 / (1 + math.exp(-cut))))
    print("tune: out of scope refused %.3f (n %d), in scope refused %.3f (n %d)"
          % (refused, len(out), wrong, len(inscope)))
    if cv:
        for max_false in (MAX_FALSE, 2 * MAX_FALSE):
            print("cv at %.0f %%: refused %.3f, in scope refused %.3f"
                  % ((100 * max_false,) + cross_validate(data, max_false)))


if __name__ == "__main__":
    main()
