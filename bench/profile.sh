#!/bin/bash
# bench/profile.sh - where a trivial request's work goes, in figures that
# do not depend on the machine's load: instructions (valgrind's callgrind)
# and system calls (strace -c) per request, for a worker of the pool and
# for the bare libfcgi peer (bench/peers/fcgi-hello.c), and the system
# calls of nginx's worker for the same requests.
#
# Instructions: the process is run under callgrind twice, serving
# BENCH_N1 and then BENCH_N2 requests (our worker exits by itself after
# --max-requests; the peer is stopped with SIGTERM), and the difference of
# the two profiles divided by the difference of the requests each served
# (for our worker, from its "worker recycling after N requests" line: the
# pool draws each worker's budget up to a tenth below --max-requests, and
# the requests past it go to the next worker) is the cost of one
# request, start-up and exit cancelled out; the same difference per
# function (inclusive) splits it.  System calls: strace -c -f attached to
# the one worker (and to nginx's worker) during BENCH_N2 requests.
#
#   PLC_BUILDDIR=var/bench bench/profile.sh [PATH...]   # default: /health/live /health /api/conversations
#
# Requests are sent one at a time over one kept-alive client connection
# (python3 http.client), through nginx (the local stack's config).
# Knobs: BENCH_N1 (200), BENCH_N2 (1200).  Prints markdown.
# shellcheck disable=SC2317  # helpers called through plc_poll
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$HERE/lib.sh"
N1=${BENCH_N1:-200}
N2=${BENCH_N2:-1200}
ROUTES=("$@")
[ ${#ROUTES[@]} -gt 0 ] || ROUTES=(/health/live /health /api/conversations)
plc_ensure_packages "${PLC_PKGS_BENCH[@]}" valgrind spawn-fcgi

bench_build
bench_stack_helpers
stack_require_servers spawn-fcgi
stack_init
D=$STACK_DIR
mkdir -p "$D/cg"
chmod 0777 "$D/cg"
stack_pg_start >&2
stack_migrate >&2
STACK_WORKERS=1
STACK_DEADLINE=120
stack_pool_env PLCCOACH_PUBLIC_URL=http://localhost:8000
stack_pool_start >&2
stack_nginx_start >&2
stack_wait_health 200 || plc_die "GET /health did not answer 200"
bench_teacher

# hit PATH N: N requests one after the other over one connection; fails
# unless every one answered 200.
hit() {
    /usr/bin/python3 - "$STACK_NGINX_PORT" "$1" "$2" "$COOKIE" <<'PY'
import http.client, sys
port, path, n, cookie = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
for _ in range(n):
    c.request("GET", path, headers={"Cookie": cookie})
    r = c.getresponse()
    r.read()
    if r.status != 200:
        sys.exit("GET %s: %d" % (path, r.status))
PY
}

# The bare libfcgi peer, reachable through the same nginx.
cc -O2 -g -o "$D/fcgi-hello" "$HERE/peers/fcgi-hello.c" -lfcgi || plc_die "cannot build fcgi-hello.c"
chmod 0755 "$D" "$D/fcgi-hello"
sed -i "s|^\(\s*\)include api_locations.conf;|&\n\1location = /peer/fcgi-hello { include fastcgi_params.conf; fastcgi_pass unix:$D/run/peer.sock; }|" \
    "$D/nginx/nginx.conf"
kill -HUP "$STACK_NGINX_PID"
sleep 1
spawn_user=()
[ -n "$STACK_USER" ] && spawn_user=(-u "$STACK_USER" -g "$STACK_GROUP")
# peer_start [WRAPPER...]: one fcgi-hello process under spawn-fcgi; its pid.
peer_start() {
    rm -f "$D/run/peer.pid" "$D/run/peer.sock"
    spawn-fcgi -s "$D/run/peer.sock" -M 0666 -F 1 -P "$D/run/peer.pid" "${spawn_user[@]}" \
        -- "$@" "$D/fcgi-hello" >>"$D/log/spawn-fcgi.log" 2>&1 || plc_die "spawn-fcgi failed"
    plc_poll 30 test -s "$D/run/peer.pid" || plc_die "spawn-fcgi wrote no pid file"
    sleep 1
    cat "$D/run/peer.pid"
}

has_worker() { [ -n "$(worker_pids)" ]; }

# callgrind_run KIND PATH N: one callgrind profile of N requests to PATH
# in CG_FILE (not run in a subshell: it restarts the stack's pool).
callgrind_run() {
    local kind=$1 path=$2 n=$3 w pid
    rm -f "$D"/cg/cg.*
    printf '#!/bin/sh\nexec valgrind --tool=callgrind --callgrind-out-file=%s/cg/cg.%%p "$@"\n' \
        "$D" >"$D/vg.sh"
    printf '#!/bin/sh\nexec %s/vg.sh %s/plccoach-fcgi "$@"\n' "$D" "$PLC_BUILDDIR" >"$D/vg-pool.sh"
    chmod 0755 "$D/vg.sh" "$D/vg-pool.sh"
    if [ "$kind" = ours ]; then
        stack_pool_stop >&2
        STACK_MAX_REQUESTS=$n
        STACK_FCGI=$D/vg-pool.sh
        stack_pool_start >&2
        plc_poll 60 has_worker || plc_die "no worker: $(tail -n 5 "$STACK_POOL_LOG")"
        w=$(worker_pids)
        sleep 2
        hit "$path" "$n" || plc_die "requests failed"
        plc_poll 120 test ! -d "/proc/$w" || plc_die "the worker did not exit after $n requests"
        STACK_FCGI=$PLC_BUILDDIR/plccoach-fcgi
        STACK_MAX_REQUESTS=0
        stack_pool_stop >&2
        stack_pool_start >&2
    else
        pid=$(peer_start "$D/vg.sh")
        hit "$path" "$n" || plc_die "requests failed"
        kill -TERM "$pid"
        plc_poll 60 test ! -d "/proc/$pid" || plc_die "the peer did not exit"
        w=$pid
    fi
    CG_FILE=$D/cg/cg.$w
    if [ "$kind" = ours ]; then
        CG_SERVED=$(grep "\"pid\":$w,.*worker recycling after" "$STACK_POOL_LOG" | tail -n 1 |
            sed -n 's/.*recycling after \([0-9]*\) requests.*/\1/p')
        [ -n "$CG_SERVED" ] || plc_die "worker $w logged no recycling line"
    else
        CG_SERVED=$n
    fi
}

# syscalls PID... : strace -c of those processes during N2 requests of
# PATH (read from $path); per request.
strace_counts() {
    local path=$1 out=$2
    shift 2
    local s=() p
    for p in "$@"; do
        strace -f -c -o "$out.$p" -p "$p" &
        s+=($!)
    done
    sleep 1
    hit "$path" "$N2" || plc_die "requests failed"
    kill -INT "${s[@]}"
    wait "${s[@]}" 2>/dev/null || true
    /usr/bin/python3 - "$N2" "$out".* <<'PY'
import sys, re
n = int(sys.argv[1])
calls = {}
for f in sys.argv[2:]:
    for line in open(f):
        p = line.split()
        if len(p) >= 5 and p[0][0].isdigit() and p[-1] not in ("total",) and re.match(r"^\d+$", p[3]):
            calls[p[-1]] = calls.get(p[-1], 0) + int(p[3])
tot = sum(calls.values())
print("%.1f: %s" % (tot / n, ", ".join("%s %.1f" % (k, v / n) for k, v in sorted(calls.items(), key=lambda kv: -kv[1]) if v / n >= 0.05)))
PY
    rm -f "$out".*
}

nginx_worker() { pgrep -P "$STACK_NGINX_PID" | head -n 1; }

echo "## Instructions and system calls per request (bench/profile.sh)"
echo
echo "One worker; about BENCH_N2 - BENCH_N1 = $((N2 - N1)) requests one at a time through nginx; $(bench_machine)."
echo
KEY_FNS="FCGX_Accept_r request_parse router_dispatch auth_guard session_load h_health h_health_live h_conversations_list db_exec PQexecParams PQexecPrepared resp_finish FCGX_Finish_r log_fields request_free json_object_to_json_string_length FCGX_FPrintF"
for target in peer "${ROUTES[@]}"; do
    if [ "$target" = peer ]; then
        kind=peer path=/peer/fcgi-hello label="bare libfcgi hello (peer)"
    else
        kind=ours path=$target label="ours: GET $target"
    fi
    printf 'bench: callgrind %s\n' "$label" >&2
    callgrind_run "$kind" "$path" "$N1"
    cp "$CG_FILE" "$D/one"
    served1=$CG_SERVED
    callgrind_run "$kind" "$path" "$N2"
    bench_per_request "$D/one" "$CG_FILE" "$((CG_SERVED - served1))" >"$D/per"
    if [ "$kind" = ours ]; then
        w=$(worker_pids)
    else
        w=$(peer_start)
    fi
    hit "$path" 20 || true
    printf 'bench: strace %s\n' "$label" >&2
    sys_app=$(strace_counts "$path" "$D/st.app" "$w")
    sys_nginx=$(strace_counts "$path" "$D/st.ngx" "$(nginx_worker)")
    [ "$kind" = peer ] && kill -TERM "$w"
    echo "### $label"
    echo
    echo "- instructions per request, the whole process: $(awk '$1 == "total" { print $2 }' "$D/per") (the two profiles' difference over $((CG_SERVED - served1)) requests)"
    echo "- system calls per request, the application process: $sys_app"
    echo "- system calls per request, nginx's worker: $sys_nginx"
    echo
    echo "| function (inclusive) | instructions per request |"
    echo "|---|---:|"
    for fn in $KEY_FNS; do
        awk -v f="$fn" '$1 == f { printf "| `%s` | %s |\n", $1, $2 }' "$D/per"
    done
    echo
    echo "<details><summary>every function over 200 instructions per request</summary>"
    echo
    awk '$1 != "total" { printf "%s %s; ", $1, $2 }' "$D/per"
    echo
    echo "</details>"
    echo
done
echo "Command: BENCH_N1=$N1 BENCH_N2=$N2 bench/profile.sh ${ROUTES[*]}; build CFLAGS: ${BENCH_CFLAGS:-?}."
tap_finish_quietly 0
