# shellcheck shell=bash
# The variables set here (csrf_WHO, id_WHO) are for the tests that source
# this file:
# shellcheck disable=SC2034
#
# t/lib/users.sh - accounts for integration tests, after t/lib/stack.sh:
# create a local user with `plccoach user add`, sign in through nginx, and
# make requests with that session and its CSRF token.
#
#     user_add WHO [ROLE] [EMAIL] [NAME]  the account (password
#                                         "password-of-WHO"); its id in id_WHO
#     user_signin WHO                     the cookie jar $STACK_DIR/WHO.jar,
#                                         the CSRF token in csrf_WHO
#     user_new WHO [ROLE] [EMAIL] [NAME]  both
#     as WHO METHOD PATH [CURL-ARGS...]   a request with WHO's session and
#                                         token (a JSON Content-Type when
#                                         --data is given)
#     users_clients_file N FILE           users c1..cN signed in, one
#                                         "COOKIE CSRF" line each in FILE
#                                         (bench/ask-load.py's clients)
#
# EMAIL defaults to WHO@example.org and NAME to WHO.

declare -A _users_email=()

user_add() {
    local who=$1 role=${2:-educator} email=${3:-$1@example.org} name=${4:-$1} id
    _users_email[$who]=$email
    id=$(printf 'password-of-%s\n' "$who" | stack_cli user add --email "$email" --name "$name" \
        --role "$role" --password-stdin) || bail "user add $email failed"
    printf -v "id_$who" '%s' "$id"
}

user_signin() {
    local who=$1
    http POST /api/auth/login -c "$STACK_DIR/$who.jar" -H 'Content-Type: application/json' \
        --data "{\"email\":\"${_users_email[$who]:-$who@example.org}\",\"password\":\"password-of-$who\"}"
    [ "$HTTP_STATUS" = 200 ] || bail "sign-in failed for $who: $HTTP_BODY"
    printf -v "csrf_$who" '%s' "$(json_get csrf_token)"
}

user_new() {
    user_add "$@"
    user_signin "$1"
}

as() {
    local who=$1 var=csrf_$1 method=$2 path=$3 a
    shift 3
    local extra=()
    for a in "$@"; do
        [ "$a" = --data ] && extra=(-H 'Content-Type: application/json')
    done
    http "$method" "$path" -b "$STACK_DIR/$who.jar" -H "X-CSRF-Token: ${!var}" "${extra[@]}" "$@"
}

users_clients_file() {
    local k var
    : >"$2"
    for k in $(seq 1 "$1"); do
        user_new "c$k"
        var=csrf_c$k
        printf 'plc_session=%s %s\n' "$(awk '$6 == "plc_session" { print $7 }' "$STACK_DIR/c$k.jar")" \
            "${!var}" >>"$2"
    done
}
