#!/usr/bin/env python3
"""Standalone questions asked mid-conversation: the rewrite's "leave it
alone" path (issue 12, section 4; follow31 in docs/performance.md).
Python 3 standard library only.

    standalone-pairs.py BOOKS PAGES [SEED]
        prints, one JSON line each, every in_scope line of PAGES that has
        an expected page, asked as the second turn after the question of
        another in_scope line of PAGES drawn by a seeded random draw (SEED,
        default 31) from those whose expected pages all lie in chapters
        other than every chapter of the line's own expected pages (its
        context: a first turn about something else).  Each line keeps its
        expected pages, key terms, domains and route, becomes category
        follow_up with "context": [that question] and "standalone": true,
        and its id is the line's id followed by "-a" (for "after").
        Chapters are read from BOOKS, the directory of the evaluation
        library's sources (eval/holdout/books: "<!-- page N -->" marks a
        printed page, "# " a chapter; front matter before the first
        chapter is a chapter of its own; a book BOOKS does not hold, the
        starter library's, counts as one chapter).

    standalone-pairs.py BOOKS PAGES SEED --alone
        prints the same lines as asked alone (category in_scope, no
        context, ids unchanged): the comparison the pairs are read
        against, in the same run.

    standalone-pairs.py BOOKS PAGES SEED --announce [--alone]
        the same lines (and the same draw of first turns), each question
        opened by a change of subject announced in one of the forms of
        ANNOUNCE, drawn by a second seeded draw (SEED + 1): "ok different
        question. how do we ...".  The forms are written from
        docs/performance.md's "announce34" markers, not from any
        question of a set; with --alone the same opened questions asked
        alone, the comparison.

    plccoach eval FILE --coach --json --per-question scores them: a pair
    whose question loses its right page (right_page false) that the
    question asked alone keeps was lost to the conversation.  Nothing is
    fitted on the second turns here: they are the training set's (or
    tune's, or a validation set's) own questions.
"""
import json
import os
import random
import re
import sys


# Openings that announce a new subject (announce34's markers, written
# from general English; none is taken from an evaluation set's line).
ANNOUNCE = [
    "ok different question. ", "Different question: ", "another question - ",
    "new question: ", "separate question, ", "ok, unrelated question: ", "New topic: ",
    "different topic. ", "also, unrelated, but ", "on another note, ", "on a different note: ",
    "switching gears, ", "changing the subject, ", "one more thing: ",
    "quick question about something else: ", "by the way, ", "btw ", "never mind, ",
    "ok so I have another question. ", "moving on: ", "something else: ", "off topic but ",
]


def chapters(books_dir):
    """{(title, printed page): chapter number} (0 for front matter)."""
    out = {}
    for name in sorted(os.listdir(books_dir)):
        if not (name.endswith(".book") or name.endswith(".md")):
            continue
        title, page, chapter = None, None, 0
        with open(os.path.join(books_dir, name), encoding="utf-8") as f:
            for line in f:
                m = re.match(r"title:\s*(.+?)\s*$", line)
                if title is None and m:
                    title = m.group(1)
                m = re.match(r"<!--\s*page\s+(\S+)\s*-->", line)
                if m:
                    page = m.group(1).lower()
                    out[(title, page)] = chapter
                    continue
                if re.match(r"#\s+Chapter\b", line) and page is not None:
                    chapter += 1
                    out[(title, page)] = chapter  # a chapter that starts on the page
    return out


def line_chapters(line, chap):
    """The (title, chapter) pairs of line's expected pages; a book that
    BOOKS does not hold (the starter library's) counts as one chapter
    (title, None); None when a page of a book of BOOKS is not found."""
    out, known = set(), {t for t, _ in chap}
    for e in line.get("expected", []):
        for p in e.get("pages", []):
            if e["book"] not in known:
                out.add((e["book"], None))
                continue
            c = chap.get((e["book"], str(p).lower()))
            if c is None:
                return None
            out.add((e["book"], c))
    return out


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main(argv):
    alone = "--alone" in argv
    announce = "--announce" in argv
    args = [a for a in argv[1:] if a not in ("--alone", "--announce")]
    if len(args) not in (2, 3):
        sys.stderr.write(__doc__)
        return 2
    chap = chapters(args[0])
    seed = int(args[2]) if len(args) == 3 else 31
    rng = random.Random(seed)
    opener = random.Random(seed + 1)
    lines = [q for q in load(args[1]) if q.get("category") == "in_scope" and q.get("expected")]
    where = [(q, line_chapters(q, chap)) for q in lines]
    where = [(q, c) for q, c in where if c]
    for q, c in where:
        books = {b for b, _ in c if (b, None) in c}
        others = [o["question"] for o, oc in where
                  if not (oc & c) and not any(b in books or (b, None) in c for b, _ in oc)]
        first = rng.choice(others)  # drawn whether or not --alone: the same draw
        if announce:
            q = dict(q, question=opener.choice(ANNOUNCE) + q["question"])
        if alone:
            print(json.dumps(dict(q), ensure_ascii=False))
            continue
        out = dict(q, id=q["id"] + "-a", category="follow_up", context=[first], standalone=True)
        print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
