/*
 * Test-only routes, present only with PLCCOACH_DEBUG_ROUTES=true (the
 * router hides them otherwise).  The integration tests use them to hold a
 * worker busy (drain on SIGTERM) and to watch events arrive one by one
 * through nginx (SSE pass-through).
 *
 * GET /api/debug/sleep?ms=N            (0-30000)  -> {"slept_ms":N}
 * GET /api/debug/stream?events=N&interval_ms=M  -> N `tick` events, then `done`
 * POST /api/debug/coach-quota (signed in)        -> takes one unit of the
 *     coach rate limit, which the coach's ask route applies the same way
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "db/ratelimit.h"
#include "http/handlers.h"
#include "http/request.h"
#include "http/response.h"
#include "http/validate.h"
#include "util/retry.h"
#include "util/text.h"

void h_debug_sleep(struct request *req)
{
    int64_t ms;
    json_object *o;

    if (!query_int(req, "ms", 0, 30000, 1000, &ms))
        return;
    sleep_ms(ms);
    o = json_object_new_object();
    json_object_object_add(o, "slept_ms", json_object_new_int64(ms));
    resp_json(req, 200, o);
}

void h_debug_stream(struct request *req)
{
    int64_t events, interval, i;
    char data[64];

    if (!query_int(req, "events", 1, 100, 3, &events)
        || !query_int(req, "interval_ms", 0, 10000, 200, &interval))
        return;
    if (!resp_sse_begin(req))
        return;
    for (i = 1; i <= events; i++) {
        if (i > 1)
            sleep_ms(interval);
        snprintf(data, sizeof(data), "{\"n\":%lld}", (long long)i);
        if (!resp_sse_event(req, "tick", data))
            return;
    }
    resp_sse_event(req, "done", "{}");
}

void h_debug_coach_quota(struct request *req)
{
    json_object *o;

    if (!ratelimit_coach(req))
        return;
    o = json_object_new_object();
    json_object_object_add(o, "allowed", json_object_new_boolean(1));
    resp_json(req, 200, o);
}
