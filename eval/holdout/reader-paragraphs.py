#!/usr/bin/env python3
"""What the PDF reader makes of the evaluation library's paragraphs (reader35).

    python3 eval/holdout/reader-paragraphs.py PDFPARAS.jsonl [BOOK.book...]

PDFPARAS.jsonl is the output of `eval/holdout/pdfparas FILE.pdf...` (the
reader's paragraphs and the passage-level cuts that fire in the chunks);
the .book sources (default: eval/holdout/books/*.book) say which lines of
the PDFs are not prose (the other lines are): "#", "##", "###" headings (a chapter opener is
drawn as "CHAPTER N" and its title), "::title", "::subtitle", "::byline",
"::heading", "::toc" entries and table rows.

Prints, per file and in all:
  paragraphs        the reader's paragraphs
  glued             paragraphs that open with one of those lines and go on
                    with more text (a heading, title-page line, contents
                    entry or table row run into the paragraph after it)
  rows glued        paragraphs that hold a table row and more text
  cuts heading      passage-level cuts of a heading off its sentence
                    (known headings run in, unknown_heading,
                    paragraph_heading) in the chunks
  cuts title        title blocks cut (title_block)
With --list, the glued paragraphs' opening lines too.
"""
import glob
import json
import os
import re
import sys


def norm(s):
    s = s.replace("**", "").replace("*", "")
    return re.sub(r"\s+", " ", s).strip()


def source_lines(path):
    """The non-prose lines of a .book source, as the PDF shows them."""
    heads, rows, prose = set(), set(), []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        m = re.match(r"^(#{1,3}) (.*)$", line)
        if m:
            text = norm(m.group(2))
            c = re.match(r"^(Chapter [^:]+): (.*)$", text)
            if m.group(1) == "#" and c:
                heads.add(c.group(1).upper())
                heads.add(c.group(2))
            else:
                heads.add(text)
            continue
        m = re.match(r"^::(title|subtitle|byline|heading) (.*)$", line)
        if m:
            heads.add(norm(m.group(2)))
            continue
        m = re.match(r"^::toc (.*) \| (.*)$", line)
        if m:
            heads.add(norm(m.group(1)) + " " + norm(m.group(2)))
            continue
        if line.startswith("|") and not re.match(r"^\|[-| ]+\|$", line):
            cells = [norm(c) for c in line.strip().strip("|").split("|")]
            rows.add(" ".join(c for c in cells if c))
            continue
        if line and not line.startswith(("<!--", "::", "---", "> ", "- ")):
            prose.append(norm(re.sub(r"^\d+\. ", "", line)))
    return heads, rows, prose


def main():
    args = [a for a in sys.argv[1:] if a != "--list"]
    listing = "--list" in sys.argv
    if not args:
        sys.exit(__doc__)
    here = os.path.dirname(os.path.abspath(__file__))
    books = args[1:] or sorted(glob.glob(os.path.join(here, "books", "*.book")))
    lines = {}
    for b in books:
        name = os.path.basename(b)[: -len(".book")] + ".pdf"
        lines[name] = source_lines(b)
    stats = {}
    for raw in open(args[0], encoding="utf-8"):
        o = json.loads(raw)
        s = stats.setdefault(
            o["file"], {"paragraphs": 0, "glued": 0, "rows glued": 0, "cuts heading": 0, "cuts title": 0}
        )
        if "chunk" in o:
            s["cuts " + o["kind"]] += 1
            continue
        heads, rows, prose = lines.get(o["file"], (set(), set(), []))
        p = o["para"]
        s["paragraphs"] += 1
        # A line run into the text after it; not when the paragraph is
        # that line itself (a contents entry "Preface iv" opens with the
        # heading "Preface") nor when the source has prose opening so
        # ("Middle schools can use ..." after the heading "Middle schools").
        opening = [
            h
            for h in heads | rows
            if p.startswith(h + " ")
            and p not in heads | rows
            and not any(q.startswith(p[: len(h) + 24]) for q in prose)
        ]
        if opening:
            s["glued"] += 1
            if listing:
                print("%s p.%s: %s | %s" % (o["file"], o["page"], max(opening, key=len), p[:60]))
        if any(r in p and r != p for r in rows):
            s["rows glued"] += 1
    keys = ["paragraphs", "glued", "rows glued", "cuts heading", "cuts title"]
    print("%-30s %s" % ("file", " ".join("%12s" % k for k in keys)))
    total = {k: 0 for k in keys}
    for f in sorted(stats):
        print("%-30s %s" % (f, " ".join("%12d" % stats[f][k] for k in keys)))
        for k in keys:
            total[k] += stats[f][k]
    print("%-30s %s" % ("all", " ".join("%12d" % total[k] for k in keys)))


if __name__ == "__main__":
    main()
