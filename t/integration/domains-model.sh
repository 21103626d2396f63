#!/bin/bash
# Domain tagging by the language model (PLCCOACH_DOMAIN_TAGGER=auto with a
# model service configured), against real PostgreSQL and the scripted
# stand-in t/model/stub.py: the model's tags are stored, a batch whose call
# or answer fails keeps the lexicon's tags, `lexicon` never calls the
# model, and a file already in the library is not sent again.
. "$(dirname "$0")/../lib/integration.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
stack_require_servers
stack_init
stack_pg_start
stack_migrate

stub_start
model=$STUB_URL
stub() { curl -sS --max-time 5 "$@"; }
requests() { stub "$model/__requests" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
sql() { stack_psql -- -c "$1"; }

book="$PLC_SRCDIR/content/starter/assessment-that-drives-learning.md"
export PLCCOACH_LLM_BASE_URL=$model PLCCOACH_LLM_RETRIES=0

# ---- lexicon: the model is never asked ----------------------------------------
out=$(PLCCOACH_DOMAIN_TAGGER=lexicon stack_cli ingest "$book" 2>>"$STACK_DIR/log/cli.log")
like "$out" "^ingested " "lexicon tagging ingests the book"
is "$(requests)" 0 "PLCCOACH_DOMAIN_TAGGER=lexicon sends nothing to the model"
id=$(sql "SELECT id FROM books")
nchunks=$(sql "SELECT count(*) FROM chunks WHERE book_id = '$id'")
ok "the book has more than two batches of chunks ($nchunks)" test "$nchunks" -gt 16
sql "CREATE TABLE lexicon_tags AS SELECT ordinal, domains FROM chunks WHERE book_id = '$id'" >/dev/null

# The stand-in tags passage n of each batch {leadership, school_culture} when
# n is odd and {curriculum} when even (t/model/README.md), which the lexicon
# does not do for this book.
expected="CASE WHEN ordinal % 8 % 2 = 0 THEN ARRAY['leadership','school_culture'] ELSE ARRAY['curriculum'] END"
ok "the lexicon's tags differ from the stand-in's" \
    test "$(sql "SELECT count(*) FROM lexicon_tags WHERE domains::text[] @> $expected AND domains::text[] <@ $expected")" -lt "$nchunks"

# ---- auto with a model: the model's tags ---------------------------------------
out=$(stack_cli ingest --replace "$book" 2>>"$STACK_DIR/log/cli.log")
like "$out" "^replaced .*, $(sql "SELECT count(*) FROM lexicon_tags") tagged by the model\)" \
    "re-ingesting with the model configured replaces the book, all chunks tagged by it"
id=$(sql "SELECT id FROM books")
batches=$(((nchunks + 7) / 8))
is "$(requests)" "$batches" "one request per batch of eight passages ($batches)"
is "$(stub "$model/__requests" | python3 -c '
import json, sys
reqs = json.load(sys.stdin)
ok = all("TASK: TAG DOMAINS" in r["body"]["messages"][0]["content"] for r in reqs)
print("yes" if ok else "no")')" yes "each request is a tagging request"
is "$(sql "SELECT count(*) FROM chunks WHERE book_id = '$id' AND NOT (domains @> $expected AND domains <@ $expected)")" 0 \
    "every chunk carries the model's tags"

# ---- the same file again: nothing is sent ----------------------------------------
stub -X POST "$model/__reset" >/dev/null
out=$(stack_cli ingest "$book" 2>>"$STACK_DIR/log/cli.log")
like "$out" "^unchanged " "the same file twice is unchanged"
is "$(requests)" 0 "... and the model is not asked again"

# ---- a failing batch and a malformed answer keep the lexicon's tags --------------
stub -X POST "$model/__reset" >/dev/null
stub -X POST -H 'Content-Type: application/json' "$model/__script" \
    -d '{"responses":[{"status":500},{"text":"Sorry, I cannot do JSON today."}]}' >/dev/null
out=$(stack_cli ingest --replace "$book" 2>>"$STACK_DIR/log/cli.log")
like "$out" "^replaced .*, $((nchunks - 16)) tagged by the model\)" \
    "a flaky model still lets the book in; it tagged all but the two failed batches"
id=$(sql "SELECT id FROM books")
is "$(sql "SELECT count(*) FROM chunks c JOIN lexicon_tags l USING (ordinal) WHERE c.book_id = '$id' AND c.ordinal < 16 AND c.domains <> l.domains")" 0 \
    "the two failed batches keep the lexicon's tags"
is "$(sql "SELECT count(*) FROM chunks WHERE book_id = '$id' AND ordinal >= 16 AND NOT (domains @> $expected AND domains <@ $expected)")" 0 \
    "the other batches carry the model's tags"
like "$(cat "$STACK_DIR/log/cli.log")" "domain tagging by the model failed" \
    "the failure is logged"
is "$(sql "SELECT count(*) FROM chunks WHERE book_id = '$id' AND cardinality(domains) = 0")" 0 \
    "no chunk is left without a domain"

done_testing
