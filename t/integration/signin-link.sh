#!/bin/bash
# One-time sign-in links (issue 11): `plccoach user sign-in-link` prints a
# link for a local account, the database keeps only its SHA-256, the link
# signs a browser in once through POST /api/auth/link and never again, not
# after it expired, not for a disabled account, not for an account that
# signs in only through single sign-on; an admin adds a person and gets a
# link to pass on; every step is audited.
. "$(dirname "$0")/../lib/integration.sh"

ORIGIN=http://localhost:18999
stack_pool_env PLCCOACH_PUBLIC_URL=$ORIGIN
stack_start
JAR=$STACK_DIR/cookies

stack_cli user add --email first@localhost --name "First Admin" --role admin >/dev/null ||
    bail "user add failed"
printf 'ed-password-1234\n' | stack_cli user add --email ed@example.org --name "Ed Educator" \
    --password-stdin >/dev/null || bail "user add failed"

# link_token URL: the token in the link's fragment.
link_token() { printf '%s' "${1#*#}"; }
use_link() { # TOKEN [ORIGIN [extra curl args]]
    local token=$1 origin=${2:-$ORIGIN}
    shift $(($# < 2 ? $# : 2))
    http POST /api/auth/link -c "$JAR" -H 'Content-Type: application/json' -H "Origin: $origin" \
        "$@" --data "{\"token\":\"$token\"}"
}

# ---- The command line ----------------------------------------------------------
rc=0
out=$(PLCCOACH_PUBLIC_URL=$ORIGIN stack_cli user sign-in-link --email FIRST@localhost 2>"$STACK_DIR/err") || rc=$?
is "$rc" 0 "plccoach user sign-in-link succeeds (email case ignored)"
like "$out" "^http://localhost:18999/sign-in/link#[0-9a-f]{64}\$" \
    "it prints PLCCOACH_PUBLIC_URL/sign-in/link#TOKEN, the token in the fragment"
like "$(cat "$STACK_DIR/err")" "works once, until [0-9-]+T" "and says on stderr it works once, and until when"
token=$(link_token "$out")
is "$(stack_psql -- -c "SELECT count(*) FROM signin_links WHERE token_hash = '$(printf '%s' "$token" | sha256sum | cut -d' ' -f1)'")" 1 \
    "the database keeps the token's SHA-256"
is "$(stack_psql -- -c "SELECT count(*) FROM signin_links WHERE token_hash = '$token'")" 0 "never the token"
is "$(stack_psql -- -c "SELECT round(extract(epoch FROM expires_at - created_at) / 3600) FROM signin_links")" 24 \
    "it expires after 24 hours"
is "$(stack_psql -- -c "SELECT detail->>'via' FROM audit_log WHERE action = 'signin_link.create'")" cli \
    "making it is audited (signin_link.create, via cli)"
rc=0
stack_cli user sign-in-link --email nobody@example.org >/dev/null 2>&1 || rc=$?
is "$rc" 1 "no such user: exit 1"
rc=0
stack_cli user sign-in-link >/dev/null 2>&1 || rc=$?
is "$rc" 2 "no --email: usage, exit 2"

# ---- Using it --------------------------------------------------------------------
use_link "$token" https://evil.example
error_envelope_ok 403 bad_origin "a link posted from another site"
use_link "$token"
is "$HTTP_STATUS" 200 "the link signs in"
is "$(json_get user.email)" first@localhost "as the account it was made for"
is "$(json_get user.role)" admin "with its role"
like "$(http_header Set-Cookie)" '^plc_session=[0-9a-f]{64}; ' "with a session cookie"
csrf=$(json_get csrf_token)
http GET /api/me -b "$JAR"
is "$HTTP_STATUS" 200 "the session works"
ok "last_login_at is set" test "$(json_get last_login_at)" != null
use_link "$token" "$ORIGIN" -c /dev/null
error_envelope_ok 401 link_invalid "the same link a second time"
like "$(json_get error.message)" "plccoach user sign-in-link" "the refusal says how to get a new one"
use_link "$(printf '%064d' 7)" "$ORIGIN" -c /dev/null
error_envelope_ok 401 link_invalid "an unknown token, alike"
use_link "not-a-token" "$ORIGIN" -c /dev/null
is "$HTTP_STATUS" 401 "a malformed token, alike"
is "$(stack_psql -- -c "SELECT count(*) FROM audit_log WHERE action = 'login.success' AND detail->>'method' = 'link' AND ip IS NOT NULL")" 1 \
    "the sign-in is audited (login.success, method link, with the address)"

out=$(PLCCOACH_PUBLIC_URL=$ORIGIN stack_cli user sign-in-link --email ed@example.org 2>/dev/null)
stack_psql -- -c "UPDATE signin_links SET created_at = created_at - interval '25 hours', expires_at = now() - interval '1 hour' WHERE used_at IS NULL"
use_link "$(link_token "$out")" "$ORIGIN" -c /dev/null
error_envelope_ok 401 link_invalid "an expired link"
out=$(PLCCOACH_PUBLIC_URL=$ORIGIN stack_cli user sign-in-link --email ed@example.org 2>/dev/null)
stack_psql -- -c "UPDATE users SET disabled_at = now() WHERE email = 'ed@example.org'"
use_link "$(link_token "$out")" "$ORIGIN" -c /dev/null
error_envelope_ok 401 link_invalid "a link of an account disabled since"
rc=0
stack_cli user sign-in-link --email ed@example.org >/dev/null 2>&1 || rc=$?
is "$rc" 1 "no new link for a disabled account"
stack_psql -- -c "UPDATE users SET disabled_at = NULL WHERE email = 'ed@example.org'"

# An account that signs in only through single sign-on gets no link.
stack_psql -- -c "INSERT INTO users (email, name) VALUES ('sso@example.org', 'Sso User');
    INSERT INTO identities (provider, subject, user_id, email)
    SELECT 'google', 'sub-1', id, email FROM users WHERE email = 'sso@example.org'"
rc=0
err=$(stack_cli user sign-in-link --email sso@example.org 2>&1 >/dev/null) || rc=$?
is "$rc" 1 "no link for a single sign-on account"
like "$err" "single sign-on" "saying why"

# ---- A password in the profile ------------------------------------------------------
put_password() { # JAR CSRF BODY
    http PUT /api/me/password -b "$1" -H 'Content-Type: application/json' -H "X-CSRF-Token: $2" \
        -H "Origin: $ORIGIN" --data "$3"
}
http GET /api/me -b "$JAR"
is "$(json_get has_password),$(json_get single_sign_on)" "false,false" \
    "the profile says the linked-in account has no password and no single sign-on"
# A second session of the same account, which a password change ends.
out=$(PLCCOACH_PUBLIC_URL=$ORIGIN stack_cli user sign-in-link --email first@localhost 2>/dev/null)
OTHER=$STACK_DIR/cookies-other
http POST /api/auth/link -c "$OTHER" -H 'Content-Type: application/json' \
    --data "{\"token\":\"$(link_token "$out")\"}"
is "$HTTP_STATUS" 200 "a second sign-in of the same account"
put_password "$JAR" "$csrf" '{"new_password":"short"}'
error_envelope_ok 400 invalid_field "a password the policy refuses"
put_password "$JAR" "$csrf" '{"new_password":"first-password-1"}'
is "$HTTP_STATUS" 204 "a first password needs no current one: 204"
is "$(stack_psql -- -c "SELECT count(*) FROM local_credentials c JOIN users u ON u.id = c.user_id WHERE u.email = 'first@localhost' AND c.password_hash LIKE '\$scrypt\$%'")" 1 \
    "it is stored as an scrypt hash"
http GET /api/me -b "$OTHER"
is "$HTTP_STATUS" 401 "the account's other session ended"
http GET /api/me -b "$JAR"
is "$HTTP_STATUS" 200 "this one goes on"
is "$(json_get has_password)" true "and the profile says there is a password now"
http POST /api/auth/login -c /dev/null -H 'Content-Type: application/json' \
    --data '{"email":"first@localhost","password":"first-password-1"}'
is "$HTTP_STATUS" 200 "the new password signs in"
put_password "$JAR" "$csrf" '{"new_password":"second-password-2"}'
error_envelope_ok 400 missing_field "changing it needs the current one"
put_password "$JAR" "$csrf" '{"current_password":"wrong-password-0","new_password":"second-password-2"}'
error_envelope_ok 403 bad_credentials "a wrong current password"
put_password "$JAR" "$csrf" '{"current_password":"first-password-1","new_password":"second-password-2"}'
is "$HTTP_STATUS" 204 "with the right one it changes: 204"
is "$(stack_psql -- -c "SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE action LIKE 'password.%'")" \
    "password.set,password.change" "both audited"
# A single sign-on account has its password at its provider.
sso_token=$(printf '%064d' 5)
stack_psql -- -c "INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at)
    SELECT '$(printf '%s' "$sso_token" | sha256sum | cut -d' ' -f1)', id, '$(printf '%064d' 6)', now() + interval '1 hour'
    FROM users WHERE email = 'sso@example.org'"
put_password "plc_session=$sso_token" "$(printf '%064d' 6)" '{"new_password":"sso-password-123"}'
error_envelope_ok 409 sso_account "no password for a single sign-on account"

# ---- An admin adds a person ---------------------------------------------------------
admin_post() { # PATH [BODY]
    http POST "$1" -b "$JAR" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
        -H "Origin: $ORIGIN" --data "${2:-{\}}"
}
admin_post /api/admin/users '{"email":"new@example.org","name":"New Teacher","role":"coach"}'
is "$HTTP_STATUS" 201 "POST /api/admin/users: 201"
is "$(json_get user.email)" new@example.org "the person's profile"
is "$(json_get user.role)" coach "with the role chosen"
new_link=$(json_get sign_in_link)
like "$new_link" "^http://localhost:18999/sign-in/link#[0-9a-f]{64}\$" "and a sign-in link to pass on"
like "$(json_get expires_at)" '^[0-9-]+T[0-9:]+Z$' "with its expiry"
new_id=$(json_get user.id)
is "$(stack_psql -- -c "SELECT role_locked FROM users WHERE id = '$new_id'")" t "the role is locked (an admin chose it)"
is "$(stack_psql -- -c "SELECT count(*) FROM local_credentials WHERE user_id = '$new_id'")" 0 "and there is no password yet"
is "$(stack_psql -- -c "SELECT string_agg(action || '/' || (detail->>'via'), ',' ORDER BY id) FROM audit_log WHERE target_id = '$new_id' AND actor_id IS NOT NULL")" \
    "user.create/admin,signin_link.create/admin" "both audited, with the admin as actor"
admin_post /api/admin/users '{"email":"NEW@example.org","name":"Again"}'
error_envelope_ok 409 email_in_use "the same email again"
admin_post /api/admin/users '{"email":"no-at-sign","name":"X"}'
error_envelope_ok 400 invalid_field "an email without @"
admin_post /api/admin/users '{"email":"a@b.c","name":"X","role":"root"}'
error_envelope_ok 400 invalid_field "an unknown role"
JAR2=$STACK_DIR/cookies2
http POST /api/auth/link -c "$JAR2" -H 'Content-Type: application/json' \
    --data "{\"token\":\"$(link_token "$new_link")\"}"
is "$HTTP_STATUS" 200 "the new person's link signs them in"
is "$(json_get user.email)" new@example.org "as themselves"
csrf2=$(json_get csrf_token)
http POST /api/admin/users -b "$JAR2" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf2" \
    --data '{"email":"x@example.org","name":"X"}'
error_envelope_ok 403 forbidden "a coach cannot add people"

ed_id=$(stack_psql -- -c "SELECT id FROM users WHERE email = 'ed@example.org'")
admin_post "/api/admin/users/$ed_id/sign-in-link"
is "$HTTP_STATUS" 201 "a new link for an existing local account: 201"
like "$(json_get sign_in_link)" "^http://localhost:18999/sign-in/link#[0-9a-f]{64}\$" "the link"
sso_id=$(stack_psql -- -c "SELECT id FROM users WHERE email = 'sso@example.org'")
admin_post "/api/admin/users/$sso_id/sign-in-link"
error_envelope_ok 409 sso_account "no link for a single sign-on account"
admin_post "/api/admin/users/$(printf '%08d-0000-4000-8000-%012d' 1 1)/sign-in-link"
error_envelope_ok 404 not_found "no link for a user that does not exist"
http GET /api/admin/users -b "$JAR"
is "$(json_get users | perl -MJSON::PP -e 'my $u = decode_json(<STDIN>); print join ",", map { $_->{email} . "=" . ($_->{sso_only} ? 1 : 0) } @$u')" \
    "ed@example.org=0,first@localhost=0,new@example.org=0,sso@example.org=1" \
    "the users list says who signs in through single sign-on only"

done_testing
