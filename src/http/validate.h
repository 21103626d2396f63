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

struct request;

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

#endif
