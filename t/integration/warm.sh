#!/bin/bash
# The warm start (PLCCOACH_WARM_START, on by default; src/server/warm.h):
# each worker answers one question of its own before its first accept.
# It writes nothing to the database (every table's rows counted and
# hashed before and after), asks the model nothing, is not logged as a
# question ("coach answer") and says its outcome in one line.  The first
# real ask after it prepares none of the statements an unsaved question
# runs (PostgreSQL's own log of each backend's prepared statements),
# while a cold worker's first ask prepares them: the test fails when the
# warm-up is removed.  A database that is down at start costs one log
# line, and the worker serves at once anyway.  The scope rule's WordNet
# word classes are loaded by the warm-up ("wordnet":1 in its line).
# shellcheck disable=SC2034,SC2154,SC2317  # STACK_* are read by t/lib/stack.sh, csrf_* set by coach_user; helpers run through ok/plc_poll
. "$(dirname "$0")/../lib/integration.sh"
. "$PLC_SRCDIR/t/integration/coach-lib.bash"

stack_require_servers
stub_start
STACK_WORKERS=1
stub_pool_env PLCCOACH_PUBLIC_URL=http://localhost:8000 PLCCOACH_COACH_RATE_LIMIT=1000
stack_pg_start
stack_migrate
stack_cli ingest "$PLC_SRCDIR/content/starter" >/dev/null || bail "the starter library did not ingest"
user_add ann
PG_LOG=$STACK_DIR/log/postgres.log
QUESTION="What should our team do for students who have not learned an essential standard?"

# Every statement's parse (a prepared statement's creation) and its
# backend in PostgreSQL's log: "duration: ... parse plc_N: SQL".
stack_psql -- -c "ALTER SYSTEM SET log_min_duration_statement = 0" \
    -c "ALTER SYSTEM SET log_line_prefix = '%m [%p] '" -c "SELECT pg_reload_conf()" >/dev/null
log_size() { stat -c %s "$PG_LOG"; }
# parses FROM TO [PID]: the statement texts prepared between these two
# byte offsets of the log (by backend PID, or any), one per line, white
# space collapsed, sorted and unique.
parses() {
    python3 - "$PG_LOG" "$@" <<'EOF'
import re, sys
path, start, end = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
pid = sys.argv[4] if len(sys.argv) > 4 else None
with open(path, "rb") as f:
    f.seek(start)
    text = f.read(end - start).decode("utf-8", "replace")
records, cur = [], None
for line in text.split("\n"):
    if line.startswith("\t") and cur is not None:
        cur += " " + line
    else:
        if cur is not None:
            records.append(cur)
        cur = line
if cur is not None:
    records.append(cur)
out = set()
for r in records:
    m = re.match(r"\S+ \S+ \S+ \[(\d+)\] LOG:\s+duration: \S+ ms\s+parse plc_\d+: (.*)", r)
    if m and (pid is None or m.group(1) == pid):
        out.add(" ".join(m.group(2).split()))
for s in sorted(out):
    print(s)
EOF
}
worker_backend() {
    stack_psql -- -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'plccoach'"
}
# db_state: every table's row count and the hash of its rows.
db_state() {
    local t
    for t in $(stack_psql -- -c "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"); do
        printf '%s %s\n' "$t" \
            "$(stack_psql -- -c "SELECT count(*) || ' ' || md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM \"$t\" x")"
    done
}
warmed_lines() { grep -c '"msg":"worker warmed"' "$STACK_POOL_LOG" || true; }
one_warmed() { [ "$(warmed_lines)" -ge 1 ]; }
stub_count() { stub_requests | pyjson 'print(len(d))'; }
# last_prepares: db_prepares of the last "coach answer" line.
last_prepares() {
    grep '"msg":"coach answer"' "$STACK_POOL_LOG" | tail -n 1 | grep -o '"db_prepares":[0-9]*' | cut -d: -f2
}

# ---- warm: the default ----------------------------------------------------------------
before=$(db_state)
[ -n "$before" ] || bail "no tables"
stack_pool_start
ok "the worker warmed before its first accept (PLCCOACH_WARM_START on by default)" plc_poll 30 one_warmed
stack_nginx_start
line=$(grep '"msg":"worker warmed"' "$STACK_POOL_LOG" || true)
like "$line" '"db_prepares":[1-9]' "the warm-up prepared statements: $line"
# The scope rule's WordNet word classes (src/coach/wordclass.h, scope38b)
# load in the warm-up, not on a teacher's first question with a word the
# library lacks; without WordNet's files the warm-up says so and the rule
# stays off.
if [ -r /usr/share/wordnet/index.noun ]; then
    like "$line" '"wordnet":1' "the warm-up loaded WordNet's word classes for the scope rule"
else
    like "$line" '"wordnet":0' "without WordNet's files the warm-up says the word classes are absent"
fi
is "$(db_state)" "$before" "the warm-up wrote nothing: every table's rows counted and hashed are the same"
is "$(grep -c '"msg":"coach answer"' "$STACK_POOL_LOG" || true)" 0 \
    "the warm-up is not logged as a question (no \"coach answer\" line)"
is "$(grep -c 'SMART goal' "$STACK_POOL_LOG" || true)" 0 "nor is its question's text"
is "$(stub_count)" 0 "the warm-up asked the model nothing"
is "$(grep -c '"level":"warn"\|"level":"error"' "$STACK_POOL_LOG" || true)" 0 "and logged no warning or error"
backend=$(worker_backend)
like "$backend" '^[0-9]+$' "one database connection: the worker's, opened by the warm-up"

# From the sign-in on: every statement of the worker's first requests.
from=$(log_size)
user_signin ann
ask ann "$QUESTION"
is "$HTTP_STATUS" 200 "the first real ask after the warm-up is answered"
is "$(json_get mode)" llm "by the model"
is "$(worker_backend)" "$backend" "on the connection the warm-up opened"
warm_first=$(parses "$from" "$(log_size)" "$(worker_backend)")
warm_first_n=$(last_prepares)

# What an unsaved question (no user, no model: what the warm-up can run)
# prepares, asked of a fresh process: `plccoach eval --coach`.
printf '{"id": "w1", "question": "%s", "route": "answer", "domains": []}\n' "$QUESTION" >"$STACK_DIR/q.jsonl"
from=$(log_size)
stack_cli eval "$STACK_DIR/q.jsonl" --coach >"$STACK_DIR/eval.out" 2>&1 || diag "$(cat "$STACK_DIR/eval.out")"
unsaved=$(parses "$from" "$(log_size)")
ok "an unsaved question prepares statements ($(grep -c . <<<"$unsaved"))" test -n "$unsaved"

# ---- cold: PLCCOACH_WARM_START=false -------------------------------------------------------
stack_pool_stop
stack_pool_env PLCCOACH_WARM_START=false
warmed_before=$(warmed_lines)
stack_pool_start
stack_wait_health 200 || bail "/health did not answer 200"
is "$(warmed_lines)" "$warmed_before" "PLCCOACH_WARM_START=false: the worker does not warm"
backend=$(worker_backend)
from=$(log_size)
ask ann "$QUESTION"
is "$HTTP_STATUS" 200 "a cold worker's first ask is answered"
cold_first=$(parses "$from" "$(log_size)" "$backend")
cold_first_n=$(last_prepares)

shared_cold=$(comm -12 <(printf '%s\n' "$cold_first") <(printf '%s\n' "$unsaved") | grep -c . || true)
shared_warm=$(comm -12 <(printf '%s\n' "$warm_first") <(printf '%s\n' "$unsaved") | grep -c . || true)
ok "a cold worker's first ask prepares statements an unsaved question runs ($shared_cold)" \
    test "$shared_cold" -gt 0
is "$shared_warm" 0 "a warm worker's first ask prepares none of them"
if [ "$shared_warm" != 0 ]; then
    diag "prepared by the first ask after the warm-up although an unsaved question runs them:"
    diag "$(comm -12 <(printf '%s\n' "$warm_first") <(printf '%s\n' "$unsaved"))"
fi
ok "the first ask's prepares: $warm_first_n warm against $cold_first_n cold" \
    test "$warm_first_n" -lt "$cold_first_n"
like "$cold_first" "INSERT INTO messages" "a cold worker's first ask prepares the statements that save it"
unlike "$warm_first" "INSERT INTO messages" \
    "a warm worker's does not: the warm-up prepared them without running them"
like "$(grep '"msg":"worker warmed"' "$STACK_POOL_LOG" | head -n 1)" '"saves_prepared":5' \
    "the warm-up prepared the five statements of saving and history"
diag "prepared by the first ask after the warm-up (saving and the model path):"
diag "$(printf '%s\n' "$warm_first" | cut -c1-100)"

# ---- a database that is down at start -----------------------------------------------------
stack_pool_stop
pg_stop
stack_pool_env PLCCOACH_WARM_START=true
lines_from=$(($(wc -l <"$STACK_POOL_LOG") + 1))
stack_pool_start
not_warmed() { tail -n +"$lines_from" "$STACK_POOL_LOG" | grep -q '"msg":"worker not warmed"'; }
ok "with the database down, the worker says it did not warm" plc_poll 20 not_warmed
http GET /health/live
is "$HTTP_STATUS" 200 "and serves at once (GET /health/live)"
http GET /health
is "$HTTP_STATUS" 503 "GET /health says the database is down, as without the warm start"
wpid=$(worker_pids | head -n 1)
# The worker's lines before its first request: started, and the one line.
own=$(tail -n +"$lines_from" "$STACK_POOL_LOG" | grep "\"pid\":${wpid}[,}]" | grep -v '"msg":"worker started"' |
    awk '/"msg":"request"/ { exit } { print }')
is "$(grep -c . <<<"$own")" 1 "the failure is one log line"
like "$own" '"level":"warn".*"reason":"[^"]+"' "a warning with the reason: $own"
pg_start
stack_wait_health 200 || bail "/health did not answer 200 after the database came back"
pass "GET /health answers 200 once the database is back: the worker's health does not depend on the warm-up"
ask ann "$QUESTION"
is "$HTTP_STATUS" 200 "and the coach answers"

done_testing
