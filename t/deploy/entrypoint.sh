#!/bin/bash
# The container's entrypoint (docker/entrypoint.sh), run on the host with
# the build tree's plccoach-fcgi and plccoach, the system's nginx and
# conf/nginx/fargate.conf, against a throwaway PostgreSQL (t/lib/stack.sh):
# migrations on start, /health through nginx, SIGTERM draining a request in
# flight and exiting 0, and a dying pool master or nginx making it exit
# non-zero (so ECS replaces the task).
# shellcheck disable=SC2317  # helpers are called through plc_poll
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
: "${PLC_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=t/lib/tap.sh
. "$PLC_SRCDIR/t/lib/tap.sh"
# shellcheck source=t/lib/stack.sh
. "$PLC_SRCDIR/t/lib/stack.sh"

stack_require_servers
stack_init
stack_pg_start
# The database exists but has no tables: the entrypoint migrates.
stack_createdb "$STACK_DB" >/dev/null

EP_DIR=$STACK_DIR/ep
mkdir -p "$EP_DIR"
chmod 0755 "$EP_DIR"
EP_PID=
EP_LOG=
EP_N=0

# ep_start [KEY=VALUE...]: runs the entrypoint in the background with the
# container's environment pointed at this test's files.
ep_start() {
    EP_N=$((EP_N + 1))
    EP_LOG=$STACK_DIR/log/entrypoint-$EP_N.log
    EP_PORT=$(plc_free_port)
    rm -rf "$EP_DIR/run" "$EP_DIR/tmp"
    mkdir -p "$EP_DIR/run" "$EP_DIR/tmp"
    chmod 0755 "$EP_DIR/run"
    # The pool's worker user (nobody, when run as root) must reach the
    # temp files nginx writes.
    chmod 1777 "$EP_DIR/tmp"
    env -i PATH="$PATH" LANG=C.UTF-8 ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS" \
        PLCCOACH_FCGI_BIN="$STACK_FCGI" PLCCOACH_CLI_BIN="$STACK_CLI" PLCCOACH_NGINX_BIN="$STACK_NGINX" \
        PLCCOACH_NGINX_CONF_DIR="$PLC_SRCDIR/conf/nginx" PLCCOACH_RUN_DIR="$EP_DIR/run" \
        PLCCOACH_TMP_DIR="$EP_DIR/tmp" PLCCOACH_HTTP_PORT="$EP_PORT" \
        PLCCOACH_DATABASE_URL="$(stack_conninfo)" PLCCOACH_DEBUG_ROUTES=true \
        PLCCOACH_WORKERS=2 PLCCOACH_JOB_WORKERS=0 PLCCOACH_DRAIN_TIMEOUT=10 \
        PLCCOACH_SOCKET_MODE=0666 PLCCOACH_CONTENT_DIR="$STACK_DIR/content" \
        PLCCOACH_SQL_DIR="$PLC_SRCDIR/sql" "$@" \
        bash "$PLC_SRCDIR/docker/entrypoint.sh" >"$EP_LOG" 2>&1 </dev/null &
    EP_PID=$!
    STACK_EXTRA_PIDS="${STACK_EXTRA_PIDS:-} $EP_PID"
    _stack_pool_logs+=("$EP_LOG")
}

ep_url() {
    printf 'http://127.0.0.1:%s%s' "$EP_PORT" "$1"
}

ep_health_is() {
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$(ep_url /health)")" = "$1" ]
}

ep_gone() {
    ! plc_pid_alive "$EP_PID"
}

# ep_wait_exit SECONDS: waits for the entrypoint; sets EP_STATUS.
ep_wait_exit() {
    EP_STATUS=
    plc_poll "$1" ep_gone || return 1
    EP_STATUS=0
    wait "$EP_PID" || EP_STATUS=$?
}

# ep_child NAME: the pid of the entrypoint's child whose command is NAME.
ep_child() {
    local pid
    for pid in $(worker_pids "$EP_PID"); do
        if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$1" ]; then
            printf '%s\n' "$pid"
            return 0
        fi
    done
    return 1
}

# ep_stop_hard: clean-up for a failed test.
ep_stop_hard() {
    if [ -n "$EP_PID" ] && plc_pid_alive "$EP_PID"; then
        kill -TERM "$EP_PID" 2>/dev/null || true
        ep_wait_exit 20 || kill -KILL "$EP_PID" 2>/dev/null || true
    fi
    return 0
}
tap_cleanup ep_stop_hard

in_flight() {
    [ "$(fcgi_in_flight "$EP_DIR/run/fcgi.sock")" -ge 1 ]
}

# ---- Start with migrations, /health ----------------------------------------------
ep_start PLCCOACH_MIGRATE_ON_START=true
ok "GET /health answers 200 through nginx on the entrypoint's port" plc_poll 30 ep_health_is 200
like "$(stack_psql -- -c 'SELECT count(*) FROM schema_migrations')" '^[1-9]' \
    "PLCCOACH_MIGRATE_ON_START=true applied the migrations"
ok "it logged the migration as JSON" grep -q '"role":"entrypoint".*"msg":"running migrations"' "$EP_LOG"
ok "nginx writes its JSON access log to stdout" plc_poll 5 grep -q '"uri":"/health"' "$EP_LOG"
pool=$(ep_child plccoach-fcgi || true)
nginx=$(ep_child nginx || true)
ok "the pool master is a child of the entrypoint" test -n "$pool"
ok "nginx is a child of the entrypoint" test -n "$nginx"

# ---- SIGTERM drains a request in flight and exits 0 ----------------------------------------
curl -s --max-time 30 -o "$STACK_DIR/slow.body" -w '%{http_code}' \
    "$(ep_url '/api/debug/sleep?ms=2000')" >"$STACK_DIR/slow.status" &
slow=$!
ok "a 2 s request is in flight" plc_poll 10 in_flight
kill -TERM "$EP_PID"
ok "the entrypoint exits after SIGTERM" ep_wait_exit 25
is "$EP_STATUS" 0 "... with status 0"
wait "$slow" || true
is "$(cat "$STACK_DIR/slow.status")" 200 "the request in flight at SIGTERM completed with 200"
like "$(cat "$STACK_DIR/slow.body")" '^\{"slept_ms":2000\}' "... with its whole answer"
ok "the pool master is gone" plc_poll 5 test ! -d "/proc/$pool"
ok "nginx is gone" plc_poll 5 test ! -d "/proc/$nginx"
ok "the pool drained" grep -q 'master exiting: all workers drained' "$EP_LOG"
ok "the entrypoint said it stopped cleanly" grep -q '"msg":"stopped cleanly"' "$EP_LOG"

# ---- The pool master dies: the entrypoint stops nginx and exits non-zero -----------------
ep_start
ok "started again (no migrations)" plc_poll 30 ep_health_is 200
unlike "$(cat "$EP_LOG")" 'running migrations' "PLCCOACH_MIGRATE_ON_START unset: no migration"
pool=$(ep_child plccoach-fcgi)
nginx=$(ep_child nginx)
kill -KILL "$pool"
ok "kill -9 of the pool master: the entrypoint exits" ep_wait_exit 15
isnt "$EP_STATUS" 0 "... non-zero ($EP_STATUS), so ECS replaces the task"
ok "... and nginx was stopped" plc_poll 5 test ! -d "/proc/$nginx"
ok "it logged why" grep -q '"msg":"plccoach-fcgi exited; stopping nginx"' "$EP_LOG"

# ---- nginx dies: the entrypoint stops the pool and exits non-zero ---------------------------
ep_start
ok "started again" plc_poll 30 ep_health_is 200
pool=$(ep_child plccoach-fcgi)
nginx=$(ep_child nginx)
nginx_workers=$(worker_pids "$nginx")
kill -KILL "$nginx"
ok "kill -9 of nginx: the entrypoint exits" ep_wait_exit 20
isnt "$EP_STATUS" 0 "... non-zero ($EP_STATUS)"
ok "... and the pool was stopped" plc_poll 5 test ! -d "/proc/$pool"
ok "it logged why" grep -q '"msg":"nginx exited; stopping plccoach-fcgi"' "$EP_LOG"
# nginx's workers outlive a SIGKILLed master (in a container they end with
# it): stop the ones this test started.
for w in $nginx_workers; do
    kill -TERM "$w" 2>/dev/null || true
done

# ---- A failed migration stops the container before anything starts ---------------------------
ep_start PLCCOACH_MIGRATE_ON_START=true PLCCOACH_DATABASE_URL="$(stack_conninfo no_such_db)"
ok "a failed migration: the entrypoint exits" ep_wait_exit 20
isnt "$EP_STATUS" 0 "... non-zero ($EP_STATUS)"
ok "... without starting the pool" bash -c "! grep -q 'started plccoach-fcgi' '$EP_LOG'"
ok "... saying so" grep -q '"msg":"plccoach migrate failed"' "$EP_LOG"

# ---- A bad setting is refused ------------------------------------------------------------------
ep_start PLCCOACH_MIGRATE_ON_START=maybe
ok "PLCCOACH_MIGRATE_ON_START=maybe: the entrypoint exits" ep_wait_exit 10
is "$EP_STATUS" 2 "... with status 2"

EP_PID=
done_testing
