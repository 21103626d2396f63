#!/usr/bin/env python3
"""One-topic probes: short questions on one subject the starter library
names in a section heading (issue 12, section 3; broad33 in
docs/performance.md).  Python 3 standard library only.

    one-topic-probes.py STARTER [SEED]
        prints, one JSON line each, for every section heading ("## ") of
        the Markdown books in the directory STARTER (content/starter), a
        question for each of its content words and each pair of adjacent
        content words, asked in one of six templates drawn by a seeded
        random draw (SEED, default 33): "how do we set up team norms?"
        from "... writing norms ...".  Each line has category "probe",
        route "answer", and the heading it came from.  They are FIT
        probes for the too-broad rule (t/coach/route-features reads
        them); many are broad in truth ("tips for students?"), so only
        how many one-word probes a rule answers is compared, never a
        rate.
"""
import glob
import json
import os
import random
import re
import sys

STOP = set("a an the and or of in on for to with not only what why who how when from into at by is are be do "
           "does our your their that this it its two three five first one".split())
TEMPLATES = ["how do we set up {}?", "what are good {}?", "how do we start {}?",
             "how should our team handle {}?", "tips for {}?", "how do we do {}?"]


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write("usage: one-topic-probes.py STARTER [SEED]\n")
        return 2
    rng = random.Random(int(argv[2]) if len(argv) == 3 else 33)
    n = 0
    for path in sorted(glob.glob(os.path.join(argv[1], "*.md"))):
        with open(path, encoding="utf-8") as f:
            for line in f:
                m = re.match(r"##\s+(.*)", line)
                if not m or line.startswith("###"):
                    continue
                words = re.findall(r"[a-z][a-z'-]+", m.group(1).lower())
                phrases = {w for w in words if w not in STOP}
                for i in range(len(words) - 1):
                    if words[i] not in STOP and words[i + 1] not in STOP:
                        phrases.add(words[i] + " " + words[i + 1])
                for p in sorted(phrases):
                    n += 1
                    print(json.dumps({"id": "p%04d" % n, "category": "probe", "route": "answer",
                                      "question": rng.choice(TEMPLATES).format(p),
                                      "heading": m.group(1).strip()}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
