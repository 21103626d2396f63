/*
 * The cited page (src/export/cited.h).
 *
 * GET /api/messages/{id}/citations/{n}
 *     -> {n, label, quote, book: {title}, source: "pdf"|"text"|"passage",
 *        notice, pages: [{index, label, text, image}]}: the pages the
 *        citation covers, each with its text (the image's text
 *        alternative) and the address of its image.
 * GET /api/messages/{id}/citations/{n}/page?width=W&page=K
 *     -> image/png: page K (0-based, in the citation's range) W pixels
 *        wide (200-2000, default 1000), the quoted passage highlighted.
 * The same under /api/shared/{token}/ for the holder of a share link that
 * shows the message, each request counted against the link's
 * per-address limit (PLCCOACH_SHARE_LINK_LIMIT, http/viewer.c
 * viewer_share).  Anyone else, a missing message and a missing citation
 * get the same 404.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "export/cited.h"
#include "http/handlers.h"
#include "http/request.h"
#include "http/response.h"
#include "http/validate.h"
#include "http/viewer.h"
#include "util/text.h"

#define CITATIONS_MAX 99
#define DEFAULT_WIDTH 1000

/* Reads {id} and {n}; false after answering 404. */
static bool route_citation(struct request *req, const char **id, int *n)
{
    const char *ns = request_param(req, "n");
    int64_t v;

    *id = route_uuid(req, "id", "citation");
    if (*id == NULL)
        return false;
    if (ns == NULL || !parse_int64(ns, 1, CITATIONS_MAX, &v)) {
        resp_error(req, 404, "not_found", "no such citation");
        return false;
    }
    *n = (int)v;
    return true;
}

/* Answers for a status other than CITED_OK. */
static void failed(struct request *req, enum cited_status st)
{
    switch (st) {
    case CITED_OK: return;
    case CITED_NOT_FOUND: resp_error(req, 404, "not_found", "no such citation"); return;
    case CITED_DB_ERROR: resp_db_unavailable(req); return;
    case CITED_BAD_PAGE:
        resp_error(req, 400, "invalid_parameter", "page is not a page of this citation");
        return;
    case CITED_TIMEOUT:
        resp_error(req, 503, "render_timeout", "the page took too long to draw; try again later");
        return;
    case CITED_FAILED: resp_error(req, 500, "render_failed", "the page could not be drawn"); return;
    }
}

static void get(struct request *req, const struct exp_viewer *v, const char *token)
{
    struct cited c;
    enum cited_status st;
    const char *id;
    json_object *o, *pages, *book;
    size_t k;
    int n;

    if (!route_citation(req, &id, &n))
        return;
    st = cited_open(req->db, req->cfg, id, n, v, &req->arena, &c);
    if (st != CITED_OK) {
        failed(req, st);
        return;
    }
    o = json_object_new_object();
    json_object_object_add(o, "n", json_object_new_int(n));
    json_object_object_add(o, "label", json_object_new_string(c.label));
    json_object_object_add(o, "quote", json_object_new_string(c.quote));
    book = json_object_new_object();
    json_object_object_add(book, "title", json_object_new_string(c.book_title));
    json_object_object_add(o, "book", book);
    json_object_object_add(o, "source", json_object_new_string(c.source));
    json_object_object_add(o, "notice", c.notice ? json_object_new_string(c.notice) : NULL);
    pages = json_object_new_array();
    for (k = 0; k < c.npages; k++) {
        json_object *p = json_object_new_object();
        json_object_object_add(p, "index", json_object_new_int((int)k));
        json_object_object_add(p, "label", json_object_new_string(c.pages[k].label));
        json_object_object_add(p, "text", json_object_new_string(c.pages[k].text));
        json_object_object_add(
            p, "image",
            json_object_new_string(
                token ? arena_printf(&req->arena,
                                     "/api/shared/%s/messages/%s/citations/%d/page?page=%zu", token,
                                     id, n, k)
                      : arena_printf(&req->arena, "/api/messages/%s/citations/%d/page?page=%zu", id,
                                     n, k)));
        json_object_array_add(pages, p);
    }
    json_object_object_add(o, "pages", pages);
    resp_json(req, 200, o);
}

static void page(struct request *req, const struct exp_viewer *v)
{
    static const char *const params[] = {"width", "page", NULL};
    struct cited c;
    enum cited_status st;
    const char *id;
    int64_t width, k;
    int n;

    if (!route_citation(req, &id, &n) || !query_only_params(req, params)
        || !query_int(req, "width", PAGE_MIN_WIDTH, PAGE_MAX_WIDTH, DEFAULT_WIDTH, &width)
        || !query_int(req, "page", 0, PAGE_MAX_RANGE - 1, 0, &k))
        return;
    st = cited_open(req->db, req->cfg, id, n, v, &req->arena, &c);
    if (st == CITED_OK)
        st = cited_png(req->db, req->cfg, &c, (size_t)k, (int)width, &req->resp.body);
    if (st != CITED_OK) {
        req->resp.body.len = 0;
        failed(req, st);
        return;
    }
    req->resp.status = 200;
    resp_header(req, "Content-Type", "image/png");
    /* the image is the viewer's to keep a while, never a shared cache's */
    resp_header(req, "Cache-Control", "private, max-age=3600");
    resp_header(
        req, "Content-Disposition",
        arena_printf(&req->arena, "inline; filename=\"citation-%d-page-%d.png\"", n, (int)k + 1));
}

void h_citation_get(struct request *req)
{
    struct exp_viewer v;

    viewer_owner(req, &v);
    get(req, &v, NULL);
}

void h_citation_page(struct request *req)
{
    struct exp_viewer v;

    viewer_owner(req, &v);
    page(req, &v);
}

void h_shared_citation_get(struct request *req)
{
    struct exp_viewer v;
    char hash[SHA256_HEX_LEN + 1];

    if (viewer_share(req, hash, &v, false))
        get(req, &v, request_param(req, "token"));
}

void h_shared_citation_page(struct request *req)
{
    struct exp_viewer v;
    char hash[SHA256_HEX_LEN + 1];

    if (viewer_share(req, hash, &v, false))
        page(req, &v);
}
