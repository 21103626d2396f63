#!/bin/bash
# shellcheck disable=SC2016,SC2154 # Perl in single quotes (jp); id_*/csrf_* set by printf -v
# Conversation exports through nginx (issue 14): PDF, Markdown and text
# made in the request for a small conversation and through the job queue
# for a larger one; the files' content (pdftotext holds every question,
# answer and citation; pdffonts shows embedded subset fonts; the Markdown
# read back by a CommonMark parser, micromark, shows the same text and
# formatting); Content-Disposition; validation and CSRF; another user's
# export is 404; a share link's holder exports only what the link shows;
# an expired export is 410 and the job process deletes its file; the
# audit trail; `plccoach export`.
. "$(dirname "$0")/../lib/integration.sh"
. "$PLC_SRCDIR/t/integration/conversations-lib.bash"

command -v pdftotext >/dev/null 2>&1 || skip_all "pdftotext is not installed (Debian's poppler-utils)"
MICROMARK=$PLC_SRCDIR/frontend/node_modules/micromark/package.json

ORIGIN=http://localhost:8000
STACK_JOB_WORKERS=1
stack_pool_env PLCCOACH_PUBLIC_URL=$ORIGIN PLCCOACH_EXPORT_INLINE_MESSAGES=4
stack_start

add_user ed ed@example.org "Ed Educator" educator
add_user ana ana@example.org "Ana Other" educator
for who in ed ana; do signin "$who"; done

cite1='{"n":1,"chunk_id":null,"book":{"title":"Learning by Doing","authors":["Richard DuFour","Rebecca DuFour"]},"chapter":{"number":"4","title":"Common Formative Assessment"},"pages":{"start":"75","end":"77"},"quote":"Teams must agree on what proficiency looks like."}'
cite2='{"n":2,"chunk_id":null,"book":{"title":"Collaborative Common Assessments","authors":["Cassandra Erkens"]},"chapter":{"number":null,"title":"Introduction"},"pages":{"start":"12","end":"12"},"quote":"Score student work together to calibrate."}'
conv=$(new_conversation ed "Planning CFAs: grade 3")
add_message "$conv" user "How do we write a common formative assessment?" >/dev/null
add_message "$conv" assistant "Start with **essential standards** and agree on *proficiency* [1].

- Write four to six items
- Score them together [2]

Never <script>alert(1)</script> in a file." "citations='[$cite1,$cite2]'" "kind='answer'" >/dev/null
add_message "$conv" user "What about students who already know it — extensions?" >/dev/null
add_message "$conv" assistant "Offer extension tasks that go deeper [1]." "citations='[$cite1]'" \
    "kind='answer'" >/dev/null

# collapse FILE: its text with every run of white space as one space.
collapse() { tr -s '[:space:]' ' ' <"$1"; }

# has_all FILE WHAT STRING...: one test that FILE's collapsed text holds each string.
has_all() {
    local file=$1 what=$2 text missing=() s
    shift 2
    text=$(collapse "$file")
    for s in "$@"; do
        [[ "$text" == *"$s"* ]] || missing+=("$s")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        pass "$what"
    else
        fail "$what"
        diag "missing: ${missing[*]}"
    fi
}

content=("How do we write a common formative assessment?"
    "What about students who already know it — extensions?"
    "Start with essential standards and agree on proficiency [1]."
    "Write four to six items" "Score them together [2]"
    "Offer extension tasks that go deeper [1]."
    "Learning by Doing by Richard DuFour and Rebecca DuFour, Chapter 4: Common Formative Assessment, pp. 75-77"
    "Teams must agree on what proficiency looks like."
    "Collaborative Common Assessments by Cassandra Erkens, Introduction, p. 12"
    "Score student work together to calibrate.")

# ---- Asking: validation, CSRF ---------------------------------------------------------------
as_nocsrf ed POST "/api/conversations/$conv/exports" --data '{"format":"pdf"}'
error_envelope_ok 403 csrf "exporting without the CSRF token"
for bad in '{"format":"docx"}' '{"format":1}' '{}' '{"format":"pdf","x":1}'; do
    as ed POST "/api/conversations/$conv/exports" --data "$bad"
    is "$HTTP_STATUS" 400 "refused: $bad"
done
as ed POST "/api/conversations/not-a-uuid/exports" --data '{"format":"pdf"}'
is "$HTTP_STATUS" 404 "a malformed conversation id: 404"
is "$(stack_psql -- -c "SELECT count(*) FROM exports")" 0 "nothing was recorded for those"

# ---- PDF -----------------------------------------------------------------------------------
as ed POST "/api/conversations/$conv/exports" --data '{"format":"pdf"}'
is "$HTTP_STATUS" 201 "PDF export: 201"
pdf_id=$(json_get id)
is "$(jp 'join ",", sort keys %$d')" "bytes,created_at,error,expires_at,filename,format,id,status,url" \
    "the fields"
is "$(json_get status) $(json_get format)" "done pdf" "four messages: made in the request"
is "$(json_get url)" "$ORIGIN/api/exports/$pdf_id/file" "the download URL (local store)"
like "$(json_get filename)" '^planning-cfas-grade-3-[0-9]{4}-[0-9]{2}-[0-9]{2}\.pdf$' "a file name from the title"
is "$(stack_psql -- -c "SELECT (expires_at - created_at)::text FROM exports WHERE id = '$pdf_id'")" \
    "30 days" "expires after 30 days"
as ed GET "/api/exports/$pdf_id"
is "$HTTP_STATUS $(json_get status)" "200 done" "GET /api/exports/{id}"
as ed GET "/api/exports/$pdf_id/file"
is "$HTTP_STATUS" 200 "the file downloads"
is "$(http_header Content-Type)" "application/pdf" "as application/pdf"
like "$(http_header Content-Disposition)" '^attachment; filename="planning-cfas-grade-3-[0-9-]{10}\.pdf"$' \
    "with Content-Disposition: attachment and the file name"
cp "$HTTP_BODY_FILE" "$STACK_DIR/export.pdf"
is "$(head -c 5 "$STACK_DIR/export.pdf")" "%PDF-" "a PDF"
pdftotext "$STACK_DIR/export.pdf" "$STACK_DIR/export-pdf.txt"
has_all "$STACK_DIR/export-pdf.txt" "pdftotext: every question, answer (list items too) and citation with its quote" \
    "${content[@]}" "Planning CFAs: grade 3" "Ed Educator" "Page 1 of"
unlike "$(collapse "$STACK_DIR/export-pdf.txt")" '\*\*|- Write' "the Markdown is drawn, not printed"
fonts=$(pdffonts "$STACK_DIR/export.pdf" | tail -n +3)
like "$(printf '%s\n' "$fonts" | wc -l)" '^[3-9]$' "pdffonts lists the fonts"
is "$(printf '%s\n' "$fonts" | awk '$(NF-4) != "yes" || $(NF-3) != "yes"' | wc -l)" 0 \
    "pdffonts: every font embedded and subset"
like "$(pdfinfo "$STACK_DIR/export.pdf")" 'Title: +Planning CFAs: grade 3' "metadata: title"
like "$(pdfinfo "$STACK_DIR/export.pdf")" 'Author: +Ed Educator' "metadata: author"

# ---- Markdown and text -------------------------------------------------------------------
as ed POST "/api/conversations/$conv/exports" --data '{"format":"md"}'
md_id=$(json_get id)
is "$HTTP_STATUS $(json_get status)" "201 done" "Markdown export"
as ed GET "/api/exports/$md_id/file"
is "$(http_header Content-Type)" "text/markdown; charset=utf-8" "text/markdown"
like "$(http_header Content-Disposition)" 'filename="planning-cfas-grade-3-[0-9-]{10}\.md"' "a .md file"
cp "$HTTP_BODY_FILE" "$STACK_DIR/export.md"
if [ -f "$MICROMARK" ]; then
    # micromark: the CommonMark parser under react-markdown (frontend/node_modules)
    node --input-type=module -e '
        import { createRequire } from "node:module";
        import { readFileSync, writeFileSync } from "node:fs";
        const require = createRequire(process.argv[1] + "/package.json");
        const { micromark } = await import(require.resolve("micromark"));
        const html = micromark(readFileSync(process.argv[2], "utf8"));
        writeFileSync(process.argv[3], html);
        const text = html.replace(/<[^>]+>/g, " ").replace(/&lt;/g, "<").replace(/&gt;/g, ">")
            .replace(/&quot;/g, "\"").replace(/&amp;/g, "&");
        writeFileSync(process.argv[4], text);' \
        "$PLC_SRCDIR/frontend" "$STACK_DIR/export.md" "$STACK_DIR/export-md.html" "$STACK_DIR/export-md.txt" ||
        bail "micromark failed"
    has_all "$STACK_DIR/export-md.txt" "Markdown read back by a CommonMark parser: the same questions, answers and citations" \
        "${content[@]}" "Planning CFAs: grade 3"
    html=$(collapse "$STACK_DIR/export-md.html")
    like "$html" '<h1>Planning CFAs: grade 3</h1>' "the title is a heading"
    like "$html" '<h2>Question 1</h2>' "each question a heading"
    like "$html" 'Start with <strong>essential standards</strong> and agree on <em>proficiency</em> \[1\]' \
        "emphasis round-trips"
    like "$html" '<li>Write four to six items</li>' "list items round-trip"
    like "$html" '<blockquote> ?<p>Teams must agree' "quotes are block quotes"
    like "$html" 'Never &lt;script&gt;alert\(1\)&lt;/script&gt; in a file' "raw HTML in an answer stays text"
    unlike "$html" '<script' "and never becomes markup"
else
    skip "frontend/node_modules is not installed (npm ci in frontend/): no CommonMark parser" 8
fi
as ed POST "/api/conversations/$conv/exports" --data '{"format":"txt"}'
txt_id=$(json_get id)
as ed GET "/api/exports/$txt_id/file"
is "$HTTP_STATUS $(http_header Content-Type)" "200 text/plain; charset=utf-8" "text export: text/plain"
cp "$HTTP_BODY_FILE" "$STACK_DIR/export.txt"
has_all "$STACK_DIR/export.txt" "text: every question, answer and citation with its quote" "${content[@]}"
unlike "$(cat "$STACK_DIR/export.txt")" '\*\*' "text: no Markdown syntax"

# ---- A larger conversation goes through the job queue ------------------------------------------
big=$(new_conversation ed "A longer one")
for i in 1 2 3; do
    add_message "$big" user "Long question number $i?" >/dev/null
    add_message "$big" assistant "Long answer number $i [1]." "citations='[$cite1]'" >/dev/null
done
as ed POST "/api/conversations/$big/exports" --data '{"format":"pdf"}'
big_id=$(json_get id)
is "$HTTP_STATUS $(json_get url)" "201 null" "six messages (above PLCCOACH_EXPORT_INLINE_MESSAGES=4): no file yet"
like "$(json_get status)" '^(queued|running|done)$' "queued for the job process"
queued_done() {
    as ed GET "/api/exports/$big_id"
    [ "$(json_get status)" = "done" ]
}
if plc_poll 60 queued_done; then pass "the job process made it"; else fail "the job process made it: $HTTP_BODY"; fi
as ed GET "/api/exports/$big_id/file"
cp "$HTTP_BODY_FILE" "$STACK_DIR/big.pdf"
pdftotext "$STACK_DIR/big.pdf" "$STACK_DIR/big.txt"
has_all "$STACK_DIR/big.txt" "and it holds the whole conversation" "Long question number 1?" \
    "Long answer number 3 [1]."
grep -q '"export made"' "$STACK_POOL_LOG" && pass "the job process logged it" || fail "the job process logged it"

# ---- Privacy ---------------------------------------------------------------------------------
as ana POST "/api/conversations/$conv/exports" --data '{"format":"pdf"}'
error_envelope_ok 404 not_found "exporting another user's conversation"
for path in "/api/exports/$pdf_id" "/api/exports/$pdf_id/file"; do
    as ana GET "$path"
    is "$HTTP_STATUS" 404 "another user: GET $path is 404"
done
as ana GET "/api/exports/00000000-0000-4000-8000-000000000000"
is "$HTTP_STATUS" 404 "an unknown export: the same 404"
http GET "/api/exports/$pdf_id/file"
is "$HTTP_STATUS" 401 "signed out: 401"

# ---- Through a share link: only what the link shows ------------------------------------------------
as ed POST "/api/conversations/$conv/shares"
token=$(json_get token)
share=$(json_get id)
stack_psql -- -c "UPDATE messages SET created_at = created_at - interval '1 minute'
    WHERE conversation_id = '$conv'" >/dev/null
add_message "$conv" user "A private follow-up after sharing" >/dev/null
http POST "/api/shared/$token/exports" -H 'Content-Type: application/json' --data '{"format":"md"}'
is "$HTTP_STATUS" 401 "signed out (PLCCOACH_SHARE_PUBLIC off): 401"
as_nocsrf ana POST "/api/shared/$token/exports" --data '{"format":"md"}'
is "$HTTP_STATUS $(json_get error.code)" "403 csrf" "signed in without the CSRF token: 403"
as ana POST "/api/shared/$token/exports" --data '{"format":"md"}'
is "$HTTP_STATUS $(json_get status)" "201 done" "the link's holder exports it"
sh_id=$(json_get id)
like "$(json_get url)" "^$ORIGIN/api/shared/$token/exports/$sh_id/file\$" "downloaded through the link"
as ana GET "/api/shared/$token/exports/$sh_id/file"
is "$HTTP_STATUS" 200 "through the link: 200"
cp "$HTTP_BODY_FILE" "$STACK_DIR/shared.md"
has_all "$STACK_DIR/shared.md" "it holds what the link shows" "How do we write a common formative assessment?" \
    "Shared by Ed Educator"
unlike "$(cat "$STACK_DIR/shared.md")" "private follow-up" "but not the message added after the link was made"
as ed POST "/api/conversations/$conv/shares" --data '{"live":true}'
token_live=$(json_get token)
add_message "$conv" user "A second follow-up, after the live link" >/dev/null
as ana POST "/api/shared/$token_live/exports" --data '{"format":"md"}'
is "$HTTP_STATUS $(json_get status)" "201 queued" \
    "a live link's holder exports it: five messages, all shown, so queued (above 4)"
live_id=$(json_get id)
live_done() {
    as ana GET "/api/shared/$token_live/exports/$live_id"
    [ "$(json_get status)" = "done" ]
}
if plc_poll 60 live_done; then pass "the job process made it"; else fail "the job process made it: $HTTP_BODY"; fi
as ana GET "/api/shared/$token_live/exports/$live_id/file"
cp "$HTTP_BODY_FILE" "$STACK_DIR/shared-live.md"
has_all "$STACK_DIR/shared-live.md" "a live link's export holds the conversation as it is now" \
    "private follow-up after sharing" "A second follow-up, after the live link"
as ana GET "/api/exports/$sh_id"
is "$HTTP_STATUS" 200 "the holder also finds it under /api/exports"
as ed GET "/api/exports/$sh_id"
is "$HTTP_STATUS" 404 "the owner does not see another user's export"
as ana GET "/api/shared/$token/exports/$pdf_id"
is "$HTTP_STATUS" 404 "the link does not open the owner's own exports"
as ana POST "/api/shared/$(printf '%064d' 7)/exports" --data '{"format":"md"}'
is "$HTTP_STATUS" 404 "an unknown link: 404"
as ed DELETE "/api/conversations/$conv/shares/$share"
as ana GET "/api/shared/$token/exports/$sh_id/file"
is "$HTTP_STATUS" 404 "after the link is revoked, its exports are 404"
as ana GET "/api/exports/$sh_id"
is "$HTTP_STATUS" 404 "everywhere"

# ---- Audit ------------------------------------------------------------------------------------
is "$(stack_psql -- -c "SELECT count(*) FROM audit_log WHERE action = 'export.create' AND actor_id = '$id_ed'")" 4 \
    "each export the owner asked for is audited"
is "$(stack_psql -- -c "SELECT actor_id || ' ' || (detail->>'conversation_id') || ' ' || (detail->>'format') || ' ' || (detail->>'via_share')
    FROM audit_log WHERE action = 'export.create' AND target_id = '$sh_id'")" "$id_ana $conv md true" \
    "so is the link holder's, as through the link"

# ---- Expiry: 410, and the job process deletes the file ----------------------------------------------
file=$STACK_DIR/content/exports/exports/$pdf_id.pdf
[ -f "$file" ] && pass "the file is in the local exports store" || fail "the file is in the local exports store"
stack_psql -- -c "UPDATE exports SET created_at = now() - interval '31 days',
    expires_at = now() - interval '1 day' WHERE id = '$pdf_id'" >/dev/null
as ed GET "/api/exports/$pdf_id"
error_envelope_ok 410 gone "an expired export"
as ed GET "/api/exports/$pdf_id/file"
is "$HTTP_STATUS" 410 "its file: 410"
stack_psql -- -c "SELECT pg_notify('export_jobs', 'sweep')" >/dev/null
swept() { [ ! -e "$file" ]; }
if plc_poll 30 swept; then pass "the job process deleted the expired file"; else fail "the job process deleted the expired file"; fi
as ed GET "/api/exports/$pdf_id"
is "$HTTP_STATUS" 410 "and the export still answers 410"
is "$(stack_psql -- -c "SELECT storage_key IS NULL FROM exports WHERE id = '$pdf_id'")" t "its key is forgotten"
[ ! -e "$STACK_DIR/content/exports/exports/$sh_id.md" ] && pass "the revoked link's export file is deleted too" ||
    fail "the revoked link's export file is deleted too"
is "$(stack_psql -- -c "SELECT count(*) FROM exports WHERE id = '$sh_id'")" 0 "with its row"
as ed DELETE "/api/conversations/$big"
stack_psql -- -c "SELECT pg_notify('export_jobs', 'sweep')" >/dev/null
gone_big() { [ ! -e "$STACK_DIR/content/exports/exports/$big_id.pdf" ]; }
if plc_poll 30 gone_big; then pass "a deleted conversation's exports are deleted"; else fail "a deleted conversation's exports are deleted"; fi

# ---- plccoach export --------------------------------------------------------------------------------
stack_cli export "$conv" --format txt -o "$STACK_DIR/cli.txt"
is "$?" 0 "plccoach export writes a file"
has_all "$STACK_DIR/cli.txt" "the same content as the API's" "${content[@]}" "A private follow-up after sharing"
stack_cli export "$conv" --format md | grep -q '^## Question 1$' && pass "to standard output" ||
    fail "to standard output"
stack_cli export "$conv" --format pdf -o "$STACK_DIR/cli.pdf" && pdftotext "$STACK_DIR/cli.pdf" "$STACK_DIR/cli-pdf.txt"
has_all "$STACK_DIR/cli-pdf.txt" "a PDF too" "${content[@]}"
rc=0
stack_cli export "$conv" --format docx >/dev/null 2>&1 || rc=$?
is "$rc" 2 "an unknown format: usage error"
rc=0
stack_cli export 00000000-0000-4000-8000-000000000000 --format md >/dev/null 2>"$STACK_DIR/cli.err" || rc=$?
is "$rc $(cat "$STACK_DIR/cli.err")" "1 plccoach: no such conversation: 00000000-0000-4000-8000-000000000000" \
    "an unknown conversation"
is "$(stack_psql -- -c "SELECT count(*) FROM audit_log WHERE action = 'export.create' AND actor_id IS NULL
    AND detail->>'via' = 'command line'")" 3 "the command line's exports are audited"

# ---- A public link (PLCCOACH_SHARE_PUBLIC=true): signed out ---------------------------------------
as ed POST "/api/conversations/$conv/shares"
pub=$(json_get token)
stack_pool_stop
stack_pool_env PLCCOACH_SHARE_PUBLIC=true
stack_pool_start
stack_wait_health 200 || bail "the pool did not come back"
http POST "/api/shared/$pub/exports" -H 'Content-Type: application/json' --data '{"format":"txt"}'
is "$HTTP_STATUS" 201 "signed out, a public link's holder exports it (five messages: queued)"
anon=$(json_get id)
anon_done() {
    http GET "/api/shared/$pub/exports/$anon"
    [ "$(json_get status)" = "done" ]
}
if plc_poll 60 anon_done; then pass "made by the job process"; else fail "made by the job process: $HTTP_BODY"; fi
http GET "/api/shared/$pub/exports/$anon/file"
is "$HTTP_STATUS" 200 "and downloads it through the link"
http GET "/api/shared/$pub/exports/$anon/file" -H "Origin: https://evil.example"
is "$HTTP_STATUS" 200 "(a GET needs no Origin check)"
http POST "/api/shared/$pub/exports" -H 'Content-Type: application/json' -H "Origin: https://evil.example" \
    --data '{"format":"txt"}'
is "$HTTP_STATUS $(json_get error.code)" "403 bad_origin" "a cross-site POST is refused"
http GET "/api/exports/$anon"
is "$HTTP_STATUS" 401 "/api/exports needs a session"
as ana GET "/api/exports/$anon"
is "$HTTP_STATUS" 404 "and nobody's session owns a signed-out export"
is "$(stack_psql -- -c "SELECT coalesce(actor_id::text, 'none') || ' ' || (detail->>'via_share')
    FROM audit_log WHERE action = 'export.create' AND target_id = '$anon'")" "none true" \
    "audited without an actor"

# ---- Look-ups per address (PLCCOACH_SHARE_LINK_LIMIT) ---------------------------------------
# A link's exports count against the same limit as the other
# /api/shared/{token} routes (src/http/viewer.c); a malformed token is a
# 404 that never counts.
stack_pool_stop
stack_pool_env PLCCOACH_SHARE_LINK_LIMIT=3
stack_pool_start
stack_wait_health 200 || bail "the pool did not come back"
stack_psql -- -c "DELETE FROM rate_key_events WHERE key LIKE 'shared/%'" >/dev/null
bad=$(printf 'g%.0s' {1..64})
statuses=
for p in "$bad/exports/$anon" "$bad/exports/$anon/file" "$bad/exports/$anon" "$bad/exports/$anon/file" \
    "$pub/exports/$anon" "$pub/exports/$anon/file" "$pub/exports/$anon" "$pub/exports/$anon/file" "$bad/exports/$anon"; do
    http GET "/api/shared/$p"
    statuses="$statuses$HTTP_STATUS "
done
is "$statuses" "404 404 404 404 200 200 200 429 404 " \
    "a link's exports: three look-ups a minute from one address, then 429; malformed tokens 404 and never count"
is "$(json_get error.code)" not_found "(the last: a malformed token, after the limit, still the 404)"
http POST "/api/shared/$pub/exports" -H 'Content-Type: application/json' --data '{"format":"txt"}'
is "$HTTP_STATUS $(json_get error.code)" "429 rate_limited" "asking for an export through the link counts too"
retry=$(http_header Retry-After)
ok "with Retry-After ($retry s) within the minute" test "$retry" -ge 1 -a "$retry" -le 60
http POST "/api/shared/$bad/exports" -H 'Content-Type: application/json' --data '{"format":"txt"}'
is "$HTTP_STATUS" 404 "a malformed token's POST: 404, not 429"
http GET "/api/shared/$pub/about"
is "$HTTP_STATUS" 429 "and the link's other routes share the limit"
stack_psql -- -c "DELETE FROM rate_key_events WHERE key LIKE 'shared/%'" >/dev/null
http GET "/api/shared/$pub/exports/$anon"
is "$HTTP_STATUS" 200 "once the window has passed, the link answers again"

done_testing
