/*
 * The ingestion job queue; see ingest_jobs.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/audit.h"
#include "db/db.h"
#include "db/rows.h"
#include "db/sql.h"
#include "db/ingest_jobs.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/log.h"

enum db_status job_enqueue(struct db *db, const char *path, const char *filename,
                           json_object *options, const char *created_by, const char *sha256,
                           const char *ip, char id_out[37])
{
    const char *params[4];
    json_object *detail;
    PGresult *res;

    params[0] = path;
    params[1] = filename;
    params[2] = options ? json_object_to_json_string_ext(options, JSON_C_TO_STRING_PLAIN) : "{}";
    params[3] = created_by;
    if (!store_tx(db, "BEGIN"))
        return DB_ERROR;
    res = db_exec(db,
                  "WITH j AS (INSERT INTO ingest_jobs (path, filename, options, created_by) "
                  "  VALUES ($1, $2, $3::jsonb, $4) RETURNING id) "
                  "SELECT id, pg_notify('" JOB_CHANNEL "', id::text) FROM j",
                  4, params, false);
    if (res == NULL)
        return db_rollback(db, NULL, DB_ERROR);
    snprintf(id_out, 37, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    detail = json_object_new_object();
    json_object_object_add(detail, "filename", json_object_new_string(filename));
    json_object_object_add(detail, "sha256", json_object_new_string(sha256));
    if (audit_write(db, created_by, "book.upload", "job", id_out, ip, detail) == DB_OK
        && store_tx(db, "COMMIT"))
        return DB_OK;
    id_out[0] = '\0';
    return db_rollback(db, NULL, DB_ERROR);
}

enum db_status job_listen(struct db *db)
{
    PGresult *res = db_exec(db, "LISTEN " JOB_CHANNEL, 0, NULL, true);

    if (res == NULL)
        return DB_ERROR;
    PQclear(res);
    return DB_OK;
}

#define JOB_COLUMNS                                                                                \
    "id, status, filename, book_id, error, " SQL_TS("created_at") ", " SQL_TS(                     \
        "started_at") ", " SQL_TS("finished_at")

/* Row i of a JOB_COLUMNS result into *row, a struct job_row (strings
 * copied into a). */
static void job_row_of(struct arena *a, const PGresult *res, int i, void *row)
{
    struct job_row *j = row;

    j->id = db_arena_value(a, res, i, 0);
    j->status = db_arena_value(a, res, i, 1);
    j->filename = db_arena_value(a, res, i, 2);
    j->book_id = db_arena_value(a, res, i, 3);
    j->error = db_arena_value(a, res, i, 4);
    j->created_at = db_arena_value(a, res, i, 5);
    j->started_at = db_arena_value(a, res, i, 6);
    j->finished_at = db_arena_value(a, res, i, 7);
}

enum db_status jobs_recent(struct db *db, struct arena *a, int limit, struct job_row **rows,
                           size_t *n)
{
    char lim[16];
    const char *params[1] = {lim};

    snprintf(lim, sizeof(lim), "%d", limit);
    *rows = db_read_rows(
        db, a, "SELECT " JOB_COLUMNS " FROM ingest_jobs ORDER BY created_at DESC, id LIMIT $1::int",
        1, params, sizeof(**rows), job_row_of, n);
    return *rows != NULL ? DB_OK : DB_ERROR;
}

enum db_status job_find(struct db *db, struct arena *a, const char *id, struct job_row *out)
{
    const char *params[1] = {id};

    return db_read_row(db, a, "SELECT " JOB_COLUMNS " FROM ingest_jobs WHERE id = $1", 1, params,
                       job_row_of, out);
}

enum db_status job_claim(struct db *db, struct ingest_job *job)
{
    static const struct db_queue queue = {
        /* Jobs that ran out of attempts while stale are failed first. */
        "UPDATE ingest_jobs SET status = 'failed', finished_at = now(), "
        "  error = 'the job process stopped while running this job, too often' "
        "WHERE status = 'running' AND attempts >= $2::int "
        "  AND started_at < now() - $1::int * interval '1 minute'",
        "UPDATE ingest_jobs SET status = 'running', started_at = now(), "
        "  attempts = attempts + 1, error = NULL, not_before = NULL "
        "WHERE id = (SELECT id FROM ingest_jobs "
        "  WHERE (status = 'queued' AND (not_before IS NULL OR not_before <= now())) "
        "    OR (status = 'running' AND attempts < $2::int "
        "        AND started_at < now() - $1::int * interval '1 minute') "
        "  ORDER BY created_at, id FOR UPDATE SKIP LOCKED LIMIT 1) "
        "RETURNING id, path, filename, options::text, created_by",
        JOB_STALE_MINUTES,
        JOB_MAX_ATTEMPTS,
    };
    PGresult *res;
    enum db_status st;

    memset(job, 0, sizeof(*job));
    st = db_queue_claim(db, &queue, &res);
    if (st != DB_OK)
        return st;
    snprintf(job->id, sizeof(job->id), "%s", PQgetvalue(res, 0, 0));
    job->path = xstrdup(PQgetvalue(res, 0, 1));
    job->filename = xstrdup(PQgetvalue(res, 0, 2));
    job->options = json_tokener_parse(PQgetvalue(res, 0, 3));
    if (job->options == NULL)
        job->options = json_object_new_object();
    job->created_by = db_value(res, 0, 4) ? xstrdup(PQgetvalue(res, 0, 4)) : NULL;
    PQclear(res);
    return DB_OK;
}

/* Whether the upload of job j (an ingest_jobs row) is needed by nothing
 * else: no other job queued, running or done with a book, and no book
 * ingested from it. */
#define UPLOAD_ORPHAN_SQL(j)                                                                       \
    "NOT EXISTS (SELECT 1 FROM ingest_jobs o WHERE o.path = " j ".path AND o.id <> " j ".id "      \
    "  AND (o.status IN ('queued', 'running') OR (o.status = 'done' AND o.book_id IS NOT NULL))) " \
    "AND NOT EXISTS (SELECT 1 FROM books b WHERE b.source_uri = " j ".path)"

enum db_status job_finish(struct db *db, const char *id, const char *book_id, const char *error,
                          bool *orphan)
{
    const char *params[3] = {id, book_id, error};
    PGresult *res = db_exec(db,
                            "UPDATE ingest_jobs j SET status = CASE WHEN $3::text IS NULL "
                            "  THEN 'done' ELSE 'failed' END, "
                            "  book_id = $2::uuid, error = $3, finished_at = now() WHERE id = $1 "
                            "RETURNING $3::text IS NOT NULL AND " UPLOAD_ORPHAN_SQL("j"),
                            3, params, false);

    if (orphan != NULL)
        *orphan = false;
    if (res == NULL)
        return DB_ERROR;
    if (orphan != NULL && PQntuples(res) == 1)
        *orphan = PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    return DB_OK;
}

enum db_status job_retry_later(struct db *db, const char *id, const char *error, bool *requeued,
                               bool *orphan)
{
    char attempts[16];
    const char *params[3] = {id, error, attempts};
    PGresult *res;

    *requeued = false;
    *orphan = false;
    snprintf(attempts, sizeof(attempts), "%d", JOB_MAX_ATTEMPTS);
    /* Waits attempts^2 minutes: 1 after the first failure, 4 after the
     * second; the job process looks every 30 s (server/jobs.c). */
    res = db_exec(db,
                  "UPDATE ingest_jobs SET status = 'queued', error = $2, started_at = NULL, "
                  "  not_before = now() + attempts * attempts * interval '1 minute' "
                  "WHERE id = $1 AND status = 'running' AND attempts < $3::int RETURNING id",
                  3, params, false);
    if (res == NULL)
        return DB_ERROR;
    *requeued = PQntuples(res) == 1;
    PQclear(res);
    return *requeued ? DB_OK : job_finish(db, id, NULL, error, orphan);
}

enum db_status job_delete_failed(struct db *db, const char *id, const char *actor_id,
                                 const char *ip, char **path, bool *orphan)
{
    const char *params[1] = {id};
    json_object *detail;
    PGresult *res;

    *path = NULL;
    *orphan = false;
    if (!store_tx(db, "BEGIN"))
        return DB_ERROR;
    res = db_exec(db,
                  "SELECT j.status, j.path, j.filename, " UPLOAD_ORPHAN_SQL(
                      "j") " "
                           "FROM ingest_jobs j WHERE j.id = $1 FOR UPDATE",
                  1, params, false);
    if (db_one_row(res) != DB_OK)
        return db_rollback(db, res, db_one_row(res));
    if (strcmp(PQgetvalue(res, 0, 0), "failed") != 0)
        return db_rollback(db, res, DB_CONFLICT);
    *path = xstrdup(PQgetvalue(res, 0, 1));
    *orphan = PQgetvalue(res, 0, 3)[0] == 't';
    detail = json_object_new_object();
    json_object_object_add(detail, "filename", json_object_new_string(PQgetvalue(res, 0, 2)));
    json_object_object_add(detail, "upload_deleted", json_object_new_boolean(*orphan));
    PQclear(res);
    res = db_exec(db, "DELETE FROM ingest_jobs WHERE id = $1", 1, params, false);
    if (res == NULL) {
        json_object_put(detail);
    } else {
        PQclear(res);
        if (audit_write(db, actor_id, "job.delete", "job", id, ip, detail) == DB_OK
            && store_tx(db, "COMMIT"))
            return DB_OK;
    }
    free(*path);
    *path = NULL;
    return db_rollback(db, NULL, DB_ERROR);
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
