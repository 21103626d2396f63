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

Fit and validation apart (branch scope27): FILE... are the fit files;
--validate FILE adds a file that is only reported, never fitted on (the
check set's tune half).  The cut is then the lowest at which at most 1 %
of all the fit files' in-scope and follow-up lines are refused (--cut-on
tune: tune's only); --baseline route.h compares with the decision that
header #defines, and --protect FILE (dev, coach, follow-ups) raises the
cut until no answerable or broad line of FILE that the baseline does not
refuse is refused.  --words nb|lr adds the learned word model as a signal
(naive Bayes or L2-regularised logistic regression, --words-l2 X, over the
question's stems and stem bigrams, --no-bigrams for stems only,
--words-min N questions a feature needs; out-of-fold scores for the fit),
--top N prints its N largest weights each way, --emit FILE writes it as
src/coach/scope_model.c; --also person adds the first person; --show and
--show-fit list the validation's and the fit files' missed and wrongly
refused questions.

The pre-registered rule of round 28 (branch scope29, t/coach/route-refit.sh):
--oof-cut sets the cut on out-of-fold logits of the whole decision (each
of 5 seeded folds scored by a word model and weights fitted without it;
nested_oof), at most --max-false F of the in-scope and follow-up lines
refused; --oof-seeds N prints it for seeds 1..N (the cut is seed 1's) and
--oof-only stops there (--show-oof lists the misses); --stress FILE scores
a file never fitted on, the first setting rule (b)'s cut (the higher of
the two is kept); --newton fits the combination by Newton's method (the
same objective, to convergence); --nb-alpha A smooths naive Bayes by A;
--words-dedupe counts a question's copies once; --also student / mine
add one student's case and "my" with a non-team object (measured, not
kept).  Never give it features of eval/holdout/heldout.jsonl
or of the check set's gate half (eval/holdout/README.md)."""
import collections
import functools
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
    cat, route, kind = r["category"], r["route"], r.get("kind", "")
    if cat == "" and route == "":  # eval/dev.jsonl: kind only
        route = {"none": "refuse", "answerable": "answer"}.get(kind, "")
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


# First-person words (scope27, 2c; measured, not kept): one teacher's own
# business (my pay, my sub plans) against the team's (our norms, we), by
# words.h's words (ASCII letters and digits, an inner apostrophe kept).
SINGULAR = {"i", "my", "me", "mine", "myself", "i'm", "im", "i've", "ive", "i'd", "i'll"}
PLURAL = {"we", "our", "us", "ours", "ourselves", "we're", "we've", "we'd", "we'll"}


def person(r):
    """(singular + 0.5) / (singular + plural + 1) over the question's
    first-person words; 0.5 when it has none (route-features' person,
    route_person() in route.c, when it prints it)."""
    if "person" in r:
        return r["person"]
    ws = re.findall(r"[a-z0-9]+(?:'[a-z][a-z0-9]*)*", r["question"].lower())
    one, many = sum(w in SINGULAR for w in ws), sum(w in PLURAL for w in ws)
    return (one + 0.5) / (one + many + 1)


# One student's business and my own things (scope29, 2: what the fit
# data's near misses show; words.h's words, lower-cased).
ONE_KID = re.compile(r"\b(?:a|an|one|this|that|my) (?:[a-z0-9']+ )?(?:student|kid|child|boy|girl|son|"
                     r"daughter|grader|kindergartner|kindergartener|freshman|sophomore|teen|teenager)\b"
                     r"|\bone of (?:my|our) (?:kids|students)\b"
                     r"|\b(?:he|she|him|her|his|hers|himself|herself)\b")
TEAM_THINGS = {"team", "teams", "teammates", "teammate", "colleagues", "colleague", "plc", "plcs", "grade",
               "department", "dept", "students", "kids", "class", "classes", "group", "groups", "school",
               "staff", "building", "data", "unit", "units", "teachers"}


def qwords_lower(r):
    return re.findall(r"[a-z0-9]+(?:'[a-z][a-z0-9]*)*", r["question"].lower())


def student(r):
    """1 when the question speaks of one student ("a kid in my class",
    "one of my students", he / she): an individual's case, not the team's."""
    return float(bool(ONE_KID.search(" ".join(qwords_lower(r)))))


def mine(r):
    """1 when "my" owns something that is not the team's work ("my
    roth ira", "my evaluation", "my classroom"; not "my team", "my
    students")."""
    ws = qwords_lower(r)
    return float(any(w == "my" and i + 1 < len(ws) and ws[i + 1] not in TEAM_THINGS
                     for i, w in enumerate(ws)))


ALSO = {
    "student": student,
    "mine": mine,
    "person": person,
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


def five(r):
    return [r["coverage"], r["best"], min(r["lexicon"], 4) / 4, min(r["unknown"], 3) / 3,
            r["specificity"]]


def features(r):
    return five(r) + ([r["_words"]] if WORDS else []) + [ALSO[a](r) for a in also]


def logit(w, x):
    return w[0] + sum(a * b for a, b in zip(w[1:], x))


NEWTON = [False]  # --newton: fit() by Newton's method (scope29)


def solve(a, b):
    """x with a x = b (Gaussian elimination, partial pivoting)."""
    n = len(b)
    m = [row[:] + [v] for row, v in zip(a, b)]
    for c in range(n):
        p = max(range(c, n), key=lambda i: abs(m[i][c]))
        m[c], m[p] = m[p], m[c]
        for i in range(c + 1, n):
            f = m[i][c] / m[c][c]
            for j in range(c, n + 1):
                m[i][j] -= f * m[c][j]
    x = [0.0] * n
    for i in range(n - 1, -1, -1):
        x[i] = (m[i][n] - sum(m[i][j] * x[j] for j in range(i + 1, n))) / m[i][i]
    return x


def fit_newton(xs, ys):
    """The minimum of fit()'s objective (class-balanced log loss + L2 / 2
    on the weights but the intercept) by Newton's method, to convergence:
    deterministic like fit(), and some fifty times faster, which the
    nested cross-validation of --oof-cut needs."""
    n, m = len(xs[0]) + 1, len(ys)
    pos = sum(ys)
    k = {1: m / (2 * pos), 0: IN_WEIGHT * m / (2 * (m - pos))}
    rows = [[1.0] + list(x) for x in xs]
    w = [0.0] * n
    for _ in range(100):
        g = [L2 * w[j] if j else 0.0 for j in range(n)]
        h = [[(L2 if i == j and i else 0.0) for j in range(n)] for i in range(n)]
        for x, y in zip(rows, ys):
            z = sum(a * b for a, b in zip(w, x))
            p = 1 / (1 + math.exp(-max(min(z, 35), -35)))
            e, v = (p - y) * k[y] / m, p * (1 - p) * k[y] / m
            for i in range(n):
                g[i] += e * x[i]
                vi = v * x[i]
                hi = h[i]
                for j in range(i + 1):
                    hi[j] += vi * x[j]
        for i in range(n):
            for j in range(i):
                h[j][i] = h[i][j]
        step = solve(h, g)
        w = [a - b for a, b in zip(w, step)]
        if max(abs(v) for v in step) < 1e-10:
            break
    return w


def fit(xs, ys):
    """Gradient descent by columns (map over whole columns: the same sums as
    row by row, several times faster)."""
    if NEWTON[0]:
        return fit_newton(xs, ys)
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


# ---- Fit and validation files (branch scope27) ---------------------------
# --validate FILE: route-features lines that are never fitted on (the check
# set's tune half); the weights and the cut come from the other (FIT) files
# only, and the cut is the lowest at which at most MAX_FALSE of ALL the fit
# files' in-scope and follow-up lines are refused (--cut-on tune: tune's
# only, as main's decision was cut).
VALIDATE = []
CUT_ON = ["all"]
PROTECT = []  # --protect FILE: no answerable line of it refused that the baseline answers
BASELINE = []  # --baseline route.h: the decision of that header, for comparison


def header_decision(path):
    """The weights and cut #defined in a route.h (ROUTE_W*, ROUTE_OUT_LOGIT)."""
    d = dict(re.findall(r"#define (ROUTE_\w+) \(?([-+0-9.]+)\)?", open(path).read()))
    w = [float(d[k]) for k in ("ROUTE_W0", "ROUTE_W_COVERAGE", "ROUTE_W_BEST", "ROUTE_W_LEXICON",
                               "ROUTE_W_UNKNOWN", "ROUTE_W_SPECIFICITY")]
    for k in ("ROUTE_W_WORDS", "ROUTE_W_PERSON"):
        w.append(float(d.get(k, 0)))
    return w, float(d["ROUTE_OUT_LOGIT"])


def base_features(r):
    """The features a header_decision weighs: the five, the word model's
    score (this run's) and the first person."""
    return five(r) + [r.get("_words", 0), person(r)]


# ---- The learned word model (--words; branch scope27) --------------------
# A class-balanced, L2-regularised logistic regression over the question's
# analysed stems (route-features' "stems": library/analyze.h, stop words
# dropped) and stem bigrams, present or not, trained on the fit files'
# in-scope and follow-up lines against their out-of-scope and near-miss
# lines.  Only general-English words: a stem is a feature when one of the
# words it came from in the training questions is a WordNet 3.0 lemma (no
# typo, no name, no coinage of one library's books) and it occurs in at
# least WORDS_MIN training questions; a bigram when both its stems are.
# Its score is the model's probability of out of scope; the fit of the
# combination uses out-of-fold scores (WORDS_FOLDS folds, seed 1), so the
# sixth weight and the cut are not fitted on scores the model memorised.
WORDS = []      # "lr": the model above; empty: no word model
WORDS_MIN = 2   # --words-min N
WORDS_L2 = [0.03]  # --words-l2 X: per-row L2 (the gradient's L2 * w)
WORDS_STEPS, WORDS_RATE, WORDS_FOLDS = 400, 1.0, 5
EMIT = []       # --emit FILE: the final model as src/coach/scope_model.c
TOP = [0]       # --top N: print the N largest weights each way


def stem_words(r):
    """(stem, word) pairs of the question, the words as written, lower-cased."""
    return list(zip(r["stems"], r.get("stem_words", r["stems"])))


@functools.lru_cache(maxsize=None)
def word_ok(w):
    return bool(lemmas(w.lower())) and not any(c.isdigit() for c in w)


def vocabulary(rows):
    """The features the training rows allow: general-English stems in at
    least WORDS_MIN questions, and bigrams of two such stems likewise."""
    general_, df = set(), collections.Counter()
    for r in rows:
        for st, w in stem_words(r):
            if word_ok(w):
                general_.add(st)
    seen = set()
    for r in rows:
        key = " ".join(r["stems"]) if WORDS_DEDUPE[0] else id(r)
        if key not in seen:
            seen.add(key)
            df.update(set(raw_features(r)))
    return {f for f, n in df.items() if n >= WORDS_MIN
            and all(p in general_ for p in f.split(" "))}


BIGRAMS = [True]  # --no-bigrams: stems alone
WORDS_DEDUPE = [False]  # --words-dedupe: a question's copies (the same stems) count once
NB_ALPHA = [1.0]  # --nb-alpha A: naive Bayes's additive smoothing


def raw_features(r):
    st = r["stems"]
    return st + ([a + " " + b for a, b in zip(st, st[1:])] if BIGRAMS[0] else [])


def train_nb(rows):
    """--words nb: naive Bayes over the same features, present or not
    (each question's features counted once), Laplace-smoothed (1), the
    classes' priors equal: (0, {feature: log P(f | out) / P(f | in)})."""
    vocab = vocabulary(rows)
    n = {0: collections.Counter(), 1: collections.Counter()}
    for r in rows:
        n[label(r)].update(f for f in set(raw_features(r)) if f in vocab)
    a = NB_ALPHA[0]
    tot = {y: sum(n[y].values()) + a * len(vocab) for y in (0, 1)}
    return 0.0, {f: math.log((n[1][f] + a) / tot[1]) - math.log((n[0][f] + a) / tot[0]) for f in vocab}


def train_words(rows):
    if WORDS[0] == "nb":
        return train_nb(rows)
    return train_lr(rows)


def train_lr(rows):
    """(intercept, {feature: weight}) by full-batch gradient descent with
    AdaGrad steps, fixed in number (deterministic)."""
    vocab = sorted(vocabulary(rows))
    index = {f: i for i, f in enumerate(vocab)}
    xs = [sorted(set(index[f] for f in raw_features(r) if f in index)) for r in rows]
    ys = [label(r) for r in rows]
    m, pos = len(ys), sum(ys)
    k = {1: m / (2 * pos), 0: m / (2 * (m - pos))}
    w, b = [0.0] * len(vocab), 0.0
    gw, gb = [1e-8] * len(vocab), 1e-8
    l2 = WORDS_L2[0]
    for _ in range(WORDS_STEPS):
        g, g0 = [0.0] * len(vocab), 0.0
        for x, y in zip(xs, ys):
            z = b + sum(w[i] for i in x)
            e = ((1 / (1 + math.exp(-z)) if z > -30 else 0.0) - y) * k[y] / m
            g0 += e
            for i in x:
                g[i] += e
        for i in range(len(vocab)):
            gi = g[i] + l2 * w[i] / 1.0
            gw[i] += gi * gi
            w[i] -= WORDS_RATE * gi / math.sqrt(gw[i])
        gb += g0 * g0
        b -= WORDS_RATE * g0 / math.sqrt(gb)
    return b, {f: w[i] for f, i in index.items() if abs(w[i]) >= 1e-4}


def words_logit(model, r):
    b, w = model
    return b + sum(w.get(f, 0.0) for f in set(raw_features(r)))


def words_score(model, r):
    z = words_logit(model, r)
    return 1 / (1 + math.exp(-max(min(z, 30), -30)))


def attach_words(fit_rows, val_rows):
    """Out-of-fold word scores on the fit rows, the full model's on the
    validation rows; returns the full model."""
    lab = [r for r in fit_rows if label(r) is not None]
    order = list(range(len(lab)))
    random.Random(1).shuffle(order)
    for f in range(WORDS_FOLDS):
        held = set(order[f::WORDS_FOLDS])
        model = train_words([r for i, r in enumerate(lab) if i not in held])
        for i in held:
            lab[i]["_words"] = words_score(model, lab[i])
    model = train_words(lab)
    for r in val_rows:
        r["_words"] = words_score(model, r)
    for r in fit_rows:
        r.setdefault("_words", words_score(model, r))
    return model


def emit_model(model, path):
    """The model as C: src/coach/scope_model.c's table, sorted by strcmp."""
    b, w = model
    with open(path, "w") as f:
        f.write("/*\n * GENERATED by t/coach/route-fit.py --words %s --emit: do not edit.\n"
                " * The scope decision's learned word model (src/coach/scope_model.h,\n"
                " * src/coach/README.md, \"Scope\"): weights of the question's analysed stems\n"
                " * and stem bigrams, learned from the fit files' questions.\n */\n"
                "#include \"config.h\"\n\n#include \"coach/scope_model.h\"\n\n" % WORDS[0])
        f.write("const double scope_model_intercept = %.6g;\n\n" % b)
        f.write("const struct scope_weight scope_model_weights[] = {\n")
        for k in sorted(w, key=lambda s: s.encode()):
            f.write("    {\"%s\", %.6g},\n" % (k, w[k]))
        f.write("};\n\nconst size_t scope_model_count = sizeof(scope_model_weights) / "
                "sizeof(scope_model_weights[0]);\n")


# ---- Out-of-fold cut (branch scope29; /work/notes/prereg-28.md) ----------
# --oof-cut: the cut is set on out-of-fold logits of the whole decision:
# the fit lines are drawn into OOF_FOLDS folds (seeded), and each fold's
# lines are scored by a word model and combination weights fitted without
# them (the combination on inner out-of-fold word scores, as the final fit
# is); the cut is the lowest, in hundredths, at which at most MAX_FALSE of
# the in-scope and follow-up lines are refused by those logits.
OOF_FOLDS = 5
OOF_CUT = [False]  # --oof-cut
STRESS = []  # --stress PAGES [--stress SCOPE]: rule (b) on PAGES, both reported
OOF_SEEDS = [1]  # --oof-seeds N: the variant comparison's draws, 1..N (the cut: seed 1)


def oof_word_scores(rows, seed):
    """{id(r): r's word score by a model trained without its fold}."""
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    out = {}
    for f in range(WORDS_FOLDS):
        held = set(order[f::WORDS_FOLDS])
        model = train_words([r for i, r in enumerate(rows) if i not in held])
        for i in held:
            out[id(rows[i])] = words_score(model, rows[i])
    return out


def feats(r, ws):
    """features(r) with ws as its word score."""
    r["_words"] = ws
    return features(r)


def fit_combination(rows, ws):
    """The combination's weights, rounded as route.h writes them, with the
    word scores ws ({id(r): score})."""
    xs = [feats(r, ws.get(id(r), 0.0)) for r in rows]
    return [round(v, 2) for v in fit(xs, [label(r) for r in rows])]


def nested_oof(lab, seed):
    """{id(r): r's logit by a decision fitted without r's fold}."""
    order = list(range(len(lab)))
    random.Random(seed).shuffle(order)
    z = {}
    for f in range(OOF_FOLDS):
        held = set(order[f::OOF_FOLDS])
        train = [r for i, r in enumerate(lab) if i not in held]
        model, ws = None, {}
        if WORDS:
            ws = oof_word_scores(train, seed)
            model = train_words(train)
        w = fit_combination(train, ws)
        for i in held:
            r = lab[i]
            z[id(r)] = logit(w, feats(r, words_score(model, r) if model else 0.0))
    return z


def cut_refusing(rows, z, max_false):
    """The lowest cut (hundredths) at which at most max_false of rows'
    in-scope and follow-up lines are refused (refuses(): the safety topics
    whatever the cut, a broad question in the lexicon's words never),
    with logits z ({id(r): logit}); None when the safety topics alone
    exceed it."""
    ins = [r for r in rows if label(r) == 0]
    allowed = int(max_false * len(ins) + 1e-9)
    forced = sum(r["safety"] for r in ins)
    elig = sorted((z[id(r)] for r in ins if not r["safety"] and not (r["broad"] and r["lexicon"] >= 2)),
                  reverse=True)
    k = allowed - forced
    if k < 0:
        return None
    if k >= len(elig):
        return -math.inf
    return math.floor(elig[k] * 100 + 1) / 100


def oof_report(lab, z, cut, tag):
    """Refused and wrongly refused out of fold at cut."""
    out = [r for r in lab if label(r) == 1]
    ins = [r for r in lab if label(r) == 0]
    ro = sum(refuses(r, z[id(r)], cut) for r in out)
    ri = sum(refuses(r, z[id(r)], cut) for r in ins)
    print("%s: cut %.2f; out of fold refused %.3f (%d of %d), wrongly refused %.4f (%d of %d)"
          % (tag, cut, ro / len(out), ro, len(out), ri / len(ins), ri, len(ins)))
    return ro, ri


def main_oof(lab):
    """The variant's out-of-fold figures at MAX_FALSE, per seed; returns
    the cut of seed 1."""
    cuts, refused = [], []
    for seed in OOF_SEEDS:
        z = nested_oof(lab, seed)
        cut = cut_refusing(lab, z, MAX_FALSE)
        ro, _ = oof_report(lab, z, cut, "oof seed %d" % seed)
        if "--show-oof" in sys.argv and seed == OOF_SEEDS[0]:
            for r in sorted(lab, key=lambda r: -z[id(r)]):
                if (label(r) == 1) != refuses(r, z[id(r)], cut):
                    print("   %s %.2f %s: %s" % ("missed" if label(r) == 1 else "WRONG ", z[id(r)],
                                               r.get("category") or r.get("kind"), r["question"]))
        cuts.append(cut)
        refused.append(ro)
    if len(OOF_SEEDS) > 1:
        m = sum(refused) / len(refused)
        sd = math.sqrt(sum((x - m) ** 2 for x in refused) / (len(refused) - 1))
        print("oof over %d seeds: refused %.1f (sd %.1f) of %d" % (len(refused), m, sd,
                                                                   sum(label(r) == 1 for r in lab)))
    return cuts[0]


def score_file(path, w, model):
    """A scored file's lines with the final decision's logits: [(row, z)]."""
    rows = [json.loads(line) for line in open(path)]
    return [(r, logit(w, feats(r, words_score(model, r) if model else 0.0))) for r in rows]


def mcnemar(b, c):
    """Exact two-sided sign test on the discordant pairs b, c."""
    n, k = b + c, min(b, c)
    if n == 0:
        return 1.0
    p = sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n
    return min(1.0, 2 * p)


def refuses(r, z, cut):
    """The coach's refusal by a scope logit z (route_classify: a too-broad
    question in the lexicon's words is clarified instead; the safety topics
    are refused whatever the decision, as route-features' rules say)."""
    return r["safety"] or (z >= cut and not (r["broad"] and r["lexicon"] >= 2))


def report(name, rows, w, cut, base=None, show=False):
    out = [r for r in rows if label(r) == 1]
    ins = [r for r in rows if label(r) == 0]
    ro = [refuses(r, logit(w, features(r)), cut) for r in out]
    ri = [refuses(r, logit(w, features(r)), cut) for r in ins]
    line = "%s: refused %.3f (%d of %d), wrongly refused %.3f (%d of %d)" % (
        name, sum(ro) / max(len(out), 1), sum(ro), len(out), sum(ri) / max(len(ins), 1), sum(ri), len(ins))
    if base is not None:
        bw, bc = base
        bo = [refuses(r, logit(bw, base_features(r)), bc) for r in out]
        bi = [refuses(r, logit(bw, base_features(r)), bc) for r in ins]
        b = sum(x and not y for x, y in zip(ro, bo))
        c = sum(y and not x for x, y in zip(ro, bo))
        line += "; baseline refused %d, wrongly %d; refused by this only %d, by the baseline only %d (sign test p %.3f); wrongly refused by this only %d" % (
            sum(bo), sum(bi), b, c, mcnemar(b, c), sum(x and not y for x, y in zip(ri, bi)))
    broad = [r for r in rows if label(r) is None and not r["safety"]]
    if broad:
        line += "; broad refused %d of %d" % (sum(refuses(r, logit(w, features(r)), cut) for r in broad), len(broad))
        if base is not None:
            line += " (baseline %d)" % sum(refuses(r, logit(base[0], base_features(r)), base[1]) for r in broad)
    print(line)
    if show:
        for r, x in zip(out, ro):
            if not x:
                print("   missed  %.2f %s" % (logit(w, features(r)), r["question"]))
        for r, x in zip(ins, ri):
            if x:
                print("   WRONG   %.2f %s" % (logit(w, features(r)), r["question"]))


def main_validate(fit_files, opts):
    rows = [json.loads(line) for f in fit_files for line in open(f)]
    val = [dict(json.loads(line), _vfile=f) for f in VALIDATE for line in open(f)]
    base = header_decision(BASELINE[0]) if BASELINE else None
    model = None
    oof_cut = None
    if OOF_CUT[0]:
        oof_cut = main_oof([r for r in rows if label(r) is not None])
        if "--oof-only" in opts:
            return
        for r in rows:
            r.pop("_words", None)
    if WORDS:
        model = attach_words(rows, val)
        if EMIT:
            emit_model(model, EMIT[0])
        if TOP[0]:
            ws = sorted(model[1].items(), key=lambda kv: kv[1])
            print("word model: %d features, intercept %+.2f" % (len(model[1]), model[0]))
            print("  towards in scope: " + ", ".join("%s %+.2f" % kv for kv in ws[:TOP[0]]))
            print("  towards out of scope: " + ", ".join("%s %+.2f" % kv for kv in ws[::-1][:TOP[0]]))
    data = [(features(r), label(r), r) for r in rows if label(r) is not None]
    w = [round(v, 2) for v in fit([d[0] for d in data], [d[1] for d in data])]  # as route.h has them
    pool = data if CUT_ON[0] == "all" else [d for d in data if is_tune(d)]
    cut = cut_for(w, pool, MAX_FALSE) if oof_cut is None else oof_cut
    if model is not None:
        # The protected files as the coach will score them: with the final
        # word model (trained on them too), not out of fold.
        for r in rows:
            if os.path.basename(r["file"]) in PROTECT:
                r["_words"] = words_score(model, r)
        data = [(features(r), label(r), r) for r in rows if label(r) is not None]
    if PROTECT and base and oof_cut is None:
        # No new false refusal on these files: above every answerable line
        # of theirs that the baseline answers.
        keep = [logit(w, features(r)) for r in rows if label(r) != 1 and not r["safety"]
                and os.path.basename(r["file"]) in PROTECT
                and not refuses(r, logit(base[0], base_features(r)), base[1])]
        if keep and max(keep) >= cut:
            print("cut raised from %.2f: no answerable or broad line of %s newly refused"
                  % (cut, ", ".join(PROTECT)))
            cut = math.floor(max(keep) * 100 + 1) / 100
    bl = (base[0], base[1]) if base else None
    print("intercept %+.2f" % w[0])
    for name, v in zip(NAMES, w[1:]):
        print("%-12s %+.2f" % (name, v))
    print("cut %.2f (p %.2f), at most %.1f %% of the fit files' in-scope lines (%s%s)"
          % (cut, 1 / (1 + math.exp(-cut)), 100 * MAX_FALSE, CUT_ON[0],
             ", out of fold" if oof_cut is not None else ""))
    if STRESS:
        cut = stress_cut(w, model, cut, bl)
    for name in sorted(set(r["file"] for r in rows)):
        report("fit " + os.path.basename(name), [r for r in rows if r["file"] == name], w, cut, bl,
               show="--show-fit" in opts)
    report("fit, all", rows, w, cut, bl)
    for name in VALIDATE:
        report("VALIDATION " + os.path.basename(name), [r for r in val if r["_vfile"] == name],
               w, cut, bl, show="--show" in opts)


def stress_cut(w, model, cut_a, base):
    """Rule (b) (/work/notes/prereg-28.md): the lowest cut at which at
    most MAX_FALSE of the stress file's in-scope lines are refused by the
    final decision; returns the higher of it and cut_a, and reports the
    stress files at that cut."""
    pages = score_file(STRESS[0], w, model)
    ins = [r for r, _ in pages if r.get("category") == "in_scope"]
    cut_b = cut_refusing(ins, {id(r): z for r, z in pages}, MAX_FALSE)
    cut = max(cut_a, cut_b)
    print("rule (b): cut %.2f at most %.1f %% of %s's %d in-scope lines refused; "
          "the cut, the higher of (a) %.2f and (b): %.2f" % (cut_b, 100 * MAX_FALSE,
                                                           os.path.basename(STRESS[0]), len(ins), cut_a, cut))
    for f in STRESS:
        sc = score_file(f, w, model)
        for r, z in sc:
            r["_words"] = words_score(model, r) if model else 0.0
        report("STRESS " + os.path.basename(f), [r for r, _ in sc], w, cut, base, show="--show" in sys.argv)
    return cut


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
    global IN_WEIGHT, SEEDS, WORDS_MIN, MAX_FALSE
    args = sys.argv[1:]
    flags = ("--cv", "--show", "--show-fit", "--no-bigrams", "--oof-cut", "--oof-only", "--newton", "--words-dedupe",
             "--show-oof")
    cv = "--cv" in args
    opts = [a for a in args if a in flags]
    args = [a for a in args if a not in flags]
    BIGRAMS[0] = "--no-bigrams" not in opts
    OOF_CUT[0] = "--oof-cut" in opts
    NEWTON[0] = "--newton" in opts
    WORDS_DEDUPE[0] = "--words-dedupe" in opts
    target = None
    files = []
    while args:
        if not args[0].startswith("--"):
            files.append(args.pop(0))
            continue
        opt, val = args[0], args[1]
        args = args[2:]
        if opt == "--max-false":
            MAX_FALSE = float(val)
        elif opt == "--oof-seeds":
            OOF_SEEDS[:] = range(1, int(val) + 1)
        elif opt == "--nb-alpha":
            NB_ALPHA[0] = float(val)
        elif opt == "--stress":
            STRESS.append(val)
        elif opt == "--validate":
            VALIDATE.append(val)
        elif opt == "--cut-on":
            CUT_ON[0] = val
        elif opt == "--protect":
            PROTECT.append(os.path.basename(val))
        elif opt == "--baseline":
            BASELINE.append(val)
        elif opt == "--words":
            WORDS.append(val)
            NAMES.append("words")
        elif opt == "--words-min":
            WORDS_MIN = int(val)
        elif opt == "--words-l2":
            WORDS_L2[0] = float(val)
        elif opt == "--emit":
            EMIT.append(val)
        elif opt == "--top":
            TOP[0] = int(val)
        elif opt == "--also":
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
    args = files
    if VALIDATE or WORDS or OOF_CUT[0]:
        main_validate(files, opts)
        return
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
