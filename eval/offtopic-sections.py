#!/usr/bin/env python3
"""Counts answers that write a section sharing no topic word with the question.

    PLCCOACH_DATABASE_URL=... eval/offtopic-sections.py PLCCOACH FILE.jsonl... \
        [--jobs 2] [--per-question]

For each single-turn line of FILE (no "context") whose route is "answer",
asks PLCCOACH (`plccoach ask --json`) and reads the question's terms from
`plccoach search --json` (evidence.terms and .expansions: the analysed
term, the word as written, the library IDF).  A section of the answer is
a heading line ("**Heading** [n]") and the quotations under it, up to the
next heading or "Key takeaways"; the opening sentence counts as the first
section's.  A section is off-topic when its heading and quotations hold
no topic term of the question, by the rule topic35 measured
(docs/performance.md, "topic35"; not kept in the composer): a term of a
word the question writes, not a light verb (the list below), or an
acronym's phrase or spelling correction standing for one (search
evidence sources "synonym", "typo"), with library IDF >= 0.7 (held by
fewer than about half the passages).  A term is held when a word of the
text starts with it (the analyser's stems are mostly prefixes: "fail" of
"failing"; a final "i" also as "y": "communiti"; a final "e" also
without it: "move" of "moving"), case ignored: an approximation of a
stemmed match.  The composer tests a section's whole quotable text; this
counts only what the answer writes.

Prints, per file, the answers read, the answers with an off-topic section
and the off-topic sections; with --per-question, one JSON line per answer
with an off-topic section (its id, question and those sections' headings).
The composer does not apply this rule; the script measures how often its
answers break it.
"""

import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys

SUBSTANCE_IDF = 0.7

LIGHT_VERBS = set("""
keep keeps keeping kept do does doing did done make makes making made get gets
getting got gotten go goes going went gone use uses using used want wants wanting
wanted need needs needing needed try tries trying tried help helps helping helped
take takes taking took taken give gives giving gave given put puts putting let lets
letting come comes coming came have has having had say says saying said tell tells
telling told know knows knowing knew known think thinks thinking thought see sees
seeing saw seen look looks looking looked find finds seem seems seemed become becomes
became happen happens happened deal deals dealing dealt
""".split())

HEADING = re.compile(r"^\*\*(.+?)\*\*(?: \[\d+\])?\s*$")
WORD = re.compile(r"[a-z0-9]+")


def run_json(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        return None
    try:
        return json.loads(out.stdout)
    except ValueError:
        return None


def topic_terms(plccoach, question):
    doc = run_json([plccoach, "search", "--json", question])
    terms = []
    if doc is None:
        return terms
    ev = doc.get("evidence", {})
    for t in ev.get("terms", []) + ev.get("expansions", []):
        if t.get("source") not in ("question", "synonym", "typo") or not t.get("in_library"):
            continue
        word = (t.get("word") or "").lower()
        if t.get("source") == "question" and word in LIGHT_VERBS:
            continue
        if (t.get("idf") or 0) < SUBSTANCE_IDF:
            continue
        terms.append(t["term"])
    return terms


def sections(answer):
    """The (heading, text) of each headed section of the answer; the
    opening sentence counts as the first section's (it is quoted from one
    of the first group's sections, extractive.h, 5)."""
    out, cur, opening = [], None, ""
    for line in answer.splitlines():
        m = HEADING.match(line.strip())
        if m:
            if m.group(1) in ("Key takeaways", "Suggested follow-up questions"):
                break
            cur = [m.group(1), m.group(1) + ("\n" + opening if not out else "")]
            out.append(cur)
        elif cur is not None:
            cur[1] += "\n" + line
        else:
            opening += "\n" + line
    return out


def holds(text, terms):
    words = WORD.findall(text.lower())
    for t in terms:
        alts = (t, t[:-1] + "y") if t.endswith("i") else (t, t[:-1]) if t.endswith("e") else (t,)
        for w in words:
            if any(w.startswith(a) for a in alts):
                return True
    return False


def one(plccoach, line):
    q = line["question"]
    doc = run_json([plccoach, "ask", "--json", q])
    if doc is None or doc.get("type") != "answer" or not doc.get("answer"):
        return None
    terms = topic_terms(plccoach, q)
    if not terms:
        return {"id": line.get("id"), "question": q, "off": []}
    off = [h for h, text in sections(doc["answer"]) if not holds(text, terms)]
    return {"id": line.get("id"), "question": q, "off": off}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("plccoach")
    ap.add_argument("files", nargs="+")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--per-question", action="store_true")
    a = ap.parse_args()
    if "PLCCOACH_DATABASE_URL" not in os.environ:
        sys.exit("offtopic-sections: PLCCOACH_DATABASE_URL is not set")
    for f in a.files:
        with open(f, encoding="utf-8") as fh:
            lines = [json.loads(x) for x in fh if x.strip()]
        lines = [x for x in lines if x.get("route") == "answer" and not x.get("context")]
        with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as ex:
            res = [r for r in ex.map(lambda x: one(a.plccoach, x), lines) if r is not None]
        bad = [r for r in res if r["off"]]
        print(json.dumps({"file": os.path.basename(f), "answers": len(res),
                          "answers_offtopic": len(bad),
                          "sections_offtopic": sum(len(r["off"]) for r in bad)}))
        if a.per_question:
            for r in bad:
                print(json.dumps(r))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
