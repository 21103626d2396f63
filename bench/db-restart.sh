#!/bin/bash
# shellcheck disable=SC2317  # pass/fail/diag are called by the sourced helpers
# bench/db-restart.sh - a PostgreSQL restart under a load of questions to
# the coach (issue 11), once with PLCCOACH_DB_WAIT_MS=0 (requests fail at
# once while the database is away: how it was before) and once with the
# default 3000 (they wait for it), in the same run on the same stack.
#
# BENCH_CLIENTS clients (default 8) each ask BENCH_ASKS questions (default
# 60) in their own conversation, alternating JSON and streamed answers
# (bench/ask-load.py), extractive mode on the starter library, with
# BENCH_WORKERS workers (default 16); GET /health is polled every 50 ms.
# Mid-load PostgreSQL gets a fast shutdown and a start on the same port.
# Prints a markdown table (docs/performance.md).
#
#   PLC_BUILDDIR=var/build bench/db-restart.sh
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
: "${PLC_SRCDIR:=$SRC}"
: "${PLC_BUILDDIR:=$PWD}"
export PLC_SRCDIR PLC_BUILDDIR
CLIENTS=${BENCH_CLIENTS:-8}
ASKS=${BENCH_ASKS:-60}
STACK_WORKERS=${BENCH_WORKERS:-16}

. "$PLC_SRCDIR/t/lib/tap.sh"
. "$PLC_SRCDIR/t/lib/stack.sh"
pass() { :; }
fail() { printf 'bench: %s\n' "$*" >&2; }
diag() { printf '# %s\n' "$*" >&2; }
[ -x "$PLC_BUILDDIR/plccoach-fcgi" ] || { echo "bench: build first ($PLC_BUILDDIR)" >&2; exit 1; }

stack_require_servers
stack_init
stack_pg_start >&2
stack_migrate
stack_nginx_start >&2
stack_cli ingest "$PLC_SRCDIR/content/starter" >"$STACK_DIR/log/ingest.log" 2>&1

: >"$STACK_DIR/users"
for k in $(seq 1 "$CLIENTS"); do
    printf 'password-of-c%s\n' "$k" | stack_cli user add --email "c$k@example.org" --name "C$k" \
        --password-stdin >/dev/null
done

# run WAIT_MS: one restart under load with that wait; writes the summary
# to $STACK_DIR/summary-WAIT_MS (not in a subshell: the pool it starts must
# be the one the next run stops).
run() {
    local wait=$1 results=$STACK_DIR/load-$1.jsonl k t_stop t_up load orphans
    stack_pool_stop
    _stack_pool_env=()
    stack_pool_env PLCCOACH_PUBLIC_URL=http://localhost:8000 PLCCOACH_COACH_RATE_LIMIT=100000 \
        PLCCOACH_LOGIN_ATTEMPTS_PER_MINUTE=1000 PLCCOACH_DB_WAIT_MS="$wait"
    stack_pool_start
    stack_wait_health 200 60 || { echo "bench: the pool did not come up" >&2; exit 1; }
    : >"$STACK_DIR/clients"
    for k in $(seq 1 "$CLIENTS"); do
        http POST /api/auth/login -c "$STACK_DIR/c$k.jar" -H 'Content-Type: application/json' \
            --data "{\"email\":\"c$k@example.org\",\"password\":\"password-of-c$k\"}"
        printf 'plc_session=%s %s\n' "$(awk '$6 == "plc_session" { print $7 }' "$STACK_DIR/c$k.jar")" \
            "$(json_get csrf_token)" >>"$STACK_DIR/clients"
    done
    python3 "$PLC_SRCDIR/bench/ask-load.py" run "$(stack_url)" "$STACK_DIR/clients" "$ASKS" \
        >"$results" 2>>"$STACK_DIR/log/load.log" &
    load=$!
    asked() { [ "$(grep -c '"client"' "$results" || true)" -ge "$1" ]; }
    plc_poll 300 asked $((CLIENTS * ASKS / 3))
    t_stop=$EPOCHREALTIME
    pg_stop
    pg_start >&2
    t_up=$EPOCHREALTIME
    wait "$load"
    python3 "$PLC_SRCDIR/bench/ask-load.py" summary "$results" "$t_stop" "$t_up" \
        >"$STACK_DIR/summary-$wait" 2>/dev/null
    orphans=$(stack_psql -- -c "SELECT count(*) FROM conversations c WHERE (SELECT m.role FROM messages m
        WHERE m.conversation_id = c.id ORDER BY m.seq DESC LIMIT 1) = 'user'")
    printf '%s\n' "$orphans" >"$STACK_DIR/orphans-$wait"
    stack_psql -- -c "TRUNCATE conversations CASCADE" >/dev/null 2>&1
}

row() { # LABEL SUMMARY-JSON ORPHANS
    python3 -c '
import json, sys
d = json.loads(sys.argv[2])
print("| %s | %d | %d | %.2f | %d | %d | %s | %.0f / %.0f / %.0f | %.0f | %d of %d | %.0f |" % (
    sys.argv[1], d["requests"], d["failed"], d["outage_s"], d["in_flight_across_outage"],
    d["failed_in_outage"], sys.argv[3], d["p50_ms"], d["p95_ms"], d["max_ms"],
    d["max_ms_across_outage"], d["health_503_in_outage"], d["health_probes_in_outage"],
    d["health_max_ms_in_outage"]))' "$@"
}

run 0
run 3000
echo "| PLCCOACH_DB_WAIT_MS | asks | failed | outage (s) | in flight across it | failed among them | questions left unanswered | ask p50 / p95 / max (ms) | slowest across the outage (ms) | /health 503 during it | slowest /health during it (ms) |"
echo "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|"
row "0 (fail at once: before)" "$(cat "$STACK_DIR/summary-0")" "$(cat "$STACK_DIR/orphans-0")"
row "3000 (default)" "$(cat "$STACK_DIR/summary-3000")" "$(cat "$STACK_DIR/orphans-3000")"
tap_finish_quietly 0
