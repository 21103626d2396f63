#!/bin/bash
# bench/ranking-same.sh - do two builds rank the same?  A change made for
# speed (issue 17: the stem cache, the statements merged before the model
# call) must leave every ranking as it was.  One database: the starter
# library, the evaluation books (eval/holdout/books, rendered by mkbooks)
# ingested once with the NEW build; then every question of
# eval/holdout/tune.jsonl and eval/*.jsonl is searched with each build
# (plccoach search --json --k 10) and the ranked pages (book, printed
# pages, passage, fused and BM25 scores to 4 decimals) and the "nothing
# relevant" verdict compared, question by question.  The held-out split is never read.
#
#   bench/ranking-same.sh OLD_BUILDDIR NEW_BUILDDIR
#
# Each build dir holds plccoach (any flags); NEW's eval/holdout/mkbooks is
# built when missing.  When NEW's plccoach search has --no-cosine (the
# coach's way: with vector weight 0 the question is not embedded and the
# vector list not fetched unless BM25 leaves fewer than k passages), NEW
# is also run that way and compared with OLD on everything but the
# cosine (which that way is not computed).  Exits 0 when every ranking is
# identical, 1 with the first differences otherwise.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$HERE/lib.sh"
[ $# -eq 2 ] || plc_die "usage: bench/ranking-same.sh OLD_BUILDDIR NEW_BUILDDIR"
OLD=$(cd "$1" && pwd)
NEW=$(cd "$2" && pwd)
if [ ! -x "$OLD/plccoach" ] || [ ! -x "$NEW/plccoach" ]; then plc_die "no plccoach in $OLD or $NEW"; fi
[ -x "$NEW/eval/holdout/mkbooks" ] || make -C "$NEW" -s eval/holdout/mkbooks >/dev/null
PLC_BUILDDIR=$NEW
export PLC_BUILDDIR
bench_stack_helpers
stack_require_servers
stack_init
D=$STACK_DIR
stack_pg_start >&2
stack_migrate >&2
shopt -s nullglob
mkdir -p "$D/pdfs"
"$NEW/eval/holdout/mkbooks" "$D/pdfs" "$PLC_SRCDIR"/eval/holdout/books/*.book >/dev/null 2>"$D/mkbooks.err" ||
    plc_die "mkbooks failed: $(head -n 3 "$D/mkbooks.err")"
stack_cli ingest "$PLC_SRCDIR/content/starter" "$D/pdfs" "$PLC_SRCDIR"/eval/holdout/books/*.md \
    >/dev/null 2>"$D/ingest.err" || plc_die "ingest failed: $(tail -n 3 "$D/ingest.err")"

# The questions, one a line (JSON strings decoded).
python3 -c '
import json, sys
for f in sys.argv[1:]:
    for line in open(f):
        line = line.strip()
        if line:
            print(json.loads(line)["question"].replace("\n", " "))
' "$PLC_SRCDIR/eval/holdout/tune.jsonl" "$PLC_SRCDIR"/eval/*.jsonl >"$D/questions"

# ranked BUILD OUT [ARGS...]: one line per question, its ranking, into OUT,
# and the same without the cosine into OUT.nocos.
ranked() {
    local cli=$1/plccoach out=$2 q i=0
    shift 2
    mkdir -p "$D/json"
    while IFS= read -r q; do
        i=$((i + 1))
        STACK_CLI=$cli stack_cli search "$q" --json --k 10 "$@" >"$D/json/$i" || : >"$D/json/$i"
    done <"$D/questions"
    python3 -c '
import json, sys
d, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(out, "w") as full, open(out + ".nocos", "w") as nocos:
    for i in range(1, n + 1):
        try:
            r = json.load(open("%s/%d" % (d, i)))
        except ValueError:
            print("search failed", file=full)
            print("search failed", file=nocos)
            continue
        for f, cosine in ((full, True), (nocos, False)):
            print(json.dumps([r["nothing_relevant"], [(h["book"]["title"], h["pages"]["start"],
                  h["pages"]["end"], h["chunk_id"], h["score"] if cosine else None, h["bm25"])
                  for h in r["results"]]]), file=f)
' "$D/json" "$i" "$out"
}
# compare OLD NEW WHAT: prints the verdict; returns 1 when some differ.
compare() {
    local n failed same
    n=$(wc -l <"$D/questions")
    failed=$(cat "$1" "$2" | grep -c '^search failed$' || true)
    [ "$failed" -eq 0 ] || plc_die "$failed searches failed: no comparison"
    same=$(paste -d '\t' "$1" "$2" | awk -F'\t' '$1 == $2' | wc -l)
    echo "ranked the same$3: $same of $n questions (tune.jsonl and eval/*.jsonl, k 10)"
    [ "$same" -eq "$n" ] && return 0
    paste -d '\n' "$D/questions" "$1" "$2" | paste - - - |
        awk -F'\t' '$2 != $3 { print "differs: " $1; print "  old " $2; print "  new " $3; if (++k == 3) exit }'
    return 1
}
printf 'bench: %s questions with %s\n' "$(wc -l <"$D/questions")" "$OLD" >&2
ranked "$OLD" "$D/old"
printf 'bench: the same with %s\n' "$NEW" >&2
ranked "$NEW" "$D/new"
rc=0
compare "$D/old" "$D/new" "" || rc=1
if ! STACK_CLI=$NEW/plccoach stack_cli search --no-cosine 2>&1 | grep -q unrecognized; then
    printf 'bench: the same with %s --no-cosine\n' "$NEW" >&2
    ranked "$NEW" "$D/new-nc" --no-cosine
    compare "$D/old.nocos" "$D/new-nc.nocos" " (new --no-cosine, the cosine left out)" || rc=1
fi
tap_finish_quietly "$rc"

