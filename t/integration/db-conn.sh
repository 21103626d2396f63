#!/bin/bash
# The database connection against a real PostgreSQL: t/db/conn-tool
# (replaced connections, statements sent again only when that cannot run
# them twice, broken transactions never continued, a ping that never
# waits) prints the TAP.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
: "${PLC_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$PLC_SRCDIR/t/lib/tap.sh"
. "$PLC_SRCDIR/t/lib/stack.sh"

TOOL=$PLC_BUILDDIR/t/db/conn-tool
[ -x "$TOOL" ] || bail "$TOOL is not built"
stack_require_servers
stack_pg_start
stack_createdb conntest >/dev/null || bail "createdb failed"
out=$STACK_DIR/conn-tool.tap
rc=0
env -i PATH="$PATH" ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS" \
    PLCCOACH_DATABASE_URL="$(stack_conninfo conntest)" PLCCOACH_DB_CONNECT_TIMEOUT=2 \
    "$TOOL" >"$out" 2>"$STACK_DIR/log/conn-tool.log" || rc=$?
seen=0
while IFS= read -r line; do
    case "$line" in
    'ok '*) seen=$((seen + 1)); pass "${line#ok * - }" ;;
    'not ok '*) seen=$((seen + 1)); fail "${line#not ok * - }" ;;
    '#'*) diag "${line#\# }" ;;
    'Bail out!'*) fail "$line" ;;
    esac
done <"$out"
[ "$seen" -gt 0 ] || fail "conn-tool reported results (exit $rc): $(tail -n 5 "$STACK_DIR/log/conn-tool.log")"
is "$rc" 0 "conn-tool exited 0"
done_testing
