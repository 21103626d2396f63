/*
 * Embedding dispatch, pgvector literals, and filling chunks.embedding
 * (library_embed_book, library_reindex) with its HNSW index; see embed.h.
 *
 * The vector dimension N is a type modifier (vector(N)), which cannot be a
 * query parameter: it is formatted into the SQL from the configuration
 * (an integer bounded 1..16000 by cfg.c), never from input.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "library/embed.h"
#include "util/alloc.h"
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

/* Embeds the rows of res (column 0 id, column 1 text) and stores them in
 * one UPDATE.  Returns true on success. */
static bool embed_rows(struct db *db, const struct config *cfg, const PGresult *res, int from,
                       int n)
{
    size_t dims = (size_t)cfg->embeddings_dimensions;
    const char **texts = xcalloc((size_t)n, sizeof(*texts));
    float *vecs = xmalloc((size_t)n * dims * sizeof(*vecs));
    struct buf ids = BUF_INIT, lits = BUF_INIT;
    bool ok = false;
    int i;

    for (i = 0; i < n; i++)
        texts[i] = PQgetvalue(res, from + i, 1);
    if (!embed_texts(cfg, texts, (size_t)n, vecs))
        goto done;
    buf_putc(&ids, '{');
    buf_putc(&lits, '{');
    for (i = 0; i < n; i++) {
        buf_printf(&ids, "%s%s", i ? "," : "", PQgetvalue(res, from + i, 0));
        buf_puts(&lits, i ? ",\"" : "\"");
        embed_vector_literal(&lits, vecs + (size_t)i * dims, dims);
        buf_putc(&lits, '"');
    }
    buf_putc(&ids, '}');
    buf_putc(&lits, '}');
    {
        const char *params[] = {buf_str(&ids), buf_str(&lits)};
        PGresult *r = db_exec(db,
                              "UPDATE chunks c SET embedding = u.e::vector FROM "
                              "(SELECT unnest($1::uuid[]) AS id, unnest($2::text[]) AS e) u "
                              "WHERE c.id = u.id",
                              2, params, true);
        ok = r != NULL;
        PQclear(r);
    }
done:
    free(texts);
    free(vecs);
    buf_free(&ids);
    buf_free(&lits);
    return ok;
}

/* Embeds every row of res in batches of EMBED_BATCH_MAX. */
static bool embed_result(struct db *db, const struct config *cfg, const PGresult *res)
{
    int n = PQntuples(res), i;

    for (i = 0; i < n; i += EMBED_BATCH_MAX) {
        int m = n - i < EMBED_BATCH_MAX ? n - i : EMBED_BATCH_MAX;
        if (!embed_rows(db, cfg, res, i, m))
            return false;
    }
    return true;
}

/* Returns 1 when library_settings matches the configuration, 0 when it
 * names another model or dimension, -1 when it is empty, -2 on error. */
static int settings_match(struct db *db, const struct config *cfg)
{
    PGresult *res =
        db_exec(db, "SELECT embedding_model, dimensions FROM library_settings", 0, NULL, true);
    int rc;

    if (res == NULL)
        return -2;
    if (PQntuples(res) == 0)
        rc = -1;
    else
        rc = strcmp(PQgetvalue(res, 0, 0), embed_model_name(cfg)) == 0
             && strtoll(PQgetvalue(res, 0, 1), NULL, 10) == cfg->embeddings_dimensions;
    PQclear(res);
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
    const char *params[] = {book_id};
    PGresult *res;
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
    res = db_exec(db,
                  "SELECT id, text FROM chunks WHERE book_id = $1 AND embedding IS NULL "
                  "ORDER BY ordinal",
                  1, params, true);
    if (res == NULL)
        return false;
    ok = embed_result(db, cfg, res);
    PQclear(res);
    if (ok && m == -1 && defer_index)
        deferred_pending = true; /* built once, by library_finish_deferred_index */
    else if (ok && m == -1)
        ok = library_embed_ensure_index(db, cfg);
    if (!ok)
        LOG_FIELDS(LOG_ERROR, "embeddings: could not embed the book", LF_STR("book", book_id));
    return ok;
}

/* Runs the CREATE INDEX sql without the connection's statement timeout
 * (PLCCOACH_DB_STATEMENT_TIMEOUT is for requests; building the graph over
 * a large library takes minutes) and with room to build the graph in
 * memory (INDEX_BUILD_MEMORY; pgvector slows down sharply once the graph
 * no longer fits in maintenance_work_mem).  SET LOCAL lasts to the end of
 * the transaction: the caller's when there is one (a book's), else one of
 * its own. */
#define INDEX_BUILD_MEMORY "256MB"
static bool build_index(struct db *db, const char *sql)
{
    PGconn *conn = db_conn(db);
    bool own = conn != NULL && PQtransactionStatus(conn) == PQTRANS_IDLE;
    const char *steps[] = {"BEGIN", "SET LOCAL statement_timeout = 0",
                           "SET LOCAL maintenance_work_mem = '" INDEX_BUILD_MEMORY "'", sql,
                           "COMMIT"};
    size_t i;

    if (conn == NULL)
        return false;
    for (i = 0; i < sizeof(steps) / sizeof(*steps); i++) {
        PGresult *res;
        if (!own && (i == 0 || i == 4))
            continue;
        res = db_exec(db, steps[i], 0, NULL, false);
        if (res == NULL) {
            if (own && db->conn != NULL) {
                PGresult *rb = db_exec(db, "ROLLBACK", 0, NULL, false);
                PQclear(rb);
            }
            return false;
        }
        PQclear(res);
    }
    return true;
}

bool library_embed_ensure_index(struct db *db, const struct config *cfg)
{
    char want[64], sql[256];
    const char *params[2];
    char dims[24];
    PGresult *res;
    bool present = false;

    snprintf(want, sizeof(want), "::%s(%lld)", vec_type(cfg),
             (long long)cfg->embeddings_dimensions);
    res = db_exec(db, "SELECT indexdef FROM pg_indexes WHERE indexname = 'chunks_embedding_hnsw'",
                  0, NULL, true);
    if (res == NULL)
        return false;
    if (PQntuples(res) > 0)
        present = strstr(PQgetvalue(res, 0, 0), want) != NULL;
    PQclear(res);
    if (!present) {
        res = db_exec(db, "DROP INDEX IF EXISTS chunks_embedding_hnsw", 0, NULL, false);
        if (res == NULL)
            return false;
        PQclear(res);
        snprintf(sql, sizeof(sql),
                 "CREATE INDEX chunks_embedding_hnsw ON chunks USING hnsw "
                 "((embedding::%s(%lld)) %s_cosine_ops)",
                 vec_type(cfg), (long long)cfg->embeddings_dimensions, vec_type(cfg));
        if (!build_index(db, sql))
            return false;
    }
    snprintf(dims, sizeof(dims), "%lld", (long long)cfg->embeddings_dimensions);
    params[0] = embed_model_name(cfg);
    params[1] = dims;
    res = db_exec(db,
                  "INSERT INTO library_settings (embedding_model, dimensions) VALUES ($1, $2) "
                  "ON CONFLICT (id) DO UPDATE SET embedding_model = EXCLUDED.embedding_model, "
                  "dimensions = EXCLUDED.dimensions, updated_at = now()",
                  2, params, true);
    if (res == NULL)
        return false;
    PQclear(res);
    return true;
}

static void quiet_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* "index ... does not exist, skipping" */
}

bool library_reindex(struct db *db, const struct config *cfg,
                     void (*progress)(size_t done, size_t total))
{
    PGresult *res;
    size_t total, done = 0;
    char *last = xstrdup("00000000-0000-0000-0000-000000000000");
    bool ok = true;

    if (db_conn(db) != NULL)
        PQsetNoticeProcessor(db_conn(db), quiet_notices, NULL);
    res = db_exec(db, "SELECT count(*) FROM chunks", 0, NULL, true);
    if (res == NULL) {
        free(last);
        return false;
    }
    total = (size_t)strtoull(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    /* The old index may be for another dimension; rows are rewritten
     * faster without it.  It is created again at the end. */
    res = db_exec(db, "DROP INDEX IF EXISTS chunks_embedding_hnsw", 0, NULL, false);
    if (res == NULL) {
        free(last);
        return false;
    }
    PQclear(res);
    for (;;) {
        const char *params[] = {last};
        char limit[16];
        int n;

        snprintf(limit, sizeof(limit), "%d", EMBED_FETCH_ROWS);
        {
            const char *p2[] = {params[0], limit};
            res = db_exec(db, "SELECT id, text FROM chunks WHERE id > $1 ORDER BY id LIMIT $2", 2,
                          p2, true);
        }
        if (res == NULL) {
            ok = false;
            break;
        }
        n = PQntuples(res);
        if (n == 0) {
            PQclear(res);
            break;
        }
        ok = embed_result(db, cfg, res);
        free(last);
        last = xstrdup(PQgetvalue(res, n - 1, 0));
        PQclear(res);
        if (!ok)
            break;
        done += (size_t)n;
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
    PGresult *res = db_exec(db, "ANALYZE chunks", 0, NULL, false);

    if (res == NULL)
        return false;
    PQclear(res);
    return true;
}
