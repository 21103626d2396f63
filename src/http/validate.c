/*
 * JSON body validation; see validate.h.
 */
#include "config.h"

#include <string.h>

#include "http/request.h"
#include "http/response.h"
#include "http/validate.h"

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
