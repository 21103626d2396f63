/*
 * The route table; see routes.h.
 */
#include "config.h"

#include "auth/roles.h"
#include "http/handlers.h"
#include "http/routes.h"
#include "http/session.h"

const struct route app_routes[] = {
    {"GET", "/health", h_health, ROUTE_PUBLIC, ROLE_ANY,
     "Deep health: the worker and its database answer"},
    {"GET", "/health/live", h_health_live, ROUTE_PUBLIC, ROLE_ANY,
     "Liveness (the container's check): a worker answers; never asks the database"},
    {"GET", "/health/ready", h_health_live, ROUTE_PUBLIC, ROLE_ANY,
     "Readiness (the load balancer's check): a worker answers; never asks the database"},
    {"POST", "/api/client-errors", h_client_errors, ROUTE_PUBLIC, ROLE_ANY,
     "Report a browser-side error to the server log"},
    {"GET", "/api/auth/providers", h_auth_providers, ROUTE_PUBLIC, ROLE_ANY,
     "The ways to sign in that this installation offers"},
    {"GET", "/api/auth/{provider}/login", h_oidc_login, ROUTE_PUBLIC, ROLE_ANY,
     "Start single sign-on: redirect to the OpenID provider (state, nonce, PKCE)"},
    {"GET", "/api/auth/{provider}/callback", h_oidc_callback, ROUTE_PUBLIC, ROLE_ANY,
     "Finish single sign-on: verify the provider's answer, start a session, redirect"},
    {"POST", "/api/auth/login", h_auth_login, ROUTE_CSRF, ROLE_ANY,
     "Sign in with email and password (local accounts)"},
    {"POST", "/api/auth/link", h_auth_link, ROUTE_CSRF, ROLE_ANY,
     "Sign in with a one-time sign-in link's token (from the link's fragment)"},
    {"POST", "/api/auth/logout", h_auth_logout, ROUTE_AUTH | ROUTE_CSRF, ROLE_ANY,
     "End the current session"},
    {"GET", "/api/me", h_me_get, ROUTE_AUTH, ROLE_ANY,
     "The signed-in user's profile and CSRF token"},
    {"PATCH", "/api/me", h_me_patch, ROUTE_AUTH | ROUTE_CSRF, ROLE_ANY,
     "Change the signed-in user's display name"},
    {"PUT", "/api/me/password", h_me_password, ROUTE_AUTH | ROUTE_CSRF, ROLE_ANY,
     "Set a first password, or change it with the current one; other sessions end (audited)"},
    {"GET", "/api/me/export", h_me_export, ROUTE_AUTH, ROLE_ANY,
     "The signed-in user's data as a ZIP, recorded as a disclosure"},
#define ADMIN ROUTE_AUTH, ROLE_ADMIN
#define ADMIN_CHANGE ROUTE_AUTH | ROUTE_CSRF, ROLE_ADMIN
    {"GET", "/api/admin/users", h_admin_users, ADMIN, "List users (search, keyset pages)"},
    {"POST", "/api/admin/users", h_admin_user_create, ADMIN_CHANGE,
     "Add a person: a local account and a one-time sign-in link to hand over (audited)"},
    {"PATCH", "/api/admin/users/{id}", h_admin_user_patch, ADMIN_CHANGE,
     "Change a user's role (locked against sign-in changes), organization or disabled state"},
    {"POST", "/api/admin/users/{id}/sign-in-link", h_admin_user_link, ADMIN_CHANGE,
     "A new one-time sign-in link for a local account (audited)"},
    {"GET", "/api/admin/users/{id}/export", h_admin_user_export, ADMIN,
     "A person's data as a ZIP (profile, conversations, feedback, shares, audit entries), "
     "recorded as a disclosure"},
    {"DELETE", "/api/admin/users/{id}", h_admin_user_delete, ADMIN_CHANGE,
     "Erase a person and everything that is theirs; the audit log keeps a pseudonymous record"},
    {"GET", "/api/admin/organizations", h_admin_orgs, ADMIN, "List districts and schools"},
    {"POST", "/api/admin/organizations", h_admin_org_create, ADMIN_CHANGE,
     "Create a district or a school"},
    {"GET", "/api/admin/teams", h_admin_teams, ADMIN, "List teams with member counts and coaches"},
    {"POST", "/api/admin/teams", h_admin_team_create, ADMIN_CHANGE, "Create a team"},
    {"PUT", "/api/admin/teams/{id}/members/{user_id}", h_admin_team_member, ADMIN_CHANGE,
     "Add a user to a team"},
    {"DELETE", "/api/admin/teams/{id}/members/{user_id}", h_admin_team_member, ADMIN_CHANGE,
     "Remove a user from a team"},
    {"PUT", "/api/admin/teams/{id}/coaches/{user_id}", h_admin_team_coach, ADMIN_CHANGE,
     "Assign a coach to a team"},
    {"DELETE", "/api/admin/teams/{id}/coaches/{user_id}", h_admin_team_coach, ADMIN_CHANGE,
     "Unassign a coach from a team"},
    {"GET", "/api/admin/teams/{id}/people", h_admin_team_people, ADMIN,
     "A team's members and coaches"},
    {"GET", "/api/admin/audit", h_admin_audit, ADMIN, "Page through the audit log, newest first"},
    {"POST", "/api/admin/books", h_books_upload, ADMIN_CHANGE,
     "Upload a book (the file as the body) and queue its ingestion"},
    {"GET", "/api/admin/books", h_books_list, ADMIN, "The library's books and the latest jobs"},
    {"DELETE", "/api/admin/books/{id}", h_books_delete, ADMIN_CHANGE,
     "Remove a book with its chapters and chunks (audited)"},
    {"GET", "/api/admin/jobs/{id}", h_jobs_get, ADMIN, "One ingestion job: status and error"},
    {"DELETE", "/api/admin/jobs/{id}", h_jobs_delete, ADMIN_CHANGE,
     "Delete a failed ingestion job, with its upload when nothing else needs it (audited)"},
#undef ADMIN
#undef ADMIN_CHANGE
#define MINE ROUTE_AUTH, ROLE_ANY
#define MINE_CHANGE ROUTE_AUTH | ROUTE_CSRF, ROLE_ANY
    {"GET", "/api/conversations", h_conversations_list, MINE,
     "List the caller's conversations, newest first: keyword and date search, archive filter, "
     "cursor pages"},
    {"POST", "/api/conversations", h_conversations_create, MINE_CHANGE,
     "Start an empty conversation, optionally titled"},
    {"GET", "/api/conversations/{id}", h_conversations_get, MINE,
     "One of the caller's conversations with its messages, oldest first"},
    {"PATCH", "/api/conversations/{id}", h_conversations_patch, MINE_CHANGE,
     "Rename, archive or unarchive one of the caller's conversations"},
    {"DELETE", "/api/conversations/{id}", h_conversations_delete, MINE_CHANGE,
     "Delete one of the caller's conversations with its messages (audited)"},
    {"POST", "/api/conversations/{id}/shares", h_shares_create, MINE_CHANGE,
     "Make a view-only link to one of the caller's conversations, optionally expiring (audited)"},
    {"GET", "/api/conversations/{id}/shares", h_shares_list, MINE,
     "List the share links of one of the caller's conversations (without tokens)"},
    {"DELETE", "/api/conversations/{id}/shares/{share_id}", h_shares_revoke, MINE_CHANGE,
     "Revoke a share link (audited)"},
    {"POST", "/api/messages/{id}/feedback", h_feedback_put, MINE_CHANGE,
     "Rate one of the coach's answers in the caller's conversations: up/down, reasons, "
     "comment, flag for review"},
    {"GET", "/api/shared/{token}", h_shared_get, ROUTE_PUBLIC | ROUTE_SECRET_PATH, ROLE_ANY,
     "A shared conversation, view-only (sign-in required unless PLCCOACH_SHARE_PUBLIC)"},
    {"GET", "/api/shared/{token}/about", h_shared_about, ROUTE_PUBLIC | ROUTE_SECRET_PATH, ROLE_ANY,
     "Who shared what, until when: what a recipient who is not signed in is told"},
    {"POST", "/api/shared/{token}/copy", h_shared_copy, ROUTE_AUTH | ROUTE_CSRF | ROUTE_SECRET_PATH,
     ROLE_ANY, "Copy a shared conversation into the caller's own history (audited)"},
/* Exports and cited pages (h_exports.c, h_pages.c): the owner's, and a share link's */
#define SHARED ROUTE_PUBLIC | ROUTE_SECRET_PATH, ROLE_ANY
    {"POST", "/api/conversations/{id}/exports", h_exports_create, MINE_CHANGE,
     "Export one of the caller's conversations as PDF, Markdown or text (audited)"},
    {"GET", "/api/exports/{id}", h_exports_get, MINE, "An export's status and download URL"},
    {"GET", "/api/exports/{id}/file", h_exports_file, MINE, "Download an export's file"},
    {"POST", "/api/shared/{token}/exports", h_shared_exports_create,
     ROUTE_PUBLIC | ROUTE_CSRF | ROUTE_SECRET_PATH, ROLE_ANY,
     "Export what a share link shows (audited)"},
    {"GET", "/api/shared/{token}/exports/{id}", h_shared_exports_get, SHARED,
     "An export made through a share link: status and download URL"},
    {"GET", "/api/shared/{token}/exports/{id}/file", h_shared_exports_file, SHARED,
     "Download an export made through a share link"},
    {"GET", "/api/messages/{id}/citations/{n}", h_citation_get, MINE,
     "A citation of one of the caller's answers: its pages with their text"},
    {"GET", "/api/messages/{id}/citations/{n}/page", h_citation_page, MINE,
     "A cited page as a PNG image with the quoted passage highlighted"},
    {"GET", "/api/shared/{token}/messages/{id}/citations/{n}", h_shared_citation_get, SHARED,
     "A citation of an answer a share link shows: its pages with their text"},
    {"GET", "/api/shared/{token}/messages/{id}/citations/{n}/page", h_shared_citation_page, SHARED,
     "A cited page of an answer a share link shows, as a PNG image"},
#undef SHARED
    {"GET", "/api/admin/feedback", h_admin_feedback_list, ROUTE_AUTH, ROLE_ADMIN,
     "List flagged answers with the question before each, newest first (admins)"},
    {"POST", "/api/admin/feedback/{message_id}/resolve", h_admin_feedback_resolve,
     ROUTE_AUTH | ROUTE_CSRF, ROLE_ADMIN,
     "Resolve a flagged answer with an optional note (audited)"},
    {"POST", "/api/coach/ask", h_coach_ask, ROUTE_AUTH | ROUTE_CSRF | ROUTE_STREAM, ROLE_ANY,
     "Ask the coach: a cited answer, a clarifying question or a refusal, streamed as server-sent "
     "events on request (rate limited per user)"},
#undef MINE
#undef MINE_CHANGE
    {"GET", "/api/analytics", h_analytics, ROUTE_AUTH, ROLE_ANY,
     "Usage of the coach by the caller, a team, a school or a district: aggregates only, "
     "figures of fewer than 5 people hidden (coach and admin reads audited)"},
    {"GET", "/api/analytics.csv", h_analytics_csv, ROUTE_AUTH, ROLE_ANY,
     "One table of an analytics report as CSV"},
    {"GET", "/api/analytics/scopes", h_analytics_scopes, ROUTE_AUTH, ROLE_ANY,
     "The groups whose analytics the caller may see"},
    {"GET", "/api/search", h_search, ROUTE_AUTH, ROLE_ADMIN,
     "Search the library as the coach does: hybrid retrieval, best first (admins)"},
    {"GET", "/api/debug/sleep", h_debug_sleep, ROUTE_DEBUG, ROLE_ANY,
     "Test only: answer after a delay"},
    {"GET", "/api/debug/stream", h_debug_stream, ROUTE_DEBUG | ROUTE_STREAM, ROLE_ANY,
     "Test only: stream server-sent events at an interval"},
    {"POST", "/api/debug/coach-quota", h_debug_coach_quota, ROUTE_DEBUG | ROUTE_AUTH | ROUTE_CSRF,
     ROLE_ANY, "Test only: take one unit of the coach rate limit"},
};

const size_t app_routes_count = sizeof(app_routes) / sizeof(app_routes[0]);

static const struct router router = {app_routes, sizeof(app_routes) / sizeof(app_routes[0]),
                                     auth_guard};

const struct router *app_router(void)
{
    return &router;
}
