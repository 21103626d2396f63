/*
 * Strict JSON parsing for untrusted bytes, shared by request bodies and the
 * sign-in code (ID tokens, JWKS, discovery documents, token responses).
 */
#ifndef PLC_UTIL_JSON_H
#define PLC_UTIL_JSON_H

#include <json-c/json.h>
#include <stddef.h>

/* Parses n bytes that must hold exactly one JSON object: valid UTF-8
 * without NUL, no NUL written as \u0000 in any string, strict JSON (no
 * comments, single quotes, trailing commas, NaN or Infinity), nested at
 * most max_depth, nothing but whitespace after it.  Returns the object (caller
 * json_object_put()s it) or NULL with a static reason in *why ("not valid
 * JSON", "JSON nested too deeply", ...).  An empty input is refused with
 * "empty". */
json_object *json_parse_object_strict(const char *s, size_t n, int max_depth, const char **why)
    __attribute__((nonnull(4), warn_unused_result));

/* Adds key to o: the string value, or JSON null when value is NULL. */
void json_add_str(json_object *o, const char *key, const char *value)
    __attribute__((nonnull(1, 2)));

#endif
