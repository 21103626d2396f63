#!/bin/bash
# Book uploads with PLCCOACH_STORAGE=s3 against a real S3-compatible server
# (t/s3/server.mjs: s3rver behind a SigV4 verifier): the upload streamed
# through nginx lands in the content bucket as <sha256>.<ext> and nowhere on
# the task's disk; the job names it by locator and a job process ingests it
# from S3; the object is kept afterwards (the documented policy: it is the
# book's original); S3 failing during an upload gives a clean 503 and no
# job; a job whose object is missing fails with a clear error while the job
# process carries on.
. "$(dirname "$0")/../lib/integration.sh"
# shellcheck source=t/lib/books.sh
. "$PLC_SRCDIR/t/lib/books.sh"
: "${PLC_BUILDDIR:=$PLC_SRCDIR}"
. "$PLC_SRCDIR/t/s3/lib.bash"

s3_require
stack_require_servers
stack_init
s3_start "$STACK_DIR/s3"
S3_ENV=(PLCCOACH_STORAGE=s3 PLCCOACH_S3_CONTENT_BUCKET=plc-content
    PLCCOACH_S3_EXPORTS_BUCKET=plc-exports PLCCOACH_S3_ENDPOINT="$S3_ENDPOINT"
    PLCCOACH_S3_REGION=us-east-1 AWS_ACCESS_KEY_ID="$S3_AK" AWS_SECRET_ACCESS_KEY="$S3_SK"
    AWS_EC2_METADATA_DISABLED=true)
STACK_JOB_WORKERS=1
stack_pool_env PLCCOACH_PUBLIC_URL=http://localhost:8000 "${S3_ENV[@]}"
stack_start
# s3obj ARGS...: the storage tool with the pool's S3 settings.
s3obj() {
    env -i PATH="$PATH" ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
        PLCCOACH_CONTENT_DIR="$STACK_DIR/tmp" "${S3_ENV[@]}" \
        "$PLC_BUILDDIR/t/storage/storage-tool" "$@" 2>>"$STACK_DIR/log/storage-tool.log"
}

user_new boss admin boss@example.org boss
csrf=$csrf_boss

# ---- An upload goes to S3 and is ingested from there -----------------------------
book=$PLC_SRCDIR/content/starter/getting-started-with-collaborative-teams.md
sha=$(sha256sum "$book" | cut -d' ' -f1)
puts=$(s3_stats s3)
upload boss "$book" "filename=teams.md&sku=SKU-S3"
is "$HTTP_STATUS" 202 "the upload is accepted (202)"
job=$(json_get id)
is "$(json_get sha256)" "$sha" "named by its SHA-256"
is "$(find "$STACK_DIR/content" -type f | wc -l | tr -d ' ')" 0 "nothing of it is left on the task's disk"
is "$(stack_psql -- -c "SELECT path FROM ingest_jobs WHERE id = '$job'")" "s3://plc-content/$sha.md" \
    "the job names the object in the content bucket"
ok "the object is in the bucket" s3obj get "$sha.md" "$STACK_DIR/stored.md"
ok "byte for byte" cmp -s "$book" "$STACK_DIR/stored.md"
ok "the job process ingests it from S3" plc_poll 60 job_finished "$job"
is "$(job_status "$job")" done "the job is done"
book_id=$(json_get book_id)
ok "with chapters and chunks" test "$(stack_psql -- -c "SELECT count(*) FROM chunks WHERE book_id = '$book_id'")" -gt 10
is "$(stack_psql -- -c "SELECT sku FROM books WHERE id = '$book_id'")" SKU-S3 "the upload's options apply"
ok "the object is kept after ingestion (the book's original)" s3obj get "$sha.md" "$STACK_DIR/kept.md"
ok "S3 saw the PUT and the GET" test "$(s3_stats s3)" -ge $((puts + 2))

# ---- S3 failing during an upload ---------------------------------------------------
printf '# Chapter 1: Retry\n<!-- page 1 -->\nTeams review data.\n' >"$STACK_DIR/retry.md"
jobs_before=$(stack_psql -- -c "SELECT count(*) FROM ingest_jobs")
s3_fail 3
upload boss "$STACK_DIR/retry.md" "filename=retry.md"
error_envelope_ok 503 storage_unavailable "S3 failing three times in a row: a clean 503"
is "$(stack_psql -- -c "SELECT count(*) FROM ingest_jobs")" "$jobs_before" "and no job is queued"
is "$(find "$STACK_DIR/content" -type f | wc -l | tr -d ' ')" 0 "and no file is left behind"
s3_fail 1
upload boss "$STACK_DIR/retry.md" "filename=retry.md"
is "$HTTP_STATUS" 202 "one 503 is retried: the upload goes through"
retry_job=$(json_get id)
ok "and is ingested" plc_poll 60 job_finished "$retry_job"

# ---- A job whose object is missing ----------------------------------------------------
stack_psql -- -c "WITH j AS (INSERT INTO ingest_jobs (path, filename) VALUES
    ('s3://plc-content/$(printf '0%.0s' {1..64}).md', 'gone.md') RETURNING id)
    SELECT id, pg_notify('ingest_jobs', id::text) FROM j" >"$STACK_DIR/gone.out"
gone=$(cut -d'|' -f1 <"$STACK_DIR/gone.out" | head -n 1 | tr -d ' ')
like "$gone" '^[0-9a-f-]{36}$' "a job naming a missing object is queued"
ok "its job ends" plc_poll 60 job_finished "$gone"
is "$(job_status "$gone")" failed "as failed"
like "$(json_get error)" "gone.*does not exist" "with a clear message"
stack_psql -- -c "INSERT INTO ingest_jobs (path, filename) VALUES ('ftp://x/y.md', 'odd.md') RETURNING id" >"$STACK_DIR/odd.out"
odd=$(head -n 1 "$STACK_DIR/odd.out" | tr -d ' ')
ok "a job with a locator of no known kind ends" plc_poll 60 job_finished "$odd"
like "$(json_get error)" "location is not valid" "failed with a clear message"
# ---- S3 failing while a job runs: queued again, then ingested ------------------------
printf '# Chapter 1: Later\n<!-- page 1 -->\nTeams look at the evidence together.\n' >"$STACK_DIR/later.md"
ok "an object for a job is in the bucket" s3obj put later.md "$STACK_DIR/later.md"
s3_fail 3
stack_psql -- -c "WITH j AS (INSERT INTO ingest_jobs (path, filename) VALUES
    ('s3://plc-content/later.md', 'later.md') RETURNING id)
    SELECT id, pg_notify('ingest_jobs', id::text) FROM j" >"$STACK_DIR/later.out"
later=$(cut -d'|' -f1 <"$STACK_DIR/later.out" | head -n 1 | tr -d ' ')
requeued() {
    [ "$(stack_psql -- -c "SELECT status || ':' || attempts || ':' || (not_before > now()) FROM ingest_jobs WHERE id = '$later'")" = "queued:1:true" ]
}
ok "S3 failing while the job reads: the job is queued again, to wait" plc_poll 60 requeued
like "$(stack_psql -- -c "SELECT error FROM ingest_jobs WHERE id = '$later'")" "could not be read" \
    "... with the reason for the admin"
like "$(cat "$STACK_POOL_LOG")" "job failed, queued again" "... and logged"
# Its wait ends (as if the minute had passed): the job process takes it.
stack_psql -- -c "UPDATE ingest_jobs SET not_before = now() WHERE id = '$later'; NOTIFY ingest_jobs" >/dev/null
ok "once S3 answers again the job ends" plc_poll 60 job_finished "$later"
is "$(job_status "$later")" done "... done, on its second attempt"
is "$(stack_psql -- -c "SELECT attempts, error IS NULL FROM ingest_jobs WHERE id = '$later'" | tr '|' ' ')" "2 t" \
    "two attempts, no error left"

is "$(pgrep -P "$(pool_pid)" | wc -l | tr -d ' ')" 3 "the pool still runs 2 workers and 1 job process"
is "$(grep -c 'exited' "$STACK_POOL_LOG" || true)" 0 "no worker or job process exited"

# ---- Removing a book removes the upload it came from ------------------------------------
http DELETE "/api/admin/books/$book_id" -b "$STACK_DIR/boss.jar" -H "X-CSRF-Token: $csrf"
is "$HTTP_STATUS" 204 "an admin removes the book uploaded to S3"
if s3obj get "$sha.md" "$STACK_DIR/after-delete.md"; then
    fail "its object is deleted from the bucket"
else
    pass "its object is deleted from the bucket"
fi

# ---- No secret in the logs ------------------------------------------------------------
if grep -qF -- "$S3_SK" "$STACK_POOL_LOG" "$STACK_DIR/log/storage-tool.log"; then
    fail "the secret key is never logged"
else
    pass "the secret key is never logged"
fi
done_testing
