#!/bin/bash
# The viewer's address behind CloudFront and the ALB (conf/nginx/
# fargate.conf, rendered by docker/entrypoint.sh), with nginx and the pool
# really running: here 127.0.0.1 plays the ALB (PLCCOACH_ALB_CIDRS) and
# 127.0.0.2 anyone else.  The address the application records is the one
# in the audit log row of a refused sign-in; nginx's access log shows its
# own view.
#   - through the ALB with CloudFront's origin secret: the viewer address
#     CloudFront's function put in X-Plccoach-Viewer-Address;
#   - the same headers from anywhere else: ignored, the peer's address;
#   - through the ALB without the secret, or with a wrong one: refused
#     (403), nothing reaches the application; the ALB's own health checks
#     (no secret) still pass;
#   - X-Forwarded-For, which viewers can write, is never believed;
#   - two secrets at once (a rotation) are both accepted.
# shellcheck disable=SC2317  # helpers are called through ok and plc_poll
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
: "${PLC_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=t/lib/tap.sh
. "$PLC_SRCDIR/t/lib/tap.sh"
# shellcheck source=t/lib/stack.sh
. "$PLC_SRCDIR/t/lib/stack.sh"

stack_require_servers
stack_init
stack_pg_start
stack_migrate
# shellcheck source=t/deploy/ep-lib.bash
. "$PLC_SRCDIR/t/deploy/ep-lib.bash"

secret=origin-secret-0123456789abcdef
new_secret=origin-secret-fedcba9876543210
ep_start PLCCOACH_ALB_CIDRS=127.0.0.1/32 PLCCOACH_ORIGIN_SECRET="$secret $new_secret"
ok "the entrypoint starts behind the (pretend) ALB" plc_poll 30 ep_health_is 200 /health/ready

# sign_in_from PEER [CURL-ARGS]: a refused sign-in sent from PEER; sets
# CODE and AUDIT_IP (the address of the audit row it wrote, or "none").
sign_in_from() {
    local peer=$1 before
    shift
    before=$(stack_psql -- -c "SELECT coalesce(max(id), 0) FROM audit_log")
    # A refused sign-in is answered after the password check and the
    # throttle's growing delay: the time limit only catches a hang (5 s
    # ended the script once on a loaded machine), and a curl that fails
    # leaves CODE 000 for the checks below to report.
    CODE=$(curl -s -o "$STACK_DIR/body" -w '%{http_code}' --max-time 60 --interface "$peer" \
        -X POST -H 'Content-Type: application/json' "$@" \
        --data '{"email":"nobody@example.org","password":"not-the-password"}' \
        "$(ep_url /api/auth/login)" || true)
    AUDIT_IP=$(stack_psql -- -c "SELECT coalesce(host(ip), 'null') FROM audit_log
        WHERE id > $before AND action = 'login.failure' ORDER BY id DESC LIMIT 1")
    AUDIT_IP=${AUDIT_IP:-none}
}

# ---- Through the ALB, from CloudFront -----------------------------------------------------
sign_in_from 127.0.0.1 -H "X-Plccoach-Origin-Secret: $secret" -H 'X-Plccoach-Viewer-Address: 203.0.113.7'
is "$CODE" 401 "through the ALB with the origin secret: the sign-in is answered"
is "$AUDIT_IP" 203.0.113.7 "... and the audit log records CloudFront's viewer address"
ok "... as does nginx's access log" plc_poll 30 grep -q '"remote_addr":"203.0.113.7","method":"POST"' "$EP_LOG"
sign_in_from 127.0.0.1 -H "X-Plccoach-Origin-Secret: $secret" -H 'X-Plccoach-Viewer-Address: 2001:db8::17'
is "$AUDIT_IP" 2001:db8::17 "an IPv6 viewer's address too"
sign_in_from 127.0.0.1 -H "X-Plccoach-Origin-Secret: $new_secret" -H 'X-Plccoach-Viewer-Address: 203.0.113.8'
is "$AUDIT_IP" 203.0.113.8 "the second secret (a rotation in progress) is accepted as well"

# ---- X-Forwarded-For, which any viewer writes, is not believed ---------------------------------
sign_in_from 127.0.0.1 -H "X-Plccoach-Origin-Secret: $secret" -H 'X-Forwarded-For: 198.51.100.66'
is "$AUDIT_IP" 127.0.0.1 "X-Forwarded-For is ignored: without the viewer header, the peer's address"

# ---- The same headers from anywhere else are ignored ---------------------------------------------
sign_in_from 127.0.0.2 -H "X-Plccoach-Origin-Secret: $secret" -H 'X-Plccoach-Viewer-Address: 198.51.100.66'
is "$CODE" 401 "from an address that is not the ALB's: answered"
is "$AUDIT_IP" 127.0.0.2 "... with the peer's own address: the spoofed viewer address is ignored"
ok "... in nginx's log too" plc_poll 30 grep -q '"remote_addr":"127.0.0.2","method":"POST"' "$EP_LOG"

# ---- Through the ALB without CloudFront's secret: refused --------------------------------------------
sign_in_from 127.0.0.1 -H 'X-Plccoach-Viewer-Address: 198.51.100.66'
is "$CODE" 403 "through the ALB without the origin secret: 403"
like "$(cat "$STACK_DIR/body")" '"code":"forbidden"' "... in the JSON error envelope"
is "$AUDIT_IP" none "... and the application never saw it (no audit row)"
sign_in_from 127.0.0.1 -H 'X-Plccoach-Origin-Secret: origin-secret-guessed-000000' \
    -H 'X-Plccoach-Viewer-Address: 198.51.100.66'
is "$CODE" 403 "with a wrong secret: 403"
is "$AUDIT_IP" none "... nothing recorded"
is "$(ep_code /health/ready --interface 127.0.0.1)" 200 "the ALB's health check (no secret) passes"
is "$(ep_code /health/live --interface 127.0.0.1)" 200 "... as does the liveness check"
is "$(ep_code /health --interface 127.0.0.1)" 403 "but the deep /health needs CloudFront like any other path"

# ---- The secret stays with nginx ----------------------------------------------------------------------
pool=$(ep_child plccoach-fcgi)
ok "the pool's environment does not have the origin secret" \
    bash -c "! tr '\\0' '\\n' </proc/$pool/environ | grep -q '$secret'"
is "$(stat -c %a "$EP_RUN/nginx/nginx.conf")" 600 "the rendered nginx.conf, which has it, is mode 0600"
unlike "$(cat "$EP_LOG")" "$secret" "the log does not have it"

kill -TERM "$EP_PID"
ok "the entrypoint stops" ep_wait_exit 25

done_testing
