#!/bin/bash
# The web app end to end (issue 6): headless Chromium driven by
# playwright-core (t/e2e/scenario.mjs) against the real stack, with nginx
# serving the built app (frontend/dist) and the API on the same origin.
# A teacher signs in, asks, watches the answer stream, sees its shape
# (key takeaways in a box, follow-up questions as buttons; screenshot
# answer-shape), opens a citation and its page, downloads each export
# format, gives a thumbs-down with a reason, asks a follow-up, renames, searches
# and shares; a second teacher reads the link; the first revokes it; an
# admin uploads a book, sees it ingested and finds it cited.  The model is
# the scripted stand-in t/model/stub.py (streams in small chunks).  axe-core
# scans every screen (no serious or critical violations).  Screenshots at
# desktop and mobile widths go to $E2E_SHOTS (default
# t/integration/e2e-screenshots under the build directory).
#
# Skips when Chromium, the frontend's node_modules (scripts/check runs
# npm ci in frontend/) or the coach endpoint are missing; builds
# frontend/dist when it is missing or older than the sources.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
: "${PLC_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$PLC_SRCDIR/t/lib/tap.sh"
. "$PLC_SRCDIR/t/lib/stack.sh"

FRONTEND=$PLC_SRCDIR/frontend
CHROMIUM=${E2E_CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || skip_all "Chromium is not installed ($CHROMIUM; scripts/check installs Debian's chromium)"
command -v node >/dev/null 2>&1 || skip_all "node is not installed"
[ -f "$FRONTEND/node_modules/playwright-core/package.json" ] ||
    skip_all "the frontend's packages are not installed (scripts/check runs npm ci in frontend/)"
grep -q '"/api/coach/ask"' "$PLC_SRCDIR/src/http/routes.c" 2>/dev/null ||
    skip_all "POST /api/coach/ask is not in src/http/routes.c yet (issue 5)"

# The built app: rebuilt when a source is newer than dist/index.html.
if [ ! -f "$FRONTEND/dist/index.html" ] ||
    [ -n "$(find "$FRONTEND/src" "$FRONTEND/index.html" "$FRONTEND/package-lock.json" \
        -newer "$FRONTEND/dist/index.html" -print -quit)" ]; then
    diag "building frontend/dist"
    (cd "$FRONTEND" && npm run --silent build) >&2 || bail "npm run build failed in frontend/"
fi

SHOTS=${E2E_SHOTS:-$PLC_BUILDDIR/t/integration/e2e-screenshots}
rm -rf "$SHOTS"
mkdir -p "$SHOTS"

STACK_JOB_WORKERS=1
stack_require_servers
stack_init
cp -R "$FRONTEND/dist/." "$STACK_DIR/www/"
stack_pg_start
stack_migrate
# nginx first, so the pool's public URL (the Origin the browser sends on
# every state change) can name nginx's port.
stack_nginx_start
ORIGIN=http://127.0.0.1:$STACK_NGINX_PORT
stack_pool_env PLCCOACH_PUBLIC_URL="$ORIGIN"

# The model: the scripted OpenAI-compatible stand-in (t/model/stub.py),
# so answers stream in small chunks as with a real model; without python3
# the coach runs in extractive mode (one delta per answer).
E2E_EXPECT_STREAMING=0
if command -v python3 >/dev/null 2>&1; then
    coproc STUB { exec python3 "$PLC_SRCDIR/t/model/stub.py" 2>>"$STACK_DIR/log/stub.log"; }
    STACK_EXTRA_PIDS="${STACK_EXTRA_PIDS:-} $STUB_PID"
    read -r -t 20 STUB_PORT <&"${STUB[0]}" || bail "the model stand-in did not start"
    STUB_URL=http://127.0.0.1:$STUB_PORT
    # The stand-in's domain tags are fixed placeholders: uploaded books are
    # tagged by the lexicon, like the starter library loaded below.
    stack_pool_env PLCCOACH_LLM_BASE_URL="$STUB_URL" PLCCOACH_LLM_MODEL=stub-model \
        PLCCOACH_LLM_API_KEY=sk-e2e-test PLCCOACH_DOMAIN_TAGGER=lexicon
    E2E_EXPECT_STREAMING=1
else
    diag "python3 is missing: the coach answers in extractive mode"
fi
stack_pool_start
stack_wait_health 200 || bail "GET /health did not answer 200: $HTTP_BODY"
if [ "$E2E_EXPECT_STREAMING" = 1 ]; then
    # Slow the first model calls' chunks down (40 ms each) so the browser
    # sees the answer grow; later calls (and the rest) stream at once.
    behaviours='{"responses":['
    for _ in 1 2 3 4 5 6; do behaviours+='{"delay_ms_per_chunk":40},'; done
    curl -s -f -X POST -H 'Content-Type: application/json' --data "${behaviours%,}]}" \
        "$STUB_URL/__script" >/dev/null || bail "could not script the model stand-in"
fi

stack_cli ingest "$PLC_SRCDIR/content/starter" >"$STACK_DIR/log/ingest.log" 2>&1 ||
    bail "loading the starter library failed: $(tail -n 5 "$STACK_DIR/log/ingest.log")"
for who in t1:educator t2:educator boss:admin; do
    name=${who%%:*}
    printf 'password-of-%s-e2e\n' "$name" | stack_cli user add --email "$name@example.org" \
        --name "Person ${name^}" --role "${who#*:}" --password-stdin >/dev/null || bail "user add $name"
done
# Analytics (issue 14): coach Cora and her team of six, t1 and t2 and four
# teachers who each ask one question from the command line; with teacher
# 1's two questions in the browser, five people ask 6 questions in 5
# conversations, enough for the Team view to show its figures.
printf 'password-of-cora-e2e\n' | stack_cli user add --email cora@example.org --name "Cora Coach" \
    --role coach --password-stdin >/dev/null || bail "user add cora"
team=$(stack_cli team add --org "$(stack_cli org add --name "E2E School" --kind school)" \
    --name "Grade 3 team") || bail "team add"
for n in 3 4 5 6; do
    printf 'password-of-t%s-e2e\n' "$n" | stack_cli user add --email "t$n@example.org" \
        --name "Person T$n" --role educator --password-stdin >/dev/null || bail "user add t$n"
    stack_cli ask "How does a team plan a common formative assessment?" --user "t$n@example.org" \
        >>"$STACK_DIR/log/ask.log" 2>&1 || bail "plccoach ask as t$n failed"
done
for n in 1 2 3 4 5 6; do
    stack_cli team add-member --team "$team" --email "t$n@example.org" >/dev/null || bail "add-member t$n"
done
stack_cli team add-coach --team "$team" --email cora@example.org >/dev/null || bail "add-coach cora"

# The scenario prints TAP; its results become this script's tests.
out=$STACK_DIR/e2e.tap
rc=0
E2E_EXPECT_STREAMING=$E2E_EXPECT_STREAMING E2E_BASE_URL=$ORIGIN E2E_SHOTS=$SHOTS E2E_BOOK=$PLC_SRCDIR/t/e2e/book.md E2E_CHROMIUM=$CHROMIUM \
    E2E_TEACHER1=t1@example.org:password-of-t1-e2e E2E_TEACHER2=t2@example.org:password-of-t2-e2e \
    E2E_ADMIN=boss@example.org:password-of-boss-e2e E2E_COACH=cora@example.org:password-of-cora-e2e \
    timeout 900 node "$PLC_SRCDIR/t/e2e/scenario.mjs" >"$out" 2>"$STACK_DIR/log/e2e-node.log" || rc=$?
seen=0
while IFS= read -r line; do
    case "$line" in
    'ok '*) seen=$((seen + 1)); pass "${line#ok * - }" ;;
    'not ok '*) seen=$((seen + 1)); fail "${line#not ok * - }" ;;
    '#'*) diag "${line#\# }" ;;
    esac
done <"$out"
[ "$seen" -gt 0 ] || fail "the scenario reported results (exit $rc): $(tail -n 20 "$STACK_DIR/log/e2e-node.log")"
is "$rc" 0 "the scenario exited 0"
diag "screenshots: $SHOTS"
done_testing
