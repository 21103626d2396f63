# shellcheck shell=bash
# t/lib/holdout.sh - the set-up of the tests on the evaluation library
# (eval/holdout/README.md), sourced after t/lib/integration.sh:
#
#     holdout_pg          # mkbooks built (else the test is skipped),
#                         # PostgreSQL started and migrated
#     holdout_render DIR  # the evaluation library's PDFs rendered into DIR
#     holdout_stack       # both of them, and both libraries ingested
#                         # as one TAP test
holdout_pg() {
    [ -x "$PLC_BUILDDIR/eval/holdout/mkbooks" ] ||
        skip_all "eval/holdout/mkbooks is not built (make check builds it)"
    command -v python3 >/dev/null 2>&1 || bail "python3 is not installed"
    stack_require_servers
    stack_init
    stack_pg_start
    stack_migrate
}

holdout_render() {
    mkdir -p "$1"
    "$PLC_BUILDDIR/eval/holdout/mkbooks" "$1" "$PLC_SRCDIR"/eval/holdout/books/*.book \
        2>"$STACK_DIR/log/mkbooks.err" || bail "mkbooks failed: $(cat "$STACK_DIR/log/mkbooks.err")"
}

holdout_stack() {
    holdout_pg
    holdout_render "$STACK_DIR/holdout-pdfs"
    ok "the starter and evaluation libraries ingest" stack_cli ingest "$PLC_SRCDIR/content/starter" \
        "$STACK_DIR/holdout-pdfs" "$PLC_SRCDIR"/eval/holdout/books/*.md
}
