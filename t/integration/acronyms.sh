#!/bin/bash
# Acronyms the library spells out (src/library/initials.h, sql/075): on
# the evaluation library, which writes "Check-In, Check-Out" and never
# "CICO", the question "what is CICO" stands for that phrase and finds
# its page; a capitalised word no phrase of the library has ("NFL",
# "IRS") expands to nothing; the rows follow the books (remove).
. "$(dirname "$0")/../lib/integration.sh"
# shellcheck source=t/lib/holdout.sh
. "$PLC_SRCDIR/t/lib/holdout.sh"

holdout_stack

sql() { stack_psql -- -Atc "$1"; }

# QUESTION [ARGS]: "book|first page-last page|question terms|acronym
# expansions" of the first result.
first() {
    stack_cli search "$1" --json "${@:2}" | python3 -c '
import json, sys
d = json.load(sys.stdin)
r = d["results"]
x = " ".join(sorted("%s/%s" % (y["term"], y["source"]) for y in d["evidence"]["expansions"]
                    if y["source"] == "synonym"))
t = " ".join("%s:%s" % (y["term"], "expanded" if y["expanded"] else y["df"])
             for y in d["evidence"]["terms"])
p = "%s-%s" % (r[0]["pages"]["start"], r[0]["pages"]["end"]) if r else "-"
print("%s|%s|%s|%s" % (r[0]["book"]["title"] if r else "none", p, t, x))'
}

is "$(sql "SELECT string_agg(DISTINCT phrase, ',') FROM acronym_phrases WHERE initials = 'CICO'")" \
    "check in check out" "ingest mines Check-In, Check-Out under CICO"
is "$(sql "SELECT count(*) FROM postings WHERE term = 'cico'")" 0 "the library never writes CICO"
got=$(first 'what is CICO' --k 1)
like "$got" '^Every Child, Every Day\|(22-22|2[12]-2[23])\|cico:expanded\|check/synonym$' \
    "what is CICO: its phrase stands for it and finds the page ($got)"
off=$(first 'what is CICO' --k 1 --set spelled=0)
like "$off" '\|cico:0\|$' "--set spelled=0: CICO stays an unknown word ($off)"
for q in 'what is NFL' 'how do I file my IRS taxes'; do
    got=$(first "$q" --k 1)
    like "$got" '\|[^|]*\|$' "$q: no phrase, no expansion ($got)"
    unlike "$got" 'expanded' "$q: the word stays unknown"
done
is "$(sql "SELECT count(*) FROM acronym_phrases WHERE initials IN ('NFL', 'IRS')")" 0 \
    "no phrase of the library has the initials NFL or IRS"
# WIN is a word of the library ("WIN time"): not looked up, not expanded.
got=$(first 'when is WIN time' --k 1)
like "$got" '\|win:[1-9][0-9]* [^|]*\|$' "WIN, a library word, is left as it is ($got)"

book=$(sql "SELECT b.id FROM books b WHERE b.title = 'Every Child, Every Day'")
ok "remove the book" stack_cli books remove "$book"
is "$(sql "SELECT count(*) FROM acronym_phrases WHERE book_id = '$book'")" 0 \
    "its phrases go with it"
like "$(first 'what is CICO' --k 1)" '\|cico:0\|$' "then CICO stands for nothing"
done_testing
