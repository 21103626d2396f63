/*
 * Cited pages and the page cache; see pages.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/citepage.h"
#include "db/conv_sql.h"

/* $1 message, $2 user or NULL, $3 share token digest or NULL, $4 n. */
/* clang-format off */
#define FIND_SQL                                                                                   \
    "SELECT x.cit::text, b.id, b.sha256, b.format, b.source_uri, b.title, "                        \
    "  ch.page_index_start, ch.page_index_end "                                                    \
    "FROM messages m JOIN conversations c ON c.id = m.conversation_id "                            \
    "CROSS JOIN LATERAL (SELECT e AS cit FROM jsonb_array_elements(m.citations) e "                \
    "  WHERE jsonb_typeof(e) = 'object' AND e->>'n' = $4 LIMIT 1) x "                             \
    "LEFT JOIN chunks ch ON ch.id = CASE WHEN x.cit->>'chunk_id' ~ "                               \
    "  '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' "                          \
    "  THEN (x.cit->>'chunk_id')::uuid END "                                                       \
    "LEFT JOIN books b ON b.id = ch.book_id "                                                      \
    "WHERE m.id = $1 AND m.role = 'assistant' AND ("                                               \
    "  ($3::text IS NULL AND c.user_id = $2::uuid) "                                               \
    "  OR ($3::text IS NOT NULL AND EXISTS (SELECT 1 FROM shares s "                               \
    "    JOIN users su ON su.id = s.created_by "                                                   \
    "    WHERE s.token_hash = $3 AND s.conversation_id = c.id AND s.revoked_at IS NULL "           \
    "      AND (s.expires_at IS NULL OR s.expires_at > now()) AND su.disabled_at IS NULL "         \
    "      AND " SQL_SHARE_SHOWS("s", "m") ")))"
/* clang-format on */

enum db_status cite_find(struct db *db, const char *message_id, int n, const struct exp_viewer *v,
                         struct arena *a, struct cite_source *out)
{
    char num[16];
    const char *params[4] = {message_id, v->user_id, v->share_hash, num};
    PGresult *res;

    memset(out, 0, sizeof(*out));
    if (v->user_id == NULL && v->share_hash == NULL)
        return DB_NOT_FOUND;
    snprintf(num, sizeof(num), "%d", n);
    res = db_exec(db, FIND_SQL, 4, params, true);
    if (res == NULL)
        return DB_ERROR;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return DB_NOT_FOUND;
    }
    out->citation_json = arena_strdup(a, PQgetvalue(res, 0, 0));
    if (db_value(res, 0, 1) != NULL) {
        out->has_book = true;
        snprintf(out->book_id, sizeof(out->book_id), "%s", PQgetvalue(res, 0, 1));
        snprintf(out->sha256, sizeof(out->sha256), "%s", PQgetvalue(res, 0, 2));
        snprintf(out->format, sizeof(out->format), "%s", PQgetvalue(res, 0, 3));
        out->source_uri = db_value(res, 0, 4) ? arena_strdup(a, PQgetvalue(res, 0, 4)) : NULL;
        out->book_title = arena_strdup(a, PQgetvalue(res, 0, 5));
        out->page_first = atoi(PQgetvalue(res, 0, 6));
        out->page_last = atoi(PQgetvalue(res, 0, 7));
    }
    PQclear(res);
    return DB_OK;
}

enum db_status pcache_note(struct db *db, const char *key, const char *book_id)
{
    const char *params[2] = {key, book_id};
    PGresult *res = db_exec(db,
                            "INSERT INTO page_cache (key, book_id) VALUES ($1, $2::uuid) "
                            "ON CONFLICT (key) DO UPDATE SET book_id = excluded.book_id, "
                            "  created_at = now()",
                            2, params, true);

    if (res == NULL)
        return DB_ERROR;
    PQclear(res);
    return DB_OK;
}

enum db_status pcache_sweep_list(struct db *db, char (*keys)[128], size_t max, size_t *n)
{
    char limit[24], days[16];
    const char *params[2] = {limit, days};
    PGresult *res;
    int i;

    *n = 0;
    snprintf(limit, sizeof(limit), "%zu", max);
    snprintf(days, sizeof(days), "%d", PCACHE_KEEP_DAYS);
    res = db_exec(db,
                  "SELECT key FROM page_cache WHERE book_id IS NULL "
                  "  OR created_at < now() - $2::int * interval '1 day' "
                  "ORDER BY created_at LIMIT $1::int",
                  2, params, true);
    if (res == NULL)
        return DB_ERROR;
    for (i = 0; i < PQntuples(res) && (size_t)i < max; i++)
        snprintf(keys[i], 128, "%s", PQgetvalue(res, i, 0));
    *n = (size_t)i;
    PQclear(res);
    return DB_OK;
}

enum db_status pcache_forget(struct db *db, const char *key)
{
    const char *params[1] = {key};
    PGresult *res = db_exec(db, "DELETE FROM page_cache WHERE key = $1", 1, params, true);

    if (res == NULL)
        return DB_ERROR;
    PQclear(res);
    return DB_OK;
}
