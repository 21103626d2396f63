-- 006_job_retry: a job that failed for a reason that passes (S3 or the
-- embeddings service unreachable, the database gone mid-book) goes back
-- to the queue, not to be taken before not_before (src/jobs/queue.h).

ALTER TABLE ingest_jobs ADD COLUMN not_before timestamptz;
