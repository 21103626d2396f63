/*
 * Strict JSON object parsing; see json.h.
 */
#include "config.h"

#include "util/json.h"
#include "util/text.h"

json_object *json_parse_object_strict(const char *s, size_t n, int max_depth, const char **why)
{
    struct json_tokener *tok;
    json_object *obj;
    size_t end;

    if (s == NULL || n == 0) {
        *why = "empty";
        return NULL;
    }
    if (!utf8_valid(s, n)) {
        *why = "not valid UTF-8";
        return NULL;
    }
    tok = json_tokener_new_ex(max_depth);
    if (tok == NULL) {
        *why = "out of memory";
        return NULL;
    }
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
    obj = json_tokener_parse_ex(tok, s, (int)n);
    if (obj == NULL) {
        *why = json_tokener_get_error(tok) == json_tokener_error_depth ? "JSON nested too deeply"
                                                                       : "not valid JSON";
        json_tokener_free(tok);
        return NULL;
    }
    end = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    while (end < n && (s[end] == ' ' || s[end] == '\t' || s[end] == '\r' || s[end] == '\n'))
        end++;
    if (end != n) {
        json_object_put(obj);
        *why = "unexpected bytes after the JSON value";
        return NULL;
    }
    if (!json_object_is_type(obj, json_type_object)) {
        json_object_put(obj);
        *why = "not a JSON object";
        return NULL;
    }
    return obj;
}

void json_add_str(json_object *o, const char *key, const char *value)
{
    json_object_object_add(o, key, value ? json_object_new_string(value) : NULL);
}
