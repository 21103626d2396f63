#!/usr/bin/env python3
"""The translation table of query expansion (src/library/README.md,
"Translations"; docs/performance.md, "trans28").

Fits, by EM, a translation model in the manner of IBM Model 1 (Berger and
Lafferty 1999) between the analysed stems of a teacher's question and the
stems of the printed page the question expects, on the FIT pairs only:

  * eval/holdout/train-pages.jsonl: in-scope lines (question -> page) and
    follow-ups' standalone first turns (context[0] -> the follow-up's page);
  * eval/holdout/tune.jsonl and the check set's tune half
    (eval/holdout/holdout.py check-half ... tune), the same way.

Each token of the page is generated either by the library's background
(the unigram distribution of every page of the evaluation library, weight
--background) or by one of the question's stems q, chosen uniformly, with
probability t(w | q); EM learns t.  Kept: q != w, t(w | q) >= --floor, w a
term of the starter library (content/starter/, so the table holds field
words, not the evaluation books' own topics), q in at least --min-questions
fit questions, at most --per-word translations of each q, and (trans33)
supported by at least --min-pages distinct pages: pages a fit question
holding q expects and that hold w (the committed table: 8; a translation
learned from one page's questions is that page remembered, no help on a
library the table never saw; docs/performance.md, "trans33").
--no-subject (trans37, measured and not kept; the committed table does not
use it) also leaves out of the sources the words that name no subject
(NO_SUBJECT: function words, sentence adverbs, light verbs).

  eval/trans_model.py --build var/build --floor 0.01 --per-word 16 --min-pages 8 \
      --emit src/library/trans_model.c
  eval/trans_model.py --build var/build --print 40       # read the pairs
  eval/trans_model.py --build var/build --folds 5 --fold 2 --seed 1 \
      --emit F.c --fold-questions F.jsonl    # 5-fold CV: fit on the others

The stems come from eval/trans-stems.c (the index's own analysis), built
here against the build directory's libplccoach.a.
"""
import argparse
import collections
import glob
import json
import math
import os
import random
import re
import shlex
import subprocess
import sys
import tempfile

SRC = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

# trans37 (--no-subject; measured, not kept): words that name no subject,
# then never a translation's source.  What
# EM learns for such a word is the page distribution of the fit questions
# at large (the words of the pages most asked about: "actually" -> second,
# third, unit, week), which on another question or another library ranks
# passages by what the fit questions asked most, not by what this question
# asks.  The classes, not the entries' effects, decide (docs/performance.md,
# "trans37"): English function words that slip past the analyser's stop
# list (embed_local.c) as contractions or their fragments, prepositions
# it lacks, question words, pronouns, determiners and quantifiers; ordinals and sequence words;
# comparators; sentence adverbs and intensifiers; light verbs (topic35's
# list, eval/offtopic-sections.py, and a few more).  Field words stay
# sources even where every page uses them (team, plc, student, teacher,
# meet, time, start, grade): they say what a question is about.  Each is
# analysed as the index analyses it; a question stem equal to the word or
# its stem is not translated.
NO_SUBJECT = """
what whats how hows why whys who whos whom when whens where wheres which
whichever whatever however
re ve ll im id youre theyre were weve youve theyve ive dont doesnt didnt isnt
arent wasnt werent cant couldnt wont wouldnt shouldnt hasnt havent hadnt mustnt
lets thats theres heres its
without within across among toward towards against around behind beside
beyond despite per via upon onto throughout instead
i me my mine myself we us our ours ourselves you your yours yourself
yourselves he him his she her hers they them their theirs themselves it itself
someone somebody something somewhere anyone anybody anything anywhere everyone
everybody everything everywhere noone nobody nothing nowhere
whole each every either neither all any some none both several lot lots
kind kinds sort sorts bit
first second third fourth fifth next last previous former latter
vs versus differ different difference differences same similar similarly other
another else
actual actually real really often always usually sometimes never ever even
still just already also quite pretty rather very basically simply generally
especially exactly probably maybe perhaps certainly definitely truly
literally honestly seriously totally completely anyway somehow though
keep keeps keeping kept do does doing did done make makes making made get gets
getting got gotten go goes going went gone use uses using used want wants
wanting wanted need needs needing needed try tries trying tried help helps
helping helped take takes taking took taken give gives giving gave given put
puts putting let come comes coming came have has having had say says saying
said tell tells telling told know knows knowing knew known think thinks
thinking thought see sees seeing saw seen look looks looking looked find finds
seem seems seemed become becomes became happen happens happened deal deals
dealing dealt work works working worked feel feels feeling felt show shows
showing showed shown run runs running ran set sets setting turn turns turning
turned mean means meaning meant tend tends
""".split()


def build_stems(build):
    """Compiles eval/trans-stems.c against BUILD; returns the program."""
    mk = open(os.path.join(build, "Makefile")).read()
    var = lambda name: (re.search(r"^%s = (.*)$" % name, mk, re.M) or [None, ""])[1]
    libs = " ".join(m for m in re.findall(r"^[A-Z_]+_LIBS = (.*)$", mk, re.M))
    out = os.path.join(tempfile.mkdtemp(prefix="trans-stems."), "trans-stems")
    cmd = "%s -O2 -I%s -I%s/src %s %s/libplccoach.a %s %s -lm -o %s" % (
        var("CC") or "cc", build, SRC, os.path.join(SRC, "eval/trans-stems.c"), build, libs,
        var("LIBS"), out)
    subprocess.run(shlex.split(cmd), check=True)
    return out


def stems(prog, texts):
    """The analysed terms of each text (a list of lists)."""
    inp = "".join(t.replace("\n", " ") + "\n" for t in texts)
    out = subprocess.run([prog], input=inp, capture_output=True, text=True, check=True).stdout
    lines = out.split("\n")[: len(texts)]
    return [l.split() for l in lines]


def no_subject_stems(prog):
    """trans37: NO_SUBJECT's words and their analysed stems."""
    out = set(NO_SUBJECT)
    for ts in stems(prog, NO_SUBJECT):
        out.update(ts)
    return out


def book_pages(path):
    """(title, {printed label: text}) of a .book or .md of the library."""
    text = open(path, encoding="utf-8").read()
    title = re.search(r"^title:\s*(.+)$", text, re.M).group(1).strip()
    pages = {}
    for m in re.finditer(r"<!-- page (\S+) -->(.*?)(?=<!-- page |\Z)", text, re.S):
        body = re.sub(r"^::\w+", "", m.group(2), flags=re.M)
        pages[m.group(1)] = re.sub(r"<!--.*?-->", " ", body, flags=re.S)
    return title, pages


def fit_pairs(files, check):
    """(id, question, book, label) of the FIT files' pairs."""
    pairs = []
    lines = []
    for f in files:
        lines += [json.loads(l) for l in open(f) if l.strip()]
    if check:
        half = subprocess.run([sys.executable, os.path.join(SRC, "eval/holdout/holdout.py"),
                               "check-half", check, "tune"], capture_output=True, text=True,
                              check=True).stdout
        lines += [json.loads(l) for l in half.splitlines() if l.strip()]
    for d in lines:
        if d.get("category") == "in_scope":
            q = d["question"]
        elif d.get("category") == "follow_up" and d.get("context"):
            q = d["context"][0]
        else:
            continue
        for e in d.get("expected", []):
            for p in e["pages"]:
                pairs.append((d["id"], q, e["book"], p, d))
    return pairs


def em(data, background, lam, iters):
    """t[q][w] by EM over data: [(question stems, Counter of page stems)]."""
    t = collections.defaultdict(dict)
    for qs, page in data:
        for q in sorted(set(qs)):
            for w in page:
                t[q][w] = 1.0
    for q in t:
        z = float(len(t[q]))
        for w in t[q]:
            t[q][w] /= z
    for _ in range(iters):
        cnt = collections.defaultdict(lambda: collections.defaultdict(float))
        for qs, page in data:
            uq = sorted(set(qs))
            for w, c in page.items():
                parts = [(1 - lam) / len(uq) * t[q].get(w, 0.0) for q in uq]
                z = lam * background.get(w, 1e-9) + sum(parts)
                for q, p in zip(uq, parts):
                    if p > 0:
                        cnt[q][w] += c * p / z
        t = collections.defaultdict(dict)
        for q, ws in cnt.items():
            z = sum(ws.values())
            t[q] = {w: v / z for w, v in ws.items()}
    return t


def model(args, pairs, prog):
    """The kept translations: [(q, w, p)] sorted by q, then p descending."""
    pages = {}
    for f in sorted(glob.glob(os.path.join(SRC, "eval/holdout/books/*.book"))
                    + glob.glob(os.path.join(SRC, "eval/holdout/books/*.md"))):
        title, ps = book_pages(f)
        for label, text in ps.items():
            pages[(title, label)] = text
    keys = sorted(pages)
    page_terms = dict(zip(keys, map(collections.Counter, stems(prog, [pages[k] for k in keys]))))
    bg = collections.Counter()
    for c in page_terms.values():
        bg.update(c)
    total = float(sum(bg.values()))
    background = {w: c / total for w, c in bg.items()}
    starter = set()
    books = collections.defaultdict(set)  # stem -> the books (either library) holding it
    for f in sorted(glob.glob(os.path.join(SRC, "content/starter/*.md"))):
        for ts in stems(prog, open(f, encoding="utf-8").read().split("\n")):
            starter.update(ts)
            for w in ts:
                books[w].add(f)
    for (title, _), c in page_terms.items():
        for w in c:
            books[w].add(title)
    page_df = collections.Counter()
    for c in page_terms.values():
        page_df.update(set(c))
    # The target words (recall33): the starter library's terms (the rule
    # since trans28), or any term of either library (--targets library)
    # held by at least --target-min-books books and on at most
    # --target-max-df of the evaluation library's pages.
    if args.targets == "starter":
        target = starter
    else:
        target = {w for w, b in books.items()
                  if len(b) >= args.target_min_books
                  and page_df[w] <= args.target_max_df * len(page_terms)}
    qstems = stems(prog, [p[1] for p in pairs])
    data, seen, qcount = [], set(), collections.Counter()
    qpages = collections.defaultdict(set)  # stem -> the pages its fit questions expect
    for (pid, q, book, label, _), qs in zip(pairs, qstems):
        if (book, label) not in page_terms or not qs:
            continue
        data.append((qs, page_terms[(book, label)]))
        for s in qs:
            qpages[s].add((book, label))
        if (pid, q) not in seen:
            seen.add((pid, q))
            qcount.update(set(qs))
    t = em(data, background, args.background, args.iters)

    def support(q, w):
        """trans33: the distinct pages supporting q -> w, pages a fit
        question holding q expects and that hold w (1 when not asked)."""
        if args.min_pages <= 1:
            return 1
        return sum(1 for pg in qpages[q] if w in page_terms[pg])

    no_subject = no_subject_stems(prog) if args.no_subject else set()
    rows = []
    for q in sorted(t):
        if qcount[q] < args.min_questions or q in no_subject:
            continue
        kept = sorted(((p, w) for w, p in t[q].items()
                       if w != q and p >= args.floor and w in target
                       and support(q, w) >= args.min_pages), reverse=True)
        rows += [(q, w, p) for p, w in kept[: args.per_word]]
    return rows, qcount


def emit(rows, path, argv):
    with open(path, "w") as f:
        f.write("/*\n * GENERATED, do not edit: eval/trans_model.py\n *     %s\n" % " ".join(argv))
        f.write(" * Translations of a question's stems into the library's words\n"
                " * (src/library/trans_model.h; src/library/README.md, \"Translations\").\n"
                " */\n#include \"config.h\"\n\n"
                "#include \"library/trans_model.h\"\n\n"
                "const struct trans_entry trans_model[] = {\n")
        for q, w, p in rows:
            f.write('    {"%s", "%s", %.4f},\n' % (q, w, p))
        f.write("};\n\nconst size_t trans_model_n = sizeof(trans_model) / sizeof(trans_model[0]);\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", required=True, help="a configured and built build directory")
    ap.add_argument("--fit", nargs="*", default=[os.path.join(SRC, "eval/holdout/train-pages.jsonl"),
                                                 os.path.join(SRC, "eval/holdout/tune.jsonl")])
    ap.add_argument("--check", default=os.path.join(SRC, "eval/holdout/check.jsonl"))
    ap.add_argument("--background", type=float, default=0.8)
    ap.add_argument("--iters", type=int, default=10)
    ap.add_argument("--floor", type=float, default=0.02)
    ap.add_argument("--min-questions", type=int, default=3)
    ap.add_argument("--per-word", type=int, default=8)
    ap.add_argument("--folds", type=int, default=0)
    ap.add_argument("--fold", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--fold-questions", help="CV: write the left-out fold's in-scope lines here")
    ap.add_argument("--targets", choices=("starter", "library"), default="starter",
                    help="target words: the starter library's terms, or any library's (recall33)")
    ap.add_argument("--target-min-books", type=int, default=1,
                    help="--targets library: a target is in at least this many books")
    ap.add_argument("--target-max-df", type=float, default=1.0,
                    help="--targets library: a target is on at most this share of the pages")
    ap.add_argument("--exclude-fold-pages", action="store_true",
                    help="CV: also leave out every pair whose page a left-out question expects")
    ap.add_argument("--min-pages", type=int, default=1,
                    help="trans33: keep q -> w only when at least this many distinct pages "
                    "support it (a page a fit question holding q expects, holding w)")
    ap.add_argument("--exclude-pages-of", metavar="JSONL",
                    help="trans33: leave out every fit pair whose page a line of JSONL expects "
                    "(page-disjoint validation)")
    ap.add_argument("--no-subject", action="store_true",
                    help="trans37: no word that names no subject (NO_SUBJECT) is a source "
                    "(measured, not kept: docs/performance.md, \"trans37\")")
    ap.add_argument("--emit")
    ap.add_argument("--print", type=int, default=0, help="print the N best translations")
    args = ap.parse_args()
    prog = build_stems(args.build)
    pairs = fit_pairs(args.fit, args.check)
    if args.folds:
        ids = sorted({p[0] for p in pairs})
        random.Random(args.seed).shuffle(ids)
        out = set(ids[args.fold::args.folds])
        if args.fold_questions:
            with open(args.fold_questions, "w") as f:
                done = set()
                for p in pairs:
                    if p[0] in out and p[0] not in done and p[4].get("category") == "in_scope":
                        done.add(p[0])
                        f.write(json.dumps(p[4]) + "\n")
        pairs = [p for p in pairs if p[0] not in out]
        if args.exclude_fold_pages:  # recall33: the table learns nothing of the fold's pages
            held = {(p[2], p[3]) for p in fit_pairs(args.fit, args.check) if p[0] in out}
            pairs = [p for p in pairs if (p[2], p[3]) not in held]
    if args.exclude_pages_of:
        held = {(e["book"], pg) for l in open(args.exclude_pages_of) if l.strip()
                for e in json.loads(l).get("expected", []) for pg in e["pages"]}
        pairs = [p for p in pairs if (p[2], p[3]) not in held]
    rows, qcount = model(args, pairs, prog)
    if args.print:
        for q, w, p in sorted(rows, key=lambda r: -r[2] * math.log(1 + qcount[r[0]]))[: args.print]:
            print("%-14s -> %-14s %.3f  (q in %d questions)" % (q, w, p, qcount[q]))
        print("%d translations of %d question words" % (len(rows), len({r[0] for r in rows})))
    if args.emit:
        emit(rows, args.emit, sys.argv[1:])
    os.unlink(prog)


if __name__ == "__main__":
    main()
