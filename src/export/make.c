/*
 * Making, storing and sweeping exports; see make.h.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "db/exports.h"
#include "db/citepage.h"
#include "export/export.h"
#include "export/make.h"
#include "storage/storage.h"
#include "util/buf.h"
#include "util/cfg.h"
#include "util/log.h"
#include "util/text.h"

#define SWEEP_BATCH 100
#define EXPORT_MAX_BYTES (64u * 1024 * 1024)

static struct storage *store;

struct storage *export_store(const struct config *cfg)
{
    char err[256];

    if (store == NULL) {
        store = storage_open(cfg, STORAGE_EXPORTS, err, sizeof(err));
        if (store == NULL)
            log_error("the exports store cannot be opened: %s", err);
    }
    return store;
}

void export_make_release(void)
{
    storage_close(store);
    store = NULL;
}

void export_now(char out[21])
{
    time_t t = time(NULL);
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Renders the conversation of job into out; false with err. */
static bool render(struct db *db, const struct exp_job *job, enum export_format f, struct buf *out,
                   char *err, size_t errlen)
{
    struct arena a = ARENA_INIT;
    struct export_conversation c;
    json_object *doc;
    char now[21];
    bool ok;

    switch (exp_conversation(db, job->conversation_id, job->share_id, &doc)) {
    case DB_OK: break;
    case DB_NOT_FOUND: snprintf(err, errlen, "the conversation was deleted"); return false;
    default: snprintf(err, errlen, "the database could not be read"); return false;
    }
    export_now(now);
    ok = export_from_json(doc, now, &a, &c);
    if (!ok)
        snprintf(err, errlen, "the conversation could not be read");
    else
        ok = export_render(&c, f, out, err, errlen);
    json_object_put(doc);
    arena_free(&a);
    return ok;
}

bool export_make(struct db *db, const struct config *cfg, const struct exp_job *job, char *err,
                 size_t errlen)
{
    struct buf out = BUF_INIT;
    struct storage *st = export_store(cfg);
    enum export_format f;
    enum storage_status s;
    char key[64];
    bool ok = false;
    int64_t started = now_ms();

    out.limit = EXPORT_MAX_BYTES;
    if (!export_format_parse(job->format, &f))
        snprintf(err, errlen, "unknown format %s", job->format);
    else if (st == NULL)
        snprintf(err, errlen, "the exports store is not configured");
    else if (render(db, job, f, &out, err, errlen)) {
        snprintf(key, sizeof(key), "exports/%s.%s", job->id, export_format_name(f));
        s = storage_put_mem(st, key, out.data, out.len, export_content_type(f));
        if (s == STORAGE_OK)
            ok = true;
        else
            snprintf(err, errlen, "the file could not be stored: %s", storage_strerror(s));
    }
    if (exp_finish(db, job->id, ok ? key : NULL, (int64_t)out.len, ok ? NULL : err) != DB_OK)
        log_error("could not record the end of export %s", job->id);
    LOG_FIELDS(ok ? LOG_INFO : LOG_WARN, ok ? "export made" : "export failed",
               LF_STR("export_id", job->id), LF_STR("format", job->format),
               LF_INT("bytes", ok ? (long long)out.len : 0), LF_INT("ms", now_ms() - started),
               LF_STR("error", ok ? NULL : err));
    buf_free(&out);
    return ok;
}

long export_sweep(struct db *db, const struct config *cfg)
{
    struct storage *st = export_store(cfg);
    struct exp_sweep items[SWEEP_BATCH];
    static char keys[SWEEP_BATCH][128];
    size_t n, i;
    long gone = 0;

    if (st == NULL)
        return 0;
    if (exp_sweep_list(db, items, SWEEP_BATCH, &n) != DB_OK)
        return -1;
    for (i = 0; i < n; i++) {
        enum storage_status s = items[i].key[0] ? storage_delete(st, items[i].key) : STORAGE_OK;
        if (s != STORAGE_OK) {
            log_warn("export %s: its file could not be deleted: %s", items[i].id,
                     storage_strerror(s));
            continue;
        }
        if (exp_sweep_forget(db, &items[i]) != DB_OK)
            return -1;
        gone += items[i].key[0] ? 1 : 0;
    }
    if (pcache_sweep_list(db, keys, SWEEP_BATCH, &n) != DB_OK)
        return -1;
    for (i = 0; i < n; i++) {
        enum storage_status s = storage_delete(st, keys[i]);
        if (s != STORAGE_OK) {
            log_warn("a cached page could not be deleted: %s", storage_strerror(s));
            continue;
        }
        if (pcache_forget(db, keys[i]) != DB_OK)
            return -1;
        gone++;
    }
    if (gone > 0)
        LOG_FIELDS(LOG_INFO, "swept exports and cached pages", LF_INT("objects", gone));
    return gone;
}
