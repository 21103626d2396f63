#!/bin/bash
# Password sign-in throttling (issue 11), through nginx from several
# loopback addresses (curl --interface 127.0.0.N): failures count per
# (account, address) and per address, with growing delays instead of a
# 15-minute lock-out, so the owner signing in from another address is
# never held up; the check and the count are one step, so parallel
# attempts cannot overrun the limit; attempts of any outcome are bounded
# per account and per address; live sessions per user are capped; the
# dummy hash for unknown emails is computed before any worker serves.
. "$(dirname "$0")/../lib/integration.sh"

STACK_WORKERS=3
stack_pool_env PLCCOACH_LOGIN_MAX_FAILURES=3 PLCCOACH_LOGIN_MAX_FAILURES_IP=6 \
    PLCCOACH_LOGIN_ATTEMPTS_PER_MINUTE=100 PLCCOACH_LOGIN_ATTEMPTS_PER_MINUTE_IP=100
stack_start
for who in ed ann pat sam ivy; do
    printf 'right-password-%s\n' "$who" | stack_cli user add --email "$who@example.org" --name "$who" \
        --password-stdin >/dev/null || bail "user add $who"
done

# login FROM WHO PASSWORD [curl args]: a sign-in from 127.0.0.FROM.
login() {
    local from=$1 who=$2 pw=$3
    shift 3
    http POST /api/auth/login --interface "127.0.0.$from" -H 'Content-Type: application/json' "$@" \
        --data "{\"email\":\"$who@example.org\",\"password\":\"$pw\"}"
}
shift_back() {
    stack_psql -- -c "UPDATE login_attempts SET at = at - interval '$1', resolved_at = resolved_at - interval '$1'" >/dev/null
}
# just_now: the last verified attempts count as verified this instant, so
# that the exact Retry-After of the next one does not depend on how long
# this machine took between two requests.
just_now() {
    stack_psql -- -c "UPDATE login_attempts SET resolved_at = now() WHERE resolved_at > now() - interval '1 minute'" >/dev/null
}

# ---- The dummy hash -----------------------------------------------------------
first_worker=$(grep -n '"msg":"worker started"' "$STACK_POOL_LOG" | head -n 1 | cut -d: -f1)
ready=$(grep -n '"msg":"dummy password hash ready"' "$STACK_POOL_LOG" | head -n 1 | cut -d: -f1)
ok "the dummy hash for unknown emails is computed before the first worker starts (line ${ready:-none} < ${first_worker:-none})" \
    test -n "$ready" -a -n "$first_worker" -a "${ready:-0}" -lt "${first_worker:-0}"
is "$(grep -c '"msg":"dummy password hash ready"' "$STACK_POOL_LOG")" 1 "once, by the master (the workers inherit it)"

# ---- Per (account, address), with growing delays -----------------------------
for i in 1 2 3; do login 1 ed "wrong-$i"; done
is "$HTTP_STATUS" 401 "three failures from one address: plain 401s"
just_now
login 1 ed right-password-ed
error_envelope_ok 429 too_many_attempts "the next one from there, even right, waits"
is "$(http_header Retry-After)" 1 "one second (not 15 minutes)"
login 2 ed right-password-ed
is "$HTTP_STATUS" 200 "the owner from another address signs in at once"
shift_back '1 second'
login 1 ed wrong-4
is "$HTTP_STATUS" 401 "after the wait, one more attempt is verified"
just_now
login 1 ed wrong-5
is "$HTTP_STATUS:$(http_header Retry-After)" 429:2 "then the wait doubles: 2 s"
shift_back '2 seconds'
login 1 ed wrong-5
just_now
login 1 ed wrong-6
is "$HTTP_STATUS:$(http_header Retry-After)" 429:4 "and again: 4 s"
stack_psql -- -c "INSERT INTO login_attempts (email_lower, ip, at, outcome, resolved_at)
    SELECT 'ed@example.org', '127.0.0.1', now() - interval '1 second', 'failure', now() FROM generate_series(1, 30)" >/dev/null
login 1 ed wrong-7
retry=$(http_header Retry-After)
ok "thirty more failures: the wait is capped at 15 minutes ($retry s)" test "$HTTP_STATUS" = 429 -a "$retry" -gt 60 -a "$retry" -le 900
shift_back '16 minutes'
login 1 ed right-password-ed
is "$HTTP_STATUS" 200 "failures that left the 15-minute window no longer count"
login 1 ed wrong-8
is "$HTTP_STATUS" 401 "and a success there starts the count again"

# ---- Per address, any account: slowed down, never locked out ------------------
for who in a b c d e f; do login 3 "$who" whatever; done
is "$HTTP_STATUS" 401 "six failures from one address for six accounts: 401s"
just_now
login 3 ivy right-password-ivy
error_envelope_ok 429 too_many_attempts "the seventh from that address waits, whoever it is for"
is "$(http_header Retry-After)" 1 "one second"
login 4 ivy right-password-ivy
is "$HTTP_STATUS" 200 "from another address: at once"
stack_psql -- -c "INSERT INTO login_attempts (email_lower, ip, at, outcome, resolved_at)
    SELECT 'x' || g || '@example.org', '127.0.0.3', now() - interval '1 second', 'failure', now() FROM generate_series(1, 200) g" >/dev/null
login 3 ivy right-password-ivy
retry=$(http_header Retry-After)
ok "two hundred failures behind one NAT: the wait is at most 60 s ($retry s)" test "$HTTP_STATUS" = 429 -a "$retry" -le 60

# ---- Parallel attempts cannot overrun the limit -----------------------------
pids=()
for i in 1 2 3 4 5 6 7 8; do
    curl -s -o /dev/null -w '%{http_code}\n' --interface 127.0.0.5 -H 'Content-Type: application/json' \
        --data "{\"email\":\"pat@example.org\",\"password\":\"parallel-$i\"}" \
        "$(stack_url /api/auth/login)" >"$STACK_DIR/par.$i" &
    pids+=($!)
done
wait "${pids[@]}"
verified=$(cat "$STACK_DIR"/par.* | grep -c '^401$' || true)
refused=$(cat "$STACK_DIR"/par.* | grep -c '^429$' || true)
is "$verified" 3 "eight parallel wrong passwords: three verified (the limit), not more"
is "$refused" 5 "the other five refused with 429"
is "$(stack_psql -- -c "SELECT count(*) FROM login_attempts WHERE email_lower = 'pat@example.org'")" 3 \
    "three attempts recorded"

# ---- Attempts of any outcome per minute, and sessions per user ----------------
stack_pool_stop
stack_pool_env PLCCOACH_LOGIN_ATTEMPTS_PER_MINUTE=4 PLCCOACH_LOGIN_ATTEMPTS_PER_MINUTE_IP=6 \
    PLCCOACH_SESSIONS_PER_USER=3
stack_pool_start
stack_wait_health 200 || bail "the pool did not come back"
for i in 1 2 3 4; do
    login 6 sam right-password-sam -c "$STACK_DIR/sam.$i"
    [ "$HTTP_STATUS" = 200 ] || break
done
is "$HTTP_STATUS" 200 "four right sign-ins of one account within a minute: 200"
login 7 sam right-password-sam
error_envelope_ok 429 too_many_attempts "a fifth, even from another address, waits (each costs scrypt work)"
ok "until the first leaves the minute ($(http_header Retry-After) s)" test "$(http_header Retry-After)" -le 60
is "$(stack_psql -- -c "SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = 'sam@example.org'")" 3 \
    "four sign-ins, at most three live sessions"
http GET /api/me -b "$STACK_DIR/sam.1"
is "$HTTP_STATUS" 401 "the least recently used one ended"
http GET /api/me -b "$STACK_DIR/sam.4"
is "$HTTP_STATUS" 200 "the newest works"
for who in a b c d e f; do login 8 "$who" whatever; done
login 8 ann right-password-ann
error_envelope_ok 429 too_many_attempts "a seventh sign-in from one address within a minute waits"

done_testing
