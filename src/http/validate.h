/*
 * Validation of JSON request bodies: allowed fields, typed and bounded
 * strings.  Each function sets a 400 error envelope naming the field and
 * returns false when the body does not fit.
 */
#ifndef PLC_HTTP_VALIDATE_H
#define PLC_HTTP_VALIDATE_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct request;

/* Returns the JSON object body like request_json(), except that a request
 * with no body at all (no Content-Type, no or zero Content-Length) counts
 * as {}: for POSTs whose fields are all optional.  The object belongs to
 * the request; NULL after setting an error. */
json_object *body_optional(struct request *req) __attribute__((nonnull, warn_unused_result));

/* Refuses any field not named in allowed (NULL-terminated). */
bool body_only_fields(struct request *req, json_object *body, const char *const *allowed)
    __attribute__((nonnull, warn_unused_result));

/* Reads a string field of min..max bytes (after trimming nothing: the
 * caller decides).  Absent: *out = NULL, and false (400) when required.
 * The string belongs to body. */
bool body_string(struct request *req, json_object *body, const char *key, size_t min, size_t max,
                 bool required, const char **out) __attribute__((nonnull, warn_unused_result));

/* Reads a boolean field; absent leaves *out unchanged and *present false. */
bool body_bool(struct request *req, json_object *body, const char *key, bool *out, bool *present)
    __attribute__((nonnull, warn_unused_result));

/* Reads an integer field within [min, max].  Absent (or null) leaves *out
 * unchanged and *present false; a fraction, a string or a value out of
 * range is a 400. */
bool body_int(struct request *req, json_object *body, const char *key, int64_t min, int64_t max,
              int64_t *out, bool *present) __attribute__((nonnull, warn_unused_result));

/* Reads a string field of min_chars..max_chars characters (code points;
 * request bodies are valid UTF-8) holding no control character, except
 * newline, carriage return and tab when multiline.  Absent: *out = NULL,
 * and false (400) when required.  The string belongs to body. */
bool body_text(struct request *req, json_object *body, const char *key, size_t min_chars,
               size_t max_chars, bool multiline, bool required, const char **out)
    __attribute__((nonnull, warn_unused_result));

/* Reads an array of distinct strings, each one of allowed (NULL-
 * terminated).  *out receives an array of *n pointers into allowed, in the
 * order sent, allocated in the request's arena.  Absent (or null): *n = 0
 * and *present false. */
bool body_string_set(struct request *req, json_object *body, const char *key,
                     const char *const *allowed, const char ***out, size_t *n, bool *present)
    __attribute__((nonnull, warn_unused_result));

/* Query parameters.  Each sets a 400 invalid_parameter naming the
 * parameter and returns false when the request does not fit. */

/* Refuses a parameter not named in allowed (NULL-terminated) and a
 * parameter given more than once. */
bool query_only_params(struct request *req, const char *const *allowed)
    __attribute__((nonnull, warn_unused_result));

/* Reads an integer parameter within [min, max]; def when absent. */
bool query_int(struct request *req, const char *name, int64_t min, int64_t max, int64_t def,
               int64_t *out) __attribute__((nonnull, warn_unused_result));

/* Reads a parameter that must be one of allowed (NULL-terminated); def
 * when absent.  *out points into allowed (or is def). */
bool query_enum(struct request *req, const char *name, const char *const *allowed, const char *def,
                const char **out) __attribute__((nonnull, warn_unused_result));

/* Reads a calendar date YYYY-MM-DD (years 0001-9999, real days only) into
 * out.  Absent: *present false and out empty. */
bool query_date(struct request *req, const char *name, char out[11], bool *present)
    __attribute__((nonnull, warn_unused_result));

/* Returns the route parameter name when it is a canonical UUID; otherwise
 * answers 404 "no such <what>" (a malformed id is as unknown as a missing
 * one) and returns NULL. */
const char *route_uuid(struct request *req, const char *name, const char *what)
    __attribute__((nonnull, warn_unused_result));

#endif
