#!/bin/bash
# shellcheck disable=SC2317  # helpers called through plc_poll
# bench/coach-profile.sh - where one streamed ask's time goes before the
# model's first token, in figures that do not depend on the machine's
# load: the database statements (round trips) one ask sends and each
# one's server time (pg_stat_statements: calls, planning and execution),
# the worker's system calls per ask (strace -c), and its instructions per
# ask (valgrind's callgrind, two runs of BENCH_N1 and BENCH_N2 asks, the
# difference over the asks between them, so start-up cancels out).
#
#   PLC_BUILDDIR=var/build-plain bench/coach-profile.sh
#
# One worker, the model stand-in with TCP_NODELAY (t/model/stub.py
# --nodelay), the starter library, one signed-in teacher asking new
# questions (bench/coach-ttfb.py stack: streamed, no conversation_id) one
# at a time through nginx.  Knobs: BENCH_N (100 asks for the statements
# and system calls), BENCH_N1 (10), BENCH_N2 (40), BENCH_CALLGRIND (1; 0
# skips the instructions), PLCCOACH_DB_PREPARE (passed to the pool).
# Prints markdown.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$HERE/lib.sh"
N=${BENCH_N:-100}
N1=${BENCH_N1:-10}
N2=${BENCH_N2:-40}
PY="python3 $HERE/coach-ttfb.py"
plc_ensure_packages "${PLC_PKGS_BENCH[@]}" valgrind

bench_build
bench_stack_helpers
stack_require_servers
stack_init
D=$STACK_DIR
mkdir -p "$D/cg"
chmod 0777 "$D/cg"
python3 "$PLC_SRCDIR/t/model/stub.py" --nodelay >"$D/stub.port" 2>>"$D/log/stub.log" &
STACK_EXTRA_PIDS="${STACK_EXTRA_PIDS:-} $!"
plc_poll 20 test -s "$D/stub.port" || plc_die "the stand-in did not start"
read -r STUB_PORT <"$D/stub.port"
stack_pg_start >&2
cat >>"$D/pg/postgresql.conf" <<'EOF'
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = top
pg_stat_statements.track_planning = on
EOF
pg_stop >&2
pg_start >&2
stack_migrate >&2
stack_psql -- -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
STACK_WORKERS=1
STACK_DEADLINE=120
pool_env=(PLCCOACH_PUBLIC_URL=http://localhost:8000 PLCCOACH_COACH_RATE_LIMIT=100000
    PLCCOACH_LLM_BASE_URL="http://127.0.0.1:$STUB_PORT" PLCCOACH_LLM_MODEL=stub-model)
[ -n "${PLCCOACH_DB_PREPARE:-}" ] && pool_env+=(PLCCOACH_DB_PREPARE="$PLCCOACH_DB_PREPARE")
stack_pool_env "${pool_env[@]}"
stack_pool_start >&2
stack_nginx_start >&2
stack_wait_health 200 || plc_die "GET /health did not answer 200"
stack_cli ingest "$PLC_SRCDIR/content/starter" >/dev/null
bench_teacher
CSRF=$(json_get csrf_token) # from the sign-in's answer
[ -n "$CSRF" ] || plc_die "no CSRF token: $HTTP_BODY"

asks() { # N: N streamed asks, one at a time
    $PY stack "$STACK_NGINX_PORT" "$COOKIE" "$CSRF" "$1" >/dev/null 2>"$D/asks.err"
    [ ! -s "$D/asks.err" ] || plc_die "asks failed: $(head -n 3 "$D/asks.err")"
}

echo "## One streamed ask, load-independent (bench/coach-profile.sh)"
echo
echo "One worker; $(bench_machine); PLCCOACH_DB_PREPARE=${PLCCOACH_DB_PREPARE:-default}."
echo
asks 20 # warm up: the worker's connection, its prepared statements, PostgreSQL's caches
stack_psql -- -c "SELECT pg_stat_statements_reset()" >/dev/null
asks "$N"
echo "### Statements per ask (pg_stat_statements over $N asks)"
echo
echo "| statement | runs per ask | plannings per ask | buffers hit per run | plan ms (mean) | exec ms (mean) |"
echo "|---|---:|---:|---:|---:|---:|"
stack_psql -- -F '|' -c "
    SELECT regexp_replace(left(query, 90), '[|\n]+', ' ', 'g'),
           round(calls::numeric / $N, 2), round(plans::numeric / $N, 2),
           round(shared_blks_hit::numeric / calls, 1),
           round((total_plan_time / greatest(plans, 1))::numeric, 3),
           round((total_exec_time / calls)::numeric, 3)
    FROM pg_stat_statements
    WHERE calls >= $N / 2 AND query NOT LIKE '%pg_stat_statements%'
    ORDER BY total_exec_time + total_plan_time DESC" |
    awk -F'|' '{ printf "| `%s` | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }'
stack_psql -- -F '|' -c "
    SELECT round(sum(calls)::numeric / $N, 2), round(sum(plans)::numeric / $N, 2),
           round((sum(total_plan_time) / $N)::numeric, 3),
           round((sum(total_exec_time) / $N)::numeric, 3)
    FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'" |
    awk -F'|' '{ printf "| **all, per ask** | **%s** | **%s** | | %s (sum) | %s (sum) |\n", $1, $2, $3, $4 }'
echo

printf 'bench: strace\n' >&2
w=$(worker_pids)
strace -f -c -o "$D/st" -p "$w" &
s=$!
sleep 1
asks "$N"
kill -INT "$s"
wait "$s" 2>/dev/null || true
echo "### System calls of the worker per ask (strace -c, $N asks)"
echo
/usr/bin/python3 - "$N" "$D/st" <<'PY'
import sys, re
n = int(sys.argv[1])
calls = {}
for line in open(sys.argv[2]):
    p = line.split()
    if len(p) >= 5 and p[0][0].isdigit() and p[-1] != "total" and re.match(r"^\d+$", p[3]):
        calls[p[-1]] = calls.get(p[-1], 0) + int(p[3])
print("%.1f: %s" % (sum(calls.values()) / n, ", ".join(
    "%s %.1f" % (k, v / n) for k, v in sorted(calls.items(), key=lambda kv: -kv[1]) if v / n >= 0.05)))
PY
echo

# callgrind_run N: one callgrind profile of the worker serving asks until
# it recycles after N requests; CG_FILE, CG_SERVED.
callgrind_run() {
    local n=$1 w
    rm -f "$D"/cg/cg.*
    printf '#!/bin/sh\nexec valgrind --tool=callgrind --callgrind-out-file=%s/cg/cg.%%p %s/plccoach-fcgi "$@"\n' \
        "$D" "$PLC_BUILDDIR" >"$D/vg-pool.sh"
    chmod 0755 "$D/vg-pool.sh"
    stack_pool_stop >&2
    STACK_MAX_REQUESTS=$n
    STACK_FCGI=$D/vg-pool.sh
    stack_pool_start >&2
    plc_poll 60 has_worker || plc_die "no worker: $(tail -n 5 "$STACK_POOL_LOG")"
    w=$(worker_pids)
    sleep 2
    asks "$n"
    plc_poll 120 test ! -d "/proc/$w" || plc_die "the worker did not exit after $n asks"
    STACK_FCGI=$PLC_BUILDDIR/plccoach-fcgi
    STACK_MAX_REQUESTS=0
    CG_FILE=$D/cg/cg.$w
    CG_SERVED=$(grep "\"pid\":$w,.*worker recycling after" "$STACK_POOL_LOG" | tail -n 1 |
        sed -n 's/.*recycling after \([0-9]*\) requests.*/\1/p')
    [ -n "$CG_SERVED" ] || plc_die "worker $w logged no recycling line"
}
has_worker() { [ -n "$(worker_pids)" ]; }

[ "${BENCH_CALLGRIND:-1}" = 1 ] || tap_finish_quietly 0
printf 'bench: callgrind\n' >&2
callgrind_run "$N1"
cp "$CG_FILE" "$D/one"
served1=$CG_SERVED
callgrind_run "$N2"
bench_per_request "$D/one" "$CG_FILE" "$((CG_SERVED - served1))" >"$D/per"
echo "### Instructions of the worker per ask (callgrind, $((CG_SERVED - served1)) asks)"
echo
echo "Whole process: $(awk '$1 == "total" { print $2 }' "$D/per") instructions per ask."
echo
echo "| function (inclusive) | instructions per ask |"
echo "|---|---:|"
for fn in FCGX_Accept_r request_parse auth_guard session_load h_coach_ask ratelimit_coach \
    ratelimit_coach_library conv_get coach_ask msg_history search_run classify_model \
    msg_save_question llm_chat verify_answer msg_save_answer resp_sse_json db_exec db_exec_binary \
    PQexecParams PQexecPrepared PQprepare PQgetResult curl_multi_perform log_fields FCGX_Finish_r; do
    awk -v f="$fn" '$1 == f { printf "| `%s` | %s |\n", $1, $2 }' "$D/per"
done
echo
echo "Command: PLC_BUILDDIR=... BENCH_N=$N BENCH_N1=$N1 BENCH_N2=$N2 bench/coach-profile.sh; build CFLAGS: ${BENCH_CFLAGS:-?}."
tap_finish_quietly 0
