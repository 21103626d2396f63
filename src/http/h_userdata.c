/*
 * Data rights (issue 14, docs/privacy.md).
 *
 * GET    /api/me/export                 the caller's data as a ZIP
 * GET    /api/admin/users/{id}/export   a person's data as a ZIP (admins)
 * DELETE /api/admin/users/{id}          erase a person (admins)
 *
 * The ZIP holds a README, the profile, every conversation as JSON and as
 * PDF (the exports' renderer, src/export/export.h), the
 * feedback, the share links, the audit entries by or about the person and
 * their usage counts; it is read from one snapshot and recorded as a
 * disclosure (user.export) in that snapshot's transaction before a byte
 * of it is sent.  Erasure is src/jobs/lifecycle.h.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth/session.h"
#include "db/db.h"
#include "db/userdata.h"
#include "export/export.h"
#include "export/make.h"
#include "http/handlers.h"
#include "http/request.h"
#include "http/response.h"
#include "http/validate.h"
#include "jobs/lifecycle.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/log.h"
#include "util/zipw.h"

#define EXPORT_MAX_BYTES ((size_t)512 * 1024 * 1024) /* the largest archive built */

static const char readme_text[] =
    "What is in this archive\n"
    "=======================\n"
    "\n"
    "profile.json        the account: name, email, role, organization, the sign-in\n"
    "                    accounts linked to it, teams, and the sessions open now\n"
    "conversations/      every conversation kept, as JSON (the questions, the\n"
    "                    coach's answers with their citations: book, chapter,\n"
    "                    pages, the quoted passage; and the feedback given on\n"
    "                    them) and as PDF (the same conversation, to print)\n"
    "feedback.json       every rating given, with reasons, comments and flags\n"
    "shares.json         the view-only links made to conversations (the links\n"
    "                    themselves are never stored, so they cannot be shown)\n"
    "audit.json          the audit log entries about this person: sign-ins, changes\n"
    "                    made by or to the account, shares, deletions, exports\n"
    "usage.json          the daily usage counts analytics are made of (no text)\n"
    "\n"
    "Conversations that were deleted are not here: deleting removes them for good.\n"
    "Times are UTC. The files are UTF-8 JSON (RFC 8259). How PLC Coach keeps and\n"
    "deletes data is described in its privacy documentation (docs/privacy.md);\n"
    "questions go to the district's PLC Coach administrator.\n";

/* Re-indents a JSON document for reading; the text itself when it does
 * not parse (it always should).  The result lives in the request. */
static const char *pretty(struct request *req, const char *text)
{
    json_object *o = json_tokener_parse(text);
    const char *out;

    if (o == NULL)
        return text;
    out =
        arena_strdup(&req->arena, json_object_to_json_string_ext(
                                      o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(o);
    return out;
}

static bool add_text(struct zipw *z, const char *name, const char *text, time_t now)
{
    return zipw_add(z, name, text, strlen(text), now);
}

/* Adds conversation c (its JSON document) as NAME.pdf, drawn by the
 * exports' renderer as its owner author exported it. */
static bool add_pdf(struct request *req, struct zipw *z, const char *name,
                    const struct userdata_conversation *c, const char *author, time_t now)
{
    json_object *doc = json_tokener_parse(c->json);
    struct export_conversation ec;
    struct buf pdf = BUF_INIT;
    char exported_at[21], err[200] = "";
    bool ok;

    if (doc == NULL)
        return false;
    json_object_object_add(doc, "author", json_object_new_string(author));
    export_now(exported_at);
    ok = export_from_json(doc, exported_at, &req->arena, &ec)
         && export_render(&ec, EXPORT_PDF, &pdf, err, sizeof(err));
    if (!ok)
        LOG_FIELDS(LOG_ERROR, "data export: a conversation could not be drawn as PDF",
                   LF_STR("conversation", c->id), LF_STR("error", err));
    ok = ok && zipw_add(z, name, pdf.data, pdf.len, now);
    buf_free(&pdf);
    json_object_put(doc);
    return ok;
}

/* Builds the archive of user_id's data into zip (answering the error and
 * returning false when it cannot). */
static bool build(struct request *req, const char *user_id, struct buf *zip, size_t *nconv)
{
    const struct auth_user *me = req->user;
    struct userdata d;
    struct zipw *z;
    json_object *profile;
    struct buf readme = BUF_INIT;
    const char *author;
    time_t now = time(NULL);
    char stamp[32];
    size_t i;
    bool ok;

    if (!resp_db_status(req, userdata_read(req->db, &req->arena, user_id, &d), "no such user"))
        return false;
    profile = json_tokener_parse(d.profile);
    author =
        arena_strdup(&req->arena, json_object_get_string(json_object_object_get(profile, "name")));
    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    buf_printf(&readme, "PLC Coach: data export for %s <%s>\n", author,
               json_object_get_string(json_object_object_get(profile, "email")));
    json_object_put(profile);
    buf_printf(&readme, "Made %s at the request of %s.\n%zu conversations.\n\n", stamp,
               strcmp(me->id, user_id) == 0 ? "the person themselves" : "an administrator",
               d.nconversations);
    buf_puts(&readme, readme_text);
    z = zipw_open(zip);
    ok = z != NULL && add_text(z, "README.txt", buf_str(&readme), now)
         && add_text(z, "profile.json", pretty(req, d.profile), now);
    buf_free(&readme);
    for (i = 0; ok && i < d.nconversations; i++) {
        struct userdata_conversation c;
        const char *base;
        enum db_status st =
            userdata_conversation(req->db, &req->arena, user_id, d.conversation_ids[i], &c);
        if (st != DB_OK) {
            ok = false;
            break;
        }
        base = arena_printf(&req->arena, "conversations/%.10s-%s", c.created_at, c.id);
        ok = add_text(z, arena_printf(&req->arena, "%s.json", base), pretty(req, c.json), now)
             && add_pdf(req, z, arena_printf(&req->arena, "%s.pdf", base), &c, author, now);
    }
    ok = ok && add_text(z, "feedback.json", pretty(req, d.feedback), now)
         && add_text(z, "shares.json", pretty(req, d.shares), now)
         && add_text(z, "audit.json", pretty(req, d.audit), now)
         && add_text(z, "usage.json", pretty(req, d.usage), now);
    if (!zipw_close(z) || !ok) {
        if (zip->overflow)
            resp_error(req, 500, "export_too_large", "the export is larger than %zu MiB",
                       EXPORT_MAX_BYTES >> 20);
        else
            resp_db_unavailable(req);
        return false;
    }
    *nconv = d.nconversations;
    return true;
}

/* Answers with the ZIP of user_id's data, recorded as a disclosure. */
static void export_zip(struct request *req, const char *user_id)
{
    const struct auth_user *me = req->user;
    struct buf zip = BUF_INIT;
    size_t nconv = 0;
    char day[11];
    time_t now = time(NULL);

    zip.limit = EXPORT_MAX_BYTES;
    if (strcmp(req->method, "HEAD") == 0) {
        /* Nothing is sent, so nothing is read or recorded as disclosed. */
        req->resp.status = 200;
        resp_header(req, "Content-Type", "application/zip");
        return;
    }
    if (!resp_db_status(req, userdata_begin(req->db), ""))
        return;
    if (!build(req, user_id, &zip, &nconv)) {
        (void)db_rollback(req->db, NULL, DB_ERROR); /* ends the snapshot */
        buf_free(&zip);
        return;
    }
    if (!resp_db_status(
            req, userdata_commit(req->db, user_id, me->id, request_client_ip(req), nconv, zip.len),
            "")) {
        buf_free(&zip);
        return;
    }
    strftime(day, sizeof(day), "%Y-%m-%d", gmtime(&now));
    req->resp.status = 200;
    resp_header(req, "Content-Type", "application/zip");
    resp_header(req, "Content-Disposition",
                arena_printf(&req->arena, "attachment; filename=\"plccoach-data-%s.zip\"", day));
    buf_free(&req->resp.body);
    zip.limit = 0;
    req->resp.body = zip; /* the response owns it now */
}

void h_me_export(struct request *req)
{
    const struct auth_user *me = req->user;

    export_zip(req, me->id);
}

void h_admin_user_export(struct request *req)
{
    const char *id = route_uuid(req, "id", "user");

    if (id != NULL)
        export_zip(req, id);
}

void h_admin_user_delete(struct request *req)
{
    const struct auth_user *me = req->user;
    const char *id = route_uuid(req, "id", "user");
    struct erase_counts c;
    char erasure_id[37];
    size_t left = 0;
    json_object *out, *deleted;

    if (id == NULL)
        return;
    if (strcmp(id, me->id) == 0) {
        resp_error(req, 409, "conflict", "you cannot erase yourself");
        return;
    }
    if (!resp_db_status(req,
                        lifecycle_erase(req->db, req->cfg, id, me->id, request_client_ip(req),
                                        "api", erasure_id, &c, &left),
                        "no such user"))
        return;
    deleted = json_object_new_object();
    json_object_object_add(deleted, "conversations", json_object_new_int64(c.conversations));
    json_object_object_add(deleted, "messages", json_object_new_int64(c.messages));
    json_object_object_add(deleted, "feedback", json_object_new_int64(c.feedback));
    json_object_object_add(deleted, "shares", json_object_new_int64(c.shares));
    json_object_object_add(deleted, "sessions", json_object_new_int64(c.sessions));
    json_object_object_add(deleted, "sign_in_accounts", json_object_new_int64(c.identities));
    json_object_object_add(deleted, "exports", json_object_new_int64(c.exports));
    out = json_object_new_object();
    json_add_str(out, "erasure_id", erasure_id);
    json_object_object_add(out, "deleted", deleted);
    json_object_object_add(out, "files_pending", json_object_new_int64((int64_t)left));
    resp_json(req, 200, out);
}
