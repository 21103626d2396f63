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
#     the answers (bench/analytics-data.sql).  Loaded with the triggers
#     off, then usage_rebuild() writes the rollups as the triggers would
#     have.  The cluster is then kept under var/bench-data/ and later
#     runs copy it back and apply only the migrations added since (see
#     below; docs/performance.md, "analytics25").
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
# (10), BENCH_INSERTS (2000), BENCH_INSERT_ROUNDS (3), BENCH_FRESH (1:
# generate the data again), BENCH_DATA_DIR (var/bench-data), BENCH_KEEP_DATA
# (1; 0: keep nothing).  Prints markdown tables for docs/performance.md.
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
stack_require_servers
stack_init
t_wall=$(date +%s)
# The machine's load average every 10 s for the whole run (a shared
# machine: the figures are read against it).
(while :; do cut -d' ' -f1 /proc/loadavg; sleep 10; done) >"$STACK_DIR/load" &
STACK_EXTRA_PIDS="${STACK_EXTRA_PIDS:-} $!"

# The data set is generated once and kept: the database cluster, stopped
# cleanly after the generation and the rollups, is copied to $DATA (under
# var/, keyed by the generator's SHA-256, the sizes and the PostgreSQL
# version) and copied back by later runs, which then apply only the
# migrations added since (their backfills are what a deployment would
# run).  Kept data whose migrations are not all in sql/ with the same
# SHA-256 (another branch, an edited migration) is not used.  The ranges
# end on the day the data was generated ($DAY), so that kept data
# measures the same days as fresh data.  BENCH_FRESH=1 generates again.
key=$({ cat "$PLC_SRCDIR/bench/analytics-data.sql"; echo "$USERS $CONVS"; "$PLC_PGBIN/postgres" --version; } |
    sha256sum | cut -c1-16)
: "${BENCH_DATA_DIR:=$PLC_SRCDIR/var/bench-data}"
DATA=$BENCH_DATA_DIR/analytics-$key
# The migrations applied to the kept data, all present and unchanged.
migrations_ok() {
    [ -f "$DATA/migrations" ] &&
        [ -z "$(comm -23 <(sort "$DATA/migrations") <(cd "$PLC_SRCDIR/sql" && sha256sum -- *.sql | sort))" ]
}
if [ -z "${BENCH_FRESH:-}" ] && [ -f "$DATA/day" ] && migrations_ok; then
    t0=$(date +%s)
    mkdir -p "$STACK_DIR/pg"
    cp -a "$DATA/pg/." "$STACK_DIR/pg/"
    [ -n "$STACK_USER" ] && chown -R "$STACK_USER:$STACK_GROUP" "$STACK_DIR/pg"
    chmod 0700 "$STACK_DIR/pg"
    stack_pg_start
    echo "bench: kept data set ($DATA, generated on $(cat "$DATA/day")) copied and started in $(($(date +%s) - t0)) s" >&2
    t0=$(date +%s)
    stack_cli migrate >"$STACK_DIR/log/migrate.log" 2>&1 ||
        bail "plccoach migrate failed: $(tail -n 5 "$STACK_DIR/log/migrate.log")"
    echo "bench: migrations since then applied in $(($(date +%s) - t0)) s: $(comm -13 <(awk '{ print $2 }' "$DATA/migrations" | sort) <(cd "$PLC_SRCDIR/sql" && ls -- *.sql) | tr '\n' ' ')" >&2
    stack_psql -- -c "ANALYZE" >/dev/null
else
    stack_pg_start
    stack_migrate
    # An admin to sign in as, who owns person 1's conversations (a typical
    # person's "my usage").
    admin=$(printf 'bench-password-123\n' | stack_cli user add --email admin@bench.example \
        --name "Bench Admin" --role admin --password-stdin)
    t0=$(date +%s)
    timeout 3600 "$PLC_PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -v users="$USERS" -v convs="$CONVS" \
        -v admin="$admin" -f "$PLC_SRCDIR/bench/analytics-data.sql" "$(stack_conninfo)" >&2
    echo "bench: data generated in $(($(date +%s) - t0)) s" >&2
    # usage_rebuild() in its parts, each timed: what a migration that adds a
    # rollup costs at this size (each part that this schema has).
    t1=$(date +%s)
    parts=
    for p in counts bits chapter_months person_days chapter_years; do
        [ "$(stack_psql -- -c "SELECT to_regproc('usage_rebuild_$p') IS NOT NULL")" = t ] || continue
        parts="$parts $p $(stack_psql -- -c '\timing on' \
            -c "SELECT set_config('plccoach.usage_rebuild', 'on', false)" -c "SELECT usage_rebuild_$p()" |
            awk '/^Time:/ { t = $2 } END { printf "%.0f", t }')"
    done
    echo "bench: usage_rebuild() in its parts, ms:$parts" >&2
    stack_psql -- -c "VACUUM ANALYZE" >/dev/null
    echo "bench: rolled up in $(($(date +%s) - t1)) s (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
    if [ "${BENCH_KEEP_DATA:-1}" = 1 ]; then
        t0=$(date +%s)
        stack_psql -- -c "SELECT (now() AT TIME ZONE 'UTC')::date" >"$STACK_DIR/day"
        stack_psql -- -c "SELECT name FROM schema_migrations" >"$STACK_DIR/applied"
        pg_stop
        rm -rf "$DATA.tmp" && mkdir -p "$DATA.tmp"
        cp -a "$STACK_DIR/pg" "$DATA.tmp/pg"
        (cd "$PLC_SRCDIR/sql" && while read -r n; do if [ -f "$n" ]; then sha256sum -- "$n"; else sha256sum -- "$n.sql"; fi; done <"$STACK_DIR/applied") >"$DATA.tmp/migrations"
        cp "$STACK_DIR/day" "$DATA.tmp/day"
        rm -rf "$DATA" && mv "$DATA.tmp" "$DATA"
        pg_start
        echo "bench: data set kept in $DATA ($(du -sh "$DATA" | cut -f1), $(($(date +%s) - t0)) s)" >&2
    fi
fi
DAY=$(stack_psql -- -c "SELECT coalesce((SELECT max(day) FROM usage_days), current_date)")
[ -f "$DATA/day" ] && DAY=$(cat "$DATA/day")
stack_pool_start
stack_nginx_start
stack_wait_health 200 || bail "GET /health did not answer 200 in ${STACK_DEADLINE}s: $HTTP_BODY"

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
# The last 30 and 365 days up to the day the data was generated.
M=$(stack_psql -- -c "SELECT '$DAY'::date - 29")
Y=$(stack_psql -- -c "SELECT '$DAY'::date - 364")
R30="from=$M&to=$DAY"
R365="from=$Y&to=$DAY"
echo "| request (through nginx, one connection) | p50 ms | p95 ms | p99 ms | requests | errors |"
echo "|---|---:|---:|---:|---:|---:|"
run 'peer: `GET /health`' /health
run 'my usage, 30 days' "/api/analytics?$R30"
run 'team (8 people), 30 days' "/api/analytics?scope=team:$TEAM&$R30"
run 'school (250 people), 30 days' "/api/analytics?scope=school:$SCHOOL&$R30"
run 'district (10,000 people), 30 days' "/api/analytics?scope=district:$DIST&$R30"
run 'my usage, 365 days' "/api/analytics?$R365"
run 'team, 365 days' "/api/analytics?scope=team:$TEAM&$R365"
run 'school, 365 days, weekly' "/api/analytics?scope=school:$SCHOOL&$R365&bucket=week"
run 'district, 365 days, weekly' "/api/analytics?scope=district:$DIST&$R365&bucket=week"
run 'district, 365 days, daily' "/api/analytics?scope=district:$DIST&$R365"
run 'district topics CSV, 365 days' "/api/analytics.csv?scope=district:$DIST&$R365&metric=topics"
run 'data export: my 10 conversations (100 messages) as JSON and PDF, one ZIP' /api/me/export

# The naive query the rollups replace: the district's active people and
# questions from the messages themselves, one statement.
for days in 30 365; do
    cat >"$STACK_DIR/naive.sql" <<SQL2
SELECT count(DISTINCT c.user_id), count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id
JOIN users u ON u.id = c.user_id
WHERE (u.organization_id = '$DIST' OR u.organization_id IN (SELECT id FROM organizations WHERE parent_id = '$DIST'))
  AND m.role = 'user' AND m.created_at >= '$DAY'::date - $((days - 1)) AND m.created_at < '$DAY'::date + 1;
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
    usage_person_days usage_org_chapter_months usage_org_chapter_years; do
    [ "$(stack_psql -- -c "SELECT to_regclass('$t') IS NOT NULL")" = t ] || continue
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
# 073 writes the chapter months in the statement that counts an answer's
# citations: no trigger of their own to turn off.
[ "$(stack_psql -- -c "SELECT count(*) FROM pg_trigger WHERE tgname = 'usage_record_chapter_month'")" = 1 ] ||
    CASES="on bits days all"
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
med() {
    local v
    v=$(awk -v c="$2" '$1 == c { print $2 }' "$STACK_DIR/ins.$1")
    [ -z "$v" ] || printf '%s\n' "$v" | pct 50
}
# (without the chapter months: "-" when they have no trigger)
echo
echo "| $INSERTS messages (half answers citing 2 chapters), median of $ROUNDS rounds, ms per message | every usage trigger | without the bit strings | without the person-days | without the chapter months | without any | every / none |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for fresh in 0 1; do
    awk -v on="$(med $fresh on)" -v bits="$(med $fresh bits)" -v days="$(med $fresh days)" \
        -v months="$(med $fresh months)" -v none="$(med $fresh all)" -v n="$INSERTS" -v f="$fresh" 'BEGIN {
        printf "| %s | %.3f | %.3f | %.3f | %s | %.3f | %.1f |\n",
            f ? "each the first of its person'"'"'s day (a new person-day)" : "people already active that day",
            on / n, bits / n, days / n, months == "" ? "-" : sprintf("%.3f", months / n), none / n, on / none }'
done
echo
echo "Command: BENCH_FRESH=${BENCH_FRESH:-} BENCH_USERS=$USERS BENCH_CONVERSATIONS=$CONVS BENCH_DURATION=$DURATION BENCH_INSERTS=$INSERTS BENCH_INSERT_ROUNDS=$ROUNDS PLC_BUILDDIR=$PLC_BUILDDIR bench/analytics.sh"
echo "Machine: $(nproc) CPUs, $(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo); load average (1 min) during the run: $(sort -n "$STACK_DIR/load" | awk '{ v[NR] = $1 } END { printf "%s to %s, median %s", v[1], v[NR], v[int((NR + 1) / 2)] }'); wall time $(($(date +%s) - t_wall)) s"
tap_finish_quietly 0
