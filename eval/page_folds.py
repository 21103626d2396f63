#!/usr/bin/env python3
"""Splits evaluation lines into page-disjoint folds (docs/performance.md,
"trans33" and "rerank33"): the in-scope lines of the given files in FOLDS
folds by their first expected page, so that a fold's translation table
can be fitted on every FIT pair about none of its lines' pages
(eval/trans_model.py --exclude-pages-of OUT/vfold-K.jsonl) and the fold
ranked by a binary linked with that table.

    eval/page_folds.py OUT eval/holdout/valid-pages.jsonl \\
        eval/holdout/stress-pages.jsonl eval/holdout/fresh-pages.jsonl \\
        eval/holdout/fresh2-pages.jsonl [--folds 5] [--seed 1]

The pages: the distinct (book, page) of the first expected entry's first
page of every in-scope line, sorted, shuffled by random.Random(SEED),
dealt round robin (the i-th page to fold i mod FOLDS).  Writes
OUT/vfold-K.jsonl (the fold's lines of every file, in the files' order)
and OUT/NAME-K.jsonl for each file (NAME its name without "-pages.jsonl"
or ".jsonl"), K = 0..FOLDS-1; prints each fold's pages and lines.
Validation and gate files may be split (they are only run, never
fitted on); the split reads no answer.
"""
import argparse
import json
import os
import random
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("files", nargs="+")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    lines = []  # (name, line) of every in-scope line with an expected page
    for path in a.files:
        name = os.path.basename(path)
        for suffix in ("-pages.jsonl", ".jsonl"):
            if name.endswith(suffix):
                name = name[: -len(suffix)]
                break
        with open(path) as f:
            for text in f:
                if not text.strip():
                    continue
                q = json.loads(text)
                if q.get("category") == "in_scope" and q.get("expected") and \
                        q["expected"][0].get("pages"):
                    lines.append((name, q))
    key = lambda q: (q["expected"][0]["book"], q["expected"][0]["pages"][0])
    pages = sorted({key(q) for _, q in lines})
    random.Random(a.seed).shuffle(pages)
    fold = {p: i % a.folds for i, p in enumerate(pages)}
    os.makedirs(a.out, exist_ok=True)
    names = list(dict.fromkeys(n for n, _ in lines))
    for k in range(a.folds):
        mine = [(n, q) for n, q in lines if fold[key(q)] == k]
        with open(os.path.join(a.out, "vfold-%d.jsonl" % k), "w") as f:
            f.writelines(json.dumps(q) + "\n" for _, q in mine)
        for name in names:
            with open(os.path.join(a.out, "%s-%d.jsonl" % (name, k)), "w") as f:
                f.writelines(json.dumps(q) + "\n" for n, q in mine if n == name)
        print("fold %d: %d pages, %d lines" % (k, sum(v == k for v in fold.values()), len(mine)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
