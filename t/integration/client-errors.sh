#!/bin/bash
# POST /api/client-errors is open to anyone, so it is bounded (issue 11):
# PLCCOACH_CLIENT_ERROR_LIMIT reports per minute per client address and per
# session cookie (429 with Retry-After beyond, nothing logged), the same
# error logged once per 10 minutes with the count of repeats dropped, and
# each logged line capped at about 3 kB however large the report.
. "$(dirname "$0")/../lib/integration.sh"

stack_pool_env PLCCOACH_CLIENT_ERROR_LIMIT=5
stack_start

# report [CURL-ARGS...] JSON: one report through nginx.
report() {
    local data=${*: -1}
    http POST /api/client-errors -H 'Content-Type: application/json' "${@:1:$#-1}" --data "$data"
}
logged() { grep -c '"msg":"client error"' "$STACK_POOL_LOG" || true; }

# ---- Per address --------------------------------------------------------------
for i in 1 2 3 4 5; do
    report "{\"message\":\"TypeError: distinct error $i\",\"url\":\"/c/$i\"}"
    is "$HTTP_STATUS" 202 "report $i of 5 from one address: 202"
done
is "$(json_get logged)" true "a new error is logged"
report '{"message":"TypeError: distinct error 6"}'
error_envelope_ok 429 rate_limited "the sixth within a minute"
retry=$(http_header Retry-After)
ok "with Retry-After ($retry s) within the minute" test "$retry" -ge 1 -a "$retry" -le 60
is "$(logged)" 5 "five lines logged, not six"
report --interface 127.0.0.2 '{"message":"TypeError: from another address"}'
is "$HTTP_STATUS" 202 "another address has its own allowance"

# ---- Per session, whatever the address ------------------------------------
cookie="plc_session=$(printf '%064d' 42)"
for a in 3 4 5 6 7; do
    report --interface "127.0.0.$a" -b "$cookie" "{\"message\":\"TypeError: session report from .$a\"}"
done
is "$HTTP_STATUS" 202 "five reports of one session from five addresses: accepted"
report --interface 127.0.0.8 -b "$cookie" '{"message":"TypeError: the sixth of the session"}'
error_envelope_ok 429 rate_limited "the session's sixth, from a fresh address"

# ---- Repeats ---------------------------------------------------------------------
stack_psql -- -c "DELETE FROM rate_key_events" >/dev/null
before=$(logged)
for i in 1 2 3 4; do
    report --interface 127.0.0.9 '{"message":"TypeError: the same again","component":"Chat","stack":"at f (a.js:1:2)\nat g (a.js:3:4)"}'
done
is "$HTTP_STATUS" 202 "repeats are accepted"
is "$(json_get logged)" false "but not logged"
is "$(($(logged) - before))" 1 "four reports of one error: one line"
stack_psql -- -c "UPDATE client_error_digests SET last_logged_at = now() - interval '11 minutes'" >/dev/null
report --interface 127.0.0.9 '{"message":"TypeError: the same again","component":"Chat","stack":"at f (a.js:1:2)\nat h (b.js:9:9)"}'
is "$(json_get logged)" true "after 10 minutes it is logged again (the stack's first line identifies it)"
line=$(grep '"msg":"client error"' "$STACK_POOL_LOG" | tail -n 1)
printf '%s\n' "$line" >"$STACK_DIR/line.json"
is "$(json_get repeats_dropped "$STACK_DIR/line.json")" 3 "saying how many repeats were dropped"

# ---- What one report may log -----------------------------------------------------
big=$(head -c 1990 /dev/zero | tr '\0' m)
url=$(head -c 1990 /dev/zero | tr '\0' u)
stk=$(head -c 7990 /dev/zero | tr '\0' s)
report --interface 127.0.0.10 "{\"message\":\"$big\",\"url\":\"/$url\",\"stack\":\"$stk\",\"component\":\"$(head -c 190 /dev/zero | tr '\0' c)\"}"
is "$HTTP_STATUS" 202 "a report of 12 kB is accepted"
line=$(grep '"msg":"client error"' "$STACK_POOL_LOG" | tail -n 1)
printf '%s\n' "$line" >"$STACK_DIR/line.json"
ok "its log line holds at most 3.5 kB (${#line} bytes)" test "${#line}" -le 3584
is "$(json_get truncated "$STACK_DIR/line.json")" 1 "and says it was truncated"

# ---- Repeats never grow the log: 50 copies of one error, 5 per address ---------
before=$(logged)
for a in $(seq 11 20); do
    for _ in 1 2 3 4 5; do
        report --interface "127.0.0.$a" '{"message":"Error: a loop that reports itself"}'
    done
done
is "$(($(logged) - before))" 1 "fifty reports of one error from ten addresses: one line"

done_testing
