/*
 * POST /api/client-errors: the web app reports an uncaught browser error so
 * that operators see it in the same log stream as server errors.
 *
 * Body: {"message": string (required), "url": string, "stack": string,
 * "component": string}.  Fields are size-limited and logged escaped; any
 * other field, or a field of the wrong type, is a 400.  Answers 202.
 */
#include "config.h"

#include <string.h>

#include "http/handlers.h"
#include "http/request.h"
#include "http/response.h"
#include "util/log.h"

struct field_rule {
    const char *name;
    size_t max;
    bool required;
};

static const struct field_rule rules[] = {
    {"message", 2000, true},
    {"url", 2000, false},
    {"stack", 8000, false},
    {"component", 200, false},
};

#define NRULES (sizeof(rules) / sizeof(rules[0]))

void h_client_errors(struct request *req)
{
    const char *values[NRULES] = {NULL};
    json_object *body = request_json(req);
    size_t i;

    if (body == NULL)
        return;
    json_object_object_foreach (body, key, val) {
        for (i = 0; i < NRULES; i++)
            if (strcmp(key, rules[i].name) == 0)
                break;
        if (i == NRULES) {
            resp_error(req, 400, "unknown_field", "unknown field \"%.64s\"", key);
            return;
        }
        if (!json_object_is_type(val, json_type_string)) {
            resp_error(req, 400, "invalid_field", "field \"%s\" must be a string", key);
            return;
        }
        if ((size_t)json_object_get_string_len(val) > rules[i].max) {
            resp_error(req, 400, "invalid_field", "field \"%s\" is longer than %zu bytes", key,
                       rules[i].max);
            return;
        }
        values[i] = json_object_get_string(val);
    }
    for (i = 0; i < NRULES; i++) {
        if (rules[i].required && (values[i] == NULL || values[i][0] == '\0')) {
            resp_error(req, 400, "missing_field", "field \"%s\" is required", rules[i].name);
            return;
        }
    }
    LOG_FIELDS(LOG_WARN, "client error", LF_STR("client_message", values[0]),
               LF_STR("url", values[1]), LF_STR("stack", values[2]),
               LF_STR("component", values[3]));
    {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "accepted", json_object_new_boolean(1));
        resp_json(req, 202, o);
    }
}
