/*
 * Strict JSON object parsing; see json.h.
 */
#include "config.h"

#include <string.h>

#include "util/json.h"
#include "util/text.h"

/* True when the n bytes of valid JSON at s write a NUL character (the
 * escape \u0000) inside a string, key or value: json-c would keep it, and
 * every C string read from the object would end there ("right-password
 * \u0000anything" reads as the right password). */
static bool has_nul_escape(const char *s, size_t n)
{
    bool in_string = false;
    size_t i;

    for (i = 0; i < n; i++) {
        if (!in_string) {
            in_string = s[i] == '"';
        } else if (s[i] == '"') {
            in_string = false;
        } else if (s[i] == '\\' && i + 1 < n) {
            if (s[i + 1] == 'u' && i + 5 < n && memcmp(s + i + 2, "0000", 4) == 0)
                return true;
            i++; /* the escaped character: \\ or \" do not end anything */
        }
    }
    return false;
}

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
    if (has_nul_escape(s, n)) {
        json_object_put(obj);
        *why = "a string holds \\u0000 (NUL), which no field accepts";
        return NULL;
    }
    return obj;
}

void json_add_str(json_object *o, const char *key, const char *value)
{
    json_object_object_add(o, key, value ? json_object_new_string(value) : NULL);
}
