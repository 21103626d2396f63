/*
 * Chunks' embeddings, their index and library_settings; see embeddings.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/embeddings.h"
#include "util/arena.h"

/* Decodes the (id, text) rows of r into *rows in the arena and clears r.
 * Returns false when r is NULL (the statement failed). */
static bool chunk_texts(PGresult *r, struct arena *a, struct chunk_text **rows, size_t *n)
{
    size_t i;

    *rows = NULL;
    *n = 0;
    if (r == NULL)
        return false;
    *n = (size_t)PQntuples(r);
    *rows = arena_alloc(a, (*n ? *n : 1) * sizeof(**rows));
    for (i = 0; i < *n; i++) {
        (*rows)[i].id = arena_strdup(a, PQgetvalue(r, (int)i, 0));
        (*rows)[i].text = arena_strdup(a, PQgetvalue(r, (int)i, 1));
    }
    PQclear(r);
    return true;
}

enum db_status embeddings_missing(struct db *db, struct arena *a, const char *book_id,
                                  struct chunk_text **rows, size_t *n)
{
    return chunk_texts(db_exec(db,
                               "SELECT id, text FROM chunks WHERE book_id = $1 AND embedding IS "
                               "NULL ORDER BY ordinal",
                               1, &book_id, true),
                       a, rows, n)
               ? DB_OK
               : DB_ERROR;
}

enum db_status embeddings_page(struct db *db, struct arena *a, const char *after_id, int limit,
                               struct chunk_text **rows, size_t *n)
{
    char lim[16];
    const char *params[2] = {after_id, lim};

    snprintf(lim, sizeof(lim), "%d", limit);
    return chunk_texts(db_exec(db, "SELECT id, text FROM chunks WHERE id > $1 ORDER BY id LIMIT $2",
                               2, params, true),
                       a, rows, n)
               ? DB_OK
               : DB_ERROR;
}

/* Runs a statement whose result is not read.  Returns false when it
 * failed (logged). */
static bool run(struct db *db, const char *sql, int nparams, const char *const *params,
                bool idempotent)
{
    PGresult *r = db_exec(db, sql, nparams, params, idempotent);

    PQclear(r);
    return r != NULL;
}

enum db_status embeddings_store(struct db *db, const char *ids_literal, const char *vectors_literal)
{
    const char *params[] = {ids_literal, vectors_literal};

    return run(db,
               "UPDATE chunks c SET embedding = u.e::vector FROM "
               "(SELECT unnest($1::uuid[]) AS id, unnest($2::text[]) AS e) u "
               "WHERE c.id = u.id",
               2, params, true)
               ? DB_OK
               : DB_ERROR;
}

enum db_status embeddings_settings(struct db *db, struct arena *a, bool *found, const char **model,
                                   long long *dims)
{
    PGresult *r =
        db_exec(db, "SELECT embedding_model, dimensions FROM library_settings", 0, NULL, true);

    *found = false;
    *model = NULL;
    *dims = 0;
    if (r == NULL)
        return DB_ERROR;
    if (PQntuples(r) > 0) {
        *found = true;
        *model = arena_strdup(a, PQgetvalue(r, 0, 0));
        *dims = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
    }
    PQclear(r);
    return DB_OK;
}

enum db_status embeddings_record_settings(struct db *db, const char *model, long long dims)
{
    char d[24];
    const char *params[2] = {model, d};

    snprintf(d, sizeof(d), "%lld", dims);
    return run(db,
               "INSERT INTO library_settings (embedding_model, dimensions) VALUES ($1, $2) "
               "ON CONFLICT (id) DO UPDATE SET embedding_model = EXCLUDED.embedding_model, "
               "dimensions = EXCLUDED.dimensions, updated_at = now()",
               2, params, true)
               ? DB_OK
               : DB_ERROR;
}

enum db_status embeddings_chunk_count(struct db *db, size_t *n)
{
    PGresult *r = db_exec(db, "SELECT count(*) FROM chunks", 0, NULL, true);

    *n = r ? (size_t)strtoull(PQgetvalue(r, 0, 0), NULL, 10) : 0;
    PQclear(r);
    return r != NULL ? DB_OK : DB_ERROR;
}

enum db_status embeddings_index_is(struct db *db, const char *type, long long dims, bool *present)
{
    char want[64];
    PGresult *r;

    *present = false;
    snprintf(want, sizeof(want), "::%s(%lld)", type, dims);
    r = db_exec(db, "SELECT indexdef FROM pg_indexes WHERE indexname = 'chunks_embedding_hnsw'", 0,
                NULL, true);
    if (r == NULL)
        return DB_ERROR;
    if (PQntuples(r) > 0)
        *present = strstr(PQgetvalue(r, 0, 0), want) != NULL;
    PQclear(r);
    return DB_OK;
}

enum db_status embeddings_drop_index(struct db *db)
{
    return run(db, "DROP INDEX IF EXISTS chunks_embedding_hnsw", 0, NULL, false) ? DB_OK : DB_ERROR;
}

#define INDEX_BUILD_MEMORY "256MB"
enum db_status embeddings_build_index(struct db *db, const char *type, long long dims)
{
    PGconn *conn = db_conn(db);
    bool own = conn != NULL && PQtransactionStatus(conn) == PQTRANS_IDLE;
    char sql[256];
    const char *steps[] = {"BEGIN", "SET LOCAL statement_timeout = 0",
                           "SET LOCAL maintenance_work_mem = '" INDEX_BUILD_MEMORY "'", sql,
                           "COMMIT"};
    size_t i;

    if (conn == NULL)
        return DB_ERROR;
    snprintf(sql, sizeof(sql),
             "CREATE INDEX chunks_embedding_hnsw ON chunks USING hnsw "
             "((embedding::%s(%lld)) %s_cosine_ops)",
             type, dims, type);
    for (i = 0; i < sizeof(steps) / sizeof(*steps); i++) {
        if (!own && (i == 0 || i == 4))
            continue;
        if (!run(db, steps[i], 0, NULL, false)) {
            if (own && db->conn != NULL)
                (void)run(db, "ROLLBACK", 0, NULL, false);
            return DB_ERROR;
        }
    }
    return DB_OK;
}

enum db_status embeddings_analyze(struct db *db)
{
    return run(db, "ANALYZE chunks", 0, NULL, false) ? DB_OK : DB_ERROR;
}
