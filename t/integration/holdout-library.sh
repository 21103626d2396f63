#!/bin/bash
# The evaluation library (eval/holdout/) ingests like a publisher's books:
# mkbooks renders the PDF sources, then the starter library, the PDFs and
# the Markdown book are ingested together, and each evaluation book must
# come out exactly as its source says: title and authors, page count,
# chapters from the outline with printed page ranges, chunks whose labels
# are the printed labels of their pages (roman front matter, arabic body)
# and whose text is the text of those pages with no running header and no
# page number in it, and no page left out.  The expectations are read from
# the sources by eval/holdout/holdout.py, not from the generator.
. "$(dirname "$0")/../lib/integration.sh"
# shellcheck source=t/lib/holdout.sh
. "$PLC_SRCDIR/t/lib/holdout.sh"

mkbooks="$PLC_BUILDDIR/eval/holdout/mkbooks"
holdout="$PLC_SRCDIR/eval/holdout/holdout.py"
holdout_pg

shopt -s nullglob
sources=("$PLC_SRCDIR"/eval/holdout/books/*.book)
markdown=("$PLC_SRCDIR"/eval/holdout/books/*.md)
pdfs="$STACK_DIR/holdout-pdfs"
mkdir -p "$pdfs"
if "$mkbooks" "$pdfs" "${sources[@]}" \
    2>"$STACK_DIR/log/mkbooks.err"; then
    pass "mkbooks renders ${#sources[@]} books, every page fitting"
else
    fail "mkbooks renders ${#sources[@]} books, every page fitting"
    diag "$(cat "$STACK_DIR/log/mkbooks.err")"
    bail "no PDFs to ingest"
fi
is "$(find "$pdfs" -name '*.pdf' | wc -l)" "${#sources[@]}" "one PDF per source"

rc=0
out=$(stack_cli ingest "$PLC_SRCDIR/content/starter" "$pdfs" "${markdown[@]}" 2>"$STACK_DIR/log/ingest.err") || rc=$?
is "$rc" 0 "the starter and evaluation libraries ingest together"
books=$((${#sources[@]} + ${#markdown[@]}))
is "$(grep -c '^ingested' <<<"$out")" $((books + 3)) "... every book says ingested"
[ "$rc" -eq 0 ] || diag "$out$(cat "$STACK_DIR/log/ingest.err")"

sql() { stack_psql -- -c "$1"; }
# q TEXT: the text as an SQL string literal.
q() { printf "'%s'" "${1//\'/\'\'}"; }

python3 "$holdout" expect "${sources[@]}" "${markdown[@]}" >"$STACK_DIR/expect.txt"
while IFS='|' read -r kind title rest; do
    case "$kind" in
    book)
        authors=${rest%|*}
        pages=${rest##*|}
        is "$(sql "SELECT format('%s|%s', array_to_string(authors, ';'), page_count) FROM books WHERE title = $(q "$title")")" \
            "$authors|$pages" "$title: authors and $pages pages"
        ;;
    front)
        first=${rest%|*}
        body=${rest##*|}
        is "$(sql "SELECT string_agg(DISTINCT c.page_start, ',') FROM chunks c JOIN books b ON b.id = c.book_id WHERE b.title = $(q "$title") AND c.page_index_start = 0")|$(sql "SELECT string_agg(DISTINCT c.page_index_start::text, ',') FROM chunks c JOIN books b ON b.id = c.book_id WHERE b.title = $(q "$title") AND c.page_start = '1'")" \
            "$first|$body" "$title: the first page is labelled $first, page 1 is the book's page $((body + 1))"
        ;;
    chapters)
        is "$(sql "SELECT string_agg(coalesce(c.number, '-') || ':' || c.title || ':' || c.page_start || '-' || c.page_end, ' / ' ORDER BY c.ordinal) FROM chapters c JOIN books b ON b.id = c.book_id WHERE b.title = $(q "$title")")" \
            "$rest" "$title: chapters and their printed pages"
        ;;
    esac
done <"$STACK_DIR/expect.txt"

titles=$(sed -n 's/^book|\([^|]*\)|.*/\1/p' "$STACK_DIR/expect.txt")
in_list=$(while IFS= read -r t; do q "$t"; printf ','; done <<<"$titles")
in_list=${in_list%,}
is "$(sql "SELECT count(*) FROM books WHERE title IN ($in_list)")" "$books" \
    "every evaluation book is in the library once"
stack_psql -- -c "COPY (SELECT b.title, c.page_index_start, c.page_index_end, c.page_start, c.page_end, c.text FROM chunks c JOIN books b ON b.id = c.book_id WHERE b.title IN ($in_list) ORDER BY b.title, c.ordinal) TO STDOUT WITH (FORMAT csv)" \
    >"$STACK_DIR/chunks.csv"
if python3 "$holdout" verify-chunks "$STACK_DIR/chunks.csv" "${sources[@]}" "${markdown[@]}" \
    >"$STACK_DIR/verify.out" 2>&1; then
    pass "every chunk carries its pages' printed labels and only their text; every page is in a chunk"
    # A chapter opener keeps its title although the running headers repeat
    # it (library/clean.c): no chapter title may be missing from its page.
    is "$(grep -c '^note: ' "$STACK_DIR/verify.out" || true)" 0 \
        "every chapter's title is in the text of its opening page"
    grep '^note: ' "$STACK_DIR/verify.out" | while IFS= read -r line; do diag "$line"; done || true
else
    fail "every chunk carries its pages' printed labels and only their text; every page is in a chunk"
    diag "$(head -n 40 "$STACK_DIR/verify.out")"
fi
is "$(sql "SELECT count(*) FROM chunks c JOIN books b ON b.id = c.book_id WHERE b.title IN ($in_list) AND (cardinality(c.domains) = 0 OR c.embedding IS NULL)")" 0 \
    "every chunk has a domain and an embedding"

# The check itself must catch a leak: a running header put back into one
# chunk's text is reported.
python3 -c '
import csv, sys
rows = list(csv.reader(sys.stdin))
for r in rows:
    if r[3].isdigit() and int(r[3]) > 2:
        r[5] = r[5][:40] + "\n" + r[0] + "\n" + r[5][40:]
        break
csv.writer(sys.stdout).writerows(rows)' <"$STACK_DIR/chunks.csv" >"$STACK_DIR/leak.csv"
if python3 "$holdout" verify-chunks "$STACK_DIR/leak.csv" "${sources[@]}" "${markdown[@]}" >/dev/null 2>&1; then
    fail "a running header inside a chunk is caught"
else
    pass "a running header inside a chunk is caught"
fi

done_testing
