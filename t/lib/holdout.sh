# shellcheck shell=bash
# t/lib/holdout.sh - the set-up of the tests that run plccoach eval on the
# evaluation library (eval/holdout/README.md), sourced after
# t/lib/integration.sh:
#
#     holdout_stack   # PostgreSQL started and migrated, both libraries in
#
# Skips the whole test when eval/holdout/mkbooks is not built; renders the
# evaluation library's PDFs into $STACK_DIR/holdout-pdfs and ingests them
# with the starter library and the Markdown book, as one TAP test.
holdout_stack() {
    local mkbooks="$PLC_BUILDDIR/eval/holdout/mkbooks" pdfs="$STACK_DIR/holdout-pdfs"

    [ -x "$mkbooks" ] || skip_all "eval/holdout/mkbooks is not built (make check builds it)"
    command -v python3 >/dev/null 2>&1 || bail "python3 is not installed"
    stack_require_servers
    stack_init
    stack_pg_start
    stack_migrate
    mkdir -p "$pdfs"
    "$mkbooks" "$pdfs" "$PLC_SRCDIR"/eval/holdout/books/*.book 2>"$STACK_DIR/log/mkbooks.err" ||
        bail "mkbooks failed: $(cat "$STACK_DIR/log/mkbooks.err")"
    ok "the starter and evaluation libraries ingest" stack_cli ingest "$PLC_SRCDIR/content/starter" \
        "$pdfs" "$PLC_SRCDIR"/eval/holdout/books/*.md
}
