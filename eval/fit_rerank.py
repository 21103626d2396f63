#!/usr/bin/env python3
"""Fits the learned re-ranking's weights (src/library/rerank.h; search.c,
learned(); docs/performance.md, "rank29"), deterministically, from the
feature dumps `plccoach eval` writes when PLCCOACH_RANK_FEATURES names a
file (one line per search: the question and its BM25 candidates in
main's order, each with book id, ordinal, page indexes and the
normalised features).  Built on rank27's eval/fit_rank.py (commit
10274bc).

    eval/fit_rerank.py --fit DUMP QUESTIONS CONNINFO [--fit ...] \\
        [--validate DUMP QUESTIONS CONNINFO ...] [--method pairwise|ascent] \\
        [--lam 0.01] [--top 20] [--folds 5] [--cv-grid] [--save FIT.json] \\
        [--per-question] [--check-eval EVAL.json] [--base FIT.json]

The CONNINFO is the database the run used (printed page labels become
page indexes as `plccoach eval` does).  Main's ranking is the weight 1 on
"main" (its BM25 + proximity, x the quantity factor), every other 0.
The first TOP candidates are ordered by w . f (ties: book id, ordinal),
the rest follow in main's order, then the page de-duplication
(search_dedup()); the rank is the first right passage's among the first
5 (0: none), as the eval counts it.

Methods: "pairwise", logistic regression on pairs (each right passage of
the first TOP against each wrong one, weight 1 / pairs of the question),
L2 towards main's weights, full-batch gradient descent from main's
weights; "ascent", coordinate ascent on MRR@5 from main's weights
(RankLib's and Anserini's coordinate ascent in spirit; written here),
penalised by lam x the squared distance to main's.  Either way the
scale does not matter and "main" is fixed at 1.

--cv-grid runs 5-fold cross-validation (seed 42) on the fit questions
for every method x lam x TOP of the grid and prints MRR and won / lost at
recall@1 against main; --save writes the weights fitted on all the fit
questions with the given settings (eval/gen_rerank.py compiles them).
Only FIT question files may be given as --fit (eval/README.md).
--base FIT.json compares against that fit's ranking ("main" in the
printed lines is then that fit's) instead of main's BM25 order.
"""
import argparse
import json
import math
import operator
import random
import re
import subprocess
import sys

FEATURES = ["main", "prox", "own", "cover", "synonym", "typo", "related", "section", "chapter",
            "window", "page_ev", "chap_ev", "length", "rrank"]
NF = len(FEATURES)
K = 5
W0 = [1.0] + [0.0] * (NF - 1)
STEPS = [0.02, 0.05, 0.1, 0.2, 0.5]


def chunks_of(conninfo):
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


_rows = {}


def load_run(dump, questions, conninfo):
    if conninfo not in _rows:
        _rows[conninfo] = chunks_of(conninfo)
    rows = _rows[conninfo]
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
                cands.append({"book": c["book_id"], "ord": c["ordinal"], "s": c["index_start"],
                              "e": c["index_end"], "rel": rel,
                              "f": (c["f"] + [0.0] * NF)[:NF]})
            out.append({"id": q.get("id", q["question"]), "cands": cands,
                        "any": any(c["rel"] for c in cands)})
    return out


PIN = []  # --pin: (weights, top) of the first stage whose first place stays (recall31)


def ordered(c, w, top, skip=()):
    """Indexes of c without skip: the first top ordered by w . f (ties:
    book id, ordinal), the rest in main's order."""
    t = min(top, len(c))
    head = [i for i in range(t) if i not in skip]
    if t > 1:
        sc = {i: sum(a * b for a, b in zip(w, c[i]["f"])) for i in head}
        head.sort(key=lambda i: (-sc[i], c[i]["book"], c[i]["ord"]))
    return head + [i for i in range(t, len(c)) if i not in skip]


def rank_with(q, w, top):
    """The eval's rank of q's first right passage with weights w on the
    first top candidates (0 = not in the first K).  With --pin (PIN) and
    top above the pinned fit's, the two stages of rerank_two_stage()
    (src/library/rerank.h): the pinned fit's first stays first and w orders
    the rest of the first top."""
    if not q["any"]:
        return 0
    c = q["cands"]
    if PIN and top > PIN[0][1] and c:
        first = ordered(c, PIN[0][0], PIN[0][1])[0]
        order = [first] + ordered(c, w, top, (first,))
    else:
        order = ordered(c, w, top)
    kept = []
    for i in order:
        x = c[i]
        if any(kb == x["book"] and x["s"] <= ke and ks <= x["e"] for kb, ks, ke in kept):
            continue
        if x["rel"]:
            return len(kept) + 1
        kept.append((x["book"], x["s"], x["e"]))
        if len(kept) >= K:
            return 0
    return 0


def mrr(qs, w, top):
    return sum(1 / r for r in (rank_with(q, w, top) for q in qs) if r) / (len(qs) or 1)


ACTIVE = list(range(1, NF))  # the fitted weights (--features); main is fixed at 1


def fit_ascent(qs, lam, top, sweeps=4):
    qs = [q for q in qs if q["any"]]
    w = list(W0)
    pen = lambda t: lam * sum((a - b) ** 2 for a, b in zip(t, W0))
    cur = mrr(qs, w, top) - pen(w)
    for _ in range(sweeps):
        improved = False
        for j in ACTIVE:
            best_t, best = None, cur
            for st in STEPS:
                for d in (st, -st):
                    t = list(w)
                    t[j] = round(t[j] + d, 6)
                    v = mrr(qs, t, top) - pen(t)
                    if v > best + 1e-9:
                        best_t, best = t, v
            if best_t is not None:
                w, cur, improved = best_t, best, True
        if not improved:
            break
    return w


def pairs_of(qs, top):
    pairs = []
    for q in qs:
        c = q["cands"][:top]
        right = [x for x in c if x["rel"]]
        wrong = [x for x in c if not x["rel"]]
        if not right or not wrong:
            continue
        per = 1.0 / (len(right) * len(wrong))
        for r in right:
            for x in wrong:
                pairs.append(([a - b for a, b in zip(r["f"], x["f"])], per))
    return pairs


def fit_pairwise(qs, lam, top, iters=300, rate=1.0):
    """Pairwise logistic loss (RankNet's, linear) over the first top, with
    lam x |w - main's|^2; full-batch gradient descent; then scaled so that
    main's weight is 1 (the order does not change).  The gradient is summed
    a feature column at a time (map over the pairs: the same additions in
    the same order as a loop over pairs, with fewer interpreted steps, so
    that TOP 20 and 40 finish; rank30)."""
    pairs = pairs_of(qs, top)
    nq = len([q for q in qs if q["any"]]) or 1
    ds = [d for d, _ in pairs]
    pers = [per for _, per in pairs]
    cols = [list(c) for c in zip(*ds)] if ds else [[] for _ in range(NF)]
    mul = operator.mul
    w = list(W0)
    for _ in range(iters):
        ps = [per / (1 + math.exp(z)) if z > -30 else per
              for z, per in zip((sum(map(mul, w, d)) for d in ds), pers)]
        g = [-sum(map(mul, ps, col)) for col in cols]
        w = [x - rate * (gk / nq + 2 * lam * (x - x0)) if k == 0 or k in ACTIVE else 0.0
             for k, (x, gk, x0) in enumerate(zip(w, g, W0))]
    if w[0] > 0:
        w = [round(x / w[0], 4) for x in w]
    return w


def fit(qs, method, lam, top):
    return fit_ascent(qs, lam, top) if method == "ascent" else fit_pairwise(qs, lam, top)


def sign_test(g, l):
    n = g + l
    if n == 0:
        return 1.0
    k = min(g, l)
    return min(1.0, 2 * sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n)


def metrics(ranks):
    n = len(ranks) or 1
    return (sum(r == 1 for r in ranks) / n, sum(1 <= r <= K for r in ranks) / n,
            sum(1 / r for r in ranks if r) / n)


def compare(name, base, new):
    g1 = sum(x == 1 and y != 1 for x, y in zip(new, base))
    l1 = sum(y == 1 and x != 1 for x, y in zip(new, base))
    g5 = sum(x >= 1 and y == 0 for x, y in zip(new, base))
    l5 = sum(y >= 1 and x == 0 for x, y in zip(new, base))
    print("%-22s n %3d: main %.3f / %.3f / %.3f -> %.3f / %.3f / %.3f;"
          " @1 +%d -%d (p %.3f), @5 +%d -%d (p %.3f)"
          % ((name, len(base)) + metrics(base) + metrics(new)
             + (g1, l1, sign_test(g1, l1), g5, l5, sign_test(g5, l5))), flush=True)
    return g1, l1


def cv(qs, method, lam, top, folds=5, seed=42):
    rng = random.Random(seed)
    idx = list(range(len(qs)))
    rng.shuffle(idx)
    fold = {i: n % folds for n, i in enumerate(idx)}
    out = [0] * len(qs)
    for f in range(folds):
        w = fit([qs[i] for i in idx if fold[i] != f], method, lam, top)
        for i in range(len(qs)):
            if fold[i] == f:
                out[i] = rank_with(qs[i], w, top)
    return out


def wstr(w):
    return " ".join("%s=%.4g" % (f, x) for f, x in zip(FEATURES, w) if x != 0)


def misses(build, runs, w, top):
    """For each line of runs whose right page is not in the first 5 with
    weights w: where it is (the place, after the de-duplication, among the
    BM25 list's 40) and a cause, the first that holds (docs/performance.md,
    "recall31"): "front matter" (a right page with a roman label); "vocabulary
    gap" (the right pages hold under a third of the question's own terms'
    idf); "split over chunks" (the page holds at least 0.15 more of it than
    its best passage); "near duplicate" (a page of another book in the first 5
    whose idf-weighted cosine with the right page is at least 0.35); "another
    page holds more" (the first passage's pages hold more of it); else
    "ranking".  Terms are the index's (eval/trans-stems.c); idf over the
    database's passages."""
    import collections
    import trans_model as tm
    prog = tm.build_stems(build)
    for name, conninfo, qs, texts in runs:
        def sql(q):
            return subprocess.run(["psql", conninfo, "-XAtF", "\t", "-c", q], check=True,
                                  capture_output=True, text=True).stdout.splitlines()
        pages = {}
        for line in sql("SELECT book_id, page_index, label, translate(text, E'\\n\\t', '  ') "
                        "FROM pages"):
            b, i, lab, t = line.split("\t", 3)
            pages[(b, int(i))] = (lab, t)
        chunks = {}
        for line in sql("SELECT book_id, ordinal, page_index_start, page_index_end, "
                        "translate(text, E'\\n\\t', '  ') FROM chunks"):
            b, o, i0, i1, t = line.split("\t", 4)
            chunks[(b, int(o))] = (int(i0), int(i1), t)
        ck, pk = list(chunks), list(pages)
        cst = dict(zip(ck, map(set, tm.stems(prog, [chunks[k][2] for k in ck]))))
        pst = dict(zip(pk, tm.stems(prog, [pages[k][1] for k in pk])))
        df = collections.Counter(t for k in ck for t in cst[k])
        idf = lambda t: math.log(1 + (len(ck) - df[t] + 0.5) / (df[t] + 0.5))

        def share(terms, bag):
            return sum(idf(t) for t in terms if t in bag) / (sum(idf(t) for t in terms) or 1)

        def cos(a, b):
            ca, cb = collections.Counter(a), collections.Counter(b)
            na = math.sqrt(sum((v * idf(t)) ** 2 for t, v in ca.items()))
            nb = math.sqrt(sum((v * idf(t)) ** 2 for t, v in cb.items()))
            return (sum(ca[t] * cb[t] * idf(t) ** 2 for t in ca) / (na * nb)) if na and nb else 0.0

        rows = _rows[conninfo]
        qterms = tm.stems(prog, [texts[q["id"]]["question"] for q in qs])
        table = collections.Counter()
        for q, qt in zip(qs, qterms):
            c = q["cands"]
            order = ([ordered(c, PIN[0][0], PIN[0][1])[0]] if PIN and top > PIN[0][1] and c
                     else [])
            order += ordered(c, w, top, tuple(order))
            kept = []
            for i in order:
                x = c[i]
                if not any(b == x["book"] and x["s"] <= e and s0 <= x["e"] for b, s0, e, _ in kept):
                    kept.append((x["book"], x["s"], x["e"], x["rel"]))
            pos = next((n + 1 for n, k in enumerate(kept) if k[3]), 0)
            if 1 <= pos <= K:
                continue
            where = ("6-10" if pos <= 10 else "11-20" if pos <= 20 else "21-40") if pos \
                else "not in the 40"
            targets = set()
            for e in texts[q["id"]]["expected"]:
                for p in e.get("pages", []):
                    targets |= resolve(rows, e["book"], p)
            qt = list(dict.fromkeys(qt))
            right = [t for p in sorted(targets) if p in pst for t in pst[p]]
            psh = share(qt, set(right))
            best = max((share(qt, cst[k]) for k in ck
                        if any(k[0] == b and chunks[k][0] <= i <= chunks[k][1] for b, i in targets)),
                       default=0.0)
            top1 = set(t for k in kept[:1] for i in range(k[1], k[2] + 1)
                       for t in pst.get((k[0], i), []))
            dup = max([cos(right, pst.get((k[0], i), [])) for k in kept[:K]
                       if all(k[0] != b for b, _ in targets) for i in range(k[1], k[2] + 1)]
                      + [0.0])
            if any(re.fullmatch(r"[ivxlc]+", pages[p][0]) for p in targets if p in pages):
                cause = "front matter"
            elif psh < 1 / 3:
                cause = "vocabulary gap"
            elif best <= psh - 0.15:
                cause = "split over chunks"
            elif dup >= 0.35:
                cause = "near duplicate"
            elif share(qt, top1) > psh:
                cause = "another page holds more"
            else:
                cause = "ranking"
            table[(where, cause)] += 1
            print("%s %s\t%s\t%s\tpage %.2f best passage %.2f first %.2f dup %.2f" % (
                name, q["id"], where, cause, psh, best, share(qt, top1), dup))
        print("%s: %d lines, %d without a right page in the first %d" % (
            name, len(qs), sum(table.values()), K))
        for (where, cause), n in sorted(table.items()):
            print("  %-14s %-24s %d" % (where, cause, n))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fit", nargs=3, action="append", default=[],
                    metavar=("DUMP", "QUESTIONS", "CONNINFO"))
    ap.add_argument("--validate", nargs=3, action="append", default=[],
                    metavar=("DUMP", "QUESTIONS", "CONNINFO"))
    ap.add_argument("--method", choices=["ascent", "pairwise"], default="pairwise")
    ap.add_argument("--lam", type=float, default=0.01)
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--cv-grid", action="store_true")
    ap.add_argument("--lams", default="0.001,0.01,0.1")
    ap.add_argument("--tops", default="5,10,20,40")
    ap.add_argument("--methods", default="pairwise,ascent")
    ap.add_argument("--weights", help="a fit file to validate instead of fitting")
    ap.add_argument("--base", help="a fit file to compare against instead of main's BM25 order "
                    "(e.g. eval/rerank-fit.json: the re-ranking main ships)")
    ap.add_argument("--save")
    ap.add_argument("--features", help="the features fitted besides main (default: all)")
    ap.add_argument("--check-eval", nargs=2, action="append", default=[],
                    metavar=("NAME", "EVAL_JSON"),
                    help="compare a set's replayed ranks with plccoach eval --per-question's")
    ap.add_argument("--per-question", action="store_true")
    ap.add_argument("--pin", help="a fit file (eval/rerank-fit.json) whose first place stays: "
                    "the fitted weights order places 2..TOP (the deep stage, recall31)")
    ap.add_argument("--misses", metavar="BUILD",
                    help="print where and why each line of the --fit and --validate sets has "
                    "no right page in the first 5 (with --weights; BUILD for the analyser)")
    a = ap.parse_args()
    if a.pin:
        d = json.load(open(a.pin))
        PIN.append(([float(d["weights"].get(f, 0.0)) for f in FEATURES], d["top"]))
    if a.features:
        ACTIVE[:] = [FEATURES.index(f) for f in a.features.split(",") if f != "main"]
    fits = [(r[1].split("/")[-1], load_run(*r)) for r in a.fit]
    vals = [(r[1].split("/")[-1], load_run(*r)) for r in a.validate]
    qs = [x for _, s in fits for x in s]
    if a.cv_grid:
        base = [rank_with(q, *(PIN[0] if PIN else (W0, 0))) for q in qs]
        for method in a.methods.split(","):
            for top in [int(x) for x in a.tops.split(",")]:
                for lam in [float(x) for x in a.lams.split(",")]:
                    compare("CV %s N%d lam%g" % (method, top, lam), base,
                            cv(qs, method, lam, top))
        return 0
    if a.weights:
        d = json.load(open(a.weights))
        w = [float(d["weights"].get(f, 0.0)) for f in FEATURES]
        top = d["top"]
    else:
        top = a.top
        w = fit(qs, a.method, a.lam, top)
    print("weights (%s, lam %g, top %d): %s" % (a.method, a.lam, top, wstr(w)))
    if a.misses:
        runs = []
        for (dump, questions, conninfo), (name, s) in zip(a.fit + a.validate, fits + vals):
            texts = {}
            for line in open(questions):
                if line.strip():
                    d = json.loads(line)
                    texts[d.get("id", d["question"])] = d
            runs.append((name, conninfo, s, texts))
        misses(a.misses, runs, w, top)
        return 0
    wb, topb = PIN[0] if PIN else (W0, 0)
    if a.base:
        d = json.load(open(a.base))
        wb, topb = [float(d["weights"].get(f, 0.0)) for f in FEATURES], d["top"]
    for name, s in fits:
        compare("fit " + name, [rank_with(q, wb, topb) for q in s], [rank_with(q, w, top) for q in s])
    for name, s in vals:
        base = [rank_with(q, wb, topb) for q in s]
        new = [rank_with(q, w, top) for q in s]
        compare("VALIDATE " + name, base, new)
        if a.per_question:
            for q, x, y in zip(s, base, new):
                if x != y:
                    print("  %s %d -> %d" % (q["id"], x, y))
    for name, path in a.check_eval:
        s = dict(fits + vals)[name]
        ev = {q["id"]: q["rank"] for q in json.load(open(path))["questions"]
              if q.get("category") == "in_scope"}
        diff = sum(1 for q in s if ev.get(q["id"]) != rank_with(q, w, top))
        print("check %s against %s: %d of %d differ" % (name, path, diff, len(s)))
    if a.save:
        about = ("method %s, lam %g, top %d, features %s, fitted on %s (%d questions)"
                 % (a.method, a.lam, top, ",".join(FEATURES[j] for j in ACTIVE),
                    ", ".join(n for n, _ in fits), len(qs)))
        json.dump({"about": about, "method": a.method, "lam": a.lam, "top": top,
                   "weights": {f: x for f, x in zip(FEATURES, w)}}, open(a.save, "w"), indent=1)
        print("saved", a.save)
    return 0


if __name__ == "__main__":
    sys.exit(main())
