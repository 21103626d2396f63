/*
 * The statements of retrieval; see retrieval.h.
 */
#include "config.h"

#include <json-c/json.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/retrieval.h"
#include "db/rows.h"
#include "util/arena.h"
#include "util/buf.h"

/* Parses a JSON array of strings (trusted: array_to_json from PostgreSQL)
 * into an arena array. */
static const char **json_strings(struct arena *a, const char *text, size_t *n)
{
    json_object *arr = text ? json_tokener_parse(text) : NULL;
    const char **out;
    size_t i, len;

    *n = 0;
    if (arr == NULL || !json_object_is_type(arr, json_type_array)) {
        json_object_put(arr);
        return NULL;
    }
    len = json_object_array_length(arr);
    out = arena_alloc(a, (len ? len : 1) * sizeof(*out));
    for (i = 0; i < len; i++) {
        const char *s = json_object_get_string(json_object_array_get_idx(arr, i));
        out[(*n)++] = arena_strdup(a, s ? s : "");
    }
    json_object_put(arr);
    return out;
}

static void quiet_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* "text-search query doesn't contain lexemes" and the like */
}

enum db_status retrieval_prepare(struct db *db)
{
    static const struct db *done_db;
    static unsigned done_generation;
    PGconn *conn = db_conn(db);
    PGresult *r;

    if (conn == NULL)
        return DB_ERROR;
    /* A reconnect may reuse the old PGconn's address: compare generations. */
    if (done_db == db && done_generation == db->generation)
        return DB_OK;
    PQsetNoticeProcessor(conn, quiet_notices, NULL);
    r = db_exec(db,
                "SELECT set_config('hnsw.ef_search', '100', false), "
                "set_config('hnsw.iterative_scan', 'strict_order', false)",
                0, NULL, true);
    if (r == NULL)
        return DB_ERROR;
    PQclear(r);
    done_db = db;
    done_generation = db->generation;
    return DB_OK;
}

/* Decodes pgvector's binary form (vector_send: int16 dimensions, int16
 * unused, then float4s, all in network byte order) into out (dims
 * floats).  Returns false unless it is exactly dims finite values. */
static bool vector_from_binary(const char *bytes, size_t len, size_t dims, float *out)
{
    const unsigned char *p = (const unsigned char *)bytes;
    size_t i;

    if (len != 4 + 4 * dims || (size_t)((p[0] << 8) | p[1]) != dims)
        return false;
    for (i = 0; i < dims; i++) {
        const unsigned char *q = p + 4 + 4 * i;
        uint32_t u = (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3];
        float f;
        memcpy(&f, &u, sizeof(f));
        if (!isfinite(f))
            return false;
        out[i] = f;
    }
    return true;
}

/* The statement behind the candidates: with the vector list (its top
 * SEARCH_CANDIDATES by cosine, or none when the limit is 0, and every
 * candidate's cosine) or without it (the BM25 list's passages only, no
 * question vector, cosine NULL). */
static void candidates_sql(struct buf *sql, bool vector, const char *vt, size_t dims)
{
    if (!vector) {
        buf_puts(sql, "WITH ids AS (SELECT c.id FROM unnest($1::uuid[], $2::int[]) AS u(b, o) "
                      "  JOIN chunks c ON c.book_id = u.b AND c.ordinal = u.o) "
                      "SELECT c.id, b.id, b.title, array_to_json(b.authors)::text, ch.id, "
                      "  ch.number, ch.title, s.title, c.page_start, c.page_end, "
                      "  c.page_index_start, c.page_index_end, c.ordinal, "
                      "  array_to_json(c.domains)::text, c.text, NULL::float8, false "
                      "FROM ids JOIN chunks c ON c.id = ids.id JOIN books b ON b.id = c.book_id "
                      "LEFT JOIN chapters ch ON ch.id = c.chapter_id "
                      "LEFT JOIN sections s ON s.id = c.section_id");
        return;
    }
    buf_printf(
        sql,
        "WITH vec AS (SELECT c.id FROM chunks c "
        "  WHERE c.embedding IS NOT NULL AND ($2::text IS NULL OR c.domains @> ARRAY[$2::text]) "
        "  ORDER BY c.embedding::%1$s(%2$zu) <=> $1::%1$s(%2$zu) LIMIT $5), "
        "ids AS (SELECT id FROM vec UNION SELECT c.id FROM unnest($3::uuid[], $4::int[]) AS "
        "  u(b, o) JOIN chunks c ON c.book_id = u.b AND c.ordinal = u.o) "
        "SELECT c.id, b.id, b.title, array_to_json(b.authors)::text, ch.id, ch.number, ch.title, "
        "  s.title, c.page_start, c.page_end, c.page_index_start, c.page_index_end, c.ordinal, "
        "  array_to_json(c.domains)::text, c.text, "
        "  1 - (c.embedding::%1$s(%2$zu) <=> $1::%1$s(%2$zu)), "
        "  EXISTS (SELECT 1 FROM vec WHERE vec.id = c.id) "
        "FROM ids JOIN chunks c ON c.id = ids.id JOIN books b ON b.id = c.book_id "
        "LEFT JOIN chapters ch ON ch.id = c.chapter_id "
        "LEFT JOIN sections s ON s.id = c.section_id",
        vt, dims);
}

enum db_status retrieval_candidates(struct db *db, struct arena *a, const struct retrieval_query *q,
                                    struct passage_row **rows, size_t *n)
{
    struct buf sql = BUF_INIT;
    const char *params[5];
    char limit[16];
    PGresult *r;
    size_t i;

    *rows = NULL;
    *n = 0;
    candidates_sql(&sql, q->vector != NULL, q->type, q->dims);
    if (q->vector != NULL) {
        snprintf(limit, sizeof(limit), "%d", q->limit);
        params[0] = q->vector;
        params[1] = q->domain;
        params[2] = q->books;
        params[3] = q->ordinals;
        params[4] = limit;
        r = db_exec(db, buf_str(&sql), 5, params, true);
    } else {
        params[0] = q->books;
        params[1] = q->ordinals;
        r = db_exec(db, buf_str(&sql), 2, params, true);
    }
    buf_free(&sql);
    if (r == NULL)
        return DB_ERROR;
    *n = (size_t)PQntuples(r);
    *rows = arena_alloc(a, (*n ? *n : 1) * sizeof(**rows));
    for (i = 0; i < *n; i++) {
        struct passage_row *p = &(*rows)[i];
        int row = (int)i;
        const char *cos = db_value(r, row, 15);

        memset(p, 0, sizeof(*p));
        p->chunk_id = arena_strdup(a, PQgetvalue(r, row, 0));
        p->book_id = arena_strdup(a, PQgetvalue(r, row, 1));
        p->book_title = arena_strdup(a, PQgetvalue(r, row, 2));
        p->authors = json_strings(a, db_value(r, row, 3), &p->nauthors);
        p->chapter_id = db_arena_value(a, r, row, 4);
        p->chapter_number = db_arena_value(a, r, row, 5);
        p->chapter_title = db_arena_value(a, r, row, 6);
        p->section = db_arena_value(a, r, row, 7);
        p->page_start = arena_strdup(a, PQgetvalue(r, row, 8));
        p->page_end = arena_strdup(a, PQgetvalue(r, row, 9));
        p->page_index_start = atoi(PQgetvalue(r, row, 10));
        p->page_index_end = atoi(PQgetvalue(r, row, 11));
        p->ordinal = atoi(PQgetvalue(r, row, 12));
        p->domains = json_strings(a, db_value(r, row, 13), &p->ndomains);
        p->text = arena_strdup(a, PQgetvalue(r, row, 14));
        p->has_cosine = cos != NULL;
        p->cosine = cos ? strtod(cos, NULL) : 0;
        p->in_vector_list = strcmp(PQgetvalue(r, row, 16), "t") == 0;
    }
    PQclear(r);
    return DB_OK;
}

enum db_status retrieval_vectors(struct db *db, struct arena *a, const char *ids_literal,
                                 size_t dims, struct chunk_vector **rows, size_t *n)
{
    PGresult *r = db_exec_binary(db,
                                 "SELECT id::text, embedding::vector FROM chunks "
                                 "WHERE id = ANY($1::uuid[]) AND embedding IS NOT NULL",
                                 1, &ids_literal, true);
    size_t i;

    *rows = NULL;
    *n = 0;
    if (r == NULL)
        return DB_ERROR;
    *n = (size_t)PQntuples(r);
    *rows = arena_alloc(a, (*n ? *n : 1) * sizeof(**rows));
    for (i = 0; i < *n; i++) {
        struct chunk_vector *v = &(*rows)[i];
        v->id = arena_strndup(a, PQgetvalue(r, (int)i, 0), (size_t)PQgetlength(r, (int)i, 0));
        v->vec = arena_alloc(a, dims * sizeof(float));
        if (!vector_from_binary(PQgetvalue(r, (int)i, 1), (size_t)PQgetlength(r, (int)i, 1), dims,
                                v->vec))
            v->vec = NULL;
    }
    PQclear(r);
    return DB_OK;
}
