#!/usr/bin/env python3
"""Mines related words from the library itself (issue 12 §2, term
mismatch; docs/performance.md, branch ret22): for each analysed term, its
neighbours by pointwise mutual information of co-occurrence within
passages, read from the lexical index (postings, src/library/bm25.h: one
10-byte posting per term and passage) so the terms are exactly the
index's stems.  Prints SQL that fills related_terms (word, term, rel 1)
for an experiment database, so that search's existing related-words
expansion (w_related) uses them.

    eval/mine_related.py CONNINFO [--top 3] [--min-df 3] [--max-df 0.1] \
        [--min-co 2] [--keep-wordnet] | psql CONNINFO

An experiment only: the rows go into a copy of a database, never into
the repository.
"""
import argparse
import math
import struct
import subprocess
from collections import defaultdict


def postings(conninfo):
    out = subprocess.run(
        ["psql", conninfo, "-AtF", "\t", "-c",
         "SELECT term, book_id, encode(data, 'hex') FROM postings"],
        check=True, capture_output=True, text=True).stdout
    docs = defaultdict(set)  # term -> passages (book, ordinal)
    for line in out.splitlines():
        term, book, hexdata = line.split("\t")
        data = bytes.fromhex(hexdata)
        for i in range(0, len(data), 10):
            ordinal, _length, tf_body, _s, _c, _d = struct.unpack("<IHBBBB", data[i:i + 10])
            if tf_body > 0:
                docs[term].add((book, ordinal))
    return docs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("conninfo")
    ap.add_argument("--top", type=int, default=3)
    ap.add_argument("--min-df", type=int, default=3)
    ap.add_argument("--max-df", type=float, default=0.1)
    ap.add_argument("--min-co", type=int, default=2)
    ap.add_argument("--keep-wordnet", action="store_true")
    a = ap.parse_args()
    docs = postings(a.conninfo)
    n = len(set().union(*docs.values()))
    terms = [t for t, d in docs.items()
             if a.min_df <= len(d) <= a.max_df * n and " " not in t and not t.isdigit()]
    fwd = defaultdict(list)
    for t in terms:
        for d in docs[t]:
            fwd[d].append(t)
    co = defaultdict(int)
    for ts in fwd.values():
        for i, x in enumerate(ts):
            for y in ts[i + 1:]:
                co[(x, y) if x < y else (y, x)] += 1
    nb = defaultdict(list)
    for (x, y), c in co.items():
        if c < a.min_co:
            continue
        pmi = math.log(c * n / (len(docs[x]) * len(docs[y])))
        # PMI favours rare pairs; weigh by the pair's count (a local PMI).
        score = c * pmi
        if score > 0:
            nb[x].append((score, y))
            nb[y].append((score, x))
    print("BEGIN;")
    if not a.keep_wordnet:
        print("DELETE FROM related_terms;")
    for x, v in sorted(nb.items()):
        for _s, y in sorted(v, reverse=True)[:a.top]:
            print("INSERT INTO related_terms (word, term, rel) VALUES ('%s', '%s', 1) "
                  "ON CONFLICT DO NOTHING;" % (x.replace("'", "''"), y.replace("'", "''")))
    print("COMMIT;")


if __name__ == "__main__":
    main()
