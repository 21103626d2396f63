#!/bin/bash
# The same binary started by spawn-fcgi: it serves on the socket it
# inherits on fd 0 (no --listen), behind nginx, and drains on SIGTERM.
# shellcheck disable=SC2317  # helpers are called through ok and plc_poll
. "$(dirname "$0")/../lib/integration.sh"

stack_require_servers spawn-fcgi
stack_init
stack_pg_start
stack_migrate

sock=$STACK_DIR/run/spawn.sock
pidfile=$STACK_DIR/run/spawn.pid
log=$STACK_DIR/log/spawn-fcgi-app.log
STACK_SOCK=$sock
_stack_pool_logs+=("$log")

as_user=()
if plc_is_root && [ -n "$STACK_POOL_USER" ]; then
    as_user=(-u "$STACK_POOL_USER" -g "$STACK_GROUP")
fi
touch "$log"
[ -n "$STACK_USER" ] && chown "$STACK_USER" "$log"

# spawn-fcgi points the child's stderr at /dev/null, so a shell in between
# sends it to a log file, then execs the server (same pid, which is what
# -P records).
rc=0
# shellcheck disable=SC2016  # expanded by the inner sh
env -i PATH="$PATH" LANG=C.UTF-8 ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS" \
    PLCCOACH_DATABASE_URL="$(stack_conninfo)" PLCCOACH_LOG="$log" PLCCOACH_JOB_WORKERS=0 \
    spawn-fcgi -s "$sock" -M 0660 -P "$pidfile" "${as_user[@]}" -- \
    /bin/sh -c 'exec "$@" 2>>"$PLCCOACH_LOG"' sh "$STACK_FCGI" --workers 2 \
    >"$STACK_DIR/log/spawn-fcgi.log" 2>&1 || rc=$?
is "$rc" 0 "spawn-fcgi started the server"
like "$(cat "$STACK_DIR/log/spawn-fcgi.log")" 'child spawned successfully' "spawn-fcgi reports success"

pidfile_ready() { [ -s "$pidfile" ]; }
ok "spawn-fcgi wrote the pidfile" plc_poll 60 pidfile_ready
pid=$(cat "$pidfile")
STACK_EXTRA_PIDS=$pid
ok "the process in the pidfile is alive" plc_pid_alive "$pid"
like "$(tr '\0' ' ' <"/proc/$pid/cmdline")" 'plccoach-fcgi --workers 2' "... and it is plccoach-fcgi"
ok "the socket exists" test -S "$sock"
is "$(stat -c %a "$sock")" 660 "the socket has mode 0660 (-M)"
if [ ${#as_user[@]} -gt 0 ]; then
    is "$(stat -c %U "/proc/$pid")" "$STACK_POOL_USER" "the server runs as $STACK_POOL_USER (-u)"
else
    skip "not root, or the unprivileged user cannot run the build tree" 1
fi
two_workers() { [ "$(worker_count "$pid")" -eq 2 ]; }
ok "it preforks 2 workers" plc_poll 60 two_workers
if ! two_workers; then
    workers_diag "$pid"
    diag "$(tail -n 20 "$log")"
fi

stack_nginx_start
ok "GET /health through nginx answers 200" stack_wait_health 200 15
is "$(json_get db)" ok "... and the database is reachable"
id=$(http_header X-Request-Id)
logged() { grep -q "\"request_id\":\"$id\"" "$log"; }
ok "the worker logged the request with nginx's request id" plc_poll 60 logged
http DELETE /health
is "$HTTP_STATUS" 405 "the router works as with --listen (DELETE /health: 405)"

kill -TERM "$pid"
gone() { ! plc_pid_alive "$pid"; }
ok "SIGTERM: the server exits" plc_poll 60 gone
STACK_EXTRA_PIDS=
ok "it drained cleanly" grep -q 'master exiting: all workers drained' "$log"
ok "no worker is left" test "$(worker_count "$pid")" -eq 0
http GET /health
is "$HTTP_STATUS" 502 "nginx answers 502 once it is gone"

done_testing
