#!/bin/bash
# Server-sent events pass through nginx as they are written: each event
# reaches the client when the worker flushes it, not at the end.
# shellcheck disable=SC2317  # helpers are called through ok and plc_poll
. "$(dirname "$0")/../lib/integration.sh"

stack_start

INTERVAL=700
headers=$STACK_DIR/sse.headers
events=$STACK_DIR/sse.events
: >"$events"

# Read the stream line by line as it arrives, stamping each line with the
# time it was read.  Accept-Encoding: gzip checks that nothing compresses
# (and so holds back) the stream.
t0=$(plc_now_us)
while IFS= read -r line; do
    printf '%s %s\n' "$(($(plc_now_us) - t0))" "$line" >>"$events"
done < <(curl -s -N --max-time 30 -H 'Accept-Encoding: gzip' -D "$headers" \
    "$(stack_url "/api/debug/stream?events=3&interval_ms=$INTERVAL")")

HTTP_HEADERS_FILE=$headers
like "$(http_header Content-Type)" '^text/event-stream' "Content-Type: text/event-stream"
is "$(http_header Content-Encoding)" "" "the stream is not compressed"
like "$(http_header X-Request-Id)" '^[0-9a-f]{32}$' "the stream carries X-Request-Id"
is "$(http_header Content-Length)" "" "no Content-Length: the length is not known up front"

names=$(awk '$2 == "event:" { printf "%s ", $3 }' "$events")
is "$names" "tick tick tick done " "three tick events, then done"
data=$(awk '$2 == "data:" { printf "%s ", $3 }' "$events")
is "$data" '{"n":1} {"n":2} {"n":3} {} ' "each with its data"

# When each event line arrived, in microseconds since the request.
mapfile -t at < <(awk '$2 == "event:" { print $1 }' "$events")
if [ "${#at[@]}" -eq 4 ]; then
    first_to_last=$(((at[3] - at[0]) / 1000))
    gap1=$(((at[1] - at[0]) / 1000))
    gap2=$(((at[2] - at[1]) / 1000))
    diag "events arrived at ${at[0]} ${at[1]} ${at[2]} ${at[3]} us"
    ok "the first event arrived well before the last (${first_to_last} ms apart; the stream lasts $((2 * INTERVAL)) ms)" \
        test "$first_to_last" -ge $((2 * INTERVAL - 300))
    ok "tick 2 arrived about ${INTERVAL} ms after tick 1 (${gap1} ms)" test "$gap1" -ge $((INTERVAL - 200))
    ok "tick 3 arrived about ${INTERVAL} ms after tick 2 (${gap2} ms)" test "$gap2" -ge $((INTERVAL - 200))
else
    fail "four events arrived"
    diag "$(cat "$events")"
    skip "no timings without the events" 2
fi

# The application asks for no buffering (X-Accel-Buffering: no), but the
# location must not depend on it: the coach's answers are streamed too.
sse_block=$(awk '/^location ~ \^\/api\/\(coach/,/^}/' "$PLC_SRCDIR/conf/nginx/api_locations.conf")
like "$sse_block" 'fastcgi_buffering off;' "the SSE location itself turns fastcgi_buffering off"
like "$sse_block" 'coach/ask' "... and also covers the coach's POST /api/coach/ask"

# A bad parameter is refused before the stream starts: a JSON error.
http GET '/api/debug/stream?events=0'
error_envelope_ok 400 invalid_parameter "a bad parameter"
like "$(http_header Content-Type)" '^application/json' "... answered as JSON, not as a stream"

# The client going away mid-stream does not hurt the worker.
curl -s -N --max-time 1 "$(stack_url '/api/debug/stream?events=5&interval_ms=400')" >/dev/null || true
http GET /health
is "$HTTP_STATUS" 200 "after a client hung up mid-stream, the pool still answers"
ok "no worker died" eval "! grep -q '\"msg\":\"worker died\"' '$STACK_POOL_LOG'"

done_testing
