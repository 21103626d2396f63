#!/bin/bash
# docker/entrypoint.sh - PID 1 of the API container (installed as
# /usr/local/bin/plccoach-entrypoint by docker/Dockerfile).
#
#   1. PLCCOACH_MIGRATE_ON_START=true: `plccoach migrate` first (its
#      advisory lock makes tasks starting together safe: one migrates, the
#      others wait and find nothing to do).  A failed migration stops the
#      container with its exit status.
#   2. Starts the plccoach-fcgi pool on a unix socket and waits for it.
#   3. Starts nginx with conf/nginx/fargate.conf (port 8000), rendered into
#      the run directory with this container's socket, port and temp paths.
#   4. SIGTERM or SIGINT (ECS stopping the task): SIGTERM to the pool, which
#      finishes the requests in flight within PLCCOACH_DRAIN_TIMEOUT (25 s,
#      below ECS's 30 s stop timeout), and SIGQUIT to nginx, which finishes
#      its connections; exits 0 when both exit cleanly.
#   5. If either dies on its own, the other is stopped and the entrypoint
#      exits non-zero, so ECS replaces the task.
#
# Everything logs to stdout/stderr (the awslogs driver): the pool's JSON
# lines, nginx's JSON access log, and this script's own JSON lines.
#
# Paths and programs can be overridden, so t/deploy/entrypoint.sh runs this
# very script on a host with a build tree's binaries:
#   PLCCOACH_FCGI_BIN (/usr/local/bin/plccoach-fcgi)
#   PLCCOACH_CLI_BIN (/usr/local/bin/plccoach)
#   PLCCOACH_NGINX_BIN (/usr/sbin/nginx)
#   PLCCOACH_NGINX_CONF_DIR (/etc/plccoach/nginx: the files of conf/nginx/)
#   PLCCOACH_RUN_DIR (/run/plccoach: the socket and the rendered config)
#   PLCCOACH_TMP_DIR (/tmp: nginx's pid and temp files)
#   PLCCOACH_HTTP_PORT (8000)
#   PLCCOACH_START_TIMEOUT (30 s for the pool's socket and nginx)
# shellcheck disable=SC2317  # on_signal runs from the traps
set -uo pipefail

FCGI_BIN=${PLCCOACH_FCGI_BIN:-/usr/local/bin/plccoach-fcgi}
CLI_BIN=${PLCCOACH_CLI_BIN:-/usr/local/bin/plccoach}
NGINX_BIN=${PLCCOACH_NGINX_BIN:-/usr/sbin/nginx}
CONF_DIR=${PLCCOACH_NGINX_CONF_DIR:-/etc/plccoach/nginx}
RUN_DIR=${PLCCOACH_RUN_DIR:-/run/plccoach}
TMP_DIR=${PLCCOACH_TMP_DIR:-/tmp}
HTTP_PORT=${PLCCOACH_HTTP_PORT:-8000}
START_TIMEOUT=${PLCCOACH_START_TIMEOUT:-30}
SOCKET=$RUN_DIR/fcgi.sock

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

die() {
    log error "$1"
    exit "${2:-1}"
}

alive() {
    [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null
}

for b in "$FCGI_BIN" "$NGINX_BIN"; do
    [ -x "$b" ] || die "not executable: $b"
done
[ -f "$CONF_DIR/fargate.conf" ] || die "no fargate.conf in $CONF_DIR"
mkdir -p "$RUN_DIR/nginx" "$TMP_DIR" || die "cannot create $RUN_DIR/nginx"

# ---- 1. Migrations ------------------------------------------------------------------
case "${PLCCOACH_MIGRATE_ON_START:-false}" in
true | 1 | yes)
    log info "running migrations"
    "$CLI_BIN" migrate
    rc=$?
    [ "$rc" -eq 0 ] || die "plccoach migrate failed" "$rc"
    ;;
false | 0 | no | '') ;;
*) die "PLCCOACH_MIGRATE_ON_START must be true or false" 2 ;;
esac

# ---- 2. The pool ----------------------------------------------------------------------
pool=
nginx=
stopping=0

on_signal() {
    [ "$stopping" -eq 1 ] && return
    stopping=1
    log info "stopping: draining the pool and nginx" "signal" "$1"
    alive "$pool" && kill -TERM "$pool" 2>/dev/null
    alive "$nginx" && kill -QUIT "$nginx" 2>/dev/null
}
trap 'on_signal TERM' TERM
trap 'on_signal INT' INT

rm -f "$SOCKET"
# The pool inherits stdout/stderr; --listen wins over PLCCOACH_LISTEN.
"$FCGI_BIN" --listen "unix:$SOCKET" &
pool=$!
log info "started plccoach-fcgi" "child_pid" "$pool"

deadline=$((SECONDS + START_TIMEOUT))
until [ -S "$SOCKET" ]; do
    alive "$pool" || {
        wait "$pool"
        die "plccoach-fcgi exited at start-up" "$(($? == 0 ? 1 : $?))"
    }
    [ "$stopping" -eq 1 ] && break
    [ "$SECONDS" -lt "$deadline" ] || {
        kill -TERM "$pool" 2>/dev/null
        die "plccoach-fcgi did not create $SOCKET in ${START_TIMEOUT}s"
    }
    sleep 0.1
done

# ---- 3. nginx ---------------------------------------------------------------------------
# fargate.conf with this container's socket, port and temp directory; the
# shared pieces are copied beside it (relative includes resolve against
# the main file's directory).
render_nginx() {
    local f
    for f in "$CONF_DIR"/*.conf; do
        [ "${f##*/}" = fargate.conf ] || cp "$f" "$RUN_DIR/nginx/" || return 1
    done
    sed -e "s|unix:/run/plccoach/fcgi.sock|unix:$SOCKET|" \
        -e "s|listen 8000 default_server|listen $HTTP_PORT default_server|" \
        -e "s| /tmp/| $TMP_DIR/|" \
        "$CONF_DIR/fargate.conf" >"$RUN_DIR/nginx/nginx.conf.tmp" &&
        mv "$RUN_DIR/nginx/nginx.conf.tmp" "$RUN_DIR/nginx/nginx.conf"
}

if [ "$stopping" -eq 0 ]; then
    render_nginx || {
        kill -TERM "$pool" 2>/dev/null
        wait "$pool"
        die "cannot write the nginx configuration to $RUN_DIR/nginx"
    }
    "$NGINX_BIN" -p "$RUN_DIR/nginx/" -c "$RUN_DIR/nginx/nginx.conf" -e /dev/stderr -g 'daemon off;' &
    nginx=$!
    log info "started nginx" "child_pid" "$nginx" "port" "$HTTP_PORT"
fi

# ---- 4 and 5. Supervise -------------------------------------------------------------------
# wait -n returns when a child exits, or early (status > 128) when a trapped
# signal arrives.
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

while [ -n "$pool" ] || [ -n "$nginx" ]; do
    done_pid=
    wait -n -p done_pid ${pool:+"$pool"} ${nginx:+"$nginx"}
    rc=$?
    if [ -z "${done_pid:-}" ]; then
        continue # a signal: the handler has already acted
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
        alive "$pool" && kill -TERM "$pool" 2>/dev/null
        alive "$nginx" && kill -QUIT "$nginx" 2>/dev/null
    fi
done

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
