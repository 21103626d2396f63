/*
 * The application's route table (routes.c): the one place that says which
 * handler serves which method and path.  docs/openapi.yaml mirrors it.
 */
#ifndef PLC_HTTP_ROUTES_H
#define PLC_HTTP_ROUTES_H

#include "http/router.h"

extern const struct route app_routes[];
extern const size_t app_routes_count;

/* Returns the application router (table plus the guard, when one exists). */
const struct router *app_router(void);

#endif
