#!/bin/bash
# SIGTERM drains: the master stops accepting, the requests in flight
# finish, then the master exits 0 and removes its socket and pidfile.
# With a drain timeout shorter than a request, the worker is killed and
# the master exits 1.
# shellcheck disable=SC2317  # helpers are called through ok and plc_poll
. "$(dirname "$0")/../lib/integration.sh"

STACK_WORKERS=3
STACK_DRAIN_TIMEOUT=20
stack_start

in_flight() {
    [ "$(fcgi_in_flight)" -ge "$1" ]
}

health_is() {
    http GET /health && [ "$HTTP_STATUS" = "$1" ]
}

# slow MS NAME: GET /api/debug/sleep?ms=MS in the background; the status
# goes to $STACK_DIR/NAME.status and the body to $STACK_DIR/NAME.body.
slow() {
    curl -s --max-time 60 -o "$STACK_DIR/$2.body" -w '%{http_code}' \
        "$(stack_url "/api/debug/sleep?ms=$1")" >"$STACK_DIR/$2.status" &
    STACK_EXTRA_PIDS="${STACK_EXTRA_PIDS:-} $!"
}

# ---- Drain with requests in flight ------------------------------------------
master=$(pool_pid)
slow 2000 a
slow 2000 b
slow 2000 c
ok "three slow requests are in flight" plc_poll 60 in_flight 3
t0=$(plc_now_us)
kill -TERM "$master"
ok "the master stops accepting: new requests get nginx's 502" plc_poll 30 health_is 502
is "$(json_get error.code)" bad_gateway "... as the JSON envelope"
ok "the master exits" stack_pool_wait_exit 30
elapsed_ms=$((($(plc_now_us) - t0) / 1000))
is "$STACK_POOL_STATUS" 0 "the master exits with status 0"
# shellcheck disable=SC2086
wait $STACK_EXTRA_PIDS || true
STACK_EXTRA_PIDS=
for r in a b c; do
    is "$(cat "$STACK_DIR/$r.status")" 200 "request $r in flight at SIGTERM completed with 200"
    like "$(cat "$STACK_DIR/$r.body")" '^\{"slept_ms":2000\}' "request $r got its whole answer"
done
ok "the master waited for them (${elapsed_ms} ms after SIGTERM)" test "$elapsed_ms" -ge 1000
ok "the socket file is removed" test ! -e "$STACK_SOCK"
ok "the pidfile is removed" test ! -e "$STACK_POOL_PIDFILE"
ok "no worker is left" test "$(worker_count "$master")" -eq 0
ok "the log says all workers drained" grep -q 'master exiting: all workers drained' "$STACK_POOL_LOG"
# Each worker writes its request's line (one write, src/util/log.h) as it
# ends the request, before it looks at SIGTERM again: no line is lost to
# the drain, and none is cut into by another process's line.
drained_lines() { grep -c '"msg":"request".*"path":"/api/debug/sleep".*"status":200' "$STACK_POOL_LOG" || true; }
is "$(drained_lines)" 3 "the log has the request line of each of the three drained requests"
ok "every line of the pool's log is one whole JSON object" python3 -c '
import json, sys
for n, line in enumerate(open(sys.argv[1]), 1):
    if not isinstance(json.loads(line), dict):
        sys.exit("line %d is not an object" % n)' "$STACK_POOL_LOG"

# ---- Drain timeout shorter than the request -----------------------------------
STACK_DRAIN_TIMEOUT=1
STACK_WORKERS=1
stack_pool_start
ok "the pool is back" stack_wait_health 200 15
master=$(pool_pid)
slow 5000 d
ok "a 5 s request is in flight" plc_poll 60 in_flight 1
t0=$(plc_now_us)
kill -TERM "$master"
ok "the master exits" stack_pool_wait_exit 15
elapsed_ms=$((($(plc_now_us) - t0) / 1000))
is "$STACK_POOL_STATUS" 1 "the master exits with status 1 (a worker had to be killed)"
ok "... after the 1 s drain timeout, not the 5 s request (${elapsed_ms} ms)" \
    test "$elapsed_ms" -ge 900 -a "$elapsed_ms" -lt 4500
ok "the log says the worker was killed" grep -q 'killing worker past the drain deadline' "$STACK_POOL_LOG"
# shellcheck disable=SC2086
wait $STACK_EXTRA_PIDS || true
STACK_EXTRA_PIDS=
is "$(cat "$STACK_DIR/d.status")" 502 "the cut-off request gets nginx's 502"
is "$(json_get error.code "$STACK_DIR/d.body")" bad_gateway "... as the JSON envelope"
ok "the socket file is removed" test ! -e "$STACK_SOCK"

done_testing
