/*
 * Strict JSON object parsing; see json.h.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "util/json.h"
#include "util/text.h"

/* Checks the n bytes of valid UTF-8 at s for what json-c 0.16 accepts
 * even with JSON_TOKENER_STRICT: a key in single quotes ({'a':1}), and the
 * escape \u0000, which json-c keeps inside a string, key or value, though
 * every C string read from the object ends there ("right-password\u0000
 * anything" reads as the right password).  Strict JSON has no quote but "
 * outside a string, so a ' there is refused first; the scan of strings is
 * then exact.  Returns the reason, or NULL when neither is present. */
static const char *lenient_json(const char *s, size_t n)
{
    bool in_string = false;
    size_t i;

    for (i = 0; i < n; i++) {
        if (!in_string) {
            if (s[i] == '\'')
                return "not valid JSON";
            in_string = s[i] == '"';
        } else if (s[i] == '"') {
            in_string = false;
        } else if (s[i] == '\\' && i + 1 < n) {
            if (s[i + 1] == 'u' && i + 5 < n && memcmp(s + i + 2, "0000", 4) == 0)
                return "a string holds \\u0000 (NUL), which no field accepts";
            i++; /* the escaped character: \\ or \" do not end anything */
        }
    }
    return NULL;
}

/* True when a number under o is NaN or infinite: json-c 0.16's strict mode
 * still reads NaN and Infinity, which JSON does not have. */
static bool holds_non_finite(json_object *o)
{
    size_t i;

    switch (json_object_get_type(o)) {
    case json_type_double: return !isfinite(json_object_get_double(o));
    case json_type_array:
        for (i = 0; i < json_object_array_length(o); i++)
            if (holds_non_finite(json_object_array_get_idx(o, i)))
                return true;
        return false;
    case json_type_object: {
        json_object_object_foreach (o, key, value) {
            (void)key;
            if (holds_non_finite(value))
                return true;
        }
        return false;
    }
    default: return false;
    }
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
    if ((*why = lenient_json(s, n)) != NULL)
        return NULL;
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
    if (holds_non_finite(obj)) {
        json_object_put(obj);
        *why = "not valid JSON";
        return NULL;
    }
    return obj;
}

void json_add_str(json_object *o, const char *key, const char *value)
{
    json_object_object_add(o, key, value ? json_object_new_string(value) : NULL);
}
