#!/bin/bash
# shellcheck disable=SC2317,SC2034,SC2016  # helpers called indirectly; STACK_* read by stack.sh; markdown backquotes
# bench/analytics.sh - GET /api/analytics over 10,000 people and 1,000,000
# messages (issue 14).
#
#  1. A throwaway stack (t/lib/stack.sh: PostgreSQL, the FastCGI pool,
#     nginx, loopback only) and a generated data set, all in SQL with
#     generate_series and a fixed seed: one district of 40 schools, 10,000
#     people (250 a school, teams of 8, each team's first member a coach
#     assigned to it), 100,000 conversations of 5 questions and 5 answers
#     spread over the last 365 days (1,000,000 messages; answers with 2-3
#     citations of 1,200 chapters, a domain, timings), feedback on 10% of
#     the answers.  Loaded with the triggers off, then usage_rebuild()
#     writes the rollups as the triggers would have.
#  2. wrk, one connection, BENCH_DURATION seconds per request, through
#     nginx with an admin's session (reads are audited: each request also
#     writes its audit row): the report of one person, a team, a school
#     and the district, for the last 30 days (the web app's default) and
#     the last 365; the CSV of the district's topics; the person's data
#     export (a ZIP, each conversation drawn as a PDF).  Peers measured in
#     the same run: GET /health through the same nginx and pool, and the
#     naive query the rollups replace (the district's active people and
#     questions straight from messages, one statement through pgbench).
#  3. What the triggers cost: BENCH_INSERTS messages inserted with every
#     usage trigger, without each part's triggers in turn (the bit
#     strings, the person-days, the chapter months), and without any;
#     for people already active that day and for messages each starting
#     a person's day.
#
#   PLC_BUILDDIR=var/build-plain bench/analytics.sh    # a build without sanitizers
#
# Knobs: BENCH_USERS (10000), BENCH_CONVERSATIONS (100000), BENCH_DURATION
# (10), BENCH_INSERTS (2000), BENCH_INSERT_ROUNDS (3).  Prints markdown tables for docs/performance.md.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
: "${PLC_SRCDIR:=$SRC}"
: "${PLC_BUILDDIR:=$PWD}"
export PLC_SRCDIR PLC_BUILDDIR
USERS=${BENCH_USERS:-10000}
CONVS=${BENCH_CONVERSATIONS:-100000}
DURATION=${BENCH_DURATION:-10}
INSERTS=${BENCH_INSERTS:-2000}

. "$PLC_SRCDIR/t/lib/tap.sh"
. "$PLC_SRCDIR/t/lib/stack.sh"
pass() { :; }
fail() { printf 'bench: %s\n' "$*" >&2; }
diag() { printf '# %s\n' "$*" >&2; }
[ -x "$PLC_BUILDDIR/plccoach-fcgi" ] || { echo "bench: build first ($PLC_BUILDDIR)" >&2; exit 1; }
command -v wrk >/dev/null 2>&1 || { echo "bench: wrk is not installed" >&2; exit 1; }
if grep -q '^SAN_CFLAGS = .*-fsanitize' "$PLC_BUILDDIR/Makefile" 2>/dev/null &&
    [ -z "${BENCH_ALLOW_SANITIZERS:-}" ]; then
    echo "bench: $PLC_BUILDDIR is built with sanitizers (BENCH_ALLOW_SANITIZERS=1 to run anyway)" >&2
    exit 1
fi

# pct P < numbers: the P-th percentile (nearest rank).
pct() { sort -n | awk -v p="$1" '{ v[NR] = $1 } END { i = int((NR - 1) * p / 100) + 1; printf "%.1f", v[i] }'; }

STACK_WORKERS=2
stack_pool_env PLCCOACH_PUBLIC_URL=http://localhost:8000 PLCCOACH_DB_STATEMENT_TIMEOUT=0
stack_start >&2

# An admin to sign in as, who owns person 1's conversations (a typical
# person's "my usage").
admin=$(printf 'bench-password-123\n' | stack_cli user add --email admin@bench.example \
    --name "Bench Admin" --role admin --password-stdin)
t0=$(date +%s)
timeout 3600 "$PLC_PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -v users="$USERS" -v convs="$CONVS" \
    -v admin="$admin" "$(stack_conninfo)" >&2 <<'SQL'
SET session_replication_role = replica;  -- no triggers while loading
SELECT setseed(0.14);
INSERT INTO organizations (id, kind, name) VALUES (md5('district')::uuid, 'district', 'Bench District');
INSERT INTO organizations (id, parent_id, kind, name)
SELECT md5('school' || s)::uuid, md5('district')::uuid, 'school', 'Bench School ' || s
FROM generate_series(0, 39) s;
INSERT INTO users (id, email, name, role, organization_id)
SELECT md5('user' || u)::uuid, 'u' || u || '@bench.example', 'Bench User ' || u,
       CASE WHEN (u / 40) % 8 = 0 THEN 'coach' ELSE 'educator' END, md5('school' || (u % 40))::uuid
FROM generate_series(0, :users - 1) u;
INSERT INTO teams (id, organization_id, name)
SELECT md5('team' || s || '/' || t)::uuid, md5('school' || s)::uuid, 'Team ' || t
FROM generate_series(0, 39) s, generate_series(0, 31) t;
INSERT INTO team_members (team_id, user_id)
SELECT md5('team' || (u % 40) || '/' || ((u / 40) / 8))::uuid, md5('user' || u)::uuid
FROM generate_series(0, :users - 1) u;
INSERT INTO team_coaches (team_id, user_id)
SELECT md5('team' || (u % 40) || '/' || ((u / 40) / 8))::uuid, md5('user' || u)::uuid
FROM generate_series(0, :users - 1) u WHERE (u / 40) % 8 = 0;
CREATE TEMP TABLE bench_conv AS
SELECT c, md5('conv' || c)::uuid AS id,
       CASE WHEN c % :users = 1 THEN :'admin'::uuid ELSE md5('user' || (c % :users))::uuid END AS user_id,
       date_trunc('minute', now() - random() * interval '365 days') AS at
FROM generate_series(0, :convs - 1) c;
INSERT INTO conversations (id, user_id, title, created_at, updated_at)
SELECT id, user_id, 'Bench conversation ' || c, at, at + interval '15 minutes' FROM bench_conv;
-- Messages in time order, as they would have been written.
INSERT INTO messages (conversation_id, role, content, citations, domains, mode, model, grounded,
                      ttft_ms, total_ms, kind, created_at)
SELECT bc.id, CASE WHEN k % 2 = 0 THEN 'user' ELSE 'assistant' END,
       CASE WHEN k % 2 = 0 THEN 'Bench question ' || k ELSE 'Bench answer ' || k END,
       CASE WHEN k % 2 = 0 THEN '[]'::jsonb ELSE (
         SELECT jsonb_agg(jsonb_build_object('n', n,
                'book', jsonb_build_object('title', 'Bench book ' || b, 'authors', '["Bench Author"]'::jsonb),
                'chapter', jsonb_build_object('number', ch::text, 'title', 'Chapter ' || ch || ' of book ' || b),
                'pages', jsonb_build_object('start', (ch * 10)::text, 'end', (ch * 10 + 1)::text),
                'quote', 'A quoted passage from the bench book that is long enough to look real.'))
         FROM (SELECT n, 1 + floor(100 * random() ^ 3)::int AS b, 1 + floor(12 * random())::int AS ch
               FROM generate_series(1, 2 + (k % 3 = 1)::int) n WHERE k > 0) z) END,
       CASE WHEN k % 2 = 0 THEN '{}'::text[] ELSE ARRAY[(ARRAY['assessment', 'collaboration',
            'leadership', 'curriculum', 'data_analysis', 'school_culture',
            'student_learning'])[1 + floor(random() * 7)::int]] END,
       CASE WHEN k % 2 = 1 THEN 'llm' END, CASE WHEN k % 2 = 1 THEN 'bench-model' END,
       CASE WHEN k % 2 = 1 THEN true END,
       CASE WHEN k % 2 = 1 THEN t.ttft END, CASE WHEN k % 2 = 1 THEN t.ttft + t.gen END,
       CASE WHEN k % 2 = 1 THEN 'answer' END,
       bc.at + (k / 2) * interval '3 minutes' + (k % 2) * interval '20 seconds'
FROM bench_conv bc, generate_series(0, 9) k,
     LATERAL (SELECT (200 + 600 * random() ^ 2)::int AS ttft,
                     (1000 + 6000 * random() ^ 2)::int AS gen WHERE k >= 0) t
ORDER BY bc.at, k;
INSERT INTO feedback (message_id, user_id, rating, reasons, flagged, flagged_at, created_at, updated_at)
SELECT m.id, c.user_id, r.rating,
       CASE WHEN r.rating = -1 THEN ARRAY[(ARRAY['inaccurate', 'incomplete', 'not_relevant',
            'missing_citations', 'other'])[1 + floor(random() * 5)::int]] ELSE '{}' END,
       r.flag, CASE WHEN r.flag THEN m.created_at + interval '1 minute' END,
       m.created_at + interval '1 minute', m.created_at + interval '1 minute'
FROM messages m JOIN conversations c ON c.id = m.conversation_id,
     LATERAL (SELECT CASE WHEN random() < 0.7 THEN 1 ELSE -1 END::smallint AS rating,
                     random() < 0.02 AS flag WHERE m.id IS NOT NULL) r
WHERE m.role = 'assistant' AND random() < 0.1;
SET session_replication_role = origin;
SQL
echo "bench: data generated in $(($(date +%s) - t0)) s" >&2
# usage_rebuild() in its parts, each timed: what a migration that adds a
# rollup costs at this size (070 recomputes usage_person_days).
t1=$(date +%s)
stack_psql -- -c '\timing on' -c "SELECT set_config('plccoach.usage_rebuild', 'on', false)" \
    -c "SELECT usage_rebuild_counts()" -c "SELECT usage_rebuild_bits()" \
    -c "SELECT usage_rebuild_chapter_months()" -c "SELECT usage_rebuild_person_days()" |
    awk '/^Time:/ { t[++n] = $2 } END {
        printf "bench: usage_rebuild() in parts, ms: counts %.0f, bit strings %.0f, chapter months %.0f, person-days (070) %.0f\n",
            t[2], t[3], t[4], t[5] }' >&2
stack_psql -- -c "VACUUM ANALYZE" >/dev/null
echo "bench: rolled up in $(($(date +%s) - t1)) s (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2

curl -s -c "$STACK_DIR/jar" -H 'Content-Type: application/json' -H 'Origin: http://localhost:8000' \
    --data '{"email":"admin@bench.example","password":"bench-password-123"}' \
    "$(stack_url /api/auth/login)" >/dev/null
cookie=$(awk '$6 == "plc_session" { print $7 }' "$STACK_DIR/jar")
[ -n "$cookie" ] || { echo "bench: could not sign in" >&2; exit 1; }

cat >"$STACK_DIR/pct.lua" <<'LUA'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("%.2f %.2f %.2f %d %d\n", latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, summary.requests,
    e.status + e.connect + e.read + e.write + e.timeout))
end
LUA
# run NAME PATH: wrk on one connection; prints a table row.
run() {
    local out
    timeout 60 wrk -t1 -c1 -d2s -H "Cookie: plc_session=$cookie" "$(stack_url "$2")" >/dev/null
    out=$(timeout $((DURATION + 60)) wrk -t1 -c1 -d"${DURATION}s" --timeout 10s -s "$STACK_DIR/pct.lua" \
        -H "Cookie: plc_session=$cookie" "$(stack_url "$2")" | tail -n 1)
    read -r p50 p95 p99 n errors <<<"$out"
    printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$p50" "$p95" "$p99" "$n" "$errors"
}
TEAM=$(stack_psql -- -c "SELECT md5('team3/5')::uuid")
SCHOOL=$(stack_psql -- -c "SELECT md5('school3')::uuid")
DIST=$(stack_psql -- -c "SELECT md5('district')::uuid")
Y=$(stack_psql -- -c "SELECT current_date - 364")
echo "| request (through nginx, one connection) | p50 ms | p95 ms | p99 ms | requests | errors |"
echo "|---|---:|---:|---:|---:|---:|"
run 'peer: `GET /health`' /health
run 'my usage, 30 days' /api/analytics
run 'team (8 people), 30 days' "/api/analytics?scope=team:$TEAM"
run 'school (250 people), 30 days' "/api/analytics?scope=school:$SCHOOL"
run 'district (10,000 people), 30 days' "/api/analytics?scope=district:$DIST"
run 'my usage, 365 days' "/api/analytics?from=$Y"
run 'team, 365 days' "/api/analytics?scope=team:$TEAM&from=$Y"
run 'school, 365 days, weekly' "/api/analytics?scope=school:$SCHOOL&from=$Y&bucket=week"
run 'district, 365 days, weekly' "/api/analytics?scope=district:$DIST&from=$Y&bucket=week"
run 'district, 365 days, daily' "/api/analytics?scope=district:$DIST&from=$Y"
run 'district topics CSV, 365 days' "/api/analytics.csv?scope=district:$DIST&from=$Y&metric=topics"
run 'data export: my 10 conversations (100 messages) as JSON and PDF, one ZIP' /api/me/export

# The naive query the rollups replace: the district's active people and
# questions from the messages themselves, one statement.
for days in 30 365; do
    cat >"$STACK_DIR/naive.sql" <<SQL2
SELECT count(DISTINCT c.user_id), count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id
JOIN users u ON u.id = c.user_id
WHERE (u.organization_id = '$DIST' OR u.organization_id IN (SELECT id FROM organizations WHERE parent_id = '$DIST'))
  AND m.role = 'user' AND m.created_at >= current_date - $((days - 1));
SQL2
    rm -f "$STACK_DIR"/tmp/pgbench_log.*
    (cd "$STACK_DIR/tmp" && timeout $((DURATION + 120)) pgbench -n -c 1 -T "$DURATION" -l \
        -f "$STACK_DIR/naive.sql" "$(stack_conninfo)" >/dev/null 2>&1)
    awk '{ print $3 / 1000 }' "$STACK_DIR"/tmp/pgbench_log.* >"$STACK_DIR/tmp/naive.ms"
    printf '| peer: the district'"'"'s people and questions from messages (pgbench, %s days) | %s | %s | %s | %s | 0 |\n' \
        "$days" "$(pct 50 <"$STACK_DIR/tmp/naive.ms")" "$(pct 95 <"$STACK_DIR/tmp/naive.ms")" \
        "$(pct 99 <"$STACK_DIR/tmp/naive.ms")" "$(wc -l <"$STACK_DIR/tmp/naive.ms")"
done

echo
echo "| rollup | rows | size |"
echo "|---|---:|---:|"
for t in usage_days usage_org_days usage_chapters usage_org_chapters usage_org_people usage_org_bits \
    usage_person_days; do
    stack_psql -- -c "SELECT '| $t | ' || count(*) || ' | ' || pg_size_pretty(pg_total_relation_size('$t')) || ' |' FROM $t"
done

# What the triggers cost per message (question or answer with citations),
# in two cases: people already active that day (person 2, whose day row
# exists after the first few messages: what most messages are), and each
# message the first of its person's day (N/10 people, each a conversation
# of 10 messages on a day nobody used yet: every one of them starts a
# person-day and sets its bits).
ins() { # N FRESH DAY: inserts N messages; prints ms
    local owner="md5('user2')::uuid" at="now()"
    if [ "$2" = 1 ]; then owner="md5('user' || i)::uuid"; at="current_date + $3 + interval '9 hours'"; fi
    stack_psql -- -c "\\timing on" -c "INSERT INTO conversations (id, user_id, title)
        SELECT md5('ins' || i || '$1/$3' || clock_timestamp())::uuid, $owner, 'x'
        FROM generate_series(1, $1 / 10) i" -c "INSERT INTO messages (conversation_id, role, content, citations, domains, ttft_ms, total_ms, created_at)
        SELECT c.id, CASE WHEN k % 2 = 0 THEN 'user' ELSE 'assistant' END, 'x',
          CASE WHEN k % 2 = 0 THEN '[]'::jsonb ELSE '[{\"book\":{\"title\":\"Bench book 1\"},\"chapter\":{\"number\":\"1\",\"title\":\"Chapter 1 of book 1\"}},{\"book\":{\"title\":\"Bench book 2\"},\"chapter\":{\"number\":\"2\",\"title\":\"Chapter 2 of book 2\"}}]'::jsonb END,
          CASE WHEN k % 2 = 0 THEN '{}'::text[] ELSE '{assessment}' END,
          CASE WHEN k % 2 = 1 THEN 300 END, CASE WHEN k % 2 = 1 THEN 2000 END,
          $at + k * interval '1 minute'
        FROM conversations c, generate_series(0, 9) k WHERE c.title = 'x' AND c.updated_at > now() - interval '1 minute'
          AND NOT EXISTS (SELECT 1 FROM messages WHERE conversation_id = c.id)
        ORDER BY c.id, k" |
        awk '/^Time:/ { t = $2 } END { print t }'
    stack_psql -- -c "UPDATE conversations SET title = 'y' WHERE title = 'x'" >/dev/null
}
# trig ENABLE|DISABLE GROUP: the triggers of one part of the rollups.
trig() {
    local t
    case $2 in
    bits) t="usage_days usage_record_bits usage_days usage_record_bits_change" ;;
    days) t="usage_days usage_record_person_day usage_days usage_record_person_day_change" ;;
    months) t="usage_chapters usage_record_chapter_month usage_chapters usage_record_chapter_month_change" ;;
    all) t="messages usage_record_message" ;;
    esac
    # shellcheck disable=SC2086
    set -- "$1" $t
    local op=$1
    shift
    while [ $# -gt 0 ]; do
        stack_psql -- -c "ALTER TABLE $1 $op TRIGGER $2" >/dev/null
        shift 2
    done
}
# Each trigger's share: every usage trigger; without the bit strings
# (061), without the person-days (070), without the chapter months
# (061); without any.  BENCH_INSERT_ROUNDS rounds, the columns in turn
# within each; the median of the rounds.
ROUNDS=${BENCH_INSERT_ROUNDS:-3}
CASES="on bits days months all"
day=10
for fresh in 0 1; do
    for ((r = 0; r < ROUNDS; r++)); do
        for c in $CASES; do
            [ "$c" = on ] || trig DISABLE "$c"
            printf '%s %s\n' "$c" "$(ins "$INSERTS" "$fresh" "$day")" >>"$STACK_DIR/ins.$fresh"
            [ "$c" = on ] || trig ENABLE "$c"
            day=$((day + 1))
        done
    done
done
med() { awk -v c="$2" '$1 == c { print $2 }' "$STACK_DIR/ins.$1" | pct 50; }
echo
echo "| $INSERTS messages (half answers citing 2 chapters), median of $ROUNDS rounds, ms per message | every usage trigger | without the bit strings | without the person-days | without the chapter months | without any | every / none |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for fresh in 0 1; do
    awk -v on="$(med $fresh on)" -v bits="$(med $fresh bits)" -v days="$(med $fresh days)" \
        -v months="$(med $fresh months)" -v none="$(med $fresh all)" -v n="$INSERTS" -v f="$fresh" 'BEGIN {
        printf "| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.1f |\n",
            f ? "each the first of its person'"'"'s day (a new person-day)" : "people already active that day",
            on / n, bits / n, days / n, months / n, none / n, on / none }'
done
echo
echo "Command: BENCH_USERS=$USERS BENCH_CONVERSATIONS=$CONVS BENCH_DURATION=$DURATION BENCH_INSERTS=$INSERTS BENCH_INSERT_ROUNDS=$ROUNDS PLC_BUILDDIR=$PLC_BUILDDIR bench/analytics.sh"
echo "Machine: $(nproc) CPUs, $(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
tap_finish_quietly 0
