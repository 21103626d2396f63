#!/bin/bash
# shellcheck disable=SC2016,SC2154 # Perl in single quotes (jp); id_*/csrf_* set by printf -v
# The cited page through nginx (issue 14): a citation of a saved answer
# opened as its pages (JSON with each page's text) and as PNG images: a
# PDF book's page rendered by poppler with the quoted passage's boxes
# highlighted (pixels counted by t/fixtures/pngstat, against the same page
# cited with a quote that is not on it), a Markdown book's page drawn as
# text; the cache in the exports store; width and page bounds; only the
# owner or a share link's holder sees it; a book whose file is gone, or
# that was removed, shows the quoted passage instead, with a notice.  The
# images are kept in t/integration/pages-images/ under the build directory.
. "$(dirname "$0")/../lib/integration.sh"
. "$PLC_SRCDIR/t/integration/conversations-lib.bash"

mkpdf=$PLC_BUILDDIR/t/fixtures/mkpdf
pngstat=$PLC_BUILDDIR/t/fixtures/pngstat
[ -x "$mkpdf" ] && [ -x "$pngstat" ] || skip_all "t/fixtures/mkpdf and pngstat are not built (make check builds them)"

STACK_JOB_WORKERS=1
stack_pool_env PLCCOACH_PUBLIC_URL=http://localhost:8000
stack_start

fx=$STACK_DIR/fixtures
mkdir -p "$fx/gone"
ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" "$mkpdf" "$fx" >/dev/null || bail "mkpdf failed"
cp "$PLC_SRCDIR/t/fixtures/book.md" "$fx/book.md"
sed 's/^title: .*/title: A Book Whose File Goes/' "$PLC_SRCDIR/t/fixtures/book.md" >"$fx/gone/going.md"
chmod -R a+rX "$fx"
for f in "$fx/book.pdf" "$fx/book.md" "$fx/gone/going.md"; do
    stack_cli ingest "$f" >>"$STACK_DIR/log/ingest.log" 2>&1 || bail "ingest $f failed"
done
sql() { stack_psql -- -c "$1"; }
book_of() { sql "SELECT id FROM books WHERE source_uri LIKE '%/$1'"; }
# chunk BOOK-FILE TEXT: the first chunk of that book holding TEXT.
chunk() {
    sql "SELECT id FROM chunks WHERE book_id = '$(book_of "$1")' AND text LIKE '%$2%' ORDER BY ordinal LIMIT 1"
}
pdf_chunk=$(chunk book.pdf 'tells the team which students need more time')
md_chunk=$(chunk book.md 'written by the team before the unit starts')
gone_chunk=$(chunk gone/going.md 'written by the team before the unit starts')
[ -n "$pdf_chunk" ] && [ -n "$md_chunk" ] && [ -n "$gone_chunk" ] || bail "the cited chunks were not found"
pdf_quote="A common formative assessment tells the team which students need more time."
md_quote="A common formative assessment is written by the team before the unit starts."
context_of() { sql "SELECT text FROM chunks WHERE id = '$1'"; }
# cite N CHUNK QUOTE: a citation object as the coach saves it.
cite() {
    N=$1 C=$2 Q=$3 X=$(context_of "$2") perl -MJSON::PP -e 'print JSON::PP->new->canonical->encode({
        n => $ENV{N} + 0, chunk_id => $ENV{C}, quote => $ENV{Q}, context => $ENV{X},
        book => {title => "Cited", authors => ["A. Writer"]}, chapter => {number => "2", title => "CFA"},
        pages => {start => "5", end => "5"}})' | sed "s/'/''/g"
}

add_user ed ed@example.org "Ed Educator" educator
add_user ana ana@example.org "Ana Other" educator
for who in ed ana; do signin "$who"; done
conv=$(new_conversation ed "Cited pages")
add_message "$conv" user "How do teams use a common formative assessment?" >/dev/null
cites="[$(cite 1 "$pdf_chunk" "$pdf_quote"),$(cite 2 "$md_chunk" "$md_quote"),$(cite 3 "$pdf_chunk" "Nothing of this sentence appears in the book at all."),$(cite 4 "$gone_chunk" "$md_quote"),$(cite 5 "00000000-0000-4000-8000-000000000000" "$md_quote")]"
answer=$(add_message "$conv" assistant "They plan together [1] [2]." "citations='$cites'::jsonb" "kind='answer'")
stack_psql -- -c "UPDATE messages SET created_at = created_at - interval '1 minute' WHERE conversation_id = '$conv'" >/dev/null

# png_stats FILE: "WIDTH HEIGHT HIGHLIGHTED DARK" (pngstat).
png_stats() { "$pngstat" "$1"; }

# ---- A PDF book's page -------------------------------------------------------------------
base=/api/messages/$answer/citations
as ed GET "$base/1"
is "$HTTP_STATUS $(json_get source)" "200 pdf" "citation 1: the pages of a PDF book"
is "$(jp 'join ",", sort keys %$d')" "book,label,n,notice,pages,quote,source" "the fields"
is "$(json_get label)" "Cited by A. Writer, Chapter 2: CFA, p. 5" "the citation's label"
first=$(sql "SELECT page_index_start FROM chunks WHERE id = '$pdf_chunk'")
last=$(sql "SELECT page_index_end FROM chunks WHERE id = '$pdf_chunk'")
is "$(jp 'scalar @{$d->{pages}}')" "$((last - first + 1))" "one entry per page of the cited chunk"
like "$(jp '$d->{pages}[0]{label}')" '^[0-9]+$' "each with its printed label"
like "$(jp 'join " ", map { $_->{text} } @{$d->{pages}}' | tr -s '[:space:]' ' ')" 'tells the team which students need' \
    "and its text (the image's text alternative)"
is "$(jp '$d->{pages}[0]{image}')" "$base/1/page?page=0" "and the address of its image"
as ed GET "$base/1/page?width=800"
is "$HTTP_STATUS $(http_header Content-Type)" "200 image/png" "the page as a PNG"
cp "$HTTP_BODY_FILE" "$STACK_DIR/p1.png"
read -r w h yellow dark <<<"$(png_stats "$STACK_DIR/p1.png")"
is "$w" 800 "800 pixels wide"
is "$h" "$(((595 * 800 + 419) / 420))" "its height by the page's shape (420 x 595 points)"
ok "the page's text is drawn ($dark dark pixels)" [ "$dark" -gt 2000 ]
ok "the quoted passage is highlighted ($yellow highlighted pixels)" [ "$yellow" -gt 1500 ]
as ed GET "$base/3/page?width=800"
cp "$HTTP_BODY_FILE" "$STACK_DIR/p3.png"
read -r _ _ yellow3 dark3 <<<"$(png_stats "$STACK_DIR/p3.png")"
is "$yellow3" 0 "the same page cited with a quote that is not on it: nothing highlighted"
ok "though the page is drawn" [ "$dark3" -gt 2000 ]
sha=$(sql "SELECT sha256 FROM books WHERE id = '$(book_of book.pdf)'")
is "$(sql "SELECT count(*) FROM page_cache WHERE key LIKE 'pages/$sha/p$first-w800-%.png'")" 2 \
    "both images are cached (indexed in page_cache)"
ls "$STACK_DIR/content/exports/pages/$sha/"*-w800-*.png >/dev/null 2>&1 &&
    pass "in the exports store" || fail "in the exports store"
as ed GET "$base/1/page?width=800"
cmp -s "$HTTP_BODY_FILE" "$STACK_DIR/p1.png" && pass "asked again: the same image" || fail "asked again: the same image"
like "$(http_header Cache-Control)" '^private' "cacheable by the browser only"

# ---- A Markdown book's page ----------------------------------------------------------------
as ed GET "$base/2"
is "$HTTP_STATUS $(json_get source) $(json_get notice)" "200 text null" "citation 2: a Markdown book's page"
is "$(jp '$d->{pages}[0]{label}')" 2 "page 2 of the book"
like "$(jp '$d->{pages}[0]{text}' | tr -s '[:space:]' ' ')" 'Teams revisit their norms.*written by the team before the unit starts' \
    "the whole page's text, not only the passage"
as ed GET "$base/2/page?width=600"
is "$HTTP_STATUS $(http_header Content-Type)" "200 image/png" "drawn as a page"
cp "$HTTP_BODY_FILE" "$STACK_DIR/p2.png"
read -r w h yellow dark <<<"$(png_stats "$STACK_DIR/p2.png")"
is "$w" 600 "600 pixels wide"
ok "at least a letter page's height ($h)" [ "$h" -ge 776 ]
ok "the text drawn, the passage highlighted ($dark dark, $yellow highlighted)" \
    test "$yellow" -gt 1000 -a "$dark" -gt 1000

# ---- Bounds -------------------------------------------------------------------------------
for q in width=100 width=5000 width=abc page=10 page=-1 size=3; do
    as ed GET "$base/1/page?$q"
    is "$HTTP_STATUS $(json_get error.code)" "400 invalid_parameter" "refused: $q"
done
as ed GET "$base/2/page?page=3"
is "$HTTP_STATUS" 400 "a page outside the citation's range: 400"
for n in 6 0 99 100 x; do
    as ed GET "$base/$n"
    is "$HTTP_STATUS" 404 "citation $n does not exist: 404"
done
as ed GET "/api/messages/00000000-0000-4000-8000-000000000000/citations/1/page"
is "$HTTP_STATUS" 404 "an unknown message: 404"
question=$(sql "SELECT id FROM messages WHERE conversation_id = '$conv' AND role = 'user'")
as ed GET "/api/messages/$question/citations/1"
is "$HTTP_STATUS" 404 "a question has no citations: 404"

# ---- Who may see it ------------------------------------------------------------------------------
for p in "$base/1" "$base/1/page"; do
    as ana GET "$p"
    is "$HTTP_STATUS $(json_get error.code)" "404 not_found" "another user: $p is 404"
done
http GET "$base/1/page"
is "$HTTP_STATUS" 401 "signed out: 401"
as ed POST "/api/conversations/$conv/shares"
token=$(json_get token)
share=$(json_get id)
later=$(add_message "$conv" assistant "Added after the link [1]." "citations='[$(cite 1 "$pdf_chunk" "$pdf_quote")]'::jsonb")
sbase=/api/shared/$token/messages/$answer/citations
as ana GET "$sbase/1"
is "$HTTP_STATUS $(json_get source)" "200 pdf" "the holder of a share link opens the citation"
is "$(jp '$d->{pages}[0]{image}')" "$sbase/1/page?page=0" "with images under the link"
as ana GET "$sbase/1/page?width=800"
is "$HTTP_STATUS $(http_header Content-Type)" "200 image/png" "and the page image"
as ana GET "/api/shared/$token/messages/$later/citations/1"
is "$HTTP_STATUS" 404 "an answer added after the link was made is not shown through it"
as ed POST "/api/conversations/$conv/shares" --data '{"live":true}'
token_live=$(json_get token)
as ana GET "/api/shared/$token_live/messages/$later/citations/1"
is "$HTTP_STATUS $(json_get source)" "200 pdf" "through a live link it is (the link keeps up with the conversation)"
http GET "$sbase/1"
is "$HTTP_STATUS" 401 "signed out (PLCCOACH_SHARE_PUBLIC off): 401"
as ed DELETE "/api/conversations/$conv/shares/$share"
as ana GET "$sbase/1/page"
is "$HTTP_STATUS" 404 "a revoked link: 404"
is "$(grep -c "$token" "$STACK_POOL_LOG" || true)" 0 "the server log never holds the link's token"

# ---- The book's file is gone; the book was removed -------------------------------------------------
rm "$fx/gone/going.md"
as ed GET "$base/4"
is "$HTTP_STATUS $(json_get source)" "200 passage" "a book whose file is gone: the passage instead"
like "$(json_get notice)" "file is no longer available" "with a notice saying why"
is "$(jp '$d->{pages}[0]{label}')" 5 "labelled with the cited pages"
like "$(jp '$d->{pages}[0]{text}' | tr -s '[:space:]' ' ')" 'written by the team before the unit starts' \
    "its text is the passage the answer saved"
as ed GET "$base/4/page?width=500"
cp "$HTTP_BODY_FILE" "$STACK_DIR/p4.png"
read -r w _ yellow _ <<<"$(png_stats "$STACK_DIR/p4.png")"
is "$HTTP_STATUS $w" "200 500" "drawn as a page-like image"
ok "with the quote highlighted ($yellow)" [ "$yellow" -gt 500 ]
as ed GET "$base/5"
is "$HTTP_STATUS $(json_get source)" "200 passage" "a chunk that no longer exists: the passage"
like "$(json_get notice)" "no longer in the library" "saying the book was removed"
md_sha=$(sql "SELECT sha256 FROM books WHERE id = '$(book_of book.md)'")
stack_cli books remove "$(book_of book.md)" >/dev/null 2>&1 || bail "books remove failed"
as ed GET "$base/2"
is "$HTTP_STATUS $(json_get source)" "200 passage" "after the Markdown book is removed: the passage"
stack_psql -- -c "SELECT pg_notify('export_jobs', 'sweep')" >/dev/null
swept() { [ -z "$(ls "$STACK_DIR/content/exports/pages/$md_sha/" 2>/dev/null)" ]; }
if plc_poll 30 swept; then pass "the removed book's cached pages are deleted by the sweep"; else fail "the removed book's cached pages are deleted by the sweep"; fi
is "$(sql "SELECT count(*) FROM page_cache WHERE key LIKE 'pages/$md_sha/%'")" 0 "and forgotten"
ok "the PDF book's stay" test "$(sql "SELECT count(*) FROM page_cache WHERE key LIKE 'pages/$sha/%'")" -gt 0

# ---- Look-ups per address (PLCCOACH_SHARE_LINK_LIMIT) ---------------------------------------
# The cited page through a link counts against the same limit as the
# other /api/shared/{token} routes (src/http/viewer.c); a malformed token
# is a 404 that never counts.
stack_pool_stop
stack_pool_env PLCCOACH_SHARE_LINK_LIMIT=3
stack_pool_start
stack_wait_health 200 || bail "the pool did not come back"
sql "DELETE FROM rate_key_events WHERE key LIKE 'shared/%'" >/dev/null
lbase=/api/shared/$token_live/messages/$later/citations/1
bad=/api/shared/$(printf 'g%.0s' {1..64})/messages/$later/citations/1
statuses=
for p in "$bad" "$bad/page" "$bad" "$bad/page" "$lbase" "$lbase/page" "$lbase" "$lbase/page" "$bad"; do
    as ana GET "$p"
    statuses="$statuses$HTTP_STATUS "
done
is "$statuses" "404 404 404 404 200 200 200 429 404 " \
    "a link's cited page: three look-ups a minute from one address, then 429; malformed tokens 404 and never count"
as ana GET "$lbase"
is "$HTTP_STATUS $(json_get error.code)" "429 rate_limited" "the citation too, with the rate_limited envelope"
retry=$(http_header Retry-After)
ok "and Retry-After ($retry s) within the minute" test "$retry" -ge 1 -a "$retry" -le 60
as ana GET "/api/shared/$(printf '%064d' 13)"
is "$HTTP_STATUS" 429 "the shared view counts against the same limit"
as ed GET "$base/1"
is "$HTTP_STATUS" 200 "the owner's own route is not limited"
sql "DELETE FROM rate_key_events WHERE key LIKE 'shared/%'" >/dev/null
as ana GET "$lbase"
is "$HTTP_STATUS" 200 "once the window has passed, the link answers again"

# The images, to look at: under the build directory.
shots=$PLC_BUILDDIR/t/integration/pages-images
mkdir -p "$shots"
cp "$STACK_DIR"/p[1-4].png "$shots/"
diag "images: $shots"

done_testing
