#!/bin/bash
# Both rankings from one pass (src/library/README.md; perf29): on the
# starter library, t/library/pair-tool searches seeded questions with and
# without a search_pair and prints the TAP: the untranslated and the
# translated rankings given the pair are the two searches' own, and the
# translated one reads no postings again.
. "$(dirname "$0")/../lib/integration.sh"

tool=$PLC_BUILDDIR/t/library/pair-tool
[ -x "$tool" ] || bail "$tool is not built"
stack_require_servers
stack_init
stack_pg_start
stack_migrate
ok "the starter library ingests" stack_cli ingest "$PLC_SRCDIR/content/starter"
out=$STACK_DIR/pair-tool.tap
rc=0
env -i PATH="$PATH" ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
    PLCCOACH_DATABASE_URL="$(stack_conninfo)" "$tool" >"$out" 2>"$STACK_DIR/log/pair-tool.log" ||
    rc=$?
seen=0
while IFS= read -r line; do
    case "$line" in
    'ok '*) seen=$((seen + 1)); pass "pair-tool: ${line#ok * - }" ;;
    'not ok '*) seen=$((seen + 1)); fail "pair-tool: ${line#not ok * - }" ;;
    '#'*) diag "${line#\# }" ;;
    'Bail out!'*) fail "pair-tool: $line" ;;
    esac
done <"$out"
[ "$seen" -gt 0 ] || fail "pair-tool reported results (exit $rc): $(tail -n 5 "$STACK_DIR/log/pair-tool.log")"
is "$rc" 0 "pair-tool exited 0"
done_testing
