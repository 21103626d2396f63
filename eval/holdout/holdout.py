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

BOOK is a PDF book source (*.book, rendered by mkbooks) or a Markdown book
(*.md, ingested as it is).
"""
import csv
import os
import re
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


def main(argv):
    if len(argv) >= 2 and argv[0] == "expect":
        return cmd_expect(argv[1:])
    if len(argv) >= 3 and argv[0] == "verify-chunks":
        return cmd_verify_chunks(argv[1], argv[2:])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
