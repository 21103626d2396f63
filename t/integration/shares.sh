#!/bin/bash
# shellcheck disable=SC2016,SC2154 # Perl in single quotes (jp); id_*/csrf_* set by printf -v
# Share links through nginx: create (token shown once, only its SHA-256
# stored), list without tokens, the view-only shared conversation (signed
# in by default; public with PLCCOACH_SHARE_PUBLIC=true), a snapshot of
# the messages at share time, expiry, revocation, the same 404 for
# unknown, expired and revoked links, privacy, and the audit trail.
. "$(dirname "$0")/../lib/integration.sh"
. "$PLC_SRCDIR/t/integration/conversations-lib.bash"

ORIGIN=http://localhost:8000
stack_pool_env PLCCOACH_PUBLIC_URL=$ORIGIN/
stack_start

add_user ed ed@example.org "Ed Educator" educator
add_user ana ana@example.org "Ana Other" educator
add_user ada ada@example.org "Ada Admin" admin
for who in ed ana ada; do signin "$who"; done

conv=$(new_conversation ed "Data meetings")
q1=$(add_message "$conv" user "How do we run a data meeting?")
a1=$(add_message "$conv" assistant "Bring the results by standard." \
    "citations='[{\"book\":\"Learning by Doing\",\"pages\":\"12\"}]'" "mode='llm'")
as ed POST "/api/messages/$a1/feedback" --data '{"rating":"down","comment":"private remark","flag":true}'
[ "$HTTP_STATUS" = 200 ] || bail "feedback: $HTTP_BODY"

# ---- Create ------------------------------------------------------------------------------
as_nocsrf ed POST "/api/conversations/$conv/shares"
error_envelope_ok 403 csrf "sharing without the CSRF token"
as ed POST "/api/conversations/$conv/shares"
is "$HTTP_STATUS" 201 "share with no body: 201"
token=$(json_get token)
share=$(json_get id)
like "$token" '^[0-9a-f]{64}$' "a 256-bit token"
is "$(json_get url)" "$ORIGIN/shared/$token" "the link is PLCCOACH_PUBLIC_URL/shared/TOKEN"
is "$(json_get expires_at)" null "no expiry by default"
like "$(json_get created_at)" '^[0-9-]{10}T[0-9:]{8}Z$' "created_at"
is "$(stack_psql -- -c "SELECT token_hash FROM shares WHERE id = '$share'")" \
    "$(printf '%s' "$token" | sha256sum | cut -d' ' -f1)" "the database keeps the token's SHA-256"
"$PLC_PGBIN/pg_dump" -h "$STACK_DIR/run" -p "$STACK_PG_PORT" -U postgres "$STACK_DB" \
    >"$STACK_DIR/dump.sql" || bail "pg_dump failed"
is "$(grep -c "$token" "$STACK_DIR/dump.sql" || true)" 0 "and the token itself nowhere (whole database dump)"
is "$(stack_psql -- -c "SELECT actor_id || ' ' || (detail->>'conversation_id') FROM audit_log
    WHERE action = 'share.create' AND target_type = 'share' AND target_id = '$share'")" "$id_ed $conv" \
    "share.create is audited"

as ed POST "/api/conversations/$conv/shares" --data '{"expires_in_days":7}'
is "$HTTP_STATUS" 201 "share for 7 days: 201"
token7=$(json_get token)
share7=$(json_get id)
is "$(stack_psql -- -c "SELECT expires_at - created_at FROM shares WHERE id = '$share7'")" "7 days" \
    "expires 7 days after creation"
isnt "$token7" "$token" "every link has its own token"
for bad in 0 366 -1 '"7"' 1.5 true null; do
    as ed POST "/api/conversations/$conv/shares" --data "{\"expires_in_days\":$bad}"
    if [ "$bad" = null ]; then
        is "$HTTP_STATUS" 201 "expires_in_days: null is no expiry"
    else
        is "$HTTP_STATUS $(json_get error.code)" "400 invalid_field" "expires_in_days: $bad is refused"
    fi
done
as ed POST "/api/conversations/$conv/shares" --data '{"expires_in_days":365}'
is "$HTTP_STATUS" 201 "365 days is the longest"
as ed POST "/api/conversations/$conv/shares" --data '{"expires":7}'
error_envelope_ok 400 unknown_field "an unknown field"

# ---- List -------------------------------------------------------------------------------------
as ed GET "/api/conversations/$conv/shares"
is "$HTTP_STATUS" 200 "list shares: 200"
is "$(jp 'scalar @{$d->{shares}}')" 4 "four shares"
is "$(jp '$d->{shares}[-1]{id}')" "$share" "newest first"
is "$(jp 'join ",", sort keys %{$d->{shares}[0]}')" "active,created_at,expires_at,id,live,revoked,revoked_at" \
    "each with id, times, revoked, live and active"
is "$(jp 'join ",", map { $_->{live} ? "live" : "snapshot" } @{$d->{shares}}')" \
    "snapshot,snapshot,snapshot,snapshot" "a link is a snapshot unless asked for live"
unlike "$HTTP_BODY" "$token|$token7|token" "and never a token"

# ---- The shared view (sign-in required by default) ----------------------------------------------
q2=$(add_message "$conv" user "A later, private follow-up")
http GET "/api/shared/$token"
error_envelope_ok 401 unauthenticated "a link opened signed out"
as ana GET "/api/shared/$token"
is "$HTTP_STATUS" 200 "another signed-in user opens the link"
is "$(jp 'join "|", $d->{title}, $d->{shared_by}{name}, defined $d->{created_at} ? "t" : "-", $d->{expires_at} // "null"')" \
    "Data meetings|Ed Educator|t|null" "title, who shared it, when, no expiry"
is "$(jp 'join ",", map { $_->{id} } @{$d->{messages}}')" "$q1,$a1" \
    "the messages as they were when the link was made (the later follow-up is not shared)"
is "$(jp '$d->{messages}[1]{citations}[0]{book}')" "Learning by Doing" "answers with their citations"
is "$(jp 'scalar grep { exists $_->{feedback} } @{$d->{messages}}')" 0 "no feedback on any message"
unlike "$HTTP_BODY" "private remark|ed@example.org|$id_ed|$conv" \
    "nothing of the owner's feedback, email, ids or the conversation id"
is "$(jp 'join ",", sort keys %$d')" "created_at,expires_at,live,messages,shared_by,title" "exactly these fields"
is "$(jp '$d->{live} ? "live" : "snapshot"')" snapshot "and says it is a snapshot"

# ---- A live link ("keep this link up to date") ---------------------------------------------------
for bad in '"yes"' 1 '{}'; do
    as ed POST "/api/conversations/$conv/shares" --data "{\"live\":$bad}"
    is "$HTTP_STATUS $(json_get error.code)" "400 invalid_field" "live: $bad is refused"
done
as ed POST "/api/conversations/$conv/shares" --data '{"live":true,"expires_in_days":30}'
is "$HTTP_STATUS $(json_get live)" "201 true" "a live link: 201, live"
token_live=$(json_get token)
share_live=$(json_get id)
is "$(stack_psql -- -c "SELECT detail->>'live' FROM audit_log WHERE action = 'share.create'
    AND target_id = '$share_live'")" true "share.create records that it is live"
as ana GET "/api/shared/$token_live"
is "$(jp 'join ",", map { $_->{id} } @{$d->{messages}}')" "$q1,$a1,$q2" \
    "it shows the messages written before it was made"
is "$(jp '$d->{live} ? "live" : "snapshot"')" live "and says it is live"
a2=$(add_message "$conv" assistant "Keep the agenda short.")
as ana GET "/api/shared/$token_live"
is "$(jp 'join ",", map { $_->{id} } @{$d->{messages}}')" "$q1,$a1,$q2,$a2" \
    "and the answer written after it: the conversation as it grows"
as ana GET "/api/shared/$token"
is "$(jp 'join ",", map { $_->{id} } @{$d->{messages}}')" "$q1,$a1" "while the snapshot link still shows its two"
http GET "/api/shared/$token_live/about"
is "$(jp '$d->{live} ? "live" : "snapshot"')" live "about says so too (the recipient who is not signed in)"
as ed GET "/api/conversations/$conv/shares"
is "$(jp 'join ",", map { $_->{live} ? "live" : "snapshot" } grep { $_->{id} eq "'"$share_live"'" } @{$d->{shares}}')" \
    live "the owner's list marks it live"
as ana POST "/api/shared/$token_live/copy"
is "$HTTP_STATUS" 201 "a live link is copied"
as ana GET "/api/conversations/$(json_get conversation_id)"
is "$(jp 'scalar @{$d->{messages}}')" 4 "with the conversation as it is now"
as ed DELETE "/api/conversations/$conv/shares/$share_live"
is "$HTTP_STATUS" 204 "and revoked like any link"
as ada GET "/api/shared/$token7"
is "$HTTP_STATUS $(json_get shared_by.name)" "200 Ed Educator" "an admin opens a link like anyone else"
like "$(json_get expires_at)" '^[0-9-]{10}T' "with its expiry"

as ana GET "/api/shared/$(printf '%064d' 7)"
error_envelope_ok 404 not_found "an unknown token"
gone_msg=$(json_get error.message)
as ana GET "/api/shared/not-a-token"
is "$HTTP_STATUS $(json_get error.message)" "404 $gone_msg" "a malformed token: the same 404"
as ana GET "/api/shared/${token^^}"
is "$HTTP_STATUS" 404 "the token in upper case is not the token"
as ana GET "/api/shared/$(stack_psql -- -c "SELECT token_hash FROM shares WHERE id = '$share'")"
is "$HTTP_STATUS" 404 "the stored hash does not open the share"
is "$(grep -c "$token" "$STACK_POOL_LOG" || true)" 0 \
    "the server log never holds a share token (the route's pattern is logged instead)"
like "$(grep -c '"path":"/api/shared/{token}"' "$STACK_POOL_LOG" || true)" '^[1-9]' \
    "and requests for shared views are still logged"
curl -s -o /dev/null -e "http://localhost:8000/shared/$token" "$(stack_url "/api/shared/$token")"
is "$(grep -c "$token" "$STACK_DIR/log/nginx-access.log" || true)" 0 \
    "nginx's access log holds no share token either (path and Referer redacted)"
like "$(grep -c '"uri":"/api/shared/\[redacted\]"' "$STACK_DIR/log/nginx-access.log" || true)" '^[1-9]' \
    "it logs the redacted path"
# Whatever route matched, or none: no log line of the app or nginx holds
# a token, in any form a path can take.
for p in "/api//shared/$token" "/api/%73hared/$token" "/API/SHARED/$token" "/x/shared/$token" \
    "/shared/$token" "/api/auth/google/login?return_to=%2Fshared%2F$token"; do
    curl -s -o /dev/null "$(stack_url "$p")"
done
curl -s -o /dev/null -X POST "$(stack_url "/api/shared/$token")"
curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
    --data "{\"message\":\"failed on /shared/$token\",\"url\":\"/shared/$token\",\"stack\":\"at http://localhost:8000/shared/$token\"}" \
    "$(stack_url /api/client-errors)"
is "$(grep -c "$token" "$STACK_POOL_LOG" || true)" 0 \
    "the app's log holds no token: 404, 405, a %-encoded or doubled slash, a client error report"
like "$(grep -c 'shared/\[redacted\]' "$STACK_POOL_LOG" || true)" '^[1-9]' "it logs those paths redacted"
is "$(grep -c "$token" "$STACK_DIR/log/nginx-access.log" || true)" 0 \
    "nor nginx's access log (doubled slash, %-encoding, upper case, return_to)"

# ---- Expiry -------------------------------------------------------------------------------------
stack_psql -- -c "UPDATE shares SET created_at = now() - interval '8 days',
    expires_at = now() - interval '1 second' WHERE id = '$share7'" >/dev/null
as ana GET "/api/shared/$token7"
is "$HTTP_STATUS $(json_get error.message)" "404 $gone_msg" "an expired link: the same 404"
as ed GET "/api/conversations/$conv/shares"
is "$(jp 'join ",", map { $_->{active} ? "on" : "off" } grep { $_->{id} eq "'"$share7"'" } @{$d->{shares}}')" \
    off "the owner sees it inactive"

# ---- Privacy ------------------------------------------------------------------------------------
as ana POST "/api/conversations/$conv/shares"
error_envelope_ok 404 not_found "sharing another user's conversation"
as ana GET "/api/conversations/$conv/shares"
error_envelope_ok 404 not_found "listing the shares of another user's conversation"
as ana DELETE "/api/conversations/$conv/shares/$share"
error_envelope_ok 404 not_found "revoking another user's share"
as ada DELETE "/api/conversations/$conv/shares/$share"
is "$HTTP_STATUS" 404 "an admin cannot revoke it either"
conv_ana=$(new_conversation ana "Ana's")
as ana DELETE "/api/conversations/$conv_ana/shares/$share"
is "$HTTP_STATUS" 404 "nor through a conversation of one's own"
as ed DELETE "/api/conversations/$conv_ana/shares/$share"
is "$HTTP_STATUS" 404 "the owner must name the share's own conversation"
as ana POST "/api/conversations/00000000-0000-4000-8000-000000000000/shares"
is "$HTTP_STATUS" 404 "sharing a conversation that does not exist"
is "$(stack_psql -- -c "SELECT count(*) FROM shares WHERE created_by = '$id_ana'") $(stack_psql -- -c "SELECT count(*) FROM shares WHERE revoked_at IS NOT NULL AND id <> '$share_live'")" \
    "0 0" "none of that created or revoked anything"

# ---- A recipient who is not signed in is told who shared what ------------------------------
http GET "/api/shared/$token/about"
is "$HTTP_STATUS" 200 "about: answered signed out"
is "$(jp 'join "|", $d->{title}, $d->{shared_by}{name}, $d->{expires_at} // "null"')" \
    "Data meetings|Ed Educator|null" "the title, who shared it, the expiry"
is "$(jp 'join ",", sort keys %$d')" "created_at,expires_at,live,shared_by,title" "and nothing else (no messages)"
http GET "/api/shared/$(printf '%064d' 7)/about"
is "$HTTP_STATUS $(json_get error.message)" "404 $gone_msg" "about an unknown token: the same 404"

# ---- Copy to my conversations ----------------------------------------------------------------
http POST "/api/shared/$token/copy"
is "$HTTP_STATUS" 401 "copying signed out: 401"
as_nocsrf ana POST "/api/shared/$token/copy"
error_envelope_ok 403 csrf "copying without the CSRF token"
as ana POST "/api/shared/$token/copy"
is "$HTTP_STATUS" 201 "a signed-in recipient copies the conversation"
copy=$(json_get conversation_id)
like "$copy" '^[0-9a-f-]{36}$' "and gets the new conversation's id"
as ana GET "/api/conversations/$copy"
is "$HTTP_STATUS $(json_get title)" "200 Data meetings" "the copy is Ana's, with the title"
is "$(jp 'join "|", map { $_->{role} . ":" . substr($_->{content}, 0, 12) } @{$d->{messages}}')" \
    "$(as ana GET "/api/shared/$token" && jp 'join "|", map { $_->{role} . ":" . substr($_->{content}, 0, 12) } @{$d->{messages}}')" \
    "with exactly the shared messages, in order (not the later follow-up)"
as ana GET "/api/conversations/$copy"
is "$(jp '$d->{messages}[1]{citations}[0]{book}')" "Learning by Doing" "answers keep their citations"
as ed GET "/api/conversations/$copy"
is "$HTTP_STATUS" 404 "the owner of the share cannot see the copy"
is "$(stack_psql -- -c "SELECT actor_id || ' ' || (detail->>'from_conversation_id') FROM audit_log
    WHERE action = 'share.copy' AND target_id = '$copy'")" "$id_ana $conv" "share.copy is audited"
as ana POST "/api/shared/$(printf '%064d' 7)/copy"
is "$HTTP_STATUS $(json_get error.message)" "404 $gone_msg" "copying an unknown link: the same 404"
is "$(grep -c "$token" "$STACK_POOL_LOG" || true)" 0 "about and copy log no token either"

# ---- Revoke -------------------------------------------------------------------------------------
as_nocsrf ed DELETE "/api/conversations/$conv/shares/$share"
error_envelope_ok 403 csrf "revoking without the CSRF token"
as ed DELETE "/api/conversations/$conv/shares/$share"
is "$HTTP_STATUS $HTTP_SIZE" "204 0" "revoke: 204, no body"
as ana GET "/api/shared/$token"
is "$HTTP_STATUS $(json_get error.message)" "404 $gone_msg" "a revoked link: the same 404"
as ana POST "/api/shared/$token/copy"
is "$HTTP_STATUS" 404 "a revoked link cannot be copied"
http GET "/api/shared/$token/about"
is "$HTTP_STATUS" 404 "nor described"
as ed GET "/api/conversations/$conv/shares"
is "$(jp 'join ",", map { ($_->{revoked} ? "revoked" : "live") . "/" . ($_->{active} ? "on" : "off") } grep { $_->{id} eq "'"$share"'" } @{$d->{shares}}')" \
    "revoked/off" "the list shows it revoked"
is "$(stack_psql -- -c "SELECT actor_id || ' ' || (detail->>'conversation_id') FROM audit_log
    WHERE action = 'share.revoke' AND target_id = '$share'")" "$id_ed $conv" "share.revoke is audited"
as ed DELETE "/api/conversations/$conv/shares/$share"
is "$HTTP_STATUS" 204 "revoking again: 204"
is "$(stack_psql -- -c "SELECT count(*) FROM audit_log WHERE action = 'share.revoke' AND target_id = '$share'")" 1 \
    "but audited once"
as ed DELETE "/api/conversations/$conv/shares/00000000-0000-4000-8000-000000000000"
error_envelope_ok 404 not_found "revoking a share that does not exist"
as ed DELETE "/api/conversations/$conv/shares/nope"
is "$HTTP_STATUS" 404 "a non-UUID share id: 404"

# ---- Public links (PLCCOACH_SHARE_PUBLIC=true) ----------------------------------------------------
as ed POST "/api/conversations/$conv/shares"
token_pub=$(json_get token)
http GET "/api/shared/$token_pub"
is "$HTTP_STATUS" 401 "before: signed out is 401"
stack_pool_stop
stack_pool_env PLCCOACH_SHARE_PUBLIC=true
stack_pool_start
stack_wait_health 200 || bail "the pool did not come back"
http GET "/api/shared/$token_pub"
is "$HTTP_STATUS" 200 "PLCCOACH_SHARE_PUBLIC=true: the link opens signed out"
is "$(json_get shared_by.name)" "Ed Educator" "naming who shared it"
is "$(jp 'scalar grep { exists $_->{feedback} } @{$d->{messages}}')" 0 "without feedback"
for t in "$token" "$token7" "$(printf '%064d' 7)"; do
    http GET "/api/shared/$t"
    is "$HTTP_STATUS $(json_get error.message)" "404 $gone_msg" "public: revoked, expired, unknown are the same 404"
done
stack_psql -- -c "UPDATE users SET disabled_at = now() WHERE id = '$id_ed'" >/dev/null
http GET "/api/shared/$token_pub"
is "$HTTP_STATUS" 404 "a disabled user's links stop working"
stack_psql -- -c "UPDATE users SET disabled_at = NULL WHERE id = '$id_ed'" >/dev/null
signin ed
as ed DELETE "/api/conversations/$conv"
is "$HTTP_STATUS" 204 "the owner deletes the conversation"
http GET "/api/shared/$token_pub"
is "$HTTP_STATUS" 404 "and its links are gone with it"
is "$(stack_psql -- -c "SELECT count(*) FROM shares WHERE conversation_id = '$conv'")" 0 "no share rows left"

# ---- Look-ups per address (PLCCOACH_SHARE_LINK_LIMIT) ---------------------------------------
stack_pool_stop
stack_pool_env PLCCOACH_SHARE_LINK_LIMIT=3
stack_pool_start
stack_wait_health 200 || bail "the pool did not come back"
stack_psql -- -c "DELETE FROM rate_key_events WHERE key LIKE 'shared/%'" >/dev/null
statuses=
for t in "$(printf '%064d' 8)" "$(printf '%064d' 9)" "$(printf '%064d' 10)" "$(printf '%064d' 11)"; do
    http GET "/api/shared/$t/about"
    statuses="$statuses$HTTP_STATUS "
done
is "$statuses" "404 404 404 429 " "about: three look-ups a minute from one address, any tokens, then 429"
is "$(json_get error.code)" rate_limited "with the rate_limited envelope"
retry=$(http_header Retry-After)
ok "and Retry-After ($retry s) within the minute" test "$retry" -ge 1 -a "$retry" -le 60
http GET "/api/shared/$(printf '%064d' 12)"
is "$HTTP_STATUS" 429 "the shared view itself counts against the same limit"
stack_psql -- -c "DELETE FROM rate_key_events WHERE key LIKE 'shared/%'" >/dev/null
http GET "/api/shared/$(printf '%064d' 12)/about"
is "$HTTP_STATUS" 404 "once the window has passed, look-ups are answered again"

# nginx writes the request line into each error-log line about a request
# (here: the pool is down); for share links it writes none.
stack_pool_stop
http GET "/api/shared/$token_pub"
is "$HTTP_STATUS" 502 "with the pool down, nginx answers 502"
curl -s -o /dev/null "$(stack_url "/api//shared/$token_pub")"
is "$(grep -c "$token_pub" "$STACK_DIR/log/nginx-error.log" || true)" 0 \
    "and its error log holds no share token"
like "$(grep -c 'connect() to unix' "$STACK_DIR/log/nginx-error.log" || true)" '^[0-9]' "(the error log is written)"
http GET /api/me
is "$HTTP_STATUS" 502 "other requests still get their 502"
like "$(grep -c 'request: "GET /api/me' "$STACK_DIR/log/nginx-error.log" || true)" '^[1-9]' \
    "and their error-log line"

done_testing
