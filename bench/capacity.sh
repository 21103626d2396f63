#!/bin/bash
# shellcheck disable=SC2317  # the clean-up and helpers run from tap.sh and through cg_*
# bench/capacity.sh - how many simulated teachers one task holds.
#
# One Fargate task is 0.5 vCPU and 1 GB for nginx and the pool together
# (terraform/modules/compute).  This confines nginx and the pool (the
# master, its workers, nginx's master and workers) to the same: a cgroup
# with a CPU quota of 50 ms per 100 ms and a 1 GiB memory limit (cgroup v2
# cpu.max/memory.max where the machine has the unified hierarchy with those
# controllers, else cgroup v1 cpu.cfs_quota_us/memory.limit_in_bytes),
# else, when no cgroup can be written, `taskset` to one CPU and the user
# counts halved in the report (say which: the "confinement" line).
# PostgreSQL (RDS in production) and the model stand-in stay outside.
#
# The model stand-in (t/model/stub.py) answers like a hosted model: the
# first token after BENCH_FIRST_TOKEN_MS (500) plus one chunk's pace, then chunks of about three
# words (about four tokens) every BENCH_CHUNK_MS (100: about 40 tokens/s)
# for a text of about BENCH_TOKENS (400) tokens, so a streamed answer holds
# a worker about 10.5 s.  Each user (bench/capacity.py) signs in, then
# loops: list conversations, ask (streamed), read it to the end, give
# feedback, think 10-30 s.
#
# First the baseline: one user asking back to back (think 0.2-0.5 s) gives
# the first-token time of an idle task.  Then for each count of users in
# BENCH_USERS, BENCH_SECONDS of load, and a row: requests, errors (any
# non-2xx, a stream not ending in `done`), 503s, the first `delta` event's
# p50/p95 on the client's clock, the added p95 (p95 under load minus the
# baseline's p95), the most asks in flight at once (the workers the
# streams needed), the cgroup's CPU throttling and peak memory.  A count
# holds when it has 0 errors and an added p95 under 10 ms.  Then, from the
# pool's log, the asks that were their worker's first (the only ones
# that prepare statements: "coach answer" db_prepares > 0) and the
# pipeline's own time to first delta (server clock) of those and of the
# rest: an idle worker is woken only when every worker before it in the
# listener's queue is busy (EPOLLEXCLUSIVE wakes the first waiter), so a
# row's new high of asks in flight lands on workers that never answered.
#
#   PLC_BUILDDIR=var/build-plain bench/capacity.sh       # a build without sanitizers
#
# The workers warm before their first accept (PLCCOACH_WARM_START, on by
# default; BENCH_WARM=0 turns it off to measure a cold pool in the same
# way).  The library is ingested before the pool starts, so every worker
# warms on it and no SIGHUP is needed (warming again after an ingest is
# not needed either: the last section measures the first asks after one).
#
# Memory: nginx and the pool are started inside the confinement, so the
# cgroup's peak counts them from their first page (it used to move them
# in after the start, and a pool that had warmed before the move kept its
# pages charged outside: the "peak MiB" of a warmed run read 3-6 MiB); and
# each worker's resident (RSS) and private (USS: Private_Clean +
# Private_Dirty of smaps_rollup) memory and the pool's proportional share
# (PSS, master + workers) are read from /proc after the start and after
# the rows.
#
# Knobs: BENCH_USERS ("10 25 50"), BENCH_SECONDS (180), BENCH_WORKERS (30), BENCH_WARM (1),
# BENCH_QUEUE (4), BENCH_FIRST_TOKEN_MS, BENCH_CHUNK_MS, BENCH_TOKENS,
# BENCH_THINK_MIN/MAX (10/30), BENCH_BASE_SECONDS (60: the baseline's
# length; at 20 s its p95 was the second largest of about 21 asks, so one
# slow ask moved the "added p95" of every row by several ms,
# docs/performance.md).  Prints markdown.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
USERS=${BENCH_USERS:-10 25 50}
SECONDS_PER_RUN=${BENCH_SECONDS:-180}
WORKERS=${BENCH_WORKERS:-30}
QUEUE=${BENCH_QUEUE:-4}
FIRST_MS=${BENCH_FIRST_TOKEN_MS:-500}
CHUNK_MS=${BENCH_CHUNK_MS:-100}
TOKENS=${BENCH_TOKENS:-400}
THINK_MIN=${BENCH_THINK_MIN:-10}
THINK_MAX=${BENCH_THINK_MAX:-30}
BASE_SECONDS=${BENCH_BASE_SECONDS:-60}
PY="python3 $PLC_SRCDIR/bench/capacity.py"

bench_build
bench_stack_helpers
stack_require_servers
stack_init
D=$STACK_DIR

# ---- the confinement ---------------------------------------------------------------------
CG_KIND=
CG_HOME=
CG_V2=
CG_CPU=
CG_MEM=
cg_make() {
    local name=plccoach-capacity-$$
    if [ -f /sys/fs/cgroup/cgroup.controllers ] &&
        grep -qw cpu /sys/fs/cgroup/cgroup.controllers &&
        grep -qw memory /sys/fs/cgroup/cgroup.controllers &&
        mkdir "/sys/fs/cgroup/$name" 2>/dev/null; then
        CG_V2=/sys/fs/cgroup/$name
        if echo "50000 100000" >"$CG_V2/cpu.max" 2>/dev/null &&
            echo $((1024 * 1024 * 1024)) >"$CG_V2/memory.max" 2>/dev/null; then
            CG_KIND="cgroup v2: cpu.max 50000 100000, memory.max 1 GiB"
            return 0
        fi
        rmdir "$CG_V2"
        CG_V2=
    fi
    if [ -d /sys/fs/cgroup/cpu ] && [ -d /sys/fs/cgroup/memory ] &&
        mkdir "/sys/fs/cgroup/cpu/$name" 2>/dev/null; then
        CG_CPU=/sys/fs/cgroup/cpu/$name
        if mkdir "/sys/fs/cgroup/memory/$name" 2>/dev/null; then
            CG_MEM=/sys/fs/cgroup/memory/$name
            # v1 leaves the memory a process already uses charged where it
            # was unless the group takes the charges along.
            echo 3 >"$CG_MEM/memory.move_charge_at_immigrate" 2>/dev/null || true
            if echo 100000 >"$CG_CPU/cpu.cfs_period_us" && echo 50000 >"$CG_CPU/cpu.cfs_quota_us" &&
                echo $((1024 * 1024 * 1024)) >"$CG_MEM/memory.limit_in_bytes"; then
                CG_KIND="cgroup v1 (no unified cpu/memory controllers here): cpu.cfs_quota_us 50000 per 100000, memory.limit_in_bytes 1 GiB"
                return 0
            fi
            rmdir "$CG_MEM"
            CG_MEM=
        fi
        rmdir "$CG_CPU"
        CG_CPU=
    fi
    CG_KIND="taskset to CPU 0 (no writable cgroup): one whole CPU, so the user counts below are halved for 0.5 vCPU; no memory limit"
    return 1
}
cg_remove() {
    local d
    for d in $CG_V2 $CG_CPU $CG_MEM; do
        # Whatever is left moves back to the root before the directory goes.
        while read -r p; do echo "$p" >"${d%/*}/cgroup.procs" 2>/dev/null || true; done <"$d/cgroup.procs"
        rmdir "$d" 2>/dev/null || true
    done
}
# cg_enter PID...: each process (and its threads) into the confinement.
cg_enter() {
    local p
    for p in "$@"; do
        if [ -n "$CG_V2" ]; then
            echo "$p" >"$CG_V2/cgroup.procs"
        elif [ -n "$CG_CPU" ]; then
            echo "$p" >"$CG_CPU/cgroup.procs"
            echo "$p" >"$CG_MEM/cgroup.procs"
        else
            taskset -a -p -c 0 "$p" >/dev/null
        fi
    done
}
# cg_inside / cg_outside: this shell into the confinement (so that what it
# starts is charged there from its first page) and back where it was.
cg_inside() {
    if [ -n "$CG_V2" ] || [ -n "$CG_CPU" ]; then
        CG_HOME=$(cat /proc/self/cgroup)
        cg_enter "$BASHPID"
    fi
}
cg_outside() {
    local line ctl path
    [ -n "$CG_HOME" ] || return 0
    while IFS=: read -r _ ctl path; do
        if [ -n "$CG_V2" ] && [ -z "$ctl" ]; then
            echo "$BASHPID" >"/sys/fs/cgroup$path/cgroup.procs"
        elif [ -n "$CG_CPU" ] && [[ ",$ctl," == *,cpu,* ]]; then
            echo "$BASHPID" >"${CG_CPU%/*}$path/cgroup.procs"
        elif [ -n "$CG_MEM" ] && [ "$ctl" = memory ]; then
            echo "$BASHPID" >"${CG_MEM%/*}$path/cgroup.procs"
        fi
    done <<<"$CG_HOME"
}
# pool_mem: "rss_mean rss_max uss_mean uss_max" of the workers (MiB) and
# "pss_pool_MiB nginx_pss_MiB": read from each process's smaps_rollup.
pool_mem() {
    local p w=() n
    mapfile -t w < <(worker_pids)
    n=$(cat "$D/run/nginx.pid" 2>/dev/null || echo "$STACK_NGINX_PID")
    for p in "${w[@]}"; do printf 'w %s\n' "$(cat "/proc/$p/smaps_rollup" 2>/dev/null | tr '\n' ' ')"; done
    printf 'm %s\n' "$(tr '\n' ' ' <"/proc/$STACK_POOL_PID/smaps_rollup")"
    for p in $n $(worker_pids "$n"); do printf 'n %s\n' "$(cat "/proc/$p/smaps_rollup" 2>/dev/null | tr '\n' ' ')"; done
}
mem_summary() { # WHEN ASKS
    pool_mem | python3 -c '
import re, sys
when, asks = sys.argv[1:3]
w, pool, ng = [], 0.0, 0.0
for line in sys.stdin:
    kind, rest = line.split(" ", 1)
    f = {k: int(v) for k, v in re.findall(r"(\w+):\s+(\d+) kB", rest)}
    if not f:
        continue
    if kind == "w":
        w.append((f["Rss"] / 1024, (f["Private_Clean"] + f["Private_Dirty"]) / 1024))
    if kind in "wm":
        pool += f["Pss"] / 1024
    else:
        ng += f["Pss"] / 1024
rss = [a for a, b in w]; uss = [b for a, b in w]
print("| %s | %s | %d | %.1f / %.1f | %.1f / %.1f | %.1f | %.1f |" % (when, asks, len(w),
      sum(rss) / len(rss), max(rss), sum(uss) / len(uss), max(uss), pool, ng))' "$1" "$2"
}
# cg_stats: "throttled_ms peak_MiB" since the last cg_reset.
cg_reset() {
    [ -n "$CG_MEM" ] && echo 0 >"$CG_MEM/memory.max_usage_in_bytes" 2>/dev/null
    CG_T0=$(cg_throttled_us)
}
cg_throttled_us() {
    if [ -n "$CG_V2" ]; then
        awk '$1 == "throttled_usec" { print $2 }' "$CG_V2/cpu.stat"
    elif [ -n "$CG_CPU" ]; then
        awk '$1 == "throttled_time" { printf "%d\n", $2 / 1000 }' "$CG_CPU/cpu.stat"
    else
        echo 0
    fi
}
cg_stats() {
    local peak=0
    if [ -n "$CG_V2" ] && [ -f "$CG_V2/memory.peak" ]; then
        peak=$(cat "$CG_V2/memory.peak")
    elif [ -n "$CG_MEM" ]; then
        peak=$(cat "$CG_MEM/memory.max_usage_in_bytes")
    fi
    printf '%d %d\n' $((($(cg_throttled_us) - CG_T0) / 1000)) $((peak / 1048576))
}
CONFINED=1
cg_make || CONFINED=0
tap_cleanup cg_remove

# ---- the stack ------------------------------------------------------------------------------
coproc STUB { exec python3 "$PLC_SRCDIR/t/model/stub.py" --nodelay 2>>"$D/log/stub.log"; }
# shellcheck disable=SC2153  # STUB_PID is set by coproc
STACK_EXTRA_PIDS="${STACK_EXTRA_PIDS:-} $STUB_PID"
read -r -t 20 STUB_PORT <&"${STUB[0]}" || plc_die "the model stand-in did not start"
STUB_URL=http://127.0.0.1:$STUB_PORT

stack_pg_start >&2
# The workers' connections, the users' sign-ins, the command line.
echo "max_connections = $((WORKERS + 30))" >>"$D/pg/postgresql.conf"
pg_stop >&2
pg_start >&2
stack_migrate >&2
# shellcheck disable=SC2034  # read by t/lib/stack.sh
STACK_WORKERS=$WORKERS
# shellcheck disable=SC2034
STACK_QUEUE=$QUEUE
stack_pool_env PLCCOACH_PUBLIC_URL=http://localhost:8000 PLCCOACH_COACH_RATE_LIMIT=100000 \
    PLCCOACH_LOGIN_ATTEMPTS_PER_MINUTE_IP=100000 PLCCOACH_LOGIN_MAX_FAILURES_IP=100000 \
    PLCCOACH_LLM_BASE_URL="$STUB_URL" PLCCOACH_LLM_MODEL=stub-model \
    PLCCOACH_LLM_FIRST_TOKEN_TIMEOUT_MS=10000 PLCCOACH_LLM_TIMEOUT_MS=60000
WARM=${BENCH_WARM:-1}
[ "$WARM" = 1 ] || stack_pool_env PLCCOACH_WARM_START=false
# The library first: the workers warm on it.
stack_cli ingest "$PLC_SRCDIR/content/starter" >/dev/null || plc_die "the starter library did not ingest"
cg_inside
stack_pool_start >&2
stack_nginx_start >&2
cg_outside
stack_wait_health 200 || plc_die "/health did not answer 200"
warmed() { [ "$(grep -c '"msg":"worker warmed"' "$STACK_POOL_LOG")" -ge "$WORKERS" ]; }
[ "$WARM" = 1 ] && { plc_poll 120 warmed || plc_die "the workers did not warm"; }

max_users=0
for n in $USERS; do [ "$n" -gt "$max_users" ] && max_users=$n; done
: >"$D/users"
for i in $(seq "$max_users"); do
    printf 'password-teacher-%d\n' "$i" | stack_cli user add --email "teacher$i@example.org" \
        --name "Teacher $i" --password-stdin >/dev/null
    http POST /api/auth/login -c "$D/t$i.jar" -H 'Content-Type: application/json' \
        --data "{\"email\":\"teacher$i@example.org\",\"password\":\"password-teacher-$i\"}"
    [ "$HTTP_STATUS" = 200 ] || plc_die "sign-in failed for teacher$i: $HTTP_BODY"
    printf '%s %s\n' "$(awk '!/^#/ || /^#HttpOnly_/ { if (NF >= 7) printf "%s=%s", $6, $7 }' "$D/t$i.jar")" \
        "$(json_get csrf_token)" >>"$D/users"
done

# nginx and the pool into the confinement: the masters and their children
# now; workers the master starts later inherit its cgroup.
nginx_pids=$(cat "$D/run/nginx.pid" 2>/dev/null || echo "$STACK_NGINX_PID")
# shellcheck disable=SC2046  # lists of pids
cg_enter "$STACK_POOL_PID" $(worker_pids) "$nginx_pids" $(worker_pids "$nginx_pids")

# A text of about TOKENS tokens: words of about 1.3 tokens each.
TEXT=$(python3 -c '
import sys
words = ("Teams that meet every week agree on what students must learn, check it together "
         "with common assessments and plan help for those who need it. ").split()
n = int(int(sys.argv[1]) / 1.3)
print(" ".join(words[i % len(words)] for i in range(n)))' "$TOKENS")
behaviour() { # FIRST_MS CHUNK_MS
    python3 -c 'import json, sys; print(json.dumps({"text": sys.argv[3], "stall_before_ms": int(sys.argv[1]), "delay_ms_per_chunk": int(sys.argv[2])}))' \
        "$1" "$2" "$TEXT"
}
BASE=$(stack_url "")
BASE=${BASE%/}

echo "## Capacity of one task"
echo
san=
grep -q '^SAN_CFLAGS = .*-fsanitize' "$PLC_BUILDDIR/Makefile" 2>/dev/null && san=" WITH SANITIZERS (ASan+UBSan: slower and bigger than production)"
echo "Machine: $(bench_machine); build CFLAGS: ${BENCH_CFLAGS:-?}$san."
echo "Confinement of nginx and the pool: $CG_KIND."
if [ "$WARM" = 1 ]; then
    echo "Warm start: on (PLCCOACH_WARM_START); each worker's warm-up, ms: $(grep '"msg":"worker warmed"' "$STACK_POOL_LOG" |
        grep -o '"ms":[0-9]*' | cut -d: -f2 | sort -n | awk '{ v[NR] = $1 } END { printf "p50 %d, max %d, %d workers", v[int((NR + 1) / 2)], v[NR], NR }')."
else
    echo "Warm start: off (PLCCOACH_WARM_START=false)."
fi
echo "Workers: $WORKERS, queue: $QUEUE (nginx max_conns $((WORKERS + QUEUE))); model stand-in: first token after ${FIRST_MS} + ${CHUNK_MS} ms, a chunk (about 4 tokens) every ${CHUNK_MS} ms, about $TOKENS tokens; think ${THINK_MIN}-${THINK_MAX} s; ${SECONDS_PER_RUN} s per row."
echo

mem_start=$(mem_summary "after the start and the sign-ins" 0)

# The baseline: one user, back to back, with the same first token as the
# rows below but the chunks after it unpaced, so that BASE_SECONDS hold
# enough asks for a p95 (60 s: about 65).
# The stand-in waits a chunk's pace before every chunk, the first one
# included, so a paced row's first token comes FIRST_MS + CHUNK_MS after
# the request: the baseline waits as long before its first chunk.
head -n 1 "$D/users" >"$D/users.1"
$PY run "$BASE" "$STUB_URL" "$D/users.1" "$BASE_SECONDS" "$(behaviour $((FIRST_MS + CHUNK_MS)) 0)" 0.2 0.5 >"$D/base.jsonl"
base=$($PY summary "$D/base.jsonl" 2>>"$D/failed.txt")
base_p95=$(printf '%s' "$base" | python3 -c 'import json, sys; print(json.load(sys.stdin)["first_p95_ms"])')
echo "Baseline (one user, back to back): $(printf '%s' "$base" | python3 -c 'import json, sys; d = json.load(sys.stdin); print("%d asks, first delta p50 %.1f ms, p95 %.1f ms" % (d["ask"], d["first_p50_ms"], d["first_p95_ms"]))')."
echo
echo "| users | lists | asks | feedback | errors | 503 | first delta p50 ms | p95 ms | added p95 ms | asks in flight (max) | CPU throttled ms | peak MiB | holds | worker's first asks | their server ttft p50 / max ms | the others' p50 / p95 ms |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|"
# llm_answers FROM: "ttft_ms db_prepares" of each answer by the model in
# the pool's log from line FROM on.
llm_answers() {
    tail -n +"$1" "$STACK_POOL_LOG" | python3 -c '
import json, sys
for line in sys.stdin:
    try:
        o = json.loads(line)
    except ValueError:
        continue
    if o.get("msg") == "coach answer" and o.get("mode") == "llm":
        print(o["ttft_ms"], o.get("db_prepares", 0))'
}
held=0
held_workers=0
asks_total=$(printf '%s' "$base" | python3 -c 'import json, sys; print(json.load(sys.stdin)["ask"])')
for n in $USERS; do
    head -n "$n" "$D/users" >"$D/users.$n"
    cg_reset
    log_from=$(($(wc -l <"$STACK_POOL_LOG") + 1))
    $PY run "$BASE" "$STUB_URL" "$D/users.$n" "$SECONDS_PER_RUN" "$(behaviour "$FIRST_MS" "$CHUNK_MS")" \
        "$THINK_MIN" "$THINK_MAX" >"$D/run.$n.jsonl"
    read -r throttled peak < <(cg_stats)
    cold=$(llm_answers "$log_from" | python3 -c '
import sys
first, rest = [], []
for line in sys.stdin:
    ttft, prepares = map(int, line.split())
    (first if prepares > 0 else rest).append(ttft)
def pct(v, p):
    v = sorted(v)
    return "%d" % v[int((len(v) - 1) * p / 100)] if v else "-"
print("%d | %s / %s | %s / %s" % (len(first), pct(first, 50), pct(first, 100), pct(rest, 50), pct(rest, 95)))')
    s=$($PY summary "$D/run.$n.jsonl" 2>>"$D/failed.txt")
    row=$(printf '%s' "$s" | python3 -c '
import json, sys
d = json.load(sys.stdin)
n, base, thr, peak, scale, cold = sys.argv[1:7]
err = d["list_errors"] + d["ask_errors"] + d["feedback_errors"]
added = d["first_p95_ms"] - float(base)
holds = err == 0 and added < 10
users = int(n) if scale == "1" else "%d (%.0f at 0.5 CPU)" % (int(n), int(n) / 2)
print("| %s | %d | %d | %d | %d | %d | %.1f | %.1f | %.1f | %d | %s | %s | %s | %s |" % (
    users, d["list"], d["ask"], d["feedback"], err, d["status_503"], d["first_p50_ms"],
    d["first_p95_ms"], added, d["asks_in_flight_max"], thr, peak, "yes" if holds else "no", cold))
print("HOLDS" if holds else "NO", d["asks_in_flight_max"])' "$n" "$base_p95" "$throttled" "$peak" "$CONFINED" "$cold")
    printf '%s\n' "$row" | head -n 1
    asks_total=$((asks_total + $(printf '%s' "$s" | python3 -c 'import json, sys; print(json.load(sys.stdin)["ask"])')))
    if [ "$(printf '%s\n' "$row" | tail -n 1 | cut -d' ' -f1)" = HOLDS ]; then
        held=$n
        held_workers=$(printf '%s\n' "$row" | tail -n 1 | cut -d' ' -f2)
    fi
done
echo
if [ "$held" -gt 0 ]; then
    echo "Largest count that held: $held users, the streams needing at most $held_workers workers at once (of $WORKERS)."
else
    echo "No count held."
fi
echo
echo "Memory of the pool (MiB; per worker from smaps_rollup: RSS, and USS = its private pages; PSS shares the master's pages among the processes that map them):"
echo
echo "| when | asks so far | workers | worker RSS mean / max | worker USS mean / max | pool PSS (master + workers) | nginx PSS |"
echo "|---|---:|---:|---:|---:|---:|---:|"
echo "$mem_start"
mem_summary "after the baseline and the rows" "$asks_total"

# The library changes under warm workers: a book more, then one user's
# asks back to back.  Nothing in a worker is keyed to the library (the
# stem cache is keyed by the word, the prepared statements by their
# text), so these should prepare nothing and take what the asks before
# took; if they did not, the workers would need to warm again.
cat >"$D/extra-book.md" <<'BOOK'
---
title: Bench Book on Team Feedback
authors: [Bench Author]
edition: Bench edition
sku: BENCH-001
sample: true
first_page: 1
---
<!-- page 1 -->

# Chapter 1: Feedback within a collaborative team

A collaborative team looks at common formative assessment results together, names the students who need more time and support, and agrees on the next steps for each of them. Feedback that students can act on names the learning target, shows where the work stands against it and says what to do next.
BOOK
stack_cli ingest "$D/extra-book.md" >/dev/null || plc_die "the extra book did not ingest"
log_from=$(($(wc -l <"$STACK_POOL_LOG") + 1))
$PY run "$BASE" "$STUB_URL" "$D/users.1" 10 "$(behaviour $((FIRST_MS + CHUNK_MS)) 0)" 0.2 0.5 >"$D/after-ingest.jsonl"
echo
echo "After an ingest (a book more), one user's asks back to back for 10 s, from the pool's log: $(llm_answers "$log_from" | python3 -c '
import sys
v = [tuple(map(int, line.split())) for line in sys.stdin]
if v:
    rest = sorted(t for t, _ in v[1:]) or [0]
    print("%d asks; the first: server ttft %d ms, %d statements prepared; the others: ttft p50 %d ms, %d prepared" % (
        len(v), v[0][0], v[0][1], rest[len(rest) // 2], sum(p for _, p in v[1:])))
else:
    print("no asks")')."
if [ -s "$D/failed.txt" ]; then
    echo
    echo "Failures (first 10):"
    echo
    head -n 10 "$D/failed.txt" | sed 's/^/    /'
fi
echo
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
tap_finish_quietly 0
