#!/bin/bash
# Too broad by what the answer would be (src/coach/README.md, "By what
# the answer would be, round 40"; branch clar40): on the starter and
# evaluation libraries,
#  - a question with two distinctive words whose would-be answer cites
#    four or more chapters and never holds both words in one sentence is
#    clarified, with 2-4 choices from the library (the training file's
#    t0833; main before clar40 answered it);
#  - a two-word question whose answer holds its words together is still
#    answered and cited (tune's h0016);
#  - right after a clarifying question the same broad question is
#    answered (never clarified twice in a row).
. "$(dirname "$0")/../lib/integration.sh"
# shellcheck source=t/lib/holdout.sh
. "$PLC_SRCDIR/t/lib/holdout.sh"
holdout_stack

# route Q [ARGS]: the answer's type and, for a clarification, whether it
# has 2-4 choices; for an answer, whether it cites.
route() {
    stack_cli ask "$@" --json | python3 -c 'import json, sys
d = json.load(sys.stdin)
if d["type"] == "clarification":
    print(d["type"], 2 <= len(d["clarification"]["choices"]) <= 4)
else:
    print(d["type"], len(d.get("citations") or []) > 0)'
}

q="any advice for a brand new team leader"
is "$(route "$q")" "clarification True" "the answer would be spread: clarified, with 2-4 choices"
is "$(route "what goes into a team charter")" "answer True" \
    "two words its answer holds together: answered and cited"

conv=$(stack_cli ask "how do I do PLCs?" --json | python3 -c 'import json, sys
print(json.load(sys.stdin)["conversation_id"] or "")')
if [ -n "$conv" ]; then
    is "$(route "$q" --conversation "$conv")" "answer True" \
        "right after a clarifying question: answered"
else
    skip "no conversation without a user" 1
fi

done_testing
