#!/bin/bash
# A Multi-AZ failover (issue 15): RDS promotes the standby and moves the
# DNS name.  The equivalent here: a real streaming replica
# (pg_basebackup -R) of the primary, synchronous as Multi-AZ is
# (synchronous_standby_names), and the pool connected with libpq's
# multi-host string `host=a,b,c port=p,q,r target_session_attrs=read-write`
# in PLCCOACH_DATABASE_URL.  Clients ask the coach (JSON and streamed
# answers); mid-run the primary is killed (pg_ctl -m immediate: its
# zone is gone) and the standby promoted.  Two rounds:
#
#   1. a quick failover: the standby is promoted at once;
#   2. a long one (a new standby of the new primary, the third host): the
#      promotion waits until a request has failed, so the outage outlasts
#      PLCCOACH_DB_WAIT_MS as RDS's 60-120 s do.
#
# Asserted each round: every answer a client was given (its message_id) is
# on the new primary afterwards; every request that failed did so cleanly
# (a 5xx with the JSON error envelope, or a stream that ended with its
# `error` event) and none hung; a request (an answer, or GET /health)
# succeeds again within FAILOVER_RESUME_S of the promotion.  The counts are printed as
# diagnostics (docs/operations.md records them).  And a request that gives
# up gives up after one PLCCOACH_DB_WAIT_MS in all, not one per statement.  The default
# PLCCOACH_DB_WAIT_MS (3 s) is used: what a failover costs with the
# production setting is what is measured.
# shellcheck disable=SC2317  # helpers are called through plc_poll
. "$(dirname "$0")/../lib/integration.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
[ -x "$PLC_PGBIN/pg_basebackup" ] || skip_all "pg_basebackup is not installed"
CLIENTS=6
ASKS=${FAILOVER_ASKS:-12}
RESUME_S=${FAILOVER_RESUME_S:-10}
STACK_WORKERS=8
WAIT_MS=3000 # PLCCOACH_DB_WAIT_MS's default
stack_require_servers
stack_init
stack_pg_start
stack_migrate

# Standbys in $STACK_DIR/pg2 and pg3, stopped by the clean-up.
standbys_stop() {
    local d
    for d in pg2 pg3; do
        [ -f "$STACK_DIR/$d/postmaster.pid" ] || continue
        _stack_as_user "$PLC_PGBIN/pg_ctl" -D "$STACK_DIR/$d" -m immediate -w stop >/dev/null 2>&1
    done
    return 0
}
tap_cleanup standbys_stop
_port_ready() {
    "$PLC_PGBIN/pg_isready" -q -h "$STACK_DIR/run" -p "$1" -U postgres -d postgres
}
_sync_standby() {
    [ "$(stack_psql -- -c "SELECT count(*) FROM pg_stat_replication
        WHERE state = 'streaming' AND sync_state = 'sync'")" = 1 ]
}
# standby_start DIR PORT: a synchronous standby of the current primary
# ($STACK_PG_PORT) in $STACK_DIR/DIR on PORT, streaming when this returns.
standby_start() {
    _stack_as_user "$PLC_PGBIN/pg_basebackup" -h "$STACK_DIR/run" -p "$STACK_PG_PORT" -U postgres \
        -D "$STACK_DIR/$1" -R -X stream -c fast --no-sync >>"$STACK_DIR/log/basebackup.log" 2>&1 ||
        bail "pg_basebackup failed: $(tail -n 5 "$STACK_DIR/log/basebackup.log")"
    _stack_as_user "$PLC_PGBIN/pg_ctl" -D "$STACK_DIR/$1" -l "$STACK_DIR/log/$1.log" -W \
        -o "-p $2 -k $STACK_DIR/run -c listen_addresses=127.0.0.1" start >/dev/null ||
        bail "the standby in $1 did not start"
    plc_poll "$STACK_DEADLINE" _port_ready "$2" ||
        bail "the standby in $1 did not start: $(tail -n 5 "$STACK_DIR/log/$1.log")"
    # Synchronous, as Multi-AZ is: a commit is acknowledged once the
    # standby has it (the stack turns synchronous_commit off for speed).
    stack_psql -- -c "ALTER SYSTEM SET synchronous_standby_names = '*'" \
        -c "ALTER SYSTEM SET synchronous_commit = on" -c "SELECT pg_reload_conf()" >/dev/null
    plc_poll "$STACK_DEADLINE" _sync_standby || bail "the standby in $1 is not streaming synchronously"
}

# Three hosts for the whole test: the primary, the first standby, and
# the standby of round 2 (absent until then; libpq skips it).
P1=$STACK_PG_PORT P2=$(plc_free_port) P3=$(plc_free_port)
[ "$P2" != "$P3" ] && [ "$P2" != "$P1" ] && [ "$P3" != "$P1" ] || bail "plc_free_port gave a port twice"
standby_start pg2 "$P2"
pass "a synchronous streaming standby of the primary runs on its own port"

stack_pool_env PLCCOACH_PUBLIC_URL=http://localhost:8000 PLCCOACH_COACH_RATE_LIMIT=10000 \
    PLCCOACH_DB_WAIT_MS="$WAIT_MS" PLCCOACH_DATABASE_URL="host=$STACK_DIR/run,$STACK_DIR/run,$STACK_DIR/run port=$P1,$P2,$P3 dbname=$STACK_DB user=postgres target_session_attrs=read-write"
stack_pool_start
stack_nginx_start
stack_wait_health 200 || bail "GET /health did not answer 200: $HTTP_BODY"
stack_cli ingest "$PLC_SRCDIR/content/starter" >"$STACK_DIR/log/ingest.log" 2>&1 ||
    bail "the starter library did not ingest"
users_clients_file "$CLIENTS" "$STACK_DIR/clients"

_asked() { [ "$(grep -c '"client"' "$1" || true)" -ge "$2" ]; }
_one_failed() { grep -q '"ok": false' "$1"; }

# failover_round NAME FROM_DIR TO_DIR TO_PORT quick|long: the load, the
# primary in FROM_DIR killed, TO_DIR promoted; then the checks.
failover_round() {
    local name=$1 from=$2 to=$3 port=$4 how=$5 results=$STACK_DIR/$1.jsonl load rc
    python3 "$PLC_SRCDIR/bench/ask-load.py" run "$(stack_url)" "$STACK_DIR/clients" "$ASKS" \
        >"$results" 2>"$STACK_DIR/log/$name-load.log" &
    load=$!
    STACK_EXTRA_PIDS="${STACK_EXTRA_PIDS:-} $load"
    plc_poll 120 _asked "$results" $((CLIENTS * 2)) ||
        bail "the load did not start: $(tail -n 5 "$STACK_DIR/log/$name-load.log")"
    local t_stop=$EPOCHREALTIME t_down t_up
    _stack_as_user "$PLC_PGBIN/pg_ctl" -D "$STACK_DIR/$from" -m immediate -w stop >/dev/null
    t_down=$EPOCHREALTIME
    if [ "$how" = long ]; then
        # The outage lasts until a request has given up waiting for it.
        plc_poll 120 _one_failed "$results" || diag "$name: no request failed in 120 s"
    fi
    local t_promote=$EPOCHREALTIME
    _stack_as_user "$PLC_PGBIN/pg_ctl" -D "$STACK_DIR/$to" -w -t "$STACK_DEADLINE" promote >/dev/null ||
        bail "the standby in $to was not promoted: $(tail -n 5 "$STACK_DIR/log/$to.log")"
    t_up=$EPOCHREALTIME
    STACK_PG_PORT=$port
    # The test's own probe: the load can end before the promotion does
    # (every ask left failed or finished during the outage), and then no
    # success of the load's ends after it.  The first /health 200 after
    # the promotion counts as service back too.
    local t_back=-1
    if plc_poll "$RESUME_S" _stack_health_is 200; then t_back=$EPOCHREALTIME; fi
    rc=0
    wait "$load" || rc=$?
    is "$rc" 0 "$name: the load ran to its end"
    is "$(stack_psql -- -c 'SELECT pg_is_in_recovery()')" f "$name: the promoted standby is the primary"

    python3 "$PLC_SRCDIR/bench/ask-load.py" summary "$results" "$t_stop" "$t_up" \
        >"$STACK_DIR/$name.summary" 2>"$STACK_DIR/log/$name-failed.log"
    python3 - "$results" "$t_up" "$t_promote" "$t_back" >"$STACK_DIR/$name.checks" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
asks = [r for r in rows if "client" in r]
up = float(sys.argv[2])
promote = float(sys.argv[3])
probe = float(sys.argv[4])  # the test's own first /health 200 after it, or -1
unclean = []
for r in asks:
    if r["ok"]:
        continue
    clean = False
    if r["status"] == 200 and r["mode"] == "sse":
        clean = r["error"] == "stream ended with error"
    elif 500 <= r["status"] <= 599:
        try:
            clean = isinstance(json.loads(r["error"])["error"]["code"], str)
        except (ValueError, KeyError, TypeError):
            clean = False
    if not clean:
        unclean.append("%s %s %s %s" % (r["client"], r["i"], r["status"], r["error"]))
# Service is back at the first success (an answer or a 200 from /health)
# that ends after the promotion began.  The new primary can serve before
# `pg_ctl promote -w` returns, and the last asks can finish before it
# does (then no /health probe starts after it): measured from the
# command's return, such a resumption counts as 0 ms.
resumed = [r["end"] for r in rows
           if (r.get("health") == 200 or r.get("ok")) and r["end"] >= promote]
if probe >= promote:
    resumed.append(probe)
acked = [r["message_id"] for r in asks if r["ok"] and r["message_id"]]
print(json.dumps({
    "acked": len(acked), "acked_ids": ",".join(str(m) for m in acked),
    "acked_without_id": sum(1 for r in asks if r["ok"] and not r["message_id"]),
    "unclean": unclean,
    "codes": sorted(set("%s %s" % (r["status"], r["error"][:60] if r["error"] else "")
                        for r in asks if not r["ok"])),
    "resume_ms": max(0, round((min(resumed) - up) * 1000)) if resumed else -1,
    "slowest_failed_ms": max((r["ms"] for r in asks if not r["ok"]), default=0),
}))
PY
    local n failed overlapping max_ms h_other acked found resume_ms
    n=$(json_get requests "$STACK_DIR/$name.summary")
    failed=$(json_get failed "$STACK_DIR/$name.summary")
    overlapping=$(json_get in_flight_across_outage "$STACK_DIR/$name.summary")
    max_ms=$(json_get max_ms "$STACK_DIR/$name.summary")
    h_other=$(json_get health_other "$STACK_DIR/$name.summary")
    acked=$(json_get acked "$STACK_DIR/$name.checks")
    resume_ms=$(json_get resume_ms "$STACK_DIR/$name.checks")
    found=$(stack_psql -- -c "SELECT count(*) FROM messages WHERE role = 'assistant'
        AND id::text = ANY (string_to_array('$(json_get acked_ids "$STACK_DIR/$name.checks")', ','))")
    diag "$name: kill $t_stop, down $t_down, promoted $t_up ($(awk -v a="$t_stop" -v b="$t_up" 'BEGIN { printf "%.2f", b - a }') s)"
    diag "$name: asks $n, failed $failed, in flight across the failover $overlapping, slowest $max_ms ms"
    diag "$name: GET /health 200 again $resume_ms ms after the promotion; answers given $acked, on the new primary $found"
    [ "$failed" = 0 ] || diag "$name: failures: $(json_get codes "$STACK_DIR/$name.checks")"
    is "$n" $((CLIENTS * ASKS)) "$name: every client asked $ASKS questions"
    ok "$name: the failover fell inside the load ($overlapping requests in flight across it)" \
        test "$overlapping" -ge 1
    is "$(json_get acked_without_id "$STACK_DIR/$name.checks")" 0 "$name: every answer given carried its message_id"
    is "$(json_get unclean "$STACK_DIR/$name.checks")" "[]" \
        "$name: each of the $failed failed requests was a 5xx JSON error or a stream's error event"
    ok "$name: none hung (the slowest request took $max_ms ms)" awk -v m="$max_ms" 'BEGIN { exit !(m < 30000) }'
    ok "$name: service resumed within $RESUME_S s of the promotion ($resume_ms ms)" \
        awk -v m="$resume_ms" -v b="$RESUME_S" 'BEGIN { exit !(m >= 0 && m < b * 1000) }'
    is "$h_other" 0 "$name: GET /health never answered anything but 200 or 503"
    is "$((acked + failed))" "$n" "$name: every request got an answer or a visible failure"
    is "$found" "$acked" "$name: every acknowledged answer ($acked) is on the new primary"
    local slowest_failed
    slowest_failed=$(json_get slowest_failed_ms "$STACK_DIR/$name.checks")
    ok "$name: a request gave up after one PLCCOACH_DB_WAIT_MS, not one per statement (slowest failure $slowest_failed ms)" \
        awk -v m="$slowest_failed" -v w="$WAIT_MS" 'BEGIN { exit !(m < w + 3000) }'
    if [ "$how" = long ]; then
        ok "$name: an outage longer than PLCCOACH_DB_WAIT_MS failed requests ($failed)" test "$failed" -ge 1
    fi
}

failover_round quick pg pg2 "$P2" quick
standby_start pg3 "$P3"
failover_round long pg2 pg3 "$P3" long

http GET /health
is "$HTTP_STATUS" 200 "GET /health answers 200 after both failovers"
is "$(grep -c '"msg":"worker died"' "$STACK_POOL_LOG" || true)" 0 "no worker died"

done_testing
