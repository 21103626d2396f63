#!/bin/bash
# The retrieval quality gate: the starter library is ingested (local
# embeddings), then `plccoach eval` runs the development set and must reach
# recall@5 >= PLC_EVAL_MIN_RECALL5 (default 0.75) and the same run's page
# BM25 baseline.  The metrics are printed as diagnostics.  Then the
# measuring tool itself: intervals reproducible by seed, the baseline
# gate failing when retrieval is worse, per-question lines, the new
# question fields and the coach's page, key-term and quote metrics.
. "$(dirname "$0")/../lib/integration.sh"

MIN=${PLC_EVAL_MIN_RECALL5:-0.75}
stack_start

ok "the starter library ingests" stack_cli ingest "$PLC_SRCDIR/content/starter"
is "$(stack_psql -- -c "SELECT count(*) FROM books WHERE sample")" 3 "three sample books"
is "$(stack_psql -- -c "SELECT count(*) FROM chunks WHERE embedding IS NULL")" 0 \
    "every chunk is embedded"

if stack_cli eval "$PLC_SRCDIR/eval/dev.jsonl" --min-recall5 "$MIN" --above-baseline \
    >"$STACK_DIR/eval.out" 2>&1; then
    pass "the development set reaches recall@5 >= $MIN and the page baseline"
else
    fail "the development set reaches recall@5 >= $MIN and the page baseline"
fi
while IFS= read -r line; do diag "$line"; done <"$STACK_DIR/eval.out"
if stack_cli eval "$PLC_SRCDIR/eval/dev.jsonl" --min-recall5 0.999 >/dev/null 2>&1; then
    fail "an unreachable threshold fails the gate"
else
    pass "an unreachable threshold fails the gate"
fi

out=$(cat "$STACK_DIR/eval.out")
like "$out" 'recall@1 +0\.[0-9]{3}  \[0\.[0-9]{3}, [01]\.[0-9]{3}\]  \(n 111\)' "recall@1 with its interval"
like "$out" 'over 47 whole printed pages of all 3 books loaded' "the baseline names its corpus"
like "$out" 'baseline recall@5 +0\.[0-9]{3}  \[' "the baseline's recall@5 with its interval"

# Reproducible: the same seed gives the same report; the interval is sane.
a=$(stack_cli eval "$PLC_SRCDIR/eval/dev.jsonl" --json --seed 7)
b=$(stack_cli eval "$PLC_SRCDIR/eval/dev.jsonl" --json --seed 7)
is "$a" "$b" "the same seed: the same report"
is "$(printf '%s' "$a" | python3 -c '
import json, sys
d = json.load(sys.stdin)
i, o, b = d["intervals"]["recall_at_1"], d["overall"], d["baseline"]
print(i["lo"] <= o["recall_at_1"] <= i["hi"], i["hi"] - i["lo"] < 0.3, i["n"],
      0 < b["recall_at_1"]["value"] < 1, b["pages"], d["resamples"], d["seed"])')" \
    "True True 111.0 True 47 1000 7" "eval --json: intervals around the value, the baseline, the seed"

# The baseline gate fails when retrieval is worse than the baseline: with
# the BM25 list at weight 0 only the vector side (local hashing) ranks.
if stack_cli eval "$PLC_SRCDIR/eval/dev.jsonl" --above-baseline --set w_lexical=0 \
    >"$STACK_DIR/worse.out" 2>&1; then
    fail "--above-baseline fails below the baseline"
else
    like "$(cat "$STACK_DIR/worse.out")" 'recall@1 against the baseline 0\.[0-9]+ is below' \
        "--above-baseline fails below the baseline"
fi
stack_cli eval "$PLC_SRCDIR/eval/dev.jsonl" --set nope=1 >/dev/null 2>&1 && rc=0 || rc=$?
is "$rc" 2 "an unknown --set name is a usage error"

# The question format's new fields, and the coach's metrics.  This checks
# the tool's arithmetic, not the coach's judgement (eval-coach.sh measures
# that on the held-out split): t2 is one the scope decision refuses.  (A
# near miss such as the weather for field day is still answered: one of the
# out-of-scope misses that docs/performance.md counts.)
cat >"$STACK_DIR/tmp/new.jsonl" <<'JSONL'
{"id":"t1","category":"in_scope","question":"how many learning targets should one CFA cover?","expected":[{"book":"Assessment That Drives Learning","pages":["3"]}],"key_terms":["learning targets","purple elephant"],"domains":["assessment"],"kind":"answerable","route":"answer","tags":["acronym"]}
{"id":"t2","category":"out_of_scope","question":"how do I refinance my mortgage at a lower interest rate?","tags":["finance"]}
{"id":"t3","category":"broad","question":"How do I do PLCs?"}
{"id":"t4","category":"follow_up","context":["how many learning targets should one CFA cover?"],"question":"and how often should we give them?","expected":[{"book":"Assessment That Drives Learning","pages":["2","3"]}],"key_terms":["every one to three weeks"]}
JSONL
out=$(stack_cli eval "$STACK_DIR/tmp/new.jsonl" --coach --per-question)
like "$out" 'q t1 +in_scope +rank +[0-9]+ +baseline +[0-9]+ +want answer +got answer' "--per-question lines"
like "$out" 'retrieval: 1 questions' "only in-scope lines with pages count for retrieval"
like "$out" 'refusal rate \(out of scope and near misses refused\) +1\.000' "refusal rate"
like "$out" 'false-refusal rate \(in scope and follow-ups refused\) +0\.000 .*\(n 2\)' "false refusals"
like "$out" 'key-term coverage +0\.[0-9]+ .*\(n 3\)' "key terms: 3 to find (one cannot be)"
like "$out" 'quotes found on their cited pages +1\.000' "every quote is on its cited page"
like "$out" 'acronym +1 ' "per-tag lines"
js=$(stack_cli eval "$STACK_DIR/tmp/new.jsonl" --coach --json)
is "$(printf '%s' "$js" | python3 -c '
import json, sys
d = json.load(sys.stdin)
c = d["coach_intervals"]
print(sorted(c)[:3], c["key_term_coverage"]["value"] < 1, c["followup_right_page"]["n"],
      [x["category"] for x in d["categories"]])')" \
    "['answer_right_page', 'citations_verified', 'clarify_precision'] True 1.0 ['in_scope', 'out_of_scope', 'broad', 'follow_up']" \
    "eval --coach --json: the coach's metrics with intervals, per category"
stack_cli eval "$STACK_DIR/tmp/new.jsonl" --coach --min-key-terms 0.99 >/dev/null 2>&1 && rc=0 || rc=$?
is "$rc" 1 "--min-key-terms fails when a key term is missing"
printf '{"id":"x","category":"sideways","question":"q"}\n' >"$STACK_DIR/tmp/bad.jsonl"
like "$(stack_cli eval "$STACK_DIR/tmp/bad.jsonl" 2>&1 || true)" 'bad.jsonl:1: category is not one of' \
    "an unknown category is refused with its line"

done_testing
