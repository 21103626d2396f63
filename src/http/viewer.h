/*
 * Who is asking, for the routes that serve a conversation's derived
 * files (exports, cited pages) to its owner and to holders of its share
 * links: struct exp_viewer (db/exports.h) filled from the request.
 */
#ifndef PLC_HTTP_VIEWER_H
#define PLC_HTTP_VIEWER_H

#include <stdbool.h>

#include "auth/token.h"
#include "db/exports.h"

struct request;

/* The signed-in caller (routes with ROUTE_AUTH): v->user_id. */
void viewer_owner(struct request *req, struct exp_viewer *v) __attribute__((nonnull));

/* Takes one look-up of a share link from the client's address: the
 * PLCCOACH_SHARE_LINK_LIMIT a minute that every /api/shared/{token}
 * route shares, whatever the token.  Returns false after a 429 with
 * Retry-After (or a 503). */
bool viewer_share_throttle(struct request *req) __attribute__((nonnull));

/* A request through the share link in the {token} route parameter: hash
 * receives the token's digest and v names it, with the caller when signed
 * in.  Like GET /api/shared/{token}, a signed-out caller gets 401 unless
 * PLCCOACH_SHARE_PUBLIC, and a malformed token the same 404 as an unknown
 * one; then one look-up of the link limit (viewer_share_throttle: 429
 * beyond it).  change: a state change, so a signed-in caller must send the
 * session's X-CSRF-Token (the router has checked Origin).  Returns false
 * after setting the error. */
bool viewer_share(struct request *req, char hash[SHA256_HEX_LEN + 1], struct exp_viewer *v,
                  bool change) __attribute__((nonnull));

#endif
