#!/bin/bash
# shellcheck disable=SC2016,SC2154 # Perl in single quotes (jp); id_*/csrf_* set by printf -v
# Feedback on the coach's answers through nginx: thumbs up/down, reasons
# (down only), comment, upsert, flag for review; only on answers in the
# caller's own conversations; the admins' list of flagged answers (with
# the question before each and nothing more of the conversation), its
# pages, and resolving a flag (audited; re-flagging opens it again).
. "$(dirname "$0")/../lib/integration.sh"
. "$PLC_SRCDIR/t/integration/conversations-lib.bash"

stack_pool_env PLCCOACH_PUBLIC_URL=http://localhost:8000
stack_start

add_user ed ed@example.org "Ed Educator" educator
add_user ana ana@example.org "Ana Other" educator
add_user cat cat@example.org "Cat Coach" coach
add_user ada ada@example.org "Ada Admin" admin
for who in ed ana cat ada; do signin "$who"; done

conv=$(new_conversation ed "Interventions")
q1=$(add_message "$conv" user "First question, about something else entirely")
a1=$(add_message "$conv" assistant "First answer")
q2=$(add_message "$conv" user "How do we run a data meeting?")
a2=$(add_message "$conv" assistant "Bring the common assessment results by standard." \
    "citations='[{\"book\":\"Learning by Doing\"}]'" "domains='{data_analysis}'" "mode='llm'")
conv_ana=$(new_conversation ana "Ana's")
add_message "$conv_ana" user "Ana's question" >/dev/null
a_ana=$(add_message "$conv_ana" assistant "Ana's answer")

fb() { # WHO MESSAGE JSON
    as "$1" POST "/api/messages/$2/feedback" --data "$3"
}
rows() { # MESSAGE: the stored feedback, one line
    stack_psql -- -c "SELECT rating, reasons, coalesce(comment, '-'), flagged, flagged_at IS NOT NULL,
        resolved_at IS NOT NULL FROM feedback WHERE message_id = '$1'"
}

# ---- Thumbs up, down, upsert -------------------------------------------------------------
fb ed "$a1" '{"rating":"up"}'
is "$HTTP_STATUS" 200 "thumbs up: 200"
is "$(jp '[$d->{message_id}, $d->{rating}, $d->{reasons}, $d->{comment}, $d->{flagged}, $d->{resolved_at}]')" \
    "[\"$a1\",\"up\",[],null,false,null]" "the feedback comes back"
is "$(rows "$a1")" "1|{}|-|f|f|f" "stored: rating 1, no reasons"
created=$(stack_psql -- -c "SELECT created_at FROM feedback WHERE message_id = '$a1'")
fb ed "$a1" '{"rating":"down","reasons":["inaccurate","missing_citations"],"comment":"The page numbers\nare wrong."}'
is "$HTTP_STATUS $(json_get rating) $(json_get reasons)" '200 down ["inaccurate","missing_citations"]' \
    "thumbs down with reasons replaces the thumbs up"
is "$(json_get comment)" "The page numbers
are wrong." "a comment may span lines"
is "$(stack_psql -- -c "SELECT count(*), min(rating), bool_and(created_at = '$created'), bool_and(updated_at >= created_at)
    FROM feedback WHERE message_id = '$a1'")" "1|-1|t|t" "still one row per answer; created_at kept"
fb ed "$a1" '{"rating":"up"}'
is "$(rows "$a1")" "1|{}|-|f|f|f" "back to up: reasons and comment are replaced too"
fb ed "$a1" "{\"rating\":\"down\",\"comment\":\"$(head -c 2000 /dev/zero | tr '\0' c)\"}"
is "$HTTP_STATUS" 200 "a 2000-character comment"
fb ed "$a1" "{\"rating\":\"down\",\"comment\":\"$(head -c 2001 /dev/zero | tr '\0' c)\"}"
error_envelope_ok 400 invalid_field "a 2001-character comment"
fb ed "$a1" '{"rating":"up","reasons":["other"]}'
error_envelope_ok 400 invalid_field "reasons with a thumbs up"
fb ed "$a1" '{"rating":"down","reasons":["rude"]}'
error_envelope_ok 400 invalid_field "a reason that is not on the list"
fb ed "$a1" '{"rating":"down","reasons":["other","other"]}'
error_envelope_ok 400 invalid_field "a reason twice"
fb ed "$a1" '{"rating":"down","reasons":"other"}'
error_envelope_ok 400 invalid_field "reasons must be an array"
fb ed "$a1" '{"reasons":["other"]}'
error_envelope_ok 400 missing_field "rating is required"
fb ed "$a1" '{"rating":"meh"}'
error_envelope_ok 400 invalid_field "rating must be up or down"
fb ed "$a1" '{"rating":"up","flag":"yes"}'
error_envelope_ok 400 invalid_field "flag must be a boolean"
fb ed "$a1" '{"rating":"up","stars":5}'
error_envelope_ok 400 unknown_field "an unknown field"
is "$(stack_psql -- -c "SELECT rating, length(comment) FROM feedback WHERE message_id = '$a1'")" "-1|2000" \
    "refused requests changed nothing"
http POST "/api/messages/$a1/feedback" -b "$STACK_DIR/ed.jar" -H 'Content-Type: application/json' \
    --data '{"rating":"up"}'
error_envelope_ok 403 csrf "feedback without the CSRF token"
fb ed "$q1" '{"rating":"up"}'
error_envelope_ok 400 not_an_answer "feedback on one's own question"

# ---- Only on one's own answers ---------------------------------------------------------------
fb ed "$a_ana" '{"rating":"down","reasons":["other"],"flag":true}'
error_envelope_ok 404 not_found "feedback on another user's answer"
is "$(stack_psql -- -c "SELECT count(*) FROM feedback WHERE message_id = '$a_ana'")" 0 "nothing stored"
fb ada "$a1" '{"rating":"down"}'
is "$HTTP_STATUS" 404 "an admin cannot rate an educator's answer either"
fb ed 00000000-0000-4000-8000-000000000000 '{"rating":"up"}'
is "$HTTP_STATUS $(json_get error.code)" "404 not_found" "an unknown message"
fb ed not-a-uuid '{"rating":"up"}'
is "$HTTP_STATUS $(json_get error.code)" "404 not_found" "a non-UUID message id"

# ---- The owner sees their feedback ----------------------------------------------------------
as ed GET "/api/conversations/$conv"
is "$(jp '$d->{messages}[1]{feedback}{rating}')" down "GET the conversation shows the feedback on the answer"
is "$(jp '$d->{messages}[3]{feedback}')" null "and null on an answer without"

# ---- Flags --------------------------------------------------------------------------------------
fb ed "$a2" '{"rating":"down","reasons":["incomplete"],"comment":"Nothing about norms","flag":true}'
is "$(json_get flagged)" true "flag: true raises a flag"
flagged_at=$(stack_psql -- -c "SELECT flagged_at FROM feedback WHERE message_id = '$a2'")
fb ed "$a2" '{"rating":"down","reasons":["incomplete","not_relevant"],"comment":"Nothing about norms at all"}'
is "$(json_get flagged)" true "a later POST without flag leaves it raised"
is "$(stack_psql -- -c "SELECT flagged_at = '$flagged_at' FROM feedback WHERE message_id = '$a2'")" t \
    "and keeps when it was raised"

for who in ed cat; do
    as "$who" GET /api/admin/feedback
    error_envelope_ok 403 forbidden "GET /api/admin/feedback as $who"
done
as ed POST "/api/admin/feedback/$a2/resolve"
error_envelope_ok 403 forbidden "an educator cannot resolve"
as ada GET /api/admin/feedback
is "$HTTP_STATUS" 200 "an admin lists flagged feedback"
is "$(jp 'scalar @{$d->{feedback}}')" 1 "one flag open (the unflagged thumbs down is not listed)"
is "$(jp 'my $i = $d->{feedback}[0]; join "|", $i->{message_id}, $i->{status}, $i->{rating}, join(",", @{$i->{reasons}}), $i->{comment}')" \
    "$a2|open|down|incomplete,not_relevant|Nothing about norms at all" "the flag: answer, status, rating, reasons, comment"
is "$(jp '$d->{feedback}[0]{flagged_by}')" "{\"email\":\"ed@example.org\",\"id\":\"$id_ed\",\"name\":\"Ed Educator\"}" \
    "who flagged it"
is "$(jp 'my $i = $d->{feedback}[0]; join "|", $i->{question}{id}, $i->{question}{content}, $i->{answer}{id}, $i->{answer}{content}, $i->{answer}{citations}[0]{book}')" \
    "$q2|How do we run a data meeting?|$a2|Bring the common assessment results by standard.|Learning by Doing" \
    "the exchange: the question just before the answer, and the answer with its citations"
unlike "$HTTP_BODY" "First question|First answer|$conv" "nothing else of the conversation (not even its id)"
is "$(json_get next_cursor)" null "one page"
as ada GET "/api/admin/feedback?status=resolved"
is "$(jp 'scalar @{$d->{feedback}}')" 0 "status=resolved: none yet"
as ada GET "/api/admin/feedback?status=closed"
error_envelope_ok 400 invalid_parameter "status=closed"
as ada GET "/api/admin/feedback?cursor=zz"
error_envelope_ok 400 invalid_parameter "a malformed cursor"

# ---- Resolve -------------------------------------------------------------------------------------
http POST "/api/admin/feedback/$a2/resolve" -b "$STACK_DIR/ada.jar" -H 'Content-Type: application/json' \
    --data '{"note":"x"}'
error_envelope_ok 403 csrf "resolving without the CSRF token"
as ada POST "/api/admin/feedback/$a1/resolve"
error_envelope_ok 404 not_found "resolving feedback that was never flagged"
as ada POST "/api/admin/feedback/not-a-uuid/resolve"
is "$HTTP_STATUS" 404 "resolving a non-UUID: 404"
as ada POST "/api/admin/feedback/$a2/resolve" --data '{"note":"Added the norms chapter to the library."}'
is "$HTTP_STATUS" 200 "resolve with a note: 200"
is "$(jp 'my $i = $d; join "|", $i->{status}, $i->{resolved_by}{name}, $i->{resolution_note}, defined $i->{resolved_at} ? "at" : "-"')" \
    "resolved|Ada Admin|Added the norms chapter to the library.|at" "resolved, by whom, with the note and time"
is "$(stack_psql -- -c "SELECT actor_id || ' ' || target_type || ' ' || (detail->>'flagged_by')
    FROM audit_log WHERE action = 'feedback.resolve' AND target_id = '$a2'")" "$id_ada feedback $id_ed" \
    "audited: feedback.resolve by the admin, naming who flagged"
as ada POST "/api/admin/feedback/$a2/resolve"
error_envelope_ok 409 already_resolved "resolving twice"
is "$(stack_psql -- -c "SELECT count(*) FROM audit_log WHERE action = 'feedback.resolve'")" 1 \
    "the refused second resolve left no audit entry"
as ada GET /api/admin/feedback
is "$(jp 'scalar @{$d->{feedback}}')" 0 "open: none left"
as ada GET "/api/admin/feedback?status=resolved"
is "$(jp '$d->{feedback}[0]{message_id}')" "$a2" "status=resolved lists it"
as ada GET "/api/admin/feedback?status=all"
is "$(jp 'scalar @{$d->{feedback}}')" 1 "status=all too"
as ed GET "/api/conversations/$conv"
is "$(jp 'defined $d->{messages}[3]{feedback}{resolved_at} ? "yes" : "no"') $(jp '$d->{messages}[3]{feedback}{flagged}')" \
    "yes true" "the owner sees that the flag was resolved"
is "$(jp '$d->{messages}[3]{feedback}{resolution_note}')" "Added the norms chapter to the library." \
    "and the administrator's note (issue 19)"
fb ed "$a2" '{"rating":"down","flag":true}'
is "$(rows "$a2")" "-1|{}|-|t|t|f" "flagging again re-opens it"
as ada GET /api/admin/feedback
is "$(jp '$d->{feedback}[0]{status}') $(jp '$d->{feedback}[0]{resolution_note}')" "open null" \
    "as a fresh open flag, the old resolution cleared"
fb ed "$a2" '{"rating":"down","flag":false}'
is "$(rows "$a2")" "-1|{}|-|f|f|f" "flag: false withdraws it"
as ada GET "/api/admin/feedback?status=all"
is "$(jp 'scalar @{$d->{feedback}}')" 0 "a withdrawn flag is not listed"

# ---- A flag outlives its conversation (issue 19) -------------------------------------------------
conv_gone=$(new_conversation ed "To be deleted")
q_gone=$(add_message "$conv_gone" user "What is a guaranteed curriculum?")
a_gone=$(add_message "$conv_gone" assistant "Essential standards every student learns [1]." \
    "citations='[{\"n\":1,\"book\":{\"title\":\"Learning by Doing\"},\"quote\":\"Essential standards.\"}]'" "mode='llm'")
a_plain=$(add_message "$conv_gone" assistant "An answer rated but not flagged")
fb ed "$a_gone" '{"rating":"down","reasons":["inaccurate"],"comment":"Wrong book","flag":true}'
fb ed "$a_plain" '{"rating":"up"}'
as ed DELETE "/api/conversations/$conv_gone"
is "$HTTP_STATUS" 204 "the owner deletes a conversation with a flagged answer"
as ada GET "/api/admin/feedback?status=all"
is "$(jp 'my ($i) = grep { $_->{message_id} eq "'"$a_gone"'" } @{$d->{feedback}}; join "|", $i->{status}, $i->{deleted}, $i->{comment}, $i->{question}{id}, $i->{question}{content}, $i->{answer}{content}, $i->{answer}{citations}[0]{book}{title}')" \
    "open|conversation|Wrong book|$q_gone|What is a guaranteed curriculum?|Essential standards every student learns [1].|Learning by Doing" \
    "the flag is still listed, with the answer's text, citations and question, saying the conversation was deleted"
is "$(stack_psql -- -c "SELECT count(*) FROM feedback WHERE message_id = '$a_plain'")" 0 \
    "feedback that is not a flag goes with its conversation"
as ada POST "/api/admin/feedback/$a_gone/resolve" --data '{"note":"Fixed."}'
is "$HTTP_STATUS $(json_get deleted)" "200 conversation" "a kept flag can be resolved"
as ed POST "/api/messages/$a_gone/feedback" --data '{"rating":"up"}'
is "$HTTP_STATUS" 404 "the deleted answer can no longer be rated"
stack_psql -- -c "DELETE FROM feedback WHERE message_id = '$a_gone'" >/dev/null

# ---- A link to the answer only where the admin may open it (issue 19) --------------------------
conv_ada=$(new_conversation ada "Ada's own")
add_message "$conv_ada" user "How do we start a team?" >/dev/null
a_ada=$(add_message "$conv_ada" assistant "Begin with norms.")
fb ada "$a_ada" '{"rating":"down","reasons":["incomplete"],"flag":true}'
conv_ed2=$(new_conversation ed "Ed's second")
add_message "$conv_ed2" user "How do we pace a unit?" >/dev/null
a_ed2=$(add_message "$conv_ed2" assistant "Plan backwards.")
fb ed "$a_ed2" '{"rating":"down","reasons":["incomplete"],"flag":true}'
as ada GET /api/admin/feedback
is "$(jp 'join ",", map { $_->{message_id} . "=" . ($_->{conversation_id} // "null") } @{$d->{feedback}}')" \
    "$a_ed2=null,$a_ada=$conv_ada" \
    "the admin's own flagged answer carries its conversation's id; a teacher's does not"
unlike "$HTTP_BODY" "$conv_ed2" "the teacher's conversation id appears nowhere in the list"
as ada POST "/api/admin/feedback/$a_ada/resolve" --data '{}'
is "$HTTP_STATUS $(json_get conversation_id)" "200 $conv_ada" "resolving her own flag: the item keeps the id"
as ada POST "/api/admin/feedback/$a_ed2/resolve" --data '{}'
is "$HTTP_STATUS $(json_get conversation_id)" "200 null" "resolving a teacher's flag: no id"
stack_psql -- -c "DELETE FROM feedback WHERE message_id IN ('$a_ada', '$a_ed2')" >/dev/null

# ---- Pages of flags ---------------------------------------------------------------------------------
# 13 flagged answers: 5 flagged at the same instant (ties broken by message
# id), the rest a microsecond apart.
stack_psql -- -c "WITH m AS (INSERT INTO messages (conversation_id, role, content)
        SELECT '$conv', 'assistant', 'answer ' || g FROM generate_series(1, 13) g RETURNING id),
    n AS (SELECT id, row_number() OVER (ORDER BY id) AS g FROM m)
    INSERT INTO feedback (message_id, user_id, rating, flagged, flagged_at)
    SELECT id, '$id_ed', -1, true, timestamptz '2025-01-01 08:00:00.5+00'
        + CASE WHEN g <= 5 THEN interval '0' ELSE g * interval '1 microsecond' END FROM n" >/dev/null
expected=$(stack_psql -- -c "SELECT string_agg(message_id::text, ',' ORDER BY flagged_at DESC, message_id DESC)
    FROM feedback WHERE flagged AND resolved_at IS NULL")
walk_pages ada /api/admin/feedback 4 feedback message_id 10
is "$pages" 4 "13 flags in pages of 4: 4 pages"
is "$seen" "$expected" "each flag once, most recent first: no duplicate, no gap"
is "$(jp '$d->{feedback}[0]{question}{id}')" "$q2" \
    "the question before an answer is the latest question before it"

done_testing
