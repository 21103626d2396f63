#!/bin/bash
# The coach with a model service: the scripted stand-in t/model/stub.py.
# Answers stream and verify; the verifier strips [9] and invented quotes;
# 429 and 500 are retried; a drop mid-stream, malformed JSON and a stall
# fall back to the extractive answer with a notice; the breaker opens;
# follow-ups are rewritten by the model; a client that goes away cancels
# the model request (the failure "cancelled" is saved in the answer's
# place); what is saved is what the client got in `done`.
# One worker, so that the breaker's per-process state is the one tested.
# shellcheck disable=SC2154,SC2317  # csrf_* are set by coach_user; helpers run through ok/plc_poll
. "$(dirname "$0")/../lib/integration.sh"
. "$PLC_SRCDIR/t/integration/coach-lib.bash"

stack_require_servers
stub_start

STACK_WORKERS=1
stub_pool_env PLCCOACH_PUBLIC_URL=http://localhost:8000 PLCCOACH_COACH_RATE_LIMIT=1000 \
    PLCCOACH_LLM_FIRST_TOKEN_TIMEOUT_MS=1500 PLCCOACH_LLM_TIMEOUT_MS=6000 PLCCOACH_LLM_RETRIES=2 \
    PLCCOACH_LLM_BREAKER_FAILURES=3 PLCCOACH_LLM_BREAKER_COOLDOWN_MS=600000
stack_start
stack_cli ingest "$PLC_SRCDIR/content/starter" >/dev/null || bail "the starter library did not ingest"
coach_user ann

stub_count() { stub_requests | pyjson 'print(len(d))'; }

# Checks the last JSON answer: each quote in its chunk (normalised), each
# [n] of the citations in the text, no [n] in the text beyond the sources.
cites_ok() {
    local f=$1 chunk n bad=0 text verdict
    while read -r chunk n; do
        text=$(stack_psql -- -c "SELECT text FROM chunks WHERE id = '$chunk'")
        verdict=$(TEXT=$text N=$n pyjson '
import os
c = [x for x in d["citations"] if x["n"] == int(os.environ["N"])][0]
norm = lambda s: " ".join(s.replace("*", "").replace("\u201c", "\"").replace("\u201d", "\"").split()).lower().strip(" .,;:!?\"")
print("ok" if norm(c["quote"]) in norm(os.environ["TEXT"]) and ("[%d]" % c["n"]) in d["answer"] else "bad %r" % c)' <"$f")
        [ "$verdict" = ok ] || { bad=1; diag "$verdict"; }
    done < <(pyjson 'print("\n".join("%s %d" % (c["chunk_id"], c["n"]) for c in d["citations"]))' <"$f")
    [ "$bad" = 0 ]
}

# ---- a grounded answer ------------------------------------------------------
stub_reset
ask ann "How should our team write norms?"
cp "$HTTP_BODY_FILE" "$STACK_DIR/a1.json"
is "$(pyjson 'print(d["type"], d["mode"], d["grounded"], len(d["citations"]) >= 1, "notice" in d, d.get("model"))' <"$STACK_DIR/a1.json")" \
    "answer llm True True False stub-model" "the model's answer, grounded, with citations"
ok "its quotes are in the cited chunks, its citations in its text" cites_ok "$STACK_DIR/a1.json"
msg=$(pyjson 'print(d["message_id"])' <"$STACK_DIR/a1.json")
is "$(stack_psql -- -c "SELECT mode, model, grounded, prompt_tokens > 0, completion_tokens > 0, ttft_ms <= total_ms FROM messages WHERE id = '$msg'" | tr '|' ' ')" \
    "llm stub-model t t t t" "saved with model, token counts and timings"
stub_requests >"$STACK_DIR/r1.json"
is "$(pyjson '
b = d[0]["body"]; m = b["messages"]
print(len(d), b["stream"], m[0]["role"], "Key takeaways" in m[0]["content"], m[-1]["role"],
      "<source n=\"1\" title=\"" in m[-1]["content"], "</source>" in m[-1]["content"],
      "Question: How should our team write norms?" in m[-1]["content"], d[0]["authorization"])' <"$STACK_DIR/r1.json")" \
    "1 True system True user True True True Bearer sk-test" \
    "one streamed request: the system prompt, numbered sources and the question in the last message, the key"

# ---- streaming: what the client sees is what is saved ------------------------
ask_stream ann "$STACK_DIR/s1" "How do we write a common formative assessment as a team?"
sse_json "$STACK_DIR/s1" >"$STACK_DIR/s1.json"
is "$(pyjson 'import itertools; print(" ".join(k for k, _ in itertools.groupby(e["event"] for e in d)))' <"$STACK_DIR/s1.json")" \
    "meta delta citation done" "events: meta, the model's deltas, the verified citations, done"
is "$(pyjson '
done = d[-1]["data"]; text = "".join(e["data"]["text"] for e in d if e["event"] == "delta")
print(d[0]["data"]["mode"], sum(e["event"] == "delta" for e in d) > 3, text == done["answer"],
      [e["data"] for e in d if e["event"] == "citation"] == done["citations"])' <"$STACK_DIR/s1.json")" \
    "llm True True True" "several deltas; a faithful answer is sent unchanged"
s_msg=$(pyjson 'print(d[-1]["data"]["message_id"])' <"$STACK_DIR/s1.json")
is "$(stack_psql -- -c "SELECT md5(content) FROM messages WHERE id = '$s_msg'")" \
    "$(pyjson 'import hashlib; print(hashlib.md5(d[-1]["data"]["answer"].encode()).hexdigest())' <"$STACK_DIR/s1.json")" \
    "the saved answer is done's answer"

# ---- the verifier ------------------------------------------------------------
stub_script '{"responses":[{"cite":[9]}]}'
ask_stream ann "$STACK_DIR/s9" "How should our team write norms?"
sse_json "$STACK_DIR/s9" >"$STACK_DIR/s9.json"
is "$(pyjson '
done = d[-1]["data"]; text = "".join(e["data"]["text"] for e in d if e["event"] == "delta")
print("[9]" in text, "[9]" in done["answer"], all(1 <= c["n"] <= 5 for c in done["citations"]), done["grounded"] == bool(done["citations"]))' <"$STACK_DIR/s9.json")" \
    "True False True True" "[9] of 5 sources: streamed by the model, gone from done, no citation 9"
stub_script '{"responses":[{"cite":[1, 9]}]}'
ask ann "How should our team write norms?"
is "$(pyjson 'print([c["n"] for c in d["citations"]], "[9]" in d["answer"], d["grounded"])' <"$HTTP_BODY_FILE")" \
    "[1] False True" "[1] and [9]: the good citation stays, the false one goes"
stub_script '{"responses":[{"invent_quote":true}]}'
ask_stream ann "$STACK_DIR/si" "How should our team write norms?"
sse_json "$STACK_DIR/si" >"$STACK_DIR/si.json"
invented="Teams that meet on Fridays always outperform every other team."
is "$(INV=$invented pyjson '
import os
done = d[-1]["data"]; text = "".join(e["data"]["text"] for e in d if e["event"] == "delta")
print(os.environ["INV"] in text, os.environ["INV"] in done["answer"], "Fridays" in "".join(c["quote"] for c in done["citations"]))' <"$STACK_DIR/si.json")" \
    "True False False" "an invented quote: streamed, then stripped from done and from the citations"
si_msg=$(pyjson 'print(d[-1]["data"]["message_id"])' <"$STACK_DIR/si.json")
is "$(stack_psql -- -c "SELECT position('Fridays' in content) FROM messages WHERE id = '$si_msg'")" 0 \
    "... and from what was saved"

# ---- retries and fallbacks ---------------------------------------------------
stub_reset
stub_script '{"responses":[{"status":429,"retry_after":1}]}'
ask ann "How should our team write norms?"
is "$(pyjson 'print(d["mode"], "notice" in d)' <"$HTTP_BODY_FILE") $(stub_count)" "llm False 2" \
    "429 then success: retried, the model's answer"

stub_reset
stub_script '{"responses":[{"status":500},{"status":500},{"status":500}]}'
ask_stream ann "$STACK_DIR/s500" "How should our team write norms?"
sse_json "$STACK_DIR/s500" >"$STACK_DIR/s500.json"
is "$(pyjson 'import itertools; print(" ".join(k for k, _ in itertools.groupby(e["event"] for e in d)))' <"$STACK_DIR/s500.json")" \
    "meta citation delta done" "500 three times: no error event (nothing had streamed), the extractive answer"
is "$(pyjson 'done = d[-1]["data"]; print(done["mode"], done["grounded"], "failed (http)" in done.get("notice", ""))' <"$STACK_DIR/s500.json") $(stub_count)" \
    "extractive True True 3" "with a notice, after 1 + 2 retries"

ask ann "How should our team write norms?" # a success closes the breaker's count
stub_reset
stub_script '{"responses":[{"drop_after_chunks":3}]}'
ask_stream ann "$STACK_DIR/sdrop" "How should our team write norms?"
sse_json "$STACK_DIR/sdrop" >"$STACK_DIR/sdrop.json"
is "$(pyjson 'import itertools; print(" ".join(k for k, _ in itertools.groupby(e["event"] for e in d)))' <"$STACK_DIR/sdrop.json")" \
    "meta delta error citation done" "dropped mid-stream: deltas, an error event, the extractive answer's citations, done"
is "$(pyjson '
err = [e["data"] for e in d if e["event"] == "error"][0]; done = d[-1]["data"]
print(err["code"], done["mode"], bool(done.get("notice")), done["grounded"])' <"$STACK_DIR/sdrop.json") $(stub_count)" \
    "model_failed extractive True True 1" "done carries the extractive answer with a notice; no retry after streaming"
drop_msg=$(pyjson 'print(d[-1]["data"]["message_id"])' <"$STACK_DIR/sdrop.json")
is "$(stack_psql -- -c "SELECT mode || ' ' || md5(content) FROM messages WHERE id = '$drop_msg'")" \
    "extractive $(pyjson 'import hashlib; print(hashlib.md5(d[-1]["data"]["answer"].encode()).hexdigest())' <"$STACK_DIR/sdrop.json")" \
    "saved: the extractive answer done carried"

ask ann "How should our team write norms?"
stub_script '{"responses":[{"malformed_after_chunks":0}]}'
ask ann "How should our team write norms?"
is "$(pyjson 'print(d["mode"], d["grounded"], "protocol" in d.get("notice", ""))' <"$HTTP_BODY_FILE")" \
    "extractive True True" "malformed JSON before any text: the extractive answer with a notice"

ask ann "How should our team write norms?"
stub_script '{"responses":[{"stall_before_ms":4000}]}'
ask ann "How should our team write norms?"
is "$(pyjson 'print(d["mode"], "timeout" in d.get("notice", ""))' <"$HTTP_BODY_FILE")" "extractive True" \
    "a stall past the first-token timeout: the extractive answer with a notice"

# ---- follow-ups rewritten by the model ------------------------------------------
ask ann "How do the tiers of RTI work?"
rti_conv=$(json_get conversation_id)
stub_reset
ask ann "what about Tier 3?" "$rti_conv"
is "$(pyjson 'print(d["type"], d["mode"], d["conversation_id"])' <"$HTTP_BODY_FILE")" "answer llm $rti_conv" \
    "the follow-up is answered by the model in its conversation"
stub_requests >"$STACK_DIR/rw.json"
is "$(pyjson '
rw = [r for r in d if "TASK: REWRITE" in r["body"]["messages"][0]["content"]]
gen = [r for r in d if "TASK: REWRITE" not in r["body"]["messages"][0]["content"]][0]["body"]["messages"]
u = rw[0]["body"]["messages"][-1]["content"] if rw else ""
print(len(rw), "Previous question: How do the tiers of RTI work?" in u, "Follow-up: what about Tier 3?" in u,
      [m["role"] for m in gen[1:3]], "Tier 3" in gen[-1]["content"])' <"$STACK_DIR/rw.json")" \
    "1 True True ['user', 'assistant'] True" \
    "one rewrite request (TASK: REWRITE, previous question, follow-up); the earlier turns are context"

# ---- the browser goes away: the model request is cancelled ------------------------
stub_reset
stub_script '{"responses":[{"delay_ms_per_chunk":300}]}'
ask_stream ann "$STACK_DIR/sgone" "How should our team write norms?" "" --max-time 1.5
gone_conv=$(sse_json "$STACK_DIR/sgone" | pyjson 'print(d[0]["data"]["conversation_id"])')
last_outcome() { stub_requests | pyjson 'print(d[-1]["outcome"] if d else "")'; }
cancelled() { [ "$(last_outcome)" = cancelled ]; }
ok "the model request is cancelled when the client goes away" plc_poll 60 cancelled
stack_wait_health 200 10 || true
gone_rows() { stack_psql -- -c "SELECT string_agg(role || coalesce(':' || kind || ':' || error_code, ''), ','
    ORDER BY seq) FROM messages WHERE conversation_id = '$gone_conv'"; }
gone_failed() { [ "$(gone_rows)" = "user,assistant:error:cancelled" ]; }
plc_poll 30 gone_failed || true
is "$(gone_rows)" "user,assistant:error:cancelled" \
    "the question is saved with the failure cancelled in its answer's place, not left unanswered"
http GET /health
is "$HTTP_STATUS" 200 "the worker carries on"

# ---- classification by the model (src/coach/classify.h) -------------------------------
stub_reset
ask ann "How should our team write norms?"
is "$(curl -s "$STUB_URL/__classify" | python3 -c '
import json, sys
r = json.load(sys.stdin)
m = r[0]["body"]["messages"] if r else []
print(len(r), "TASK: CLASSIFY" in m[0]["content"], "Question: How should our team write norms?" in m[1]["content"],
      "Rules say: in scope" in m[1]["content"], "closest sections" in m[1]["content"])')" "1 True True True True" \
    "one classification request: the question, the library's closest sections, the rules' reading"
is "$(json_get type)" answer "the stand-in echoes the rules: answered"
stub_script '{"classify":[{"text":"{\"scope\":\"out\",\"too_broad\":false,\"domains\":[]}"}]}'
ask ann "How should our team write norms?"
is "$(pyjson 'print(d["type"], len(d["citations"]))' <"$HTTP_BODY_FILE") $(stub_count)" "refusal 0 1" \
    "the model says out of scope: refused, and no answer is generated"
stub_script '{"classify":[{"text":"{\"scope\":\"in\",\"too_broad\":true,\"domains\":[\"collaboration\"]}"}]}'
ask ann "How should our team write norms?"
is "$(pyjson 'c = d["clarification"]; print(d["type"], 2 <= len(c["choices"]) <= 4)' <"$HTTP_BODY_FILE")" \
    "clarification True" "the model says too broad: a clarifying question with the library's choices"
stub_script '{"classify":[{"text":"scope: out"},{"text":"{\"scope\":\"maybe\",\"too_broad\":false,\"domains\":[]}"}]}'
ask ann "How should our team write norms?"
is "$(json_get type)" answer "an answer that is not JSON: the rules decide (answered)"
ask ann "How should our team write norms?"
is "$(json_get type)" answer "JSON of the wrong shape: the rules decide (answered)"

# ---- the model's rewrite is strict JSON (src/coach/rewrite.h) -----------------------
# Anything else, or a failed call, leaves the rules' rewrite ("(about: tiers
# RTI)"); the stand-in's own is "(about: How do the tiers of RTI work?)".
# rewritten_as BEHAVIOUR...: asks the follow-up in a new conversation with
# the rewrite scripted, and prints how the generation request put it.
rewritten_as() {
    local conv scripted
    ask ann "How do the tiers of RTI work?"
    conv=$(json_get conversation_id)
    stub_reset
    scripted=$(IFS=,; printf '%s' "$*")
    [ -n "$scripted" ] && stub_script "{\"responses\":[$scripted]}"
    ask ann "what about Tier 3?" "$conv"
    stub_requests | pyjson '
gen = [r for r in d if "TASK: REWRITE" not in r["body"]["messages"][0]["content"]]
u = gen[0]["body"]["messages"][-1]["content"] if gen else ""
print("model" if "(about: How do the tiers of RTI work?)" in u else "rules" if "(about: tiers RTI)" in u
      else "as asked" if "Tier 3" in u else "none")'
}
# says TEXT: a behaviour answering exactly TEXT.
says() { python3 -c 'import json, sys; print(json.dumps({"text": sys.argv[1]}))' "$1"; }
is "$(rewritten_as)" model "the model's JSON rewrite is the standalone question"
is "$(rewritten_as "$(says 'what about Tier 3 in RTI?')")" rules "a plain line, not JSON: the rules' rewrite"
is "$(rewritten_as "$(says '{"standalone_question": "what about Tier 3')")" rules "malformed JSON: the rules"
is "$(rewritten_as "$(says '{"standalone_question": 3, "is_followup": true}')")" rules \
    "a number for the question: the rules"
is "$(rewritten_as "$(says '{"standalone_question": "Tier 3 in RTI", "is_followup": "true"}')")" rules \
    "a string for is_followup: the rules"
is "$(rewritten_as "$(says "{\"standalone_question\": \"$(printf 'Tier 3 %.0s' $(seq 1 100))\", \"is_followup\": true}")")" \
    rules "an over-long question: the rules"
is "$(rewritten_as "$(says '{"standalone_question": "what about Tier 3?", "is_followup": false}')")" \
    "as asked" "is_followup false: the follow-up as asked, nothing carried"
is "$(rewritten_as '{"status":500}' '{"status":500}' '{"status":500}')" rules "the call fails: the rules"

# ---- the question is saved while the model's request is out ------------------------
# (src/coach/README.md, step 5): with the messages table locked against
# writes, the answer's request still reaches the model; once the lock
# goes, the stream is meta, deltas, citations, done, and both rows are
# saved.  Saved first, the request would wait for the lock.
stub_reset
(stack_psql -- -c "BEGIN; LOCK TABLE messages IN SHARE MODE; SELECT pg_sleep(30); COMMIT" >/dev/null 2>&1 || true) &
locker=$!
locked() { [ "$(stack_psql -- -c "SELECT count(*) FROM pg_locks WHERE relation = 'messages'::regclass AND mode = 'ShareLock' AND granted")" = 1 ]; }
plc_poll 30 locked || bail "the messages table was not locked"
ask_stream ann "$STACK_DIR/slock" "How do we write a common formative assessment as a team?" &
asker=$!
answer_requested() { [ "$(stub_count)" -ge 1 ]; }
if plc_poll 20 answer_requested && locked; then sent_locked=yes; else sent_locked=no; fi
is "$sent_locked" yes "the answer's request reaches the model while the question's save waits for a lock"
stack_psql -- -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()" >/dev/null
wait "$asker" || true
wait "$locker" || true
sse_json "$STACK_DIR/slock" >"$STACK_DIR/slock.json"
is "$(pyjson 'import itertools; print(" ".join(k for k, _ in itertools.groupby(e["event"] for e in d)))' <"$STACK_DIR/slock.json")" \
    "meta delta citation done" "then: meta (the saved question's ids) before the first delta, and done"
lock_conv=$(pyjson 'print(d[0]["data"]["conversation_id"])' <"$STACK_DIR/slock.json")
is "$(stack_psql -- -c "SELECT string_agg(role || ':' || coalesce(kind, ''), ',' ORDER BY seq) FROM messages WHERE conversation_id = '$lock_conv'")" \
    "user:,assistant:answer" "the question and its answer are both saved"

# ---- the breaker --------------------------------------------------------------------
stub_reset
# The service fails every request: the classification's too (its own queue).
fails='[{"status":500},{"status":500},{"status":500},{"status":500},{"status":500},{"status":500},{"status":500},{"status":500},{"status":500}]'
stub_script "{\"responses\":$fails,\"classify\":$fails}"
for i in 1 2 3; do ask ann "How should our team write norms?"; done
# The first question: its classification and its answer fail (three
# attempts each); the second's classification is the third failed call,
# which opens the breaker; nothing more is sent.
is "$(stub_count) $(curl -s "$STUB_URL/__classify" | pyjson 'print(len(d))')" "3 6" \
    "three failed calls of three attempts each (two classifications, one answer)"
ask ann "How should our team write norms?"
is "$(pyjson 'print(d["mode"], "unavailable" in d.get("notice", ""))' <"$HTTP_BODY_FILE") $(stub_count)" \
    "extractive True 3" "the breaker is open: the extractive answer at once, no request sent"
ask_stream ann "$STACK_DIR/sopen" "How should our team write norms?"
is "$(sse_json "$STACK_DIR/sopen" | pyjson 'print(d[0]["data"]["mode"])')" extractive \
    "meta already says extractive while the breaker is open"

done_testing
