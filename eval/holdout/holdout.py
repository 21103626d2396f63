#!/usr/bin/env python3
"""The evaluation library's sources, read the way a reader of the printed
book would: metadata, printed page labels, chapters and each page's text.
Python 3 standard library only (see eval/holdout/README.md).

    holdout.py expect BOOK...        what ingestion must produce, one line each:
                                     book|TITLE|AUTHORS|PAGES
                                     front|TITLE|FIRST LABEL|INDEX OF PAGE 1
                                     chapters|TITLE|N:TITLE:START-END / ...
    holdout.py verify-chunks CSV BOOK...
                                     checks chunks dumped from PostgreSQL
                                     (title, page_index_start, page_index_end,
                                     page_start, page_end, text) against the
                                     sources: labels, and every chunk's text
                                     is the sources' text of its pages with
                                     nothing added (no running header, no page
                                     number); every page with text is covered.

    holdout.py fold FILE A|B         prints the lines of FILE (tune.jsonl) in one half of
                                     the two-fold split used to cross-validate
                                     retrieval choices (docs/performance.md): within
                                     each category, ids ranked by
                                     SHA-256("plccoach-tune-folds:" id), the first half
                                     (rounded up) is A.  Refuses heldout.jsonl
                                     and check.jsonl.

    holdout.py check-half FILE tune|gate
                                     prints the lines of FILE (check.jsonl only) in
                                     one half: within each category, ids ranked by
                                     SHA-256("plccoach-check-halves:" id), the first
                                     half (rounded down) is tune (tuned on from
                                     round 26), the rest gate (aggregates only).

    holdout.py check DIR             checks the question set in DIR (tune.jsonl,
                                     heldout.jsonl, the check set check.jsonl and,
                                     when present, the training set's
                                     train-pages.jsonl and train-scope.jsonl and
                                     the validation set's valid-pages.jsonl and
                                     valid-scope.jsonl, the stress set's
                                     stress-pages.jsonl and stress-scope.jsonl and
                                     the fresh set's fresh-pages.jsonl and
                                     fresh-scope.jsonl, against DIR/books/*): prints
                                     "ok - ..." / "not ok - ..." lines and "# ..."
                                     diagnostics; exit 1 when a check fails

    holdout.py check-train DIR       the training set's checks alone (ids, pages,
                                     key terms, the seeded draw, no question of
                                     tune, held-out or the check set repeated);
                                     exit 1 when one fails or neither file is there

    holdout.py check-valid DIR       the validation set's checks alone
                                     (valid-pages.jsonl, valid-scope.jsonl: ids,
                                     pages, key terms, the seeded draw, counts and
                                     shares, no question of tune, held-out, the
                                     check set or the training set repeated);
                                     exit 1 when one fails or neither file is there

    holdout.py check-stress DIR      the stress set's checks alone
                                     (stress-pages.jsonl, stress-scope.jsonl: the
                                     same, plus the voice tags first_person, long,
                                     short matching the text and their shares, and
                                     no question of any other file repeated);
                                     exit 1 when one fails or neither file is there

    holdout.py check-fresh DIR       the fresh set's checks alone
                                     (fresh-pages.jsonl, fresh-scope.jsonl, round
                                     29: the same, with the voice tags
                                     first_person, plain, how_many, long, short
                                     matching the text and school and how shares;
                                     either file may be missing); exit 1 when one
                                     fails or neither file is there

    holdout.py check-fresh2 DIR      the fresh2 set's checks alone
                                     (fresh2-pages.jsonl, fresh2-scope.jsonl, round
                                     31: the fresh set's, plus its standalone
                                     questions asked after earlier turns on
                                     another subject and its follow-ups; either
                                     file may be missing); exit 1 when one fails
                                     or neither file is there

    holdout.py check-fresh3 DIR      the fresh3 set's checks alone
                                     (fresh3-pages.jsonl, round 32: the fresh2
                                     set's checks of the pages file, with its own
                                     seed, counts and shares); exit 1 when one
                                     fails or the file is not there

    holdout.py check-fresh4 DIR      the fresh4 set's checks alone
                                     (fresh4-pages.jsonl, round 33: the fresh3
                                     set's checks with its own seed); exit 1
                                     when one fails or the file is not there

    holdout.py check-fresh5 DIR      the fresh5 set's checks alone
                                     (fresh5-pages.jsonl, round 34: the fresh3
                                     set's checks with its own seed); exit 1
                                     when one fails or the file is not there

    holdout.py check-fresh6 DIR      the fresh6 set's checks alone
                                     (fresh6-pages.jsonl, round 35: the fresh3
                                     set's checks with its own seed, at least
                                     12 `procedure` questions and 10
                                     `noun_pointer` follow-ups); exit 1 when
                                     one fails or the file is not there

    holdout.py check-fresh7 DIR      the fresh7 set's checks alone
                                     (fresh7-scope.jsonl, round 36: the
                                     refuse/clarify file's checks of the fresh2
                                     set, ids r0001..r0499, with its own counts,
                                     areas and borrows_words share); exit 1
                                     when one fails or the file is not there

    holdout.py check-fresh8 DIR      the fresh8 set's checks alone
                                     (fresh8-pages.jsonl, round 37, ids
                                     u0501..u0999: the fresh3 set's checks with
                                     its own seed, counts and voice tags, the
                                     fresh6 set's procedure and noun_pointer;
                                     fresh8-scope.jsonl, u0001..u0499: the
                                     refuse/clarify checks; either may be
                                     missing); exit 1 when one fails or
                                     neither file is there

    holdout.py check-fresh9 DIR      the fresh9 set's checks alone
                                     (fresh9-pages.jsonl, round 38, ids
                                     w0501..w0999: the fresh8 set's checks
                                     with its own seed; fresh9-scope.jsonl,
                                     w0001..w0499: the refuse/clarify checks;
                                     either may be missing); exit 1 when one
                                     fails or neither file is there

BOOK is a PDF book source (*.book, rendered by mkbooks) or a Markdown book
(*.md, ingested as it is).  The question format, the thresholds and the
split rule are in eval/holdout/README.md.
"""
import csv
import glob
import hashlib
import json
import math
import os
import re
import statistics
import sys

MARKER = re.compile(r"^\s*<!--\s*page\s+([A-Za-z0-9.-]+)\s*-->\s*$")
DIRECTIVE = re.compile(r"^::(title|subtitle|byline|heading|toc) ")


def parse_front_matter(lines):
    """Returns (metadata dict, index of the first body line)."""
    if not lines or lines[0].strip() != "---":
        raise ValueError("the file must start with front matter (---)")
    meta = {}
    for i in range(1, len(lines)):
        line = lines[i].strip()
        if line == "---":
            return meta, i + 1
        key, sep, value = line.partition(":")
        if sep:
            meta[key.strip()] = value.strip()
    raise ValueError("unclosed front matter")


def authors_of(value):
    value = value.strip()
    if value.startswith("[") and value.endswith("]"):
        return [a.strip() for a in value[1:-1].split(",") if a.strip()]
    return [a.strip() for a in value.split(";") if a.strip()]


def parse_heading(text):
    """"Chapter 3: Title" -> ("3", "Title"); anything else -> (None, text),
    as the ingester's doc_parse_heading() does for these books."""
    m = re.match(r"^\s*chapter\s+([0-9]+|[ivxlcdm]+)\s*[:.\-]?\s*(.*)$", text, re.I)
    if m:
        return m.group(1), (m.group(2).strip() or text.strip())
    return None, text.strip()


class Book:
    """One book source: .title, .authors, .format ('pdf' or 'markdown'),
    .labels (printed page labels in order), .raw (each page's source lines),
    .chapters [(number, title, first page index)], .path."""

    def __init__(self, path):
        self.path = path
        self.format = "markdown" if path.endswith(".md") else "pdf"
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        meta, start = parse_front_matter(lines)
        self.title = meta.get("title", "")
        self.authors = authors_of(meta.get("authors", ""))
        self.labels, self.raw, self.chapters = [], [], []
        for line in lines[start:]:
            m = MARKER.match(line)
            if m:
                self.labels.append(m.group(1))
                self.raw.append([])
                continue
            if not self.raw:
                if line.strip():
                    raise ValueError("%s: text before the first page marker" % path)
                continue
            self.raw[-1].append(line)
            if line.startswith("# "):
                number, title = parse_heading(line[2:])
                self.chapters.append((number, title, len(self.raw) - 1))
        if len(set(self.labels)) != len(self.labels):
            raise ValueError("%s: a page label repeats" % path)

    def page_index(self, label):
        return self.labels.index(label) if label in self.labels else None

    def text(self, i):
        """The printed text of page i: markup and directives removed."""
        out = []
        for line in self.raw[i]:
            s = line.strip()
            if s.startswith("|") and set(s) <= set("|- "):
                continue
            s = DIRECTIVE.sub("", s)
            s = re.sub(r"^#+ ", "", s)
            s = re.sub(r"^> ?", "", s)
            s = re.sub(r"^- ", "", s)
            s = s.replace("|", " ").replace("**", "").replace("*", "")
            out.append(s)
        return re.sub(r"[ \t]+", " ", "\n".join(out)).strip()

    def chapter_rows(self):
        """[(number or '-', title, first label, last label)] in order."""
        rows = []
        for k, (number, title, first) in enumerate(self.chapters):
            last = self.chapters[k + 1][2] - 1 if k + 1 < len(self.chapters) else len(self.labels) - 1
            last = max(last, first)
            rows.append((number or "-", title, self.labels[first], self.labels[last]))
        return rows


def books_from(paths):
    return [Book(p) for p in paths]


def squash(text):
    """Letters and digits only, lower-cased: what a leak check compares,
    blind to spacing, hyphenation joins and typographic quotes."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


def printed(book, first, last):
    """The squashed text of pages first..last, and the spans of it that a
    reader may drop without changing the page's content: the two parts of
    each chapter opener's heading ("CHAPTER 3" and the title)."""
    out, optional = "", []
    for i in range(first, last + 1):
        for line in book.text(i).split("\n"):
            parts = [line]
            if book.raw[i] and any(r.strip() == "# " + line for r in book.raw[i]):
                number, title = parse_heading(line)
                parts = ["chapter " + number, title] if number else [line]
                for part in parts:
                    optional.append((len(out), len(out) + len(squash(part))))
                    out += squash(part)
                continue
            out += squash(line)
    return out, {a: b for a, b in optional if b > a}


def matches(chunk, source, optional):
    """Whether the squashed chunk text is the squashed source text from some
    point on, allowing only the optional spans to be left out."""
    if not chunk:
        return True
    key = chunk[:6]
    start = source.find(key)
    while start >= 0:
        i, j = 0, start
        while i < len(chunk):
            if j in optional and source[j:optional[j]] != chunk[i:i + optional[j] - j]:
                j = optional[j]
                continue
            if j < len(source) and source[j] == chunk[i]:
                i, j = i + 1, j + 1
                continue
            break
        if i == len(chunk):
            return True
        start = source.find(key, start + 1)
    return False


def cmd_expect(paths):
    for b in books_from(paths):
        print("book|%s|%s|%d" % (b.title, ";".join(b.authors), len(b.labels)))
        print("front|%s|%s|%d" % (b.title, b.labels[0], b.page_index("1")))
        print("chapters|%s|%s" % (b.title, " / ".join(
            "%s:%s:%s-%s" % row for row in b.chapter_rows())))
    return 0


def cmd_verify_chunks(csv_path, paths):
    books = {b.title: b for b in books_from(paths)}
    problems, covered, texts = [], {t: set() for t in books}, {}
    with open(csv_path, newline="", encoding="utf-8") as f:
        for row in csv.reader(f):
            title, i0, i1, l0, l1, text = row[0], int(row[1]), int(row[2]), row[3], row[4], row[5]
            b = books.get(title)
            if b is None:
                continue
            where = "%s pp. %s-%s" % (title, l0, l1)
            if not (0 <= i0 <= i1 < len(b.labels)):
                problems.append("%s: page index %d-%d outside the book" % (where, i0, i1))
                continue
            if (b.labels[i0], b.labels[i1]) != (l0, l1):
                problems.append("%s: labels should be %s-%s" % (where, b.labels[i0], b.labels[i1]))
            source, optional = printed(b, i0, i1)
            if not matches(squash(text), source, optional):
                problems.append("%s: text not on those pages as printed: %.120r" % (where, text))
            covered[title].update(range(i0, i1 + 1))
            texts.setdefault(title, []).append((i0, i1, squash(text)))
    for title, b in books.items():
        for i, label in enumerate(b.labels):
            if squash(b.text(i)) and i not in covered[title]:
                problems.append("%s: page %s is in no chunk" % (title, label))
    for p in problems:
        print(p)
    # Not failures: chapter titles missing from their opening page's chunks.
    for title, b in books.items():
        for number, heading, first in b.chapters:
            if not any(i0 <= first <= i1 and squash(heading) in t
                       for i0, i1, t in texts.get(title, [])):
                print("note: %s: the title of chapter %s (%s) is not in the text of page %s"
                      % (title, number or "-", heading, b.labels[first]))
    return 1 if problems else 0


# ---- The question set ---------------------------------------------------------

SEED = "plccoach-holdout-2026"
TUNE_SHARE = 0.4
CATEGORIES = ("in_scope", "follow_up", "broad", "out_of_scope", "near_miss")
DOMAINS = {"assessment", "collaboration", "leadership", "curriculum", "data_analysis",
           "school_culture", "student_learning"}
TAGS = {"acronym", "typo", "runon", "how", "why", "what", "situation",
        "first_person", "school", "long", "short", "how_many", "plain",
        "standalone_after", "pointer_words", "procedure", "noun_pointer"}
# What the issue asks for (section 1) and the brief's counts.
MIN = {"in_scope": 260, "follow_up": 32, "broad": 55, "out_of_scope": 85, "near_miss": 20,
       "total": 420, "oos_areas": 15, "acronym_share": 0.25, "typo_share": 0.10,
       "domain_share": 0.05}
# Acronyms a teacher types: matched as whole words, any case for the first
# list, upper case only for the second (they are ordinary words in lower case).
ACRONYMS_ANYCASE = ("plc", "plcs", "cfa", "cfas", "rti", "mtss", "gvc", "sel", "pbis", "dok",
                    "iep", "ieps", "cico", "sped", "ell", "ells", "esl", "pd", "odr", "odrs")
ACRONYMS_UPPER = ("SMART", "WIN", "EL", "ELs", "AP", "PE")
# Key terms must carry the answer, not merely name the field.
GENERIC = {"students", "student", "team", "teams", "teacher", "teachers", "school", "learning",
           "data", "meeting", "meetings", "assessment", "kids", "class", "plc", "principal"}
STOP = set("""a about above after again against all also am an and any are aren't as at be
because been before being below between both but by can can't cannot could couldn't did didn't
do does doesn't doing don't down during each even ever every few for from further get gets
getting go going got had hadn't has hasn't have haven't having he her here hers herself him
himself his how i i'd i'll i'm i've if in into is isn't it it's its itself just kind know let
like lot make makes me more most much must my myself need needs no nor not now of off ok okay on
once one only or other our ours ourselves out over own really right same say see she should
so some still stuff such than that that's the their theirs them themselves then there these
they they're thing things think this those though tho through to too under until up us very
want was wasn't way we we're were what what's whats when where which while who whom why will
with won't would wouldn't yet you your yours yourself""".split())


def has_acronym(q):
    words = re.findall(r"[A-Za-z][A-Za-z0-9-]*", q)
    return any(w.lower() in ACRONYMS_ANYCASE for w in words) or \
        any(w in ACRONYMS_UPPER for w in words)


def stem(w):
    for suf in ("ing", "ed", "es", "s"):
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            return w[:-len(suf)]
    return w


def content_words(text):
    return {stem(w) for w in re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'"))
            if w not in STOP and len(w) > 1 and not w.isdigit()}


def split_rule(ids):
    """The seeded draw: ids ranked by SHA-256(seed ":" id); the first 40 %
    (rounded half up) are tune.  Returns the set of tune ids."""
    ranked = sorted(ids, key=lambda i: hashlib.sha256((SEED + ":" + i).encode()).hexdigest())
    return set(ranked[:int(len(ranked) * TUNE_SHARE + 0.5)])


FOLD_SEED = "plccoach-tune-folds"


def fold_rule(ids):
    """The two folds of tune: ids ranked by SHA-256(FOLD_SEED ":" id); the
    first half (rounded up) is fold A.  Returns the set of fold A's ids."""
    ranked = sorted(ids, key=lambda i: hashlib.sha256((FOLD_SEED + ":" + i).encode()).hexdigest())
    return set(ranked[:(len(ranked) + 1) // 2])


def split_lines(path, first):
    """The lines of path whose id is in first(ids of one category),
    in the file's order, and all its lines."""
    with open(path, encoding="utf-8") as f:
        lines = [l for l in f if l.strip()]
    by_cat = {}
    for l in lines:
        q = json.loads(l)
        by_cat.setdefault(q.get("category", ""), []).append(q["id"])
    chosen = set()
    for ids in by_cat.values():
        chosen |= first(ids)
    return [l for l in lines if json.loads(l)["id"] in chosen], lines


def cmd_fold(path, which):
    if os.path.basename(path) in ("heldout.jsonl", "check.jsonl") or which not in ("A", "B"):
        sys.stderr.write("holdout.py fold: only tune.jsonl (or another tuning set) splits, into A or B;"
                         " never heldout.jsonl or check.jsonl\n")
        return 2
    fold_a, lines = split_lines(path, fold_rule)
    sys.stdout.writelines(fold_a if which == "A" else [l for l in lines if l not in fold_a])
    return 0

HALF_SEED = "plccoach-check-halves"


def half_rule(ids):
    """check.jsonl's tune half within one category: ids ranked by
    SHA-256(HALF_SEED ":" id), the first half (rounded down)."""
    ranked = sorted(ids, key=lambda i: hashlib.sha256((HALF_SEED + ":" + i).encode()).hexdigest())
    return set(ranked[:len(ranked) // 2])


def cmd_check_half(path, which):
    """check.jsonl's two halves (eval/holdout/README.md, "The check set's
    halves"): the tune half by half_rule, the rest the gate half."""
    if os.path.basename(path) != "check.jsonl" or which not in ("tune", "gate"):
        sys.stderr.write("holdout.py check-half: only check.jsonl splits, into tune or gate\n")
        return 2
    tune, lines = split_lines(path, half_rule)
    sys.stdout.writelines(tune if which == "tune" else [l for l in lines if l not in tune])
    return 0

class Checker:
    def __init__(self):
        self.failed = 0

    def result(self, good, what, details=()):
        print("%s - %s" % ("ok" if good else "not ok", what))
        if not good:
            self.failed += 1
            for d in list(details)[:25]:
                print("#   " + d)

    def diag(self, line):
        print("# " + line)


def load_lines(path, problems):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                problems.append("%s:%d: empty line" % (path, n))
                continue
            try:
                obj = json.loads(line)
            except ValueError as e:
                problems.append("%s:%d: not JSON (%s)" % (path, n, e))
                continue
            if not isinstance(obj, dict):
                problems.append("%s:%d: not an object" % (path, n))
                continue
            rows.append(obj)
    return rows


def line_problems(q, prefix="h"):
    """What is wrong with one line's shape (empty list when nothing); ids
    are PREFIX0001.. (h for tune and held-out, c for the check set)."""
    p, cat = [], q.get("category")
    where = q.get("id", "?")
    if not isinstance(q.get("id"), str) or not re.match(r"^%s[0-9]{4}$" % prefix, q["id"]):
        p.append("%s: id must be %s0001..%s9999" % (where, prefix, prefix))
    if cat not in CATEGORIES:
        return p + ["%s: unknown category %r" % (where, cat)]
    if not isinstance(q.get("question"), str) or not q["question"].strip():
        p.append("%s: no question" % where)
    if not isinstance(q.get("domains"), list) or not set(q["domains"]) <= DOMAINS:
        p.append("%s: domains must be a list of the seven domains" % where)
    want = {"in_scope": ("answer", "answerable"), "follow_up": ("answer", "answerable"),
            "broad": ("clarify", None), "out_of_scope": ("refuse", "none"),
            "near_miss": ("refuse", "none")}[cat]
    if q.get("route") != want[0]:
        p.append("%s: route must be %s" % (where, want[0]))
    if want[1] is not None and q.get("kind") != want[1]:
        p.append("%s: kind must be %s" % (where, want[1]))
    if cat in ("in_scope", "follow_up"):
        exp = q.get("expected")
        if not isinstance(exp, list) or not exp or not all(
                isinstance(e, dict) and isinstance(e.get("book"), str) and
                isinstance(e.get("pages"), list) and e["pages"] and
                all(isinstance(x, str) for x in e["pages"]) for e in exp):
            p.append("%s: expected must list {book, pages}" % where)
        kt = q.get("key_terms")
        if not isinstance(kt, list) or not 2 <= len(kt) <= 3 or not all(
                isinstance(t, str) and t.strip() for t in kt):
            p.append("%s: key_terms must hold 2-3 terms" % where)
        elif any(t.lower() in GENERIC for t in kt):
            p.append("%s: a key term is generic: %s" % (where, kt))
        if not q.get("domains"):
            p.append("%s: an answerable question needs a domain" % where)
        tags = q.get("tags")
        if not isinstance(tags, list) or not set(tags) <= TAGS:
            p.append("%s: tags must be among %s" % (where, sorted(TAGS)))
        elif ("acronym" in tags) != has_acronym(q.get("question", "")):
            p.append("%s: the acronym tag must match the question" % where)
    else:
        if cat != "broad" and q.get("expected") != []:
            p.append("%s: expected must be []" % where)
        if cat != "broad" and q.get("domains") != []:
            p.append("%s: domains must be []" % where)
        if cat == "broad" and "expected" in q:
            p.append("%s: a broad question has no expected pages" % where)
    if cat in ("out_of_scope", "near_miss") and not (isinstance(q.get("area"), str) and q["area"]):
        p.append("%s: needs an area" % where)
    # A standalone question asked mid-conversation (the fresh2 set) is an
    # in-scope line tagged standalone_after, with the earlier turns as its
    # context; no other in-scope line has a context.
    standalone = isinstance(q.get("tags"), list) and "standalone_after" in q["tags"]
    if standalone and cat != "in_scope":
        p.append("%s: only in_scope lines are tagged standalone_after" % where)
    if cat == "follow_up" or standalone:
        ctx = q.get("context")
        if not isinstance(ctx, list) or not ctx or not all(isinstance(c, str) and c for c in ctx):
            p.append("%s: context must list the earlier turn(s)" % where)
    elif "context" in q:
        p.append("%s: only follow_up and standalone_after lines have a context" % where)
    return p


def pages_and_terms(rows, books, allbooks, prefix):
    """The answerable lines' expected books and pages that do not exist,
    and their key terms that are on none of their expected pages:
    (missing, absent), two lists of messages naming ids only."""
    missing, absent = [], []
    for q in rows:
        if q.get("category") not in ("in_scope", "follow_up") or line_problems(q, prefix):
            continue
        text = ""
        if q["expected"][0]["book"] not in books:
            missing.append("%s: the first expected book must be one of this library's" % q["id"])
        for e in q["expected"]:
            b = allbooks.get(e["book"])
            if b is None:
                missing.append("%s: no book titled %r" % (q["id"], e["book"]))
                continue
            for label in e["pages"]:
                i = b.page_index(label)
                if i is None:
                    missing.append("%s: %s has no page %s" % (q["id"], e["book"], label))
                else:
                    text += " " + b.text(i)
        flat = re.sub(r"\s+", " ", text.lower())
        for t in q["key_terms"]:
            if re.sub(r"\s+", " ", t.lower().strip()) not in flat:
                absent.append("%s: %r is not on %s" % (q["id"], t, ", ".join(
                    "%s p. %s" % (e["book"], "/".join(e["pages"])) for e in q["expected"])))
    return missing, absent


def library(root):
    """(books, starter, allbooks): the evaluation library's books in
    ROOT/books and the starter library's, each {title: Book}.  The starter
    library is loaded beside this one: a question it answers as well lists
    its page too (after the evaluation library's)."""
    books, starter = {}, {}
    for path in sorted(glob.glob(os.path.join(root, "books", "*.book")) +
                       glob.glob(os.path.join(root, "books", "*.md"))):
        b = Book(path)
        books[b.title] = b
    for path in sorted(glob.glob(os.path.join(root, "..", "..", "content", "starter", "*.md"))):
        b = Book(path)
        starter[b.title] = b
    return books, starter, dict(starter, **books)


def cmd_check(root):
    c = Checker()
    books, starter, allbooks = library(root)
    c.result(len(books) >= 5 and sum(1 for b in books.values() if b.format == "pdf") >= 4,
             "at least 4 PDF books and a Markdown book (%d)" % len(books))
    body = sum(1 for b in books.values() if b.format == "pdf" for l in b.labels if l.isdigit())
    c.result(body >= 80, "the PDF books hold at least 80 body pages (%d)" % body)

    # The contents pages agree with the chapters.
    bad = []
    for b in books.values():
        starts = {"%s" % (("Chapter %s: %s" % (n, t)) if n else t): b.labels[i]
                  for n, t, i in b.chapters}
        for i in range(len(b.labels)):
            for line in b.raw[i]:
                m = re.match(r"^::toc (.*?) \| (\S+)\s*$", line.strip())
                if m and starts.get(m.group(1)) != m.group(2):
                    bad.append("%s: contents say %s is on p. %s" % (b.title, m.group(1), m.group(2)))
    c.result(not bad, "every contents line gives its chapter's first page", bad)

    problems = []
    tune = load_lines(os.path.join(root, "tune.jsonl"), problems)
    held = load_lines(os.path.join(root, "heldout.jsonl"), problems)
    rows = tune + held
    for q in rows:
        problems.extend(line_problems(q))
    c.result(not problems, "every line is well formed (%d lines)" % len(rows), problems)
    ids = [q.get("id") for q in rows]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    c.result(not dup, "no id repeats", ["repeated: " + ", ".join(map(str, dup))] if dup else ())

    # Expected books and pages exist; key terms are on an expected page.
    missing, absent = pages_and_terms(rows, books, allbooks, "h")
    c.result(not missing, "every expected book title and page label exists", missing)
    c.result(not absent, "every key term is on an expected page", absent)

    # Counts and shares.
    by = {k: [q for q in rows if q.get("category") == k] for k in CATEGORIES}
    n = {k: len(v) for k, v in by.items()}
    for k in CATEGORIES:
        c.result(n[k] >= MIN[k], "%s: %d lines (at least %d)" % (k, n[k], MIN[k]))
    c.result(len(rows) >= MIN["total"], "%d lines in all (at least %d)" % (len(rows), MIN["total"]))
    areas = {q.get("area") for q in by["out_of_scope"]}
    c.result(len(areas) >= MIN["oos_areas"],
             "out of scope: %d areas (at least %d)" % (len(areas), MIN["oos_areas"]))
    ins = by["in_scope"]
    if ins:
        acr = sum(1 for q in ins if "acronym" in q.get("tags", [])) / len(ins)
        typo = sum(1 for q in ins if {"typo", "runon"} & set(q.get("tags", []))) / len(ins)
        c.result(acr >= MIN["acronym_share"], "in scope: %.0f %% use acronyms (at least %.0f %%)"
                 % (100 * acr, 100 * MIN["acronym_share"]))
        c.result(typo >= MIN["typo_share"], "in scope: %.0f %% with typos or run-ons (at least "
                 "%.0f %%)" % (100 * typo, 100 * MIN["typo_share"]))
        thin = [d for d in sorted(DOMAINS) if sum(1 for q in ins if d in q.get("domains", []))
                < MIN["domain_share"] * len(ins)]
        c.result(not thin, "in scope: every domain has at least %.0f %% of the questions"
                 % (100 * MIN["domain_share"]), thin)
    # Every book, and every chapter of it, is asked about.
    asked = {}
    for q in ins + by["follow_up"]:
        for e in q.get("expected", []):
            for label in e.get("pages", []):
                asked.setdefault(e.get("book"), set()).add(label)
    uncovered = []
    for b in books.values():
        rows_ch = b.chapter_rows()
        for number, title, first, last in rows_ch:
            if number == "-":
                continue
            span = b.labels[b.page_index(first):b.page_index(last) + 1]
            if not asked.get(b.title, set()) & set(span):
                uncovered.append("%s: chapter %s (%s)" % (b.title, number, title))
    c.result(not uncovered, "every numbered chapter of every book has a question", uncovered)

    # The split: every line in exactly one file, as the seeded rule says.
    tune_ids, held_ids = {q.get("id") for q in tune}, {q.get("id") for q in held}
    c.result(not tune_ids & held_ids, "no line is in both tune.jsonl and heldout.jsonl",
             sorted(tune_ids & held_ids))
    wrong = []
    for k in CATEGORIES:
        want = split_rule([q["id"] for q in by[k]])
        got = {q["id"] for q in by[k] if q["id"] in tune_ids}
        if want != got:
            wrong.append("%s: %d lines should move" % (k, len(want ^ got)))
    c.result(not wrong, "the split is the seeded draw (seed %s, %.0f %% tune by category)"
             % (SEED, 100 * TUNE_SHARE), wrong)

    # Diagnostics: sizes, spread and how much questions share with pages.
    for k in CATEGORIES:
        c.diag("%-13s %4d  (tune %d, held-out %d)" % (k, n[k], sum(
            1 for q in by[k] if q.get("id") in tune_ids), sum(
            1 for q in by[k] if q.get("id") in held_ids)))
    per_book = {}
    for q in ins + by["follow_up"]:
        for e in q.get("expected", []):
            per_book[e.get("book")] = per_book.get(e.get("book"), 0) + 1
    for title in sorted(per_book):
        c.diag("book %-40s %3d expected entries%s" % (title, per_book[title],
                                                        " (starter)" if title in starter else ""))
    for d in sorted(DOMAINS):
        c.diag("domain %-16s %3d in scope" % (d, sum(1 for q in ins if d in q.get("domains", []))))
    for t in sorted(TAGS):
        c.diag("tag %-9s %3d in scope" % (t, sum(1 for q in ins if t in q.get("tags", []))))
    overlap_diag(c, "in-scope question vs its page(s)", ins, allbooks)
    check_set(c, root, books, allbooks, rows)
    check_questions(c, root, TRAIN, books, allbooks,
                    rows + load_lines(os.path.join(root, "check.jsonl"), []))
    check_questions(c, root, VALID, books, allbooks, others_of(root, OTHER_FILES))
    check_questions(c, root, STRESS, books, allbooks,
                    others_of(root, OTHER_FILES + VALID_FILES))
    check_questions(c, root, FRESH, books, allbooks,
                    others_of(root, OTHER_FILES + VALID_FILES + STRESS_FILES))
    check_questions(c, root, FRESH2, books, allbooks, others_of(root, FRESH2["others"]))
    check_questions(c, root, FRESH3, books, allbooks, others_of(root, FRESH3["others"]))
    check_questions(c, root, FRESH4, books, allbooks, others_of(root, FRESH4["others"]))
    check_questions(c, root, FRESH5, books, allbooks, others_of(root, FRESH5["others"]))
    check_questions(c, root, FRESH6, books, allbooks, others_of(root, FRESH6["others"]))
    check_questions(c, root, FRESH7, books, allbooks, others_of(root, FRESH7["others"]))
    check_questions(c, root, FRESH8, books, allbooks, others_of(root, FRESH8["others"]))
    check_questions(c, root, FRESH9, books, allbooks, others_of(root, FRESH9["others"]))
    return 1 if c.failed else 0


def overlap_diag(c, what, ins, allbooks):
    """How much a question shares with its page: the share of its content
    words (stop words dropped, light stemming) found on the expected
    page(s), plain and weighted by rarity (IDF over every page of both
    libraries), so that "team" counts less than "calibration"."""
    df, npages = {}, 0
    for b in allbooks.values():
        for i in range(len(b.labels)):
            npages += 1
            for w in content_words(b.text(i)):
                df[w] = df.get(w, 0) + 1
    plain, weighted = [], []
    for q in ins:
        words = content_words(q.get("question", ""))
        page = set()
        for e in q.get("expected", []):
            b = allbooks.get(e.get("book"))
            for label in e.get("pages", []):
                if b is not None and b.page_index(label) is not None:
                    page |= content_words(b.text(b.page_index(label)))
        if words:
            idf = {w: math.log((npages + 1) / (df.get(w, 0) + 0.5)) for w in words}
            plain.append(len(words & page) / len(words))
            weighted.append(sum(idf[w] for w in words & page) / sum(idf.values()))
    if plain:
        c.diag("content-word overlap, %s: mean %.2f (median %.2f) of the question's content "
               "words are on the page; IDF-weighted %.2f"
               % (what, statistics.mean(plain), statistics.median(plain), statistics.mean(weighted)))


# ---- The check set (check.jsonl) -------------------------------------------------
# Written after the split, by one author, for a check between tune and
# held-out (eval/holdout/README.md, "The check set").  Its pages were drawn
# first: every page of the evaluation library with at least CHECK_MIN_WORDS
# words, ranked by SHA-256(CHECK_SEED ":" title ":" label); the first
# CHECK_MIN["in_scope"] draws are the in-scope questions' pages and the
# next CHECK_MIN["follow_up"] (wrapping round) the follow-ups'.
CHECK_SEED = "plccoach-check-2026"
CHECK_MIN_WORDS = 150
CHECK_MIN = {"in_scope": 90, "follow_up": 30, "broad": 30, "out_of_scope": 40, "near_miss": 20,
             "oos_areas": 12, "acronym_share": 0.25, "typo_share": 0.10}


def seeded_draw(books, seed):
    """The seeded draw of pages (the check set's rule, also the training and
    validation sets'): every page of BOOKS with at least CHECK_MIN_WORDS
    words, ranked by SHA-256(SEED ":" title ":" label); [(title, label)]."""
    pages = [(b.title, l) for b in books.values() for i, l in enumerate(b.labels)
             if len(b.text(i).split()) >= CHECK_MIN_WORDS]
    return sorted(pages, key=lambda t: hashlib.sha256(
        ("%s:%s:%s" % (seed, t[0], t[1])).encode()).hexdigest())


def uncovered_chapters(books, rows):
    """The numbered chapters of BOOKS none of whose pages an expected entry
    of ROWS lists, as messages."""
    asked = {(e.get("book"), l) for q in rows for e in q.get("expected", [])
             for l in e.get("pages", [])}
    uncovered = []
    for b in books.values():
        for number, title, first, last in b.chapter_rows():
            span = b.labels[b.page_index(first):b.page_index(last) + 1]
            if number != "-" and not any((b.title, l) in asked for l in span):
                uncovered.append("%s: chapter %s (%s)" % (b.title, number, title))
    return uncovered


def book_diags(c, what, books, ins, fus):
    """WHAT's in-scope lines INS and follow-ups FUS per book (by their first
    expected entry) and its in-scope lines per tag, as diagnostics."""
    for title in sorted(books):
        c.diag("%s: book %-40s %3d in scope, %2d follow-ups" % (what, title, sum(
            1 for q in ins if q["expected"][0]["book"] == title), sum(
            1 for q in fus if q["expected"][0]["book"] == title)))
    for t in sorted(TAGS):
        c.diag("%s: tag %-9s %3d in scope" % (what, t, sum(
            1 for q in ins if t in q.get("tags", []))))


def normalised(text):
    """A question as the duplicate check compares it: letters and digits."""
    return re.sub(r"[^0-9a-z]+", " ", text.lower().replace("\u2019", "'")).strip()


def duplicates(check_rows, other_rows):
    """The lines of check_rows (the check set's, the training set's or the
    validation set's) whose question (or, for a follow-up, whose pair of
    turns) repeats a line of other_rows (tune and held-out, the check set,
    the training set): the same letters
    and digits, or the same set of content words (at least two).  Returns
    check_rows' ids only, so that the other files' text is never printed."""
    seen_text, seen_words = set(), set()
    for q in other_rows:
        turns = list(q.get("context") or []) + [q.get("question") or ""]
        for t in [turns[-1], " / ".join(turns)] if q.get("context") else [turns[-1]]:
            seen_text.add(normalised(t))
        words = frozenset(content_words(turns[-1]))
        if len(words) >= 2 and alone(q):
            seen_words.add(words)
    out = []
    for q in check_rows:
        turns = list(q.get("context") or []) + [q.get("question") or ""]
        whole = " / ".join(turns)
        words = frozenset(content_words(turns[-1]))
        if (normalised(whole) in seen_text or
                (alone(q) and normalised(turns[-1]) in seen_text) or
                (alone(q) and len(words) >= 2 and words in seen_words)):
            out.append(q.get("id", "?"))
    return out


def alone(q):
    """Whether Q's last turn is a question on its own: a line with no
    context, or a standalone question asked after earlier turns (tagged
    standalone_after, the fresh2 set), which repeats another question when
    its last turn alone does."""
    return not q.get("context") or (isinstance(q.get("tags"), list)
                                    and "standalone_after" in q["tags"])


def check_set(c, root, books, allbooks, others):
    """The check set's checks, as tune and held-out's, and that it repeats
    none of their ids or questions."""
    problems = []
    rows = load_lines(os.path.join(root, "check.jsonl"), problems)
    for q in rows:
        problems.extend(line_problems(q, "c"))
    c.result(not problems, "check set: every line is well formed (%d lines)" % len(rows), problems)
    ids = [q.get("id") for q in rows]
    other_ids = {q.get("id") for q in others}
    dup = sorted({i for i in ids if ids.count(i) > 1 or i in other_ids})
    c.result(not dup, "check set: no id repeats, within it or with tune and held-out",
             ["repeated: " + ", ".join(map(str, dup))] if dup else ())
    missing, absent = pages_and_terms(rows, books, allbooks, "c")
    c.result(not missing, "check set: every expected book title and page label exists", missing)
    c.result(not absent, "check set: every key term is on an expected page", absent)
    again = duplicates(rows, others)
    c.result(not again, "check set: no question repeats one of tune or held-out",
             ["%s repeats a question of tune or held-out" % i for i in again])
    by = {k: [q for q in rows if q.get("category") == k] for k in CATEGORIES}
    for k in CATEGORIES:
        c.result(len(by[k]) >= CHECK_MIN[k], "check set: %s: %d lines (at least %d)"
                 % (k, len(by[k]), CHECK_MIN[k]))
    areas = {q.get("area") for q in by["out_of_scope"]}
    c.result(len(areas) >= CHECK_MIN["oos_areas"], "check set: out of scope: %d areas (at least "
             "%d)" % (len(areas), CHECK_MIN["oos_areas"]))
    ins = by["in_scope"]
    shares(c, "check set", ins, CHECK_MIN)
    # Pages first, questions second: the in-scope and follow-up lines ask
    # about the drawn pages, in the drawn order.
    order = seeded_draw(books, CHECK_SEED)
    n_in, n_fu = CHECK_MIN["in_scope"], CHECK_MIN["follow_up"]
    want = [order[k % len(order)] for k in range(n_in + n_fu)] if order else []
    got = [(q["expected"][0]["book"], q["expected"][0]["pages"][0])
           for q in ins + by["follow_up"] if not line_problems(q, "c")]
    c.result(got[:n_in] == want[:n_in] and got[n_in:] == want[n_in:] and
             len(ins) == n_in and len(by["follow_up"]) == n_fu,
             "check set: the in-scope and follow-up pages are the seeded draw (seed %s)"
             % CHECK_SEED)
    uncovered = uncovered_chapters(books, ins + by["follow_up"])
    c.result(not uncovered, "check set: every numbered chapter of every book has a question",
             uncovered)
    for k in CATEGORIES:
        c.diag("check set %-13s %4d" % (k, len(by[k])))
    book_diags(c, "check set", books, ins, by["follow_up"])
    overlap_diag(c, "check set, in-scope question vs its page(s)", ins, allbooks)


# ---- The training and validation sets ------------------------------------------
# Two sets written in round 27, each a file of answerable lines (PAGES) and a
# file of out-of-scope, near-miss and broad lines (SCOPE), both checked when
# present, against every other question file, by one routine (check_questions)
# driven by a table per set (TRAIN, VALID below).  PAGES's pages were drawn
# first, by the check set's page rule (seeded_draw) with the set's seed: the
# in-scope lines take draws 0.. in order (wrapping round, so every page of
# the draw is asked about) and the follow-ups the draws after them.
#
# The training set (train-pages.jsonl, train-scope.jsonl) is FIT on
# (eval/holdout/README.md, "The training set (round 27)"): ids t0001..t0499
# and t0501..  train-pages.jsonl is written in blocks, each by one writer,
# each continuing the draw where the blocks before it stopped: block 1
# (data27a) the in-scope lines t0001..t0170 and follow-ups t0171..t0230,
# draws 0..229; block 2 (data27c) t0231..t0430 and t0431..t0490, draws
# 230..489.  Each block holds its own minimum counts and shares; "starter"
# is how many of its in-scope lines list a starter page second
# (eval/holdout/README.md).
TRAIN_SEED = "plccoach-train-2026"
TRAIN_FILES = ("train-pages.jsonl", "train-scope.jsonl")
TRAIN_MIN = {"in_scope": 370, "follow_up": 120, "acronym_share": 0.25, "typo_share": 0.15}
TRAIN_BLOCKS = (
    {"ids": (1, 230), "in_scope": 170, "follow_up": 60, "acronym_share": 0.25,
     "typo_share": 0.15, "starter": 0},
    {"ids": (231, 499), "in_scope": 200, "follow_up": 60, "acronym_share": 0.25,
     "typo_share": 0.15, "starter": 20},
)
# The validation set (valid-pages.jsonl, valid-scope.jsonl) is VALIDATED on,
# never fit on (eval/holdout/README.md, "The validation set (round 27)"):
# ids v0001..v0499 (data27d, one block, with VALID_MIN's counts, shares,
# starter lines and question lengths) and v0501..v0999 (data27e, with
# VALID_MIN's counts of out-of-scope, near-miss and broad lines and areas).
VALID_SEED = "plccoach-valid-2026"
VALID_FILES = ("valid-pages.jsonl", "valid-scope.jsonl")
VALID_IDS = {"valid-pages.jsonl": (1, 499), "valid-scope.jsonl": (501, 999)}
VALID_MIN = {"in_scope": 300, "follow_up": 60, "acronym_share": 0.25, "typo_share": 0.15,
             "starter": 30, "words": (3, 45),
             "out_of_scope": 150, "oos_areas": 45, "near_miss": 80, "nm_areas": 20, "broad": 70}
OTHER_FILES = ("tune.jsonl", "heldout.jsonl", "check.jsonl") + TRAIN_FILES
# The stress set (stress-pages.jsonl, stress-scope.jsonl, round 28) is
# VALIDATED on, in the voice most often misread (eval/holdout/README.md, "The
# stress set (round 28)"): ids s0001..s0499 (data28a, one block, with
# STRESS_MIN's counts and shares, including the voice tags of STRESS_VOICE)
# and s0501..s0999 (data28b, with STRESS_MIN's out-of-scope, near-miss and
# broad counts).  Checked against every other question file.
STRESS_SEED = "plccoach-stress-2026"
STRESS_FILES = ("stress-pages.jsonl", "stress-scope.jsonl")
STRESS_IDS = {"stress-pages.jsonl": (1, 499), "stress-scope.jsonl": (501, 999)}
STRESS_MIN = {"in_scope": 300, "follow_up": 40, "acronym_share": 0.25, "typo_share": 0.30,
              "starter": 0, "words": (1, 90),
              "out_of_scope": 130, "oos_areas": 35, "near_miss": 70, "nm_areas": 25, "broad": 40}
# The voice tags: for each, whether the text (and the line's other tags) says
# it, a function of (question, tags) (None: the writer's judgement, not
# checkable), and the least share of in-scope lines carrying it.  first_person: I, I'm, im, my, me... as a word; long: a story of 40 to
# 90 words; short: at most 6 words; school: something of school that is not
# team work (a tool, pay or time, subs, parents, one student, grading
# software) beside the team question.
FIRST_PERSON = re.compile(r"\b(i|i'm|im|i've|ive|i'd|i'll|my|me|mine|myself)\b", re.I)
STRESS_VOICE = (
    ("first_person", lambda q, t: bool(FIRST_PERSON.search(q)), 0.50),
    ("school", None, 0.20),
    ("long", lambda q, t: 40 <= len(q.split()) <= 90, 0.15),
    ("short", lambda q, t: len(q.split()) <= 6, 0.10),
)
# The fresh set (fresh-pages.jsonl, fresh-scope.jsonl, round 29) is VALIDATED
# on, written by two writers who had seen no code (eval/holdout/README.md,
# "The fresh set (round 29)"): ids f0001..f0499 (data29a, one block, with
# FRESH_MIN's counts and shares and the voice tags of FRESH_VOICE: a mix of
# plain, first-person-with-school and messy questions, "how do we..." process
# questions and "how many / how often / how long" questions) and
# f0501..f0999 (data29b, with FRESH_MIN's out-of-scope, near-miss and broad
# counts, and at least borrow_share of its out-of-scope lines tagged
# borrows_words).  Checked against every other question file.
FRESH_SEED = "plccoach-fresh-2026"
FRESH_FILES = ("fresh-pages.jsonl", "fresh-scope.jsonl")
FRESH_IDS = {"fresh-pages.jsonl": (1, 499), "fresh-scope.jsonl": (501, 999)}
FRESH_MIN = {"in_scope": 240, "follow_up": 40, "acronym_share": 0.25, "typo_share": 0.25,
             "starter": 0, "words": (1, 90),
             "out_of_scope": 150, "oos_areas": 40, "near_miss": 80, "nm_areas": 25, "broad": 40,
             "borrow_share": 0.50}
# how_many: the question asks how many, how much, how often or how long;
# plain: neither first person nor tagged typo or run-on (the well-formed third).
HOW_MANY = re.compile(r"\bhow (many|much|often|long)\b", re.I)
FRESH_VOICE = (
    ("first_person", lambda q, t: bool(FIRST_PERSON.search(q)), 0.30),
    ("plain", lambda q, t: not FIRST_PERSON.search(q) and not {"typo", "runon"} & set(t), 0.25),
    ("school", None, 0.15),
    ("how", None, 0.15),
    ("how_many", lambda q, t: bool(HOW_MANY.search(q)), 0.10),
    ("long", lambda q, t: 40 <= len(q.split()) <= 90, 0.04),
    ("short", lambda q, t: len(q.split()) <= 6, 0.04),
)

# A set's table: its name in messages (what), its files (pages file first),
# id prefix and id ranges per file, seed, the question files it is checked
# against (others, each required by check-train, as many as are there for
# check-valid; named in messages as others_and / others_or), the blocks
# of its pages file (each with the block's minimum counts; named blocks are
# reported by name, with the whole file's minimum counts in least), and
# what it asks of question lengths (words) and of its scope file (scope).
TRAIN = {"what": "training set", "files": TRAIN_FILES, "prefix": "t",
         "ids": {"train-pages.jsonl": (1, 499), "train-scope.jsonl": (501, 9999)},
         "seed": TRAIN_SEED, "others": ("tune.jsonl", "heldout.jsonl", "check.jsonl"),
         "others_required": True,
         "others_and": "tune, held-out and the check set",
         "others_or": "tune, held-out or the check set",
         "blocks": TRAIN_BLOCKS, "named_blocks": True, "least": TRAIN_MIN,
         "words": None, "scope": None}
VALID = {"what": "validation set", "files": VALID_FILES, "prefix": "v", "ids": VALID_IDS,
         "seed": VALID_SEED, "others": OTHER_FILES, "others_required": False,
         "others_and": "tune, held-out, the check set and the training set",
         "others_or": "tune, held-out, the check set or the training set",
         "blocks": (dict(VALID_MIN, ids=VALID_IDS["valid-pages.jsonl"]),),
         "named_blocks": False, "least": None, "words": VALID_MIN["words"],
         "scope": VALID_MIN}

STRESS = {"what": "stress set", "files": STRESS_FILES, "prefix": "s", "ids": STRESS_IDS,
          "seed": STRESS_SEED, "others": OTHER_FILES + VALID_FILES, "others_required": False,
          "others_and": "tune, held-out, the check, training and validation sets",
          "others_or": "tune, held-out, the check, training or validation sets",
          "blocks": (dict(STRESS_MIN, ids=STRESS_IDS["stress-pages.jsonl"]),),
          "named_blocks": False, "least": None, "words": STRESS_MIN["words"],
          "scope": STRESS_MIN, "voice": STRESS_VOICE}

FRESH = {"what": "fresh set", "files": FRESH_FILES, "prefix": "f", "ids": FRESH_IDS,
         "seed": FRESH_SEED, "others": OTHER_FILES + VALID_FILES + STRESS_FILES,
         "others_required": False,
         "others_and": "tune, held-out, the check, training, validation and stress sets",
         "others_or": "tune, held-out, the check, training, validation or stress sets",
         "blocks": (dict(FRESH_MIN, ids=FRESH_IDS["fresh-pages.jsonl"]),),
         "named_blocks": False, "least": None, "words": FRESH_MIN["words"],
         "scope": FRESH_MIN, "voice": FRESH_VOICE}

# The fresh2 set (fresh2-pages.jsonl, fresh2-scope.jsonl, round 31) is
# VALIDATED on, written by two writers who had seen no code
# (eval/holdout/README.md, "The fresh2 set (round 31)"): ids g0001..g0499
# (data31a, one block) and g0501..g0999 (data31b, with FRESH2_MIN's
# out-of-scope, near-miss and broad counts and borrow_share).  Its pages
# file holds three parts, each taking the next draws of FRESH2_SEED in the
# file's order: in-scope questions with no context (at least
# FRESH2_MIN["in_scope"] - FRESH2_MIN["standalone"]), STANDALONE questions
# asked after one or two earlier turns on another subject (in_scope, tagged
# standalone_after, with a context; at least FRESH2_MIN["standalone"]) and
# follow-ups (FRESH2_MIN["follow_up"]); see standalone_checks().
FRESH2_SEED = "plccoach-fresh2-2026"
FRESH2_FILES = ("fresh2-pages.jsonl", "fresh2-scope.jsonl")
FRESH2_IDS = {"fresh2-pages.jsonl": (1, 499), "fresh2-scope.jsonl": (501, 999)}
FRESH2_MIN = {"in_scope": 140, "standalone": 40, "follow_up": 40, "acronym_share": 0.25,
              "typo_share": 0.20, "starter": 0, "words": (1, 90),
              "turns": (1, 2), "two_turns": 3, "pointer_share": 0.40, "announced_share": 0.20,
              "standalone_words": 6,
              "out_of_scope": 130, "oos_areas": 40, "near_miss": 90, "nm_areas": 30, "broad": 40,
              "borrow_share": 0.60}
FRESH2_VOICE = (
    ("first_person", lambda q, t: bool(FIRST_PERSON.search(q)), 0.35),
    ("plain", lambda q, t: not FIRST_PERSON.search(q) and not {"typo", "runon"} & set(t), 0.20),
    ("school", None, 0.40),
    ("how", None, 0.15),
    ("how_many", lambda q, t: bool(HOW_MANY.search(q)), 0.05),
    ("long", lambda q, t: 40 <= len(q.split()) <= 90, 0.0),
    ("short", lambda q, t: len(q.split()) <= 6, 0.02),
)
# pointer_words: a standalone question holding a word that often points back
# (it, that, this, those, them, one...) without pointing back; announced: it
# opens by saying the subject changes; a standalone question must not open
# the way a follow-up does.
POINTER_WORDS = re.compile(r"\b(it|its|it's|that|this|those|these|them|they|one|ones)\b", re.I)
ANNOUNCED = re.compile(r"^\W*(ok|okay|also|diff(erent)? question|new (topic|question)|switching|"
                       r"totally different)\b", re.I)
NOUN_POINTER_PRONOUNS = re.compile(r"\b(it|its|it's|they|them|their|this|these|those|one|ones|"
                                   r"she|he|her|him)\b", re.I)
FOLLOW_OPENER = re.compile(r"^\W*(and|but|so what|then|what about|how about|what if|ok but|"
                           r"okay but)\b", re.I)

FRESH2 = {"what": "fresh2 set", "files": FRESH2_FILES, "prefix": "g", "ids": FRESH2_IDS,
          "seed": FRESH2_SEED,
          "others": OTHER_FILES + VALID_FILES + STRESS_FILES + FRESH_FILES,
          "others_required": False,
          "others_and": "tune, held-out, the check, training, validation, stress and fresh sets",
          "others_or": "tune, held-out, the check, training, validation, stress or fresh sets",
          "blocks": (dict(FRESH2_MIN, ids=FRESH2_IDS["fresh2-pages.jsonl"]),),
          "named_blocks": False, "least": None, "words": FRESH2_MIN["words"],
          "scope": FRESH2_MIN, "voice": FRESH2_VOICE, "standalone": FRESH2_MIN}


# The fresh3 set (fresh3-pages.jsonl, round 32) is VALIDATED on, written by
# one writer who had seen no code (eval/holdout/README.md, "The fresh3 set
# (round 32)"): ids k0001..k0499, one block, the fresh2 set's three parts
# (in-scope questions with no context, standalone questions asked after an
# earlier turn on another subject, follow-ups), each taking the next draws
# of FRESH3_SEED in the file's order, with FRESH3_MIN's counts and shares and
# the voice tags of FRESH3_VOICE.  No refuse/clarify half was written; the
# name fresh3-scope.jsonl and the ids k0501..k0999 are kept for one (its
# counts would be added to FRESH3_MIN with it).
FRESH3_SEED = "plccoach-fresh3-2026"
FRESH3_FILES = ("fresh3-pages.jsonl", "fresh3-scope.jsonl")
FRESH3_IDS = {"fresh3-pages.jsonl": (1, 499), "fresh3-scope.jsonl": (501, 999)}
FRESH3_MIN = {"in_scope": 120, "standalone": 30, "follow_up": 30, "acronym_share": 1 / 3,
              "typo_share": 0.25, "starter": 0, "words": (1, 90),
              "turns": (1, 2), "two_turns": 3, "pointer_share": 0.40, "announced_share": 0.20,
              "standalone_words": 6}
FRESH3_VOICE = (
    ("first_person", lambda q, t: bool(FIRST_PERSON.search(q)), 0.45),
    ("plain", lambda q, t: not FIRST_PERSON.search(q) and not {"typo", "runon"} & set(t), 0.20),
    ("school", None, 0.45),
    ("how", None, 0.15),
    ("how_many", lambda q, t: bool(HOW_MANY.search(q)), 0.05),
    ("long", lambda q, t: 40 <= len(q.split()) <= 90, 0.0),
    ("short", lambda q, t: len(q.split()) <= 6, 0.02),
)
# The sets of the fresh3 set's kind (fresh3, fresh4, fresh5, fresh6): one
# answerable file each, with no refuse/clarify half (the name and ids of one
# are kept), checked alike; only the number, id prefix, seed, counts and
# voice tags differ.  The earlier sets' question files are the OTHERS each
# is checked against (named in messages "tune, held-out, ... and freshN-1").
OTHERS_NAMED = ["tune", "held-out", "the check", "training", "validation", "stress", "fresh",
                "fresh2"]


def fresh_pages_set(number, prefix, seed, after, least, voice, pages_ids=(1, 499),
                    scope_ids=(501, 999), scope=None):
    """The table of the fresh NUMBER set (ids PREFIX0001..PREFIX0499 in
    freshNUMBER-pages.jsonl, PREFIX0501..PREFIX0999 kept for
    freshNUMBER-scope.jsonl, unless PAGES_IDS and SCOPE_IDS say otherwise),
    checked against the files of the set AFTER and of every set before it,
    with the fresh3 set's checks of the pages file, its own SEED, counts
    LEAST and voice tags VOICE, and check_scope_file()'s checks of the scope
    file with the counts SCOPE (None: no scope file is checked)."""
    files = ("fresh%d-pages.jsonl" % number, "fresh%d-scope.jsonl" % number)
    ids = {files[0]: pages_ids, files[1]: scope_ids}
    named = OTHERS_NAMED + ["fresh%d" % n for n in range(3, number)]
    return {"what": "fresh%d set" % number, "files": files, "prefix": prefix, "ids": ids,
            "seed": seed, "others": after["others"] + after["files"], "others_required": False,
            "others_and": ", ".join(named[:-1]) + " and " + named[-1] + " sets",
            "others_or": ", ".join(named[:-1]) + " or " + named[-1] + " sets",
            "blocks": (dict(least, ids=ids[files[0]]),), "named_blocks": False, "least": None,
            "words": least["words"], "scope": scope, "voice": voice, "standalone": least}


FRESH3 = fresh_pages_set(3, "k", FRESH3_SEED, FRESH2, FRESH3_MIN, FRESH3_VOICE)


# The fresh4 set (fresh4-pages.jsonl, round 33) is VALIDATED on, written by
# one writer who had seen no code (eval/holdout/README.md, "The fresh4 set
# (round 33)"): ids n0001..n0499, one block, the fresh3 set's three parts
# (in-scope questions with no context, standalone questions asked after an
# earlier turn on another subject, follow-ups), each taking the next draws
# of FRESH4_SEED in the file's order, with FRESH4_MIN's counts and shares and
# the voice tags of FRESH4_VOICE (the fresh3 set's).  No refuse/clarify half
# was written; the name fresh4-scope.jsonl and the ids n0501..n0999 are kept
# for one (its counts would be added to FRESH4_MIN with it).
FRESH4_SEED = "plccoach-fresh4-2026b"
FRESH4_MIN = dict(FRESH3_MIN)
FRESH4_VOICE = FRESH3_VOICE
FRESH4 = fresh_pages_set(4, "n", FRESH4_SEED, FRESH3, FRESH4_MIN, FRESH4_VOICE)
FRESH4_FILES, FRESH4_IDS = FRESH4["files"], FRESH4["ids"]

# The fresh5 set (fresh5-pages.jsonl, round 34): the lead's check for round
# 34, then VALIDATED on; written by one writer who had seen no code
# (eval/holdout/README.md, "The fresh5 set (round 34)"): ids p0001..p0499,
# the fresh4 set's three parts and checks with its own seed, FRESH5_SEED.
# No refuse/clarify half was written (fresh5-scope.jsonl and p0501..p0999
# are kept for one).
FRESH5_SEED = "plccoach-fresh5-2026c"
FRESH5_MIN = dict(FRESH3_MIN)
FRESH5_VOICE = FRESH3_VOICE
FRESH5 = fresh_pages_set(5, "p", FRESH5_SEED, FRESH4, FRESH5_MIN, FRESH5_VOICE)
FRESH5_FILES, FRESH5_IDS = FRESH5["files"], FRESH5["ids"]

# The fresh6 set (fresh6-pages.jsonl, round 35): the lead's check for round
# 35, then VALIDATED on; written by one writer who had seen no code
# (eval/holdout/README.md, "The fresh6 set (round 35)"): ids q0001..q0499,
# the fresh5 set's three parts and checks with its own seed, FRESH6_SEED.
# Its in-scope lines tagged `procedure` ask how to do something the page
# answers with steps (the writer's judgement, not checked against the text);
# its follow-ups tagged `noun_pointer` point back to the earlier turn with a
# noun phrase ("the list", "that step") and hold no pronoun that could stand
# for it (NOUN_POINTER_PRONOUNS).
# No refuse/clarify half was written (fresh6-scope.jsonl and q0501..q0999
# are kept for one).
FRESH6_SEED = "plccoach-fresh6-2026d"
FRESH6_MIN = dict(FRESH3_MIN, procedure=12, noun_pointer=10)
FRESH6_VOICE = FRESH3_VOICE
FRESH6 = fresh_pages_set(6, "q", FRESH6_SEED, FRESH5, FRESH6_MIN, FRESH6_VOICE)
FRESH6_FILES, FRESH6_IDS = FRESH6["files"], FRESH6["ids"]

# The fresh7 set (round 36): the lead's check for round 36's scope and
# clarification changes (fresh7-scope.jsonl) and for the same changes on
# answerable lines (fresh7-pages.jsonl), then VALIDATED on; each file written
# by one writer who had seen no code (eval/holdout/README.md, "The fresh7 set
# (round 36)").  The scope file, ids r0001..r0499, has FRESH7_MIN's
# out-of-scope, near-miss and broad counts, areas and borrow_share
# (check_scope_file()).  The pages file, ids r0501..r0999, has the fresh3
# set's checks with its own seed, FRESH7_SEED, and counts,
# FRESH7_PAGES_MIN: 120 in-scope lines, of which 20 standalone questions
# after an earlier turn (draws 100..119, the lines with no context taking
# draws 0..99) and no follow-up at all (follow_up_max); acronyms and typos
# or run-ons on at least a quarter of the in-scope lines; its voice tags
# FRESH7_VOICE (first person and a school detail on at least half).
FRESH7_SEED = "plccoach-fresh7-2026e"
FRESH7_MIN = {"out_of_scope": 100, "oos_areas": 40, "near_miss": 60, "nm_areas": 30,
              "broad": 40, "borrow_share": 0.60}
FRESH7_PAGES_MIN = dict(FRESH3_MIN, in_scope=120, standalone=20, follow_up=0, follow_up_max=0,
                        two_turns=0, acronym_share=0.25, typo_share=0.25)
FRESH7_VOICE = (
    ("first_person", lambda q, t: bool(FIRST_PERSON.search(q)), 0.50),
    ("plain", lambda q, t: not FIRST_PERSON.search(q) and not {"typo", "runon"} & set(t), 0.10),
    ("school", None, 0.50),
    ("how", None, 0.15),
    ("how_many", lambda q, t: bool(HOW_MANY.search(q)), 0.05),
    ("long", lambda q, t: 40 <= len(q.split()) <= 90, 0.0),
    ("short", lambda q, t: len(q.split()) <= 6, 0.0),
)
FRESH7 = fresh_pages_set(7, "r", FRESH7_SEED, FRESH6, FRESH7_PAGES_MIN, FRESH7_VOICE,
                         pages_ids=(501, 999), scope_ids=(1, 499), scope=FRESH7_MIN)
FRESH7_FILES, FRESH7_IDS = FRESH7["files"], FRESH7["ids"]

# The fresh8 set (round 37): the lead's check of round 37's changes, then
# VALIDATED on; each file written by one writer who had seen no code
# (eval/holdout/README.md, "The fresh8 set (round 37)").  The scope file, ids
# u0001..u0499 (branch data39), has FRESH8_MIN's out-of-scope, near-miss and
# broad counts, areas and borrow_share (check_scope_file()).  The pages file,
# ids u0501..u0999 (branch data39b), has the fresh3 set's checks with its own
# seed, FRESH8_SEED, and counts, FRESH8_PAGES_MIN: 120 in-scope lines, of
# which 20 standalone questions after an earlier turn (draws 100..119, the
# lines with no context taking draws 0..99), 40 follow-ups (draws 120..159),
# at least 3 of them after two earlier turns; at least 15 in-scope lines with
# no context tagged `procedure` and 10 follow-ups tagged `noun_pointer` (the
# fresh6 set's tags); acronyms and typos or run-ons on at least a quarter of
# the in-scope lines; its voice tags FRESH8_VOICE (the fresh7 set's: first
# person and a school detail on at least half).
FRESH8_SEED = "plccoach-fresh8-2026f"
FRESH8_MIN = {"out_of_scope": 60, "oos_areas": 30, "near_miss": 60, "nm_areas": 30,
              "broad": 80, "borrow_share": 0.60}
FRESH8_PAGES_MIN = dict(FRESH3_MIN, in_scope=120, standalone=20, follow_up=40,
                        acronym_share=0.25, typo_share=0.25, procedure=15, noun_pointer=10)
FRESH8_VOICE = FRESH7_VOICE
FRESH8 = fresh_pages_set(8, "u", FRESH8_SEED, FRESH7, FRESH8_PAGES_MIN, FRESH8_VOICE,
                         pages_ids=(501, 999), scope_ids=(1, 499), scope=FRESH8_MIN)
FRESH8_FILES, FRESH8_IDS = FRESH8["files"], FRESH8["ids"]

# The fresh9 set (round 38): the lead's check of round 38's changes, then
# VALIDATED on; each file written by one writer who had seen no code
# (eval/holdout/README.md, "The fresh9 set (round 38)").  The scope file, ids
# w0001..w0499 (branch data40), has FRESH9_MIN's out-of-scope, near-miss and
# broad counts, areas and borrow_share (check_scope_file()).  The pages file,
# ids w0501..w0999 (branch data40b), has the fresh8 set's checks with its own
# seed, FRESH9_SEED, and counts, FRESH9_PAGES_MIN (the fresh8 set's: 120
# in-scope lines, of which 20 standalone questions after an earlier turn,
# draws 100..119; 40 follow-ups, draws 120..159, at least 3 after two earlier
# turns; at least 15 `procedure` lines and 10 `noun_pointer` follow-ups;
# acronyms and typos or run-ons on at least a quarter of the in-scope lines),
# and its voice tags FRESH9_VOICE (the fresh7 set's); the scope counts are
# the fresh8 set's too.
FRESH9_SEED = "plccoach-fresh9-2026g"
FRESH9_MIN = FRESH8_MIN
FRESH9_PAGES_MIN = FRESH8_PAGES_MIN
FRESH9_VOICE = FRESH8_VOICE
FRESH9 = fresh_pages_set(9, "w", FRESH9_SEED, FRESH8, FRESH9_PAGES_MIN, FRESH9_VOICE,
                         pages_ids=(501, 999), scope_ids=(1, 499), scope=FRESH9_MIN)
FRESH9_FILES, FRESH9_IDS = FRESH9["files"], FRESH9["ids"]


def id_number(q, prefix):
    """The number of Q's id PREFIX0001.. (an int), or None."""
    m = re.match(r"^%s([0-9]{4})$" % prefix, str(q.get("id", "")))
    return int(m.group(1)) if m else None


def load_set(c, root, s):
    """The files of set S in ROOT that are there, {name: rows}, each checked
    for shape and id range (a missing file is a diagnostic)."""
    files = {}
    for name in s["files"]:
        path = os.path.join(root, name)
        if not os.path.exists(path):
            c.diag("%s: %s is not there (not checked)" % (s["what"], name))
            continue
        problems = []
        rows = load_lines(path, problems)
        for q in rows:
            problems.extend(line_problems(q, s["prefix"]))
        lo, hi = s["ids"][name]
        p = s["prefix"]
        problems.extend("%s: ids of %s are %s%04d..%s%04d" % (q.get("id", "?"), name, p, lo, p, hi)
                        for q in rows if id_number(q, p) is not None
                        and not lo <= id_number(q, p) <= hi)
        c.result(not problems, "%s: %s: every line is well formed (%d lines)"
                 % (s["what"], name, len(rows)), problems)
        files[name] = rows
    return files


def check_questions(c, root, s, books, allbooks, others):
    """Set S's checks (TRAIN or VALID): shape, ids unique across every
    question file, pages and key terms, no question repeating one of OTHERS
    (ids printed, never the other files' text) nor one of its own; then its
    pages file (check_pages_file) and scope file (check_scope_file).  A
    missing file is skipped with a diagnostic; returns the number of files
    checked."""
    what = s["what"]
    files = load_set(c, root, s)
    if not files:
        return 0
    rows = [q for name in s["files"] for q in files.get(name, [])]
    ids = [q.get("id") for q in rows]
    other_ids = {q.get("id") for q in others}
    dup = sorted({i for i in ids if ids.count(i) > 1 or i in other_ids}, key=str)
    c.result(not dup, "%s: no id repeats, within it or with %s" % (what, s["others_and"]),
             ["repeated: " + ", ".join(map(str, dup))] if dup else ())
    missing, absent = pages_and_terms(rows, books, allbooks, s["prefix"])
    c.result(not missing, "%s: every expected book title and page label exists" % what, missing)
    c.result(not absent, "%s: every key term is on an expected page" % what, absent)
    again = duplicates(rows, others)
    c.result(not again, "%s: no question repeats one of %s" % (what, s["others_or"]),
             ["%s repeats a question of %s" % (i, s["others_or"]) for i in again])
    seen, twice = {}, []
    for q in rows:
        key = normalised(" / ".join(list(q.get("context") or []) + [q.get("question") or ""]))
        if key in seen:
            twice.append("%s asks %s's question again" % (q.get("id"), seen[key]))
        seen.setdefault(key, q.get("id"))
    c.result(not twice, "%s: no question is asked twice within it" % what, twice)
    pages, scope = s["files"]
    if pages in files:
        check_pages_file(c, s, files[pages], books, allbooks)
    if scope in files and s["scope"]:
        check_scope_file(c, s, files[scope])
    by = {}
    for q in rows:
        by[q.get("category")] = by.get(q.get("category"), 0) + 1
    for k in CATEGORIES:
        c.diag("%s %-13s %4d" % (what, k, by.get(k, 0)))
    return len(files)


def question_words(q):
    return len(str(q.get("question", "")).split())


def check_pages_file(c, s, rows, books, allbooks):
    """Set S's pages file: answerable lines only, each question (a
    follow-up's second turn) S["words"] words long when S asks it; then each
    block of S (check_block(), the draw continuing the blocks before it;
    named blocks with every line in one and the whole file's counts and
    shares S["least"] after them); every numbered chapter asked about."""
    what, (name, scope) = s["what"], s["files"]
    wrong = ["%s: %s belongs in %s" % (q.get("id"), q.get("category"), scope)
             for q in rows if q.get("category") not in ("in_scope", "follow_up")]
    c.result(not wrong, "%s: %s holds in-scope and follow-up lines only" % (what, name), wrong)
    if s["words"]:
        lo, hi = s["words"]
        long_short = ["%s: %d words" % (q.get("id"), question_words(q))
                      for q in rows if not lo <= question_words(q) <= hi]
        c.result(not long_short, "%s: %s: every question is %d to %d words long"
                 % (what, name, lo, hi), long_short)
    order = seeded_draw(books, s["seed"])
    ins = [q for q in rows if q.get("category") == "in_scope"]
    fus = [q for q in rows if q.get("category") == "follow_up"]
    if s.get("voice"):
        voice(c, s, rows, ins)
    if s.get("standalone"):
        standalone_checks(c, s, rows)
    if s["named_blocks"]:
        outside = [q.get("id", "?") for q in rows if block_of(q, s) is None]
        c.result(not outside, "%s: every line of %s is in a block (%s)" % (what, name, ", ".join(
            "%s%04d..%s%04d" % (s["prefix"], b["ids"][0], s["prefix"], b["ids"][1])
            for b in s["blocks"])), ["%s is in no block" % i for i in outside])
        start = 0
        for n, b in enumerate(s["blocks"], 1):
            mine = [q for q in rows if block_of(q, s) is b]
            label = "block %d (%s%04d..%s%04d, draws %d..)" % (
                n, s["prefix"], b["ids"][0], s["prefix"], b["ids"][1], start)
            check_block(c, s, books, allbooks, label, mine, b, order, start)
            start += len(mine)
        train_counts(c, what, ins, fus, s["least"])
        whole = what
    else:
        check_block(c, s, books, allbooks, None, rows, s["blocks"][0], order, 0)
        whole = "%s: %s" % (what, name)
    uncovered = uncovered_chapters(books, ins + fus)
    c.result(not uncovered, "%s: every numbered chapter of every book has a question" % whole,
             uncovered)
    book_diags(c, what, books, ins, fus)
    for d in sorted(DOMAINS):
        c.diag("%s: domain %-16s %3d in scope" % (what, d, sum(
            1 for q in ins if d in q.get("domains", []))))
    words = [question_words(q) for q in ins]
    if s["words"] and words:
        c.diag("%s: in-scope questions %d to %d words (mean %.1f)"
               % (what, min(words), max(words), statistics.mean(words)))
    overlap_diag(c, "%s, in-scope question vs its page(s)" % what, ins, allbooks)


def voice(c, s, rows, ins):
    """Set S's voice tags (S["voice"]): on every line of its pages file a
    checkable tag is there exactly when the text (a follow-up's second
    turn) and the line's other tags say it; each tag's share of the
    in-scope lines INS is at least its least share."""
    what = "%s: %s" % (s["what"], s["files"][0])
    for tag, says, least in s["voice"]:
        if says is not None:
            wrong = ["%s: the %s tag must match the question" % (q.get("id"), tag)
                     for q in rows if isinstance(q.get("tags"), list)
                     and (tag in q["tags"]) != says(str(q.get("question", "")), q["tags"])]
            c.result(not wrong, "%s: the %s tag matches the text" % (what, tag), wrong)
        share = sum(1 for q in ins if tag in (q.get("tags") or [])) / max(len(ins), 1)
        c.result(share >= least, "%s: in scope: %.0f %% tagged %s (at least %.0f %%)"
                 % (what, 100 * share, tag, 100 * least))


def standalone_checks(c, s, rows):
    """Set S's standalone questions and follow-ups (S["standalone"]): at
    least its count of in-scope lines with no context and of standalone
    ones; every context of 1 to 2 turns and at least two_turns follow-ups
    with two; a standalone question at least standalone_words words long,
    never opening as a follow-up does ("and", "what about"...); the
    pointer_words tag on exactly the standalone questions holding such a
    word, on at least pointer_share of them; at least announced_share of
    them saying the subject changes and at least as large a share not."""
    least, what = s["standalone"], "%s: %s" % (s["what"], s["files"][0])
    ins = [q for q in rows if q.get("category") == "in_scope"]
    alone_ = [q for q in ins if q.get("context")]
    plain_n = len(ins) - len(alone_)
    c.result(plain_n >= least["in_scope"] - least["standalone"], "%s: %d in-scope lines with no "
             "context (at least %d)" % (what, plain_n, least["in_scope"] - least["standalone"]))
    c.result(len(alone_) >= least["standalone"], "%s: %d standalone questions after earlier "
             "turns (at least %d)" % (what, len(alone_), least["standalone"]))
    lo, hi = least["turns"]
    ctx = [q for q in rows if q.get("context")]
    wrong = ["%s: %d earlier turns" % (q.get("id"), len(q["context"])) for q in ctx
             if not isinstance(q["context"], list) or not lo <= len(q["context"]) <= hi]
    c.result(not wrong, "%s: every context holds %d to %d earlier turns" % (what, lo, hi), wrong)
    if "follow_up_max" in least:
        fus = sum(1 for q in rows if q.get("category") == "follow_up")
        c.result(fus <= least["follow_up_max"], "%s: %d follow-ups (at most %d)"
                 % (what, fus, least["follow_up_max"]))
    two = sum(1 for q in ctx if q.get("category") == "follow_up" and len(q["context"]) == 2)
    c.result(two >= least["two_turns"], "%s: %d follow-ups after two earlier turns (at least %d)"
             % (what, two, least["two_turns"]))
    text = {id(q): str(q.get("question", "")) for q in alone_}
    bad = ["%s: %d words" % (q.get("id"), len(text[id(q)].split())) for q in alone_
           if len(text[id(q)].split()) < least["standalone_words"]]
    bad += ["%s: opens as a follow-up" % q.get("id") for q in alone_
            if FOLLOW_OPENER.search(text[id(q)])]
    c.result(not bad, "%s: every standalone question is a whole question (at least %d words, "
             "not opening as a follow-up)" % (what, least["standalone_words"]), bad)
    wrong = ["%s: the pointer_words tag must match the question" % q.get("id") for q in rows
             if isinstance(q.get("tags"), list) and ("pointer_words" in q["tags"]) != (
                 q in alone_ and bool(POINTER_WORDS.search(str(q.get("question", "")))))]
    c.result(not wrong, "%s: the pointer_words tag is on exactly the standalone questions "
             "holding such a word" % what, wrong)
    if least.get("procedure"):
        # `procedure` (the fresh6 set): an in-scope question with no context
        # asking how to do something its page answers with steps
        wrong = ["%s: only in-scope lines with no context are tagged procedure" % q.get("id")
                 for q in rows if "procedure" in (q.get("tags") or [])
                 and (q.get("category") != "in_scope" or q.get("context"))]
        n = sum(1 for q in ins if not q.get("context") and "procedure" in (q.get("tags") or []))
        c.result(not wrong and n >= least["procedure"], "%s: %d in-scope questions with no "
                 "context tagged procedure, and no other line (at least %d)"
                 % (what, n, least["procedure"]), wrong)
    if least.get("noun_pointer"):
        # `noun_pointer` (the fresh6 set): a follow-up whose last turn points
        # back with a noun phrase, not with a pronoun
        wrong = ["%s: only follow-ups with no pronoun pointing back are tagged noun_pointer"
                 % q.get("id") for q in rows if "noun_pointer" in (q.get("tags") or [])
                 and (q.get("category") != "follow_up"
                      or NOUN_POINTER_PRONOUNS.search(str(q.get("question", ""))))]
        n = sum(1 for q in rows if q.get("category") == "follow_up"
                and "noun_pointer" in (q.get("tags") or []))
        c.result(not wrong and n >= least["noun_pointer"], "%s: %d follow-ups tagged "
                 "noun_pointer, none holding a pronoun that points back (at least %d)"
                 % (what, n, least["noun_pointer"]), wrong)
    n = max(len(alone_), 1)
    for share, name in ((sum(1 for q in alone_ if "pointer_words" in (q.get("tags") or []))
                         / n, "tagged pointer_words"),
                        (sum(1 for q in alone_ if ANNOUNCED.search(text[id(q)])) / n,
                         "announcing the new subject"),
                        (sum(1 for q in alone_ if not ANNOUNCED.search(text[id(q)])) / n,
                         "not announcing it")):
        want = least["pointer_share"] if name.startswith("tagged") else least["announced_share"]
        c.result(share >= want, "%s: standalone: %.0f %% %s (at least %.0f %%)"
                 % (what, 100 * share, name, 100 * want))


def block_of(q, s):
    """The block of set S whose ids hold Q's, or None."""
    n = id_number(q, s["prefix"])
    return next((b for b in s["blocks"] if n is not None and b["ids"][0] <= n <= b["ids"][1]),
                None)


def shares(c, what, ins, least):
    """The acronym and typo shares of the in-scope lines INS against LEAST."""
    if ins:
        acr = sum(1 for q in ins if "acronym" in q.get("tags", [])) / len(ins)
        typo = sum(1 for q in ins if {"typo", "runon"} & set(q.get("tags", []))) / len(ins)
        c.result(acr >= least["acronym_share"], "%s: in scope: %.0f %% use acronyms "
                 "(at least %.0f %%)" % (what, 100 * acr, 100 * least["acronym_share"]))
        c.result(typo >= least["typo_share"], "%s: in scope: %.0f %% with typos or "
                 "run-ons (at least %.0f %%)" % (what, 100 * typo, 100 * least["typo_share"]))


def train_counts(c, what, ins, fus, least):
    """The counts and shares of LEAST (in_scope, follow_up, acronym_share,
    typo_share) for the in-scope lines INS and follow-ups FUS."""
    for k, got in (("in_scope", ins), ("follow_up", fus)):
        c.result(len(got) >= least[k], "%s: %s: %d lines (at least %d)"
                 % (what, k, len(got), least[k]))
    shares(c, what, ins, least)


def check_block(c, s, books, allbooks, label, rows, block, order, start):
    """One block of set S's pages file (LABEL, or None for a set of one
    unnamed block): its counts and shares, its in-scope lines going round
    the whole draw ORDER, its lines listing a starter page (a book of
    ALLBOOKS not in BOOKS, after the first expected entry), and its pages
    the draw from START on (in-scope lines first, then the follow-ups, each
    in the file's order); a named block's question/page overlap."""
    what = "%s: %s" % (s["what"], label or s["files"][0])
    ins = [q for q in rows if q.get("category") == "in_scope"]
    fus = [q for q in rows if q.get("category") == "follow_up"]
    if s.get("standalone"):
        # the questions with no context take the first draws, the
        # standalone ones the next (standalone_checks())
        ins = [q for q in ins if not q.get("context")] + [q for q in ins if q.get("context")]
    train_counts(c, what, ins, fus, block)
    c.result(len(ins) >= len(order), "%s: the in-scope lines go round the whole draw "
             "(%d lines, %d pages of at least %d words)" % (what, len(ins), len(order),
                                                            CHECK_MIN_WORDS))
    starter = [q for q in ins if not line_problems(q, s["prefix"]) and any(
        e["book"] in allbooks and e["book"] not in books for e in q["expected"][1:])]
    c.result(len(starter) >= block["starter"], "%s: %d in-scope lines list a starter page "
             "second (at least %d)" % (what, len(starter), block["starter"]))
    want = [order[(start + k) % len(order)] for k in range(len(ins) + len(fus))] if order else []
    got = [(q["expected"][0]["book"], q["expected"][0]["pages"][0])
           if not line_problems(q, s["prefix"]) else None for q in ins + fus]
    off = [q.get("id", "?") for q, g, w in zip(ins + fus, got, want) if g != w]
    c.result(order and not off, "%s: the in-scope and follow-up pages are the seeded draw "
             "(seed %s)%s" % (s["what"], s["seed"], ", " + label if label else ""),
             ["%s is not on its drawn page" % i for i in off])
    if label:
        overlap_diag(c, "%s %s, in-scope question vs its page(s)" % (s["what"], label),
                     ins, allbooks)


def check_scope_file(c, s, rows):
    """Set S's scope file: refuse and clarify lines only, and S["scope"]'s
    counts of out-of-scope, near-miss and broad lines and of their areas (and,
    when it names a borrow_share, the least share of out-of-scope lines
    tagged borrows_words)."""
    pages, name = s["files"]
    what = "%s: %s" % (s["what"], name)
    least = s["scope"]
    wrong = ["%s: %s belongs in %s" % (q.get("id"), q.get("category"), pages)
             for q in rows if q.get("category") in ("in_scope", "follow_up")]
    c.result(not wrong, "%s holds out-of-scope, near-miss and broad lines only" % what, wrong)
    for k, areas in (("out_of_scope", "oos_areas"), ("near_miss", "nm_areas"), ("broad", None)):
        mine = [q for q in rows if q.get("category") == k]
        c.result(len(mine) >= least[k], "%s: %s: %d lines (at least %d)"
                 % (what, k, len(mine), least[k]))
        if areas:
            n = len({q.get("area") for q in mine})
            c.result(n >= least[areas], "%s: %s: %d areas (at least %d)"
                     % (what, k, n, least[areas]))
    if least.get("borrow_share"):
        oos = [q for q in rows if q.get("category") == "out_of_scope"]
        share = sum(1 for q in oos if isinstance(q.get("tags"), list)
                    and "borrows_words" in q["tags"]) / max(len(oos), 1)
        c.result(share >= least["borrow_share"], "%s: out_of_scope: %.0f %% tagged "
                 "borrows_words (at least %.0f %%)" % (what, 100 * share,
                                                       100 * least["borrow_share"]))


def others_of(root, names):
    """The lines of the question files NAMES in ROOT that are there,
    loaded without printing anything of them."""
    rows = []
    for name in names:
        path = os.path.join(root, name)
        if os.path.exists(path):
            rows += load_lines(path, [])
    return rows


def cmd_check_questions(root, s):
    """Set S's files alone (check-train, check-valid), against the question
    files S["others"] (whose own checks are `check`'s)."""
    c = Checker()
    books, _, allbooks = library(root)
    if s["others_required"]:
        others = [q for name in s["others"] for q in load_lines(os.path.join(root, name), [])]
    else:
        others = others_of(root, s["others"])
    if not check_questions(c, root, s, books, allbooks, others):
        c.result(False, "%s: %s or %s is in %s" % ((s["what"],) + s["files"] + (root,)))
    return 1 if c.failed else 0


def main(argv):
    if len(argv) >= 2 and argv[0] == "expect":
        return cmd_expect(argv[1:])
    if len(argv) >= 3 and argv[0] == "verify-chunks":
        return cmd_verify_chunks(argv[1], argv[2:])
    if len(argv) == 3 and argv[0] == "fold":
        return cmd_fold(argv[1], argv[2])
    if len(argv) == 3 and argv[0] == "check-half":
        return cmd_check_half(argv[1], argv[2])
    if len(argv) == 2 and argv[0] == "check":
        return cmd_check(argv[1])
    if len(argv) == 2 and argv[0] == "check-train":
        return cmd_check_questions(argv[1], TRAIN)
    if len(argv) == 2 and argv[0] == "check-valid":
        return cmd_check_questions(argv[1], VALID)
    if len(argv) == 2 and argv[0] == "check-stress":
        return cmd_check_questions(argv[1], STRESS)
    if len(argv) == 2 and argv[0] == "check-fresh":
        return cmd_check_questions(argv[1], FRESH)
    if len(argv) == 2 and argv[0] == "check-fresh2":
        return cmd_check_questions(argv[1], FRESH2)
    if len(argv) == 2 and argv[0] == "check-fresh3":
        return cmd_check_questions(argv[1], FRESH3)
    if len(argv) == 2 and argv[0] == "check-fresh4":
        return cmd_check_questions(argv[1], FRESH4)
    if len(argv) == 2 and argv[0] == "check-fresh5":
        return cmd_check_questions(argv[1], FRESH5)
    if len(argv) == 2 and argv[0] == "check-fresh6":
        return cmd_check_questions(argv[1], FRESH6)
    if len(argv) == 2 and argv[0] == "check-fresh7":
        return cmd_check_questions(argv[1], FRESH7)
    if len(argv) == 2 and argv[0] == "check-fresh8":
        return cmd_check_questions(argv[1], FRESH8)
    if len(argv) == 2 and argv[0] == "check-fresh9":
        return cmd_check_questions(argv[1], FRESH9)
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
