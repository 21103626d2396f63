/*
 * POST /api/client-errors: the web app reports an uncaught browser error so
 * that operators see it in the same log stream as server errors.
 *
 * Body: {"message": string (required), "url": string, "stack": string,
 * "component": string}.  Fields are size-limited and logged escaped; any
 * other field, or a field of the wrong type, is a 400.  Answers 202.
 */
#include "config.h"

#include "http/handlers.h"
#include "http/request.h"
#include "http/response.h"
#include "http/validate.h"
#include "util/log.h"

void h_client_errors(struct request *req)
{
    static const char *const fields[] = {"message", "url", "stack", "component", NULL};
    const char *message, *url, *stack, *component;
    json_object *body = request_json(req), *o;

    if (body == NULL || !body_only_fields(req, body, fields)
        || !body_string(req, body, "message", 1, 2000, true, &message)
        || !body_string(req, body, "url", 0, 2000, false, &url)
        || !body_string(req, body, "stack", 0, 8000, false, &stack)
        || !body_string(req, body, "component", 0, 200, false, &component))
        return;
    LOG_FIELDS(LOG_WARN, "client error", LF_STR("client_message", message), LF_STR("url", url),
               LF_STR("stack", stack), LF_STR("component", component));
    o = json_object_new_object();
    json_object_object_add(o, "accepted", json_object_new_boolean(1));
    resp_json(req, 202, o);
}
