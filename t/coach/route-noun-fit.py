#!/usr/bin/env python3
"""Fits scope38's second way out of scope (src/coach/route.h,
ROUTE_NOUN_LOGIT; src/coach/README.md, "Scope", scope38) from
t/coach/route-features' output on the FIT files only:

    t/coach/route-features eval/holdout/train-pages.jsonl \\
        eval/holdout/train-scope.jsonl eval/holdout/tune.jsonl \\
        check-tune.jsonl eval/dev.jsonl eval/coach.jsonl \\
        eval/followups.jsonl >fit.jsonl     # on a holdout stack
    t/coach/route-noun-fit.py [--cv] fit.jsonl

check-tune.jsonl is the check set's tune half (eval/holdout/holdout.py
check-half eval/holdout/check.jsonl tune).  Each line's logit is main's
five-signal score (route.h's weights, written below); "unheld_nouns" and
"unheld_other" are evidence_route's counts of the question's words the
library does not hold (src/coach/wordclass.h; from branch scope38b on,
a contraction typed without its apostrophe or a clipping is not counted,
wordclass_informal).  A line main answers
(route-features' "rules" column, read from a build whose rule it is not
or whose rule only adds refusals: a line it already refuses by
route_unheld_things is recognised and counted as answered by main) that
is no follow-up is refused when logit >= L, unheld_nouns >= 1 and
unheld_other == 0.  L = the lowest bound on the grid -2.0..2.0 by 0.1 at
which no answerable line is refused, plus 0.1 as margin.  --cv runs that
choice 5-fold (seeds 1-3) and prints the out-of-fold gains and false
refusals.
"""
import json
import random
import sys

W0, WCOV, WBEST, WLEX, WUNK, WSPEC, LEXCAP = 1.34, -3.53, -3.05, -3.69, 1.10, 5.32, 4.0
OUT_LOGIT = 2.07


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
        d["nouns_only"] = d["unheld_nouns"] >= 1 and d["unheld_other"] == 0
        # main's route: a refusal by the second way alone was main's answer
        if (d["rules"] == "refuse" and not d["safety"] and d["logit"] < OUT_LOGIT
                and d["nouns_only"] and d["category"] != "follow_up"):
            d["main"] = "answer"
        else:
            d["main"] = d["rules"]
        lines.append(d)
    return lines


def fires(d, lo):
    return (d["main"] == "answer" and not d["safety"] and d["category"] != "follow_up"
            and d["nouns_only"] and d["logit"] >= lo)


def moved(lines, lo):
    """(out-of-scope gained, answerable refused, broad refused)."""
    return (sum(d["cls"] == "out" and fires(d, lo) for d in lines),
            sum(d["cls"] == "in" and fires(d, lo) for d in lines),
            sum(d["cls"] == "broad" and fires(d, lo) for d in lines))


GRID = [x / 10 for x in range(-20, 21)]


def choose(lines):
    ok = [lo for lo in GRID if moved(lines, lo)[1] == 0]
    return round(min(ok) + 0.1, 2) if ok else None


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        sys.exit(__doc__)
    lines = load(args[0])
    lo = choose(lines)
    g, f, b = moved(lines, lo)
    answered = sum(d["cls"] == "out" and d["main"] != "refuse" for d in lines)
    print(f"{len(lines)} lines; chosen ROUTE_NOUN_LOGIT {lo:.2f}: {g} of {answered} answered "
          f"out-of-scope lines refused, {f} answerable, {b} broad")
    if "--cv" in sys.argv:
        for seed in (1, 2, 3):
            idx = list(range(len(lines)))
            random.seed(seed)
            random.shuffle(idx)
            tot = [0, 0, 0]
            for k in range(5):
                test = [lines[i] for j, i in enumerate(idx) if j % 5 == k]
                train = [lines[i] for j, i in enumerate(idx) if j % 5 != k]
                tot = [x + y for x, y in zip(tot, moved(test, choose(train)))]
            print(f"5-fold, seed {seed}: out of fold {tot[0]} gained, {tot[1]} answerable "
                  f"refused, {tot[2]} broad")


if __name__ == "__main__":
    main()
