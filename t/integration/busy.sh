#!/bin/bash
# Every worker busy: nginx lets at most workers + queue requests reach the
# pool (upstream max_conns, conf/nginx/http_common.conf); the next one is
# answered at once with 503 server_busy, the JSON envelope and
# Retry-After, never left waiting; the queued request is served when a
# worker frees; health checks are never refused as busy; and when the
# streams end the pool serves again.
#
# Two workers, a queue of one, one job process.  The workers are filled with streamed
# answers the model stand-in holds after their first token until the test
# releases them (its "hold" behaviour, t/model/README.md): the workers are
# busy exactly as long as the checks need, however loaded the machine is
# and however long retrieval makes the answers.
# shellcheck disable=SC2154,SC2317  # csrf_* come from coach_user; helpers run through plc_poll
. "$(dirname "$0")/../lib/integration.sh"
. "$PLC_SRCDIR/t/integration/coach-lib.bash"

stack_require_servers
stub_start

STACK_WORKERS=2
STACK_QUEUE=1
# One job process, as in a task: the connection budget counts it.
STACK_JOB_WORKERS=1
stub_pool_env PLCCOACH_PUBLIC_URL=http://localhost:8000 PLCCOACH_COACH_RATE_LIMIT=1000 \
    PLCCOACH_LLM_FIRST_TOKEN_TIMEOUT_MS=5000 PLCCOACH_LLM_TIMEOUT_MS=100000
stack_start
stack_cli ingest "$PLC_SRCDIR/content/starter" >/dev/null || bail "the starter library did not ingest"
coach_user ann


# Connections to the pool's socket, accepted by a worker or waiting in
# the backlog: every socket of /proc/net/unix bearing the socket's path
# except the listening one (flags 00010000, __SO_ACCEPTCON).
fcgi_connections() {
    awk -v path="$STACK_SOCK" '$8 == path && $4 != "00010000" { n++ } END { print n + 0 }' /proc/net/unix
}

# How many of the streams we started are still going (their curl alive).
streams_in_flight() {
    local n=0 pid
    for pid in "${streams[@]}"; do
        plc_pid_alive "$pid" && n=$((n + 1))
    done
    printf '%d\n' "$n"
}

# ---- fill both workers and the queue place ----------------------------------------------
stub_reset
# Held after the first token until stub_release: the workers stay busy
# for the checks below and no longer.
b='{"hold": "busy"}'
# Every chat request of these asks takes one (FIFO), whatever it is for;
# one that comes after the release goes straight through.
stub_script "{\"responses\": [$b, $b, $b, $b, $b, $b, $b, $b]}"
streams=()
for i in 1 2; do
    ask_stream ann "$STACK_DIR/s$i" "How should our team write norms? ($i)" "" &
    streams+=($!)
done
STACK_EXTRA_PIDS="$STACK_EXTRA_PIDS ${streams[*]}"
two_streaming() { [ "$(fcgi_in_flight)" = 2 ]; }
ok "both workers hold a streamed answer" plc_poll 30 two_streaming
# The third waits in the socket's backlog: the one queue place.
ask_stream ann "$STACK_DIR/s3" "How should our team write norms? (3)" "" &
streams+=($!)
STACK_EXTRA_PIDS="$STACK_EXTRA_PIDS $!"
three_connected() { [ "$(fcgi_connections)" = 3 ]; }
ok "nginx has connected the third: it waits in the backlog" plc_poll 30 three_connected
is "$(fcgi_in_flight)" 2 "still two requests being served"
# The connection budget's per-task count (docs/operations.md, "Database
# connections"): one per worker and one per job process, whatever waits.
is "$(stack_psql -- -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'plccoach'")" 3 \
    "the pool holds workers + job processes = 3 database connections; the queued request none"

# ---- the next requests are refused at once ------------------------------------------------
# Both first (the assertions' helpers are slow on a loaded machine), then
# how many streams were still going.
http GET /api/conversations -b "$STACK_DIR/ann.jar"
body=$(json_body "Another question")
code=$(curl -s -o "$STACK_DIR/busy-ask.json" -D "$STACK_DIR/busy-ask.h" -w '%{http_code}' --max-time 10 \
    -X POST -b "$STACK_DIR/ann.jar" -H "X-CSRF-Token: $csrf_ann" -H 'Content-Type: application/json' \
    -H 'Accept: text/event-stream' --data "$body" "$(stack_url /api/coach/ask)")
going=$(streams_in_flight)
error_envelope_ok 503 server_busy "a request beyond workers + queue"
is "$(http_header Retry-After)" 5 "with Retry-After: 5"
like "$(http_header Content-Type)" '^application/json' "as JSON"
like "$(http_header X-Request-Id)" '^[0-9a-f]{32}$' "with the security headers (X-Request-Id)"
is "$code" 503 "a streamed ask beyond the bound: 503 too"
is "$(json_get error.code "$STACK_DIR/busy-ask.json")" server_busy "with code server_busy"
# Neither waited for a worker: all three streams were still going.
is "$going" 3 "both answered while all three streams were still going (no wait for a worker)"
refused1=$(http_header X-Request-Id)
HTTP_HEADERS_FILE=$STACK_DIR/busy-ask.h
refused2=$(http_header X-Request-Id)
if grep -q -e "$refused1" -e "$refused2" "$STACK_POOL_LOG"; then
    fail "the refused requests never reached a worker"
else
    pass "the refused requests never reached a worker (neither request id is in the pool's log)"
fi

# A health check is not refused as busy: it waits for a worker.
health_out=$STACK_DIR/health.out
curl -s -o /dev/null -w '%{http_code}' --max-time 60 "$(stack_url /health/ready)" >"$health_out" &
health_pid=$!
STACK_EXTRA_PIDS="$STACK_EXTRA_PIDS $health_pid"
four_connected() { [ "$(fcgi_connections)" = 4 ]; }
ok "nginx has passed the health check to the pool, past the bound: it waits in the backlog" \
    plc_poll 30 four_connected

# ---- the streams end, the queued one is served, the pool recovers ------------------------
is "$(streams_in_flight)" 3 "all three streams were still going when released"
stub_release busy
for pid in "${streams[@]}"; do
    wait "$pid" || true
done
wait "$health_pid" || true
is "$(cat "$health_out")" 200 "the health check waiting meanwhile got 200, not 503"
for i in 1 2 3; do
    last=$(sse_json "$STACK_DIR/s$i" | pyjson 'print(d[-1]["event"] if d else "none")')
    is "$last" "done" "stream $i ended with done"
done
is "$(stack_psql -- -c "SELECT count(*) FROM messages WHERE role = 'assistant' AND content <> ''")" 3 \
    "three answers saved: the queued question was answered once a worker was free"
http GET /api/conversations -b "$STACK_DIR/ann.jar"
is "$HTTP_STATUS" 200 "after the streams: GET /api/conversations is served again"
is "$(http_header Retry-After)" "" "with no Retry-After"
ask ann "What makes a good common formative assessment?"
is "$HTTP_STATUS" 200 "and an ask is answered"

# ---- the pool itself is down: still 502, not busy -----------------------------------------
stack_pool_stop
http GET /api/conversations -b "$STACK_DIR/ann.jar"
error_envelope_ok 502 bad_gateway "the pool stopped"
is "$(http_header Retry-After)" "" "a 502 carries no Retry-After"

done_testing
