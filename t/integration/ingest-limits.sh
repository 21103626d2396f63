#!/bin/bash
# Uploads that would stall or flood ingestion (issue 11), through nginx
# and a job process: a PDF built to keep any reader busy (stall.pdf,
# 21 kB) is stopped at PLCCOACH_INGEST_CPU_SECONDS and fails with a
# message while the queue moves on to the next book; a PDF whose page holds
# more text than a printed page can (dense.pdf) is refused; the upload of a
# job that failed for good is removed from storage, unless a book or
# another job needs it; an admin deletes a failed job (never a queued,
# running or done one), audited.
. "$(dirname "$0")/../lib/integration.sh"
# shellcheck source=t/lib/books.sh
. "$PLC_SRCDIR/t/lib/books.sh"

mkpdf="$PLC_BUILDDIR/t/fixtures/mkpdf"
[ -x "$mkpdf" ] || skip_all "t/fixtures/mkpdf is not built (make check builds it)"
STACK_JOB_WORKERS=1
stack_pool_env PLCCOACH_PUBLIC_URL=http://localhost:8000 PLCCOACH_INGEST_CPU_SECONDS=3
stack_start
fx=$STACK_DIR/fixtures
mkdir -p "$fx"
ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" "$mkpdf" "$fx" || bail "mkpdf failed"

user_new boss admin boss@example.org Boss
csrf=$csrf_boss
stored() { test -f "$STACK_DIR/content/$(sha256sum "$1" | cut -d' ' -f1).$2"; }
book=$PLC_SRCDIR/content/starter/getting-started-with-collaborative-teams.md

# ---- A PDF that stalls readers, then a book behind it ------------------------
upload boss "$fx/stall.pdf" filename=stall.pdf
stall_job=$(json_get id)
ok "stall.pdf is stored while it waits" stored "$fx/stall.pdf" pdf
upload boss "$book" filename=teams.md
book_job=$(json_get id)
ok "the stalling PDF's job ends" plc_poll 120 job_finished "$stall_job"
is "$(job_status "$stall_job")" failed "as failed"
like "$(json_get error)" "more than 3 seconds of processor time .*PLCCOACH_INGEST_CPU_SECONDS.*nothing was stored" \
    "saying it ran out of processor time, and that nothing was stored"
ok "the book queued behind it is ingested" plc_poll 120 job_finished "$book_job"
is "$(job_status "$book_job")" done "done"
line=$(grep '"msg":"job failed"' "$STACK_POOL_LOG" | head -n 1)
printf '%s\n' "$line" >"$STACK_DIR/line.json"
cpu=$(json_get cpu_ms "$STACK_DIR/line.json" || echo 0)
# RLIMIT_CPU is enforced on the scheduler's accounting, wait4 reports
# sampled times: close to the budget, not exactly it.
ok "the job's child used about its budget of processor time ($cpu ms of 3000)" test "$cpu" -ge 2000 -a "$cpu" -lt 30000
is "$(pgrep -P "$(pool_pid)" | wc -l | tr -d ' ')" 3 "the job process is still there (2 workers and 1 job process)"
ok "the failed job's upload is removed from storage" eval "! stored '$fx/stall.pdf' pdf"
ok "the book's upload stays" stored "$book" md
is "$(stack_psql -- -c "SELECT attempts FROM ingest_jobs WHERE id = '$stall_job'")" 1 \
    "a budget that ran out fails for good (no retry: the file would do it again)"

# ---- A page with more text than a printed page can hold ------------------------
upload boss "$fx/dense.pdf" filename=dense.pdf
dense_job=$(json_get id)
ok "the dense PDF's job ends" plc_poll 120 job_finished "$dense_job"
is "$(job_status "$dense_job")" failed "as failed"
like "$(json_get error)" "page 1 holds (39999|40000) characters of text, more than a printed page can \\(20000\\)" \
    "naming the page and the limit"
is "$(stack_psql -- -c "SELECT count(*) FROM books WHERE format = 'pdf'")" 0 "nothing was stored"
ok "its upload is removed too" eval "! stored '$fx/dense.pdf' pdf"

# ---- A failed upload that a book still needs stays ------------------------------
stack_psql -- -c "INSERT INTO ingest_jobs (status, path, filename, error, finished_at)
    SELECT 'queued', path, 'again.md', NULL, NULL FROM ingest_jobs WHERE id = '$book_job'" >/dev/null
ok "(another job of the same file finishes)" plc_poll 60 eval "[ \"\$(stack_psql -- -c \"SELECT count(*) FROM ingest_jobs WHERE filename = 'again.md' AND status IN ('queued', 'running')\")\" = 0 ]"
ok "an upload a book was ingested from is never removed" stored "$book" md

# ---- An admin deletes failed jobs --------------------------------------------
http DELETE "/api/admin/jobs/$book_job" -b "$STACK_DIR/boss.jar" -H "X-CSRF-Token: $csrf"
error_envelope_ok 409 job_not_failed "a done job cannot be deleted"
http DELETE "/api/admin/jobs/$stall_job" -b "$STACK_DIR/boss.jar"
error_envelope_ok 403 csrf "deleting needs the CSRF token"
http DELETE "/api/admin/jobs/$stall_job" -b "$STACK_DIR/boss.jar" -H "X-CSRF-Token: $csrf"
is "$HTTP_STATUS" 204 "a failed job is deleted: 204"
http GET "/api/admin/jobs/$stall_job" -b "$STACK_DIR/boss.jar"
is "$HTTP_STATUS" 404 "it is gone"
http DELETE "/api/admin/jobs/$stall_job" -b "$STACK_DIR/boss.jar" -H "X-CSRF-Token: $csrf"
is "$HTTP_STATUS" 404 "deleting it twice: 404"
is "$(stack_psql -- -c "SELECT detail->>'filename' FROM audit_log WHERE action = 'job.delete'")" stall.pdf \
    "the deletion is audited"
# A job that failed before uploads were removed on failure: its upload goes
# with it.
cp "$fx/corrupt.pdf" "$STACK_DIR/content/old-upload.pdf"
old=$(stack_psql -- -c "INSERT INTO ingest_jobs (status, path, filename, error, finished_at)
    VALUES ('failed', '$STACK_DIR/content/old-upload.pdf', 'old.pdf', 'the PDF is damaged', now()) RETURNING id" | head -n 1)
http DELETE "/api/admin/jobs/$old" -b "$STACK_DIR/boss.jar" -H "X-CSRF-Token: $csrf"
is "$HTTP_STATUS" 204 "an older failed job is deleted"
ok "and its upload left in storage with it" test ! -e "$STACK_DIR/content/old-upload.pdf"

done_testing
