#!/bin/bash
# The journeys of t/e2e/journeys.mjs in headless Chromium against the real
# stack (nginx serving frontend/dist and the API, the FastCGI pool,
# PostgreSQL, the starter library): the admin screens (issue 19), a share
# link's signed-out and signed-in recipients (issue 19), and the model
# failing mid-answer: the quoted answer takes its place, and Try again
# after the worker streaming an answer is killed (issue 11).  The model is the scripted
# stand-in t/model/stub.py.  axe scans every screen; screenshots at
# desktop, tablet and phone sizes go to $E2E_SHOTS (default
# t/integration/journeys-screenshots under the build directory).
#
# Skips like t/integration/e2e.sh: without Chromium, node, the frontend's
# node_modules or python3.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
: "${PLC_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$PLC_SRCDIR/t/lib/tap.sh"
. "$PLC_SRCDIR/t/lib/stack.sh"

FRONTEND=$PLC_SRCDIR/frontend
CHROMIUM=${E2E_CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || skip_all "Chromium is not installed ($CHROMIUM)"
command -v node >/dev/null 2>&1 || skip_all "node is not installed"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed (the model stand-in)"
[ -f "$FRONTEND/node_modules/playwright-core/package.json" ] ||
    skip_all "the frontend's packages are not installed (scripts/check runs npm ci in frontend/)"

if [ ! -f "$FRONTEND/dist/index.html" ] ||
    [ -n "$(find "$FRONTEND/src" "$FRONTEND/index.html" "$FRONTEND/package-lock.json" \
        -newer "$FRONTEND/dist/index.html" -print -quit)" ]; then
    diag "building frontend/dist"
    (cd "$FRONTEND" && npm run --silent build) >&2 || bail "npm run build failed in frontend/"
fi

SHOTS=${E2E_SHOTS:-$PLC_BUILDDIR/t/integration/journeys-screenshots}
rm -rf "$SHOTS"
mkdir -p "$SHOTS"

STACK_JOB_WORKERS=1
stack_require_servers
stack_init
cp -R "$FRONTEND/dist/." "$STACK_DIR/www/"
stack_pg_start
stack_migrate
stack_nginx_start
ORIGIN=http://127.0.0.1:$STACK_NGINX_PORT
stack_pool_env PLCCOACH_PUBLIC_URL="$ORIGIN"

coproc STUB { exec python3 "$PLC_SRCDIR/t/model/stub.py" 2>>"$STACK_DIR/log/stub.log"; }
STACK_EXTRA_PIDS="${STACK_EXTRA_PIDS:-} $STUB_PID"
read -r -t 20 STUB_PORT <&"${STUB[0]}" || bail "the model stand-in did not start"
STUB_URL=http://127.0.0.1:$STUB_PORT
stack_pool_env PLCCOACH_LLM_BASE_URL="$STUB_URL" PLCCOACH_LLM_MODEL=stub-model \
    PLCCOACH_LLM_API_KEY=sk-e2e-test PLCCOACH_DOMAIN_TAGGER=lexicon PLCCOACH_LLM_TIMEOUT_MS=10000
stack_pool_start
stack_wait_health 200 || bail "GET /health did not answer 200: $HTTP_BODY"

stack_cli ingest "$PLC_SRCDIR/content/starter" >"$STACK_DIR/log/ingest.log" 2>&1 ||
    bail "loading the starter library failed: $(tail -n 5 "$STACK_DIR/log/ingest.log")"
for who in t1:educator t2:educator boss:admin; do
    name=${who%%:*}
    printf 'password-of-%s-e2e\n' "$name" | stack_cli user add --email "$name@example.org" \
        --name "Person ${name^}" --role "${who#*:}" --password-stdin >/dev/null || bail "user add $name"
done
for n in 3 4 5; do
    stack_cli user add --email "t$n@example.org" --name "Person T$n" --role educator >/dev/null ||
        bail "user add t$n"
done
stack_cli org add --name "E2E School" --kind school >/dev/null || bail "org add"
# More people than one page of the Users screen holds (50): 58 in all.
stack_psql -- -c "INSERT INTO users (email, name) SELECT 'staff' || g || '@example.org',
    'Staff ' || g FROM generate_series(1, 52) g" >/dev/null || bail "adding staff"

out=$STACK_DIR/journeys.tap
rc=0
E2E_BASE_URL=$ORIGIN E2E_SHOTS=$SHOTS E2E_CHROMIUM=$CHROMIUM E2E_STUB_URL=$STUB_URL \
    E2E_POOL_PID=$STACK_POOL_PID \
    E2E_TEACHER1=t1@example.org:password-of-t1-e2e E2E_TEACHER2=t2@example.org:password-of-t2-e2e \
    E2E_ADMIN=boss@example.org:password-of-boss-e2e \
    timeout 900 node "$PLC_SRCDIR/t/e2e/journeys.mjs" >"$out" 2>"$STACK_DIR/log/e2e-node.log" || rc=$?
seen=0
while IFS= read -r line; do
    case "$line" in
    'ok '*) seen=$((seen + 1)); pass "${line#ok * - }" ;;
    'not ok '*) seen=$((seen + 1)); fail "${line#not ok * - }" ;;
    '#'*) diag "${line#\# }" ;;
    esac
done <"$out"
[ "$seen" -gt 0 ] || fail "the journeys reported results (exit $rc): $(tail -n 20 "$STACK_DIR/log/e2e-node.log")"
is "$rc" 0 "the journeys exited 0"
# The model's failure was the scripted one.
curl -s "$STUB_URL/__requests" >"$STACK_DIR/stub-requests.json"
like "$(grep -o '"outcome": "[a-z-]*"' "$STACK_DIR/stub-requests.json" | sort | uniq -c | tr -s ' \n' ' ')" \
    'error-event' "the stand-in failed one answer mid-stream, as scripted"
like "$(grep -c '"how"' "$STACK_POOL_LOG" || true)" '^[1-9]' "the pool logged the worker that was killed"
diag "screenshots: $SHOTS"
done_testing
