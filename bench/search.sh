#!/bin/bash
# bench/search.sh - library search latency at 10k and 100k chunks.
#
# For each size: a throwaway PostgreSQL cluster (t/lib/stack.sh, loopback
# and a private socket only), N synthetic chunks (120 words each drawn
# with a fixed seed from a vocabulary of PLC and everyday words, in 1,000-
# chunk books), `plccoach reindex` (local embedder, bulk, then the HNSW
# index), then 20 questions x BENCH_REPEAT searches in each mode through
# `plccoach search --mode M --repeat R` (hybrid, vector-only, text-only:
# the whole search, query embedding and result assembly included, on one
# connection), beside pgbench running the bare SQL of each list with a
# fixed vector and query as the floor.  Prints a markdown table.
#
#   bench/search.sh                 # sizes 10000 100000
#   BENCH_SIZES=10000 bench/search.sh
#   PLC_BUILDDIR=/path/to/build bench/search.sh
#   BENCH_SETS="w_trans=0 w_trans=2" BENCH_SIZES=100000 bench/search.sh
#
# Knobs: BENCH_SIZES, BENCH_REPEAT (25 per question), BENCH_PGBENCH_SECONDS
# (10).  Bounded: every step runs under `timeout`.
#
# Settings side by side (BENCH_SETS): a space-separated list of variants,
# each a comma-separated list of search tunings as `plccoach search --set`
# takes them (src/library/README.md, "Retrieval"), e.g. "w_trans=0
# w_trans=2" or "w_trans=0 w_trans=2,trans_floor=0.05".  Then, in place of
# the four paths above and the cap's overlap, BENCH_ROUNDS rounds (3) of
# BENCH_MODES (hybrid text): within a round each question runs every
# variant in turn, the order reversed from one question and one round to
# the next, so that a machine's changing load falls on all of them alike.
# Printed per variant: each round's p50/p95 and their median; per variant
# after the first: the median over rounds of the round's ratio to the
# first variant; the load average at each round's start and end (stderr).
# A variant's item bin=NAME runs that variant with the binary named by the
# environment variable BENCH_BIN_NAME (two builds in one run), e.g.
#   BENCH_BIN_main=/a/plccoach BENCH_BIN_new=/b/plccoach \
#     BENCH_SETS="bin=main bin=new" bench/search.sh
# With BENCH_SETS, BENCH_MODES may also name "ask": `plccoach ask Q --json`
# (the coach's whole extractive ask: its routing search, the answer's
# translated ranking, composing; one process and connection a call),
# timed from outside, BENCH_REPEAT calls per question (perf29).
# (the corpus is loaded and indexed with PLC_BUILDDIR's plccoach).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
: "${PLC_SRCDIR:=$SRC}"
: "${PLC_BUILDDIR:=$PWD}"
export PLC_SRCDIR PLC_BUILDDIR
SIZES=${BENCH_SIZES:-10000 100000}
REPEAT=${BENCH_REPEAT:-25}
SETS=${BENCH_SETS:-}
ROUNDS=${BENCH_ROUNDS:-3}
MODES=${BENCH_MODES:-hybrid text}
PGB_SECONDS=${BENCH_PGBENCH_SECONDS:-10}
BENCH_CAP=${BENCH_CAP:-2000} # postings_cap's default (src/library/search_rank.c)

. "$PLC_SRCDIR/t/lib/tap.sh"
. "$PLC_SRCDIR/t/lib/stack.sh"
pass() { :; }
fail() { printf 'bench: %s\n' "$*" >&2; }
diag() { printf '# %s\n' "$*" >&2; }
# cli SECONDS ARGS...: the built plccoach on the stack's database, bounded.
cli() {
    local secs=$1
    shift
    PLCCOACH_DATABASE_URL="$(stack_conninfo)" timeout "$secs" "$STACK_CLI" "$@"
}
[ -x "$PLC_BUILDDIR/plccoach" ] || { echo "bench: build first ($PLC_BUILDDIR/plccoach)" >&2; exit 1; }

QUESTIONS=(
    "How do we write a CFA as a team?" "what is RTI" "kids falling behind in reading"
    "setting SMART goals for the unit" "team norms for meetings" "essential standards GVC"
    "how to look at student work together" "celebrating small wins with staff"
    "what do we do when students already know it" "data from the last assessment"
    "principal support for collaboration time" "MTSS tiers" "scoring rubrics together"
    "how long should a PLC meeting be" "intervention schedule ideas" "grading for learning"
    "building trust on a new team" "curriculum pacing guide" "how to use exit tickets"
    "leadership team responsibilities"
)

# pct P < numbers (one per line): the P-th percentile.
pct() { sort -n | awk -v p="$1" '{ v[NR] = $1 } END { i = int((NR - 1) * p / 100) + 1; printf "%.2f", v[i] }'; }

# median < numbers (one per line): the middle one (the lower of two).
median() { sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", v[int((NR + 1) / 2)] }'; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# vargs SET: a variant's --set arguments into args, its binary into vbin.
vargs() {
    local x v
    args=()
    vbin=$STACK_CLI
    IFS=, read -ra kv <<<"$1"
    for x in "${kv[@]}"; do
        if [[ $x == bin=* ]]; then
            v=BENCH_BIN_${x#bin=}
            vbin=${!v:?"bench: $x: set $v"}
        else
            args+=(--set "$x")
        fi
    done
}

# asks Q: BENCH_REPEAT calls of `plccoach ask Q` with $vbin, one time in
# ms a line (the tuning sets' --set is the search's, not the ask's).
asks() {
    local i t0 t1
    for ((i = 0; i < REPEAT; i++)); do
        t0=$(date +%s%N)
        STACK_CLI=$vbin cli 300 ask "$1" --json >/dev/null 2>&1
        t1=$(date +%s%N)
        echo "$t0 $t1" | awk '{ printf "%.3f\n", ($2 - $1) / 1e6 }'
    done
}

# path MODE: what a mode times, as the tables name it.
path() { if [ "$1" = ask ]; then echo "plccoach ask"; else echo "plccoach search --mode $1"; fi; }

# variants N: BENCH_SETS's variants interleaved, BENCH_ROUNDS rounds (above).
variants() {
    local n=$1 r mode q qi set x out vbin
    local -a sets order args kv
    read -ra sets <<<"$SETS"
    for ((r = 1; r <= ROUNDS; r++)); do
        echo "bench: $n chunks: round $r starts, load average $(loadavg)" >&2
        for mode in $MODES; do
            for set in "${sets[@]}"; do : >"$STACK_DIR/tmp/v.$mode.$set.$r.ms"; done
            qi=0
            for q in "${QUESTIONS[@]}"; do
                qi=$((qi + 1))
                order=("${sets[@]}")
                if (((qi + r) % 2)); then
                    order=()
                    for ((x = ${#sets[@]} - 1; x >= 0; x--)); do order+=("${sets[x]}"); done
                fi
                for set in "${order[@]}"; do
                    vargs "$set"
                    if [ "$mode" = ask ]; then
                        asks "$q" >>"$STACK_DIR/tmp/v.$mode.$set.$r.ms"
                        continue
                    fi
                    STACK_CLI=$vbin cli 300 search "$q" --mode "$mode" "${args[@]}" --repeat "$REPEAT" \
                        >>"$STACK_DIR/tmp/v.$mode.$set.$r.ms" 2>/dev/null
                done
            done
        done
        echo "bench: $n chunks: round $r ends, load average $(loadavg)" >&2
    done
    # What each variant reads: per question, the query's terms in the
    # library (the question's and the expansions) and their postings,
    # each term's df up to the cap (postings_cap, 2,000 by default).
    for set in "${sets[@]}"; do
        vargs "$set"
        for q in "${QUESTIONS[@]}"; do
            STACK_CLI=$vbin cli 60 search "$q" --mode text --json "${args[@]}"
            echo
        done | python3 -c '
import json, sys
cap = 2000
n = terms = exp = post = 0
for line in sys.stdin:
    if not line.strip():
        continue
    e = json.loads(line)["evidence"]
    t = [x for x in e["terms"] if x["df"] > 0]
    x = [x for x in e["expansions"] if x["df"] > 0]
    n += 1; terms += len(t); exp += len(x)
    post += sum(min(v["df"], cap) for v in t + x)
print("bench: %s chunks: %s: per question %.1f question terms and %.1f expansions in the library, %.0f postings (each term up to %d)"
      % (sys.argv[1], sys.argv[2], terms / n, exp / n, post / n, cap))' "$n" "$set" >&2
    done
    # The floor per variant: the first question's postings read as the
    # search reads them (its terms and expansions in the library, each
    # capped: db/lexicon.c's statement, 10 bytes a posting), through pgbench.
    for set in "${sets[@]}"; do
        vargs "$set"
        STACK_CLI=$vbin cli 60 search "${QUESTIONS[0]}" --mode text --json "${args[@]}" | python3 -c '
import json, sys
e = json.load(sys.stdin)["evidence"]
t = [x for x in e["terms"] + e["expansions"] if x["df"] > 0]
cap = int(sys.argv[1])
print("SELECT u.i, p.book_id, p.df, CASE WHEN u.cap > 0 AND u.dft > u.cap"
      " THEN substring(p.data FROM 1 FOR 10 * least(p.df, ceil(u.cap::float8 * p.df / u.dft)::int))"
      " ELSE p.data END FROM unnest(ARRAY[%s]::text[], ARRAY[%s]::int8[], ARRAY[%s]::int8[])"
      " WITH ORDINALITY AS u(term, dft, cap, i) JOIN postings p ON p.term = u.term;"
      % (",".join("\x27%s\x27" % x["term"].replace("\x27", "") for x in t),
         ",".join(str(x["df"]) for x in t), ",".join(str(cap) for x in t)))
print("-- %d terms: %s" % (len(t), " ".join(x["term"] for x in t)))
' "$BENCH_CAP" >"$STACK_DIR/tmp/post.$set.sql"
        echo "bench: $n chunks: $set: the first question's terms: $(sed -n 's/^-- //p' "$STACK_DIR/tmp/post.$set.sql")" >&2
        rm -f "$STACK_DIR"/tmp/pgbench_log.*
        (cd "$STACK_DIR/tmp" && timeout $((PGB_SECONDS + 60)) pgbench -n -c 1 -T "$PGB_SECONDS" -l \
            -f "post.$set.sql" "$(stack_conninfo)" >/dev/null 2>&1)
        awk '{ print $3 / 1000 }' "$STACK_DIR"/tmp/pgbench_log.* >"$STACK_DIR/tmp/post.$set.pgb"
        echo "bench: $n chunks: $set: pgbench floor, the first question's postings capped: p50 $(pct 50 <"$STACK_DIR/tmp/post.$set.pgb") ms, p95 $(pct 95 <"$STACK_DIR/tmp/post.$set.pgb") ms" >&2
    done
    echo
    echo "| chunks | path | settings | p50 ms by round | p95 ms by round | p50 ms (median) | p95 ms (median) |"
    echo "|---:|---|---|---|---|---:|---:|"
    for mode in $MODES; do
        for set in "${sets[@]}"; do
            out="| $n | $(path "$mode") | $set |"
            for x in 50 95; do
                for ((r = 1; r <= ROUNDS; r++)); do
                    pct "$x" <"$STACK_DIR/tmp/v.$mode.$set.$r.ms"
                    echo
                done >"$STACK_DIR/tmp/v.$mode.$set.p$x"
                out="$out $(paste -sd/ "$STACK_DIR/tmp/v.$mode.$set.p$x" | sed 's|/| / |g') |"
            done
            for x in 50 95; do out="$out $(median <"$STACK_DIR/tmp/v.$mode.$set.p$x") |"; done
            echo "$out"
        done
    done
    echo
    echo "| chunks | path | settings / first | p50 ratio by round | p95 ratio by round | p50 ratio (median) | p95 ratio (median) |"
    echo "|---:|---|---|---|---|---:|---:|"
    for mode in $MODES; do
        for set in "${sets[@]:1}"; do
            out="| $n | $(path "$mode") | $set / ${sets[0]} |"
            for x in 50 95; do
                paste -d' ' "$STACK_DIR/tmp/v.$mode.$set.p$x" "$STACK_DIR/tmp/v.$mode.${sets[0]}.p$x" |
                    awk '{ printf "%.3f\n", $1 / $2 }' >"$STACK_DIR/tmp/v.$mode.$set.ratio$x"
                out="$out $(paste -sd/ "$STACK_DIR/tmp/v.$mode.$set.ratio$x" | sed 's|/| / |g') |"
            done
            for x in 50 95; do out="$out $(median <"$STACK_DIR/tmp/v.$mode.$set.ratio$x") |"; done
            echo "$out"
        done
    done
    echo
}

stack_init
stack_pg_start >&2
stack_migrate >&2
header() { echo "| chunks | path | p50 ms | p95 ms |"; echo "|---:|---|---:|---:|"; }
[ -n "$SETS" ] || header
loaded=0
for n in $SIZES; do
    t0=$(date +%s)
    timeout 900 "$PLC_PGBIN/psql" -X -q -v ON_ERROR_STOP=1 \
        "$(stack_conninfo)" -v from="$loaded" -v to="$n" >&2 <<'SQL'
SELECT setseed(0.42);
CREATE TEMP TABLE vocab AS SELECT regexp_split_to_array(
 'team teams teacher teachers student students learning learn assessment assessments common formative summative data evidence goal goals smart measurable standard standards essential curriculum guaranteed viable intervention interventions tier tiers support extra time schedule reading writing math science unit lesson lessons quiz test score scores rubric rubrics proficient proficiency mastery feedback grading grade grades principal leader leadership coach coaching collaboration collaborate collaborative meeting meetings norms agenda trust culture celebrate success wins school district parent parents family community class classroom instruction practice practices strategy strategies plan planning reflect reflection question questions result results improve improvement growth progress monitor monitoring behavior attendance engagement motivation equity access responsibility shared vision mission values commitment protocol protocols analysis analyze pacing guide calendar week month year day morning afternoon room book books chapter page idea ideas example examples work worked working the of and to in for with on that is are be as it this by we our they their at from or an not have has can will each all more most some',
 ' ') AS w;
INSERT INTO books (title, authors, sha256, format)
SELECT 'Bench book ' || b, '{Bench}', md5('a' || b) || md5('b' || b), 'text'
FROM generate_series(:from / 1000 + 1, :to / 1000) b;
INSERT INTO chunks (book_id, ordinal, text, page_start, page_end, page_index_start, page_index_end, domains)
SELECT bk.id, o,
  (SELECT string_agg(v.w[1 + floor(random() * array_length(v.w, 1))::int], ' ')
     FROM vocab v, generate_series(1, 120) g WHERE o >= 0),
  (o + 1)::text, (o + 1)::text, o, o,
  ARRAY[(ARRAY['assessment','collaboration','leadership','curriculum','data_analysis','school_culture','student_learning'])[1 + o % 7]]
FROM books bk, generate_series(0, 999) o
WHERE bk.title ~ '^Bench book ' AND substring(bk.title from 12)::int > :from / 1000;
ANALYZE chunks;
SQL
    PGOPTIONS='-c maintenance_work_mem=512MB' PLCCOACH_DB_STATEMENT_TIMEOUT=0 cli 3600 reindex >&2
    loaded=$n
    echo "bench: $n chunks generated and indexed in $(($(date +%s) - t0)) s" >&2
    if [ -n "$SETS" ]; then
        variants "$n"
        header
    fi
    for mode in $([ -n "$SETS" ] || echo hybrid vector text text-uncapped); do
        : >"$STACK_DIR/tmp/$mode.ms"
        args=(--mode "${mode%-uncapped}")
        [ "$mode" = text-uncapped ] && args+=(--set postings_cap=0)
        for q in "${QUESTIONS[@]}"; do
            cli 300 search "$q" "${args[@]}" --repeat "$REPEAT" \
                >>"$STACK_DIR/tmp/$mode.ms" 2>/dev/null
        done
        case $mode in
        text) label="plccoach search --mode text (BM25 alone)" ;;
        text-uncapped) label="plccoach search --mode text --set postings_cap=0 (no cap)" ;;
        *) label="plccoach search --mode $mode" ;;
        esac
        echo "| $n | $label | $(pct 50 <"$STACK_DIR/tmp/$mode.ms") | $(pct 95 <"$STACK_DIR/tmp/$mode.ms") |"
    done
    # What the cap changes: of each question's capped top 10, how many the
    # uncapped top 10 holds too.
    same=0 total=0
    for q in "${QUESTIONS[@]}"; do
        [ -z "$SETS" ] || break
        a=$(cli 60 search "$q" --mode text --k 10 --json | python3 -c 'import json,sys; print(" ".join(r["chunk_id"] for r in json.load(sys.stdin)["results"]))')
        b=$(cli 60 search "$q" --mode text --k 10 --json --set postings_cap=0 | python3 -c 'import json,sys; print(" ".join(r["chunk_id"] for r in json.load(sys.stdin)["results"]))')
        for id in $a; do
            total=$((total + 1))
            case " $b " in *" $id "*) same=$((same + 1)) ;; esac
        done
    done
    [ -n "$SETS" ] ||
        echo "bench: $n chunks: the capped BM25 top 10 shares $same of $total passages with the uncapped top 10" >&2
    # The floor: the bare SQL of each list through pgbench.
    qv=$(stack_psql -- -Atc "SELECT embedding::text FROM chunks ORDER BY id LIMIT 1")
    cat >"$STACK_DIR/tmp/vec.sql" <<SQL2
SET hnsw.ef_search = 100;
SELECT id FROM chunks c WHERE c.embedding IS NOT NULL ORDER BY c.embedding::vector(384) <=> '$qv'::vector(384) LIMIT 40;
SQL2
    # One question's postings ("How do we write a CFA as a team?": write,
    # cfa, team and the phrase's common, format, assess), uncapped.
    cat >"$STACK_DIR/tmp/fts.sql" <<'SQL2'
SELECT u.term, p.book_id, p.df, p.data FROM unnest(ARRAY['write','cfa','team','common','format','assess']) AS u(term) JOIN postings p ON p.term = u.term;
SQL2
    for f in vec fts; do
        rm -f "$STACK_DIR"/tmp/pgbench_log.*
        (cd "$STACK_DIR/tmp" && timeout $((PGB_SECONDS + 60)) pgbench -n -c 1 -T "$PGB_SECONDS" -l \
            -f "$f.sql" "$(stack_conninfo)" >/dev/null 2>&1)
        awk '{ print $3 / 1000 }' "$STACK_DIR"/tmp/pgbench_log.* >"$STACK_DIR/tmp/$f.pgb"
        echo "| $n | pgbench floor: $([ $f = vec ] && echo 'vector top-40 SQL' || echo 'reading one question'"'"'s postings (6 terms, uncapped)') | $(pct 50 <"$STACK_DIR/tmp/$f.pgb") | $(pct 95 <"$STACK_DIR/tmp/$f.pgb") |"
    done
done
tap_finish_quietly 0
