#!/bin/bash
# The coach's quality gate on the independent evaluation set (issue 12):
# the evaluation library (eval/holdout/books, rendered by mkbooks) is
# ingested with the starter library, and `plccoach eval --coach` runs the
# held-out split (eval/holdout/heldout.jsonl) once in extractive mode (no
# model service) and once with the model stand-in (t/model/stub.py).
# Only aggregate figures are read (eval/holdout/README.md, "The
# discipline").
#
# The gates were declared before any held-out run: the targets of issue 12
# (refused >= 0.98, wrongly refused <= 0.02, clarification precision >=
# 0.90 and recall >= 0.85, follow-ups on the right page >= 0.85, key terms
# >= 0.75).  A target the coach does not reach yet is gated at the floor
# the issue's table gives for the coach before issue 12 on held-out
# questions instead (refusal 0.47, clarification recall 0.47, follow-ups
# 0.60, key terms 0.35), never at a figure read off a run.  A target once
# met is gated at the target from then on: clarification recall since
# round 26 (0.857 with and without the model stand-in), so it holds.  The decisions
# (refusals, clarifications) and the verification fail the run below
# their gates; the answers' figures (follow-ups, key terms), which follow
# retrieval, are TODO lines naming the figure when below their floors, as
# is every missed target; the misses are in docs/performance.md.
. "$(dirname "$0")/../lib/integration.sh"
# shellcheck source=t/lib/holdout.sh
. "$PLC_SRCDIR/t/lib/holdout.sh"

# The gates, as declared above (targets met: the target; missed: the
# floor).  The stand-in writes fixed answers (t/model/README.md), so with
# it only the decisions and the verification are gated, not the answers'
# content (right pages, key terms).
REFUSAL=${PLC_EVAL_MIN_REFUSAL:-0.47}
FALSE_REFUSAL=${PLC_EVAL_MAX_FALSE_REFUSAL:-0.02}
CPREC=${PLC_EVAL_MIN_CLARIFY_PRECISION:-0.90}
CREC=${PLC_EVAL_MIN_CLARIFY_RECALL:-0.85}
FOLLOWUP=${PLC_EVAL_MIN_FOLLOWUP_PAGE:-0.60}
VERIFIED=${PLC_EVAL_MIN_VERIFIED:-0.95}
KEYTERMS_FLOOR=0.35
decisions=(--coach --min-refusal "$REFUSAL" --max-false-refusal "$FALSE_REFUSAL"
    --min-clarify-precision "$CPREC" --min-clarify-recall "$CREC" --min-verified "$VERIFIED")

# todo DESCRIPTION: a known miss, shown as "not ok ... # TODO" (the TAP
# driver counts it as an expected failure, not a pass).
todo() {
    _tap_n=$((_tap_n + 1))
    printf 'not ok %d - %s # TODO issue 12: target not reached yet\n' "$_tap_n" "${1//#/\\#}"
}

# metric FILE LABEL: the figure of one line of the report.
metric() { sed -n "s/^  $2 *\([0-9.]*\) .*/\1/p" "$1" | head -n 1; }

# target FILE LABEL OP VALUE DESCRIPTION: ok when the figure meets the
# issue's target, else a TODO line naming the figure.
target() {
    local v
    v=$(metric "$1" "$2")
    if [ -n "$v" ] && awk -v v="$v" -v t="$4" -v op="$3" 'BEGIN { exit !(op == ">=" ? v >= t : v <= t) }'; then
        pass "$5 ($v)"
    else
        todo "$5 (${v:-none})"
    fi
}

[ -x "$PLC_BUILDDIR/eval/holdout/mkbooks" ] ||
    skip_all "eval/holdout/mkbooks is not built (make check builds it)"
stack_require_servers
stub_start
stack_start
holdout_render "$STACK_DIR/pdfs"
stack_cli ingest "$PLC_SRCDIR/content/starter" "$STACK_DIR/pdfs" "$PLC_SRCDIR"/eval/holdout/books/*.md \
    >/dev/null || bail "the libraries did not ingest"

run_gate() { # NAME GATES... -- [ENV...]: the held-out gate; the output in $STACK_DIR/NAME.out
    local name=$1 out gates=()
    shift
    while [ "$1" != -- ]; do
        gates+=("$1")
        shift
    done
    shift
    out=$STACK_DIR/$name.out
    if env -u PGHOST -u PGPORT -u PGUSER -u PGDATABASE -u PGSERVICE "$@" \
        PLCCOACH_DATABASE_URL="$(stack_conninfo)" "$STACK_CLI" eval \
        "$PLC_SRCDIR/eval/holdout/heldout.jsonl" "${gates[@]}" >"$out" 2>&1; then
        pass "$name: the held-out split reaches the coach's gates"
    else
        fail "$name: the held-out split reaches the coach's gates"
    fi
    # The aggregate figures only.
    while IFS= read -r line; do diag "$line"; done < <(sed -n '/^coach (95/,/answers grounded/p' "$out")
}

model=(PLCCOACH_LLM_BASE_URL="http://127.0.0.1:$STUB_PORT" PLCCOACH_LLM_MODEL=stub-model)
run_gate extractive "${decisions[@]}" --
run_gate model "${decisions[@]}" -- "${model[@]}"
like "$(grep -E '^coach answers' "$STACK_DIR/model.out")" 'by the model [1-9][0-9]*, fallbacks 0' \
    "with the stand-in, the model wrote the answers, without fallbacks"
like "$(grep -E '^coach answers' "$STACK_DIR/extractive.out")" 'by the model 0,' \
    "without it, none"

# The answers' floors (they follow retrieval: below the floor, a TODO line
# with the figure, reported to the lead), then the issue's targets,
# extractive (the misses are TODO lines, with their figures; the gates
# above hold the decisions' floors).
x=$STACK_DIR/extractive.out
floor() { # LABEL FLOOR DESCRIPTION
    local v
    v=$(metric "$x" "$1")
    if [ -n "$v" ] && awk -v v="$v" -v t="$2" 'BEGIN { exit !(v >= t) }'; then
        pass "$3 at least the floor $2 ($v)"
    else
        todo "$3 at least the floor $2 (${v:-none})"
    fi
}
floor "right page in answers (follow-ups)" "$FOLLOWUP" "follow-ups on the right page"
floor "key-term coverage" "$KEYTERMS_FLOOR" "key-term coverage"
target "$x" "refusal rate (out of scope and near misses refused)" ">=" 0.98 "target: refused >= 0.98"
target "$x" "false-refusal rate (in scope and follow-ups refused)" "<=" 0.02 "target: wrongly refused <= 0.02"
target "$x" "clarification precision" ">=" 0.90 "target: clarification precision >= 0.90"
target "$x" "clarification recall" ">=" 0.85 "target: clarification recall >= 0.85"
target "$x" "right page in answers (follow-ups)" ">=" 0.85 "target: follow-ups on the right page >= 0.85"
target "$x" "key-term coverage" ">=" 0.75 "target: key-term coverage >= 0.75"

if stack_cli eval "$PLC_SRCDIR/eval/coach.jsonl" --coach --min-clarify-recall 1.01 >/dev/null 2>&1; then
    fail "a threshold out of range is a usage error"
else
    pass "a threshold out of range is a usage error"
fi
cat >"$STACK_DIR/tmp/wrong.jsonl" <<'JSONL'
{"id":"w1","question":"How do we write team norms?","route":"refuse"}
JSONL
if stack_cli eval "$STACK_DIR/tmp/wrong.jsonl" --coach --max-false-refusal 0.5 >/dev/null 2>&1; then
    fail "a false-refusal rate above the gate fails it"
else
    pass "a false-refusal rate above the gate fails it"
fi

done_testing
