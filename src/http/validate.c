/*
 * JSON body validation; see validate.h.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "http/request.h"
#include "http/response.h"
#include "http/validate.h"
#include "util/arena.h"
#include "util/text.h"

json_object *body_optional(struct request *req)
{
    if (req->json == NULL && req->content_type == NULL && req->content_length <= 0) {
        req->json = json_object_new_object();
        return req->json;
    }
    return request_json(req);
}

bool body_only_fields(struct request *req, json_object *body, const char *const *allowed)
{
    json_object_object_foreach (body, key, val) {
        const char *const *a;
        (void)val;
        for (a = allowed; *a != NULL; a++)
            if (strcmp(*a, key) == 0)
                break;
        if (*a == NULL) {
            resp_error(req, 400, "unknown_field", "unknown field \"%.64s\"", key);
            return false;
        }
    }
    return true;
}

bool body_string(struct request *req, json_object *body, const char *key, size_t min, size_t max,
                 bool required, const char **out)
{
    json_object *val;
    size_t len;

    *out = NULL;
    if (!json_object_object_get_ex(body, key, &val) || val == NULL) {
        if (required) {
            resp_error(req, 400, "missing_field", "field \"%s\" is required", key);
            return false;
        }
        return true;
    }
    if (!json_object_is_type(val, json_type_string)) {
        resp_error(req, 400, "invalid_field", "field \"%s\" must be a string", key);
        return false;
    }
    len = (size_t)json_object_get_string_len(val);
    if (len < min || len > max) {
        resp_error(req, 400, "invalid_field", "field \"%s\" must be %zu to %zu bytes long", key,
                   min, max);
        return false;
    }
    *out = json_object_get_string(val);
    return true;
}

bool body_bool(struct request *req, json_object *body, const char *key, bool *out, bool *present)
{
    json_object *val;

    *present = false;
    if (!json_object_object_get_ex(body, key, &val) || val == NULL)
        return true;
    if (!json_object_is_type(val, json_type_boolean)) {
        resp_error(req, 400, "invalid_field", "field \"%s\" must be true or false", key);
        return false;
    }
    *out = json_object_get_boolean(val);
    *present = true;
    return true;
}

bool body_int(struct request *req, json_object *body, const char *key, int64_t min, int64_t max,
              int64_t *out, bool *present)
{
    json_object *val;
    int64_t v;

    *present = false;
    if (!json_object_object_get_ex(body, key, &val) || val == NULL)
        return true;
    /* json-c clamps integers beyond int64 to its limits; min/max are
     * always well inside them, so a clamped value is refused too. */
    if (!json_object_is_type(val, json_type_int) || (v = json_object_get_int64(val)) < min
        || v > max) {
        resp_error(req, 400, "invalid_field", "field \"%s\" must be an integer from %lld to %lld",
                   key, (long long)min, (long long)max);
        return false;
    }
    *out = v;
    *present = true;
    return true;
}

bool body_text(struct request *req, json_object *body, const char *key, size_t min_chars,
               size_t max_chars, bool multiline, bool required, const char **out)
{
    json_object *val;
    const char *s;
    size_t len, i, chars = 0;

    if (!body_string(req, body, key, 0, SIZE_MAX, required, &s))
        return false;
    *out = NULL;
    if (s == NULL)
        return true;
    /* The length from json-c, not strlen: a \u0000 escape counts (and is
     * refused as a control character). */
    (void)json_object_object_get_ex(body, key, &val);
    len = (size_t)json_object_get_string_len(val);
    for (i = 0; i < len; chars++) {
        unsigned char c = (unsigned char)s[i];
        size_t n = utf8_sequence_length(s + i, len - i);
        if (n == 0 || (c < 0x20 && !(multiline && (c == '\n' || c == '\r' || c == '\t')))
            || c == 0x7f) {
            resp_error(req, 400, "invalid_field", "field \"%s\" holds a control character", key);
            return false;
        }
        i += n;
    }
    if (chars < min_chars || chars > max_chars) {
        resp_error(req, 400, "invalid_field", "field \"%s\" must be %zu to %zu characters long",
                   key, min_chars, max_chars);
        return false;
    }
    *out = s;
    return true;
}

bool body_string_set(struct request *req, json_object *body, const char *key,
                     const char *const *allowed, const char ***out, size_t *n, bool *present)
{
    json_object *val;
    size_t len, i, j, nallowed = 0;
    const char **items;

    *n = 0;
    *out = NULL;
    *present = false;
    if (!json_object_object_get_ex(body, key, &val) || val == NULL)
        return true;
    while (allowed[nallowed] != NULL)
        nallowed++;
    if (!json_object_is_type(val, json_type_array)) {
        resp_error(req, 400, "invalid_field", "field \"%s\" must be an array of strings", key);
        return false;
    }
    len = json_object_array_length(val);
    if (len > nallowed) {
        resp_error(req, 400, "invalid_field", "field \"%s\" repeats an item", key);
        return false;
    }
    items = arena_alloc(&req->arena, (len ? len : 1) * sizeof(*items));
    for (i = 0; i < len; i++) {
        json_object *item = json_object_array_get_idx(val, i);
        const char *s;
        if (!json_object_is_type(item, json_type_string)) {
            resp_error(req, 400, "invalid_field", "field \"%s\" must be an array of strings", key);
            return false;
        }
        s = json_object_get_string(item);
        for (j = 0; j < nallowed; j++)
            if (strcmp(allowed[j], s) == 0)
                break;
        if (j == nallowed) {
            resp_error(req, 400, "invalid_field", "field \"%s\": \"%.64s\" is not allowed", key, s);
            return false;
        }
        items[i] = allowed[j];
        for (j = 0; j < i; j++) {
            if (items[j] == items[i]) {
                resp_error(req, 400, "invalid_field", "field \"%s\" repeats an item", key);
                return false;
            }
        }
    }
    *out = items;
    *n = len;
    *present = true;
    return true;
}

bool query_only_params(struct request *req, const char *const *allowed)
{
    size_t i, j;

    for (i = 0; i < req->nquery; i++) {
        const char *const *a;
        const char *name = req->query_params[i].name;
        for (a = allowed; *a != NULL; a++)
            if (strcmp(*a, name) == 0)
                break;
        if (*a == NULL) {
            resp_error(req, 400, "invalid_parameter", "unknown query parameter \"%.64s\"", name);
            return false;
        }
        for (j = 0; j < i; j++) {
            if (strcmp(req->query_params[j].name, name) == 0) {
                resp_error(req, 400, "invalid_parameter", "query parameter \"%s\" is repeated",
                           name);
                return false;
            }
        }
    }
    return true;
}

bool query_int(struct request *req, const char *name, int64_t min, int64_t max, int64_t def,
               int64_t *out)
{
    const char *s = request_query(req, name);

    if (s == NULL) {
        *out = def;
        return true;
    }
    if (!parse_int64(s, min, max, out)) {
        resp_error(req, 400, "invalid_parameter", "%s must be an integer from %lld to %lld", name,
                   (long long)min, (long long)max);
        return false;
    }
    return true;
}

bool query_enum(struct request *req, const char *name, const char *const *allowed, const char *def,
                const char **out)
{
    const char *s = request_query(req, name);
    const char *const *a;

    if (s == NULL) {
        *out = def;
        return true;
    }
    for (a = allowed; *a != NULL; a++) {
        if (strcmp(*a, s) == 0) {
            *out = *a;
            return true;
        }
    }
    resp_error(req, 400, "invalid_parameter", "%s must be one of the documented values", name);
    return false;
}

/* True when s is exactly YYYY-MM-DD naming a real day of years 1-9999. */
static bool date_valid(const char *s)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = 0, m, d, i, max;

    for (i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            if (s[i] != '-')
                return false;
        } else if (s[i] < '0' || s[i] > '9') {
            return false;
        }
    }
    if (s[10] != '\0')
        return false;
    for (i = 0; i < 4; i++)
        y = y * 10 + (s[i] - '0');
    m = (s[5] - '0') * 10 + (s[6] - '0');
    d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1 || m < 1 || m > 12)
        return false;
    max = mdays[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        max = 29;
    return d >= 1 && d <= max;
}

bool query_date(struct request *req, const char *name, char out[11], bool *present)
{
    const char *s = request_query(req, name);

    out[0] = '\0';
    *present = false;
    if (s == NULL)
        return true;
    if (!date_valid(s)) {
        resp_error(req, 400, "invalid_parameter", "%s must be a date written YYYY-MM-DD", name);
        return false;
    }
    memcpy(out, s, 11);
    *present = true;
    return true;
}

const char *route_uuid(struct request *req, const char *name, const char *what)
{
    const char *id = request_param(req, name);

    if (id == NULL || !is_uuid(id)) {
        resp_error(req, 404, "not_found", "no such %s", what);
        return NULL;
    }
    return id;
}
