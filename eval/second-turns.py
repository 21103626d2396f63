#!/usr/bin/env python3
"""Out-of-scope second turns: a conversation that begins in the library's
field and whose second turn leaves it (issue 12, section 4; follow28 in
docs/performance.md).  Python 3 standard library only.

    second-turns.py SCOPE PAGES [SEED]
        prints, one JSON line each, every out_of_scope line of SCOPE
        (train-scope.jsonl or valid-scope.jsonl) asked as the second turn
        after the question of an in_scope line of PAGES (train-pages.jsonl
        or valid-pages.jsonl, the same split), drawn by a seeded random
        draw (SEED, default 28); then, for each, a short form that opens
        like a follow-up, "and what about X?", where X is the out-of-scope
        question's longest run of words that are not stop words (at most
        three words, after "my" or "the"), with the opening drawn from
        OPENINGS; a short form is left out when a word of X is a word of
        an in_scope question of PAGES ("the smart goal", "the monthly
        data meeting": out of its question, X may be the field's subject
        again).  Every line keeps its category out_of_scope, route
        refuse and no expected page; ids are the out-of-scope line's id
        followed by "-2" (asked as written) or "-s" (the short form).

    plccoach eval FILE --coach scores them: each line's context is asked
    first (and answered), then its question; every one should be refused.
    The in-scope lines of PAGES are first turns only: nothing is fitted
    on them here.
"""
import json
import random
import re
import sys

STOP = set("""a an the and or but so if of to in on at for from with by about into over
under as is are was were be been being do does did have has had i me my we our
us you your he she it its they them their this that these those what which who whom
whose when where why how can could should would will shall may might must not no
yes just also then than too very really any some all each every other another more
most much many few lot lots get got getting go going make made want need like know
think tell help please ok okay hey hi im i'm ive i've id i'd dont don't cant can't
whats what's hows how's thats that's there here best good way ways thing things
one ones out up down off again still even only own same such""".split())

OPENINGS = ["and what about {x}?", "what about {x} then", "ok and what about {x}?",
            "how about {x}?", "and {x}?", "also what about {x}"]


def words(text):
    return re.findall(r"[A-Za-z0-9][A-Za-z0-9'’-]*", text)


def subject(question):
    """The question's longest run of words that are not stop words (by
    letters; the first on a tie), its last three words."""
    best, run = [], []
    for w in words(question) + [""]:
        if w and w.lower() not in STOP:
            run.append(w)
            continue
        if sum(map(len, run)) > sum(map(len, best)):
            best = run
        run = []
    return best[-3:]


def short_form(question, rng, field):
    x = subject(question)
    if not x or any(w.lower() in field for w in x):
        return None
    article = "my" if rng.random() < 0.5 else "the"
    return rng.choice(OPENINGS).format(x=article + " " + " ".join(x).lower())


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main(argv):
    if len(argv) not in (3, 4):
        sys.stderr.write(__doc__)
        return 2
    scope, pages = load(argv[1]), load(argv[2])
    rng = random.Random(int(argv[3]) if len(argv) == 4 else 28)
    firsts = [q["question"] for q in pages if q.get("category") == "in_scope"]
    field = {w.lower() for f in firsts for w in words(f)}
    if not firsts:
        sys.stderr.write("second-turns.py: no in_scope line in %s\n" % argv[2])
        return 1
    out, short = [], []
    for q in scope:
        if q.get("category") != "out_of_scope":
            continue
        first = rng.choice(firsts)
        base = {"category": "out_of_scope", "area": q.get("area", ""), "expected": [],
                "domains": [], "kind": "none", "route": "refuse", "context": [first]}
        out.append(dict(base, id=q["id"] + "-2", question=q["question"]))
        s = short_form(q["question"], rng, field)
        if s is not None:
            short.append(dict(base, id=q["id"] + "-s", question=s))
    for line in out + short:
        print(json.dumps(line, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
