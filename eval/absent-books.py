#!/usr/bin/env python3
"""eval/absent-books.py [SEED]: a generated FIT set for absent35 (a question
that names a book the library does not hold; src/coach/booktitle.h).

Prints JSON lines in eval/coach.jsonl's shape: questions naming made-up
titles ("absent", route "refuse") and questions naming the titles of the
starter and evaluation libraries in teachers' phrasings ("held", route
"answer"; short names, lower case, one typo, the authors).  absent36
adds the rule's (d), drawn after those lines: made-up titles and unknown
surnames asked about as speakers ("what does X say about", "according to
X", "In X, what do they say"), the held titles and authors so asked, and
questions naming no one ("none": "what does the research say", "what
does RTI say", "according to our principal"; route "answer").  Seeded (default
35), so the same set every run.  FIT only: rules may be tuned on it.

    python3 eval/absent-books.py > var/absent-books.jsonl
"""
import json
import random
import sys

SEED = int(sys.argv[1]) if len(sys.argv) > 1 else 35
rnd = random.Random(SEED)

# Made-up titles: none is a title of either library.
ADJ = ["Courageous", "Deliberate", "Thriving", "Quiet", "Fearless", "Simple", "Focused",
       "Brave", "Joyful", "Purposeful", "Practical", "Bold"]
NOUN = ["Classrooms", "Conversations", "Schools", "Leaders", "Coaching", "Feedback",
        "Questions", "Mindsets", "Habits", "Partnerships", "Grading", "Literacy"]
GERUND = ["Building", "Leading", "Growing", "Coaching", "Transforming", "Sustaining"]
OBJ = ["Trust", "Momentum", "Equity", "Capacity", "Belonging", "Change"]
BOOKNOUN = ["Handbook", "Playbook", "Guide", "Book"]
NAMES = ["Morgan Hale", "Rosa Delgado", "Ken Oyelaran", "Beth Sorensen", "Amir Haddad",
         "Julia Park"]
TOPICS = ["norms", "common formative assessments", "data meetings", "interventions",
          "essential standards", "agendas", "SMART goals"]


def made_up():
    k = rnd.randrange(3)
    if k == 0:
        return "%s %s" % (rnd.choice(ADJ), rnd.choice(NOUN))
    if k == 1:
        return "%s %s" % (rnd.choice(GERUND), rnd.choice(OBJ))
    return "The %s %s %s" % (rnd.choice(ADJ), rnd.choice(NOUN), rnd.choice(BOOKNOUN))


ABSENT_FORMS = [
    "who is {T} written for?",
    "who wrote {T}?",
    "what is {T} about?",
    "what does the {t} book say about {topic}?",
    "in the {T} book, what do they say about {topic}?",
    "is {T} by {name} worth reading for our team?",
    "our principal keeps quoting the {t} playbook, what does it say about {topic}?",
    "can you summarize the \"{T}\" handbook for me",
    "who is the {t} handbook written for",
    "does {T} cover {topic}?",  # no book noun, no question about a book: the rule misses it
]

HELD = [  # title, short names teachers use, one author's surname
    ("Assessment That Drives Learning", ["assessment book", "Assessment That Drives Learning book"],
     "Brennan"),
    ("Curriculum, Intervention and Extension", ["curriculum book", "intervention and extension book"],
     "Morrow"),
    ("Getting Started with Collaborative Teams", ["getting started book", "collaborative teams book"],
     "Rivera"),
    ("Essential Standards in Practice", ["essential standards book", "standards in practice book"],
     "Lindqvist"),
    ("Every Child, Every Day", ["every child book", "Every Child, Every Day book"], "Whitcomb"),
    ("Leading the Learning", ["leading the learning book", "Leading the Learning book"],
     "Marchand"),
    ("Reading the Evidence", ["reading the evidence book", "evidence book"], "Natarajan"),
    ("The Team Meeting Playbook", ["team meeting playbook", "meeting playbook"], "Alvarez"),
]

HELD_FORMS = [
    "who is the {s} written for?",
    "what does the {s} say about {topic}?",
    "in the {s}, how do teams handle {topic}",
    "who wrote {T}?",
    "what is {T} about?",
    "what does the {a} book say about {topic}?",
    "is the {typo} any good for new teams?",
]


def typo(s):
    words = s.split()
    i = max(range(len(words)), key=lambda k: len(words[k]))
    w = words[i]
    if len(w) >= 5:
        j = rnd.randrange(1, len(w) - 1)
        w = w[:j] + w[j + 1:] if rnd.random() < 0.5 else w[:j] + w[j + 1] + w[j] + w[j + 2:]
    words[i] = w
    return " ".join(words)


def line(i, kind, q, route):
    return {"id": "ab%03d" % i, "category": "out_of_scope" if kind == "absent" else "in_scope",
            "kind": kind, "question": q, "expected": [], "domains": [], "route": route}


out = []
for form in ABSENT_FORMS:
    for _ in range(5):
        T = made_up()
        t = T.lower()
        for bn in BOOKNOUN:  # "the X playbook book" reads badly: the noun once
            if t.endswith(" " + bn.lower()):
                t = t[: -len(bn) - 1]
        if t.startswith("the "):
            t = t[4:]
        q = form.format(T=T, t=t, topic=rnd.choice(TOPICS), name=rnd.choice(NAMES))
        out.append(("absent", q, "refuse"))
for title, shorts, author in HELD:
    for form in HELD_FORMS:
        s = rnd.choice(shorts)
        q = form.format(s=s, T=title, topic=rnd.choice(TOPICS), a=author, typo=typo(s))
        out.append(("held", q, "answer"))
# absent36, the rule's (d): a name asked about as the speaker of a text,
# with no book noun.  Drawn after absent35's lines, so those stay as they
# were (the same seed gives the same first 106 lines).
SPOKEN_FORMS = [
    "what does {T} say about {topic}?",
    "what does {T} recommend for {topic}?",
    "according to {T}, how should we handle {topic}?",
    "In {T}, what do they say about {topic}?",
    "what does {p} say about {topic}?",  # an unknown person: refused by design
]
HELD_SPOKEN_FORMS = [
    "what does {T} say about {topic}?",
    "according to {T}, how should we handle {topic}?",
    "In {T}, what do they suggest for {topic}?",
    "what does {a} say about {topic}?",
    "according to {a}, where do we start with {topic}?",
]
# Named by no one, or by an acronym: never caught (route as on main).
NONE_FORMS = [
    "what does the research say about {topic}?",
    "what does RTI say about {topic}?",
    "according to our principal, how should we handle {topic}?",
    "what does the district say about {topic}?",
    "what do experts recommend for {topic}?",
]
SURNAMES = ["Hale", "Delgado", "Oyelaran", "Sorensen", "Haddad", "Park"]


def made_up_plain():
    if rnd.randrange(2) == 0:
        return "%s %s" % (rnd.choice(ADJ), rnd.choice(NOUN))
    return "%s %s" % (rnd.choice(GERUND), rnd.choice(OBJ))


for form in SPOKEN_FORMS:
    for _ in range(5):
        q = form.format(T=made_up_plain(), p=rnd.choice(SURNAMES), topic=rnd.choice(TOPICS))
        out.append(("absent", q, "refuse"))
for title, shorts, author in HELD:
    for form in HELD_SPOKEN_FORMS:
        out.append(("held", form.format(T=title, a=author, topic=rnd.choice(TOPICS)), "answer"))
for form in NONE_FORMS:
    for _ in range(4):
        out.append(("none", form.format(topic=rnd.choice(TOPICS)), "answer"))
for i, (kind, q, route) in enumerate(out, 1):
    print(json.dumps(line(i, kind, q, route)))
