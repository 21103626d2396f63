/*
 * Conversation exports (src/export/, db/exports.h).
 *
 * POST /api/conversations/{id}/exports {"format": "pdf"|"md"|"txt"}
 *      -> 201 {id, format, status, url, expires_at, created_at, filename,
 *      bytes, error}: made in the request when the conversation is small
 *      (status done, url set), else queued for the job processes.
 * GET  /api/exports/{id}       -> 200 the same; 410 once expired.
 * GET  /api/exports/{id}/file  -> the file with Content-Disposition
 *      (local store), or 302 to a presigned S3 URL that sets the same
 *      headers; 409 while not done, 410 once expired.
 * POST /api/shared/{token}/exports, GET /api/shared/{token}/exports/{id}
 *      and .../file: the same for a holder of a share link, showing what
 *      the link shows; each counts against the link's per-address limit
 *      (PLCCOACH_SHARE_LINK_LIMIT, http/viewer.c viewer_share).
 *
 * Another user's export, or one asked for through another link, answers
 * the same 404 as a missing one.  Asking is audited (export.create).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/exports.h"
#include "db/ratelimit.h"
#include "export/export.h"
#include "export/make.h"
#include "http/handlers.h"
#include "http/request.h"
#include "http/response.h"
#include "http/validate.h"
#include "http/viewer.h"
#include "storage/storage.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/cfg.h"

#define EXPORT_RATE_LIMIT 60 /* exports asked for per user per hour */
#define PRESIGN_SECONDS 900  /* a download link's life */
#define FILE_MAX_BYTES (64u * 1024 * 1024)

static void gone(struct request *req, const struct exp_record *r)
{
    resp_error(req, 410, "gone", "this export expired on %s; make a new one", r->expires_at);
}

/* The address the file downloads from: a presigned S3 URL, or this
 * server's .../file route under PLCCOACH_PUBLIC_URL.  NULL when it cannot
 * be made now (logged). */
static const char *file_url(struct request *req, const struct exp_record *r, const char *token)
{
    struct storage *st = export_store(req->cfg);
    const char *base = req->cfg->public_url;
    size_t n = strlen(base);
    enum export_format f;

    if (st == NULL || !export_format_parse(r->format, &f))
        return NULL;
    if (strcmp(storage_kind(st), "s3") == 0) {
        const char *disposition =
            arena_printf(&req->arena, "attachment; filename=\"%s\"",
                         export_filename(&req->arena, r->title, r->created_at, f));
        char *url = NULL;
        const char *out;
        if (storage_presign_download(st, r->key, PRESIGN_SECONDS, disposition,
                                     export_content_type(f), &url)
            != STORAGE_OK)
            return NULL;
        out = arena_strdup(&req->arena, url);
        free(url);
        return out;
    }
    while (n > 0 && base[n - 1] == '/')
        n--;
    if (token != NULL)
        return arena_printf(&req->arena, "%.*s/api/shared/%s/exports/%s/file", (int)n, base, token,
                            r->id);
    return arena_printf(&req->arena, "%.*s/api/exports/%s/file", (int)n, base, r->id);
}

static json_object *record_json(struct request *req, const struct exp_record *r, const char *token)
{
    json_object *o = json_object_new_object();
    bool done = strcmp(r->status, "done") == 0 && r->key[0] != '\0' && !r->expired;
    const char *url = done ? file_url(req, r, token) : NULL;
    enum export_format f = EXPORT_PDF;

    (void)export_format_parse(r->format, &f);
    json_object_object_add(o, "id", json_object_new_string(r->id));
    json_object_object_add(o, "format", json_object_new_string(r->format));
    json_object_object_add(o, "status", json_object_new_string(r->status));
    json_object_object_add(o, "url", url ? json_object_new_string(url) : NULL);
    json_object_object_add(o, "expires_at", json_object_new_string(r->expires_at));
    json_object_object_add(o, "created_at", json_object_new_string(r->created_at));
    json_object_object_add(
        o, "filename",
        json_object_new_string(export_filename(&req->arena, r->title, r->created_at, f)));
    json_object_object_add(o, "bytes", r->bytes >= 0 ? json_object_new_int64(r->bytes) : NULL);
    json_object_object_add(o, "error", r->error[0] ? json_object_new_string(r->error) : NULL);
    return o;
}

/* The per-user limit on asking for exports (signed-in callers). */
static bool rate_ok(struct request *req, const char *user_id)
{
    long retry = 0;
    char secs[24];

    switch (ratelimit_take(req->db, user_id, "export", EXPORT_RATE_LIMIT, 3600, &retry)) {
    case RATE_OK: return true;
    case RATE_LIMITED:
        snprintf(secs, sizeof(secs), "%ld", retry);
        resp_header(req, "Retry-After", secs);
        resp_error(req, 429, "rate_limited", "at most %d exports an hour; try again in %ld seconds",
                   EXPORT_RATE_LIMIT, retry);
        return false;
    case RATE_ERROR: break;
    }
    resp_db_unavailable(req);
    return false;
}

static void create(struct request *req, const char *conv_id, const struct exp_viewer *v,
                   const char *token)
{
    static const char *const fields[] = {"format", NULL};
    json_object *body = request_json(req);
    const char *format;
    enum export_format f;
    struct exp_record r;
    struct exp_job job;
    char err[512], id[37];
    enum db_status st;

    if (body == NULL || !body_only_fields(req, body, fields)
        || !body_string(req, body, "format", 1, 8, true, &format))
        return;
    if (!export_format_parse(format, &f)) {
        resp_error(req, 400, "invalid_field", "format must be \"pdf\", \"md\" or \"txt\"");
        return;
    }
    if (v->user_id != NULL && !rate_ok(req, v->user_id))
        return;
    st = exp_create(req->db, conv_id, v, export_format_name(f),
                    (long)req->cfg->export_inline_messages, request_client_ip(req), &r);
    if (!resp_db_status(req, st,
                        token ? "this link does not exist, has expired or was revoked"
                              : "no such conversation"))
        return;
    if (strcmp(r.status, "running") == 0) {
        /* small enough to make now */
        if (exp_job_of(req->db, r.id, &job) != DB_OK) {
            resp_db_unavailable(req);
            return;
        }
        if (!export_make(req->db, req->cfg, &job, err, sizeof(err))) {
            resp_error(req, 503, "export_failed", "the export could not be made: %s", err);
            return;
        }
        snprintf(id, sizeof(id), "%s", r.id);
        if (exp_get(req->db, id, v, &r) != DB_OK) {
            resp_db_unavailable(req);
            return;
        }
    }
    resp_json(req, 201, record_json(req, &r, token));
}

/* Reads export {id} for v; false after answering 404, 410 or 503. */
static bool lookup(struct request *req, const struct exp_viewer *v, struct exp_record *r)
{
    const char *id = route_uuid(req, "id", "export");

    if (id == NULL)
        return false;
    if (!resp_db_status(req, exp_get(req->db, id, v, r), "no such export"))
        return false;
    if (r->expired || (strcmp(r->status, "done") == 0 && r->key[0] == '\0')) {
        gone(req, r);
        return false;
    }
    return true;
}

static void get(struct request *req, const struct exp_viewer *v, const char *token)
{
    struct exp_record r;

    if (lookup(req, v, &r))
        resp_json(req, 200, record_json(req, &r, token));
}

static void file(struct request *req, const struct exp_viewer *v, const char *token)
{
    struct exp_record r;
    struct storage *st;
    enum export_format f;
    enum storage_status s;
    const char *url;

    if (!lookup(req, v, &r))
        return;
    if (strcmp(r.status, "done") != 0 || !export_format_parse(r.format, &f)) {
        resp_error(req, 409, "not_ready", "the export is %s, not done%s%s", r.status,
                   r.error[0] ? ": " : "", r.error);
        return;
    }
    st = export_store(req->cfg);
    if (st == NULL) {
        resp_error(req, 503, "storage_unavailable", "the exports store is not configured");
        return;
    }
    if (strcmp(storage_kind(st), "s3") == 0) {
        url = file_url(req, &r, token);
        if (url == NULL) {
            resp_error(req, 503, "storage_unavailable", "a download link could not be made");
            return;
        }
        resp_header(req, "Location", url);
        resp_json(req, 302, json_object_new_object());
        return;
    }
    s = storage_get_buf(st, r.key, &req->resp.body, FILE_MAX_BYTES);
    if (s == STORAGE_NOT_FOUND) {
        gone(req, &r);
        return;
    }
    if (s != STORAGE_OK) {
        resp_error(req, 503, "storage_unavailable", "the file could not be read: %s",
                   storage_strerror(s));
        return;
    }
    req->resp.status = 200;
    resp_header(req, "Content-Type", export_content_type(f));
    resp_header(req, "Content-Disposition",
                arena_printf(&req->arena, "attachment; filename=\"%s\"",
                             export_filename(&req->arena, r.title, r.created_at, f)));
    resp_header(req, "Cache-Control", "private, no-store");
}

void h_exports_create(struct request *req)
{
    struct exp_viewer v;
    const char *id = route_uuid(req, "id", "conversation");

    if (id == NULL)
        return;
    viewer_owner(req, &v);
    create(req, id, &v, NULL);
}

void h_exports_get(struct request *req)
{
    struct exp_viewer v;

    viewer_owner(req, &v);
    get(req, &v, NULL);
}

void h_exports_file(struct request *req)
{
    struct exp_viewer v;

    viewer_owner(req, &v);
    file(req, &v, NULL);
}

void h_shared_exports_create(struct request *req)
{
    struct exp_viewer v;
    char hash[SHA256_HEX_LEN + 1];

    if (viewer_share(req, hash, &v, true))
        create(req, NULL, &v, request_param(req, "token"));
}

void h_shared_exports_get(struct request *req)
{
    struct exp_viewer v;
    char hash[SHA256_HEX_LEN + 1];

    if (viewer_share(req, hash, &v, false))
        get(req, &v, request_param(req, "token"));
}

void h_shared_exports_file(struct request *req)
{
    struct exp_viewer v;
    char hash[SHA256_HEX_LEN + 1];

    if (viewer_share(req, hash, &v, false))
        file(req, &v, request_param(req, "token"));
}
