#!/bin/bash
# The held-out gate (issue 12; the discipline is in eval/holdout/README.md
# and eval/README.md): the evaluation library's PDFs are rendered, the
# starter and evaluation libraries ingested, and `plccoach eval` runs the
# held-out split (eval/holdout/heldout.jsonl) with the retrieval defaults.
# Only aggregate figures are printed, never a question.
#
# The gates were declared before any held-out run: issue 12's targets
# (recall@1 >= 0.80, recall@5 >= 0.95) and, because those were not going
# to be met, recall@1 and recall@5 at least the same run's page BM25
# baseline.  The first run (docs/performance.md) met recall@1 >= the
# baseline and missed the three others; the misses are TAP TODO tests,
# reported on every run and not failing `make check` (an unexpected pass,
# XPASS, says one can become a gate again).  No number here was chosen
# after a run; what is a failing test is a declared gate that holds:
# recall@1 at least the baseline's, and since k1 4.0 / b 0.3 (chosen on
# tune; docs/performance.md) recall@5 at least the baseline's too (it
# was reported XPASS, and so became a gate).
. "$(dirname "$0")/../lib/integration.sh"
# shellcheck source=t/lib/holdout.sh
. "$PLC_SRCDIR/t/lib/holdout.sh"
holdout_stack

out="$STACK_DIR/heldout.json"
stack_cli eval "$PLC_SRCDIR/eval/holdout/heldout.jsonl" --json >"$out" 2>"$STACK_DIR/log/eval.err" ||
    bail "plccoach eval failed: $(cat "$STACK_DIR/log/eval.err")"
# Aggregates only.
get() { python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(eval(sys.argv[2], {"d": d, "i": d["intervals"], "b": d["baseline"]}))' "$out" "$1"; }
diag "$(get '"held-out, %d questions: recall@1 %.3f [%.3f, %.3f], recall@5 %.3f [%.3f, %.3f], MRR %.3f" % (i["recall_at_1"]["n"], i["recall_at_1"]["value"], i["recall_at_1"]["lo"], i["recall_at_1"]["hi"], i["recall_at_5"]["value"], i["recall_at_5"]["lo"], i["recall_at_5"]["hi"], i["mrr"]["value"])')"
diag "$(get '"page BM25 baseline (%d pages of %d books): recall@1 %.3f [%.3f, %.3f], recall@5 %.3f [%.3f, %.3f]" % (b["pages"], b["books"], b["recall_at_1"]["value"], b["recall_at_1"]["lo"], b["recall_at_1"]["hi"], b["recall_at_5"]["value"], b["recall_at_5"]["lo"], b["recall_at_5"]["hi"])')"
r1=$(get 'i["recall_at_1"]["value"]')
r5=$(get 'i["recall_at_5"]["value"]')
b1=$(get 'b["recall_at_1"]["value"]')
b5=$(get 'b["recall_at_5"]["value"]')
ok "held-out recall@1 ($r1) at least the same run's page BM25 baseline ($b1)" \
    python3 -c "import sys; sys.exit($r1 < $b1)"
ok "held-out recall@5 ($r5) at least the same run's page BM25 baseline ($b5)" \
    python3 -c "import sys; sys.exit($r5 < $b5)"
todo "held-out recall@1 >= 0.80 (issue 12 target; now $r1)" python3 -c "import sys; sys.exit($r1 < 0.80)"
todo "held-out recall@5 >= 0.95 (issue 12 target; now $r5)" python3 -c "import sys; sys.exit($r5 < 0.95)"

done_testing
