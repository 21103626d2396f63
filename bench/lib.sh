# shellcheck shell=bash
# shellcheck disable=SC2034,SC2317  # variables for the sourcing script; helpers called indirectly
# bench/lib.sh - what the benchmarks share: the stack helpers of the
# integration tests (t/lib/tap.sh, t/lib/stack.sh) without their TAP
# output, the choice of a build, and reading wrk's report.
#
#     . "$(dirname "$0")/lib.sh"        # from bench/, or ../lib.sh from bench/peers/
#     bench_build                       # PLC_BUILDDIR, built -O2 without sanitizers if needed
#     bench_stack_helpers               # then stack_start & co.
#     wrk_run URL OUT [WRK-ARGS...]     # 2 s warm-up, then a measured run
#     wrk_rps OUT; wrk_pct OUT 99%; wrk_errors OUT

: "${PLC_SRCDIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
export PLC_SRCDIR
BENCH_DURATION=${BENCH_DURATION:-10}
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-32}
BENCH_THREADS=${BENCH_THREADS:-2}

# shellcheck source=t/lib/tap.sh
. "$PLC_SRCDIR/t/lib/tap.sh"
# shellcheck source=scripts/lib.sh
. "$PLC_SRCDIR/scripts/lib.sh"

# Errors end the run without TAP noise; applied again after each file
# that defines plc_die.
bench_quiet() {
    plc_die() {
        printf 'bench: %s\n' "$*" >&2
        tap_finish_quietly 1
    }
    pass() { :; }
    fail() { printf 'bench: %s\n' "$*" >&2; }
    diag() { printf '# %s\n' "$*" >&2; }
}
bench_quiet

# bench_build: PLC_BUILDDIR, else the current directory when it is a build
# directory (make bench), else var/build built as scripts/up builds it.
# Refuses a sanitizer build (BENCH_ALLOW_SANITIZERS=1 to run anyway).
bench_build() {
    if [ -z "${PLC_BUILDDIR:-}" ]; then
        if [ -x "$PWD/plccoach-fcgi" ] && [ -f "$PWD/Makefile" ]; then
            PLC_BUILDDIR=$PWD
        else
            PLC_BUILDDIR=$PLC_SRCDIR/var/build
            plc_bootstrap
            plc_build "$PLC_BUILDDIR"
        fi
    fi
    PLC_BUILDDIR=$(cd "$PLC_BUILDDIR" && pwd)
    export PLC_BUILDDIR
    if grep -q '^SAN_CFLAGS = .*-fsanitize' "$PLC_BUILDDIR/Makefile" 2>/dev/null &&
        [ -z "${BENCH_ALLOW_SANITIZERS:-}" ]; then
        plc_die "$PLC_BUILDDIR is built with sanitizers: its numbers would mean nothing (BENCH_ALLOW_SANITIZERS=1 to run anyway)"
    fi
    BENCH_CFLAGS=$(sed -n 's/^CFLAGS = //p' "$PLC_BUILDDIR/Makefile" 2>/dev/null || true)
}

# bench_stack_helpers: sources t/lib/stack.sh (after bench_build).
bench_stack_helpers() {
    # shellcheck source=t/lib/stack.sh
    . "$PLC_SRCDIR/t/lib/stack.sh"
    bench_quiet
}

# bench_machine: one line on the machine and its load.
bench_machine() {
    printf '%s CPUs, %s; %s; load average %s' "$(nproc)" \
        "$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)" "$(uname -sr)" \
        "$(cut -d' ' -f1-3 /proc/loadavg)"
}

# wrk_run URL OUT [WRK-ARGS...]: warms up for 2 s, then measures
# BENCH_DURATION seconds; wrk's report in OUT.  Bounded by timeout.
wrk_run() {
    local url=$1 out=$2
    shift 2
    timeout 30 wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d2s "$@" "$url" >/dev/null
    timeout $((BENCH_DURATION + 30)) wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" \
        -d"${BENCH_DURATION}s" --timeout 5s --latency "$@" "$url" >"$out"
}

# wrk_rps OUT: requests per second.  wrk_pct OUT 50%: that latency
# percentile in ms.  wrk_errors OUT: non-2xx/3xx answers plus socket errors.
wrk_rps() { awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$1"; }
wrk_pct() {
    awk -v p="$2" '$1 == p {
        v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
        if (u == "us") v /= 1000; else if (u == "s") v *= 1000; else if (u == "m") v *= 60000
        printf "%.2f", v }' "$1"
}
wrk_errors() {
    awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ {
        for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) { sub(",", "", $i); n += $i } }
        END { print n + 0 }' "$1"
}

# ratio A B: A / B with two decimals (0 when B is 0).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'; }

# bench_teacher: a signed-in teacher (bench@example.org) with 30
# conversations of 4 messages, on the running stack; her session cookie in
# COOKIE ("name=value").  Needs D (the stack's directory).
bench_teacher() {
    printf 'password-bench-123\n' | stack_cli user add --email bench@example.org --name Bench \
        --password-stdin >/dev/null
    http POST /api/auth/login -c "$D/bench.jar" -H 'Content-Type: application/json' \
        --data '{"email":"bench@example.org","password":"password-bench-123"}'
    [ "$HTTP_STATUS" = 200 ] || plc_die "sign-in failed: $HTTP_BODY"
    COOKIE=$(awk '!/^#/ || /^#HttpOnly_/ { if (NF >= 7) printf "%s=%s", $6, $7 }' "$D/bench.jar")
    stack_psql -- -c "
        INSERT INTO conversations (user_id, title)
        SELECT u.id, 'Conversation ' || g FROM users u, generate_series(1, 30) g
        WHERE u.email = 'bench@example.org';
        INSERT INTO messages (conversation_id, role, content)
        SELECT c.id, CASE WHEN k % 2 = 1 THEN 'user' ELSE 'assistant' END,
               repeat('How does our team write a common formative assessment? ', 6)
        FROM conversations c, generate_series(1, 4) k ORDER BY c.id, k;" >/dev/null
}

# bench_per_request FILE1 FILE2 N: from two callgrind profiles of the same
# process kind, FILE2 having served N requests more: "total I" and one
# "function I" line per function (inclusive, over 200), per request.
# Temporary files in D.
bench_per_request() {
    local a b
    a=$(mktemp -p "$D") b=$(mktemp -p "$D")
    callgrind_annotate --inclusive=yes --threshold=100 --auto=no "$1" >"$a"
    callgrind_annotate --inclusive=yes --threshold=100 --auto=no "$2" >"$b"
    /usr/bin/python3 - "$a" "$b" "$3" <<'PY'
import re, sys
def load(path):
    total, fns = 0, {}
    for line in open(path):
        m = re.match(r"\s*([\d,]+) \([^)]*\)\s+(.*)$", line)
        if not m:
            continue
        n = int(m.group(1).replace(",", ""))
        what = m.group(2)
        if what.startswith("PROGRAM TOTALS"):
            total = n
            continue
        if re.search(r"\(\d+x\)", what):
            continue  # a recursion's cycle line, not a function's total
        fn = re.sub(r"\s*\[.*\]$", "", what).split(":")[-1]
        # callgrind_annotate may list a function twice, under its file's
        # absolute and relative names, each with the whole cost: the same
        # figure, not two parts of it.
        fns[fn] = max(fns.get(fn, 0), n)
    return total, fns
(t1, f1), (t2, f2), n = load(sys.argv[1]), load(sys.argv[2]), int(sys.argv[3])
print("total %d" % round((t2 - t1) / n))
for fn in sorted(f2, key=lambda k: -(f2[k] - f1.get(k, 0))):
    d = (f2[fn] - f1.get(fn, 0)) / n
    if d >= 200:
        print("%s %d" % (fn, round(d)))
PY
}
