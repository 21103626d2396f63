#!/usr/bin/env python3
"""Fits the learned reranker's weights (src/library/search_rerank.c) by
coordinate ascent on MRR@5 (Metzler and Croft's linear feature model, as
RankLib does it), with k-fold cross-validation over the questions.

Input: the feature dumps `plccoach eval` writes when PLCCOACH_RANK_FEATURES
names a file (one line per search: the BM25 candidates in BM25 order, each
with its book, pages and features; src/library/README.md, "The learned
reranker"), the question files those runs read, and for each dump the
database it ran on (to turn printed page labels into page indexes exactly
as `plccoach eval` does).

    eval/fit_rerank.py --run DUMP QUESTIONS CONNINFO [--run ...] \
        [--folds 5] [--seed 42] [--features bm25,prox,...]

Prints, per fold and pooled, the cross-validated recall@1, recall@5 and
MRR (each test fold ranked by weights fitted on the other folds) beside
the defaults' (BM25 + w_prox 0.5 x proximity, which is what the dump's
order already is), the sign test over questions gained and lost, and the
weights fitted on every question (the `--set` line to reproduce them).
Only tune and eval/ question files may be given (eval/README.md).
"""
import argparse
import json
import math
import random
import re
import subprocess
import sys

FEATURES = ["bm25", "prox", "own", "vector", "cover", "window", "heading", "length", "rrank"]
K = 5
W_PROX = 0.5  # the default ranking: raw BM25 + W_PROX x raw proximity


def chunks_of(conninfo):
    """Every chunk's book title, printed pages and page indexes."""
    out = subprocess.run(
        ["psql", conninfo, "-AtF", "\t", "-c",
         "SELECT b.title, c.page_start, c.page_end, c.page_index_start, c.page_index_end "
         "FROM chunks c JOIN books b ON b.id = c.book_id"],
        check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        t, ps, pe, i0, i1 = line.split("\t")
        rows.append((t, ps, pe, int(i0), int(i1)))
    return rows


def resolve(rows, book, label):
    """The page indexes a printed label names in book (cmd_eval.c resolve())."""
    idx = set()
    num = re.fullmatch(r"[0-9]{1,6}", label) is not None
    for t, ps, pe, i0, i1 in rows:
        if t != book:
            continue
        if ps == label:
            idx.add(i0)
        if pe == label:
            idx.add(i1)
        if (num and re.fullmatch(r"[0-9]{1,6}", ps) and re.fullmatch(r"[0-9]{1,6}", pe)
                and int(ps) <= int(label) <= int(pe) and int(pe) - int(ps) == i1 - i0):
            idx.add(i0 + int(label) - int(ps))
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
            q = json.loads(line)
            if not q.get("expected") or q["question"] not in searches:
                continue
            targets = set()
            for e in q["expected"]:
                for p in e.get("pages", []):
                    for i in resolve(rows, e["book"], p):
                        targets.add((e["book"], i))
            if not targets:
                continue
            d = searches[q["question"]]
            cands = []
            for c in d["candidates"]:
                rel = any(b == c["book"] and c["index_start"] <= i <= c["index_end"]
                          for b, i in targets)
                default = (c["f"][0] * d["bm25_max"] + W_PROX * c["f"][1] * d["prox_max"])
                cands.append((c["book"], c["index_start"], c["index_end"], rel, c["f"], default))
            out.append({"id": q.get("id", q["question"]), "cands": cands})
    return out


def rank_of(q, score):
    """The rank (1..K, 0 = not in the top K) of the first right passage
    when the candidates are ordered by score (ties: BM25 order), after
    page de-duplication (search_dedup())."""
    order = sorted(range(len(q["cands"])), key=lambda i: (-score(q["cands"][i]), i))
    kept = []
    for i in order:
        b, s, e, rel, _, _ = q["cands"][i]
        if any(kb == b and s <= ke and ks <= e for kb, ks, ke in kept):
            continue
        kept.append((b, s, e))
        if rel:
            return len(kept) if len(kept) <= K else 0
        if len(kept) >= K:
            return 0
    return 0


def linear(w):
    return lambda c: sum(wi * fi for wi, fi in zip(w, c[4]))


def default_score(c):
    return c[5]


def metrics(ranks):
    n = len(ranks)
    return (sum(r == 1 for r in ranks) / n, sum(1 <= r <= K for r in ranks) / n,
            sum(1 / r for r in ranks if r) / n)


def mrr(qs, w):
    s = linear(w)
    return sum(1 / r for r in (rank_of(q, s) for q in qs) if r) / len(qs)


def fit(qs, active, seed, restarts=3, rounds=4):
    """Coordinate ascent on MRR@K over the active features, weights with an
    L1 norm of 1 (RankLib's: a line search per coordinate, several random
    restarts, the best kept)."""
    rng = random.Random(seed)
    best_w, best = None, -1
    steps = [0.0001, 0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0]
    for restart in range(restarts):
        w = [0.0] * len(FEATURES)
        for j in active:
            w[j] = 1.0 / len(active) if restart == 0 else rng.random()
        if restart == 0 and FEATURES.index("bm25") in active:
            w = [0.0] * len(FEATURES)
            w[FEATURES.index("bm25")] = 1.0
        cur = mrr(qs, w)
        for _ in range(rounds):
            improved = False
            for j in active:
                for sign in (1, -1):
                    for st in steps:
                        t = list(w)
                        t[j] += sign * st
                        norm = sum(abs(x) for x in t)
                        if norm == 0:
                            continue
                        t = [x / norm for x in t]
                        m = mrr(qs, t)
                        if m > cur + 1e-9:
                            w, cur, improved = t, m, True
            if not improved:
                break
        if cur > best:
            best_w, best = w, cur
    return best_w, best


def sign_test(gained, lost):
    n = gained + lost
    if n == 0:
        return 1.0
    k = min(gained, lost)
    p = sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n
    return min(1.0, 2 * p)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", nargs=3, action="append", required=True,
                    metavar=("DUMP", "QUESTIONS", "CONNINFO"))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--features", default=",".join(FEATURES))
    a = ap.parse_args()
    active = [FEATURES.index(f) for f in a.features.split(",")]
    sets = [(q, load_run(*r)) for q, r in ((r[1], r) for r in a.run)]
    qs = [x for _, s in sets for x in s]
    rng = random.Random(a.seed)
    idx = list(range(len(qs)))
    rng.shuffle(idx)
    fold = {i: n % a.folds for n, i in enumerate(idx)}
    cv_rank = [0] * len(qs)
    for f in range(a.folds):
        train = [qs[i] for i in range(len(qs)) if fold[i] != f]
        w, m = fit(train, active, a.seed + f)
        for i in range(len(qs)):
            if fold[i] == f:
                cv_rank[i] = rank_of(qs[i], linear(w))
        print("fold %d: train MRR %.3f, weights %s" % (
            f, m, " ".join("%s=%.4f" % (FEATURES[j], w[j]) for j in active)))
    def_rank = [rank_of(q, default_score) for q in qs]
    start = 0
    for name, s in sets:
        end = start + len(s)
        d, c = def_rank[start:end], cv_rank[start:end]
        print("%s (%d questions): defaults r@1 %.3f r@5 %.3f MRR %.3f; "
              "cross-validated r@1 %.3f r@5 %.3f MRR %.3f" % ((name, len(s)) + metrics(d) + metrics(c)))
        g1 = sum(x == 1 and y != 1 for x, y in zip(c, d))
        l1 = sum(y == 1 and x != 1 for x, y in zip(c, d))
        g5 = sum(x >= 1 and y == 0 for x, y in zip(c, d))
        l5 = sum(y >= 1 and x == 0 for x, y in zip(c, d))
        print("  recall@1 gained %d lost %d (sign test p %.3f); recall@5 gained %d lost %d (p %.3f)"
              % (g1, l1, sign_test(g1, l1), g5, l5, sign_test(g5, l5)))
        start = end
    w, m = fit(qs, active, a.seed)
    print("all questions: training MRR %.3f (the training fit, not a measure)" % m)
    print("--set rerank=1 " + " ".join("--set rr_%s=%.4f" % (FEATURES[j], w[j])
                                      for j in range(len(FEATURES)) if w[j] != 0))


if __name__ == "__main__":
    sys.exit(main())
