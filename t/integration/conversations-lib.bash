# shellcheck shell=bash
#
# t/integration/conversations-lib.bash - helpers shared by
# conversations.sh, feedback.sh and shares.sh (sourced after t/lib/tap.sh
# and t/lib/stack.sh, once the stack is up):
#
#     add_user ed ed@example.org "Ed Educator" educator   # sets id_ed
#     signin ed                                          # cookie jar + CSRF token
#     as ed POST /api/conversations --data '{"title":"x"}'
#     jp '$d->{messages}[0]{role}'                       # Perl over the last body
#     conv_id=$(new_conversation ed "Title")
#     msg_id=$(add_message "$conv_id" user "How do we ...?")

# add_user WHO EMAIL NAME ROLE: a local account; its id in id_WHO.
# signin WHO: signs WHO in (cookie jar $STACK_DIR/WHO.jar, csrf_WHO).
# as WHO METHOD PATH [CURL-ARGS...]: t/lib/users.sh.
add_user() {
    user_add "$1" "$4" "$2" "$3"
}
signin() {
    user_signin "$1"
}

# as_nocsrf WHO METHOD PATH [CURL-ARGS...]: the same without the token.
as_nocsrf() {
    local who=$1 method=$2 path=$3
    shift 3
    http "$method" "$path" -b "$STACK_DIR/$who.jar" -H 'Content-Type: application/json' "$@"
}

# jp PERL-EXPR [FILE]: evaluates PERL-EXPR with $d the decoded JSON of the
# last body (or FILE) and prints the result (refs as canonical JSON,
# booleans as true/false, undef as null).
jp() {
    perl -MJSON::PP -e '
        local $/; my $d = JSON::PP->new->decode(<STDIN>);
        my $r = eval $ARGV[0]; die $@ if $@;
        if (ref $r && !JSON::PP::is_bool($r)) { print JSON::PP->new->canonical->encode($r) }
        elsif (JSON::PP::is_bool($r)) { print $r ? "true" : "false" }
        elsif (defined $r) { print $r }
        else { print "null" }' "$1" <"${2:-$HTTP_BODY_FILE}"
}

# walk_pages WHO PATH LIMIT LIST ID MAX: follows a keyset list from
# PATH?limit=LIMIT as WHO, page by page, until next_cursor is null; sets
# pages (how many were read) and seen (the ID member of each item of the
# LIST array, comma-separated, in the order served).  A status other than
# 200, or more than MAX pages, fails the test and stops the walk.  The last
# page stays the last body (jp).
walk_pages() {
    local who=$1 path=$2 limit=$3 list=$4 id=$5 max=$6 cursor="" ids
    seen="" pages=0
    while :; do
        as "$who" GET "$path?limit=$limit${cursor:+&cursor=$cursor}"
        [ "$HTTP_STATUS" = 200 ] || { fail "page $pages: $HTTP_STATUS $HTTP_BODY"; break; }
        pages=$((pages + 1))
        ids=$(jp "join ',', map { \$_->{$id} } @{\$d->{$list}}")
        [ -n "$ids" ] && seen=${seen:+$seen,}$ids
        cursor=$(json_get next_cursor)
        [ "$cursor" = null ] && break
        [ "$pages" -lt "$max" ] || { fail "pagination does not end"; break; }
    done
}

# new_conversation WHO [TITLE]: creates one through the API; prints its id.
# (Both this and add_message run in $(...): they fail rather than bail, and
# set -e ends the script.)
new_conversation() {
    as "$1" POST /api/conversations --data "{\"title\":\"${2:-}\"}"
    if [ "$HTTP_STATUS" != 201 ]; then
        diag "could not create a conversation: $HTTP_STATUS $HTTP_BODY"
        return 1
    fi
    json_get id
}

# add_message CONV ROLE CONTENT [COLUMN=SQL-VALUE...]: inserts a message
# directly (the coach's ask route writes them in production); prints its
# id.  CONTENT must not contain $$.
add_message() {
    local conv=$1 role=$2 content=$3 cols="" vals="" kv
    shift 3
    for kv in "$@"; do
        cols+=", ${kv%%=*}"
        vals+=", ${kv#*=}"
    done
    stack_psql -- -c "INSERT INTO messages (conversation_id, role, content$cols)
        VALUES ('$conv', '$role', \$\$$content\$\$$vals) RETURNING id"
}
