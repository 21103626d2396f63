/*
 * Running an ingestion job; see run.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/ingest_jobs.h"
#include "jobs/run.h"
#include "library/ingest.h"
#include "storage/storage.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/cfg.h"

/* The option's string, or NULL. */
static const char *option(const struct ingest_job *job, const char *key)
{
    json_object *v;

    if (!json_object_object_get_ex(job->options, key, &v)
        || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

bool job_run(struct db *db, const struct config *cfg, const struct ingest_job *job, char **book_id,
             bool *transient, char *err, size_t errlen)
{
    struct ingest_options o;
    struct ingest_result r;
    enum doc_format format;
    struct buf data = BUF_INIT;
    struct storage *st;
    enum storage_status got;
    const char *key = NULL;
    char why[256];
    json_object *v;

    *book_id = NULL;
    *transient = false;
    memset(&o, 0, sizeof(o));
    o.title = option(job, "title");
    o.authors = option(job, "authors");
    o.isbn = option(job, "isbn");
    o.sku = option(job, "sku");
    o.product_url = option(job, "product_url");
    o.replace =
        json_object_object_get_ex(job->options, "replace", &v) && json_object_get_boolean(v);
    o.max_page_chars = (size_t)cfg->ingest_max_page_chars;
    if (!ingest_format_of(job->filename, &format)) {
        snprintf(err, errlen, "%s: not a PDF, Markdown or text file", job->filename);
        return false;
    }
    /* The locator names the store the upload went to (a local directory or
     * an S3 bucket), whatever this task's own PLCCOACH_STORAGE says. */
    st = storage_open_locator(cfg, job->path, &key, why, sizeof(why));
    if (st == NULL) {
        snprintf(err, errlen, "the uploaded file's location is not valid: %s", why);
        return false;
    }
    got = storage_get_buf(st, key, &data, INGEST_MAX_BYTES);
    storage_close(st);
    switch (got) {
    case STORAGE_OK: break;
    case STORAGE_NOT_FOUND:
        snprintf(err, errlen, "the uploaded file is gone: %s", storage_strerror(got));
        buf_free(&data);
        return false;
    case STORAGE_TOO_LARGE:
        snprintf(err, errlen, "%s is larger than the ingester accepts", job->filename);
        buf_free(&data);
        return false;
    default:
        snprintf(err, errlen, "the uploaded file could not be read: %s", storage_strerror(got));
        buf_free(&data);
        *transient = true;
        return false;
    }
    ingest_bytes(db, buf_str(&data), data.len, format, job->filename, job->path, &o, &r);
    buf_free(&data);
    switch (r.outcome) {
    case INGEST_NEW:
    case INGEST_REPLACED:
    case INGEST_UNCHANGED: *book_id = xstrdup(r.book_id); return true;
    case INGEST_REFUSED: break;
    case INGEST_FAILED: *transient = true; break; /* the database or the embedder */
    }
    snprintf(err, errlen, "%s", r.error[0] ? r.error : "ingestion failed");
    return false;
}
