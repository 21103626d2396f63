#!/bin/bash
# t/coach/route-refit.sh OUTDIR [FILE.jsonl...]: regenerates the scope
# decision's word model (src/coach/scope_model.c) and prints the
# combination's weights and the fit data's cut, from the committed FIT
# files below, by the rule written before the stress set existed (branch
# scope29; src/coach/README.md, "Scope", round 28).  Run from the source
# tree after building (make check builds t/coach/route-features and
# eval/holdout/mkbooks):
#
#     PLC_BUILDDIR=var/build t/coach/route-refit.sh var/refit
#
# It starts a throwaway stack, ingests the starter and evaluation
# libraries as t/integration/eval-check.sh does, writes each fit file's
# evidence (t/coach/route-features) to OUTDIR/fit.jsonl and each extra
# FILE's (scored, never fitted on; the first, the stress set's
# stress-pages.jsonl, sets rule (b)'s cut) to OUTDIR/NAME.jsonl, then fits
# (t/coach/route-fit.py: out-of-fold word scores, 5 folds, seed 1; the cut
# at <= 0.5 % of the fit files' in-scope and follow-up lines refused, out
# of fold; with FILEs, the higher of it and rule (b)'s) and writes
# src/coach/scope_model.c; the weights and the cut it prints go into
# src/coach/route.h by hand.  With OUTDIR/fit.jsonl already there
# (REFIT_REUSE=1) the fit files are not searched again.
# The decision it fits is not built on main (branch scope29 reverted it:
# src/coach/README.md, "Scope", round 28); the scope_model.c it writes is
# the one that commit built.  Never give it eval/holdout/heldout.jsonl or
# the check set's gate half.
. "$(dirname "$0")/../lib/integration.sh"
# shellcheck source=t/lib/holdout.sh
. "$PLC_SRCDIR/t/lib/holdout.sh"

[ $# -ge 1 ] || bail "usage: route-refit.sh OUTDIR [FILE.jsonl...]"
out=$(mkdir -p "$1" && cd "$1" && pwd)
shift

# The FIT files (/work/notes/prereg-28.md, rule 1).
FIT=(eval/holdout/train-pages.jsonl eval/holdout/train-scope.jsonl eval/holdout/tune.jsonl
    eval/dev.jsonl eval/coach.jsonl eval/followups.jsonl
    eval/holdout/valid-pages.jsonl eval/holdout/valid-scope.jsonl)

# The fit's options: the variant chosen by cross-validation on the fit
# data alone (src/coach/README.md, "Scope", round 28).
FIT_OPTS=(--words nb --also person --max-false 0.005 --oof-cut --newton)

features() {
    STACK_CLI=$PLC_BUILDDIR/t/coach/route-features stack_cli "$@"
}
reuse=0
[ "${REFIT_REUSE:-0}" = 1 ] && [ -s "$out/fit.jsonl" ] && reuse=1
if [ $reuse = 0 ] || [ $# -gt 0 ]; then
    holdout_stack
fi
if [ $reuse = 0 ]; then
    files=()
    for f in "${FIT[@]}"; do files+=("$PLC_SRCDIR/$f"); done
    features "${files[@]}" >"$out/fit.jsonl" 2>"$STACK_DIR/log/features.err" ||
        bail "route-features failed: $(tail -n 5 "$STACK_DIR/log/features.err")"
fi
stress=()
for f in "$@"; do # scored, never fitted on: the first is rule (b)'s
    features "$f" >"$out/$(basename "$f")" 2>>"$STACK_DIR/log/features.err" ||
        bail "route-features $f failed"
    stress+=(--stress "$out/$(basename "$f")")
done
ok "the fit files' evidence: $(wc -l <"$out/fit.jsonl") lines" test -s "$out/fit.jsonl"
ok "the fit" python3 "$PLC_SRCDIR/t/coach/route-fit.py" "${FIT_OPTS[@]}" "${stress[@]}" \
    --emit "$PLC_SRCDIR/src/coach/scope_model.c" --top 30 "$out/fit.jsonl"
done_testing
