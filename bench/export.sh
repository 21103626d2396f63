#!/bin/bash
# bench/export.sh - a long conversation exported as PDF, Markdown and text.
#
# A throwaway PostgreSQL cluster (t/lib/stack.sh), one user and one
# conversation of BENCH_MESSAGES (200) messages: half questions, half
# answers of about 1,100 characters of Markdown (two paragraphs, a
# three-item list, strong and emphasis, three citations each with a
# label and a quote).  Then `plccoach export CONV --format F -o FILE`
# BENCH_REPEAT (7) times per format: the whole command (process start,
# fontconfig, reading the conversation, rendering, writing), as a user
# or the job process would wait for it.  Median and worst wall time.
#
# The peer, in the same run: pango-view (Debian's pango1.0-tools) laying
# the text export out into a PDF in DejaVu Serif: the same characters
# through the same library, in one layout, with no pagination, outline,
# styling or database, so the floor of what shaping the text costs.
# (pandoc needs LaTeX for PDF and LibreOffice is a 300 MB install; neither
# is on the machines, and both would measure a different layout engine.)
#
#   bench/export.sh
#   PLC_BUILDDIR=var/build-bench bench/export.sh    # an optimized build
#
# Knobs: BENCH_MESSAGES, BENCH_REPEAT, BENCH_PEER (0: no peer).  Bounded:
# every step under timeout.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
: "${PLC_SRCDIR:=$SRC}"
: "${PLC_BUILDDIR:=$PWD}"
export PLC_SRCDIR PLC_BUILDDIR
MESSAGES=${BENCH_MESSAGES:-200}
REPEAT=${BENCH_REPEAT:-7}

. "$PLC_SRCDIR/t/lib/tap.sh"
. "$PLC_SRCDIR/t/lib/stack.sh"
pass() { :; }
fail() { printf 'bench: %s\n' "$*" >&2; }
diag() { printf '# %s\n' "$*" >&2; }
[ -x "$PLC_BUILDDIR/plccoach" ] || { echo "bench: build first ($PLC_BUILDDIR/plccoach)" >&2; exit 1; }
cli() {
    PLCCOACH_DATABASE_URL="$(stack_conninfo)" timeout 120 "$STACK_CLI" "$@"
}

stack_require_servers
stack_init
stack_pg_start
stack_migrate
user=$(printf 'pw-bench-123\n' | cli user add --email bench@example.org --name "Bench Teacher" \
    --role educator --password-stdin)
conv=$(stack_psql -- -c "INSERT INTO conversations (user_id, title)
    VALUES ('$user', 'A year of PLC meetings') RETURNING id")
stack_psql -- -c "
INSERT INTO messages (conversation_id, role, content, citations, kind)
SELECT '$conv', CASE WHEN i % 2 = 1 THEN 'user' ELSE 'assistant' END,
  CASE WHEN i % 2 = 1
    THEN 'Question ' || (i + 1) / 2 || ': how should our grade 3 team plan the common formative '
         || 'assessment for unit ' || (i + 1) / 2 || ', and what do we do with the results?'
    ELSE 'Start with **essential standards** for unit ' || i / 2 || ' and agree on what '
         || '*proficiency* looks like before teaching [1]. Teams that write the assessment '
         || 'together calibrate their expectations and share the work of responding [2].' || E'\n\n'
         || '- Pick four to six items that match the standard and the level of rigor' || E'\n'
         || '- Score a sample of student work together and compare your scores [3]' || E'\n'
         || '- Plan time in the week for students who need more, and for those who already '
         || 'know it' || E'\n\n'
         || 'After the assessment, bring the results to a data meeting, look at them item by '
         || 'item, and decide which students get which response. Keep notes on what worked, so '
         || 'that the next unit starts faster and the team learns from its own evidence [1]. '
         || 'Celebrate the students who moved, and ask what the team did differently for them.'
  END,
  CASE WHEN i % 2 = 1 THEN '[]'::jsonb ELSE '[
    {\"n\":1,\"book\":{\"title\":\"Learning by Doing\",\"authors\":[\"Richard DuFour\",\"Rebecca DuFour\",\"Robert Eaker\"]},\"chapter\":{\"number\":\"4\",\"title\":\"Creating a Focus on Learning\"},\"pages\":{\"start\":\"75\",\"end\":\"77\"},\"quote\":\"Teams must agree on what proficiency looks like before they teach the unit, not after.\"},
    {\"n\":2,\"book\":{\"title\":\"Collaborative Common Assessments\",\"authors\":[\"Cassandra Erkens\"]},\"chapter\":{\"number\":\"2\",\"title\":\"Designing Assessments Together\"},\"pages\":{\"start\":\"31\",\"end\":\"31\"},\"quote\":\"When teachers design the assessment together, they share the responsibility for the results.\"},
    {\"n\":3,\"book\":{\"title\":\"Taking Action\",\"authors\":[\"Austin Buffum\",\"Mike Mattos\"]},\"chapter\":{\"number\":\"6\",\"title\":\"Responding to Data\"},\"pages\":{\"start\":\"112\",\"end\":\"114\"},\"quote\":\"Scoring student work together is how a team learns what its rubric really means.\"}
  ]'::jsonb END,
  CASE WHEN i % 2 = 1 THEN NULL ELSE 'answer' END
FROM generate_series(1, $MESSAGES) i ORDER BY i" >/dev/null

# time_ms CMD...: runs CMD, prints its wall time in milliseconds.
time_ms() {
    local t0 t1
    t0=$(plc_now_us)
    "$@" >/dev/null
    t1=$(plc_now_us)
    echo $(((t1 - t0) / 1000))
}

# stats MS...: "median worst" of the numbers.
stats() {
    printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "%d %d", v[int((NR + 1) / 2)], v[NR] }'
}

out=$STACK_DIR/out
mkdir -p "$out"
declare -A median worst size
for f in pdf md txt; do
    ms=()
    for _ in $(seq "$REPEAT"); do
        ms+=("$(time_ms cli export "$conv" --format "$f" -o "$out/conv.$f")")
    done
    read -r median[$f] worst[$f] <<<"$(stats "${ms[@]}")"
    size[$f]=$(stat -c %s "$out/conv.$f")
done
pages=$(pdfinfo "$out/conv.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }' || echo "?")

peer="pango-view is not installed (pango1.0-tools)"
[ "${BENCH_PEER:-1}" = 1 ] || peer="not run (BENCH_PEER=0)"
if [ "${BENCH_PEER:-1}" = 1 ] && command -v pango-view >/dev/null 2>&1; then
    ms=()
    for _ in $(seq "$REPEAT"); do
        ms+=("$(time_ms timeout 120 pango-view -q --font='DejaVu Serif 10' --width=476 --wrap=word \
            --output="$out/peer.pdf" "$out/conv.txt")")
    done
    read -r pm pw <<<"$(stats "${ms[@]}")"
    peer="$pm ms median, $pw ms worst, $(stat -c %s "$out/peer.pdf") bytes, 1 page"
fi

cat <<EOF
conversation: $MESSAGES messages ($((MESSAGES / 2)) questions, $((MESSAGES / 2)) answers with 3 citations each), $REPEAT runs per format
| format | median | worst | file |
|---|---:|---:|---:|
| PDF | ${median[pdf]} ms | ${worst[pdf]} ms | ${size[pdf]} bytes, $pages pages |
| Markdown | ${median[md]} ms | ${worst[md]} ms | ${size[md]} bytes |
| text | ${median[txt]} ms | ${worst[txt]} ms | ${size[txt]} bytes |
peer (pango-view, the text export as one layout into a PDF): $peer
EOF
done_testing >/dev/null 2>&1 || true
