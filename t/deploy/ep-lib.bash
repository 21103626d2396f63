# shellcheck shell=bash
# shellcheck disable=SC2034,SC2317  # variables for the tests; helpers run through ok/plc_poll
#
# t/deploy/ep-lib.bash - runs docker/entrypoint.sh on the host for the
# tests of t/deploy/ (sourced after t/lib/tap.sh and t/lib/stack.sh), with
# the build tree's plccoach-fcgi and plccoach, the system's nginx and
# conf/nginx/fargate.conf, against the test's PostgreSQL.
#
#   ep_start [KEY=VALUE...]   starts it in the background (EP_PID, EP_LOG,
#                             EP_PORT); KEY=VALUE add to or override its
#                             environment.  EP_LAUNCH (an array), when set,
#                             is the command that runs it (bubblewrap in
#                             t/deploy/readonly-root.sh).
#   ep_url PATH, ep_code PATH [CURL-ARGS]  the URL; the HTTP status of a GET
#   ep_body PATH [CURL-ARGS]               the body of a GET
#   ep_health_is STATUS [PATH]             GET PATH (/health) answers STATUS
#   ep_wait_exit SECONDS                   waits for it; sets EP_STATUS (a ps
#                                          snapshot and its log's end on a time-out)
#   ep_child NAME [PARENT]                 the pid of its child NAME
#   ep_descendant NAME                     the pid of NAME anywhere below it
#   tf_value ROOT ADDRESS                  a value of the Terraform
#                                          (tools/tf-check.mjs dump)

EP_DIR=$STACK_DIR/ep
mkdir -p "$EP_DIR"
chmod 0755 "$EP_DIR"
EP_PID=
EP_LOG=
EP_N=0
EP_RUN=$EP_DIR/run
EP_TMP=$EP_DIR/tmp

# ep_env: the container's environment, pointed at this test's files (one
# KEY=VALUE per element of EP_ENV).
ep_env() {
    EP_ENV=(PATH="$PATH" LANG=C.UTF-8 ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS"
        PLCCOACH_FCGI_BIN="$STACK_FCGI" PLCCOACH_CLI_BIN="$STACK_CLI" PLCCOACH_NGINX_BIN="$STACK_NGINX"
        PLCCOACH_NGINX_CONF_DIR="$PLC_SRCDIR/conf/nginx" PLCCOACH_RUN_DIR="$EP_RUN"
        PLCCOACH_TMP_DIR="$EP_TMP" PLCCOACH_HTTP_PORT="$EP_PORT"
        PLCCOACH_DATABASE_URL="$(stack_conninfo)" PLCCOACH_DEBUG_ROUTES=true
        PLCCOACH_WORKERS=2 PLCCOACH_JOB_WORKERS=0 PLCCOACH_DRAIN_TIMEOUT=10
        PLCCOACH_SOCKET_MODE=0666 PLCCOACH_CONTENT_DIR="$STACK_DIR/content"
        PLCCOACH_SCRATCH_DIR="$EP_TMP" PLCCOACH_SQL_DIR="$PLC_SRCDIR/sql")
}

ep_start() {
    EP_N=$((EP_N + 1))
    EP_LOG=$STACK_DIR/log/entrypoint-$EP_N.log
    EP_PORT=$(plc_free_port)
    rm -rf "$EP_RUN" "$EP_TMP"
    mkdir -p "$EP_RUN" "$EP_TMP"
    chmod 0755 "$EP_RUN"
    # The pool's worker user (nobody, when run as root) must reach the
    # temp files nginx writes.
    chmod 1777 "$EP_TMP"
    ep_env
    # EP_LOG_OWNER: the owner of its stdout and stderr.  A container
    # runtime (runc) hands the container's stdio to the image's user, so
    # that nginx, unprivileged, can open /dev/stdout for its access log.
    # Appended to (O_APPEND), as a container runtime's log pipe is: nginx
    # reopens /dev/stdout with its own offset, and a plain ">" would let
    # the entrypoint's later lines overwrite nginx's access-log lines.
    : >"$EP_LOG"
    if [ -n "${EP_LOG_OWNER:-}" ]; then
        chown "$EP_LOG_OWNER" "$EP_LOG"
    fi
    if [ -n "${EP_LAUNCH+x}" ] && [ ${#EP_LAUNCH[@]} -gt 0 ]; then
        env -i "${EP_ENV[@]}" "$@" "${EP_LAUNCH[@]}" >>"$EP_LOG" 2>&1 </dev/null &
    else
        env -i "${EP_ENV[@]}" "$@" bash "$PLC_SRCDIR/docker/entrypoint.sh" >>"$EP_LOG" 2>&1 </dev/null &
    fi
    EP_PID=$!
    STACK_EXTRA_PIDS="${STACK_EXTRA_PIDS:-} $EP_PID"
    _stack_pool_logs+=("$EP_LOG")
}

ep_url() {
    printf 'http://127.0.0.1:%s%s' "$EP_PORT" "$1"
}

ep_code() {
    local path=$1
    shift
    curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" "$(ep_url "$path")"
}

ep_body() {
    local path=$1
    shift
    curl -s --max-time 5 "$@" "$(ep_url "$path")"
}

ep_health_is() {
    [ "$(ep_code "${2:-/health}")" = "$1" ]
}

ep_gone() {
    ! plc_pid_alive "$EP_PID"
}

# ep_wait_exit SECONDS: waits for the entrypoint; sets EP_STATUS.  When it
# is still running after SECONDS, the processes below it and the end of
# its log go to the test's log (a CI failure is read from them).
ep_wait_exit() {
    EP_STATUS=
    if ! plc_poll "$1" ep_gone; then
        ep_snapshot "the entrypoint ($EP_PID) is still running after $1 s"
        return 1
    fi
    EP_STATUS=0
    wait "$EP_PID" || EP_STATUS=$?
}

# ep_snapshot WHY: diag lines: the entrypoint's process tree and state
# (wchan: where it waits), and the last lines of its log.
ep_snapshot() {
    diag "$1; its processes:"
    diag "$(ps -o pid,ppid,stat,wchan:20,etime,args -p "$EP_PID" --ppid "$EP_PID" 2>&1)"
    diag "$(tail -n 15 "$EP_LOG" 2>&1)"
}

# ep_child NAME [PARENT]: the pid of PARENT's (the entrypoint's) child
# whose command is NAME.
ep_child() {
    local pid
    for pid in $(worker_pids "${2:-$EP_PID}"); do
        if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$1" ]; then
            printf '%s\n' "$pid"
            return 0
        fi
    done
    return 1
}

# ep_descendant NAME: the first process named NAME below the entrypoint,
# breadth first (under bubblewrap the entrypoint is a grandchild).
ep_descendant() {
    local queue=("$EP_PID") pid c
    while [ ${#queue[@]} -gt 0 ]; do
        pid=${queue[0]}
        queue=("${queue[@]:1}")
        for c in $(worker_pids "$pid"); do
            if [ "$(cat "/proc/$c/comm" 2>/dev/null)" = "$1" ]; then
                printf '%s\n' "$c"
                return 0
            fi
            queue+=("$c")
        done
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

tf_value() {
    node "$PLC_SRCDIR/tools/tf-check.mjs" dump "$PLC_SRCDIR/terraform" "$1" "$2"
}

tf_available() {
    [ -d "$PLC_SRCDIR/tools/node_modules/@cdktf/hcl2json" ] && command -v node >/dev/null 2>&1
}
