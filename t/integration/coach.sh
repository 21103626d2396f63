#!/bin/bash
# The coach without a model service (extractive mode, what a new install
# runs) on the starter library: out-of-scope questions refused, broad ones
# clarified, in-scope ones answered with verified citations whose quotes
# are in the cited passages, a follow-up answered in context, nothing
# relevant said honestly; the stream's events and the saved messages
# agree; the body is validated, CSRF and sign-in required, another user's
# conversation is a 404, the rate limit applies; `plccoach ask` saves and
# continues conversations.
# shellcheck disable=SC2154  # csrf_* are set by coach_user
. "$(dirname "$0")/../lib/integration.sh"
. "$PLC_SRCDIR/t/integration/coach-lib.bash"

stack_pool_env PLCCOACH_PUBLIC_URL=http://localhost:8000 PLCCOACH_COACH_RATE_LIMIT=40
stack_start
coach_user ann
coach_user bob

# ---- a new install: no book yet --------------------------------------------
ask ann "How should our team write norms?"
error_envelope_ok 409 library_empty "an empty library: 409 library_empty"
is "$(stack_psql -- -c "SELECT count(*) FROM messages")" 0 "... and nothing is saved"
is "$(stack_psql -- -c "SELECT count(*) FROM rate_events")" 0 "... nor taken from the hourly limit"
stack_cli ingest "$PLC_SRCDIR/content/starter" >/dev/null || bail "the starter library did not ingest"

# ---- out of scope, too broad, nothing relevant --------------------------
for q in "what's the capital of australia?" \
    "what's a safe dose of ADHD meds for a 9 year old?" \
    "can I get sued if a kid gets hurt on the playground during my duty?" \
    "write a 504 plan for my student with anxiety"; do
    ask ann "$q"
    is "$(pyjson 'print(d["type"], d["mode"], len(d["citations"]), d["grounded"], d["clarification"])' <"$HTTP_BODY_FILE")" \
        "refusal extractive 0 False None" "refused: $q"
done
like "$(json_get answer)" "can't help with writing an individual student's 504 plan" "the refusal names the topic"
like "$(json_get answer)" "I can help with collaborative teams" "... and says what the coach helps with"

ask ann "How do I do PLCs?"
is "$(json_get type)" clarification "a broad question gets a clarifying question"
is "$(pyjson 'c = d["clarification"]; print(2 <= len(c["choices"]) <= 4, bool(c["question"]), d["citations"])' <"$HTTP_BODY_FILE")" \
    "True True []" "with 2-4 choices and no citations"
broad_conv=$(json_get conversation_id)
choice=$(pyjson 'print(d["clarification"]["choices"][-1])' <"$HTTP_BODY_FILE")
is "$(pyjson 'print(all(c.endswith("?") for c in d["clarification"]["choices"]), d["clarification"]["question"].startswith("That covers a lot"))' <"$HTTP_BODY_FILE")" \
    "True True" "the choices are questions built from the library's chapters and sections"
broad_choices=$(pyjson 'print(d["clarification"]["choices"])' <"$HTTP_BODY_FILE")
http GET "/api/conversations/$broad_conv" -b "$STACK_DIR/ann.jar"
is "$(pyjson 'm = d["messages"][-1]; print(m["type"], m["clarification"]["choices"])' <"$HTTP_BODY_FILE")" \
    "clarification $broad_choices" "the conversation reopened shows the clarification and its choices"
ask ann "$choice" "$broad_conv"
is "$(json_get type)" answer "answering with a choice gets an answer, not another clarification"

ask ann "purple giraffes ride quantum spaceships"
is "$(pyjson 'print(d["type"], len(d["citations"]), d["grounded"])' <"$HTTP_BODY_FILE")" "refusal 0 False" \
    "nothing in the library covers it: refused, without citations"
like "$(json_get answer)" "the library doesn't cover this" "... and says so"

# ---- in scope: cited, verified against the passages ----------------------
ask ann "How should our team write norms, and how do we keep them alive?"
is "$HTTP_STATUS" 200 "an in-scope question: 200"
is "$(pyjson 'print(d["type"], d["mode"], d["grounded"], len(d["citations"]) >= 1)' <"$HTTP_BODY_FILE")" \
    "answer extractive True True" "answered in extractive mode with at least one citation"
is "$(json_get domains)" '["collaboration"]' "routed to collaboration"
conv=$(json_get conversation_id)
msg=$(json_get message_id)
cp "$HTTP_BODY_FILE" "$STACK_DIR/norms.json"
# Every citation's quote is in its chunk, its metadata is the database's,
# its label has the documented form, and every cited [n] is in the text.
pyjson '
import re, subprocess
for c in d["citations"]:
    print(c["chunk_id"], c["n"])
' <"$STACK_DIR/norms.json" >"$STACK_DIR/cites.txt"
bad=0
while read -r chunk n; do
    row=$(stack_psql -- -c "SELECT b.title || '|' || coalesce(ch.number::text, '') || '|' || c.page_start || '|' || c.page_end
        FROM chunks c JOIN books b ON b.id = c.book_id LEFT JOIN chapters ch ON ch.id = c.chapter_id WHERE c.id = '$chunk'")
    text=$(stack_psql -- -c "SELECT text FROM chunks WHERE id = '$chunk'")
    page=$(stack_psql -- -c "SELECT coalesce(string_agg(p.text, ' ' ORDER BY p.page_index), '')
        FROM chunks c JOIN pages p ON p.book_id = c.book_id
        AND p.page_index BETWEEN c.page_index_start AND c.page_index_end WHERE c.id = '$chunk'")
    verdict=$(TEXT=$text PAGE=$page ROW=$row N=$n pyjson '
import os, re
c = [x for x in d["citations"] if x["n"] == int(os.environ["N"])][0]
title, num, ps, pe = os.environ["ROW"].split("|")
def norm(s):
    for a, b in (("\u2018", "\x27"), ("\u2019", "\x27"), ("\u201c", "\""), ("\u201d", "\""),
                 ("\u2013", "-"), ("\u2014", "-")):
        s = s.replace(a, b)
    return " ".join(s.replace("*", "").split()).lower()
# The quote is in its chunk, or on the printed pages of the chunk (the extractive
# composer quotes the rest of a section from the page: src/coach/extractive.h,
# "The page"), and in the context, which holds the whole chunk.
q = norm(c["quote"])
ok = q in norm(os.environ["TEXT"]) or (os.environ["PAGE"] != "" and q in norm(os.environ["PAGE"]))
ok = ok and q in norm(c["context"]) and os.environ["TEXT"] in c["context"]
ok = ok and c["book"]["title"] == title and (c["chapter"]["number"] or "") == num
ok = ok and c["pages"] == {"start": ps, "end": pe}
ok = ok and re.fullmatch(r".+ by .+, Chapter \d+: .+, pp?\. [0-9ivx]+(-[0-9ivx]+)?", c["display"]) is not None
ok = ok and ("[%d]" % c["n"]) in d["answer"]
print("ok" if ok else "bad: %r" % c)' <"$STACK_DIR/norms.json")
    [ "$verdict" = ok ] || { bad=1; diag "$verdict"; }
done <"$STACK_DIR/cites.txt"
is "$bad" 0 "each quote is in its chunk or on its pages, and in the context, which holds the whole chunk; book, chapter, pages from the database; label form; [n] in the text"
# The extractive answer's shape (src/coach/extractive.h): a cited opening,
# cited points under their sections' cited headings, key takeaways, and
# follow-up questions; every line that quotes the library ends with its
# citation.
is "$(pyjson '
import re
lines = [l for l in d["answer"].split("\n") if l.strip()]
quoted = [l for l in lines if "\"" in l or "\u201c" in l]
other = [l for l in lines if l not in quoted]
print(all(re.search(r"\[\d+\]$", l) for l in quoted),
      re.match(r"^[\"\u201c].+\[\d+\]$", lines[0]) is not None,
      "**Key takeaways**" in lines,
      all(l in ("**Key takeaways**", "**Suggested follow-up questions**") or re.match(r"^\d+\. .+\?$", l)
    or re.match(r"^\*\*[^*]+\*\* \[\d+\]$", l) for l in other))
' <"$STACK_DIR/norms.json")" "True True True True" \
    "the extractive answer: a cited opening, every quoting line cited, key takeaways, follow-up questions"

# Saved: the question first, then the answer exactly as sent.
is "$(stack_psql -- -c "SELECT string_agg(role, ',' ORDER BY seq) FROM messages WHERE conversation_id = '$conv'")" \
    user,assistant "the question and the answer are saved, in order"
is "$(stack_psql -- -c "SELECT title FROM conversations WHERE id = '$conv'")" \
    "How should our team write norms, and how do we keep them alive?" "the conversation is titled from the question"
is "$(stack_psql -- -c "SELECT md5(content) FROM messages WHERE id = '$msg'")" \
    "$(pyjson 'import hashlib; print(hashlib.md5(d["answer"].encode()).hexdigest())' <"$STACK_DIR/norms.json")" \
    "the saved answer is the answer sent"
is "$(stack_psql -- -c "SELECT mode, model IS NULL, grounded, jsonb_array_length(citations), domains::text, ttft_ms <= total_ms, prompt_tokens IS NULL FROM messages WHERE id = '$msg'" | tr '|' ' ')" \
    "extractive t t $(pyjson 'print(len(d["citations"]))' <"$STACK_DIR/norms.json") {collaboration} t t" \
    "saved with mode, grounded, citations, domains and timings"

# ---- the follow-up -------------------------------------------------------
ask ann "How do the tiers of RTI work?"
rti_conv=$(json_get conversation_id)
ask ann "what about Tier 3?" "$rti_conv"
is "$(json_get conversation_id)" "$rti_conv" "the follow-up stays in its conversation"
is "$(pyjson 'print(d["type"], d["grounded"])' <"$HTTP_BODY_FILE")" "answer True" "the follow-up is answered with citations"
like "$(json_get answer)" "Tier 3" "... about Tier 3 of RTI (in context)"
is "$(stack_psql -- -c "SELECT count(*) FROM messages WHERE conversation_id = '$rti_conv'")" 4 \
    "four messages in that conversation"

# An ellipsis in a saved conversation: the earlier question's words are
# carried and its passages are the prior (src/coach/rewrite.h).
ask ann "what should be on our team meeting agenda?"
agenda_conv=$(json_get conversation_id)
agenda_cited=$(pyjson 'print(len({c["chunk_id"] for c in d["citations"]}))' <"$HTTP_BODY_FILE")
ask ann "who takes the notes?" "$agenda_conv"
# The meeting chapter's pages (7-8) name who records: the roles ("Recorder
# captures decisions...", p. 7) or the sample minutes ("Nguyen records",
# p. 8).  (Until round 32 this pinned p. 7, which the answer cited with
# the old translation table, fitted on the evaluation library's pages: its
# entries for "note" were "taught", "content", "sticki", "agenda"...;
# docs/performance.md, "trans33".)
is "$(pyjson 'import re; print(any(c["book"]["title"] == "Getting Started with Collaborative Teams"
      and int(c["pages"]["start"]) <= 8 and int(c["pages"]["end"]) >= 7 for c in d["citations"])
      and re.search(r"\b[Rr]ecord(s|er)\b", d["answer"]) is not None)' <"$HTTP_BODY_FILE")" \
    True "an ellipsis (\"who takes the notes?\") is answered from the meeting chapter's pages, naming who records"
# The prior is what the previous answer showed: its saved citations
# (src/coach/history.h), not a search run again; an answer whose saved
# citations are gone gives a prior of nothing.
last_prior() { grep '"msg":"coach answer"' "$STACK_POOL_LOG" | tail -n 1 | grep -o '"prior":"[a-z]*","prior_passages":[0-9]*'; }
is "$(last_prior)" "\"prior\":\"citations\",\"prior_passages\":$agenda_cited" \
    "the follow-up's prior is the $agenda_cited passages the previous answer cited"
ask ann "what should be on our team meeting agenda?"
agenda2_conv=$(json_get conversation_id)
stack_psql -- -c "UPDATE messages SET citations = '[]' WHERE id = '$(json_get message_id)'" >/dev/null
ask ann "who takes the notes?" "$agenda2_conv"
is "$(last_prior)" '"prior":"citations","prior_passages":0' \
    "... read from the saved answer (its citations emptied: no prior)"

# A follow-up that names a point of the previous answer by its place
# ("the second one") carries that point's words (rewrite.h,
# history_answer_item): it cites the passage the answer cited for the
# point numbered 2.
ask ann "How do we write team norms?"
norms_conv=$(json_get conversation_id)
pyjson '
import re
line = next((l for l in d["answer"].split("\n") if l.startswith("2. ")), "")
m = re.search(r"\[(\d+)\]\s*$", line)
print(next((c["chunk_id"] for c in d["citations"] if m and c["n"] == int(m.group(1))), ""))' \
    <"$HTTP_BODY_FILE" >"$STACK_DIR/second.id"
second=$(cat "$STACK_DIR/second.id")
ok "the norms answer has a point numbered 2, cited" test -n "$second"
ask ann "tell me more about the second one" "$norms_conv"
is "$(pyjson "print(any(c[\"chunk_id\"] == \"$second\" for c in d[\"citations\"]))" <"$HTTP_BODY_FILE")" \
    True "\"tell me more about the second one\" cites the passage of the previous answer's point 2"

# ---- streaming -------------------------------------------------------------
ask_stream ann "$STACK_DIR/s1" "How do we write a common formative assessment as a team?"
sse_json "$STACK_DIR/s1" >"$STACK_DIR/s1.json"
is "$(pyjson 'import itertools; print(" ".join(k for k, _ in itertools.groupby(e["event"] for e in d)))' <"$STACK_DIR/s1.json")" \
    "meta citation delta done" "events: meta, citations, deltas, done"
is "$(pyjson '
m = d[0]["data"]; done = d[-1]["data"]
cites = [e["data"] for e in d if e["event"] == "citation"]
text = "".join(e["data"]["text"] for e in d if e["event"] == "delta")
print(m["message_id"] == done["message_id"], m["conversation_id"] == done["conversation_id"],
      m["mode"], m["type"], sorted(m) == ["conversation_id", "domains", "message_id", "mode", "type", "user_message_id"],
      cites == done["citations"], text == done["answer"], sorted(done["timings"]) == ["total_ms", "ttft_ms"])' <"$STACK_DIR/s1.json")" \
    "True True extractive answer True True True True" "meta ids match done; citations and deltas are done's"
is "$(pyjson 'print(sum(e["event"] == "delta" for e in d) > 2)' <"$STACK_DIR/s1.json")" True \
    "the built-in answer streams in several deltas (a line or a sentence each)"
s_msg=$(pyjson 'print(d[-1]["data"]["message_id"])' <"$STACK_DIR/s1.json")
s_user=$(pyjson 'print(d[0]["data"]["user_message_id"])' <"$STACK_DIR/s1.json")
is "$(stack_psql -- -c "SELECT md5(content) FROM messages WHERE id = '$s_msg'")" \
    "$(pyjson 'import hashlib; print(hashlib.md5(d[-1]["data"]["answer"].encode()).hexdigest())' <"$STACK_DIR/s1.json")" \
    "streamed: the saved answer is done's answer"
is "$(stack_psql -- -c "SELECT role FROM messages WHERE id = '$s_user'")" user "meta's user_message_id is the saved question"

# ---- refusals of the request itself --------------------------------------
http POST /api/coach/ask -b "$STACK_DIR/ann.jar" -H 'Content-Type: application/json' --data '{"question":"hi there"}'
error_envelope_ok 403 csrf "no CSRF token"
http POST /api/coach/ask -H 'Content-Type: application/json' --data '{"question":"hi there"}'
is "$HTTP_STATUS" 401 "signed out: 401"
ask_raw ann 'not json'
error_envelope_ok 400 malformed_json "a body that is not JSON"
ask_raw ann '{}'
error_envelope_ok 400 missing_field "no question"
ask_raw ann '{"question":"   \n  "}'
error_envelope_ok 400 invalid_field "a question of white space only"
ask_raw ann "{\"question\":\"$(head -c 2001 /dev/zero | tr '\0' 'a')\"}"
error_envelope_ok 400 invalid_field "2001 characters"
ask_raw ann "{\"question\":\"  $(head -c 2000 /dev/zero | tr '\0' 'a')  \"}"
is "$HTTP_STATUS" 200 "2000 characters with white space around them are fine"
ask_raw ann '{"question":42}'
error_envelope_ok 400 invalid_field "a question that is not a string"
ask_raw ann '{"question":"norms?","extra":1}'
error_envelope_ok 400 unknown_field "an unknown field"
ask_raw ann '{"question":"norms?","conversation_id":7}'
error_envelope_ok 400 invalid_field "a conversation_id that is not a string"
ask_raw ann '{"question":"bad \u0001 byte"}'
error_envelope_ok 400 invalid_field "a control character"
ask ann "norms?" "not-a-uuid"
error_envelope_ok 404 not_found "a conversation_id that is not a UUID"
bob_quota() {
    stack_psql -- -c "SELECT count(*) FROM rate_events r JOIN users u ON u.id = r.user_id
        WHERE u.email = 'bob@example.org' AND r.bucket = 'coach'"
}
quota_before=$(bob_quota)
ask bob "what about Tier 2?" "$rti_conv"
error_envelope_ok 404 not_found "another user's conversation"
is "$(bob_quota)" "$quota_before" "... which costs the asker none of the hourly limit"
is "$(stack_psql -- -c "SELECT count(*) FROM messages WHERE conversation_id = '$rti_conv'")" 4 \
    "... and nothing was added to it"
ask ann "norms?" "00000000-0000-4000-8000-000000000000"
error_envelope_ok 404 not_found "a conversation that does not exist"
ask_stream bob "$STACK_DIR/s404" "what about Tier 2?" "$rti_conv" -D "$STACK_DIR/s404.h"
HTTP_HEADERS_FILE=$STACK_DIR/s404.h
like "$(http_header Content-Type)" '^application/json' "refused before the stream starts: a JSON error even when asked to stream"

# ---- the rate limit ----------------------------------------------------------
coach_user cat
for i in $(seq 1 40); do
    http POST /api/debug/coach-quota -b "$STACK_DIR/cat.jar" -H "X-CSRF-Token: $csrf_cat"
done
ask cat "How do we write team norms?"
error_envelope_ok 429 rate_limited "over the hourly limit"
ok "with Retry-After" test -n "$(http_header Retry-After)"

# ---- the command line ----------------------------------------------------------
out=$(stack_cli ask "How do we write team norms?")
like "$out" 'Sources:' "plccoach ask prints the sources"
like "$out" '\[[0-9]\] .+ by .+, Chapter [0-9]+: .+, pp?\. [0-9]+' "... as Title by Authors, Chapter N: Title, pp. X-Y"
cli_conv=$(printf '%s\n' "$out" | sed -n 's/^conversation: //p')
is "$(stack_psql -- -c "SELECT u.email FROM conversations c JOIN users u ON u.id = c.user_id WHERE c.id = '$cli_conv'")" \
    cli@localhost "saved under the command-line user"
json=$(stack_cli ask "what about their review every quarter?" --conversation "$cli_conv" --json)
is "$(printf '%s' "$json" | pyjson 'print(d["conversation_id"], d["type"], d["mode"])')" \
    "$cli_conv answer extractive" "--conversation continues it (--json)"
is "$(stack_psql -- -c "SELECT count(*) FROM messages WHERE conversation_id = '$cli_conv'")" 4 "four messages"
# A second turn with no topic word of its own, in a conversation about a
# subject the library covers, is answered about that subject, not
# clarified; one that leaves the library's field on its own words stays
# refused (src/coach/README.md, "Follow-ups in a conversation").
out=$(stack_cli ask "How should our team write norms?")
norms_cli=$(printf '%s\n' "$out" | sed -n 's/^conversation: //p')
json=$(stack_cli ask "what questions should we be asking" --conversation "$norms_cli" --json)
is "$(printf '%s' "$json" | pyjson 'print(d["type"], d["grounded"])')" "answer True" \
    "a second turn too broad on its own words is answered in its conversation"
json=$(stack_cli ask "can you recommend a dentist" --conversation "$norms_cli" --json)
is "$(printf '%s' "$json" | pyjson 'print(d["type"])')" refusal \
    "... one out of the library's field on its own words is refused"
# A second turn that opens like a follow-up is refused when its own words,
# scored alone, leave the library's field and it does not point back; one
# that points back is answered about the conversation's subject
# (src/coach/README.md, "Follow-ups that leave the field (follow28)").
out=$(stack_cli ask "How should our team write norms?")
norms_cli=$(printf '%s\n' "$out" | sed -n 's/^conversation: //p')
json=$(stack_cli ask "and what about when someone breaks them?" --conversation "$norms_cli" --json)
is "$(printf '%s' "$json" | pyjson 'print(d["type"], d["grounded"])')" "answer True" \
    "a follow-up pointing back to norms is answered"
json=$(stack_cli ask "and what about my car insurance?" --conversation "$norms_cli" --json)
is "$(printf '%s' "$json" | pyjson 'print(d["type"])')" refusal \
    "a follow-up's opening does not carry a question out of the field in"
# A standalone question asked mid-conversation is answered as if asked
# alone: the newcomer trial's "write one" after two questions on norms
# names its own subject (cfas) and is not given the conversation's
# (main added the norms pages 5-6 and the norms-writing protocol;
# src/coach/README.md, "Standalone questions mid-conversation (follow31)").
cfas="my team wants to start doing cfas but we have no idea how to write one"
cited() { printf '%s' "$1" | pyjson 'print(sorted((c["book"]["title"], c["pages"]["start"]) for c in d["citations"]))'; }
alone=$(stack_cli ask "$cfas" --json)
# The trial's steps, all five, each cited to a passage on its own printed
# page: steps 3-5 are on page 4, which no retrieved passage lies on; the
# pipeline fetches the neighbouring passages they lack (src/coach/README.md,
# "The steps a passage lacks (steps33)").
is "$(printf '%s' "$alone" | pyjson '
import re
a = d["answer"]; pages = {c["n"]: (int(c["pages"]["start"]), int(c["pages"]["end"])) for c in d["citations"]}
want = {1: 3, 2: 3, 3: 4, 4: 4, 5: 4}
got = {}
for m in re.finditer(r"^([0-9])\. \*\*([^*]+)\*\*: .*\[([0-9]+)\]$", a, re.M):
    lo, hi = pages.get(int(m.group(3)), (0, -1))
    got[int(m.group(1))] = lo <= want.get(int(m.group(1)), -9) <= hi
print(sorted(got.items()))')" "[(1, True), (2, True), (3, True), (4, True), (5, True)]" \
    "a how question's steps: all five, each cited to a passage on its printed page"
# Its key takeaways are the steps' own sentences, in their order, not the
# sections written after the steps (src/coach/README.md, "Takeaways from
# the steps (take35)").
is "$(printf '%s' "$alone" | pyjson '
import re
a = d["answer"]
steps = [m.group(1) for m in re.finditer(r"^[0-9]\. \*\*[^*]+\*\*: (.*)$", a, re.M)]
keys = re.findall(r"^- \"(.*)\" \[[0-9]+\]$", a.split("**Key takeaways**")[-1].split("**Suggested")[0], re.M)
at = [next((i for i, s in enumerate(steps) if k in s), -1) for k in keys]
print(len(keys) >= 2 and -1 not in at and at == sorted(at))')" True \
    "the trial's key takeaways are its steps' sentences, in the steps' order"
out=$(stack_cli ask "how many norms should our team have?")
norms_cli=$(printf '%s\n' "$out" | sed -n 's/^conversation: //p')
stack_cli ask "what do we do when someone breaks a norm?" --conversation "$norms_cli" >/dev/null
json=$(stack_cli ask "$cfas" --conversation "$norms_cli" --json)
is "$(cited "$json")" "$(cited "$alone")" \
    "a question naming its own subject (cfas) after two on norms cites what it cites alone"
# One with words enough of its own whose best passage is in another
# chapter than the conversation's is a new question (main added a page
# of the norms book).
cfa_unit="how often should our grade level give common formative assessments during a six week unit"
alone=$(stack_cli ask "$cfa_unit" --json)
out=$(stack_cli ask "How should our team write norms?")
norms_cli=$(printf '%s\n' "$out" | sed -n 's/^conversation: //p')
json=$(stack_cli ask "$cfa_unit" --conversation "$norms_cli" --json)
is "$(cited "$json")" "$(cited "$alone")" \
    "a new question in another chapter after one on norms cites what it cites alone"
json=$(stack_cli ask "How do I do PLCs?" --user bob@example.org --json)
is "$(printf '%s' "$json" | pyjson 'print(d["type"])')" clarification "--user: bob's conversation"
is "$(stack_psql -- -c "SELECT u.email FROM conversations c JOIN users u ON u.id = c.user_id WHERE c.id = '$(printf '%s' "$json" | pyjson 'print(d["conversation_id"])')'")" \
    bob@example.org "saved under bob"
stack_cli ask "norms" --user nobody@example.org >/dev/null 2>&1 && rc=0 || rc=$?
is "$rc" 1 "an unknown --user fails"
stack_cli ask "norms" --conversation "$rti_conv" >/dev/null 2>&1 && rc=0 || rc=$?
is "$rc" 1 "another user's conversation fails"
stack_cli ask "   " >/dev/null 2>&1 && rc=0 || rc=$?
is "$rc" 2 "an empty question is a usage error"

done_testing
