#!/bin/bash
# No question without an answer (issue 11), through nginx with the model
# stand-in (t/model/stub.py): an Idempotency-Key makes a retry return the
# first outcome (JSON or streamed) instead of asking twice; a client that
# goes away leaves a saved failure (kind error, "cancelled"), not a bare
# question; a question reads as being answered while its worker lives,
# and as interrupted as soon as that worker is killed (the pool releases
# it, without waiting for its answer_by); such a question is answered
# again in place (retry_of, or the same key), never asked twice;
# an answer that cannot be saved leaves a failure and a 503 that names the
# conversation and the question; a conversation deleted mid-answer is a 409
# (and an error event), logged as that; failures take no feedback.
# shellcheck disable=SC2154  # csrf_* are set by coach_user
. "$(dirname "$0")/../lib/integration.sh"
. "$PLC_SRCDIR/t/integration/coach-lib.bash"

command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
stack_require_servers
stub_start

STACK_WORKERS=4
stub_pool_env PLCCOACH_PUBLIC_URL=http://localhost:8000 PLCCOACH_COACH_RATE_LIMIT=1000 \
    PLCCOACH_LLM_FIRST_TOKEN_TIMEOUT_MS=120000 PLCCOACH_LLM_TIMEOUT_MS=150000
stack_start
stack_cli ingest "$PLC_SRCDIR/content/starter" >/dev/null || bail "the starter library did not ingest"
coach_user ann
coach_user bob

# keyed_ask WHO KEY QUESTION [CONVERSATION_ID] [CURL-ARGS...]: JSON ask with an Idempotency-Key.
keyed_ask() {
    local who=$1 key=$2 q=$3 conv=${4:-} var=csrf_$1
    shift 4 2>/dev/null || shift $#
    http POST /api/coach/ask -b "$STACK_DIR/$who.jar" -H "X-CSRF-Token: ${!var}" \
        -H 'Content-Type: application/json' -H "Idempotency-Key: $key" "$@" \
        --data "$(json_body "$q" "$conv")"
}
# retry WHO CONVERSATION QUESTION-ID: answers a saved question again, in place.
retry() {
    local var=csrf_$1
    http POST /api/coach/ask -b "$STACK_DIR/$1.jar" -H "X-CSRF-Token: ${!var}" \
        -H 'Content-Type: application/json' \
        --data "{\"question\":\"again\",\"conversation_id\":\"$2\",\"retry_of\":\"$3\"}"
}
messages_of() { # CONVERSATION: role/type/answer_state of each message, one line
    http GET "/api/conversations/$1" -b "$STACK_DIR/ann.jar"
    pyjson 'print(" ".join("%s:%s:%s" % (m["role"], m.get("type"), m.get("answer_state")) for m in d["messages"]))' \
        <"$HTTP_BODY_FILE"
}
quota() { stack_psql -- -c "SELECT count(*) FROM rate_events r JOIN users u ON u.id = r.user_id WHERE u.email = 'ann@example.org'"; }

# ---- Idempotency-Key: a retry returns the first outcome ------------------------
q0=$(quota)
keyed_ask ann key-one "How should our team write norms?"
is "$HTTP_STATUS" 200 "a question with an Idempotency-Key is answered"
conv=$(json_get conversation_id)
mid=$(json_get message_id)
first=$(json_get answer)
keyed_ask ann key-one "How should our team write norms?"
is "$HTTP_STATUS" 200 "the same key again: 200"
is "$(json_get message_id)/$(json_get conversation_id)/$(json_get replayed)" "$mid/$conv/true" \
    "with the first answer, replayed"
is "$(json_get answer)" "$first" "word for word"
is "$(messages_of "$conv")" "user:None:None assistant:answer:None" "no second question was saved"
is "$(quota)" "$((q0 + 1))" "and the hourly limit counted it once"
ask_stream ann "$STACK_DIR/replay.sse" "How should our team write norms?" "" -H 'Idempotency-Key: key-one'
is "$(sse_json "$STACK_DIR/replay.sse" | pyjson 'print(" ".join(e["event"] for e in d), d[-1]["data"]["message_id"], d[-1]["data"]["replayed"])')" \
    "meta done $mid True" "streamed, the replay is meta and done with the same answer"
keyed_ask ann "has space" "How should our team write norms?"
error_envelope_ok 400 invalid_header "an Idempotency-Key with a space"
keyed_ask ann "$(head -c 201 /dev/zero | tr '\0' k)" "How should our team write norms?"
error_envelope_ok 400 invalid_header "an Idempotency-Key of 201 characters"
keyed_ask bob key-one "How should our team write norms?"
is "$HTTP_STATUS" 200 "another user's same key is another question"
isnt "$(json_get conversation_id)" "$conv" "in a conversation of their own"

# ---- A client that goes away: the failure is saved --------------------------
stub_script '{"responses":[{"stall_before_ms":4000}]}'
ask_stream ann "$STACK_DIR/gone.sse" "What makes a good common formative assessment?" "" \
    --max-time 1.5 -H 'Idempotency-Key: key-gone'
gone_conv=$(sse_json "$STACK_DIR/gone.sse" | pyjson 'print([e for e in d if e["event"] == "meta"][0]["data"]["conversation_id"])')
failure_saved() { [ "$(messages_of "$gone_conv")" = "user:None:None assistant:error:None" ]; }
ok "a stream the client left ends as a saved failure, not a bare question" plc_poll 30 failure_saved
http GET "/api/conversations/$gone_conv" -b "$STACK_DIR/ann.jar"
is "$(pyjson 'm = d["messages"][1]; print(m["error_code"], bool(m["content"]))' <"$HTTP_BODY_FILE")" \
    "cancelled True" "the failure says what happened (error_code cancelled, a sentence)"
fail_id=$(pyjson 'print(d["messages"][1]["id"])' <"$HTTP_BODY_FILE")
gone_q=$(pyjson 'print(d["messages"][0]["id"])' <"$HTTP_BODY_FILE")
http POST "/api/messages/$fail_id/feedback" -b "$STACK_DIR/ann.jar" -H "X-CSRF-Token: $csrf_ann" \
    -H 'Content-Type: application/json' --data '{"rating":"down"}'
error_envelope_ok 400 not_an_answer "a failure takes no feedback"
q1=$(quota)
keyed_ask ann key-gone "What makes a good common formative assessment?"
is "$HTTP_STATUS" 200 "the same key again answers the question, in place"
is "$(json_get conversation_id)" "$gone_conv" "in its conversation"
is "$(messages_of "$gone_conv")" "user:None:None assistant:answer:None" \
    "the failure is replaced by the answer; still one question"
is "$(quota)" "$q1" "answering it again costs nothing of the hourly limit"

# ---- A worker killed mid-answer: interrupted at once; answered in place --------
# The model stalls far longer than this test takes to find and kill the
# workers on a loaded machine (scanning /proc can take seconds), and the
# lease (the model's timeout + 60 s) far longer than the test waits: only
# the pool releasing the dead worker's question makes it interrupted.
stub_script '{"responses":[{"stall_before_ms":100000}]}'
ask_stream ann "$STACK_DIR/killed.sse" "How do we plan interventions during the school day?" "" &
asker=$!
STACK_EXTRA_PIDS="${STACK_EXTRA_PIDS:-} $asker"
meta_seen() { grep -q '^event: meta' "$STACK_DIR/killed.sse" 2>/dev/null; }
plc_poll 30 meta_seen || bail "the stream did not start"
killed_conv=$(sse_json "$STACK_DIR/killed.sse" | pyjson 'print(d[0]["data"]["conversation_id"])')
killed_q=$(sse_json "$STACK_DIR/killed.sse" | pyjson 'print(d[0]["data"]["user_message_id"])')
is "$(messages_of "$killed_conv")" "user:None:pending" "while a worker answers it, the question reads as being answered"
retry ann "$killed_conv" "$killed_q"
error_envelope_ok 409 in_progress "and cannot be asked again"
# Every worker: one is answering; the master starts new ones.
for w in $(worker_pids); do kill -KILL "$w"; done
wait "$asker" || true
interrupted() { [ "$(messages_of "$killed_conv")" = "user:None:interrupted" ]; }
ok "once the worker died, the question reads as interrupted, long before its lease ends" plc_poll 30 interrupted
is "$(stack_psql -- -c "SELECT answer_by > now() + interval '60 seconds' FROM messages WHERE id = '$killed_q'")" f \
    "its lease was ended, not waited out"
like "$(grep -c 'released the question of a worker that died' "$STACK_POOL_LOG")" '^1$' \
    "a new worker released it, once, and logged that"
retry ann "$killed_conv" "$killed_q"
is "$HTTP_STATUS" 200 "retry_of answers it again"
is "$(messages_of "$killed_conv")" "user:None:None assistant:answer:None" "in place: one question, one answer"
retry ann "$killed_conv" "$killed_q"
error_envelope_ok 409 in_progress "an answered question is not answered twice"
retry bob "$killed_conv" "$killed_q"
error_envelope_ok 404 not_found "nor by another user"
http POST /api/coach/ask -b "$STACK_DIR/ann.jar" -H "X-CSRF-Token: $csrf_ann" -H 'Content-Type: application/json' \
    --data "{\"question\":\"x\",\"retry_of\":\"$killed_q\"}"
error_envelope_ok 400 invalid_field "retry_of without conversation_id"

# ---- A question being answered: its key answers 409 with Retry-After --------
stub_script '{"responses":[{"stall_before_ms":60000}]}'
curl -s -N --max-time 90 -X POST -b "$STACK_DIR/ann.jar" -H "X-CSRF-Token: $csrf_ann" \
    -H 'Content-Type: application/json' -H 'Accept: text/event-stream' -H 'Idempotency-Key: key-slow' \
    --data "$(json_body "How often should we look at student data together?")" \
    "$(stack_url /api/coach/ask)" >"$STACK_DIR/slow.sse" &
slow=$!
STACK_EXTRA_PIDS="${STACK_EXTRA_PIDS:-} $slow"
meta_seen() { grep -q '^event: meta' "$STACK_DIR/slow.sse" 2>/dev/null; }
plc_poll 30 meta_seen || bail "the slow stream did not start"
keyed_ask ann key-slow "How often should we look at student data together?"
error_envelope_ok 409 in_progress "the same key while the first is being answered"
ok "with Retry-After" test -n "$(http_header Retry-After)"
is "$(json_get error.conversation_id)" "$(sse_json "$STACK_DIR/slow.sse" | pyjson 'print(d[0]["data"]["conversation_id"])')" \
    "and the conversation it is answered in"
kill "$slow" 2>/dev/null || true
wait "$slow" 2>/dev/null || true
slow_ended() { [ "$(grep -c '"code":"cancelled"' "$STACK_POOL_LOG" || true)" -ge 2 ]; }
ok "the client that left it has its failure saved too" plc_poll 30 slow_ended

# ---- An answer that cannot be saved: a failure, and a 503 that names both ----
stack_psql -- -c "ALTER TABLE messages ADD CONSTRAINT t_no_answers
    CHECK (role <> 'assistant' OR kind = 'error') NOT VALID" >/dev/null
keyed_ask ann key-503 "What does a guaranteed and viable curriculum mean?"
error_envelope_ok 503 db_unavailable "the answer could not be saved"
c503=$(json_get error.conversation_id)
like "$c503" '^[0-9a-f-]{36}$' "the error names the conversation the question was saved in"
like "$(json_get error.question_id)" '^[0-9a-f-]{36}$' "and the question"
stack_psql -- -c "ALTER TABLE messages DROP CONSTRAINT t_no_answers" >/dev/null
is "$(messages_of "$c503")" "user:None:None assistant:error:None" "the failure is saved in the answer's place"
keyed_ask ann key-503 "What does a guaranteed and viable curriculum mean?"
is "$HTTP_STATUS/$(json_get conversation_id)" "200/$c503" "the client's retry (same key) answers it there"
is "$(messages_of "$c503")" "user:None:None assistant:answer:None" "no duplicate conversation, no second question"
is "$(stack_psql -- -c "SELECT count(*) FROM conversations c JOIN users u ON u.id = c.user_id
    WHERE u.email = 'ann@example.org' AND c.title LIKE 'What does a guaranteed%'")" 1 "one conversation"

# ---- A conversation deleted while the coach answers in it --------------------
stub_script '{"responses":[{"stall_before_ms":15000}]}'
ask_stream ann "$STACK_DIR/deleted.sse" "How do teams keep their norms alive?" "" &
del=$!
STACK_EXTRA_PIDS="${STACK_EXTRA_PIDS:-} $del"
meta_seen() { grep -q '^event: meta' "$STACK_DIR/deleted.sse" 2>/dev/null; }
plc_poll 30 meta_seen || bail "the stream did not start"
del_conv=$(sse_json "$STACK_DIR/deleted.sse" | pyjson 'print(d[0]["data"]["conversation_id"])')
http DELETE "/api/conversations/$del_conv" -b "$STACK_DIR/ann.jar" -H "X-CSRF-Token: $csrf_ann"
is "$HTTP_STATUS" 204 "the conversation is deleted mid-answer"
wait "$del" || true
is "$(sse_json "$STACK_DIR/deleted.sse" | pyjson 'e = d[-1]; print(e["event"], e["data"]["error"]["code"])')" \
    "error conversation_deleted" "the stream ends with an error event: conversation_deleted"
like "$(grep -c 'conversation deleted while the coach answered in it' "$STACK_POOL_LOG")" '^[1-9]' \
    "logged as what it is"
is "$(grep -c '"level":"error".*could not save' "$STACK_POOL_LOG" || true)" 1 \
    "not as a database error (the one such line is the refused answer above)"
stub_script '{"responses":[{"stall_before_ms":15000}]}'
curl -s -D "$STACK_DIR/json-del.h" -o "$STACK_DIR/json-del.body" -X POST -b "$STACK_DIR/ann.jar" \
    -H "X-CSRF-Token: $csrf_ann" -H 'Content-Type: application/json' \
    --data "$(json_body "How should our team write norms?" "$conv")" "$(stack_url /api/coach/ask)" &
json_asker=$!
STACK_EXTRA_PIDS="${STACK_EXTRA_PIDS:-} $json_asker"
question_saved() { [ "$(stack_psql -- -c "SELECT count(*) FROM messages WHERE conversation_id = '$conv'")" -ge 3 ]; }
plc_poll 30 question_saved || bail "the question was not saved"
stack_psql -- -c "DELETE FROM conversations WHERE id = '$conv'" >/dev/null
wait "$json_asker" || true
HTTP_HEADERS_FILE=$STACK_DIR/json-del.h HTTP_BODY_FILE=$STACK_DIR/json-del.body
HTTP_STATUS=$(sed -n '1s/^HTTP\/[0-9.]* \([0-9]*\).*/\1/p' "$HTTP_HEADERS_FILE")
HTTP_BODY=$(cat "$HTTP_BODY_FILE")
error_envelope_ok 409 conversation_deleted "a JSON ask whose conversation was deleted meanwhile: 409"

# ---- Nothing left behind ------------------------------------------------------
is "$(stack_psql -- -c "SELECT count(*) FROM messages q WHERE q.role = 'user' AND q.answer_by < now()
    AND NOT EXISTS (SELECT 1 FROM messages a WHERE a.conversation_id = q.conversation_id
    AND a.seq > q.seq AND a.role = 'assistant')")" 0 "no question is left without an answer or a failure"

done_testing
