#!/bin/bash
# The database connection against a real PostgreSQL: t/db/conn-tool
# (replaced connections, statements sent again only when that cannot run
# them twice, broken transactions never continued, a ping that never
# waits) and t/db/prepare-tool (statements prepared once per connection,
# again after a reconnection or a migration, not at all when turned off)
# print the TAP.
. "$(dirname "$0")/../lib/integration.sh"

for tool in conn-tool prepare-tool; do
    [ -x "$PLC_BUILDDIR/t/db/$tool" ] || bail "$PLC_BUILDDIR/t/db/$tool is not built"
done
stack_require_servers
stack_pg_start
stack_createdb conntest >/dev/null || bail "createdb failed"
for tool in conn-tool prepare-tool; do
    out=$STACK_DIR/$tool.tap
    rc=0
    env -i PATH="$PATH" ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS" \
        PLCCOACH_DATABASE_URL="$(stack_conninfo conntest)" PLCCOACH_DB_CONNECT_TIMEOUT=2 \
        "$PLC_BUILDDIR/t/db/$tool" >"$out" 2>"$STACK_DIR/log/$tool.log" || rc=$?
    seen=0
    while IFS= read -r line; do
        case "$line" in
        'ok '*) seen=$((seen + 1)); pass "$tool: ${line#ok * - }" ;;
        'not ok '*) seen=$((seen + 1)); fail "$tool: ${line#not ok * - }" ;;
        '#'*) diag "${line#\# }" ;;
        'Bail out!'*) fail "$tool: $line" ;;
        esac
    done <"$out"
    [ "$seen" -gt 0 ] || fail "$tool reported results (exit $rc): $(tail -n 5 "$STACK_DIR/log/$tool.log")"
    is "$rc" 0 "$tool exited 0"
done
done_testing
