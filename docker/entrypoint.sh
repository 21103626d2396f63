#!/bin/bash
# docker/entrypoint.sh - PID 1 of the API container (installed as
# /usr/local/bin/plccoach-entrypoint by docker/Dockerfile).
#
#   0. The migration role's credentials (PLCCOACH_MIGRATE_PGUSER and
#      PLCCOACH_MIGRATE_PGPASSWORD, from Secrets Manager) are handed to the
#      migration through a pipe, and the script runs itself again without
#      them: neither nginx nor the pool, nor this process's environment,
#      ever holds them.
#   1. nginx: conf/nginx/fargate.conf rendered into the run directory with
#      this container's paths and port, the load balancer's subnets
#      (PLCCOACH_ALB_CIDRS) and CloudFront's origin secret
#      (PLCCOACH_ORIGIN_SECRET), and the pool's bound: max_conns =
#      PLCCOACH_WORKERS (4) + PLCCOACH_QUEUE (4) requests with the pool at
#      once, one more is answered 503 server_busy.  From here on the
#      container's health check, GET /health/live, answers.
#   2. Start-up: with PLCCOACH_MIGRATE_ON_START=true, `plccoach migrate
#      --wait PLCCOACH_DB_START_WAIT` (300 s): it waits for the database
#      when it is unreachable (a Multi-AZ failover, a task started during
#      an outage) instead of failing, then migrates as the migration role
#      (the advisory lock makes tasks starting together safe).  A database
#      that stays away, refused credentials or a failed migration stop the
#      container with the migration's status.
#   3. The plccoach-fcgi pool on a unix socket; when it is up, the markers
#      RUN_DIR/started (GET /health/live now asks a worker) and
#      RUN_DIR/ready (GET /health/ready, the load balancer's check, turns
#      from 503 to 200).
#   4. SIGTERM or SIGINT (ECS stopping the task): the marker goes first
#      (readiness 503), then SIGTERM to the pool, which finishes the
#      requests in flight within PLCCOACH_DRAIN_TIMEOUT (25 s, below ECS's
#      30 s stop timeout), and SIGQUIT to nginx, which finishes its
#      connections; exits 0 when both exit cleanly.
#   5. If either dies on its own, the other is stopped and the entrypoint
#      exits non-zero, so ECS replaces the task.
#
# A database outage after start-up changes none of this: the pool's
# workers reconnect by themselves and neither health check asks the
# database (docs/operations.md, "Health").
#
# Everything logs to stdout/stderr (the awslogs driver): the pool's JSON
# lines, nginx's JSON access log, and this script's own JSON lines.
#
# Paths and programs can be overridden, so the tests in t/deploy/ run this
# very script on a host with a build tree's binaries:
#   PLCCOACH_FCGI_BIN (/usr/local/bin/plccoach-fcgi)
#   PLCCOACH_CLI_BIN (/usr/local/bin/plccoach)
#   PLCCOACH_NGINX_BIN (/usr/sbin/nginx)
#   PLCCOACH_NGINX_CONF_DIR (/etc/plccoach/nginx: the files of conf/nginx/)
#   PLCCOACH_RUN_DIR (/run/plccoach: the socket, the rendered config, the
#     readiness marker; a volume)
#   PLCCOACH_TMP_DIR (/tmp: nginx's pid and temp files; a volume)
#   PLCCOACH_HTTP_PORT (8000)
#   PLCCOACH_START_TIMEOUT (30 s for the pool's socket)
# shellcheck disable=SC2317  # on_signal runs from the traps
set -uo pipefail

# ---- 0. The migration role's credentials ---------------------------------------------------
# Written into a pipe by a short-lived child of this process image, then
# this script starts again with a clean environment and the pipe on fd 3,
# which only the migration reads.
if [ -n "${PLCCOACH_MIGRATE_PGUSER:-}${PLCCOACH_MIGRATE_PGPASSWORD:-}" ]; then
    exec 3< <(printf '%s\n%s\n' "${PLCCOACH_MIGRATE_PGUSER:-}" "${PLCCOACH_MIGRATE_PGPASSWORD:-}")
    exec env -u PLCCOACH_MIGRATE_PGUSER -u PLCCOACH_MIGRATE_PGPASSWORD \
        PLCCOACH_ENTRYPOINT_CREDS_FD=3 "$BASH" "$0" "$@"
fi
creds_fd=${PLCCOACH_ENTRYPOINT_CREDS_FD:-}
unset PLCCOACH_ENTRYPOINT_CREDS_FD

FCGI_BIN=${PLCCOACH_FCGI_BIN:-/usr/local/bin/plccoach-fcgi}
CLI_BIN=${PLCCOACH_CLI_BIN:-/usr/local/bin/plccoach}
NGINX_BIN=${PLCCOACH_NGINX_BIN:-/usr/sbin/nginx}
CONF_DIR=${PLCCOACH_NGINX_CONF_DIR:-/etc/plccoach/nginx}
RUN_DIR=${PLCCOACH_RUN_DIR:-/run/plccoach}
TMP_DIR=${PLCCOACH_TMP_DIR:-/tmp}
HTTP_PORT=${PLCCOACH_HTTP_PORT:-8000}
START_TIMEOUT=${PLCCOACH_START_TIMEOUT:-30}
DB_START_WAIT=${PLCCOACH_DB_START_WAIT:-300}
ALB_CIDRS=${PLCCOACH_ALB_CIDRS:-}
ORIGIN_SECRET=${PLCCOACH_ORIGIN_SECRET:-}
# The pool's own default (src/util/cfg.c) when unset.
WORKERS=${PLCCOACH_WORKERS:-4}
QUEUE=${PLCCOACH_QUEUE:-4}
SOCKET=$RUN_DIR/fcgi.sock
STARTED=$RUN_DIR/started
READY=$RUN_DIR/ready
# The secret stays in this script (and the rendered file, mode 0600): the
# pool does not need it.
unset PLCCOACH_ORIGIN_SECRET

# log LEVEL MESSAGE [KEY VALUE]...: one JSON line on stderr, in the shape
# of the pool's own lines (src/util/log.h).  Values are plain words or
# numbers here, but quotes and backslashes are escaped all the same.
log() {
    local level=$1 msg=$2 extra='' k v
    shift 2
    while [ $# -ge 2 ]; do
        k=$1 v=${2//\\/\\\\}
        v=${v//\"/\\\"}
        extra+=",\"$k\":\"$v\""
        shift 2
    done
    printf '{"ts":"%s","level":"%s","role":"entrypoint","pid":%d,"msg":"%s"%s}\n' \
        "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" "$level" "$$" "$msg" "$extra" >&2
}

pool=
nginx=
migrate=
stopping=0

# stop_children: the pool drains (SIGTERM), nginx finishes its connections
# (SIGQUIT), a migration waiting for the database gives up (SIGTERM).
stop_children() {
    rm -f "$READY"
    alive "$migrate" && kill -TERM "$migrate" 2>/dev/null
    alive "$pool" && kill -TERM "$pool" 2>/dev/null
    alive "$nginx" && kill -QUIT "$nginx" 2>/dev/null
}

die() {
    log error "$1"
    stop_children
    [ -n "$nginx" ] && wait "$nginx" 2>/dev/null
    [ -n "$pool" ] && wait "$pool" 2>/dev/null
    exit "${2:-1}"
}

alive() {
    [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null
}

for b in "$FCGI_BIN" "$NGINX_BIN"; do
    [ -x "$b" ] || die "not executable: $b"
done
[ -f "$CONF_DIR/fargate.conf" ] || die "no fargate.conf in $CONF_DIR"
[ "$DB_START_WAIT" -ge 0 ] 2>/dev/null || die "PLCCOACH_DB_START_WAIT must be a number of seconds" 2
case "${PLCCOACH_MIGRATE_ON_START:-false}" in
true | 1 | yes) migrate_on_start=1 ;;
false | 0 | no | '') migrate_on_start=0 ;;
*) die "PLCCOACH_MIGRATE_ON_START must be true or false" 2 ;;
esac
# What goes into nginx's configuration must be what it looks like.
[[ $WORKERS =~ ^[1-9][0-9]{0,2}$ ]] || die "PLCCOACH_WORKERS must be a number of workers" 2
[[ $QUEUE =~ ^[0-9]{1,4}$ ]] || die "PLCCOACH_QUEUE must be a number of requests" 2
for c in $ALB_CIDRS; do
    [[ $c =~ ^[0-9a-fA-F:.]+/[0-9]{1,3}$ ]] || die "PLCCOACH_ALB_CIDRS: not an address range: $c" 2
done
for s in $ORIGIN_SECRET; do
    [[ $s =~ ^[A-Za-z0-9_-]{16,}$ ]] ||
        die "PLCCOACH_ORIGIN_SECRET: each secret is 16 or more letters, digits, - or _" 2
done
if [ -n "$ALB_CIDRS" ] && [ -z "$ORIGIN_SECRET" ]; then
    die "PLCCOACH_ALB_CIDRS needs PLCCOACH_ORIGIN_SECRET: behind the load balancer only CloudFront's requests are served" 2
fi
# The run directory and the temp directory are the container's volumes:
# with a read-only root filesystem nothing else is writable.
if ! mkdir -p "$RUN_DIR/nginx" 2>/dev/null || ! [ -w "$RUN_DIR/nginx" ]; then
    die "cannot write $RUN_DIR (owner $(stat -c %U:%G "$RUN_DIR" 2>/dev/null || echo none), this process $(id -un)): it must be a volume this user can write (docker/Dockerfile VOLUME)"
fi
[ -w "$TMP_DIR" ] || die "cannot write $TMP_DIR: it must be a volume this user can write (docker/Dockerfile VOLUME)"

on_signal() {
    [ "$stopping" -eq 1 ] && return
    stopping=1
    log info "stopping: draining the pool and nginx" "signal" "$1"
    stop_children
}
trap 'on_signal TERM' TERM
trap 'on_signal INT' INT

# ---- 1. nginx ---------------------------------------------------------------------------------
# fargate.conf with this container's socket, run directory, port and temp
# directory, the load balancer's address ranges and the origin secret(s);
# the shared pieces are copied beside it (relative includes resolve
# against the main file's directory).  Mode 0600: it holds the secret.
render_nginx() {
    local f
    for f in "$CONF_DIR"/*.conf; do
        [ "${f##*/}" = fargate.conf ] || cp "$f" "$RUN_DIR/nginx/" || return 1
    done
    (
        umask 077
        awk -v run="$RUN_DIR" -v port="$HTTP_PORT" -v tmp="$TMP_DIR" \
            -v cidrs="$ALB_CIDRS" -v secrets="$ORIGIN_SECRET" -v max_conns="$((WORKERS + QUEUE))" '
            function each(list, fmt, n, a, i) {
                n = split(list, a, " ")
                for (i = 1; i <= n; i++) printf fmt, a[i]
            }
            /# @ALB_REAL_IP@$/ { each(cidrs, "    set_real_ip_from %s;\n"); next }
            /# @ALB_GEO@$/ { each(cidrs, "        %s 1;\n"); next }
            /# @ORIGIN_SECRET@$/ { each(secrets, "        \"%s\" 1;\n"); next }
            {
                gsub(/ \/tmp\//, " " tmp "/")
                gsub(/\/run\/plccoach\//, run "/")
                sub(/listen 8000 default_server/, "listen " port " default_server")
                sub(/ max_conns=[0-9]+;/, " max_conns=" max_conns ";")
                print
            }' "$CONF_DIR/fargate.conf" >"$RUN_DIR/nginx/nginx.conf.tmp"
    ) && mv "$RUN_DIR/nginx/nginx.conf.tmp" "$RUN_DIR/nginx/nginx.conf"
}

rm -f "$SOCKET" "$STARTED" "$READY"
render_nginx || die "cannot write the nginx configuration to $RUN_DIR/nginx"
"$NGINX_BIN" -p "$RUN_DIR/nginx/" -c "$RUN_DIR/nginx/nginx.conf" -e stderr -g 'daemon off;' &
nginx=$!
log info "started nginx" "child_pid" "$nginx" "port" "$HTTP_PORT" \
    "trusted_proxies" "${ALB_CIDRS:-none}"

# ---- 2. Start-up: wait for the database, migrate -------------------------------------------------
# wait_for PID: waits for the child, through the signals that interrupt
# `wait` (the trap has acted on them); sets rc to its status.
wait_for() {
    while :; do
        wait "$1"
        rc=$?
        if [ "$rc" -gt 128 ] && alive "$1"; then
            continue
        fi
        return 0
    done
}

if [ "$migrate_on_start" -eq 1 ] && [ "$stopping" -eq 0 ]; then
    log info "waiting for the database and running migrations" "wait_seconds" "$DB_START_WAIT"
    if [ -n "$creds_fd" ]; then
        # The credentials go from the pipe to the migration's environment
        # only; this shell never reads them.
        # shellcheck disable=SC2016  # expanded by the child shell
        sh -c 'IFS= read -r u; IFS= read -r p
               PLCCOACH_MIGRATE_PGUSER=$u PLCCOACH_MIGRATE_PGPASSWORD=$p exec "$0" migrate --wait "$1"' \
            "$CLI_BIN" "$DB_START_WAIT" <&"$creds_fd" &
    else
        "$CLI_BIN" migrate --wait "$DB_START_WAIT" </dev/null &
    fi
    migrate=$!
    [ -n "$creds_fd" ] && eval "exec $creds_fd<&-"
    wait_for "$migrate"
    migrate=
    if [ "$stopping" -eq 1 ]; then
        wait_for "$nginx"
        log info "stopped during start-up"
        exit 0
    fi
    [ "$rc" -eq 0 ] || die "plccoach migrate failed" "$rc"
elif [ -n "$creds_fd" ]; then
    eval "exec $creds_fd<&-"
fi

# ---- 3. The pool ----------------------------------------------------------------------------------
if [ "$stopping" -eq 0 ]; then
    # The pool inherits stdout/stderr; --listen wins over PLCCOACH_LISTEN.
    "$FCGI_BIN" --listen "unix:$SOCKET" &
    pool=$!
    log info "started plccoach-fcgi" "child_pid" "$pool"
fi

deadline=$((SECONDS + START_TIMEOUT))
while [ "$stopping" -eq 0 ] && ! [ -S "$SOCKET" ]; do
    alive "$pool" || {
        wait "$pool"
        rc=$?
        pool=
        die "plccoach-fcgi exited at start-up" "$((rc == 0 ? 1 : rc))"
    }
    alive "$nginx" || die "nginx exited at start-up"
    [ "$SECONDS" -lt "$deadline" ] || die "plccoach-fcgi did not create $SOCKET in ${START_TIMEOUT}s"
    sleep 0.1
done
if [ "$stopping" -eq 0 ]; then
    { : >"$STARTED" && : >"$READY"; } || die "cannot write $READY"
    log info "ready: serving" "socket" "$SOCKET"
fi

# ---- 4 and 5. Supervise -------------------------------------------------------------------------------
# `wait -n` returns when a child exits, or early (status > 128) when a
# trapped signal arrives.  It cannot be the only way a death is seen: bash
# (5.2, Debian 12's) drops a background child that a signal killed (kill
# -9, a crash, a SIGTERM it does not handle) from the jobs `wait -n` looks
# at as soon as it has reaped it outside `wait -n` -- during the start-up
# loop's sleep, a log line's $(date), the handling of the other child's
# exit or of a signal.  `wait -n` then says "no such job" and waits for
# the other child alone: for ever (a pool killed just before the loop
# left the task up until its health check failed three times), or, with
# both children dropped, it returns at once and the loop spins.  So each
# round asks the kernel first (kill -0) and collects a child that is gone
# with `wait PID`, which still knows its status; and `wait -n` also waits
# for a tick (sleep TICK), so that a child dying in the instant between
# that check and `wait -n` is found at the next round, TICK seconds later
# at most (docker/README.md, "Supervision").
TICK=5
tick=
pool_status=
nginx_status=
record() {
    if [ "$1" = "$pool" ]; then
        pool_status=$2
        pool=
    elif [ "$1" = "$nginx" ]; then
        nginx_status=$2
        nginx=
    fi
}

# next_exit: sets done_pid and rc to the pool or nginx that has exited and
# its status, or done_pid to nothing after a trapped signal or a tick.
next_exit() {
    local p
    done_pid=
    # The tick is started before the check: starting a child is a point
    # where bash may drop a dead one.
    alive "$tick" || {
        sleep "$TICK" &
        tick=$!
    }
    for p in $pool $nginx; do
        if ! alive "$p"; then
            wait_for "$p"
            done_pid=$p
            return 0
        fi
    done
    wait -n -p done_pid ${pool:+"$pool"} ${nginx:+"$nginx"} "$tick" 2>/dev/null
    rc=$?
    if [ "${done_pid:-}" = "$tick" ]; then
        done_pid=
        tick=
    fi
    return 0
}

while [ -n "$pool" ] || [ -n "$nginx" ]; do
    next_exit
    if [ -z "${done_pid:-}" ]; then
        continue # a signal (the handler has already acted) or a tick
    fi
    record "$done_pid" "$rc"
    if [ "$stopping" -eq 0 ]; then
        # One died on its own: stop the other and report failure.
        if [ -z "$pool" ]; then
            log error "plccoach-fcgi exited; stopping nginx" "status" "$rc"
        else
            log error "nginx exited; stopping plccoach-fcgi" "status" "$rc"
        fi
        stopping=2
        stop_children
    fi
done
alive "$tick" && kill "$tick" 2>/dev/null

if [ "$stopping" -eq 2 ]; then
    log error "a server died: exiting so that the task is replaced"
    exit 1
fi
if [ "${pool_status:-0}" -eq 0 ] && [ "${nginx_status:-0}" -eq 0 ]; then
    log info "stopped cleanly"
    exit 0
fi
log warn "stopped" "pool_status" "${pool_status:-none}" "nginx_status" "${nginx_status:-none}"
exit 1
