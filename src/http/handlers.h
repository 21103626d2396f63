/*
 * Handlers, one file per resource (h_*.c).  Each takes the request, reads
 * what it needs through request.h and answers through response.h.
 */
#ifndef PLC_HTTP_HANDLERS_H
#define PLC_HTTP_HANDLERS_H

#include <stdbool.h>

struct request;

/* h_health.c: GET /health (the database), GET /health/live and
 * /health/ready (the worker answers; no database) */
void h_health(struct request *req);
void h_health_live(struct request *req);

/* h_client_errors.c: POST /api/client-errors */
void h_client_errors(struct request *req);

/* h_auth.c: POST /api/auth/login, POST /api/auth/logout,
 * GET /api/auth/providers */
void h_auth_login(struct request *req);
void h_auth_link(struct request *req);
/* The password-attempt throttle (src/db/logins.h) for email from the
 * client's address, shared by sign-in and password changes: true with
 * *attempt recorded (resolve it with login_attempt_end), or false after
 * setting 429 with Retry-After (or 503). */
bool auth_password_gate(struct request *req, const char *email, long long *attempt)
    __attribute__((nonnull));
void h_auth_logout(struct request *req);

/* ratelimit.c: applies the per-user coach limit (PLCCOACH_COACH_RATE_LIMIT
 * per hour, src/db/ratelimit.h) to the signed-in user of req.  Returns
 * true when the request may go on; otherwise it has set 429 with
 * Retry-After (or 503). */
bool ratelimit_coach(struct request *req) __attribute__((nonnull));

/* Whether the library holds a passage, and when it does and take is
 * true, ratelimit_coach() in the same round trip (an empty library takes
 * nothing).  Returns 1 when the request may go on, 0 when the library is
 * empty (nothing answered yet), -1 after an answer (429 with Retry-After,
 * or 503). */
int ratelimit_coach_library(struct request *req, bool take) __attribute__((nonnull));

/* ratelimit.c: takes one unit of the limit keyed by key (limit per
 * window_s seconds, src/db/ratelimit.h ratelimit_take_key).  Returns true
 * when the request may go on; otherwise it has set 429 "too many <what>
 * from here" with Retry-After (or 503). */
bool ratelimit_key(struct request *req, const char *key, long limit, long window_s,
                   const char *what) __attribute__((nonnull));

void h_auth_providers(struct request *req);

/* h_oidc.c: GET /api/auth/{provider}/login, GET /api/auth/{provider}/callback */
void h_oidc_login(struct request *req);
void h_oidc_callback(struct request *req);

/* h_me.c: GET /api/me, PATCH /api/me */
void h_me_get(struct request *req);
void h_me_patch(struct request *req);
void h_me_password(struct request *req);

/* h_admin.c: /api/admin/users, organizations, teams, audit (admins only) */
void h_admin_users(struct request *req);
void h_admin_user_create(struct request *req);
void h_admin_user_patch(struct request *req);
void h_admin_user_link(struct request *req);
void h_admin_orgs(struct request *req);
void h_admin_org_create(struct request *req);
void h_admin_teams(struct request *req);
void h_admin_team_create(struct request *req);
void h_admin_team_member(struct request *req);
void h_admin_team_coach(struct request *req);
void h_admin_team_people(struct request *req);
void h_admin_audit(struct request *req);

/* h_conversations.c: /api/conversations, /api/conversations/{id} */
void h_conversations_list(struct request *req);
void h_conversations_create(struct request *req);
void h_conversations_get(struct request *req);
void h_conversations_patch(struct request *req);
void h_conversations_delete(struct request *req);

/* h_feedback.c: POST /api/messages/{id}/feedback, /api/admin/feedback */
void h_feedback_put(struct request *req);
void h_admin_feedback_list(struct request *req);
void h_admin_feedback_resolve(struct request *req);

/* h_shares.c: /api/conversations/{id}/shares, GET /api/shared/{token} */
void h_shares_create(struct request *req);
void h_shares_list(struct request *req);
void h_shares_revoke(struct request *req);
void h_shared_get(struct request *req);
void h_shared_about(struct request *req);
void h_shared_copy(struct request *req);

/* h_analytics.c: GET /api/analytics, /api/analytics.csv, /api/analytics/scopes */
void h_analytics(struct request *req);
void h_analytics_csv(struct request *req);
void h_analytics_scopes(struct request *req);

/* h_userdata.c: GET /api/me/export, GET /api/admin/users/{id}/export,
 * DELETE /api/admin/users/{id} */
void h_me_export(struct request *req);
void h_admin_user_export(struct request *req);
void h_admin_user_delete(struct request *req);
/* h_exports.c: conversation exports, by the owner and through a share link */
void h_exports_create(struct request *req);
void h_exports_get(struct request *req);
void h_exports_file(struct request *req);
void h_shared_exports_create(struct request *req);
void h_shared_exports_get(struct request *req);
void h_shared_exports_file(struct request *req);

/* h_pages.c: the cited page (JSON and PNG), by the owner and through a share link */
void h_citation_get(struct request *req);
void h_citation_page(struct request *req);
void h_shared_citation_get(struct request *req);
void h_shared_citation_page(struct request *req);

/* h_search.c: GET /api/search (admins) */
void h_search(struct request *req);

/* h_books.c: /api/admin/books, /api/admin/jobs/{id} (admins) */
void h_books_upload(struct request *req);
void h_books_list(struct request *req);
void h_books_delete(struct request *req);
void h_jobs_get(struct request *req);
void h_jobs_delete(struct request *req);

/* h_coach.c: POST /api/coach/ask */
void h_coach_ask(struct request *req);

/* h_debug.c: GET /api/debug/sleep, GET /api/debug/stream (test only) */
void h_debug_sleep(struct request *req);
void h_debug_stream(struct request *req);
void h_debug_coach_quota(struct request *req);

#endif
