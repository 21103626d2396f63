# shellcheck shell=bash
# shellcheck disable=SC2034  # TAP_LAST_OK is for the scripts that source this
#
# t/lib/tap.sh - a small TAP producer for the shell integration tests,
# the shell twin of t/tap/basic.h.  Source it first thing:
#
#     . "$PLC_SRCDIR/t/lib/tap.sh"
#
#     plan 3                       # or nothing, and done_testing at the end
#     ok "the socket exists" test -S "$sock"   # any command; its stdout goes to stderr
#     is "$status" 200 "GET /health answers 200"   # isnt: must differ
#     like "$body" '"status":"ok"' "the body says ok"   # unlike: must not match
#     pass "description" / fail "description"
#     diag "anything"              # to stderr, which tap-driver.sh logs
#     skip "no spawn-fcgi" 2       # records 2 skipped tests
#     skip_all "nginx is not installed"
#     bail "cannot start PostgreSQL"
#     done_testing                 # runs the clean-ups, prints the plan, exits
#
# `done` is a bash keyword, so the closing call is done_testing (as in
# Perl's Test::More).  Clean-up functions registered with tap_cleanup run,
# most recent first, from done_testing or from the EXIT trap when the
# script dies early (set -e, a signal, bail); a clean-up may itself record
# tests (t/lib/stack.sh reports sanitizer findings that way), which is why
# the plan is printed after the clean-ups when no plan was given up front
# (so do not `plan` in a test that uses t/lib/stack.sh).
# A script that exits without done_testing gets a failing test saying so.

_tap_n=0
_tap_failed=0
_tap_planned=
_tap_finished=0
_tap_cleanups=()
TAP_LAST_OK=1

# plan N: announces N tests up front.
plan() {
    _tap_planned=$1
    printf '1..%s\n' "$1"
}

# diag MESSAGE...: a diagnostic line on stderr (kept in the test's .log).
diag() {
    local line
    while IFS= read -r line; do
        printf '# %s\n' "$line" >&2
    done <<<"$*"
}

# _tap_result STATUS DESCRIPTION [DIRECTIVE]: prints one test line.
_tap_result() {
    local status=$1 desc=$2 directive=${3:-}
    _tap_n=$((_tap_n + 1))
    desc=${desc//#/\\#}
    desc=${desc//$'\n'/ }
    if [ "$status" -eq 0 ]; then
        TAP_LAST_OK=1
        printf 'ok %d - %s%s\n' "$_tap_n" "$desc" "${directive:+ # $directive}"
    else
        TAP_LAST_OK=0
        _tap_failed=$((_tap_failed + 1))
        printf 'not ok %d - %s%s\n' "$_tap_n" "$desc" "${directive:+ # $directive}"
    fi
}

# ok DESCRIPTION COMMAND [ARGS...]: passes when the command succeeds.
# Always returns 0 so that a failure does not stop a `set -e` script;
# TAP_LAST_OK says how it went.
ok() {
    local desc=$1
    shift
    if "$@" >&2; then
        _tap_result 0 "$desc"
    else
        _tap_result 1 "$desc"
        diag "  failed: $*"
    fi
    return 0
}

# is GOT EXPECTED DESCRIPTION: string equality.
is() {
    if [ "$1" = "$2" ]; then
        _tap_result 0 "$3"
    else
        _tap_result 1 "$3"
        diag "       got: '$1'"
        diag "  expected: '$2'"
    fi
    return 0
}

# isnt GOT UNEXPECTED DESCRIPTION: string inequality.
isnt() {
    if [ "$1" != "$2" ]; then
        _tap_result 0 "$3"
    else
        _tap_result 1 "$3"
        diag "       got: '$1'"
        diag "  expected: anything else"
    fi
    return 0
}

# like GOT REGEX DESCRIPTION: bash extended regular expression match.
like() {
    if [[ $1 =~ $2 ]]; then
        _tap_result 0 "$3"
    else
        _tap_result 1 "$3"
        diag "                  '${1:0:2000}'"
        diag "    doesn't match '$2'"
    fi
    return 0
}

# unlike GOT REGEX DESCRIPTION: the regex must not match.
unlike() {
    if [[ $1 =~ $2 ]]; then
        _tap_result 1 "$3"
        diag "                  '${1:0:2000}'"
        diag "          matches '$2'"
    else
        _tap_result 0 "$3"
    fi
    return 0
}

# pass DESCRIPTION / fail DESCRIPTION: record a result directly.
pass() { _tap_result 0 "$1"; }
# todo DESCRIPTION COMMAND [ARGS...]: a target not met yet (TAP TODO): a
# failure is reported but does not fail the test; a success shows up as
# an unexpected pass (XPASS), which says the TODO can become a real test.
todo() {
    local desc=$1
    shift
    _tap_n=$((_tap_n + 1))
    if "$@" >&2; then
        printf 'ok %d - %s # TODO\n' "$_tap_n" "${desc//#/\\#}"
    else
        printf 'not ok %d - %s # TODO\n' "$_tap_n" "${desc//#/\\#}"
    fi
}
fail() {
    _tap_result 1 "$1"
    return 0
}

# skip REASON [COUNT]: records COUNT (default 1) skipped tests.
skip() {
    local i
    for ((i = 0; i < ${2:-1}; i++)); do
        _tap_result 0 "skipped" "SKIP $1"
    done
}

# skip_all REASON: the whole script is skipped (only for a missing server
# binary: see t/lib/stack.sh).
skip_all() {
    printf '1..0 # SKIP %s\n' "$*"
    _tap_finished=1
    exit 0
}

# bail MESSAGE: abort the whole test script.
bail() {
    _tap_shield
    _tap_run_cleanups
    printf 'Bail out! %s\n' "$*"
    _tap_finished=1
    exit 255
}

# tap_cleanup FUNCTION: registers a function to run at the end.
tap_cleanup() {
    _tap_cleanups+=("$1")
}

# _tap_shield: from here on nothing may interrupt the clean-ups: not a
# closed stdout (a reader such as `| head` that went away: writes then just
# fail), not a second Ctrl-C.
_tap_shield() {
    trap '' PIPE INT TERM HUP
}

_tap_run_cleanups() {
    local i fn had_e=0
    _tap_shield
    case $- in *e*) had_e=1 ;; esac
    set +e
    # Most recent first; each runs once even if a later one fails.
    while [ ${#_tap_cleanups[@]} -gt 0 ]; do
        i=$((${#_tap_cleanups[@]} - 1))
        fn=${_tap_cleanups[$i]}
        unset "_tap_cleanups[$i]"
        "$fn" || diag "clean-up $fn failed"
    done
    [ "$had_e" -eq 1 ] && set -e
    return 0
}

_tap_summary() {
    if [ -z "$_tap_planned" ]; then
        printf '1..%d\n' "$_tap_n"
    elif [ "$_tap_planned" -ne "$_tap_n" ]; then
        diag "planned $_tap_planned tests but ran $_tap_n"
        _tap_failed=$((_tap_failed + 1))
    fi
}

# done_testing: runs the clean-ups, prints the plan, exits 0 when every
# test passed and 1 otherwise.
done_testing() {
    _tap_shield
    _tap_run_cleanups
    _tap_summary
    _tap_finished=1
    [ "$_tap_failed" -eq 0 ] && exit 0
    diag "$_tap_failed test(s) failed"
    exit 1
}

# The last command that failed (set -e stops the script there).
_tap_err_where=
_tap_on_err() {
    _tap_err_where="${BASH_SOURCE[1]##*/}:${BASH_LINENO[0]}: $BASH_COMMAND"
}

# tap_finish_quietly [STATUS]: for scripts that reuse these helpers
# without speaking TAP (bench/): runs the clean-ups and exits with STATUS
# (default 0), printing no plan.
tap_finish_quietly() {
    _tap_run_cleanups
    _tap_finished=1
    exit "${1:-0}"
}

_tap_on_exit() {
    local status=$?
    _tap_shield
    [ "$_tap_finished" -eq 1 ] && return
    _tap_finished=1
    set +e
    _tap_result 1 "test script ended early (exit status $status${_tap_err_where:+ after: $_tap_err_where})"
    _tap_run_cleanups
    _tap_summary
    exit $((status == 0 ? 1 : status))
}

set -o errtrace
trap _tap_on_err ERR
trap _tap_on_exit EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM
