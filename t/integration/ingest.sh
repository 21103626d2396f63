#!/bin/bash
# `plccoach ingest` and `plccoach books` against real PostgreSQL: PDF and
# Markdown books with chapters and printed page labels, domains on every
# chunk, the same file twice, --replace, refusals that write nothing, and
# books list/show/remove.
. "$(dirname "$0")/../lib/integration.sh"

mkpdf="$PLC_BUILDDIR/t/fixtures/mkpdf"
[ -x "$mkpdf" ] || skip_all "t/fixtures/mkpdf is not built (make check builds it)"
stack_require_servers
stack_init
stack_pg_start
stack_migrate

fx="$STACK_DIR/fixtures"
mkdir -p "$fx/dir/sub"
# (fontconfig keeps its caches until exit: not our leak)
ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" "$mkpdf" "$fx" || bail "mkpdf failed"
cp "$PLC_SRCDIR/t/fixtures/book.md" "$fx/dir/sub/book.md"
printf 'Caf\xe9 au lait\n' >"$fx/latin1.txt"
: >"$fx/empty.pdf"

# ingest ARGS...: runs plccoach ingest; output in $out, status in $rc.
ingest() {
    rc=0
    out=$(stack_cli ingest "$@" 2>"$STACK_DIR/log/ingest.err") || rc=$?
    cat "$STACK_DIR/log/ingest.err" >>"$STACK_DIR/log/cli.log"
}
sql() { stack_psql -- -c "$1"; }

# ---- A PDF with labels, an outline, headers --------------------------------
ingest "$fx/book.pdf" --isbn 978-1-00-000000-2 --product-url https://example.org/b
is "$rc" 0 "ingesting book.pdf exits 0"
like "$out" "^ingested +.*book.pdf +[0-9a-f-]{36} +\(12 pages, 3 chapters, [0-9]+ chunks\)" \
    "... and says ingested, with pages, chapters and chunks"
pdf_id=$(sql "SELECT id FROM books WHERE format = 'pdf'")
is "$(sql "SELECT title || '|' || array_to_string(authors, ';') || '|' || isbn || '|' || product_url FROM books WHERE id = '$pdf_id'")" \
    "Learning Together|Ada Sample;Ben Example|978-1-00-000000-2|https://example.org/b" \
    "metadata from the PDF and the command line"
is "$(sql "SELECT string_agg(coalesce(number, '-') || ':' || title || ':' || page_start || '-' || page_end, ' / ' ORDER BY ordinal) FROM chapters WHERE book_id = '$pdf_id'")" \
    "-:Preface:ii-iv / 1:Why Teams Matter:1-4 / 2:Common Formative Assessment:5-8" \
    "chapters from the outline with printed page ranges"
is "$(sql "SELECT count(*) FROM chunks WHERE book_id = '$pdf_id' AND (cardinality(domains) = 0 OR embedding IS NOT NULL AND false)")" 0 \
    "every chunk has at least one domain"
is "$(sql "SELECT count(*) FROM chunks WHERE book_id = '$pdf_id' AND text LIKE '%Learning Together%'")" 0 \
    "the running header is in no chunk"
is "$(sql "SELECT page_start || '-' || page_end FROM chunks WHERE book_id = '$pdf_id' AND text LIKE '%This is body page 1 of%' ORDER BY ordinal LIMIT 1")" \
    "1-1" "body page 1's chunk is labelled 1, not 5"
is "$(sql "SELECT count(*) FROM chunks c JOIN chapters ch ON ch.id = c.chapter_id WHERE c.book_id = '$pdf_id' AND (c.page_index_start < ch.page_index_start OR c.page_index_end > ch.page_index_end)")" 0 \
    "no chunk leaves its chapter's pages"
is "$(sql "SELECT count(*) FROM chunks WHERE book_id = '$pdf_id' AND text LIKE '%collaboration between%'")" 1 \
    "the hyphenated word is joined"

# ---- Same file twice; --replace ----------------------------------------------
before=$(sql "SELECT count(*) FROM chunks")
ingest "$fx/book.pdf"
is "$rc" 0 "the same file again exits 0"
like "$out" "^unchanged +.*$pdf_id" "... says unchanged, with the existing id"
is "$(sql "SELECT count(*) FROM books")" 1 "... and adds no book"
is "$(sql "SELECT count(*) FROM chunks")" "$before" "... and no chunks"
ingest "$fx/book.pdf" --replace
is "$rc" 0 "--replace exits 0"
like "$out" "^replaced " "... says replaced"
new_id=$(sql "SELECT id FROM books WHERE format = 'pdf'")
isnt "$new_id" "$pdf_id" "... the book has a new id"
is "$(sql "SELECT count(*) FROM chunks WHERE book_id = '$new_id'")" "$before" "... with the same number of chunks"
is "$(sql "SELECT count(*) FROM chunks WHERE book_id = '$pdf_id'")" 0 "... and the old rows are gone"

# ---- A Markdown book in a directory -----------------------------------------
ingest "$fx/dir"
is "$rc" 0 "ingesting a directory exits 0"
like "$out" "^ingested +.*sub/book.md" "... finds the Markdown book in a subdirectory"
md_id=$(sql "SELECT id FROM books WHERE format = 'markdown'")
is "$(sql "SELECT title || '|' || edition || '|' || sku || '|' || sample FROM books WHERE id = '$md_id'")" \
    "Teams at Work (test fixture)|1st|FIXTURE-1|true" "front matter metadata"
is "$(sql "SELECT string_agg(coalesce(number, '-') || ':' || page_start || '-' || page_end, ' ' ORDER BY ordinal) FROM chapters WHERE book_id = '$md_id'")" \
    "-:x-x 1:1-2 2:2-3" "Markdown chapters with printed pages"
is "$(sql "SELECT page_start FROM chunks WHERE book_id = '$md_id' AND chapter_id IS NULL")" "ix" \
    "text before the first marker is on first_page ix"
like "$(sql "SELECT array_to_string(domains, ',') FROM chunks c JOIN chapters ch ON ch.id = c.chapter_id WHERE c.book_id = '$md_id' AND ch.number = '2'")" \
    "assessment" "chapter 2's chunk is tagged assessment"

# ---- Refusals write nothing --------------------------------------------------
books=$(sql "SELECT count(*) FROM books")
for f in corrupt.pdf image.pdf empty.pdf latin1.txt; do
    ingest "$fx/$f"
    is "$rc" 1 "$f: exits 1"
    like "$out" "^refused +.*$f: " "... and says refused with a reason"
done
like "$(ingest "$fx/image.pdf"; echo "$out")" "no text layer" "the image-only reason says so"
like "$(ingest "$fx/latin1.txt"; echo "$out")" "UTF-8" "the Latin-1 reason says so"
# A password-protected PDF, made with qpdf (scripts/check installs it).
if command -v qpdf >/dev/null 2>&1; then
    qpdf --encrypt secret-user secret-owner 256 -- "$fx/headings.pdf" "$fx/encrypted.pdf"
    ingest "$fx/encrypted.pdf"
    is "$rc" 1 "an encrypted PDF: exits 1"
    like "$out" "encrypted" "... and says it is encrypted"
else
    skip "qpdf is not installed: no encrypted PDF to try" 2
fi
is "$(sql "SELECT count(*) FROM books")" "$books" "no refused file left a book"
ingest "$fx/headings.pdf" "$fx/corrupt.pdf"
is "$rc" 1 "a good and a bad file: exits 1"
is "$(grep -c '^ingested' <<<"$out")" 1 "... the good one is still ingested"

# ---- books list / show / remove ----------------------------------------------
rc=0
out=$(stack_cli books list 2>&1) || rc=$?
is "$rc" 0 "books list exits 0"
is "$(wc -l <<<"$out")" 3 "... one line per book"
like "$out" "$md_id +markdown" "... with id and format"
rc=0
out=$(stack_cli books show "$md_id" 2>&1) || rc=$?
is "$rc" 0 "books show exits 0"
like "$out" "chapters +3" "... lists the chapters"
like "$out" "1 +Norms and Agendas +\(pp\. 1-2, [0-9]+ chunks\)" "... with page ranges and chunk counts"
rc=0
out=$(stack_cli books remove "$md_id" 2>&1) || rc=$?
is "$rc" 0 "books remove exits 0"
is "$(sql "SELECT count(*) FROM chunks WHERE book_id = '$md_id'")" 0 "... its chunks are gone"
rc=0
out=$(stack_cli books remove "$md_id" 2>&1) || rc=$?
is "$rc" 1 "removing it again exits 1"
rc=0
out=$(stack_cli books show not-a-uuid 2>&1) || rc=$?
is "$rc" 2 "a malformed id is a usage error"

done_testing
