#!/bin/bash
# bench/health.sh - GET /health through nginx -> FastCGI -> PostgreSQL
# against GET /health/nginx, which nginx answers itself from the same
# config, in the same run; in between, a FastCGI request that does not
# touch the database (the debug route /api/debug/sleep?ms=0), which
# separates the cost of FastCGI from that of the query.  Then the resident
# memory of the pool.
#
#   bench/health.sh                      # builds var/build (-O2) if needed
#   PLC_BUILDDIR=/path/to/build bench/health.sh
#   make bench                           # from a build directory
#
# Knobs: BENCH_DURATION (15 s per endpoint), BENCH_CONNECTIONS (50),
# BENCH_THREADS (2), BENCH_WORKERS (pool workers, 4).  Talks to 127.0.0.1
# only; the whole run is bounded (wrk runs under `timeout`).  Prints a
# markdown table for docs/performance.md.
# shellcheck disable=SC2016,SC2317  # backquotes are markdown; helpers are called indirectly
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# Read before bench/lib.sh, which sets its own defaults for these.
DURATION=${BENCH_DURATION:-15}
CONNS=${BENCH_CONNECTIONS:-50}
THREADS=${BENCH_THREADS:-2}
# shellcheck source=bench/lib.sh
. "$HERE/lib.sh"

command -v wrk >/dev/null 2>&1 || plc_die "wrk is not installed (apt-get install wrk)"
# Which build (bench/lib.sh): PLC_BUILDDIR, else the current directory when
# it is a build directory (make bench), else var/build, built as scripts/up
# builds it; a sanitizer build is refused.
bench_build
bench_stack_helpers
cflags=$BENCH_CFLAGS

STACK_WORKERS=${BENCH_WORKERS:-4}
STACK_NGINX_WORKERS=auto
stack_start >&2

# run URL-PATH OUT: warm up for 2 s, then measure; wrk's report in OUT.
run() {
    local url
    url=$(stack_url "$1")
    timeout 30 wrk -t"$THREADS" -c"$CONNS" -d2s "$url" >/dev/null
    timeout $((DURATION + 30)) wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 5s --latency \
        "$url" >"$2"
}

# field OUT WHAT: Requests/sec, or a latency percentile (50%, 99%) in ms.
rps() { awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$1"; }
pct() {
    awk -v p="$2" '$1 == p {
        v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
        if (u == "us") v /= 1000; else if (u == "s") v *= 1000; else if (u == "m") v *= 60000
        printf "%.2f", v }' "$1"
}
errors() {
    awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ {
        for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) { sub(",", "", $i); n += $i } }
        END { print n + 0 }' "$1"
}

echo "bench: wrk -t$THREADS -c$CONNS -d${DURATION}s on each endpoint ($STACK_WORKERS FastCGI workers)" >&2
run /health "$STACK_DIR/fcgi.txt"
run '/api/debug/sleep?ms=0' "$STACK_DIR/nodb.txt"
run /health/nginx "$STACK_DIR/static.txt"

fcgi_rps=$(rps "$STACK_DIR/fcgi.txt")
static_rps=$(rps "$STACK_DIR/static.txt")
nodb_rps=$(rps "$STACK_DIR/nodb.txt")
percent() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b > 0) ? 100 * a / b : 0 }'; }
ratio=$(percent "$fcgi_rps" "$static_rps")
nodb_ratio=$(percent "$nodb_rps" "$static_rps")

# Resident memory: RSS counts every page mapped in, shared ones included;
# PSS divides each shared page among the processes that share it.
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo "?"; }
pss() { awk '/^Pss:/ { print $2 }' "/proc/$1/smaps_rollup" 2>/dev/null || echo "?"; }
master=$(pool_pid)

echo
echo "| endpoint | answered by | requests/s | p50 latency (ms) | p99 latency (ms) | errors |"
echo "|---|---|---:|---:|---:|---:|"
printf '| `GET /health` | nginx → FastCGI → PostgreSQL (`SELECT 1`) | %s | %s | %s | %s |\n' \
    "$fcgi_rps" "$(pct "$STACK_DIR/fcgi.txt" 50%)" "$(pct "$STACK_DIR/fcgi.txt" 99%)" "$(errors "$STACK_DIR/fcgi.txt")"
printf '| `GET /api/debug/sleep?ms=0` | nginx → FastCGI, no database | %s | %s | %s | %s |\n' \
    "$nodb_rps" "$(pct "$STACK_DIR/nodb.txt" 50%)" "$(pct "$STACK_DIR/nodb.txt" 99%)" "$(errors "$STACK_DIR/nodb.txt")"
printf '| `GET /health/nginx` | nginx alone (static `return 200`) | %s | %s | %s | %s |\n' \
    "$static_rps" "$(pct "$STACK_DIR/static.txt" 50%)" "$(pct "$STACK_DIR/static.txt" 99%)" "$(errors "$STACK_DIR/static.txt")"
echo
echo "\`/health\` through FastCGI and PostgreSQL: ${ratio}% of nginx's static throughput;" \
    "FastCGI without the database: ${nodb_ratio}%."
echo
echo "| process | VmRSS after the run (KiB) | PSS (KiB) |"
echo "|---|---:|---:|"
echo "| master (pid $master) | $(rss "$master") | $(pss "$master") |"
for w in $(worker_pids); do
    echo "| worker (pid $w) | $(rss "$w") | $(pss "$w") |"
done
echo
echo "Command: BENCH_DURATION=$DURATION BENCH_CONNECTIONS=$CONNS BENCH_THREADS=$THREADS BENCH_WORKERS=$STACK_WORKERS bench/health.sh" \
    "(wrk -t$THREADS -c$CONNS -d${DURATION}s --latency after a 2 s warm-up, per endpoint)."
echo "Machine: $(nproc) CPUs, $(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo); $(uname -sr);" \
    "build CFLAGS: ${cflags:-?}; nginx $("$STACK_NGINX" -v 2>&1 | sed 's/.*nginx\///'), worker_processes auto."
tap_finish_quietly 0
