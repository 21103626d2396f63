#!/bin/bash
# shellcheck disable=SC2016,SC2154 # Perl in single quotes (jp); id_*/csrf_* set by printf -v
# Conversations through nginx: create, read with messages, the history
# list (keyset pages with no duplicates or gaps, keyword search over titles
# and messages, date range, archive filter, previews), rename, archive,
# delete with its audit entry; privacy (another user's conversation is a
# 404 for every route and every role) and CSRF on every change.
. "$(dirname "$0")/../lib/integration.sh"
. "$PLC_SRCDIR/t/integration/conversations-lib.bash"

stack_pool_env PLCCOACH_PUBLIC_URL=http://localhost:8000
stack_start

add_user ed ed@example.org "Ed Educator" educator
add_user cat cat@example.org "Cat Coach" coach
add_user ada ada@example.org "Ada Admin" admin
signin ed
signin cat
signin ada

# ---- Signed out ------------------------------------------------------------------
http GET /api/conversations
error_envelope_ok 401 unauthenticated "listing conversations signed out"

# ---- Create --------------------------------------------------------------------------
as ed POST /api/conversations
is "$HTTP_STATUS" 201 "POST /api/conversations with no body: 201"
is "$(jp '[$d->{title}, $d->{preview}, $d->{message_count}, $d->{archived}, $d->{archived_at}]')" \
    '["","",0,false,null]' "an empty, untitled, unarchived conversation"
like "$(json_get id)" '^[0-9a-f-]{36}$' "with an id"
like "$(json_get created_at)" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' \
    "and ISO 8601 UTC timestamps"
conv_a=$(new_conversation ed "Common formative assessments")
as ed GET "/api/conversations/$conv_a"
is "$(json_get title)" "Common formative assessments" "a title given at creation is kept"
as_nocsrf ed POST /api/conversations --data '{"title":"x"}'
error_envelope_ok 403 csrf "creating without the CSRF token"
as ed POST /api/conversations --data '{"title":"x","user_id":"'"$id_ada"'"}'
error_envelope_ok 400 unknown_field "a conversation cannot be created for someone else"
as ed POST /api/conversations --data "{\"title\":\"$(head -c 201 /dev/zero | tr '\0' t)\"}"
error_envelope_ok 400 invalid_field "a title over 200 characters"
as ed POST /api/conversations --data "{\"title\":\"$(for i in $(seq 200); do printf 'é'; done)\"}"
is "$HTTP_STATUS" 201 "200 two-byte characters are a valid title (characters, not bytes)"

# ---- Messages, oldest first ----------------------------------------------------------------
q1=$(add_message "$conv_a" user "How do we write common formative assessments for fractions?")
a1=$(add_message "$conv_a" assistant "Start from the essential standards your team chose." \
    "citations='[{\"book\":\"Learning by Doing\",\"pages\":\"57-59\"}]'" \
    "domains='{assessment,collaboration}'" "mode='llm'" "model='gpt-test'" "grounded=true" \
    "prompt_tokens=812" "completion_tokens=230" "ttft_ms=420" "total_ms=3100")
q2=$(add_message "$conv_a" user "And how often should we give them?")
a2=$(add_message "$conv_a" assistant "Every two to three weeks, per unit." "mode='extractive'" \
    "grounded=false")
as ed GET "/api/conversations/$conv_a"
is "$HTTP_STATUS" 200 "GET one conversation: 200"
is "$(jp 'join ",", map { $_->{id} } @{$d->{messages}}')" "$q1,$a1,$q2,$a2" \
    "its messages, oldest first"
is "$(jp 'join ",", map { $_->{role} } @{$d->{messages}}')" "user,assistant,user,assistant" \
    "with their roles"
is "$(jp '$d->{messages}[1]{citations}')" '[{"book":"Learning by Doing","pages":"57-59"}]' \
    "citations come back as JSON"
is "$(jp '$d->{messages}[1]{domains}')" '["assessment","collaboration"]' "domains as an array"
is "$(jp 'join ",", map { $d->{messages}[1]{$_} } qw(mode model prompt_tokens completion_tokens ttft_ms total_ms)')" \
    "llm,gpt-test,812,230,420,3100" "mode, model, token counts and timings"
is "$(jp '$d->{messages}[1]{grounded}')" true "grounded"
is "$(jp '$d->{messages}[3]{mode}')" extractive "an extractive answer says so"
is "$(jp 'exists $d->{messages}[0]{feedback} ? "yes" : "no"')" no "questions carry no feedback key"
is "$(jp '$d->{messages}[1]{feedback}')" null "answers carry feedback: null when none"
is "$(jp '$d->{messages}[0]{mode}')" null "a question has no mode"
is "$(json_get message_count)" 4 "message_count"
is "$(json_get preview)" "How do we write common formative assessments for fractions?" \
    "the preview is the first question"

# ---- Previews --------------------------------------------------------------------------------
conv_p=$(new_conversation ed "Preview")
add_message "$conv_p" assistant "Welcome! Ask me anything about PLCs." >/dev/null
long=$(for i in $(seq 100); do printf 'évaluation '; done)
add_message "$conv_p" user "$long" >/dev/null
as ed GET "/api/conversations/$conv_p"
p=$(json_get preview)
is "$(printf '%s' "$p" | perl -CS -ne 'print length')" 160 \
    "a long first question is cut to 160 characters"
like "$p" '^évaluation évaluation .*…$' "from the first question, not the welcome answer, ending in …"
ok "the preview is valid UTF-8" perl -e 'use Encode; Encode::decode("UTF-8", $ARGV[0], Encode::FB_CROAK); 1' "$p"

# ---- Privacy: another user's conversation is a 404 everywhere ------------------------------
conv_x=$(new_conversation ada "Ada's private conversation")
qx=$(add_message "$conv_x" user "A private question about my school")
as ed GET "/api/conversations/$conv_x"
error_envelope_ok 404 not_found "an educator reading an admin's conversation"
not_found_msg=$(json_get error.message)
as ed GET "/api/conversations/00000000-0000-4000-8000-000000000000"
is "$HTTP_STATUS $(json_get error.message)" "404 $not_found_msg" \
    "a conversation that does not exist answers exactly the same"
as ed GET "/api/conversations/not-a-uuid"
is "$HTTP_STATUS $(json_get error.message)" "404 $not_found_msg" "and so does a non-UUID id"
as ed PATCH "/api/conversations/$conv_x" --data '{"title":"mine now"}'
error_envelope_ok 404 not_found "renaming another user's conversation"
as ed PATCH "/api/conversations/$conv_x" --data '{"archived":true}'
is "$HTTP_STATUS" 404 "archiving another user's conversation: 404"
as ed DELETE "/api/conversations/$conv_x"
error_envelope_ok 404 not_found "deleting another user's conversation"
as ada GET "/api/conversations/$conv_a"
error_envelope_ok 404 not_found "an admin reading an educator's conversation"
as cat GET "/api/conversations/$conv_a"
error_envelope_ok 404 not_found "a coach reading an educator's conversation"
as ada DELETE "/api/conversations/$conv_a"
is "$HTTP_STATUS" 404 "an admin cannot delete an educator's conversation either"
is "$(stack_psql -- -c "SELECT title || ' ' || (archived_at IS NULL) FROM conversations WHERE id = '$conv_x'")" \
    "Ada's private conversation true" "the other user's conversation is untouched"
as ed GET "/api/conversations?limit=100&archived=all"
is "$(jp 'scalar grep { $_->{id} eq "'"$conv_x"'" } @{$d->{conversations}}')" 0 \
    "another user's conversation never appears in the list"
as ed GET "/api/conversations?q=private+school"
is "$(jp 'scalar @{$d->{conversations}}')" 0 "nor in a search for its words"

# ---- Rename and archive -------------------------------------------------------------------
as_nocsrf ed PATCH "/api/conversations/$conv_a" --data '{"title":"Renamed"}'
error_envelope_ok 403 csrf "renaming without the CSRF token"
before=$(stack_psql -- -c "SELECT updated_at FROM conversations WHERE id = '$conv_a'")
as ed PATCH "/api/conversations/$conv_a" --data '{"title":"Assessments, renamed"}'
is "$HTTP_STATUS" 200 "rename: 200"
is "$(json_get title)" "Assessments, renamed" "the new title comes back"
is "$(json_get message_count)" 4 "with the summary"
is "$(stack_psql -- -c "SELECT updated_at > '$before' FROM conversations WHERE id = '$conv_a'")" t \
    "a rename is a change: updated_at moves"
as ed PATCH "/api/conversations/$conv_a" --data '{"title":"a\nb"}'
error_envelope_ok 400 invalid_field "a title with a newline"
as ed PATCH "/api/conversations/$conv_a" --data '{"archived":"yes"}'
error_envelope_ok 400 invalid_field "archived must be a boolean"
as ed PATCH "/api/conversations/$conv_a" --data '{}'
is "$HTTP_STATUS $(json_get title)" "200 Assessments, renamed" "an empty PATCH changes nothing"
as ed PATCH "/api/conversations/$conv_a" --data '{"archived":true}'
is "$(jp '[$d->{archived}, defined $d->{archived_at} ? 1 : 0]')" '[true,1]' "archive: archived, with a time"
as ed GET "/api/conversations?limit=100"
is "$(jp 'scalar grep { $_->{id} eq "'"$conv_a"'" } @{$d->{conversations}}')" 0 \
    "the default list leaves archived conversations out"
as ed GET "/api/conversations?limit=100&archived=true"
is "$(jp 'join ",", map { $_->{id} } @{$d->{conversations}}')" "$conv_a" \
    "archived=true lists only archived ones"
as ed GET "/api/conversations?limit=100&archived=all"
is "$(jp 'scalar grep { $_->{id} eq "'"$conv_a"'" } @{$d->{conversations}}')" 1 \
    "archived=all lists both"
all_count=$(jp 'scalar @{$d->{conversations}}')
is "$all_count" "$(stack_psql -- -c "SELECT count(*) FROM conversations WHERE user_id = '$id_ed'")" \
    "archived=all: every one of the caller's conversations"
as ed PATCH "/api/conversations/$conv_a" --data '{"archived":false,"title":"Back"}'
is "$(jp '[$d->{archived}, $d->{archived_at}, $d->{title}]')" '[false,null,"Back"]' \
    "unarchive and rename at once"
as ed GET "/api/conversations?archived=true"
is "$(jp 'scalar @{$d->{conversations}}')" 0 "nothing archived any more"
as ed GET "/api/conversations?archived=maybe"
error_envelope_ok 400 invalid_parameter "archived=maybe"

# ---- Pagination ----------------------------------------------------------------------------
# 40 more conversations for Cat: 10 share one timestamp (ties broken by
# id), the rest one microsecond apart, so a cursor that lost precision
# would skip or repeat rows.
stack_psql -- -c "INSERT INTO conversations (user_id, title, updated_at)
    SELECT '$id_cat', 'page ' || g,
        CASE WHEN g <= 10 THEN timestamptz '2025-03-01 10:00:00.123456+00'
             ELSE timestamptz '2025-03-01 10:00:00.123456+00' + g * interval '1 microsecond' END
    FROM generate_series(1, 40) g" >/dev/null
expected=$(stack_psql -- -c "SELECT string_agg(id::text, ',' ORDER BY updated_at DESC, id DESC)
    FROM conversations WHERE user_id = '$id_cat'")
walk_pages cat /api/conversations 7 conversations id 20
is "$pages" 6 "40 conversations in pages of 7: 6 pages"
is "$seen" "$expected" "every conversation once, newest first, ties broken by id: no duplicate, no gap"
as cat GET "/api/conversations?limit=40"
is "$(json_get next_cursor)" null "limit=40 gets all 40 and no next cursor"
as cat GET "/api/conversations"
is "$(jp 'scalar @{$d->{conversations}}')" 20 "the default page holds 20"
c20=$(json_get next_cursor)
like "$c20" '^[0-9a-f]{50}$' "the cursor is an opaque token"
as cat GET "/api/conversations?cursor=$c20&limit=100"
is "$(jp 'scalar @{$d->{conversations}}')" 20 "the cursor continues after the first 20"
for bad in "nonsense" "${c20}0" "${c20:0:49}" "02${c20:2}" "${c20^^}" ""; do
    as cat GET "/api/conversations?cursor=$bad"
    is "$HTTP_STATUS $(json_get error.code)" "400 invalid_parameter" "a malformed cursor ('${bad:0:12}...') is 400"
done
as cat GET "/api/conversations?limit=0"
error_envelope_ok 400 invalid_parameter "limit=0"
as cat GET "/api/conversations?limit=101"
is "$HTTP_STATUS" 400 "limit=101: 400"
as cat GET "/api/conversations?page=2"
error_envelope_ok 400 invalid_parameter "an unknown query parameter"

# ---- Search by keyword -----------------------------------------------------------------------
conv_s1=$(new_conversation ed "Norms for our team meetings")
conv_s2=$(new_conversation ed "Untitled")
add_message "$conv_s2" user "What interventions help students who struggle with reading?" >/dev/null
add_message "$conv_s2" assistant "Tiered interventions during a protected time block." >/dev/null
as ed GET "/api/conversations?q=norms"
is "$(jp 'join ",", map { $_->{id} } @{$d->{conversations}}')" "$conv_s1" "q matches a title"
as ed GET "/api/conversations?q=intervention"
is "$(jp 'join ",", map { $_->{id} } @{$d->{conversations}}')" "$conv_s2" \
    "q matches message text, with stemming (intervention ~ interventions)"
as ed GET "/api/conversations?q=protected+block"
is "$(jp 'join ",", map { $_->{id} } @{$d->{conversations}}')" "$conv_s2" "all words must match (an answer's)"
as ed GET "/api/conversations?q=%22reading+students%22"
is "$(jp 'scalar @{$d->{conversations}}')" 0 "a quoted phrase must appear in that order"
as ed GET "/api/conversations?q=norms+OR+reading"
is "$(jp 'join ",", sort map { $_->{id} } @{$d->{conversations}}')" \
    "$(printf '%s\n' "$conv_s1" "$conv_s2" | sort | paste -sd,)" "web search syntax: OR"
as ed GET "/api/conversations?q=photosynthesis"
is "$(jp 'scalar @{$d->{conversations}}') $(json_get next_cursor)" "0 null" "no match: an empty page"
as ed GET "/api/conversations?q=the"
is "$HTTP_STATUS $(jp 'scalar @{$d->{conversations}}')" "200 0" "only stop words: 200 and nothing"
as ed GET "/api/conversations?q=%27%3B+DROP+TABLE+messages%3B+--"
is "$HTTP_STATUS" 200 "SQL in q is just words"
as ed GET "/api/conversations?q="
is "$(jp 'scalar @{$d->{conversations}}')" "$(stack_psql -- -c "SELECT count(*) FROM conversations WHERE user_id = '$id_ed' AND archived_at IS NULL")" \
    "an empty q is no search"
as ed GET "/api/conversations?q=$(head -c 201 /dev/zero | tr '\0' a)"
error_envelope_ok 400 invalid_parameter "q over 200 bytes"

# ---- Search by date (UTC days of updated_at) -------------------------------------------------
stack_psql -- -c "UPDATE conversations SET updated_at = '2024-05-10 23:59:59.999999+00' WHERE id = '$conv_s1';
    UPDATE conversations SET updated_at = '2024-05-11 00:00:00+00' WHERE id = '$conv_s2';
    UPDATE conversations SET updated_at = '2024-05-11 23:59:59.999999+00' WHERE id = '$conv_p';
    UPDATE conversations SET updated_at = '2024-05-12 00:00:00+00' WHERE id = '$conv_a'" >/dev/null
as ed GET "/api/conversations?from=2024-05-11&to=2024-05-11"
is "$(jp 'join ",", map { $_->{id} } @{$d->{conversations}}')" "$conv_p,$conv_s2" \
    "from=to=2024-05-11: the whole day, both ends, nothing of the days around it"
as ed GET "/api/conversations?from=2024-05-11"
is "$(jp 'scalar grep { $_->{id} eq "'"$conv_s1"'" } @{$d->{conversations}}')" 0 "from alone excludes the day before"
as ed GET "/api/conversations?to=2024-05-10"
is "$(jp 'join ",", map { $_->{id} } @{$d->{conversations}}')" "$conv_s1" "to alone includes its whole day"
as ed GET "/api/conversations?from=2024-05-10&to=2024-05-12&q=reading"
is "$(jp 'join ",", map { $_->{id} } @{$d->{conversations}}')" "$conv_s2" "dates and keywords together"
as ed GET "/api/conversations?from=2024-05-11&to=2024-05-11&limit=1"
first=$(jp '$d->{conversations}[0]{id}')
as ed GET "/api/conversations?from=2024-05-11&to=2024-05-11&limit=1&cursor=$(json_get next_cursor)"
is "$first,$(jp '$d->{conversations}[0]{id}'),$(json_get next_cursor)" "$conv_p,$conv_s2,null" \
    "pages of a filtered list"
for bad in 2024-02-30 2024-13-01 2024-5-11 11/05/2024 2024-05-11T00:00:00Z yesterday; do
    as ed GET "/api/conversations?from=$bad"
    is "$HTTP_STATUS $(json_get error.code)" "400 invalid_parameter" "from=$bad is 400"
done
as ed GET "/api/conversations?from=2024-05-12&to=2024-05-11"
error_envelope_ok 400 invalid_parameter "from after to"

# ---- Delete ------------------------------------------------------------------------------------------
as_nocsrf ed DELETE "/api/conversations/$conv_a"
error_envelope_ok 403 csrf "deleting without the CSRF token"
stack_psql -- -c "INSERT INTO feedback (message_id, user_id, rating) VALUES ('$a1', '$id_ed', 1)" >/dev/null
as ed DELETE "/api/conversations/$conv_a"
is "$HTTP_STATUS" 204 "delete: 204"
is "$HTTP_SIZE" 0 "with no body"
as ed GET "/api/conversations/$conv_a"
is "$HTTP_STATUS" 404 "the conversation is gone"
is "$(stack_psql -- -c "SELECT count(*) FROM messages WHERE id IN ('$q1', '$a1', '$q2', '$a2')")" 0 \
    "its messages are gone"
is "$(stack_psql -- -c "SELECT count(*) FROM feedback WHERE message_id = '$a1'")" 0 "and their feedback"
is "$(stack_psql -- -c "SELECT actor_id || ' ' || target_type || ' ' || (detail->>'messages') || ' ' || (ip IS NOT NULL)
    FROM audit_log WHERE action = 'conversation.delete' AND target_id = '$conv_a'")" \
    "$id_ed conversation 4 true" "an audit entry is kept: who, what, how many messages, from where"
as ed DELETE "/api/conversations/$conv_a"
error_envelope_ok 404 not_found "deleting it again"
is "$(stack_psql -- -c "SELECT count(*) FROM audit_log WHERE action = 'conversation.delete'")" 1 \
    "a failed delete leaves no audit entry"
is "$(stack_psql -- -c "SELECT count(*) FROM messages WHERE id = '$qx'")" 1 \
    "other users' messages are untouched"

done_testing
