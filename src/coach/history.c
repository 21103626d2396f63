/*
 * The previous answer's cited passages; see history.h.
 */
#include "config.h"

#include <json-c/json.h>
#include <string.h>

#include "coach/history.h"
#include "db/books.h"
#include "db/status.h"
#include "library/search.h"
#include "util/arena.h"

size_t history_cited_ids(const char *citations, struct arena *a, const char **ids, size_t max)
{
    json_object *arr;
    size_t i, j, n = 0, len;

    if (citations == NULL)
        return 0;
    arr = json_tokener_parse(citations);
    if (arr == NULL || !json_object_is_type(arr, json_type_array)) {
        json_object_put(arr);
        return 0;
    }
    len = json_object_array_length(arr);
    for (i = 0; i < len && n < max; i++) {
        json_object *c = json_object_array_get_idx(arr, i), *v;
        const char *id;
        bool seen = false;
        if (!json_object_is_type(c, json_type_object)
            || !json_object_object_get_ex(c, "chunk_id", &v)
            || !json_object_is_type(v, json_type_string))
            continue;
        id = json_object_get_string(v);
        for (j = 0; j < n && !seen; j++)
            seen = strcmp(ids[j], id) == 0;
        if (!seen)
            ids[n++] = arena_strdup(a, id);
    }
    json_object_put(arr);
    return n;
}

bool history_cited(struct db *db, struct arena *a, const char *citations, struct search_hit **hits,
                   size_t *n)
{
    const char *ids[HISTORY_MAX_CITED];
    size_t nids = history_cited_ids(citations, a, ids, HISTORY_MAX_CITED), np = 0, i;
    struct chunk_place *places = NULL;

    *hits = NULL;
    *n = 0;
    if (nids == 0)
        return true;
    if (chunk_places(db, a, ids, nids, &places, &np) != DB_OK)
        return false;
    *hits = arena_alloc(a, (np > 0 ? np : 1) * sizeof(**hits));
    memset(*hits, 0, (np > 0 ? np : 1) * sizeof(**hits));
    for (i = 0; i < np; i++) {
        (*hits)[i].chunk_id = places[i].chunk_id;
        (*hits)[i].book_id = places[i].book_id;
        (*hits)[i].chapter_id = places[i].chapter_id;
        (*hits)[i].page_index_start = places[i].page_index_start;
        (*hits)[i].page_index_end = places[i].page_index_end;
    }
    *n = np;
    return true;
}
