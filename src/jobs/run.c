/*
 * Running an ingestion job; see run.h.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/queue.h"
#include "jobs/run.h"
#include "library/ingest.h"
#include "util/alloc.h"
#include "util/buf.h"

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
             char *err, size_t errlen)
{
    struct ingest_options o;
    struct ingest_result r;
    enum doc_format format;
    struct buf data = BUF_INIT;
    char chunk[65536];
    json_object *v;
    size_t got;
    FILE *f;

    (void)cfg;
    *book_id = NULL;
    memset(&o, 0, sizeof(o));
    o.title = option(job, "title");
    o.authors = option(job, "authors");
    o.isbn = option(job, "isbn");
    o.sku = option(job, "sku");
    o.product_url = option(job, "product_url");
    o.replace =
        json_object_object_get_ex(job->options, "replace", &v) && json_object_get_boolean(v);
    if (!ingest_format_of(job->filename, &format)) {
        snprintf(err, errlen, "%s: not a PDF, Markdown or text file", job->filename);
        return false;
    }
    f = fopen(job->path, "rb");
    if (f == NULL) {
        snprintf(err, errlen, "the uploaded file is gone: %s", strerror(errno));
        return false;
    }
    data.limit = INGEST_MAX_BYTES;
    while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
        if (!buf_append(&data, chunk, got))
            break;
    fclose(f);
    if (data.overflow) {
        snprintf(err, errlen, "%s is larger than the ingester accepts", job->filename);
        buf_free(&data);
        return false;
    }
    ingest_bytes(db, buf_str(&data), data.len, format, job->filename, job->path, &o, &r);
    buf_free(&data);
    switch (r.outcome) {
    case INGEST_NEW:
    case INGEST_REPLACED:
    case INGEST_UNCHANGED: *book_id = xstrdup(r.book_id); return true;
    case INGEST_REFUSED:
    case INGEST_FAILED: break;
    }
    snprintf(err, errlen, "%s", r.error[0] ? r.error : "ingestion failed");
    return false;
}
