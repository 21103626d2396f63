#!/bin/bash
# The per-user coach rate limit, kept in PostgreSQL: N per rolling hour,
# then 429 with a sane Retry-After; per user; exact under concurrency
# (requests racing through several workers never overshoot); and the
# window rolls.
. "$(dirname "$0")/../lib/integration.sh"

STACK_WORKERS=4
stack_pool_env PLCCOACH_PUBLIC_URL=http://localhost:8000 PLCCOACH_COACH_RATE_LIMIT=3
stack_start

user_new ann
user_new bob

quota() { # WHO
    local var=csrf_$1
    http POST /api/debug/coach-quota -b "$STACK_DIR/$1.jar" -H "X-CSRF-Token: ${!var}"
}

for i in 1 2 3; do
    quota ann
    is "$HTTP_STATUS" 200 "ann's request $i of 3 is allowed"
done
quota ann
error_envelope_ok 429 rate_limited "the fourth request within the hour"
retry=$(http_header Retry-After)
ok "Retry-After ($retry s) is about an hour: the oldest request was just now" test "$retry" -ge 3590 -a "$retry" -le 3600
quota bob
is "$HTTP_STATUS" 200 "another user has a quota of their own"
is "$(stack_psql -- -c "SELECT count(*) FROM rate_events e JOIN users u ON u.id = e.user_id WHERE u.email = 'ann@example.org'")" 3 \
    "refused requests are not counted"

# The window rolls: once the oldest leaves the hour, one more is allowed.
stack_psql -- -c "UPDATE rate_events e SET at = now() - interval '61 minutes' FROM users u
    WHERE u.id = e.user_id AND u.email = 'ann@example.org'
    AND e.at = (SELECT min(at) FROM rate_events e2 WHERE e2.user_id = u.id)"
quota ann
is "$HTTP_STATUS" 200 "after the oldest request leaves the window, one more is allowed"
quota ann
is "$HTTP_STATUS" 429 "and then the limit holds again"

# Concurrency: bob has 2 left; 12 racing requests through 4 workers.
pids=()
for i in $(seq 1 12); do
    curl -s -o /dev/null -w '%{http_code}\n' -X POST -b "$STACK_DIR/bob.jar" \
        -H "X-CSRF-Token: $csrf_bob" "$(stack_url /api/debug/coach-quota)" \
        >"$STACK_DIR/race.$i" &
    pids+=($!)
done
wait "${pids[@]}"
allowed=$(cat "$STACK_DIR"/race.* | grep -c '^200$' || true)
limited=$(cat "$STACK_DIR"/race.* | grep -c '^429$' || true)
is "$allowed" 2 "12 racing requests: exactly the 2 remaining are allowed"
is "$limited" 10 "and the other 10 get 429"

# Signed-out requests never reach the limiter.
http POST /api/debug/coach-quota
is "$HTTP_STATUS" 401 "the limit applies to signed-in users only (401 without a session)"

done_testing
