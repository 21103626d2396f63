#!/bin/bash
# bench/ask-cost.sh - what an ask costs, two or more builds in one run
# (perf29; trans29's measure): on one throwaway stack with the starter and
# evaluation libraries (t/lib/holdout.sh), each round runs
# `plccoach eval valid-pages.jsonl valid-scope.jsonl --json` (806 lines)
# without and with --coach for every build, the order rotated from round
# to round.  The ask's part is the --coach run minus the search-only run:
# wall time, the client's CPU (user + system, /usr/bin/time) and
# PostgreSQL's (the CPU of the backends that exited during the run: the
# postmaster's reaped children, cutime + cstime of /proc/PID/stat).
# Round 1 is left out of the medians (autovacuum after the ingest falls
# into its first runs).  Prints each round, then per build the medians and
# the median of the rounds' ratios to the first build.
#
#   BENCH_BIN_main=/a/plccoach BENCH_BIN_new=/b/plccoach \
#     BENCH_ASK_BINS="main new" BENCH_ROUNDS=5 bench/ask-cost.sh
#
# Needs a configured build directory (PLC_BUILDDIR, default var/build) with
# eval/holdout/mkbooks built; the reports of each run are kept in
# BENCH_OUT (default: a new directory under /tmp).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
: "${PLC_SRCDIR:=$SRC}"
: "${PLC_BUILDDIR:=$SRC/var/build}"
export PLC_SRCDIR PLC_BUILDDIR
ROUNDS=${BENCH_ROUNDS:-5}
read -ra bins <<<"${BENCH_ASK_BINS:?bench: set BENCH_ASK_BINS and BENCH_BIN_NAME for each}"
OUT=${BENCH_OUT:-$(mktemp -d /tmp/ask-cost.XXXXXX)}
. "$PLC_SRCDIR/t/lib/integration.sh"
. "$PLC_SRCDIR/t/lib/holdout.sh"
holdout_stack >&2
pm=$(head -1 "$STACK_DIR/pg/postmaster.pid")
tck=$(getconf CLK_TCK)
pgcpu() { awk -v t="$tck" '{ printf "%.2f\n", ($16 + $17) / t }' "/proc/$pm/stat"; }
files=("$PLC_SRCDIR/eval/holdout/valid-pages.jsonl" "$PLC_SRCDIR/eval/holdout/valid-scope.jsonl")
: >"$OUT/results"
for ((r = 1; r <= ROUNDS; r++)); do
    for ((i = 0; i < ${#bins[@]}; i++)); do
        b=${bins[$(((i + r) % ${#bins[@]}))]}
        v=BENCH_BIN_$b
        for mode in search coach; do
            extra=()
            [ "$mode" = coach ] && extra=(--coach)
            p0=$(pgcpu)
            s=$(date +%s.%N)
            STACK_CLI=/usr/bin/time stack_cli -f "%U %S" -o "$OUT/time" "${!v:?bench: set $v}" \
                eval "${files[@]}" --json "${extra[@]}" >"$OUT/$r.$b.$mode.json" 2>"$OUT/$r.$b.$mode.err" ||
                bail "plccoach eval failed ($b, $mode)"
            e=$(date +%s.%N)
            sleep 1
            echo "$r $b $mode $(echo "$e - $s" | bc) $(tail -1 "$OUT/time") $(echo "$(pgcpu) - $p0" | bc) $(cut -d' ' -f1-3 /proc/loadavg)" |
                tee -a "$OUT/results" >&2
        done
    done
done
python3 - "$OUT/results" "${bins[0]}" <<'PY'
import statistics as st, sys
R = {}
for l in open(sys.argv[1]):
    f = l.split()
    R[(int(f[0]), f[1], f[2])] = (float(f[3]), float(f[4]) + float(f[5]), float(f[6]))
rounds = sorted({k[0] for k in R if k[0] > 1})
bins = list(dict.fromkeys(k[1] for k in R))
ask = {(r, b): [c - s for c, s in zip(R[(r, b, "coach")], R[(r, b, "search")])] for r in rounds for b in bins}
for a in ask.values():
    a.append(a[1] + a[2])
names = ("wall", "client CPU", "PostgreSQL CPU", "client + PostgreSQL CPU")
print("| build | ask part, s (median of rounds 2-%d): %s | ratio to %s (by round) |" % (rounds[-1], ", ".join(names), sys.argv[2]))
print("|---|---|---|")
for b in bins:
    med = ", ".join("%.2f" % st.median(ask[(r, b)][k] for r in rounds) for k in range(4))
    rat = "; ".join("%s %.3f (%s)" % (n, st.median(ask[(r, b)][k] / ask[(r, sys.argv[2])][k] for r in rounds),
                    " / ".join("%.2f" % (ask[(r, b)][k] / ask[(r, sys.argv[2])][k]) for r in rounds))
                    for k, n in enumerate(names))
    print("| %s | %s | %s |" % (b, med, rat if b != sys.argv[2] else ""))
PY
done_testing >&2
