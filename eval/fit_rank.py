#!/usr/bin/env python3
"""Fits the learned first-page ranking's weights (src/library/search.c,
learned(); docs/performance.md, "rank27") by coordinate ascent on MRR@5,
regularised towards main's ranking, deterministically.

Input: the feature dumps `plccoach eval` writes when PLCCOACH_RANK_FEATURES
names a file (one line per search: every BM25 candidate in main's order,
with its book, page indexes, quantity factor and, for the first
SEARCH_LEARNED_TOP, its features; src/library/README.md, "The learned
ranking"), the question files those runs read, and the database each ran
on (to turn printed page labels into page indexes as `plccoach eval`
does).

    eval/fit_rank.py --fit DUMP QUESTIONS CONNINFO [--fit ...] \\
        [--validate DUMP QUESTIONS CONNINFO ...] [--features bm25,prox,...] \\
        [--lam 0.01] [--folds 5] [--seed 42] [--per-question]

Main's ranking is the weights bm25 1, prox 0.5 (w_prox), every other 0,
times the quantity factor, as the dump's order already is; the script
checks that it replays it.  The score's scale does not matter, so the
bm25 weight stays 1 and the others are fitted: each in turn moved by the
step of STEPS that raises MRR@5 - lam x sum((w - main's)^2) most, sweeps
until none does.  Prints the cross-validated figures over the fit sets
(each fold ranked by weights fitted on the others), the weights fitted
on all of them with the `--set` line, and the validation sets' figures
with those weights, beside main's, with won / lost and the two-sided
sign test at recall@1 and recall@5.  Only training, tune and eval/
question files may be given as --fit (eval/README.md).
"""
import argparse
import json
import math
import random
import re
import subprocess
import sys

FEATURES = ["bm25", "prox", "window", "own", "cover", "expand", "heading", "page", "rrank",
            "length", "domain"]
MAIN = {"bm25": 1.0, "prox": 0.5}
K = 5
TOP = 20  # SEARCH_LEARNED_TOP: the features dumped
REORDER = TOP  # learned_top: the passages put in order again (--top)
STEPS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0]


def chunks_of(conninfo):
    """Every chunk's book title, book id, printed pages and page indexes."""
    out = subprocess.run(
        ["psql", conninfo, "-XAtF", "\t", "-c",
         "SELECT b.title, b.id, c.page_start, c.page_end, c.page_index_start, c.page_index_end "
         "FROM chunks c JOIN books b ON b.id = c.book_id"],
        check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        t, bid, ps, pe, i0, i1 = line.split("\t")
        rows.append((t, bid, ps, pe, int(i0), int(i1)))
    return rows


def resolve(rows, book, label):
    """The (book id, page index) pairs a printed label names in the books
    titled book (db/pages.c pages_by_label())."""
    idx = set()
    num = re.fullmatch(r"[0-9]{1,6}", label) is not None
    for t, bid, ps, pe, i0, i1 in rows:
        if t != book:
            continue
        if ps == label:
            idx.add((bid, i0))
        if pe == label:
            idx.add((bid, i1))
        if (num and re.fullmatch(r"[0-9]{1,6}", ps) and re.fullmatch(r"[0-9]{1,6}", pe)
                and int(ps) <= int(label) <= int(pe) and int(pe) - int(ps) == i1 - i0):
            idx.add((bid, i0 + int(label) - int(ps)))
    return idx


def load_run(dump, questions, conninfo):
    rows = chunks_of(conninfo)
    searches = {}
    with open(dump) as f:
        for line in f:
            d = json.loads(line)
            searches.setdefault(d["question"], d)
    out = []
    with open(questions) as f:
        for line in f:
            if not line.strip():
                continue
            q = json.loads(line)
            if q.get("category", "in_scope") != "in_scope" or not q.get("expected"):
                continue
            targets = set()
            for e in q["expected"]:
                for p in e.get("pages", []):
                    targets |= resolve(rows, e["book"], p)
            d = searches.get(q["question"])
            cands = []
            for c in (d["candidates"] if d else []):
                rel = any(b == c["book_id"] and c["index_start"] <= i <= c["index_end"]
                          for b, i in targets)
                cands.append((c["book_id"], c["index_start"], c["index_end"], rel, c["f"], c["qf"]))
            out.append(prepare({"id": q.get("id", q["question"]), "cands": cands}))
    return out


def prepare(q):
    """Columns of the first TOP candidates' features, for fast scoring."""
    c = q["cands"]
    top = min(TOP, len(c))
    q["top"] = top
    q["cols"] = [[c[i][4][j] if len(c[i][4]) > j else 0.0 for i in range(top)]
                 for j in range(len(FEATURES))]
    q["qf"] = [c[i][5] for i in range(top)]
    q["any"] = any(x[3] for x in c)
    return q


def rank_scores(q, s):
    """The rank (1..K, 0 = not in the first K) of the first right passage
    when the first TOP candidates are ordered by s x the quantity factor
    (ties: main's order) and the rest follow in main's order, after the
    page de-duplication (search_dedup())."""
    if not q["any"]:
        return 0
    c = q["cands"]
    qf = q["qf"]
    top = min(q["top"], REORDER)
    order = sorted(range(top), key=lambda i: (-(s[i] * qf[i]), i))
    kept = []
    for i in order + list(range(top, len(c))):
        b, st, e, rel = c[i][0], c[i][1], c[i][2], c[i][3]
        if any(kb == b and st <= ke and ks <= e for kb, ks, ke in kept):
            continue
        if rel:
            return len(kept) + 1
        kept.append((b, st, e))
        if len(kept) >= K:
            return 0
    return 0


def scores(q, w):
    cols = q["cols"]
    s = [0.0] * q["top"]
    for j, wj in enumerate(w):
        if wj:
            col = cols[j]
            for i in range(q["top"]):
                s[i] += wj * col[i]
    return s


def rank_of(q, w):
    return rank_scores(q, scores(q, w))


def main_weights():
    return [MAIN.get(f, 0.0) for f in FEATURES]


def metrics(ranks):
    n = len(ranks) or 1
    return (sum(r == 1 for r in ranks) / n, sum(1 <= r <= K for r in ranks) / n,
            sum(1 / r for r in ranks if r) / n)


def objective(qs, w, lam, w0):
    m = sum(1 / r for r in (rank_of(q, w) for q in qs) if r) / len(qs)
    return m - lam * sum((a - b) ** 2 for a, b in zip(w, w0))


def fit(qs, active, lam, sweeps=6):
    """Coordinate ascent from main's weights; deterministic.  Each step
    moves one weight: the questions' scores are the current ones plus the
    step times that feature's column."""
    qs = [q for q in qs if q["any"]]
    n = len(qs) or 1
    w0 = main_weights()
    w = list(w0)
    base = [scores(q, w) for q in qs]
    pen = lambda t: lam * sum((a - b) ** 2 for a, b in zip(t, w0))
    cur = sum(1 / r for r in (rank_scores(q, b) for q, b in zip(qs, base)) if r) / n - pen(w)
    for _ in range(sweeps):
        improved = False
        for j in active:
            if FEATURES[j] == "bm25":
                continue
            best_d, best = None, cur
            for st in STEPS:
                for d in (st, -st):
                    t = list(w)
                    t[j] = round(t[j] + d, 6)
                    m = 0.0
                    for q, b in zip(qs, base):
                        col = q["cols"][j]
                        r = rank_scores(q, [x + d * y for x, y in zip(b, col)])
                        if r:
                            m += 1 / r
                    v = m / n - pen(t)
                    if v > best + 1e-9:
                        best_d, best = d, v
            if best_d is not None:
                w[j] = round(w[j] + best_d, 6)
                base = [scores(q, w) for q in qs]
                cur, improved = best, True
        if not improved:
            break
    return w, cur


def fit_pairwise(qs, active, lam, iters=400, rate=0.5):
    """Pairwise logistic regression (RankNet's loss, linear): for each
    question, each right passage among the first TOP against each wrong
    one, the log-loss of (s_right - s_wrong) x the quantity factors,
    plus lam x sum((w - main's)^2); full-batch gradient descent from
    main's weights, deterministic.  The fitted weights are scaled so that
    bm25's is 1 (the order does not change)."""
    pairs = []
    for q in qs:
        c, top = q["cands"], min(q["top"], REORDER)
        right = [i for i in range(top) if c[i][3]]
        wrong = [i for i in range(top) if not c[i][3]]
        if not right or not wrong:
            continue
        per = 1.0 / (len(right) * len(wrong))
        for i in right:
            for j in wrong:
                d = [q["cols"][k][i] * q["qf"][i] - q["cols"][k][j] * q["qf"][j]
                     for k in range(len(FEATURES))]
                pairs.append((d, per))
    w0 = main_weights()
    w = list(w0)
    nq = len(qs) or 1
    act = list(active)
    dp = [([d[k] for k in act], per) for d, per in pairs]
    wa = [w[k] for k in act]
    w0a = [w0[k] for k in act]
    for _ in range(iters):
        g = [0.0] * len(act)
        for d, per in dp:
            z = sum(x * y for x, y in zip(wa, d))
            p = per / (1 + math.exp(z)) if z > -30 else per
            for k, x in enumerate(d):
                g[k] -= p * x
        wa = [x - rate * (gk / nq + 2 * lam * (x - x0)) for x, gk, x0 in zip(wa, g, w0a)]
    for k, x in zip(act, wa):
        w[k] = x
    b = w[FEATURES.index("bm25")]
    w = [round(x / b, 4) if b > 0 else x for x in w]
    return w, 0.0


def sign_test(gained, lost):
    n = gained + lost
    if n == 0:
        return 1.0
    k = min(gained, lost)
    return min(1.0, 2 * sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n)


def compare(name, base, new, per_question=False, ids=None):
    g1 = sum(x == 1 and y != 1 for x, y in zip(new, base))
    l1 = sum(y == 1 and x != 1 for x, y in zip(new, base))
    g5 = sum(x >= 1 and y == 0 for x, y in zip(new, base))
    l5 = sum(y >= 1 and x == 0 for x, y in zip(new, base))
    print("%s (%d): main r@1 %.3f r@5 %.3f MRR %.3f -> %.3f / %.3f / %.3f;"
          " @1 +%d -%d (p %.3f), @5 +%d -%d (p %.3f)"
          % ((name, len(base)) + metrics(base) + metrics(new)
             + (g1, l1, sign_test(g1, l1), g5, l5, sign_test(g5, l5))))
    if per_question and ids:
        for i, x, y in zip(ids, new, base):
            if x != y:
                print("  %s main %d -> %d" % (i, y, x))
    return g1, l1, g5, l5


def weights_str(w, active):
    return " ".join("%s=%.4g" % (FEATURES[j], w[j]) for j in active)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fit", nargs=3, action="append", required=True,
                    metavar=("DUMP", "QUESTIONS", "CONNINFO"))
    ap.add_argument("--validate", nargs=3, action="append", default=[],
                    metavar=("DUMP", "QUESTIONS", "CONNINFO"))
    ap.add_argument("--features", default=",".join(FEATURES))
    ap.add_argument("--lam", type=float, default=0.01)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--no-cv", action="store_true")
    ap.add_argument("--top", type=int, default=TOP, help="learned_top")
    ap.add_argument("--method", choices=["ascent", "pairwise"], default="ascent")
    ap.add_argument("--per-question", action="store_true")
    a = ap.parse_args()
    active = [FEATURES.index(f) for f in a.features.split(",")]
    global REORDER
    REORDER = a.top
    fits = [(r[1], load_run(*r)) for r in a.fit]
    vals = [(r[1], load_run(*r)) for r in a.validate]
    qs = [x for _, s in fits for x in s]
    w0 = main_weights()
    fitter = fit if a.method == "ascent" else fit_pairwise
    if not a.no_cv and a.folds > 1:
        rng = random.Random(a.seed)
        idx = list(range(len(qs)))
        rng.shuffle(idx)
        fold = {i: n % a.folds for n, i in enumerate(idx)}
        cv = [0] * len(qs)
        for f in range(a.folds):
            train = [qs[i] for i in range(len(qs)) if fold[i] != f]
            w, _ = fitter(train, active, a.lam)
            for i in range(len(qs)):
                if fold[i] == f:
                    cv[i] = rank_of(qs[i], w)
            print("fold %d: %s" % (f, weights_str(w, active)))
        start = 0
        for name, s in fits:
            end = start + len(s)
            compare("CV " + name, [rank_of(q, w0) for q in s], cv[start:end])
            start = end
        compare("CV all fit sets", [rank_of(q, w0) for q in qs], cv)
    w, obj = fitter(qs, active, a.lam)
    print("fitted on all fit sets (objective %.4f): %s" % (obj, weights_str(w, active)))
    print("--set learned=1 --set learned_top=%d " % a.top + " ".join("--set lw_%s=%.4g" % (FEATURES[j], w[j])
                                       for j in range(len(FEATURES)) if w[j] != 0))
    for name, s in fits:
        compare("in-sample " + name, [rank_of(q, w0) for q in s], [rank_of(q, w) for q in s])
    for name, s in vals:
        compare("VALIDATE " + name, [rank_of(q, w0) for q in s], [rank_of(q, w) for q in s],
                a.per_question, [q["id"] for q in s])


if __name__ == "__main__":
    sys.exit(main())
