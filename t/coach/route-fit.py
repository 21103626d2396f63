#!/usr/bin/env python3
"""Fits the coach's scope decision (src/coach/route.h, src/coach/README.md,
"Scope") on the sets tuned on, from t/coach/route-features' output:

    t/coach/route-features eval/holdout/tune.jsonl eval/dev.jsonl \\
        eval/coach.jsonl > features.jsonl     # against the starter and
    t/coach/route-fit.py features.jsonl      # evaluation libraries
    t/coach/route-fit.py --cv [--seeds N] [--calibrate 0.02] [--inweight W] \\
        [--also passage|chapters|pdistinct|general|topic] features.jsonl

Class-balanced logistic regression by plain gradient descent (fixed steps,
so the same features give the same weights) on every line that is in
scope or a follow-up (answer) or out of scope or a near miss (refuse);
the cut is the lowest logit at which at most MAX_FALSE of tune's in-scope
and follow-up questions would be refused.  Prints the weights as route.h
writes them and what they do on tune.  --cv also cross-validates on tune
(5 folds, three seeded draws; each fold's weights and cut fitted without
it, the other sets always in training), at the 1 % cut and at 2 %.
--also adds a signal measured and not kept (src/coach/README.md, "Scope"):
passage (the best single passage's coverage of the question), chapters
(how many chapters the five passages fall in, / 5), pdistinct (the best
passage's share of the question's distinctive words), general (general
English words the library barely holds, from WordNet's SemCor counts) or
topic (the question's WordNet topic classes against the library's; needs
--library FILE,... with the books' text), or the co-occurrence coherence
of the question's distinctive words in the five passages (route-features'
cohere: cohere_p, the best passage's IDF-weighted share of their pairs;
cohere_s, the best sentence's; cohere_pa and cohere_sa counting the words
the library lacks in the pairs; apart_s, 1 when two or more of them are
held but no sentence holds two; apart_p, when no passage holds a fifth of
the pairs's weight).  --seeds N draws N times
instead of three (mean and sd over draws); --inweight W weighs the
in-scope class W times; --calibrate F prints the largest cut whose
cross-validated false-refusal rate is at most F (the operating point).
Never give it features of eval/holdout/heldout.jsonl
(eval/holdout/README.md)."""
import collections
import itertools
import json
import math
import operator
import os
import random
import re
import sys

MAX_FALSE = 0.01  # of tune's in-scope questions, below the 0.02 promised
STEPS, RATE, L2 = 3000, 0.5, 1e-3
IN_WEIGHT = 1.0  # --inweight W: the in-scope class weighs W times its balanced weight
SEEDS = (1, 2, 3)  # --seeds N: the cross-validation's seeded draws, 1..N
NAMES = ["coverage", "best", "lexicon/4", "unknown/3", "specificity"]


def label(r):
    cat, route = r["category"], r["route"]
    if cat in ("out_of_scope", "near_miss") or (cat == "" and route == "refuse"):
        return 1
    if cat in ("in_scope", "follow_up") or (cat == "" and route == "answer"):
        return 0
    return None


# ---- General English (WordNet 3.0, Debian's wordnet-base), for --also
# general and topic: cntlist.rev's sense-tagged counts (SemCor) per lemma,
# and each lemma's count-weighted distribution over WordNet's
# lexicographer files (noun.possession, verb.consumption, ...).
WN = "/usr/share/wordnet"
POS = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
# WordNet's detachment rules (morphy(7WN)), by part of speech.
RULES = {
    "n": [("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"),
          ("men", "man"), ("ies", "y")],
    "v": [("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""),
          ("ing", "e"), ("ing", "")],
    "a": [("er", ""), ("est", ""), ("er", "e"), ("est", "e")],
    "r": [],
}
WORD = re.compile(r"[a-z][a-z']*")
_wn = {}  # lemmas, exceptions, counts and classes, read once


def load():
    """Reads WordNet's index, exception and cntlist.rev files once."""
    if _wn:
        return
    _wn["lemmas"] = {p: set() for p in POS}
    _wn["exc"] = {p: {} for p in POS}
    _wn["count"] = collections.Counter()
    _wn["cls"] = collections.defaultdict(collections.Counter)
    for p, name in POS.items():
        with open(os.path.join(WN, "index." + name)) as f:
            _wn["lemmas"][p].update(line.split(" ", 1)[0] for line in f if not line.startswith(" "))
        with open(os.path.join(WN, name + ".exc")) as f:
            for fields in (line.split() for line in f):
                if len(fields) >= 2:
                    _wn["exc"][p][fields[0]] = fields[1]
    with open(os.path.join(WN, "cntlist.rev")) as f:
        for line in f:
            key, _, cnt = line.split()
            lemma, rest = key.split("%")
            lexfile = int(rest.split(":")[1])
            _wn["count"][lemma] += int(cnt)
            _wn["cls"][lemma][lexfile] += int(cnt)


def lemmas(w):
    """w's WordNet lemmas in any part of speech (exceptions, detachment)."""
    load()
    out = set()
    for p in POS:
        if w in _wn["lemmas"][p]:
            out.add(w)
        if w in _wn["exc"][p]:
            out.add(_wn["exc"][p][w])
        for suf, rep in RULES[p]:
            if w.endswith(suf) and len(w) > len(suf) + 1 and w[:-len(suf)] + rep in _wn["lemmas"][p]:
                out.add(w[:-len(suf)] + rep)
    return out


def count(w):
    """w's SemCor count: the largest over its lemmas."""
    return max([_wn["count"][x] for x in lemmas(w)] or [0])


def classes(w):
    """w's senses' SemCor counts by lexicographer file."""
    c = collections.Counter()
    for x in lemmas(w):
        c.update(_wn["cls"][x])
    return c


def words(text):
    return WORD.findall(text.lower())


LIBRARY = []  # --library FILE...: the library's text, for --also topic
_libcls = None


def qwords(r):
    """The question's own content terms: (word, df)."""
    return [(t["word"], t["df"]) for t in r["terms"] if t.get("source", 0) == 0 and t["word"]]


def general(r):
    """The share of the question's content words common in general English
    (a SemCor count >= 2) that the library holds in at most 2 passages."""
    ws = qwords(r)
    return sum(count(w) >= 2 and df <= 2 for w, df in ws) / len(ws) if ws else 0.0


def topic(r):
    """How far the question's topic classes are from the library's: the
    lowest, over its content words with a WordNet class, of the
    count-weighted mean log(library share / general share) of the word's
    classes, mapped to 0..1 (1: far)."""
    global _libcls
    if _libcls is None:
        load()
        lib = collections.Counter()
        for f in LIBRARY:
            for w in words(open(f).read()):
                c = classes(w)
                n = sum(c.values())
                for k, v in c.items():
                    lib[k] += v / n
        gen_ = collections.Counter()
        for c in _wn["cls"].values():
            gen_.update(c)
        tl, tg = sum(lib.values()), sum(gen_.values())
        _libcls = {k: math.log((lib[k] / tl + 1e-4) / (gen_[k] / tg)) for k in gen_}
    lows = []
    for w, _ in qwords(r):
        c = classes(w)
        n = sum(c.values())
        if n:
            lows.append(sum(v / n * _libcls.get(k, 0) for k, v in c.items()))
    return 1 / (1 + math.exp(min(lows))) if lows else 0.5


def held_distinct(r):
    """How many distinct terms of the question's own distinctive words the
    library holds as written (route-features' cohere counts their pairs)."""
    return len(set(t["term"] for t in r["terms"] if t.get("source", 0) == 0 and t.get("distinctive")
                   and t["df"] > 0 and not t["corrected"]))


GENERAL = []  # --general FILE: a general-English frequency list, JSON [{"word", "count"}]
_gen = {}


def weird_terms(r):
    """For each of the question's own content words (no digit): log of its
    library probability (passages holding it, + 0.5, over the passages)
    over its general-English probability (count + 1 over the list's
    total), the "weirdness" ratio."""
    if not _gen:
        for f in GENERAL:
            for e in json.load(open(f)):
                w = e["word"].lower()
                _gen[w] = _gen.get(w, 0) + e["count"]
        _gen[None] = sum(_gen.values())
    n = r["chunks"]
    out = []
    for t in r["terms"]:
        w = t["word"]
        if t.get("source", 0) != 0 or not w or any(c.isdigit() for c in w):
            continue
        out.append((math.log((t["df"] + 0.5) / n) - math.log((_gen.get(w.lower(), 0) + 1) / _gen[None]),
                    t["idf"]))
    return out


def weird(r):
    """The lowest weirdness ratio of the question's words, mapped to 0..1
    (1: a word far more common in English than in the library)."""
    v = weird_terms(r)
    return 1 / (1 + math.exp(min(x for x, _ in v) / 2)) if v else 0.5


def weird_mean(r):
    """The mean weirdness ratio of the question's words, mapped to 0..1."""
    v = weird_terms(r)
    return 1 / (1 + math.exp(sum(x for x, _ in v) / len(v) / 2)) if v else 0.5


def weird_share(r):
    """The IDF-weighted share of the question's words at least 4 (log)
    times commoner in English than in the library."""
    v = weird_terms(r)
    tot = sum(i for _, i in v)
    return sum(i for x, i in v if x < -4) / tot if tot else 0.0


ALSO = {
    "passage": lambda r: r["passage"],
    "chapters": lambda r: len(set(h["chapter"] for h in r["hits"])) / 5,
    "pdistinct": lambda r: r["passage_distinct"],
    "general": general,
    "topic": topic,
    "cohere_p": lambda r: r["cohere_p"],
    "cohere_s": lambda r: r["cohere_s"],
    "cohere_pa": lambda r: r["cohere_pa"],
    "cohere_sa": lambda r: r["cohere_sa"],
    "apart_s": lambda r: float(held_distinct(r) >= 2 and r["cohere_s"] == 0),
    "apart_p": lambda r: float(held_distinct(r) >= 2 and r["cohere_p"] <= 0.2),
    "weird": weird,
    "weird_mean": weird_mean,
    "weird_share": weird_share,
}
also = []


def features(r):
    return [r["coverage"], r["best"], min(r["lexicon"], 4) / 4, min(r["unknown"], 3) / 3,
            r["specificity"]] + [ALSO[a](r) for a in also]


def logit(w, x):
    return w[0] + sum(a * b for a, b in zip(w[1:], x))


def fit(xs, ys):
    """Gradient descent by columns (map over whole columns: the same sums as
    row by row, several times faster)."""
    n, m = len(xs[0]), len(ys)
    w = [0.0] * (n + 1)
    pos = sum(ys)
    weight = {1: m / (2 * pos), 0: IN_WEIGHT * m / (2 * (m - pos))}
    cols = [[x[j] for x in xs] for j in range(n)]
    yw = [(y, weight[y]) for y in ys]
    exp, mul, add = math.exp, operator.mul, operator.add
    for _ in range(STEPS):
        z = [w[0]] * m
        for j in range(n):
            z = list(map(add, z, map(mul, cols[j], itertools.repeat(w[j + 1], m))))
        e = [(1 / (1 + exp(-v)) - y) * k for v, (y, k) in zip(z, yw)]
        g = [sum(e)] + [sum(map(mul, e, c)) for c in cols]
        for j in range(n + 1):
            w[j] -= RATE * (g[j] / m + (L2 * w[j] if j else 0))
    return w


def is_tune(d):
    return d[2]["file"].endswith("tune.jsonl")


def cut_for(w, tune, max_false):
    """The lowest cut (in hundredths) above the (allowed + 1)-th highest
    in-scope logit: at most `allowed` of them are refused."""
    inscope = sorted((logit(w, d[0]) for d in tune if d[1] == 0), reverse=True)
    allowed = int(max_false * len(inscope))
    return math.floor(inscope[allowed] * 100 + 1) / 100


def cut_at(w, tune, q):
    """The cut at position q * n of tune's in-scope logits, highest first,
    interpolated between neighbours: a cut that moves continuously with q
    (q = 0: just the highest in-scope question refused, by >=)."""
    inscope = sorted((logit(w, d[0]) for d in tune if d[1] == 0), reverse=True)
    x = min(q * len(inscope), len(inscope) - 1.0)
    k = int(x)
    f = x - k
    return inscope[k] * (1 - f) + inscope[min(k + 1, len(inscope) - 1)] * f


_fits = {}


def cross_validate(data, max_false, folds=5, seeds=None, cut_fn=None):
    """Refused and wrongly refused over tune's held-out folds, with the cut
    of cut_fn(weights, the training part of tune) (default: cut_for at
    max_false)."""
    counts = [0, 0, 0, 0]  # out refused, out, in refused, in
    for seed in seeds or SEEDS:
        tune = [d for d in data if is_tune(d)]
        random.Random(seed).shuffle(tune)
        for f in range(folds):
            train = [d for i, d in enumerate(tune) if i % folds != f]
            train += [d for d in data if not is_tune(d)]
            if (seed, f) not in _fits:  # the same draw and fold: the same weights
                _fits[seed, f] = fit([d[0] for d in train], [d[1] for d in train])
            w = _fits[seed, f]
            tt = [d for d in train if is_tune(d)]
            cut = cut_fn(w, tt) if cut_fn else cut_for(w, tt, max_false)
            for d in tune[f::folds]:
                k = 0 if d[1] == 1 else 2
                counts[k] += logit(w, d[0]) >= cut
                counts[k + 1] += 1
    return counts[0] / counts[1], counts[2] / counts[3]


def cv_seeds(data, max_false, cut_fn=None):
    """cross_validate per seed: the mean and the spread (sd) over seeds."""
    per = [cross_validate(data, max_false, seeds=(s,), cut_fn=cut_fn) for s in SEEDS]
    mean = [sum(p[k] for p in per) / len(per) for k in (0, 1)]
    sd = [math.sqrt(sum((p[k] - mean[k]) ** 2 for p in per) / max(len(per) - 1, 1)) for k in (0, 1)]
    return mean, sd


def calibrate(data, target, grid=None):
    """The operating point: the largest interpolated cut position q (cut_at)
    whose cross-validated false-refusal rate on tune is at most target.
    Returns (q, refused, wrongly refused) or None."""
    best = None
    for q in grid or [i / 400 for i in range(0, 17)]:
        (ref, wrong), _ = cv_seeds(data, 0, cut_fn=lambda w, t, q=q: cut_at(w, t, q))
        if wrong <= target:
            best = (q, ref, wrong)
    return best


def main():
    global IN_WEIGHT, SEEDS
    args = sys.argv[1:]
    cv = "--cv" in args
    args = [a for a in args if a != "--cv"]
    target = None
    while args and args[0].startswith("--"):
        opt, val = args[0], args[1]
        args = args[2:]
        if opt == "--also":
            also.append(val)
            NAMES.append(val)
        elif opt == "--general":
            GENERAL.append(val)
        elif opt == "--library":
            LIBRARY.extend(val.split(","))
        elif opt == "--inweight":
            IN_WEIGHT = float(val)
        elif opt == "--seeds":
            SEEDS = tuple(range(1, int(val) + 1))
        elif opt == "--calibrate":
            target = float(val)
        else:
            sys.exit("route-fit: unknown option " + opt)
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
            (ref, wr), (sref, swr) = cv_seeds(data, max_false)
            print("cv at %.0f %% (%d seeds): refused %.3f (sd %.3f), in scope refused %.3f (sd %.3f)"
                  % (100 * max_false, len(SEEDS), ref, sref, wr, swr))
    if target is not None:
        best = calibrate(data, target)
        if best is None:
            print("calibrate: no cut keeps cv false refusals <= %.3f" % target)
        else:
            q, ref, wr = best
            c = cut_at(w, tune, q)
            print("calibrated at cv false refusal <= %.3f: position %.4f, cut %.2f (p %.2f);"
                  " cv refused %.3f, in scope refused %.3f; tune refused %.3f, in scope %.3f"
                  % (target, q, c, 1 / (1 + math.exp(-c)), ref, wr,
                     sum(x >= c for x in out) / len(out), sum(x >= c for x in inscope) / len(inscope)))


if __name__ == "__main__":
    main()
