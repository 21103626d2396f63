#!/bin/bash
# Every worker busy: nginx lets at most workers + queue requests reach the
# pool (upstream max_conns, conf/nginx/http_common.conf); the next one is
# answered at once with 503 server_busy, the JSON envelope and
# Retry-After, never left waiting; the queued request is served when a
# worker frees; health checks are never refused as busy; and when the
# streams end the pool serves again.
#
# Two workers, a queue of one, one job process.  The workers are filled with streamed
# answers the model stand-in paces (a pause before the first token, then
# each chunk of about three words after a delay), as a hosted model does.
# shellcheck disable=SC2154,SC2317  # csrf_* come from coach_user; helpers run through plc_poll
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
: "${PLC_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$PLC_SRCDIR/t/lib/tap.sh"
. "$PLC_SRCDIR/t/lib/stack.sh"
. "$PLC_SRCDIR/t/integration/coach-lib.bash"

command -v python3 >/dev/null 2>&1 || bail "python3 is needed for the model stand-in"
stack_require_servers
stack_init
coproc STUB { exec python3 "$PLC_SRCDIR/t/model/stub.py" 2>>"$STACK_DIR/log/stub.log"; }
# shellcheck disable=SC2153  # STUB_PID is set by coproc
STACK_EXTRA_PIDS="${STACK_EXTRA_PIDS:-} $STUB_PID"
read -r -t 20 STUB_PORT <&"${STUB[0]}" || bail "the model stand-in did not start"
STUB_URL=http://127.0.0.1:$STUB_PORT

STACK_WORKERS=2
STACK_QUEUE=1
# One job process, as in a task: the connection budget counts it.
STACK_JOB_WORKERS=1
stack_pool_env PLCCOACH_PUBLIC_URL=http://localhost:8000 PLCCOACH_COACH_RATE_LIMIT=1000 \
    PLCCOACH_LLM_BASE_URL="$STUB_URL" PLCCOACH_LLM_MODEL=stub-model PLCCOACH_LLM_API_KEY=sk-test \
    PLCCOACH_LLM_FIRST_TOKEN_TIMEOUT_MS=5000 PLCCOACH_LLM_TIMEOUT_MS=100000
stack_start
stack_cli ingest "$PLC_SRCDIR/content/starter" >/dev/null || bail "the starter library did not ingest"
coach_user ann

stub_script() { curl -s -f -X POST -H 'Content-Type: application/json' --data "$1" "$STUB_URL/__script" >/dev/null; }
stub_reset() { curl -s -f -X POST "$STUB_URL/__reset" >/dev/null; }

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
# About 40 s each (500 ms to the first token, then 1 s per chunk of some
# 40): long enough to start the third and make the refused requests on a
# loaded machine while both workers still stream.
b='{"stall_before_ms": 500, "delay_ms_per_chunk": 1000}'
# Every chat request of these asks takes one (FIFO), whatever it is for.
stub_script "{\"responses\": [$b, $b, $b, $b, $b, $b, $b, $b]}"
streams=()
for i in 1 2; do
    ask_stream ann "$STACK_DIR/s$i" "How should our team write norms? ($i)" "" --max-time 120 &
    streams+=($!)
done
STACK_EXTRA_PIDS="$STACK_EXTRA_PIDS ${streams[*]}"
two_streaming() { [ "$(fcgi_in_flight)" = 2 ]; }
ok "both workers hold a streamed answer" plc_poll 30 two_streaming
# The third waits in the socket's backlog: the one queue place.
# It waits for a worker (one stream's length) and then streams its own
# answer, so it gets twice ask_stream's usual 60 s: the stand-in's answer
# is as long as the passages it quotes, which retrieval decides.
ask_stream ann "$STACK_DIR/s3" "How should our team write norms? (3)" "" --max-time 180 &
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
curl -s -o /dev/null -w '%{http_code}' --max-time 120 "$(stack_url /health/ready)" >"$health_out" &
health_pid=$!
STACK_EXTRA_PIDS="$STACK_EXTRA_PIDS $health_pid"

# ---- the streams end, the queued one is served, the pool recovers ------------------------
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
