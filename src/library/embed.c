/*
 * Embedding dispatch, pgvector literals, and filling chunks.embedding
 * (library_embed_book, library_reindex) with its HNSW index; see embed.h.
 *
 * The statements are db/embeddings.c's.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/embeddings.h"
#include "library/embed.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/cfg.h"
#include "util/log.h"

#define EMBED_FETCH_ROWS 256

const char *embed_model_name(const struct config *cfg)
{
    if (strcmp(cfg->embeddings, "openai") == 0)
        return cfg->embeddings_model;
    return "local-hash-v1";
}

bool embed_texts(const struct config *cfg, const char *const *texts, size_t n, float *out)
{
    size_t dims = (size_t)cfg->embeddings_dimensions, i;

    if (strcmp(cfg->embeddings, "openai") == 0)
        return embed_openai(cfg, texts, n, out);
    if (strcmp(cfg->embeddings, "local") != 0) {
        log_error("embeddings: unknown provider (PLCCOACH_EMBEDDINGS is local or openai)");
        return false;
    }
    for (i = 0; i < n; i++)
        embed_local(texts[i], dims, out + i * dims);
    return true;
}

void embed_vector_literal(struct buf *b, const float *v, size_t dims)
{
    size_t i;

    buf_putc(b, '[');
    for (i = 0; i < dims; i++)
        buf_printf(b, i ? ",%.7g" : "%.7g", (double)v[i]);
    buf_putc(b, ']');
}

bool embed_vector_parse(const char *text, size_t dims, float *out)
{
    const char *p = text;
    size_t i;

    if (*p++ != '[')
        return false;
    for (i = 0; i < dims; i++) {
        char *end;
        double d = strtod(p, &end);
        if (end == p || !isfinite(d))
            return false;
        out[i] = (float)d;
        p = end;
        if (*p != (i + 1 < dims ? ',' : ']'))
            return false;
        p++;
    }
    return *p == '\0';
}

/* Returns "vector" or "halfvec" for the configured dimension. */
static const char *vec_type(const struct config *cfg)
{
    return cfg->embeddings_dimensions > EMBED_HALFVEC_ABOVE ? "halfvec" : "vector";
}

/* Embeds rows[0..n) and stores them in one UPDATE.  Returns true on
 * success. */
static bool embed_rows(struct db *db, const struct config *cfg, const struct chunk_text *rows,
                       size_t n)
{
    size_t dims = (size_t)cfg->embeddings_dimensions, i;
    const char **texts = xcalloc(n, sizeof(*texts));
    float *vecs = xmalloc(n * dims * sizeof(*vecs));
    struct buf ids = BUF_INIT, lits = BUF_INIT;
    bool ok = false;

    for (i = 0; i < n; i++)
        texts[i] = rows[i].text;
    if (!embed_texts(cfg, texts, n, vecs))
        goto done;
    buf_putc(&ids, '{');
    buf_putc(&lits, '{');
    for (i = 0; i < n; i++) {
        buf_printf(&ids, "%s%s", i ? "," : "", rows[i].id);
        buf_puts(&lits, i ? ",\"" : "\"");
        embed_vector_literal(&lits, vecs + i * dims, dims);
        buf_putc(&lits, '"');
    }
    buf_putc(&ids, '}');
    buf_putc(&lits, '}');
    ok = embeddings_store(db, buf_str(&ids), buf_str(&lits)) == DB_OK;
done:
    free(texts);
    free(vecs);
    buf_free(&ids);
    buf_free(&lits);
    return ok;
}

/* Embeds rows[0..n) in batches of EMBED_BATCH_MAX. */
static bool embed_all(struct db *db, const struct config *cfg, const struct chunk_text *rows,
                      size_t n)
{
    size_t i;

    for (i = 0; i < n; i += EMBED_BATCH_MAX) {
        size_t m = n - i < EMBED_BATCH_MAX ? n - i : EMBED_BATCH_MAX;
        if (!embed_rows(db, cfg, rows + i, m))
            return false;
    }
    return true;
}

/* Returns 1 when library_settings matches the configuration, 0 when it
 * names another model or dimension, -1 when it is empty, -2 on error. */
static int settings_match(struct db *db, const struct config *cfg)
{
    struct arena a = ARENA_INIT;
    const char *model;
    long long dims;
    bool found;
    int rc;

    if (embeddings_settings(db, &a, &found, &model, &dims) != DB_OK)
        rc = -2;
    else if (!found)
        rc = -1;
    else
        rc = strcmp(model, embed_model_name(cfg)) == 0 && dims == cfg->embeddings_dimensions;
    arena_free(&a);
    return rc;
}

/* Deferred index creation (library_defer_index): on, and whether a book
 * was stored without the index it would otherwise have created. */
static bool defer_index, deferred_pending;

void library_defer_index(bool on)
{
    defer_index = on;
}

bool library_finish_deferred_index(struct db *db, const struct config *cfg)
{
    bool ok = true;

    if (deferred_pending) {
        ok = library_embed_ensure_index(db, cfg) && library_analyze(db);
        if (ok)
            deferred_pending = false;
    }
    return ok;
}

bool library_embed_book(struct db *db, const struct config *cfg, const char *book_id)
{
    struct arena a = ARENA_INIT;
    struct chunk_text *rows;
    size_t n;
    bool ok;
    int m = settings_match(db, cfg);

    if (m == -2)
        return false;
    if (m == 0) {
        LOG_FIELDS(LOG_ERROR,
                   "embeddings: the library was embedded with another model or dimension; "
                   "run plccoach reindex",
                   LF_STR("model", embed_model_name(cfg)),
                   LF_INT("dimensions", cfg->embeddings_dimensions));
        return false;
    }
    /* Chunks stored by store.c already carry their embeddings; any
     * without one (an older ingester's) are embedded here. */
    if (embeddings_missing(db, &a, book_id, &rows, &n) != DB_OK) {
        arena_free(&a);
        return false;
    }
    ok = embed_all(db, cfg, rows, n);
    arena_free(&a);
    if (ok && m == -1 && defer_index)
        deferred_pending = true; /* built once, by library_finish_deferred_index */
    else if (ok && m == -1)
        ok = library_embed_ensure_index(db, cfg);
    if (!ok)
        LOG_FIELDS(LOG_ERROR, "embeddings: could not embed the book", LF_STR("book", book_id));
    return ok;
}

bool library_embed_ensure_index(struct db *db, const struct config *cfg)
{
    bool present;

    if (embeddings_index_is(db, vec_type(cfg), (long long)cfg->embeddings_dimensions, &present)
        != DB_OK)
        return false;
    if (!present
        && (embeddings_drop_index(db) != DB_OK
            || embeddings_build_index(db, vec_type(cfg), (long long)cfg->embeddings_dimensions)
                   != DB_OK))
        return false;
    return embeddings_record_settings(db, embed_model_name(cfg),
                                      (long long)cfg->embeddings_dimensions)
           == DB_OK;
}

static void quiet_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* "index ... does not exist, skipping" */
}

bool library_reindex(struct db *db, const struct config *cfg,
                     void (*progress)(size_t done, size_t total))
{
    size_t total, done = 0;
    char *last = xstrdup("00000000-0000-0000-0000-000000000000");
    bool ok = true;

    if (db_conn(db) != NULL)
        PQsetNoticeProcessor(db_conn(db), quiet_notices, NULL);
    /* The old index may be for another dimension; rows are rewritten
     * faster without it.  It is created again at the end. */
    if (embeddings_chunk_count(db, &total) != DB_OK || embeddings_drop_index(db) != DB_OK) {
        free(last);
        return false;
    }
    for (;;) {
        struct arena a = ARENA_INIT;
        struct chunk_text *rows;
        size_t n;

        if (embeddings_page(db, &a, last, EMBED_FETCH_ROWS, &rows, &n) != DB_OK) {
            arena_free(&a);
            ok = false;
            break;
        }
        if (n == 0) {
            arena_free(&a);
            break;
        }
        ok = embed_all(db, cfg, rows, n);
        free(last);
        last = xstrdup(rows[n - 1].id);
        arena_free(&a);
        if (!ok)
            break;
        done += n;
        if (progress != NULL)
            progress(done, total);
    }
    free(last);
    if (!ok || !library_embed_ensure_index(db, cfg))
        return false;
    return library_analyze(db);
}

bool library_analyze(struct db *db)
{
    /* Fresh statistics: with embeddings counted as NULL (as they are
     * before a reindex) the planner expects one row and scans the whole
     * table instead of the HNSW index. */
    return embeddings_analyze(db) == DB_OK;
}
