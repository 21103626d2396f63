#!/bin/bash
# Book uploads through nginx and the job processes: the file streamed to
# the content directory, a job queued and run outside the request by a job
# process the master supervises, its outcome (done / unchanged / failed
# with a message), jobs shared by two job processes without doubles, the
# admin-only routes, the size limit, removal, and the audit trail.
. "$(dirname "$0")/../lib/integration.sh"
# shellcheck source=t/lib/books.sh
. "$PLC_SRCDIR/t/lib/books.sh"

STACK_JOB_WORKERS=2
stack_pool_env PLCCOACH_PUBLIC_URL=http://localhost:8000 PLCCOACH_MAX_UPLOAD_BYTES=200000
stack_start

user_new boss admin
user_new ed educator

book=$PLC_SRCDIR/content/starter/getting-started-with-collaborative-teams.md
is "$(pgrep -P "$(pool_pid)" | wc -l | tr -d ' ')" 4 "the master runs 2 workers and 2 job processes"

# ---- Access and validation --------------------------------------------------------------
upload ed "$book" "filename=teams.md"
error_envelope_ok 403 forbidden "an educator cannot upload"
upload boss "$book" "filename=../../etc/passwd"
error_envelope_ok 400 invalid_parameter "a file name with a path"
upload boss "$book" "filename=book.exe"
is "$HTTP_STATUS" 400 "an unknown file type"
head -c 250000 /dev/urandom >"$STACK_DIR/big.pdf"
upload boss "$STACK_DIR/big.pdf" "filename=big.pdf"
error_envelope_ok 413 payload_too_large "an upload over PLCCOACH_MAX_UPLOAD_BYTES"
is "$(find "$STACK_DIR/content" -type f | wc -l | tr -d ' ')" 0 "refused uploads leave no file behind"

# ---- A book --------------------------------------------------------------------------------
upload boss "$book" "filename=teams.md&sku=SKU-1"
is "$HTTP_STATUS" 202 "the upload is accepted at once (202)"
is "$(json_get status)" queued "with a queued job"
job=$(json_get id)
sha=$(sha256sum "$book" | cut -d' ' -f1)
is "$(json_get sha256)" "$sha" "the stored file is named by its SHA-256"
ok "the file is in the content directory" test -f "$STACK_DIR/content/$sha.md"
ok "a job process ingests it" plc_poll 60 job_finished "$job"
is "$(job_status "$job")" done "the job is done"
book_id=$(json_get book_id)
like "$book_id" '^[0-9a-f-]{36}$' "and names the book"
http GET /api/admin/books -b "$STACK_DIR/boss.jar"
is "$(json_get books | grep -o '"title":"Getting Started with Collaborative Teams"' | head -n 1)" \
    '"title":"Getting Started with Collaborative Teams"' "the book is listed with its title"
ok "with its chapters and chunks" test "$(stack_psql -- -c "SELECT count(*) FROM chunks WHERE book_id = '$book_id'")" -gt 10
is "$(stack_psql -- -c "SELECT sku FROM books WHERE id = '$book_id'")" SKU-1 "the upload's options apply"

upload boss "$book" "filename=teams-again.md"
job2=$(json_get id)
ok "the same file again is processed" plc_poll 60 job_finished "$job2"
is "$(job_status "$job2")/$(json_get book_id)" "done/$book_id" "and finds the book already there"
is "$(stack_psql -- -c "SELECT count(*) FROM books")" 1 "nothing new is created"

# ---- A multipart form, as a browser sends it ------------------------------------------------------
printf '# Chapter 1: Forms\n<!-- page 1 -->\nTeams write norms and review common formative assessment data together every week.\n' \
    >"$STACK_DIR/form-book.md"
http POST /api/admin/books -b "$STACK_DIR/boss.jar" -H "X-CSRF-Token: $csrf_boss" \
    --form-string "title=Uploaded Through A Form" --form-string "authors=Ann A; Bob B" \
    -F "file=@$STACK_DIR/form-book.md;filename=form-book.md;type=text/markdown"
is "$HTTP_STATUS" 202 "a multipart/form-data upload is accepted"
formjob=$(json_get id)
ok "and ingested" plc_poll 60 job_finished "$formjob"
is "$(stack_psql -- -c "SELECT title || ' / ' || array_to_string(authors, ', ') FROM books b JOIN ingest_jobs j ON j.book_id = b.id WHERE j.id = '$formjob'")" \
    "Uploaded Through A Form / Ann A, Bob B" "with the form's title and authors"
http POST /api/admin/books -b "$STACK_DIR/boss.jar" -H "X-CSRF-Token: $csrf_boss" \
    -F "title=No File Here"
error_envelope_ok 400 bad_request "a form without a file part"
http POST /api/admin/books -b "$STACK_DIR/boss.jar" -H "X-CSRF-Token: $csrf_boss" \
    -F "colour=blue" -F "file=@$STACK_DIR/form-book.md;filename=x.md"
error_envelope_ok 400 unknown_field "a form with an unknown field"
http POST /api/admin/books -b "$STACK_DIR/boss.jar" -H "X-CSRF-Token: $csrf_boss" \
    -H 'Content-Type: multipart/form-data; boundary=zz' --data-binary $'--zz\r\nbroken\r\n\r\nx'
error_envelope_ok 400 bad_request "a malformed multipart body"
stack_psql -- -c "DELETE FROM books WHERE title = 'Uploaded Through A Form'" >/dev/null

# ---- A broken file ---------------------------------------------------------------------------
printf '%%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer <<>>\n' >"$STACK_DIR/broken.pdf"
upload boss "$STACK_DIR/broken.pdf" "filename=broken.pdf"
job3=$(json_get id)
ok "a corrupt PDF's job ends" plc_poll 60 job_finished "$job3"
is "$(job_status "$job3")" failed "as failed"
like "$(json_get error)" '.' "with a message for the admin"
is "$(stack_psql -- -c "SELECT count(*) FROM books")" 1 "and nothing half-written"

# ---- Two job processes share the queue -----------------------------------------------------
jobs=()
for f in "$PLC_SRCDIR"/content/starter/assessment-that-drives-learning.md \
    "$PLC_SRCDIR"/content/starter/curriculum-intervention-and-extension.md; do
    upload boss "$f" "filename=$(basename "$f")"
    jobs+=("$(json_get id)")
done
for j in "${jobs[@]}"; do
    plc_poll 90 job_finished "$j" || true
done
is "$(stack_psql -- -c "SELECT string_agg(status || ':' || attempts, ',' ORDER BY created_at) FROM ingest_jobs WHERE id IN ('${jobs[0]}', '${jobs[1]}')")" \
    "done:1,done:1" "both books ingested, each job run exactly once"
is "$(stack_psql -- -c "SELECT count(*) FROM books")" 3 "three books in the library"

# ---- Removal and audit ---------------------------------------------------------------------
http DELETE "/api/admin/books/$book_id" -b "$STACK_DIR/boss.jar" -H "X-CSRF-Token: $csrf_boss"
is "$HTTP_STATUS" 204 "an admin removes a book"
is "$(stack_psql -- -c "SELECT count(*) FROM chunks WHERE book_id = '$book_id'")" 0 "its chunks go with it"
ok "and the upload it was ingested from" test ! -e "$STACK_DIR/content/$sha.md"
is "$(stack_psql -- -c "SELECT detail->>'uploads_deleted' FROM audit_log WHERE action = 'book.delete' ORDER BY id DESC LIMIT 1")" 1 \
    "the audit entry says one upload was deleted"
http DELETE "/api/admin/books/$book_id" -b "$STACK_DIR/boss.jar" -H "X-CSRF-Token: $csrf_boss"
is "$HTTP_STATUS" 404 "removing it twice: 404"
is "$(stack_psql -- -c "SELECT count(*) FROM audit_log WHERE action IN ('book.upload', 'book.delete')")" 7 \
    "uploads and the removal are audited"

# ---- One removal: over HTTP and from the command line, the same rows ---------------------------
# The two books the shared queue ingested: one removed through the API, the
# other with `plccoach books remove`; both go through store_remove_book().
b1=$(stack_psql -- -c "SELECT book_id FROM ingest_jobs WHERE id = '${jobs[0]}'")
b2=$(stack_psql -- -c "SELECT book_id FROM ingest_jobs WHERE id = '${jobs[1]}'")
trace() { # BOOK JOB FILE: what is left of a book, its job, its upload and its audit entry
    stack_psql -- -c "SELECT concat_ws(' ',
        (SELECT count(*) FROM books WHERE id = '$1'), (SELECT count(*) FROM chapters WHERE book_id = '$1'),
        (SELECT count(*) > 0 FROM chunks WHERE book_id = '$1'), (SELECT count(*) > 0 FROM pages WHERE book_id = '$1'),
        (SELECT count(*) > 0 FROM postings WHERE book_id = '$1'),
        (SELECT coalesce(book_id::text, 'null') || ':' || status FROM ingest_jobs WHERE id = '$2'),
        (SELECT coalesce(string_agg(detail->>'uploads_deleted', ','), 'none') FROM audit_log
          WHERE action = 'book.delete' AND target_type = 'book' AND target_id = '$1'))"
    test -e "$STACK_DIR/content/$(sha256sum "$3" | cut -d' ' -f1).md" && echo upload || echo no-upload
}
f1=$PLC_SRCDIR/content/starter/assessment-that-drives-learning.md
f2=$PLC_SRCDIR/content/starter/curriculum-intervention-and-extension.md
like "$(trace "$b1" "${jobs[0]}" "$f1")" "^1 [1-9][0-9]* t t t $b1:done none" "before: the first book has its rows"
like "$(trace "$b2" "${jobs[1]}" "$f2")" "^1 [1-9][0-9]* t t t $b2:done none" "before: so has the second"
http DELETE "/api/admin/books/$b1" -b "$STACK_DIR/boss.jar" -H "X-CSRF-Token: $csrf_boss"
is "$HTTP_STATUS" 204 "the first removed over HTTP"
rc=0
out=$(stack_cli books remove "$b2" 2>&1) || rc=$?
is "$rc/$out" "0/removed $b2" "the second removed from the command line"
is "$(trace "$b1" "${jobs[0]}" "$f1")" $'0 0 f f f null:done 1\nno-upload' \
    "after HTTP: no rows, the job kept without its book, the upload deleted, audited"
is "$(trace "$b2" "${jobs[1]}" "$f2")" "$(trace "$b1" "${jobs[0]}" "$f1")" \
    "the command line leaves exactly the same"
is "$(stack_psql -- -c "SELECT string_agg(coalesce(actor_id::text, 'none'), ' ' ORDER BY id) FROM audit_log WHERE action = 'book.delete' AND target_id IN ('$b1', '$b2')")" \
    "$(stack_psql -- -c "SELECT id FROM users WHERE email = 'boss@example.org'") none" \
    "the API's removal names its admin, the command line's no one"

# ---- The job process is supervised ------------------------------------------------------------
jp=
for p in $(grep -o '"role":"jobs","pid":[0-9]*' "$STACK_POOL_LOG" | grep -o '[0-9]*$' | sort -u); do
    plc_pid_alive "$p" && jp=$p
done
ok "a job process is found in the log" test -n "$jp"
kill -KILL "$jp"
replaced() { [ "$(pgrep -P "$(pool_pid)" | wc -l)" -eq 4 ] && ! plc_pid_alive "$jp"; }
ok "a killed job process is replaced" plc_poll 60 replaced

done_testing
