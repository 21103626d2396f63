#!/bin/bash
# bench/peers/run.sh - this project's hot path against its peers, all in
# one run on one machine, each behind the same nginx (one config: the
# local stack's, conf/nginx/local.conf.in, with the peers' locations added
# to its server), so every row pays the same nginx work (security headers,
# the JSON access log):
#
#   nginx static     GET /health/nginx: nginx answers from its config
#   libfcgi hello    bench/peers/fcgi-hello.c, BENCH_PEER_PROCS processes
#                    under spawn-fcgi (blocking FCGX_Accept_r, the textbook loop)
#   FastAPI hello    bench/peers/twin.py /hello, uvicorn with BENCH_PEER_PROCS
#                    workers: through nginx (proxy_pass, kept-alive upstream)
#                    and straight to uvicorn
#   ours, no database    GET /health/live (BENCH_WORKERS workers)
#   ours, /health        GET /health: one query
#   ours, the authenticated read    GET /api/conversations: session check + list
#                    query, against twin.py's /api/conversations (FastAPI +
#                    asyncpg, the same two SQL texts on the same database,
#                    captured from PostgreSQL's statement log), through nginx
#                    and straight to uvicorn
#
# Each endpoint: wrk -t$BENCH_THREADS -c$BENCH_CONNECTIONS -d${BENCH_DURATION}s
# after a 2 s warm-up, BENCH_ROUNDS rounds (the endpoints in turn, so drift
# hits all of them alike).  Prints markdown: requests/s per round, p50 and
# p99 of the last round, errors, and the ratios the issue sets targets for.
#
# Wall-clock figures mean something only on an otherwise idle machine:
# it refuses to start when the 1-minute load average is above
# BENCH_MAX_LOAD (2.5; BENCH_MAX_LOAD=inf to run anyway).
#
#   bench/peers/run.sh                    # var/build, built -O2 if needed
#   PLC_BUILDDIR=var/bench bench/peers/run.sh
#
# Knobs: BENCH_DURATION (10), BENCH_CONNECTIONS (32), BENCH_THREADS (2),
# BENCH_ROUNDS (2), BENCH_WORKERS (4), BENCH_PEER_PROCS (4 libfcgi
# processes; uvicorn gets half as many workers, as in issue 15's table),
# BENCH_NGINX_WORKERS (auto).
# shellcheck disable=SC2016,SC2317  # markdown backquotes; helpers called through plc_poll
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$HERE/../lib.sh"

ROUNDS=${BENCH_ROUNDS:-2}
PEER_PROCS=${BENCH_PEER_PROCS:-4}
UVICORN_WORKERS=$(((PEER_PROCS + 1) / 2))
MAX_LOAD=${BENCH_MAX_LOAD:-2.5}
# Debian's python3, whose packages these are (a pyenv shim may come first on PATH).
PY=${BENCH_PYTHON:-/usr/bin/python3}

load=$(cut -d' ' -f1 /proc/loadavg)
if [ "$MAX_LOAD" != inf ] && awk -v l="$load" -v m="$MAX_LOAD" 'BEGIN { exit !(l > m) }'; then
    plc_die "load average $load is above $MAX_LOAD: wall-clock figures would measure the other work (BENCH_MAX_LOAD=inf to run anyway)"
fi
plc_ensure_packages "${PLC_PKGS_BENCH[@]}" wrk spawn-fcgi
"$PY" -c 'import fastapi, uvicorn, uvloop, httptools, asyncpg' 2>/dev/null ||
    plc_die "$PY cannot import fastapi, uvicorn (with uvloop and httptools, as uvicorn[standard] installs it) and asyncpg (Debian's python3-fastapi, python3-uvicorn, python3-uvloop, python3-httptools, python3-asyncpg)"

bench_build
bench_stack_helpers
stack_require_servers spawn-fcgi
stack_init
D=$STACK_DIR

# ---- The peers' programs ----------------------------------------------------------
cc -O2 -o "$D/fcgi-hello" "$HERE/fcgi-hello.c" -lfcgi || plc_die "cannot build fcgi-hello.c"
chmod 0755 "$D" "$D/fcgi-hello"
spawn_user=()
[ -n "$STACK_USER" ] && spawn_user=(-u "$STACK_USER" -g "$STACK_GROUP")
spawn-fcgi -s "$D/run/peer.sock" -M 0666 -F "$PEER_PROCS" -P "$D/run/peer.pid" \
    "${spawn_user[@]}" -- "$D/fcgi-hello" >"$D/log/spawn-fcgi.log" 2>&1 ||
    plc_die "spawn-fcgi failed: $(cat "$D/log/spawn-fcgi.log")"
peer_pids() { [ -s "$D/run/peer.pid" ] && tr '\n' ' ' <"$D/run/peer.pid"; }
plc_poll 10 test -s "$D/run/peer.pid" || plc_die "spawn-fcgi wrote no pid file"
STACK_EXTRA_PIDS="${STACK_EXTRA_PIDS:-} $(peer_pids)"

# ---- PostgreSQL, the pool, nginx with the peers' locations ---------------------------
stack_pg_start >&2
stack_migrate >&2
STACK_WORKERS=${BENCH_WORKERS:-4}
STACK_NGINX_WORKERS=${BENCH_NGINX_WORKERS:-auto}
stack_pool_env PLCCOACH_PUBLIC_URL=http://localhost:8000 PLCCOACH_LOG_LEVEL=info
stack_pool_start >&2

UVICORN_PORT=$(plc_free_port)
cat >"$D/nginx-peers-http.conf" <<NGINX
upstream peer_fcgi {
    server unix:$D/run/peer.sock max_fails=0;
}
upstream peer_fastapi {
    server 127.0.0.1:$UVICORN_PORT max_fails=0;
    keepalive 64;
}
NGINX
cat >"$D/nginx-peers-server.conf" <<'NGINX'
location = /peer/fcgi-hello {
    include fastcgi_params.conf;
    fastcgi_pass peer_fcgi;
}
location /peer/fastapi/ {
    proxy_pass http://peer_fastapi/;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $host;
}
NGINX
# The stack's own renderer, then the peers' includes put into its http
# and server blocks.
eval "$(declare -f stack_nginx_render | sed '1s/stack_nginx_render/_stack_nginx_render_plain/')"
stack_nginx_render() {
    _stack_nginx_render_plain "$@" || return 1
    sed -i -e "s|^\(\s*\)server {|\1include $D/nginx-peers-http.conf;\n&|" \
        -e "s|^\(\s*\)include api_locations.conf;|&\n\1include $D/nginx-peers-server.conf;|" \
        "$D/nginx/nginx.conf"
}
stack_nginx_start >&2
stack_wait_health 200 || plc_die "GET /health did not answer 200"

# ---- A signed-in teacher with 30 conversations of 4 messages ---------------------------
bench_teacher

# The two statements of GET /api/conversations, as plccoach-fcgi sends
# them, from PostgreSQL's statement log.
stack_psql postgres -- -c "ALTER SYSTEM SET log_statement = 'all'" -c "SELECT pg_reload_conf()" >/dev/null
sleep 0.5
http GET /api/conversations -H "Cookie: $COOKIE"
[ "$HTTP_STATUS" = 200 ] || plc_die "GET /api/conversations: $HTTP_STATUS $HTTP_BODY"
stack_psql postgres -- -c "ALTER SYSTEM RESET log_statement" -c "SELECT pg_reload_conf()" >/dev/null
python3 - "$D/log/postgres.log" "$D/sql.json" <<'PY' || plc_die "could not find the two statements in PostgreSQL's log"
import json, re, sys
found = {}
for line in open(sys.argv[1], errors="replace"):
    m = re.search(r"(?:execute [^:]*|statement): (.*)$", line)
    if not m:
        continue
    sql = m.group(1)
    if re.search(r"UPDATE sessions( \w+)? SET last_seen_at", sql):
        found["session"] = sql
    elif "FROM conversations c" in sql and "ORDER BY c.updated_at DESC" in sql:
        found["list"] = sql
if set(found) != {"session", "list"}:
    sys.exit(1)
json.dump(found, open(sys.argv[2], "w"))
PY

(cd "$HERE" && exec env TWIN_DSN="postgresql://postgres@127.0.0.1:$STACK_PG_PORT/$STACK_DB" \
    TWIN_SQL="$D/sql.json" "$PY" -m uvicorn --workers "$UVICORN_WORKERS" --host 127.0.0.1 \
    --port "$UVICORN_PORT" --no-access-log --log-level warning twin:app \
    >>"$D/log/uvicorn.log" 2>&1) &
STACK_EXTRA_PIDS="$STACK_EXTRA_PIDS $!"
twin_up() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$UVICORN_PORT/hello")" = 200 ]; }
plc_poll 30 twin_up || plc_die "uvicorn did not start: $(tail -n 5 "$D/log/uvicorn.log")"
for u in "$(stack_url /peer/fcgi-hello)" "$(stack_url /peer/fastapi/hello)" \
    "http://127.0.0.1:$UVICORN_PORT/api/conversations"; do
    code=$(curl -s -o "$D/check.body" -w '%{http_code}' -H "Cookie: $COOKIE" "$u")
    [ "$code" = 200 ] || plc_die "$u answered $code: $(head -c 300 "$D/check.body")"
done
twin_n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["conversations"]))' "$D/check.body")
ours_n=$(json_get conversations | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$twin_n" = "$ours_n" ] || plc_die "the twin lists $twin_n conversations, plccoach $ours_n"

# ---- The runs -------------------------------------------------------------------------
# name|URL|cookie?
ENDPOINTS=(
    "static|$(stack_url /health/nginx)|"
    "fcgi_hello|$(stack_url /peer/fcgi-hello)|"
    "fastapi_hello_nginx|$(stack_url /peer/fastapi/hello)|"
    "fastapi_hello|http://127.0.0.1:$UVICORN_PORT/hello|"
    "live|$(stack_url /health/live)|"
    "health|$(stack_url /health)|"
    "conv|$(stack_url /api/conversations)|c"
    "twin_nginx|$(stack_url /peer/fastapi/api/conversations)|c"
    "twin|http://127.0.0.1:$UVICORN_PORT/api/conversations|c"
)
declare -A RPS
for round in $(seq "$ROUNDS"); do
    for e in "${ENDPOINTS[@]}"; do
        IFS='|' read -r name url cookie <<<"$e"
        args=()
        [ -n "$cookie" ] && args=(-H "Cookie: $COOKIE")
        printf 'bench: round %s: %s\n' "$round" "$name" >&2
        wrk_run "$url" "$D/$name.$round.txt" "${args[@]}"
        RPS[$name]="${RPS[$name]:-}${RPS[$name]:+ / }$(wrk_rps "$D/$name.$round.txt")"
    done
done

# mean NAME: the mean requests/s over the rounds.
mean() {
    local r total=0
    for r in $(seq "$ROUNDS"); do total=$((total + $(wrk_rps "$D/$1.$r.txt"))); done
    echo $((total / ROUNDS))
}
row() { # NAME LABEL
    local last="$D/$1.$ROUNDS.txt"
    printf '| %s | %s | %s | %s | %s | %s |\n' "$2" "${RPS[$1]}" "$(mean "$1")" \
        "$(wrk_pct "$last" 50%)" "$(wrk_pct "$last" 99%)" "$(wrk_errors "$last")"
}
echo
echo "| endpoint | requests/s per round | mean | p50 ms | p99 ms | errors |"
echo "|---|---:|---:|---:|---:|---:|"
row static "nginx static (\`/health/nginx\`)"
row fcgi_hello "bare libfcgi hello world ($PEER_PROCS processes, spawn-fcgi)"
row fastapi_hello_nginx "FastAPI + uvicorn hello ($UVICORN_WORKERS workers), through nginx"
row fastapi_hello "FastAPI + uvicorn hello, straight to uvicorn"
row live "ours, no database (\`/health/live\`, $STACK_WORKERS workers)"
row health "ours, \`/health\` (one query)"
row conv "ours, \`GET /api/conversations\` (session check + list)"
row twin_nginx "FastAPI + asyncpg twin of it, through nginx"
row twin "FastAPI + asyncpg twin, straight to uvicorn"
echo
hello=$(mean fcgi_hello)
conv=$(mean conv)
echo "| ratio | value | target |"
echo "|---|---:|---:|"
echo "| no-database route / bare libfcgi | $(ratio "$(mean live)" "$hello") | >= 0.9 |"
echo "| \`/health\` / bare libfcgi | $(ratio "$(mean health)" "$hello") | >= 0.7 |"
echo "| authenticated read / twin through nginx | $(ratio "$conv" "$(mean twin_nginx)") | >= 1.5 |"
echo "| authenticated read / twin straight to uvicorn | $(ratio "$conv" "$(mean twin)") | >= 1.5 |"
echo "| p99 of the authenticated read / the twin's (nginx, direct) | $(wrk_pct "$D/conv.$ROUNDS.txt" 99%) / $(wrk_pct "$D/twin_nginx.$ROUNDS.txt" 99%), $(wrk_pct "$D/twin.$ROUNDS.txt" 99%) ms | lower |"
echo
echo "Command: BENCH_DURATION=$BENCH_DURATION BENCH_CONNECTIONS=$BENCH_CONNECTIONS" \
    "BENCH_THREADS=$BENCH_THREADS BENCH_ROUNDS=$ROUNDS BENCH_WORKERS=$STACK_WORKERS" \
    "BENCH_PEER_PROCS=$PEER_PROCS bench/peers/run.sh"
echo "Machine: $(bench_machine) at the end; build CFLAGS: ${BENCH_CFLAGS:-?};" \
    "nginx $("$STACK_NGINX" -v 2>&1 | sed 's/.*nginx\///'), worker_processes $STACK_NGINX_WORKERS."
tap_finish_quietly 0
