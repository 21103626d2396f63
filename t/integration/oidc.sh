#!/bin/bash
# Single sign-on through nginx against a real OpenID provider (npm's
# oidc-provider, t/oidc/provider.mjs, on a free loopback port): the whole
# authorization code flow with PKCE, state and nonce, driven by curl with a
# cookie jar; users created on first sign-in and found on the next; every
# refusal (tampered, replayed, expired or foreign state, a replayed code,
# expired ID token, bad signature, wrong audience, nonce or issuer, a kid
# that is never published) ends with a clear error and no session, and a
# key rotated into the JWKS is picked up by one refetch; email linking
# rules; the Clever slot's organizations and roles; the audit trail.
. "$(dirname "$0")/../lib/integration.sh"

command -v node >/dev/null 2>&1 || skip_all "node is not installed"
[ -f "$PLC_SRCDIR/t/oidc/node_modules/oidc-provider/package.json" ] ||
    skip_all "oidc-provider is not installed (scripts/check runs npm ci --prefix t/oidc)"

# One worker, so that the per-worker discovery and JWKS caches (and the
# refetch on an unknown kid) can be watched from the provider's side.
STACK_WORKERS=1
CLIENT_ID=plccoach-test
CLIENT_SECRET=test-secret-$RANDOM$RANDOM-do-not-log
stack_require_servers
stack_init
stack_pg_start
stack_migrate
stack_nginx_start
APP=http://127.0.0.1:$STACK_NGINX_PORT
ACCOUNTS=$STACK_DIR/oidc-accounts.json
PROVIDER_LOG=$STACK_DIR/log/oidc-provider.log
PROVIDER_PID=

# set_account ID CLAIMS-JSON: adds or replaces a test account.
set_account() {
    perl -MJSON::PP -e '
        my ($f, $id, $claims) = @ARGV;
        my $all = {};
        if (open my $in, "<", $f) { local $/; $all = decode_json(<$in>) }
        $all->{$id} = decode_json($claims);
        open my $out, ">", "$f.tmp" or die "$f.tmp: $!";
        print $out encode_json($all);
        close $out;
        rename "$f.tmp", $f or die "rename: $!";' "$ACCOUNTS" "$1" "$2"
}

_provider_up() {
    plc_pid_alive "$PROVIDER_PID" || return 2
    curl -sf --max-time 2 -o /dev/null "http://127.0.0.1:$PROVIDER_PORT/__test/stats"
}

provider_stop() {
    [ -n "$PROVIDER_PID" ] || return 0
    kill -TERM "$PROVIDER_PID" 2>/dev/null
    plc_poll 60 _stack_not_alive "$PROVIDER_PID" || kill -KILL "$PROVIDER_PID" 2>/dev/null
    wait "$PROVIDER_PID" 2>/dev/null || true
    PROVIDER_PID=
}

# provider_start: the provider on a free port (another one if it is taken).
provider_start() {
    local attempt rc
    tap_cleanup provider_stop
    for attempt in 1 2 3 4 5; do
        PROVIDER_PORT=$(plc_free_port)
        node "$PLC_SRCDIR/t/oidc/provider.mjs" --port "$PROVIDER_PORT" \
            --client-id "$CLIENT_ID" --client-secret "$CLIENT_SECRET" \
            --redirect-uri "$APP/api/auth/generic/callback" \
            --redirect-uri "$APP/api/auth/clever/callback" \
            --redirect-uri "$APP/api/auth/google/callback" \
            --accounts "$ACCOUNTS" </dev/null >>"$PROVIDER_LOG" 2>&1 &
        PROVIDER_PID=$!
        rc=0
        plc_poll "$STACK_DEADLINE" _provider_up || rc=$?
        [ "$rc" -eq 0 ] && return 0
        diag "the OpenID provider did not start on port $PROVIDER_PORT (attempt $attempt)"
        provider_stop
    done
    bail "the OpenID provider did not start: $(tail -n 5 "$PROVIDER_LOG")"
}

set_account alice '{"email":"alice@example.org","email_verified":true,"name":"Alice Example"}'
provider_start
IDP=http://127.0.0.1:$PROVIDER_PORT

# Generic, Clever and Google all point at the same provider: three
# providers as far as PLC Coach can tell (identities are per slot).
stack_pool_env PLCCOACH_PUBLIC_URL="$APP" \
    PLCCOACH_OIDC_GENERIC_ISSUER="$IDP" PLCCOACH_OIDC_GENERIC_CLIENT_ID="$CLIENT_ID" \
    PLCCOACH_OIDC_GENERIC_CLIENT_SECRET="$CLIENT_SECRET" PLCCOACH_OIDC_GENERIC_NAME="Test IdP" \
    PLCCOACH_OIDC_CLEVER_ISSUER="$IDP" PLCCOACH_OIDC_CLEVER_CLIENT_ID="$CLIENT_ID" \
    PLCCOACH_OIDC_CLEVER_CLIENT_SECRET="$CLIENT_SECRET" \
    PLCCOACH_OIDC_GOOGLE_ISSUER="$IDP" PLCCOACH_OIDC_GOOGLE_CLIENT_ID="$CLIENT_ID" \
    PLCCOACH_OIDC_GOOGLE_CLIENT_SECRET="$CLIENT_SECRET"
stack_pool_start
stack_wait_health 200 || bail "GET /health did not answer 200: $HTTP_BODY"

# ---- helpers -------------------------------------------------------------------

JAR=
CALLBACK=
AUTH_URL=

# new_browser: an empty cookie jar.
new_browser() {
    JAR=$(mktemp "$STACK_DIR/tmp/jar.XXXXXX")
}

# sso_begin PROVIDER [RETURN_TO]: our login URL; AUTH_URL is where it sends
# the browser.
sso_begin() {
    local q=
    [ -n "${2:-}" ] && q="?return_to=$2"
    http GET "/api/auth/$1/login$q" -b "$JAR" -c "$JAR"
    AUTH_URL=$(http_header Location)
}

# sso_provider ACCOUNT: the browser at the provider, signing in as ACCOUNT
# (login_hint), following its redirects until it is sent back to us:
# CALLBACK is that path and query.
sso_provider() {
    local url="$AUTH_URL&login_hint=$1" out i
    CALLBACK=
    for i in 1 2 3 4 5 6 7 8; do
        out=$(curl -s -g --max-time 30 -b "$JAR" -c "$JAR" -o /dev/null \
            -w '%{http_code} %{redirect_url}' "$url") || return 1
        url=${out#* }
        case $url in
        "$APP"/*)
            CALLBACK=${url#"$APP"}
            return 0
            ;;
        "")
            diag "the provider stopped at HTTP ${out%% *}"
            return 1
            ;;
        esac
    done
    return 1
}

# sso_finish [CURL-ARGS...]: the browser back at our callback.
sso_finish() {
    http GET "$CALLBACK" -b "$JAR" -c "$JAR" "$@"
}

# sso_login PROVIDER ACCOUNT [RETURN_TO]: the whole sign-in in a new browser.
sso_login() {
    new_browser
    sso_begin "$1" "${3:-}"
    sso_provider "$2" || diag "no way back from the provider for $2"
    sso_finish
}

idp_mode() {
    curl -sf --max-time 10 -X POST -H 'Content-Type: application/json' \
        --data "{\"mode\":\"$1\"}" "$IDP/__test/mode" >/dev/null || bail "could not set the provider's mode"
}

idp_stat() {
    curl -sf --max-time 10 "$IDP/__test/stats" >"$STACK_DIR/tmp/stats.json" || bail "no provider stats"
    json_get "$1" "$STACK_DIR/tmp/stats.json"
}

q() {
    stack_psql -- -c "$1"
}

jar_has_session() {
    grep -q $'\tplc_session\t' "$JAR"
}

SESSIONS=0
last_failure() {
    q "SELECT detail->>'error', detail->>'reason', detail->>'provider' FROM audit_log
       WHERE action = 'login.failure' ORDER BY id DESC LIMIT 1"
}

# signed_in WHAT RETURN_TO: the last response signed the browser in.
signed_in() {
    SESSIONS=$((SESSIONS + 1))
    is "$HTTP_STATUS $(http_header Location)" "302 $2" "$1: 302 to $2"
    ok "$1: the browser has a session cookie" jar_has_session
    is "$(q "SELECT count(*) FROM sessions")" "$SESSIONS" "$1: one more session"
}

# refused WHAT CODE REASON [PROVIDER]: the last response refused the
# sign-in: 302 to /sign-in?error=CODE with the envelope, no session, and
# a login.failure audit row with the reason.
refused() {
    is "$HTTP_STATUS $(http_header Location)" "302 /sign-in?error=$2" "$1: 302 to /sign-in?error=$2"
    is "$(json_get error.code 2>/dev/null)" "$2" "$1: the body is the error envelope"
    if jar_has_session; then
        fail "$1: no session cookie"
    else
        pass "$1: no session cookie"
    fi
    is "$(q "SELECT count(*) FROM sessions")" "$SESSIONS" "$1: no session row"
    is "$(last_failure)" "$2|$3|${4:-generic}" "$1: audited as login.failure ($3)"
}

uid_of() {
    q "SELECT id FROM users WHERE lower(email) = lower('$1')"
}

# ---- providers and the login endpoint -------------------------------------------

http GET /api/auth/providers
is "$(json_get providers)" \
    '[{"id":"local","kind":"password","name":"Email and password"},{"id":"google","kind":"oidc","login_url":"/api/auth/google/login","name":"Google"},{"id":"clever","kind":"oidc","login_url":"/api/auth/clever/login","name":"Clever"},{"id":"generic","kind":"oidc","login_url":"/api/auth/generic/login","name":"Test IdP"}]' \
    "providers lists local sign-in, then the configured OpenID providers"

http GET /api/auth/facebook/login
error_envelope_ok 404 not_found "an unconfigured provider"
http GET '/api/auth/generic/login?return_to=//evil.example/'
error_envelope_ok 400 invalid_parameter "return_to that leaves the site (//host)"
http GET '/api/auth/generic/login?return_to=https://evil.example/'
is "$HTTP_STATUS" 400 "return_to with a scheme: 400"
http GET '/api/auth/generic/login?return_to=/%5Cevil.example'
is "$HTTP_STATUS" 400 "return_to with a backslash: 400"
http GET '/api/auth/generic/login?next=/'
is "$HTTP_STATUS" 400 "an unknown parameter: 400"

new_browser
sso_begin generic /conversations
is "$HTTP_STATUS" 302 "login: 302 to the provider"
like "$AUTH_URL" "^$IDP/auth\\?response_type=code&client_id=$CLIENT_ID&redirect_uri=http%3A%2F%2F127\\.0\\.0\\.1%3A$STACK_NGINX_PORT%2Fapi%2Fauth%2Fgeneric%2Fcallback&scope=openid%20email%20profile&state=[0-9a-f]{64}&nonce=[0-9a-f]{64}&code_challenge=[A-Za-z0-9_-]{43}&code_challenge_method=S256$" \
    "the authorization URL: code flow, our redirect URI, scopes, state, nonce, PKCE S256"
state=$(printf '%s' "$AUTH_URL" | sed 's/.*[?&]state=\([0-9a-f]*\).*/\1/')
challenge=$(printf '%s' "$AUTH_URL" | sed 's/.*code_challenge=\([A-Za-z0-9_-]*\).*/\1/')
like "$(http_header Set-Cookie)" "^plc_oidc=$state; Path=/api/auth/; Max-Age=600; HttpOnly; SameSite=Lax$" \
    "the state is bound to the browser by a short-lived HttpOnly SameSite=Lax cookie"
is "$(q "SELECT provider, return_to, expires_at BETWEEN now() + interval '9 minutes' AND now() + interval '10 minutes'
         FROM oidc_requests WHERE state_hash = '$(printf '%s' "$state" | sha256sum | cut -d' ' -f1)'")" \
    "generic|/conversations|t" "the database keeps the state's SHA-256, the provider, return_to, 10 minutes"
is "$(q "SELECT count(*) FROM oidc_requests WHERE state_hash = '$state'")" 0 "never the state itself"
verifier=$(q "SELECT code_verifier FROM oidc_requests")
is "$(printf '%s' "$verifier" | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '=')" \
    "$challenge" "code_challenge = base64url(SHA-256(the stored verifier)), verifier ${#verifier} chars"

# ---- first and second sign-in ------------------------------------------------------

sso_provider alice || true
like "$CALLBACK" '^/api/auth/generic/callback\?code=[^&]+&state=[0-9a-f]{64}&iss=' \
    "the provider sends the browser back with code, state and iss"
sso_finish
signed_in "first sign-in" /conversations
is "$(q "SELECT count(*) FROM oidc_requests")" 0 "the pending sign-in is used up"
alice=$(uid_of alice@example.org)
is "$(q "SELECT name, role, role_locked, last_login_at IS NOT NULL FROM users WHERE id = '$alice'")" \
    "Alice Example|educator|f|t" "the user is created with role educator, name from the token"
is "$(q "SELECT provider, subject, email, email_verified FROM identities WHERE user_id = '$alice'")" \
    "generic|alice|alice@example.org|t" "with the identity (provider, subject)"
http GET /api/me -b "$JAR"
is "$HTTP_STATUS $(json_get email)" "200 alice@example.org" "the session works: GET /api/me"
is "$(q "SELECT detail->>'provider', detail->>'account', actor_id FROM audit_log WHERE action = 'login.success'")" \
    "generic|created|$alice" "login.success audited with the provider"
is "$(q "SELECT count(*) FROM audit_log WHERE action = 'user.create' AND target_id = '$alice'")" 1 \
    "user.create audited"

q "UPDATE users SET last_login_at = now() - interval '1 day' WHERE id = '$alice'"
sso_login generic alice
signed_in "second sign-in (no return_to)" /
is "$(uid_of alice@example.org)" "$alice" "second sign-in finds the same user"
is "$(q "SELECT count(*) FROM users")|$(q "SELECT count(*) FROM identities")" "1|1" \
    "no duplicate user or identity"
is "$(q "SELECT last_login_at > now() - interval '1 minute' FROM users WHERE id = '$alice'")" t \
    "last_login_at is updated"
is "$(q "SELECT detail->>'account' FROM audit_log WHERE action = 'login.success' ORDER BY id DESC LIMIT 1")" \
    found "audited as an existing account"
is "$(idp_stat discovery_fetches)|$(idp_stat jwks_fetches)" "1|1" \
    "the discovery document and the JWKS were fetched once and cached"

# ---- ID tokens that must be refused -------------------------------------------------

for mode in expired bad_signature wrong_audience wrong_nonce wrong_issuer; do
    idp_mode "$mode"
    sso_login generic alice
    refused "ID token: $mode" token_invalid "$mode"
done

idp_mode es256
sso_login generic alice
signed_in "an ES256 ID token from a published key" /

fetches=$(idp_stat jwks_fetches)
idp_mode rotated_kid
sso_login generic alice
signed_in "a token signed with a key rotated into the JWKS after we cached it" /
is "$(idp_stat jwks_fetches)" $((fetches + 1)) "the unknown kid made exactly one JWKS refetch"
idp_mode unknown_kid
sso_login generic alice
refused "a kid that is never published" token_invalid unknown_kid
is "$(idp_stat jwks_fetches)" $((fetches + 1)) \
    "no second refetch within a minute (rate-limited per provider)"

# ---- state, code and provider answers that must be refused ---------------------

tokens=$(idp_stat token_requests)
new_browser
sso_begin generic
sso_provider alice || true
good_callback=$CALLBACK
st=$(printf '%s' "$good_callback" | sed 's/.*state=\([0-9a-f]*\).*/\1/')
other=0
[ "${st: -1}" = 0 ] && other=1
CALLBACK=${good_callback/state=$st/state=${st:0:63}$other}
sso_finish
refused "a tampered state" state_invalid state_cookie_mismatch
is "$(idp_stat token_requests)" "$tokens" "the code was not even exchanged"

new_browser
sso_begin generic
sso_provider alice || true
saved_jar=$JAR
new_browser
sso_finish
refused "a callback in another browser (no state cookie)" state_invalid state_cookie_mismatch
JAR=$saved_jar

new_browser
sso_begin generic
sso_provider alice || true
used_callback=$CALLBACK
used_state=$(printf '%s' "$CALLBACK" | sed 's/.*state=\([0-9a-f]*\).*/\1/')
sso_finish
signed_in "a sign-in whose callback is replayed below" /
new_browser
http GET "$used_callback" -b "plc_oidc=$used_state" -c "$JAR"
refused "the same callback replayed (state cookie forged back)" state_invalid state_unknown

new_browser
sso_begin generic
old_code=$(printf '%s' "$used_callback" | sed 's/.*code=\([^&]*\).*/\1/')
new_state=$(printf '%s' "$AUTH_URL" | sed 's/.*[?&]state=\([0-9a-f]*\).*/\1/')
CALLBACK="/api/auth/generic/callback?code=$old_code&state=$new_state"
sso_finish
refused "a used code with a fresh state" code_rejected "token_endpoint_refused:invalid_grant"

new_browser
sso_begin generic
sso_provider alice || true
q "UPDATE oidc_requests SET expires_at = now() - interval '1 second'"
sso_finish
refused "a sign-in older than 10 minutes" state_invalid state_expired

new_browser
sso_begin generic
sso_provider alice || true
CALLBACK=${CALLBACK/\/generic\//\/clever\/}
sso_finish
refused "a callback at another provider's address" state_invalid provider_mismatch clever

new_browser
sso_begin generic
sso_provider alice || true
CALLBACK=$(printf '%s' "$CALLBACK" | sed 's/&iss=[^&]*/\&iss=https%3A%2F%2Fevil.example/')
sso_finish
refused "an iss parameter naming another issuer (RFC 9207)" state_invalid issuer_mismatch

new_browser
sso_begin generic
sso_provider nobody-here || true
like "$CALLBACK" 'error=access_denied' "the provider refuses an unknown account"
sso_finish
refused "the provider's error=access_denied" provider_denied access_denied

# ---- email linking -----------------------------------------------------------------------

set_account alice-g '{"email":"ALICE@example.org","email_verified":true,"name":"Alice G"}'
sso_login google alice-g
signed_in "another provider, same email, both verified" /
is "$(q "SELECT user_id FROM identities WHERE provider = 'google' AND subject = 'alice-g'")" "$alice" \
    "links to the same user"
is "$(q "SELECT detail->>'account' FROM audit_log WHERE action = 'login.success' ORDER BY id DESC LIMIT 1")" \
    linked "audited as linked"

set_account mallory '{"email":"alice@example.org","email_verified":false,"name":"Mallory"}'
sso_login clever mallory
refused "same email, unverified at the second provider" email_in_use email_in_use clever
is "$(q "SELECT count(*) FROM users WHERE lower(email) = 'alice@example.org'")|$(q "SELECT count(*) FROM identities WHERE subject = 'mallory'")" \
    "1|0" "no duplicate user, no identity"

set_account uma '{"email":"uma@example.org","email_verified":false,"name":"Uma"}'
sso_login generic uma
signed_in "a new user with an unverified email" /
set_account uma-g '{"email":"uma@example.org","email_verified":true,"name":"Uma G"}'
sso_login google uma-g
refused "verified now, but the first provider never verified it" email_in_use email_in_use google

printf 'lou-password-1234\n' | stack_cli user add --email lou@example.org --name "Lou Local" \
    --password-stdin >/dev/null || bail "user add failed"
set_account lou '{"email":"lou@example.org","name":"Lou"}'
sso_login google lou
refused "a local account's email without email_verified" email_in_use email_in_use google
set_account lou '{"email":"lou@example.org","email_verified":true,"name":"Lou"}'
sso_login google lou
refused "a local account's email, even verified by the provider (only providers vouch)" \
    email_in_use email_in_use google
is "$(q "SELECT count(*) FROM identities WHERE subject = 'lou'")" 0 \
    "and no identity is attached to the local account"

set_account noemail '{"name":"No Email"}'
sso_login generic noemail
refused "a new account without an email" email_missing email_missing

q "UPDATE users SET disabled_at = now() WHERE id = '$alice'"
sso_login generic alice
refused "a disabled user" account_disabled account_disabled
q "UPDATE users SET disabled_at = NULL WHERE id = '$alice'"

# ---- Clever --------------------------------------------------------------------------------

set_account t1 '{"email":"t1@school.example","email_verified":true,"given_name":"Tess","family_name":"One","user_type":"teacher","district":"d100","schools":["s1"]}'
sso_login clever t1 /home
signed_in "a Clever teacher" /home
t1=$(uid_of t1@school.example)
is "$(q "SELECT u.name, u.role, o.kind, o.source, o.external_id, o.name, p.kind, p.external_id, p.name
         FROM users u JOIN organizations o ON o.id = u.organization_id
         JOIN organizations p ON p.id = o.parent_id WHERE u.id = '$t1'")" \
    "Tess One|educator|school|clever|s1|Clever school s1|district|d100|Clever district d100" \
    "educator in the school, under the district (names from given/family name)"

set_account t2 '{"email":"t2@school.example","email_verified":true,"name":"Two","user_type":"teacher","district":"d100","schools":["s1","s2"]}'
sso_login clever t2
signed_in "a Clever teacher of two schools" /
is "$(q "SELECT o.kind, o.external_id FROM users u JOIN organizations o ON o.id = u.organization_id
         WHERE lower(u.email) = 't2@school.example'")" "district|d100" "belongs to the district"
is "$(q "SELECT kind, external_id FROM organizations WHERE source = 'clever' ORDER BY kind, external_id" | tr '\n' ' ')" \
    "district|d100 school|s1 school|s2 " "one district and each school once"

set_account adm '{"email":"adm@school.example","email_verified":true,"name":"Ada Min","user_type":"district_admin","district":"d100"}'
sso_login clever adm
signed_in "a Clever district admin" /
is "$(q "SELECT role FROM users WHERE lower(email) = 'adm@school.example'")" admin \
    "becomes admin when first created"

q "UPDATE users SET role = 'educator', role_locked = true WHERE lower(email) = 'adm@school.example'"
sso_login clever adm
signed_in "the district admin after an admin made them educator" /
is "$(q "SELECT role FROM users WHERE lower(email) = 'adm@school.example'")" educator \
    "a role an admin set is never overwritten by sign-in"

set_account t2 '{"email":"t2@school.example","email_verified":true,"name":"Two","user_type":"school_admin","district":"d100","schools":["s2"]}'
sso_login clever t2
signed_in "an existing teacher now a Clever school admin" /
is "$(q "SELECT role FROM users WHERE lower(email) = 't2@school.example'")" educator \
    "admin only at creation: an existing educator stays educator"

q "UPDATE users SET role = 'coach', role_locked = true WHERE id = '$t1'"
set_account t1 '{"email":"t1@school.example","email_verified":true,"name":"Tess","user_type":"district_admin","district":"d100","schools":["s9"]}'
sso_login clever t1
signed_in "a coach (set by an admin) now a Clever district admin" /
is "$(q "SELECT u.role, o.external_id FROM users u JOIN organizations o ON o.id = u.organization_id WHERE u.id = '$t1'")" \
    "coach|s1" "keeps the role and the organization"

set_account kid '{"email":"kid@school.example","email_verified":true,"name":"Kid","user_type":"student","district":"d100","schools":["s1"]}'
sso_login clever kid
refused "a Clever student" student_account student clever
is "$(q "SELECT count(*) FROM users WHERE lower(email) = 'kid@school.example'")" 0 "no user for the student"

# ---- audit and logs ---------------------------------------------------------------------------

is "$(q "SELECT count(*) FROM audit_log WHERE action = 'login.failure' AND ip IS NOT NULL")" \
    "$(q "SELECT count(*) FROM audit_log WHERE action = 'login.failure'")" \
    "every refusal is audited with the client address"
ok "no refusal is audited with an actor" test \
    "$(q "SELECT count(*) FROM audit_log WHERE action = 'login.failure' AND actor_id IS NOT NULL")" -eq 0
n=0
for secret in "$CLIENT_SECRET" "$old_code" "$verifier" "$state"; do
    grep -qF -- "$secret" "$STACK_POOL_LOG" && n=$((n + 1))
done
is "$n" 0 "the server log holds no client secret, code, PKCE verifier or state"
is "$(grep -c 'callback?code=\|callback?state=\|[?&]code=' "$STACK_DIR/log/nginx-access.log" || true)" 0 \
    "nginx's access log holds no authorization code or state (the callback's query is redacted)"
like "$(grep -c '/callback?\[redacted\]' "$STACK_DIR/log/nginx-access.log" || true)" '^[1-9]' \
    "it logs the callback with its query redacted"

done_testing
