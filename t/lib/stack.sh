# shellcheck shell=bash
# Variables here are for the tests that source this file, functions take
# optional arguments, and _tap_failed comes from tap.sh:
# shellcheck disable=SC2034,SC2119,SC2120,SC2154
#
# t/lib/stack.sh - starts the real stack for an integration test: a
# throwaway PostgreSQL cluster, the plccoach-fcgi pool and nginx rendered
# from conf/nginx/local.conf.in, each on a free port or a socket in a
# private temporary directory, so tests can run in parallel.  Everything is
# stopped and removed by a clean-up registered with t/lib/tap.sh, also
# when the test fails or is interrupted.
#
#     . "$PLC_SRCDIR/t/lib/tap.sh"
#     . "$PLC_SRCDIR/t/lib/stack.sh"
#     stack_pool_env PLCCOACH_MAX_BODY_BYTES=4096     # optional
#     stack_start                                      # pg + migrate + pool + nginx
#     http GET /health; is "$HTTP_STATUS" 200 "..."
#     done_testing
#
# Knobs (set before stack_start / stack_pool_start): STACK_WORKERS (2),
# STACK_MAX_REQUESTS (0), STACK_DRAIN_TIMEOUT (10), STACK_SOCK (the pool's
# socket, which nginx uses too), STACK_QUEUE (requests nginx lets wait for
# a worker beyond STACK_WORKERS before answering 503 server_busy: 1024,
# the socket's backlog, so tests that pile requests on two workers queue
# as before; t/integration/busy.sh sets a small one), STACK_NGINX_WORKERS (1), STACK_DEADLINE
# (30 s for anything to become ready).  STACK_EXTRA_PIDS: processes the
# test started (background curls) for the clean-up to kill.  STACK_KEEP=1
# keeps the directory, STACK_KEEP_LOGS=1 prints the logs even on success.
#
# Building blocks for tests that need only part of the stack:
#   stack_require_servers [spawn-fcgi]  skip_all when a server is absent
#   stack_init, stack_pg_start, stack_migrate, stack_pool_start [ARGS],
#   stack_nginx_start, stack_wait_health STATUS [SECONDS]
#   stack_pool_stop, stack_pool_wait_exit [SECONDS] (sets STACK_POOL_STATUS)
#   pg_stop, pg_start (the same port)
# Looking at it:
#   stack_url PATH; http METHOD PATH [CURL-ARGS] (HTTP_STATUS, HTTP_BODY,
#   HTTP_SIZE, $HTTP_HEADERS_FILE, $HTTP_BODY_FILE); http_header NAME;
#   json_get a.b [FILE]; is_json [FILE]; error_envelope_ok STATUS CODE WHAT
#   pool_pid, worker_pids, worker_count, fcgi_in_flight
#   stack_psql [DB] -- PSQL-ARGS; stack_createdb DB; stack_conninfo [DB];
#   stack_cli ARGS (the built plccoach on the stack's database)
#
# Run as root, PostgreSQL runs as the unprivileged user plccoach (created
# by scripts/check; `nobody` when it does not exist), so do nginx's
# workers, and so does the pool when that user can run the build tree's
# binaries.

: "${PLC_SRCDIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${PLC_BUILDDIR:=$PLC_SRCDIR}"
export PLC_SRCDIR PLC_BUILDDIR

# shellcheck source=scripts/lib.sh
. "$PLC_SRCDIR/scripts/lib.sh"

: "${STACK_WORKERS:=2}"
: "${STACK_MAX_REQUESTS:=0}"
: "${STACK_DRAIN_TIMEOUT:=10}"
: "${STACK_QUEUE:=1024}"
# Job processes (ingestion) beside the workers: none unless a test asks, so
# that worker_pids lists only workers.
: "${STACK_JOB_WORKERS:=0}"
: "${STACK_DEADLINE:=30}"

STACK_FCGI=$PLC_BUILDDIR/plccoach-fcgi
STACK_CLI=$PLC_BUILDDIR/plccoach
STACK_DIR=
STACK_USER=
STACK_GROUP=
STACK_POOL_USER=
STACK_PG_PORT=
STACK_NGINX_PORT=
STACK_POOL_PID=
STACK_NGINX_PID=
STACK_DB=plccoach
_stack_pool_env=()
_stack_pool_logs=()

# Sanitizer settings for every instrumented process we start: keep
# reports on stderr (the log files we grep), and make UBSan print stacks.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

# stack_require_servers [spawn-fcgi]: skip_all when a server binary this
# test needs is genuinely absent; bail when the build tree is incomplete.
stack_require_servers() {
    local b
    for b in initdb pg_ctl postgres pg_isready psql; do
        [ -x "$PLC_PGBIN/$b" ] || skip_all "PostgreSQL 15 is not installed ($PLC_PGBIN/$b is missing)"
    done
    STACK_NGINX=$(plc_nginx_bin) || skip_all "nginx is not installed"
    if [ "${1:-}" = spawn-fcgi ]; then
        command -v spawn-fcgi >/dev/null 2>&1 || skip_all "spawn-fcgi is not installed"
    fi
    command -v curl >/dev/null 2>&1 || bail "curl is not installed"
    [ -x "$STACK_FCGI" ] || bail "$STACK_FCGI is missing: build first"
    [ -x "$STACK_CLI" ] || bail "$STACK_CLI is missing: build first"
}

# stack_init: creates the private directory tree and registers clean-up.
stack_init() {
    [ -n "$STACK_DIR" ] && return 0
    STACK_DIR=$(mktemp -d /tmp/plccoach-t.XXXXXX)
    tap_cleanup stack_teardown
    mkdir -p "$STACK_DIR"/{run,log,nginx,www,tmp,content}
    cp "$PLC_SRCDIR/conf/placeholder/index.html" "$STACK_DIR/www/index.html"
    : "${STACK_SOCK:=$STACK_DIR/run/fcgi.sock}"
    STACK_POOL_PIDFILE=$STACK_DIR/run/fcgi.pid
    STACK_POOL_LOG=$STACK_DIR/log/fcgi.log
    if plc_is_root; then
        if id -u "$PLC_USER" >/dev/null 2>&1; then
            STACK_USER=$PLC_USER
        else
            STACK_USER=nobody
        fi
        STACK_GROUP=$(id -gn "$STACK_USER")
        chown -R "$STACK_USER:$STACK_GROUP" "$STACK_DIR"
        chmod 0755 "$STACK_DIR"
        # The pool drops to the unprivileged user when it can run the
        # binaries from where they were built; otherwise it stays root and
        # opens its socket to nginx's workers.
        if plc_user_can "$STACK_USER" -x "$STACK_FCGI"; then
            STACK_POOL_USER=$STACK_USER
        else
            diag "$STACK_USER cannot run $STACK_FCGI: the pool runs as root"
            STACK_POOL_USER=
        fi
    fi
}

# _stack_as_user COMMAND...: runs COMMAND as the stack's user, from a
# directory that user can enter.
_stack_as_user() {
    if [ -n "$STACK_USER" ]; then
        (cd "$STACK_DIR" && plc_as_user "$STACK_USER" "$@")
    else
        "$@"
    fi
}

# ---- PostgreSQL -------------------------------------------------------------

_stack_pg_ready() {
    "$PLC_PGBIN/pg_isready" -q -h "$STACK_DIR/run" -p "$STACK_PG_PORT" -U postgres -d postgres
}

# Whether the postmaster of the pid file is gone.  A pid file that is still
# being written (empty or partial first line) does not count as dead.
_stack_pg_died() {
    local pid
    pid=$(head -n 1 "$STACK_DIR/pg/postmaster.pid" 2>/dev/null || true)
    case "$pid" in
    '' | *[!0-9]*) return 1 ;;
    esac
    ! plc_pid_alive "$pid"
}

# _stack_pg_launch: starts the cluster on $STACK_PG_PORT and waits until it
# accepts connections.  Returns 1 when the postmaster died (port taken).
_stack_pg_launch() {
    _stack_as_user "$PLC_PGBIN/pg_ctl" -D "$STACK_DIR/pg" -l "$STACK_DIR/log/postgres.log" -W \
        -o "-p $STACK_PG_PORT -k $STACK_DIR/run -c listen_addresses=127.0.0.1" start >/dev/null ||
        return 1
    local deadline
    deadline=$(($(plc_now_us) + STACK_DEADLINE * 1000000))
    until _stack_pg_ready; do
        if [ "$(plc_now_us)" -ge "$deadline" ]; then
            diag "PostgreSQL did not become ready in ${STACK_DEADLINE}s"
            return 1
        fi
        # Give the postmaster a moment to write its pid file, then notice
        # when it has died (most likely: the port was taken meanwhile).
        if _stack_pg_died; then
            return 1
        fi
        sleep 0.1
    done
}

# stack_pg_start: initdb (first call only) and start PostgreSQL on a free
# port, retrying with another port when the chosen one gets taken.
stack_pg_start() {
    local attempt
    stack_init
    if [ ! -f "$STACK_DIR/pg/PG_VERSION" ]; then
        _stack_as_user "$PLC_PGBIN/initdb" --nosync -A trust -U postgres -E UTF8 --locale=C.UTF-8 \
            -D "$STACK_DIR/pg" >"$STACK_DIR/log/initdb.log" 2>&1 ||
            bail "initdb failed: $(tail -n 5 "$STACK_DIR/log/initdb.log")"
        cat >>"$STACK_DIR/pg/postgresql.conf" <<'EOF'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 32MB
max_connections = 50
log_min_messages = warning
EOF
    fi
    if [ -n "$STACK_PG_PORT" ]; then
        _stack_pg_launch || bail "PostgreSQL did not start again on port $STACK_PG_PORT"
        return 0
    fi
    for attempt in 1 2 3 4 5; do
        STACK_PG_PORT=$(plc_free_port)
        _stack_pg_launch && return 0
        diag "PostgreSQL did not start on port $STACK_PG_PORT (attempt $attempt)"
        _stack_as_user "$PLC_PGBIN/pg_ctl" -D "$STACK_DIR/pg" -m immediate stop >/dev/null 2>&1 ||
            true
    done
    bail "PostgreSQL did not start: $(tail -n 5 "$STACK_DIR/log/postgres.log")"
}

# pg_stop / pg_start: stop PostgreSQL, and start it again on the same port.
pg_stop() {
    _stack_as_user "$PLC_PGBIN/pg_ctl" -D "$STACK_DIR/pg" -m fast -w -t "$STACK_DEADLINE" stop >/dev/null
}
pg_start() {
    stack_pg_start
}

# stack_conninfo [DB]: the libpq connection string for the cluster.
stack_conninfo() {
    printf 'host=%s port=%s dbname=%s user=postgres' "$STACK_DIR/run" "$STACK_PG_PORT" "${1:-$STACK_DB}"
}

# stack_psql [DB] -- PSQL-ARGS...: psql as the superuser, quiet, unaligned.
stack_psql() {
    local db=$STACK_DB
    if [ "${1:-}" != -- ]; then
        db=$1
        shift
    fi
    [ "${1:-}" = -- ] && shift
    "$PLC_PGBIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$STACK_DIR/run" -p "$STACK_PG_PORT" \
        -U postgres -d "$db" "$@"
}

# stack_createdb NAME: creates a database.
stack_createdb() {
    stack_psql postgres -- -c "CREATE DATABASE \"$1\""
}

# stack_cli [ARGS...]: runs the built `plccoach` against the stack's
# database (PLCCOACH_DB_NAME chooses another database).
stack_cli() {
    env -u PGHOST -u PGPORT -u PGUSER -u PGDATABASE -u PGSERVICE \
        PLCCOACH_DATABASE_URL="$(stack_conninfo "${PLCCOACH_DB_NAME:-$STACK_DB}")" \
        "$STACK_CLI" "$@"
}

# stack_migrate: creates the database and applies the migrations.
stack_migrate() {
    stack_createdb "$STACK_DB" >/dev/null || bail "could not create the database"
    stack_cli migrate >"$STACK_DIR/log/migrate.log" 2>&1 ||
        bail "plccoach migrate failed: $(tail -n 5 "$STACK_DIR/log/migrate.log")"
}

# ---- The FastCGI pool ---------------------------------------------------

# stack_pool_env KEY=VALUE...: extra environment for the pool.
stack_pool_env() {
    _stack_pool_env+=("$@")
}

# stack_pool_start [EXTRA-ARGS...]: starts plccoach-fcgi in the background
# (as a child of the test's shell, so `wait` gives its exit status) and
# waits for its socket.  STACK_POOL_PID is the master's pid.
stack_pool_start() {
    local env=(PATH="$PATH" LANG=C.UTF-8 ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS"
        PLCCOACH_DATABASE_URL="$(stack_conninfo)" PLCCOACH_DEBUG_ROUTES=true
        PLCCOACH_DB_CONNECT_TIMEOUT=2 PLCCOACH_JOB_WORKERS="$STACK_JOB_WORKERS"
        PLCCOACH_CONTENT_DIR="$STACK_DIR/content")
    local run=()
    stack_init
    if plc_is_root && [ -n "$STACK_POOL_USER" ]; then
        run=(setpriv --reuid="$STACK_POOL_USER" --regid="$STACK_GROUP" --init-groups --)
    elif plc_is_root; then
        env+=(PLCCOACH_SOCKET_MODE=0666)
    fi
    rm -f "$STACK_SOCK"
    _stack_pool_logs+=("$STACK_POOL_LOG")
    # No --listen given to env -i: the environment is exactly what we say,
    # so the developer's own PLCCOACH_* or PG* variables cannot leak in.
    (cd "$STACK_DIR" && exec env -i "${env[@]}" "${_stack_pool_env[@]}" "${run[@]}" "$STACK_FCGI" \
        --listen "unix:$STACK_SOCK" --workers "$STACK_WORKERS" \
        --max-requests "$STACK_MAX_REQUESTS" --drain-timeout "$STACK_DRAIN_TIMEOUT" \
        --pidfile "$STACK_POOL_PIDFILE" "$@" >>"$STACK_POOL_LOG" 2>&1 </dev/null) &
    STACK_POOL_PID=$!
    if ! plc_poll "$STACK_DEADLINE" _stack_pool_ready; then
        diag "$(tail -n 20 "$STACK_POOL_LOG")"
        bail "plccoach-fcgi did not create its socket in ${STACK_DEADLINE}s"
    fi
}

_stack_pool_ready() {
    plc_pid_alive "$STACK_POOL_PID" || bail "plccoach-fcgi exited at start-up: $(tail -n 5 "$STACK_POOL_LOG")"
    [ -S "$STACK_SOCK" ] && [ -s "$STACK_POOL_PIDFILE" ]
}

# pool_pid: the master's pid.
pool_pid() {
    printf '%s\n' "$STACK_POOL_PID"
}

# worker_pids [MASTER]: the master's live children (its workers), one per
# line, sorted.  Read from the kernel's list of the master's children
# (/proc/PID/task/PID/children: the master is single-threaded), which
# costs a read per child; where the kernel lacks that file, from every
# process's stat (a read per process on the machine: seconds on a busy
# one).  Zombies (reaped later) are not workers.
worker_pids() {
    local master=${1:-$STACK_POOL_PID} f stat rest state ppid pids kids
    kids=/proc/$master/task/$master/children
    if [ -r "$kids" ]; then
        pids=()
        # The file has no final newline: read fills pids and returns 1.
        read -r -a pids <"$kids" 2>/dev/null || true
        for f in "${pids[@]}"; do
            stat=$(cat "/proc/$f/stat" 2>/dev/null) || continue
            rest=${stat##*) }
            read -r state ppid _ <<<"$rest"
            [ "$ppid" = "$master" ] && [ "$state" != Z ] && printf '%s\n' "$f"
        done | sort -n
        return 0
    fi
    for f in /proc/[0-9]*/stat; do
        stat=$(cat "$f" 2>/dev/null) || continue
        rest=${stat##*) }
        read -r state ppid _ <<<"$rest"
        if [ "$ppid" = "$master" ] && [ "$state" != Z ]; then
            printf '%s\n' "${f//[^0-9]/}"
        fi
    done | sort -n
}

# workers_diag [MASTER]: what the master's children are, for a failed
# check's diagnostics (pid, state, command).
workers_diag() {
    local master=${1:-$STACK_POOL_PID} f
    diag "children of $master: $(cat "/proc/$master/task/$master/children" 2>/dev/null)"
    for f in $(cat "/proc/$master/task/$master/children" 2>/dev/null); do
        diag "  $f $(cut -d' ' -f3 "/proc/$f/stat" 2>/dev/null) $(tr '\0' ' ' <"/proc/$f/cmdline" 2>/dev/null)"
    done
}

# worker_count [MASTER]: how many workers are alive.
worker_count() {
    worker_pids "$@" | grep -c . || true
}

# fcgi_in_flight [SOCKET]: how many connections on the pool's socket a
# worker has accepted and not yet closed: requests in flight.  Read from
# /proc/net/unix, where a socket returned by accept() carries the
# listening socket's path, with state 03 (connected) and an inode; one
# still waiting in the backlog has state 02 and no inode.
fcgi_in_flight() {
    awk -v path="${1:-$STACK_SOCK}" '$8 == path && $6 == "03" && $7 != "0" { n++ } END { print n + 0 }' \
        /proc/net/unix
}

# stack_pool_signal SIG: sends SIG to the master.
stack_pool_signal() {
    kill -s "$1" "$STACK_POOL_PID"
}

# stack_pool_wait_exit [SECONDS]: waits for the master to exit (polling
# with a deadline) and sets STACK_POOL_STATUS to its exit status.  Returns
# 1 when it is still running at the deadline.
stack_pool_wait_exit() {
    STACK_POOL_STATUS=
    plc_poll "${1:-$STACK_DEADLINE}" _stack_not_alive "$STACK_POOL_PID" || return 1
    STACK_POOL_STATUS=0
    wait "$STACK_POOL_PID" || STACK_POOL_STATUS=$?
    STACK_POOL_PID=
}

_stack_not_alive() {
    ! plc_pid_alive "$1"
}

# stack_pool_stop: SIGTERM the master and wait for it (SIGKILL past the
# deadline).
stack_pool_stop() {
    [ -n "$STACK_POOL_PID" ] || return 0
    if plc_pid_alive "$STACK_POOL_PID"; then
        kill -TERM "$STACK_POOL_PID" 2>/dev/null
        if ! stack_pool_wait_exit $((STACK_DRAIN_TIMEOUT + 10)); then
            diag "plccoach-fcgi did not exit after SIGTERM: killing it"
            kill -KILL "$STACK_POOL_PID" 2>/dev/null
            stack_pool_wait_exit 10 || true
        fi
    else
        wait "$STACK_POOL_PID" 2>/dev/null || true
    fi
    STACK_POOL_PID=
}

# ---- nginx ------------------------------------------------------------------

# stack_nginx_render PORT: renders conf/nginx/local.conf.in for the stack.
stack_nginx_render() {
    local user_line="# not root: nginx runs as the invoking user"
    [ -n "$STACK_USER" ] && user_line="user $STACK_USER $STACK_GROUP;"
    plc_render_nginx "$PLC_SRCDIR/conf/nginx/local.conf.in" "$STACK_DIR/nginx" \
        "USER_LINE=$user_line" \
        "WORKER_PROCESSES=${STACK_NGINX_WORKERS:-1}" \
        "PID_FILE=$STACK_DIR/run/nginx.pid" \
        "ERROR_LOG=$STACK_DIR/log/nginx-error.log" \
        "ACCESS_LOG=$STACK_DIR/log/nginx-access.log" \
        "TEMP_DIR=$STACK_DIR/tmp" \
        "LISTEN=127.0.0.1:$1" \
        "FCGI_SOCKET=$STACK_SOCK" \
        "FCGI_MAX_CONNS=$((STACK_WORKERS + STACK_QUEUE))" \
        "WEB_ROOT=$STACK_DIR/www"
}

_stack_nginx_up() {
    plc_pid_alive "$STACK_NGINX_PID" || return 2
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$STACK_NGINX_PORT/health/nginx")" = 200 ]
}

# stack_nginx_start: starts nginx (in the foreground, as our child) on a
# free loopback port, retrying with another port if that one is taken.
stack_nginx_start() {
    local attempt rc
    stack_init
    : "${STACK_NGINX:=$(plc_nginx_bin)}"
    for attempt in 1 2 3 4 5; do
        STACK_NGINX_PORT=$(plc_free_port)
        stack_nginx_render "$STACK_NGINX_PORT" || bail "could not render the nginx config"
        "$STACK_NGINX" -q -p "$STACK_DIR/nginx/" -c "$STACK_DIR/nginx/nginx.conf" \
            -e "$STACK_DIR/log/nginx-error.log" -g 'daemon off;' </dev/null \
            >>"$STACK_DIR/log/nginx-stdout.log" 2>&1 &
        STACK_NGINX_PID=$!
        rc=0
        plc_poll "$STACK_DEADLINE" _stack_nginx_up || rc=$?
        [ "$rc" -eq 0 ] && return 0
        diag "nginx did not start on port $STACK_NGINX_PORT (attempt $attempt): $(tail -n 3 "$STACK_DIR/log/nginx-error.log" 2>/dev/null)"
        stack_nginx_stop
    done
    bail "nginx did not start"
}

stack_nginx_stop() {
    [ -n "$STACK_NGINX_PID" ] || return 0
    kill -QUIT "$STACK_NGINX_PID" 2>/dev/null
    plc_poll 60 _stack_not_alive "$STACK_NGINX_PID" || kill -KILL "$STACK_NGINX_PID" 2>/dev/null
    wait "$STACK_NGINX_PID" 2>/dev/null || true
    STACK_NGINX_PID=
}

# stack_url [PATH]: the URL of PATH through nginx.
stack_url() {
    printf 'http://127.0.0.1:%s%s\n' "$STACK_NGINX_PORT" "${1:-/}"
}

# ---- HTTP -------------------------------------------------------------------

# http METHOD PATH [CURL-ARGS...]: one request through nginx.  Sets
# HTTP_STATUS, HTTP_BODY and HTTP_SIZE (body bytes received), and leaves
# the headers in $HTTP_HEADERS_FILE and the body in $HTTP_BODY_FILE.  Returns 0 even on HTTP errors; returns
# 1 (HTTP_STATUS=000) when curl could not talk to nginx at all.
http() {
    local method=$1 path=$2
    shift 2
    HTTP_HEADERS_FILE=$STACK_DIR/http.headers
    HTTP_BODY_FILE=$STACK_DIR/http.body
    local how=(-X "$method") out
    # curl -X HEAD would wait for the body the headers announce.
    [ "$method" = HEAD ] && how=(--head)
    out=$(curl -s -g --max-time 60 "${how[@]}" -D "$HTTP_HEADERS_FILE" -o "$HTTP_BODY_FILE" \
        -w '%{http_code} %{size_download}' "$@" "$(stack_url "$path")") || {
        HTTP_STATUS=000
        HTTP_SIZE=0
        HTTP_BODY=
        return 1
    }
    HTTP_STATUS=${out% *}
    HTTP_SIZE=${out#* }
    if [ "$method" = HEAD ]; then
        : >"$HTTP_BODY_FILE"
    fi
    HTTP_BODY=$(cat "$HTTP_BODY_FILE")
}

# http_header NAME: the value of response header NAME from the last
# http call (first occurrence, CR stripped); empty when absent.
http_header() {
    awk -v name="$1" 'BEGIN { name = tolower(name) }
        { sub(/\r$/, "") }
        tolower(substr($0, 1, index($0, ":") - 1)) == name {
            v = substr($0, index($0, ":") + 1); sub(/^[ \t]+/, "", v); print v; exit }' \
        "$HTTP_HEADERS_FILE"
}

# json_get PATH [FILE]: prints the value at PATH (dot-separated keys, e.g.
# error.code) of the JSON document in FILE (default: the last response
# body).  Fails when the document is not JSON or PATH is missing.
# Scalars print as text; objects and arrays print as compact JSON.
json_get() {
    perl -MJSON::PP -e '
        local $/; my $doc = eval { JSON::PP->new->allow_nonref->decode(<STDIN>) };
        exit 2 if $@;
        my $v = $doc;
        for my $k (split /\./, $ARGV[0]) {
            exit 1 unless ref $v eq "HASH" && exists $v->{$k};
            $v = $v->{$k};
        }
        if (ref $v) { print JSON::PP->new->canonical->encode($v) }
        elsif (JSON::PP::is_bool($v)) { print $v ? "true" : "false" }
        elsif (defined $v) { print $v }
        else { print "null" }' "$1" <"${2:-$HTTP_BODY_FILE}"
}

# is_json [FILE]: whether FILE (default the last body) is one JSON value.
is_json() {
    perl -MJSON::PP -e 'local $/; JSON::PP->new->allow_nonref->decode(<STDIN>); 1' \
        <"${1:-$HTTP_BODY_FILE}" 2>/dev/null
}

# error_envelope_ok STATUS CODE: checks the last response is the JSON
# error envelope with that status and code, and a request_id equal to
# nginx's X-Request-Id.  Records three tests.
error_envelope_ok() {
    local what=$3
    is "$HTTP_STATUS" "$1" "$what: status $1"
    is "$(json_get error.code 2>/dev/null)" "$2" "$what: JSON envelope with code $2"
    local rid
    rid=$(json_get error.request_id 2>/dev/null || true)
    if [ -n "$rid" ] && [ "$rid" = "$(http_header X-Request-Id)" ] &&
        json_get error.message >/dev/null 2>&1; then
        pass "$what: message, and request_id equal to X-Request-Id"
    else
        fail "$what: message, and request_id equal to X-Request-Id"
        diag "body: $HTTP_BODY" "X-Request-Id: $(http_header X-Request-Id)"
    fi
}

# ---- Whole stack ----------------------------------------------------------

# stack_start: PostgreSQL, the database and its migrations, the pool,
# nginx; then waits until /health answers 200 through nginx.
stack_start() {
    stack_require_servers
    stack_init
    stack_pg_start
    stack_migrate
    stack_pool_start
    stack_nginx_start
    stack_wait_health 200 || bail "GET /health did not answer 200 in ${STACK_DEADLINE}s: $HTTP_BODY"
}

_stack_health_is() {
    http GET /health && [ "$HTTP_STATUS" = "$1" ]
}

# stack_wait_health STATUS [SECONDS]: polls GET /health until it answers
# STATUS.
stack_wait_health() {
    plc_poll "${2:-$STACK_DEADLINE}" _stack_health_is "$1"
}

# stack_check_sanitizers: one test: no sanitizer report in any pool log.
stack_check_sanitizers() {
    local f found=0
    for f in "${_stack_pool_logs[@]}" "$STACK_DIR"/log/*.log; do
        [ -f "$f" ] || continue
        if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$f"; then
            found=1
            diag "sanitizer report in $f:"
            diag "$(grep -m 1 -A 30 -E 'AddressSanitizer|LeakSanitizer|runtime error:' "$f")"
        fi
    done
    if [ "$found" -eq 0 ]; then
        pass "no sanitizer reports in the server logs"
    else
        fail "no sanitizer reports in the server logs"
    fi
}

# stack_teardown: stops everything, reports sanitizer findings, shows the
# logs when a test failed, removes the directory.  Registered by
# stack_init; runs from done_testing or the EXIT trap.
stack_teardown() {
    [ -n "$STACK_DIR" ] && [ -d "$STACK_DIR" ] || return 0
    stack_nginx_stop
    stack_pool_stop
    # shellcheck disable=SC2086  # a list of pids
    [ -n "${STACK_EXTRA_PIDS:-}" ] && kill -TERM $STACK_EXTRA_PIDS 2>/dev/null
    if [ -f "$STACK_DIR/pg/postmaster.pid" ]; then
        _stack_as_user "$PLC_PGBIN/pg_ctl" -D "$STACK_DIR/pg" -m immediate -w stop >/dev/null 2>&1
    fi
    stack_check_sanitizers
    if [ "$_tap_failed" -gt 0 ] || [ -n "${STACK_KEEP_LOGS:-}" ]; then
        local f
        for f in "$STACK_DIR"/log/*.log; do
            [ -s "$f" ] || continue
            diag "---- last lines of ${f##*/} ----"
            diag "$(tail -n 25 "$f")"
        done
    fi
    if [ -n "${STACK_KEEP:-}" ]; then
        diag "kept $STACK_DIR"
    else
        rm -rf "$STACK_DIR"
    fi
    STACK_DIR=
}
