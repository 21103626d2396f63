#!/bin/bash
# The journeys of t/e2e/journeys.mjs in headless Chromium against the real
# stack (nginx serving frontend/dist and the API, the FastCGI pool,
# PostgreSQL, the starter library): the admin screens (issue 19), a share
# link's signed-out and signed-in recipients (issue 19), the teacher's
# journey and a flag that closes the loop (issue 19), and the model failing
# mid-answer: the quoted answer takes its place, and Try again after the
# worker streaming an answer is killed (issue 11); each at desktop, tablet
# and phone (touch) sizes in one browser (t/e2e/README.md says what runs
# where).  The model is the scripted stand-in t/model/stub.py.  axe scans
# every screen; screenshots at each size go to $E2E_SHOTS (default
# t/integration/journeys-screenshots under the build directory).
#
# Skips like t/integration/e2e.sh: without Chromium, node, the frontend's
# node_modules or python3.
. "$(dirname "$0")/../lib/integration.sh"
# shellcheck source=t/lib/e2e.sh
. "$PLC_SRCDIR/t/lib/e2e.sh"

e2e_require python3
e2e_dist
e2e_shots journeys
e2e_stack
stub_start
stub_pool_env PLCCOACH_DOMAIN_TAGGER=lexicon PLCCOACH_LLM_TIMEOUT_MS=10000
stack_pool_start
stack_wait_health 200 || bail "GET /health did not answer 200: $HTTP_BODY"
e2e_people
for n in 3 4 5; do
    stack_cli user add --email "t$n@example.org" --name "Person T$n" --role educator >/dev/null ||
        bail "user add t$n"
done
stack_cli org add --name "E2E School" --kind school >/dev/null || bail "org add"
# More people than one page of the Users screen holds (50): 58 in all.
stack_psql -- -c "INSERT INTO users (email, name) SELECT 'staff' || g || '@example.org',
    'Staff ' || g FROM generate_series(1, 52) g" >/dev/null || bail "adding staff"

# The journeys at three sizes: minutes on an idle machine, far
# longer on a loaded one (more than 15 minutes once, with the load at 27
# on 2 cores): the limit only stops a hung browser.
e2e_run journeys 2400 E2E_BASE_URL="$ORIGIN" E2E_STUB_URL="$STUB_URL" E2E_POOL_PID="$STACK_POOL_PID" \
    E2E_TEACHER1=t1@example.org:password-of-t1-e2e E2E_TEACHER2=t2@example.org:password-of-t2-e2e \
    E2E_ADMIN=boss@example.org:password-of-boss-e2e
# The model's failures were the scripted ones, one mid-stream error and
# one killed worker at each of the three sizes.
stub_requests >"$STACK_DIR/stub-requests.json" || true
like "$(grep -o '"outcome": "[a-z-]*"' "$STACK_DIR/stub-requests.json" | sort | uniq -c | tr -s ' \n' ' ')" \
    ' 3 "outcome": "error-event"' "the stand-in failed three answers mid-stream, as scripted"
is "$(grep -c 'a worker ended while answering a question' "$STACK_POOL_LOG" || true)" 3 \
    "the pool logged the three workers killed while answering"
diag "screenshots: $SHOTS"
done_testing
