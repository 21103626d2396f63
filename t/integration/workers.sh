#!/bin/bash
# The master supervises its workers: a worker killed with SIGKILL is
# replaced, --max-requests recycles workers, SIGHUP replaces the whole
# pool (letting a request in flight finish), and through all of it the
# master stays and every request succeeds.  Killing the master takes its
# workers with it.
# shellcheck disable=SC2317  # helpers are called through ok and plc_poll
. "$(dirname "$0")/../lib/integration.sh"

STACK_WORKERS=2
stack_start

# requests_ok N: N requests of GET /health, all 200.
requests_ok() {
    local i
    for ((i = 0; i < $1; i++)); do
        http GET /health
        if [ "$HTTP_STATUS" != 200 ]; then
            diag "request $i answered $HTTP_STATUS: $HTTP_BODY"
            return 1
        fi
    done
}

# pool_is N NOT-THESE: N workers, none of them in NOT-THESE.
pool_is() {
    local want=$1 old=$2 pids p
    pids=$(worker_pids)
    [ "$(grep -c . <<<"$pids")" -eq "$want" ] || return 1
    for p in $pids; do
        [[ " $old " == *" $p "* ]] && return 1
    done
    return 0
}

# none_alive PID...: none of these processes is alive.
none_alive() {
    local p
    for p in "$@"; do
        plc_pid_alive "$p" && return 1
    done
    return 0
}

# in_flight N: N requests have been accepted by workers.
in_flight() {
    [ "$(fcgi_in_flight)" -ge "$1" ]
}

master=$(pool_pid)
ok "the master is running" plc_pid_alive "$master"
is "$(worker_count)" 2 "two workers"

# ---- kill -9 of a worker -------------------------------------------------------
before=$(worker_pids | tr '\n' ' ')
victim=${before%% *}
kill -KILL "$victim"
survivor=$(echo "$before" | tr ' ' '\n' | grep -vx "$victim" | grep . || true)
ok "a new worker replaces the killed one" plc_poll 60 pool_is 2 "$victim"
after=$(worker_pids | tr '\n' ' ')
like "$after" "(^| )$survivor( |$)" "the other worker was left alone"
ok "the master logged the death and the signal" \
    grep -q "\"msg\":\"worker died\",\"worker_pid\":$victim,\"slot\":[0-9]*,\"how\":\"signal 9" "$STACK_POOL_LOG"
ok "the next 20 requests all succeed" requests_ok 20
is "$(pool_pid)" "$master" "the master is the same"
ok "the master is alive" plc_pid_alive "$master"

# ---- SIGHUP: a new generation ------------------------------------------------
before=$(worker_pids | tr '\n' ' ')
slow_out=$STACK_DIR/slow.out
curl -s -o "$slow_out" -w '%{http_code}' "$(stack_url '/api/debug/sleep?ms=1500')" >"$slow_out.status" &
slow=$!
STACK_EXTRA_PIDS="$slow"
ok "a slow request is in flight" plc_poll 60 in_flight 1
kill -HUP "$master"
ok "SIGHUP: two new workers, none of the old ones" plc_poll 60 pool_is 2 "$before"
ok "requests succeed during and after the restart" requests_ok 20
wait "$slow" || true
is "$(cat "$slow_out.status")" 200 "the request in flight at SIGHUP completed (200)"
like "$(cat "$slow_out")" '"slept_ms":1500' "... with its full answer"
is "$(pool_pid)" "$master" "the master is the same after SIGHUP"
ok "the master logged the restart" grep -q 'SIGHUP: restarting the worker pool' "$STACK_POOL_LOG"
# shellcheck disable=SC2086  # a list of pids
ok "the old workers exited" plc_poll 60 none_alive $before

# ---- --max-requests ---------------------------------------------------------
stack_pool_stop
STACK_MAX_REQUESTS=5
stack_pool_start
master=$(pool_pid)
before=$(worker_pids | tr '\n' ' ')
ok "30 requests with --max-requests 5 all succeed" requests_ok 30
after=$(worker_pids | tr '\n' ' ')
isnt "$after" "$before" "the workers were replaced"
recycled() {
    [ "$(grep -c '"msg":"worker recycled"' "$STACK_POOL_LOG" || true)" -ge "$1" ]
}
ok "the master recycled at least 5 workers (30 requests, 5 each)" plc_poll 60 recycled 5
max_served=$(perl -MJSON::PP -ne '
    my $l = eval { decode_json($_) } or next;
    $n{$l->{pid}}++ if ($l->{msg} // "") eq "request" && ($l->{role} // "") eq "worker";
    END { my $m = 0; for (values %n) { $m = $_ if $_ > $m } print $m }' \
    <(sed -n "/\"pid\":$master,\"msg\":\"master started\"/,\$p" "$STACK_POOL_LOG"))
ok "no worker served more than 5 requests (most: $max_served)" test "$max_served" -le 5
is "$(pool_pid)" "$master" "the master is the same"
ok "no worker died" eval "! grep -q '\"msg\":\"worker died\"' <(sed -n '/\"pid\":$master,\"msg\":\"master started\"/,\$p' '$STACK_POOL_LOG')"

# ---- Backoff: a worker that keeps dying right after its start ----------------------
# Kill the occupant of one slot as soon as it appears, four times: each
# death within 10 s of the start doubles the delay before the next respawn.
# The pool is restarted without --max-requests first, so no other worker is
# recycled meanwhile, and the slot is followed through the master's log
# (each spawn and death names its slot), not by comparing pid lists.
stack_pool_stop
STACK_MAX_REQUESTS=0
stack_pool_start
master=$(pool_pid)
master_log() { sed -n "/\"pid\":$master,\"msg\":\"master started\"/,\$p" "$STACK_POOL_LOG"; }
# slot_pid SLOT: the pid of the latest worker spawned into SLOT.
slot_pid() {
    master_log | sed -n "s/.*\"msg\":\"worker spawned\",\"worker_pid\":\([0-9]*\),\"slot\":$1[,}].*/\1/p" |
        tail -n 1
}
# slot_respawned SLOT OLD-PID: SLOT holds a live worker other than OLD-PID.
slot_respawned() {
    local p
    p=$(slot_pid "$1")
    [ -n "$p" ] && [ "$p" != "$2" ] && plc_pid_alive "$p"
}
victim=$(slot_pid 0)
ok "the master logged slot 0's worker" test -n "$victim"
for round in 1 2 3 4; do
    kill -KILL "$victim"
    plc_poll 60 slot_respawned 0 "$victim" || bail "slot 0 was not refilled in round $round"
    victim=$(slot_pid 0)
done
delays=$(master_log | sed -n 's/.*"msg":"worker died",.*"slot":0,.*"respawn_in_ms":\([0-9]*\).*/\1/p' |
    xargs echo)
is "$(wc -w <<<"$delays")" 4 "four deaths in slot 0 were logged ($delays)"
is "$(master_log | grep -c '"msg":"worker died",.*"slot":1,' || true)" 0 "slot 1 never died"
read -r _ d2 d3 d4 <<<"$delays"
ok "a crash loop backs off: $delays ms, each delay double the last" \
    test "${d2:-0}" -ge 100 -a "${d3:-0}" -eq $((${d2:-0} * 2)) -a "${d4:-0}" -eq $((${d3:-0} * 2))
ok "and the pool still answers" requests_ok 10
is "$(pool_pid)" "$master" "the master is the same"

# ---- Killing the master ---------------------------------------------------------
workers=$(worker_pids | tr '\n' ' ')
kill -KILL "$master"
stack_pool_wait_exit 10 || true
# shellcheck disable=SC2086  # a list of pids
ok "kill -9 of the master: its workers exit too" plc_poll 60 none_alive $workers

done_testing
