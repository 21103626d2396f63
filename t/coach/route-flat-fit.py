#!/usr/bin/env python3
"""Fits scope37's second way out of scope (src/coach/route.h,
ROUTE_FLAT_LOGIT and ROUTE_FLAT_SPREAD; src/coach/README.md, "Scope",
scope37) from t/coach/route-features' output on the FIT files only:

    t/coach/route-features eval/holdout/train-pages.jsonl \\
        eval/holdout/train-scope.jsonl eval/holdout/tune.jsonl \\
        check-tune.jsonl eval/dev.jsonl eval/coach.jsonl \\
        eval/followups.jsonl >fit.jsonl     # on a holdout stack, built
    t/coach/route-flat-fit.py fit.jsonl      # from the branch's base

check-tune.jsonl is the check set's tune half (eval/holdout/holdout.py
check-half eval/holdout/check.jsonl tune).  The features must come from a
build WITHOUT the rule (its "rules" column is main's route).  Each line's
logit is main's five-signal score (route.h's weights, written below), its
spread the population standard deviation over the mean of the raw BM25
scores of the routing search's first five passages (the "hits" column; -1
when fewer than two or the mean is 0).  A line main answers or clarifies
is refused by the rule when logit >= L and 0 <= spread <= S (a broad line
in the lexicon's words is clarified, as route_classify does).  The grid:
L -1.0..2.0 by 0.1, S 0.04..0.30 by 0.01; chosen: the most out-of-scope
and near-miss lines gained with no answerable line refused and at most one
broad line moved from clarify to refuse, ties to the higher L and then the
lower S.  --cv also runs that choice 5-fold (seeds 1-3) and prints the
out-of-fold gains and false refusals.
"""
import json
import random
import statistics
import sys

W0, WCOV, WBEST, WLEX, WUNK, WSPEC, LEXCAP = 1.34, -3.53, -3.05, -3.69, 1.10, 5.32, 4.0


def kind(d):
    c, r = d["category"], d["route"]
    if c in ("out_of_scope", "near_miss") or r == "refuse" or d["kind"] == "none":
        return "out"
    if c == "broad" or r == "clarify":
        return "broad"
    return "in"


def load(path):
    lines = []
    for raw in open(path):
        d = json.loads(raw)
        d["cls"] = kind(d)
        d["logit"] = (W0 + WCOV * d["coverage"] + WBEST * d["best"]
                      + WLEX * min(d["lexicon"], LEXCAP) / LEXCAP
                      + WUNK * min(d["unknown"], 3) / 3.0 + WSPEC * d["specificity"])
        b = [h["bm25"] for h in d["hits"]][:5]
        mean = statistics.mean(b) if len(b) >= 2 else 0
        d["spread"] = statistics.pstdev(b) / mean if mean > 0 else -1
        lines.append(d)
    return lines


def routed(d, lo, s):
    if d["rules"] == "refuse" or d["safety"]:
        return d["rules"]
    if d["logit"] >= lo and 0 <= d["spread"] <= s:
        return "clarify" if d["rules"] == "clarify" and d["lexicon"] >= 2 else "refuse"
    return d["rules"]


def moved(lines, lo, s):
    """(out-of-scope gained, answerable refused, broad clarify -> refuse)."""
    new = [(d, routed(d, lo, s)) for d in lines]
    return (sum(d["cls"] == "out" and d["rules"] != "refuse" and r == "refuse" for d, r in new),
            sum(d["cls"] == "in" and d["rules"] != "refuse" and r == "refuse" for d, r in new),
            sum(d["cls"] == "broad" and d["rules"] == "clarify" and r == "refuse"
                for d, r in new))


GRID = [(lo / 10, s / 100) for lo in range(-10, 21) for s in range(4, 31)]


def choose(lines):
    best = None
    for lo, s in GRID:
        g, f, b = moved(lines, lo, s)
        if f == 0 and b <= 1 and (best is None or (g, lo, -s) > best[0]):
            best = ((g, lo, -s), lo, s)
    return best[1], best[2]


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        sys.exit(__doc__)
    lines = load(args[0])
    lo, s = choose(lines)
    g, f, b = moved(lines, lo, s)
    answered = sum(d["cls"] == "out" and d["rules"] != "refuse" for d in lines)
    print(f"{len(lines)} lines; chosen ROUTE_FLAT_LOGIT {lo:.2f}, ROUTE_FLAT_SPREAD {s:.2f}: "
          f"{g} of {answered} answered out-of-scope lines refused, {f} answerable, "
          f"{b} broad")
    if "--cv" in sys.argv:
        for seed in (1, 2, 3):
            idx = list(range(len(lines)))
            random.seed(seed)
            random.shuffle(idx)
            tot = [0, 0, 0]
            for k in range(5):
                test = [lines[i] for j, i in enumerate(idx) if j % 5 == k]
                train = [lines[i] for j, i in enumerate(idx) if j % 5 != k]
                tot = [x + y for x, y in zip(tot, moved(test, *choose(train)))]
            print(f"5-fold, seed {seed}: out of fold {tot[0]} gained, {tot[1]} answerable "
                  f"refused, {tot[2]} broad")


if __name__ == "__main__":
    main()
