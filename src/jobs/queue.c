/*
 * The ingestion job queue; see queue.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "jobs/queue.h"
#include "util/alloc.h"
#include "util/log.h"

bool job_enqueue(struct db *db, const char *path, const char *filename, json_object *options,
                 const char *created_by, char id_out[37])
{
    const char *params[4];
    PGresult *res;

    params[0] = path;
    params[1] = filename;
    params[2] = options ? json_object_to_json_string_ext(options, JSON_C_TO_STRING_PLAIN) : "{}";
    params[3] = created_by;
    res = db_exec(db,
                  "WITH j AS (INSERT INTO ingest_jobs (path, filename, options, created_by) "
                  "  VALUES ($1, $2, $3::jsonb, $4) RETURNING id) "
                  "SELECT id, pg_notify('" JOB_CHANNEL "', id::text) FROM j",
                  4, params, false);
    if (res == NULL)
        return false;
    snprintf(id_out, 37, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return true;
}

enum job_claim job_claim(struct db *db, struct ingest_job *job)
{
    PGresult *res;
    char stale[16], attempts[16];
    const char *params[2] = {stale, attempts};

    memset(job, 0, sizeof(*job));
    snprintf(stale, sizeof(stale), "%d", JOB_STALE_MINUTES);
    snprintf(attempts, sizeof(attempts), "%d", JOB_MAX_ATTEMPTS);
    /* Jobs that ran out of attempts while stale are failed first. */
    res = db_exec(db,
                  "UPDATE ingest_jobs SET status = 'failed', finished_at = now(), "
                  "  error = 'the job process stopped while running this job, too often' "
                  "WHERE status = 'running' AND attempts >= $2::int "
                  "  AND started_at < now() - $1::int * interval '1 minute'",
                  2, params, false);
    if (res == NULL)
        return JOB_ERROR;
    PQclear(res);
    res = db_exec(db,
                  "UPDATE ingest_jobs SET status = 'running', started_at = now(), "
                  "  attempts = attempts + 1, error = NULL, not_before = NULL "
                  "WHERE id = (SELECT id FROM ingest_jobs "
                  "  WHERE (status = 'queued' AND (not_before IS NULL OR not_before <= now())) "
                  "    OR (status = 'running' AND attempts < $2::int "
                  "        AND started_at < now() - $1::int * interval '1 minute') "
                  "  ORDER BY created_at, id FOR UPDATE SKIP LOCKED LIMIT 1) "
                  "RETURNING id, path, filename, options::text, created_by",
                  2, params, false);
    if (res == NULL)
        return JOB_ERROR;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return JOB_NONE;
    }
    snprintf(job->id, sizeof(job->id), "%s", PQgetvalue(res, 0, 0));
    job->path = xstrdup(PQgetvalue(res, 0, 1));
    job->filename = xstrdup(PQgetvalue(res, 0, 2));
    job->options = json_tokener_parse(PQgetvalue(res, 0, 3));
    if (job->options == NULL)
        job->options = json_object_new_object();
    job->created_by = db_value(res, 0, 4) ? xstrdup(PQgetvalue(res, 0, 4)) : NULL;
    PQclear(res);
    return JOB_CLAIMED;
}

bool job_finish(struct db *db, const char *id, const char *book_id, const char *error)
{
    const char *params[3] = {id, book_id, error};
    PGresult *res = db_exec(db,
                            "UPDATE ingest_jobs SET status = CASE WHEN $3::text IS NULL "
                            "  THEN 'done' ELSE 'failed' END, "
                            "  book_id = $2::uuid, error = $3, finished_at = now() WHERE id = $1",
                            3, params, false);

    if (res == NULL)
        return false;
    PQclear(res);
    return true;
}

bool job_retry_later(struct db *db, const char *id, const char *error, bool *requeued)
{
    char attempts[16];
    const char *params[3] = {id, error, attempts};
    PGresult *res;

    *requeued = false;
    snprintf(attempts, sizeof(attempts), "%d", JOB_MAX_ATTEMPTS);
    /* Waits attempts^2 minutes: 1 after the first failure, 4 after the
     * second; the job process looks every 30 s (server/jobs.c). */
    res = db_exec(db,
                  "UPDATE ingest_jobs SET status = 'queued', error = $2, started_at = NULL, "
                  "  not_before = now() + attempts * attempts * interval '1 minute' "
                  "WHERE id = $1 AND status = 'running' AND attempts < $3::int RETURNING id",
                  3, params, false);
    if (res == NULL)
        return false;
    *requeued = PQntuples(res) == 1;
    PQclear(res);
    return *requeued || job_finish(db, id, NULL, error);
}

void job_clear(struct ingest_job *job)
{
    if (job == NULL)
        return;
    free(job->path);
    free(job->filename);
    free(job->created_by);
    if (job->options != NULL)
        json_object_put(job->options);
    memset(job, 0, sizeof(*job));
}
