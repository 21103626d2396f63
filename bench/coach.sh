#!/bin/bash
# shellcheck disable=SC2317  # pass/fail/diag are called by the sourced helpers
# bench/coach.sh - the coach through nginx, with the model stand-in
# (t/model/stub.py) and the starter library.
#
#  1. Time to first token: the stand-in's own (asked directly, client to
#     first content chunk), and through the whole stack (POST
#     /api/coach/ask streamed through nginx, client to the first `delta`
#     event), N questions one at a time.  The server's log splits the
#     stack's time: the pipeline's work before the model call (history,
#     retrieval, saving the question: "coach answer" ttft_ms minus "llm:
#     call" ttft_ms), the model call to its first delta (libcurl connect +
#     the stand-in), and what is left: nginx, FastCGI, sign-in and rate-limit
#     checks and relaying the delta to the client (client first delta minus
#     the pipeline's own ttft_ms).
#  2. C concurrent streamed answers (each stand-in chunk delayed, so they
#     overlap), with BENCH_WORKERS workers: errors, wall time, memory (PSS
#     of the pool, sampled).
#  3. Extractive mode (no model service): N non-streamed questions one at a
#     time through nginx; client and server times.
#
#   PLC_BUILDDIR=var/build-plain bench/coach.sh     # a build without sanitizers
#
# Knobs: BENCH_N (200), BENCH_CONCURRENCY (64), BENCH_WORKERS (72),
# BENCH_CHUNK_DELAY_MS (20).  Prints markdown tables.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
: "${PLC_SRCDIR:=$SRC}"
: "${PLC_BUILDDIR:=$PWD}"
export PLC_SRCDIR PLC_BUILDDIR
N=${BENCH_N:-200}
C=${BENCH_CONCURRENCY:-64}
WORKERS=${BENCH_WORKERS:-72}
DELAY=${BENCH_CHUNK_DELAY_MS:-20}
PY="python3 $PLC_SRCDIR/bench/coach-ttfb.py"

. "$PLC_SRCDIR/t/lib/tap.sh"
. "$PLC_SRCDIR/t/lib/stack.sh"
pass() { :; }
fail() { printf 'bench: %s\n' "$*" >&2; }
diag() { printf '# %s\n' "$*" >&2; }
[ -x "$PLC_BUILDDIR/plccoach-fcgi" ] || { echo "bench: build first ($PLC_BUILDDIR)" >&2; exit 1; }

# pct P < numbers: the P-th percentile (nearest rank).
pct() { sort -n | awk -v p="$1" '{ v[NR] = $1 } END { i = int((NR - 1) * p / 100) + 1; printf "%.1f", v[i] }'; }
row() { # LABEL FILE
    printf '| %s | %s | %s | %s |\n' "$1" "$(pct 50 <"$2")" "$(pct 95 <"$2")" "$(wc -l <"$2" | tr -d ' ')"
}

stack_require_servers
stack_init
# Two stand-ins: the default writes with Nagle's algorithm on (Python's
# http.server), the other with TCP_NODELAY (--nodelay, as llama.cpp's
# server, Ollama and vLLM do).  The time to first token is measured
# against each.
coproc STUB { exec python3 "$PLC_SRCDIR/t/model/stub.py" 2>>"$STACK_DIR/log/stub.log"; }
# shellcheck disable=SC2153  # STUB_PID is set by coproc
STACK_EXTRA_PIDS="${STACK_EXTRA_PIDS:-} $STUB_PID"
read -r -t 20 STUB_PORT <&"${STUB[0]}" || { echo "bench: the stand-in did not start" >&2; exit 1; }
python3 "$PLC_SRCDIR/t/model/stub.py" --nodelay >"$STACK_DIR/stub-nodelay.port" \
    2>>"$STACK_DIR/log/stub.log" &
STACK_EXTRA_PIDS="$STACK_EXTRA_PIDS $!"
for _ in $(seq 200); do [ -s "$STACK_DIR/stub-nodelay.port" ] && break; sleep 0.1; done
read -r STUB_ND_PORT <"$STACK_DIR/stub-nodelay.port" || { echo "bench: the stand-in did not start" >&2; exit 1; }
STUB_URL=http://127.0.0.1:$STUB_PORT

stack_pg_start >&2
# One connection per worker, plus room for the command line.
echo "max_connections = $((WORKERS + 30))" >>"$STACK_DIR/pg/postgresql.conf"
pg_stop >&2
pg_start >&2
stack_migrate >&2
STACK_WORKERS=$WORKERS
pool_env_model=(PLCCOACH_PUBLIC_URL=http://localhost:8000 PLCCOACH_COACH_RATE_LIMIT=100000
    PLCCOACH_LLM_BASE_URL="$STUB_URL" PLCCOACH_LLM_MODEL=stub-model)
stack_pool_env "${pool_env_model[@]}"
stack_pool_start >&2
stack_nginx_start >&2
stack_wait_health 200 || { echo "bench: /health" >&2; exit 1; }
PLCCOACH_DATABASE_URL="$(stack_conninfo)" "$STACK_CLI" ingest "$PLC_SRCDIR/content/starter" >/dev/null
printf 'password-bench-123\n' | stack_cli user add --email bench@example.org --name bench \
    --password-stdin >/dev/null
http POST /api/auth/login -c "$STACK_DIR/bench.jar" -H 'Content-Type: application/json' \
    --data '{"email":"bench@example.org","password":"password-bench-123"}'
CSRF=$(json_get csrf_token)
COOKIE=$(awk '!/^#/ || /^#HttpOnly_/ { if (NF >= 7) printf "%s=%s; ", $6, $7 }' "$STACK_DIR/bench.jar")

# ttft LABEL PORT: the time to first token against the stand-in on PORT
# (the pool restarted to use it).
ttft() {
    local label=$1 port=$2
    stack_pool_stop >&2
    _stack_pool_env=("${pool_env_common[@]}" PLCCOACH_LLM_BASE_URL="http://127.0.0.1:$port")
    stack_pool_start >&2
    stack_wait_health 200 || { echo "bench: /health" >&2; exit 1; }
    echo "### $label"
    echo
    $PY direct "$port" 20 >/dev/null # warm up
    $PY direct "$port" "$N" >"$STACK_DIR/direct.txt"
    $PY stack "$STACK_NGINX_PORT" "$COOKIE" "$CSRF" 20 >/dev/null
    start_line=$(wc -l <"$STACK_POOL_LOG")
    $PY stack "$STACK_NGINX_PORT" "$COOKIE" "$CSRF" "$N" >"$STACK_DIR/stack.txt"
    tail -n +"$((start_line + 1))" "$STACK_POOL_LOG" >"$STACK_DIR/pool-ttfb.log"
    python3 - "$STACK_DIR" <<'PY'
import json, sys, os
d = sys.argv[1]
llm, coach = {}, {}
for line in open(os.path.join(d, "pool-ttfb.log")):
    try:
        o = json.loads(line)
    except ValueError:
        continue
    rid = o.get("request_id")
    if o.get("msg") == "llm: call":
        llm[rid] = o["ttft_ms"]
    elif o.get("msg") == "coach answer":
        coach[rid] = o["ttft_ms"]
out = {k: open(os.path.join(d, k + ".txt"), "w")
       for k in ("client", "meta", "pre", "model", "relay", "done")}
for line in open(os.path.join(d, "stack.txt")):
    rid, meta, first, done = line.split()
    if rid not in llm or rid not in coach:
        continue
    first, meta = float(first), float(meta)
    out["client"].write("%.3f\n" % first)
    out["meta"].write("%.3f\n" % meta)
    out["done"].write("%s\n" % done)
    out["pre"].write("%d\n" % (coach[rid] - llm[rid]))
    out["model"].write("%d\n" % llm[rid])
    out["relay"].write("%.3f\n" % (first - coach[rid]))
PY
    echo "| what | p50 ms | p95 ms | n |"
    echo "|---|---:|---:|---:|"
    row "the stand-in's own first token, asked directly" "$STACK_DIR/direct.txt"
    row "first \`delta\` through nginx (client clock)" "$STACK_DIR/client.txt"
    row "... of which the pipeline before the model call (history, retrieval, saving the question)" "$STACK_DIR/pre.txt"
    row "... of which the model call to its first delta (libcurl + the stand-in)" "$STACK_DIR/model.txt"
    row "... of which the rest: nginx, FastCGI, sign-in, rate limit, relaying the delta" "$STACK_DIR/relay.txt"
    row "\`meta\` event through nginx (client clock)" "$STACK_DIR/meta.txt"
    row "\`done\` (the whole answer) through nginx (client clock)" "$STACK_DIR/done.txt"
    awk -v a="$(pct 95 <"$STACK_DIR/client.txt")" -v b="$(pct 95 <"$STACK_DIR/direct.txt")" \
        'BEGIN { printf "| first `delta` p95 minus the stand-in'"'"'s own p95 | | %.1f | |\n", a - b }'
    echo
}

pool_env_common=(PLCCOACH_PUBLIC_URL=http://localhost:8000 PLCCOACH_COACH_RATE_LIMIT=100000
    PLCCOACH_LLM_MODEL=stub-model)
echo "## Coach: time to first token ($N questions, one at a time, $(nproc) cores)"
echo
ttft "the stand-in with Nagle's algorithm (Python's http.server default)" "$STUB_PORT"
ttft "the stand-in with TCP_NODELAY (--nodelay: llama.cpp's server, Ollama, vLLM)" "$STUB_ND_PORT"

stack_pool_stop >&2
_stack_pool_env=("${pool_env_common[@]}" PLCCOACH_LLM_BASE_URL="$STUB_URL")
stack_pool_start >&2
stack_wait_health 200 || { echo "bench: /health" >&2; exit 1; }
echo "## Coach: $C concurrent streamed answers ($WORKERS workers, stand-in chunks delayed ${DELAY} ms)"
echo
responses=$(python3 -c "import json; print(json.dumps({'responses': [{'delay_ms_per_chunk': $DELAY}] * $C}))")
pss() { # the pool's PSS in KiB (master and workers)
    local p total=0 v
    for p in $STACK_POOL_PID $(worker_pids); do
        v=$(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)
        total=$((total + ${v:-0}))
    done
    echo "$total"
}
echo "| burst | answers | errors | wall ms | done p50 ms | done p95 ms | pool PSS before | pool PSS peak |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
# Two bursts: the first reaches workers that have not served yet (each
# opens its PostgreSQL connection then: a new connection forks a backend);
# the second finds them all connected, as a running service does.
for burst in "first (cold connections)" "second (warm)"; do
    curl -s -f -X POST -H 'Content-Type: application/json' --data "$responses" "$STUB_URL/__script" >/dev/null
    idle=$(pss)
    echo "$idle" >"$STACK_DIR/peak"
    ( peak=$idle; while :; do v=$(pss); [ "$v" -gt "$peak" ] && peak=$v && echo "$peak" >"$STACK_DIR/peak"; sleep 0.2; done ) &
    sampler=$!
    result=$($PY concurrent "$STACK_NGINX_PORT" "$COOKIE" "$CSRF" "$C")
    kill "$sampler" 2>/dev/null || true
    wait "$sampler" 2>/dev/null || true
    peak=$(cat "$STACK_DIR/peak" 2>/dev/null || echo "$idle")
    read -r _ okn _ errs _ wall _ p50 _ p95 <<<"$result"
    echo "| $burst | $okn | $errs | $wall | $p50 | $p95 | $((idle / 1024)) MiB | $((peak / 1024)) MiB |"
done
echo

echo "## Coach: extractive mode ($N questions, one at a time, JSON)"
echo
stack_pool_stop >&2
_stack_pool_env=(PLCCOACH_PUBLIC_URL=http://localhost:8000 PLCCOACH_COACH_RATE_LIMIT=100000)
STACK_WORKERS=2
stack_pool_start >&2
stack_wait_health 200 || { echo "bench: /health" >&2; exit 1; }
$PY json "$STACK_NGINX_PORT" "$COOKIE" "$CSRF" 20 >/dev/null
start_line=$(wc -l <"$STACK_POOL_LOG")
$PY json "$STACK_NGINX_PORT" "$COOKIE" "$CSRF" "$N" >"$STACK_DIR/extractive.txt"
tail -n +"$((start_line + 1))" "$STACK_POOL_LOG" |
    python3 -c '
import json, sys
for line in sys.stdin:
    try:
        o = json.loads(line)
    except ValueError:
        continue
    if o.get("msg") == "coach answer" and o.get("mode") == "extractive":
        print(o["total_ms"])' >"$STACK_DIR/extractive-server.txt"
echo "| what | p50 ms | p95 ms | n |"
echo "|---|---:|---:|---:|"
row "client, through nginx" "$STACK_DIR/extractive.txt"
row "the pipeline in the worker (retrieval, composing, verifying, saving)" "$STACK_DIR/extractive-server.txt"
tap_finish_quietly 0
