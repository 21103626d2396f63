#!/bin/bash
# The check set (eval/holdout/check.jsonl; eval/holdout/README.md, "The
# check set"): the starter and evaluation libraries are ingested as for
# the held-out run, and `plccoach eval --coach` runs the check set's gate
# half once in extractive mode (no model service), then tune.jsonl the same way for
# comparison.  The figures are PRINTED, never gated: the gates are
# held-out's (t/integration/eval-holdout.sh, eval-coach.sh), and a check
# set that gated would soon be tuned on.  Aggregates only: no question,
# no per-question line (never --per-question on this set).
#
# What is tested is that the run covers the whole set: every in-scope
# line is scored for retrieval and every line is routed by the coach.
. "$(dirname "$0")/../lib/integration.sh"
# shellcheck source=t/lib/holdout.sh
. "$PLC_SRCDIR/t/lib/holdout.sh"
holdout_stack

# report NAME JSON: the aggregate lines of one run, as diagnostics.
report() {
    python3 - "$1" "$2" <<'EOF'
import json, sys
name, d = sys.argv[1], json.load(open(sys.argv[2]))
i, b, c = d["intervals"], d["baseline"], d["coach_intervals"]
f = lambda m: "%.3f [%.3f, %.3f]" % (m["value"], m["lo"], m["hi"])
print("%s, %d in-scope questions: recall@1 %s, recall@5 %s, MRR %.3f"
      % (name, i["recall_at_1"]["n"], f(i["recall_at_1"]), f(i["recall_at_5"]), i["mrr"]["value"]))
print("%s, page BM25 baseline: recall@1 %s, recall@5 %s"
      % (name, f(b["recall_at_1"]), f(b["recall_at_5"])))
for key, label in (("routing_accuracy", "routing accuracy"),
                   ("refusal_rate", "out of scope and near misses refused"),
                   ("false_refusal_rate", "in scope and follow-ups wrongly refused"),
                   ("clarify_precision", "clarification precision"),
                   ("clarify_recall", "clarification recall"),
                   ("answer_right_page", "right page in answers (in scope)"),
                   ("followup_right_page", "right page in answers (follow-ups)"),
                   ("key_term_coverage", "key-term coverage"),
                   ("quotes_on_page", "quotes on their cited pages"),
                   ("citations_verified", "citations all verified")):
    if key in c:
        print("%s, coach: %s %s (n %d)" % (name, label, f(c[key]), c[key]["n"]))
EOF
}

# run NAME FILE: plccoach eval --coach --json on FILE, aggregates printed;
# the JSON report in $STACK_DIR/NAME.json.
run() {
    local out=$STACK_DIR/$1.json
    stack_cli eval "$2" --coach --json >"$out" 2>"$STACK_DIR/log/$1.err" ||
        bail "plccoach eval $1 failed: $(tail -n 5 "$STACK_DIR/log/$1.err")"
    while IFS= read -r line; do diag "$line"; done < <(report "$1" "$out")
}

# The gate half only: the other half is tuned on (eval/holdout/README.md,
# "The check set's halves").
check=$STACK_DIR/check-gate.jsonl
python3 "$PLC_SRCDIR/eval/holdout/holdout.py" check-half "$PLC_SRCDIR/eval/holdout/check.jsonl" \
    gate >"$check" || bail "holdout.py check-half failed"
run check "$check"
# count CATEGORY...: the check set's lines of those categories.
count() { python3 -c '
import json, sys
print(sum(1 for l in open(sys.argv[1]) if l.strip() and json.loads(l)["category"] in sys.argv[2:]))' "$check" "$@"; }
got() { python3 -c '
import json, sys
print(int(eval(sys.argv[2], {"d": json.load(open(sys.argv[1]))})))' "$STACK_DIR/check.json" "$1"; }
is "$(got 'd["intervals"]["recall_at_1"]["n"]')" "$(count in_scope)" \
    "every in-scope line of the check set is scored for retrieval"
is "$(got 'd["coach"]["routed"]')" "$(count in_scope follow_up broad out_of_scope near_miss)" \
    "every line of the check set is routed by the coach"
is "$(got 'd["coach_intervals"]["followup_right_page"]["n"]')" "$(count follow_up)" \
    "every follow-up of the check set is asked after its first turn"

# tune, for comparison in the same run (the set tuned on: its figures are
# the ones the check set's are read against).
run tune "$PLC_SRCDIR/eval/holdout/tune.jsonl"

done_testing
