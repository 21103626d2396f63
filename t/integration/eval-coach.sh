#!/bin/bash
# The coach's quality gate on the development sets (eval/dev.jsonl and
# eval/coach.jsonl) and the starter library: `plccoach eval --coach` must
# reach the routing, refusal, clarification and citation thresholds, once
# in extractive mode (no model service) and once with the model stand-in
# (t/model/stub.py).  The metrics are printed as diagnostics; an
# unreachable threshold must fail the gate.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
: "${PLC_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$PLC_SRCDIR/t/lib/tap.sh"
. "$PLC_SRCDIR/t/lib/stack.sh"

# Thresholds (measured values are in docs/performance.md, "Coach").
ROUTING=${PLC_EVAL_MIN_ROUTING:-0.95}
REFUSAL=${PLC_EVAL_MIN_REFUSAL:-0.95}
CPREC=${PLC_EVAL_MIN_CLARIFY_PRECISION:-0.9}
CREC=${PLC_EVAL_MIN_CLARIFY_RECALL:-0.9}
VERIFIED=${PLC_EVAL_MIN_VERIFIED:-0.95}
# eval/dev.jsonl has answerable questions only for the coach (its "none"
# lines carry no route): routing (no false refusal or clarification) and
# citations.  eval/coach.jsonl has every route.
dev_gates=(--coach --min-routing "$ROUTING" --min-verified "$VERIFIED")
coach_gates=(--coach --min-routing "$ROUTING" --min-refusal "$REFUSAL"
    --min-clarify-precision "$CPREC" --min-clarify-recall "$CREC" --min-verified "$VERIFIED")

command -v python3 >/dev/null 2>&1 || bail "python3 is needed for the model stand-in"
stack_require_servers
stack_init
coproc STUB { exec python3 "$PLC_SRCDIR/t/model/stub.py" 2>>"$STACK_DIR/log/stub.log"; }
# shellcheck disable=SC2153  # STUB_PID is set by coproc
STACK_EXTRA_PIDS="${STACK_EXTRA_PIDS:-} $STUB_PID"
read -r -t 20 STUB_PORT <&"${STUB[0]}" || bail "the model stand-in did not start"
stack_start
stack_cli ingest "$PLC_SRCDIR/content/starter" >/dev/null || bail "the starter library did not ingest"

run_gate() { # NAME FILE [ENV...]: runs the gate; the output in $STACK_DIR/NAME-FILE.out
    local name=$1 file=$2 out gates
    shift 2
    if [ "$file" = dev.jsonl ]; then gates=("${dev_gates[@]}"); else gates=("${coach_gates[@]}"); fi
    out=$STACK_DIR/$name-$file.out
    if env -u PGHOST -u PGPORT -u PGUSER -u PGDATABASE -u PGSERVICE "$@" \
        PLCCOACH_DATABASE_URL="$(stack_conninfo)" "$STACK_CLI" eval "$PLC_SRCDIR/eval/$file" \
        "${gates[@]}" --verbose >"$out" 2>&1; then
        pass "$name: $file reaches the coach's thresholds"
    else
        fail "$name: $file reaches the coach's thresholds"
    fi
    while IFS= read -r line; do diag "$line"; done < <(grep -E '^(coach|eval: coach|plccoach)' "$out")
}

model=(PLCCOACH_LLM_BASE_URL="http://127.0.0.1:$STUB_PORT" PLCCOACH_LLM_MODEL=stub-model)
run_gate extractive dev.jsonl
run_gate extractive coach.jsonl
run_gate model dev.jsonl "${model[@]}"
run_gate model coach.jsonl "${model[@]}"
like "$(grep -E '^coach answers' "$STACK_DIR/model-dev.jsonl.out")" 'by the model [1-9][0-9]*, fallbacks 0' \
    "with the stand-in, the model wrote the answers, without fallbacks"
like "$(grep -E '^coach answers' "$STACK_DIR/extractive-dev.jsonl.out")" 'by the model 0,' \
    "without it, none"

if stack_cli eval "$PLC_SRCDIR/eval/coach.jsonl" --coach --min-clarify-recall 1.01 >/dev/null 2>&1; then
    fail "a threshold out of range is a usage error"
else
    pass "a threshold out of range is a usage error"
fi
out=$(stack_cli eval "$PLC_SRCDIR/eval/coach.jsonl" --coach --json)
is "$(printf '%s' "$out" | python3 -c '
import json, sys
c = json.load(sys.stdin)["coach"]
print(sorted(c) == sorted(["routed", "routing_accuracy", "refusals_expected", "refusal_rate",
    "clarify_precision", "clarify_recall", "answers", "grounded", "cited", "citations_verified",
    "by_model", "fallbacks"]), c["routed"] > 40)')" "True True" "eval --coach --json has the coach's metrics"
cat >"$STACK_DIR/tmp/wrong.jsonl" <<'JSONL'
{"id":"w1","question":"How do we write team norms?","route":"refuse"}
JSONL
if stack_cli eval "$STACK_DIR/tmp/wrong.jsonl" --coach --min-routing 0.5 >/dev/null 2>&1; then
    fail "a routing accuracy below the threshold fails the gate"
else
    pass "a routing accuracy below the threshold fails the gate"
fi

done_testing
