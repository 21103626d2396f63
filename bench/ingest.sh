#!/bin/bash
# bench/ingest.sh - ingestion throughput: the starter library, then a
# generated corpus of BENCH_BOOKS Markdown books of BENCH_PAGES printed
# pages each (defaults 100 x 800: about 80k pages and 100k chunks), through
# `plccoach ingest` into a throwaway PostgreSQL with the local embedder.
# Prints a markdown table for docs/performance.md.
#
#   PLC_BUILDDIR=/path/to/build bench/ingest.sh
#   BENCH_BOOKS=10 BENCH_PAGES=100 bench/ingest.sh      # a quick run
#
# The generated corpus goes into a database of its own, a first load (the
# HNSW index is built once after the last book, library/embed.h);
# BENCH_INTO_EXISTING=1 adds it to the starter library's database instead,
# whose index then grows book by book.
#
# Loopback only, bounded by `timeout`.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
: "${PLC_SRCDIR:=$SRC}"
: "${PLC_BUILDDIR:=$PWD}"
export PLC_SRCDIR PLC_BUILDDIR
BOOKS=${BENCH_BOOKS:-100}
PAGES=${BENCH_PAGES:-800}

. "$PLC_SRCDIR/t/lib/tap.sh"
. "$PLC_SRCDIR/t/lib/stack.sh"
pass() { :; }
fail() { printf 'bench: %s\n' "$*" >&2; }
diag() { printf '# %s\n' "$*" >&2; }
[ -x "$PLC_BUILDDIR/plccoach" ] || { echo "bench: build first ($PLC_BUILDDIR/plccoach)" >&2; exit 1; }
DB=$STACK_DB
cli() {
    local secs=$1
    shift
    PLCCOACH_DATABASE_URL="$(stack_conninfo "$DB")" timeout "$secs" "$STACK_CLI" "$@"
}
now() { date +%s.%N; }

stack_init
stack_pg_start >&2
stack_migrate

# The corpus: paragraphs of sentences drawn from a PLC vocabulary, a page
# marker every ~300 words, a chapter every 25 pages.
mkdir -p "$STACK_DIR/corpus"
python3 - "$STACK_DIR/corpus" "$BOOKS" "$PAGES" <<'PY'
import random, sys, os
out, books, pages = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(42)
words = ("team teachers students learning assessment common formative data goal standards "
         "essential curriculum intervention tier support time schedule reading writing math "
         "unit lesson quiz score rubric proficiency feedback grading principal coach "
         "collaboration meeting norms agenda trust culture celebrate school parents class "
         "instruction practice strategy plan reflect question results improve growth progress "
         "monitor behavior engagement equity vision mission commitment protocol analysis "
         "pacing guide evidence mastery extension enrichment tutoring").split()
def sentence():
    n = random.randint(8, 20)
    s = " ".join(random.choice(words) for _ in range(n))
    return s[0].upper() + s[1:] + "."
for b in range(books):
    with open(os.path.join(out, "book-%03d.md" % b), "w") as f:
        f.write("---\ntitle: Generated Book %d\nauthors: [Bench Author]\n---\n" % b)
        for p in range(1, pages + 1):
            if p % 25 == 1:
                f.write("\n# Chapter %d: Part %d\n\n" % (p // 25 + 1, p // 25 + 1))
            f.write("<!-- page %d -->\n" % p)
            n = 0
            while n < 300:
                para = " ".join(sentence() for _ in range(random.randint(3, 6)))
                n += len(para.split())
                f.write(para + "\n\n")
PY
corpus_mb=$(du -sm "$STACK_DIR/corpus" | cut -f1)

echo "| corpus | books | printed pages | chunks | MB | seconds | pages/s | chunks/s |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
t0=$(now)
cli 600 ingest "$PLC_SRCDIR/content/starter" >/dev/null
t1=$(now)
read -r pages chunks <<<"$(stack_psql -- -c "SELECT sum(page_count), (SELECT count(*) FROM chunks) FROM books" | tr '|' ' ')"
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
printf '| starter library | 3 | %s | %s | %s | %.1f | %.0f | %.0f |\n' "$pages" "$chunks" \
    "$(du -sm "$PLC_SRCDIR/content/starter" | cut -f1)" "$secs" "$(awk -v a="$pages" -v b="$secs" 'BEGIN { print a / b }')" \
    "$(awk -v a="$chunks" -v b="$secs" 'BEGIN { print a / b }')"
base_pages=$pages
base_chunks=$chunks
label="generated, into the starter library (its index grows)"
if [ "${BENCH_INTO_EXISTING:-0}" != 1 ]; then
    DB=corpus
    stack_createdb "$DB" >/dev/null
    PLCCOACH_DATABASE_URL="$(stack_conninfo "$DB")" "$STACK_CLI" migrate >/dev/null
    base_pages=0
    base_chunks=0
    label="generated, a first load (index built once)"
fi
t0=$(now)
cli 3000 ingest "$STACK_DIR/corpus" >/dev/null
t1=$(now)
read -r pages chunks <<<"$(stack_psql "$DB" -- -c "SELECT sum(page_count), (SELECT count(*) FROM chunks) FROM books" | tr '|' ' ')"
pages=$((pages - base_pages))
chunks=$((chunks - base_chunks))
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
printf '| %s | %s | %s | %s | %s | %.1f | %.0f | %.0f |\n' "$label" "$BOOKS" "$pages" "$chunks" \
    "$corpus_mb" "$secs" "$(awk -v a="$pages" -v b="$secs" 'BEGIN { print a / b }')" \
    "$(awk -v a="$chunks" -v b="$secs" 'BEGIN { print a / b }')"
tap_finish_quietly 0
