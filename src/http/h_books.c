/*
 * The content library for admins.
 *
 * POST   /api/admin/books?filename=F[&title=&authors=A;B&isbn=&sku=&product_url=&replace=true]
 *        the file (PDF, Markdown or plain text) as the request body, or a
 *        multipart/form-data form with a "file" part and the same fields;
 *        it is streamed to an unlinked temporary file in
 *        PLCCOACH_SCRATCH_DIR (never held in memory; in the container a
 *        volume, the root filesystem being read-only), then stored through
 *        src/storage (the content directory, or the S3 content bucket with
 *        PLCCOACH_STORAGE=s3) named by its SHA-256, and an ingestion job
 *        naming the stored object is queued: 202.
 * GET    /api/admin/books              books, and the latest jobs with status and errors
 * GET    /api/admin/jobs/{id}          one job
 * DELETE /api/admin/jobs/{id}          a failed job, with its upload when nothing else needs it
 * DELETE /api/admin/books/{id}         remove a book with its chapters and chunks
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/session.h"
#include "db/books.h"
#include "db/ingest_jobs.h"
#include "http/handlers.h"
#include "http/multipart.h"
#include "http/request.h"
#include "http/response.h"
#include "http/validate.h"
#include "library/store.h"
#include "storage/storage.h"
#include "util/alloc.h"
#include "util/cfg.h"
#include "util/json.h"
#include "util/log.h"
#include "util/text.h"

/* Returns the extension of an acceptable upload name, or NULL. */
static const char *upload_extension(const char *name)
{
    static const char *const exts[] = {".pdf", ".md", ".markdown", ".txt"};
    size_t n = strlen(name), i;

    if (n == 0 || n > 200 || name[0] == '.')
        return NULL;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (!(c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z') || strchr(" ._-()", c) != NULL))
            return NULL;
    }
    if (!utf8_valid(name, n))
        return NULL;
    for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
        size_t e = strlen(exts[i]);
        if (n > e && strcasecmp(name + n - e, exts[i]) == 0)
            return exts[i];
    }
    return NULL;
}

struct upload {
    struct request *req;
    int fd;
    EVP_MD_CTX *md;
};

/* The sink of request_stream_body: write to the file and the digest. */
static bool upload_sink(void *ctx, const char *data, size_t n)
{
    struct upload *u = ctx;

    while (n > 0) {
        ssize_t w = write(u->fd, data, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            log_error("upload: write: %s", strerror(errno));
            resp_error(u->req, 507, "storage_full", "the upload could not be stored");
            return false;
        }
        EVP_DigestUpdate(u->md, data, (size_t)w);
        data += w;
        n -= (size_t)w;
    }
    return true;
}

static const char *const option_keys[] = {"title",       "authors", "isbn", "sku",
                                          "product_url", "replace", NULL};

/* Adds one option (title, authors, ..., replace) to o; false after a 400. */
static bool add_option(struct request *req, json_object *o, const char *key, const char *value)
{
    bool r;

    if (strcmp(key, "replace") == 0) {
        if (!parse_bool(value, &r)) {
            resp_error(req, 400, "invalid_parameter", "replace must be true or false");
            return false;
        }
        json_object_object_add(o, key, json_object_new_boolean(r));
        return true;
    }
    if (strlen(value) > 500 || !utf8_valid(value, strlen(value))) {
        resp_error(req, 400, "invalid_parameter", "%s must be UTF-8 text of at most 500 bytes",
                   key);
        return false;
    }
    if (value[0] != '\0')
        json_object_object_add(o, key, json_object_new_string(value));
    return true;
}

/* Builds the job options from the query; NULL after a 400. Caller puts. */
static json_object *query_options(struct request *req)
{
    json_object *o = json_object_new_object();
    size_t i;

    for (i = 0; option_keys[i] != NULL; i++) {
        const char *v = request_query(req, option_keys[i]);
        if (v != NULL && !add_option(req, o, option_keys[i], v)) {
            json_object_put(o);
            return NULL;
        }
    }
    return o;
}

/* A multipart/form-data upload: option fields and one "file" part. */
struct form {
    struct upload *u;
    json_object *options;
    struct multipart mp;
    char *filename; /* the file part's name; owned */
    const char *ext;
    char *field;      /* the field being read; owned */
    struct buf value; /* its value, at most 500 bytes */
    bool in_file, got_file;
};

static bool form_begin(void *ctx, const char *name, const char *filename, const char *ctype)
{
    struct form *f = ctx;
    size_t i;

    (void)ctype;
    if (filename != NULL) {
        if (strcmp(name, "file") != 0 || f->got_file) {
            resp_error(f->u->req, 400, "invalid_field",
                       "send exactly one file, in a part named file");
            return false;
        }
        f->ext = upload_extension(filename);
        if (f->ext == NULL) {
            resp_error(f->u->req, 400, "invalid_field",
                       "the file must be a .pdf, .md, .markdown or .txt file with a plain name");
            return false;
        }
        f->filename = xstrdup(filename);
        f->in_file = true;
        return true;
    }
    for (i = 0; option_keys[i] != NULL; i++)
        if (strcmp(name, option_keys[i]) == 0)
            break;
    if (option_keys[i] == NULL) {
        resp_error(f->u->req, 400, "unknown_field", "unknown form field \"%.64s\"", name);
        return false;
    }
    free(f->field);
    f->field = xstrdup(name);
    buf_free(&f->value);
    f->value.limit = 500;
    return true;
}

static bool form_data(void *ctx, const char *data, size_t n)
{
    struct form *f = ctx;

    if (f->in_file)
        return upload_sink(f->u, data, n);
    if (!buf_append(&f->value, data, n)) {
        resp_error(f->u->req, 400, "invalid_field", "form field %s is longer than 500 bytes",
                   f->field);
        return false;
    }
    return true;
}

static bool form_end(void *ctx)
{
    struct form *f = ctx;

    if (f->in_file) {
        f->in_file = false;
        f->got_file = true;
        return true;
    }
    return add_option(f->u->req, f->options, f->field, buf_str(&f->value));
}

/* request_stream_body's sink for a form: everything goes to the parser. */
static bool form_sink(void *ctx, const char *data, size_t n)
{
    struct form *f = ctx;

    if (multipart_feed(&f->mp, data, n))
        return true;
    if (f->u->req->resp.status == 0)
        resp_error(f->u->req, 400, "bad_request", "malformed multipart body: %s",
                   f->mp.error ? f->mp.error : "?");
    return false;
}

/* The worker's content store, opened at its first upload and kept for the
 * worker's lifetime (its S3 connection stays open); NULL when the
 * configuration is unusable (logged once per attempt). */
static struct storage *content_store(const struct config *cfg)
{
    static struct storage *st;
    char err[256];

    if (st == NULL && (st = storage_open(cfg, STORAGE_CONTENT, err, sizeof(err))) == NULL)
        log_error("upload: the content store cannot be opened: %s", err);
    return st;
}

static const char *content_type_of(const char *ext)
{
    if (strcasecmp(ext, ".pdf") == 0)
        return "application/pdf";
    if (strcasecmp(ext, ".txt") == 0)
        return "text/plain; charset=utf-8";
    return "text/markdown; charset=utf-8";
}

/* Stores the finished upload (fd, length bytes, SHA-256 hex) as
 * "<hex><ext>" and writes its locator into *locator (caller frees); false
 * after an error response. */
static bool store_upload(struct request *req, int fd, uint64_t length, const char *hex,
                         const char *ext, char **locator)
{
    struct storage *st = content_store(req->cfg);
    enum storage_status s;
    char key[2 * EVP_MAX_MD_SIZE + 16];

    *locator = NULL;
    if (st == NULL) {
        resp_error(req, 503, "storage_unavailable", "book storage is not configured");
        return false;
    }
    snprintf(key, sizeof(key), "%.128s%.10s", hex, ext); /* ext: one of upload_extension's */
    s = storage_put_fd(st, key, fd, length, content_type_of(ext), hex);
    if (s != STORAGE_OK) {
        if (s == STORAGE_IO)
            resp_error(req, 507, "storage_full", "the upload could not be stored");
        else
            resp_error(req, 503, "storage_unavailable",
                       "book storage is unavailable; try again later");
        return false;
    }
    *locator = storage_locator(st, key);
    return true;
}

/* One upload being received: the state h_books_upload()'s steps share. */
struct book_upload {
    struct upload u;  /* u.fd: the scratch file, closed by receive_upload();
                       * u.md: freed by receive_upload() */
    struct form form; /* a multipart body's parser and fields: freed by
                       * h_books_upload() when is_form */
    bool is_form;
    const char *filename;              /* the query's (request arena) or form.filename */
    const char *ext;                   /* one of upload_extension()'s */
    json_object *options;              /* owned: put by h_books_upload() */
    char hex[2 * EVP_MAX_MD_SIZE + 1]; /* the SHA-256 of the body */
    off_t length;
    char *locator; /* the stored object's; owned: freed by h_books_upload() */
};

/* Opens the multipart parser for a form upload; false after a 400. */
static bool begin_form(struct request *req, struct book_upload *b)
{
    const struct multipart_cb cb = {form_begin, form_data, form_end, &b->form};

    if (!b->is_form)
        return true;
    b->form.u = &b->u;
    b->form.options = b->options;
    if (!multipart_init(&b->form.mp, req->content_type, &cb)) {
        resp_error(req, 400, "bad_request", "multipart/form-data needs a valid boundary");
        return false;
    }
    return true;
}

/* Opens the scratch file into b->u.fd; false after a 500. */
static bool open_scratch(struct request *req, struct book_upload *b)
{
    char tmp[4096];

    /* The temporary file is unlinked at once: whatever happens to this
     * request or this worker, it leaves nothing behind.  It is in the
     * scratch directory, not the content directory, which S3 storage does
     * not use and a container's read-only root filesystem cannot write. */
    snprintf(tmp, sizeof(tmp), "%s/.upload-XXXXXX", req->cfg->scratch_dir);
    b->u.fd = mkstemp(tmp);
    if (b->u.fd < 0) {
        log_error("upload: mkstemp in %s (PLCCOACH_SCRATCH_DIR): %s", req->cfg->scratch_dir,
                  strerror(errno));
        resp_error(req, 500, "internal", "the scratch directory is not writable");
        return false;
    }
    unlink(tmp);
    return true;
}

/* Streams the body into the scratch file and its digest, then stores it
 * (b->hex, b->length, b->locator); closes the file.  False after an error
 * response, or with none when the digest failed. */
static bool receive_upload(struct request *req, struct book_upload *b)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0, i;
    bool ok;

    b->u.md = EVP_MD_CTX_new();
    ok = b->u.md != NULL && EVP_DigestInit_ex(b->u.md, EVP_sha256(), NULL) == 1
         && request_stream_body(req, (size_t)req->cfg->max_upload_bytes,
                                b->is_form ? form_sink : upload_sink,
                                b->is_form ? (void *)&b->form : &b->u);
    if (ok && b->is_form && (!multipart_done(&b->form.mp) || !b->form.got_file)) {
        resp_error(req, 400, "bad_request",
                   b->form.got_file ? "the multipart body is incomplete"
                                    : "no file part in the form");
        ok = false;
    }
    if (ok && b->is_form) {
        b->filename = b->form.filename;
        b->ext = b->form.ext;
    }
    if (ok && EVP_DigestFinal_ex(b->u.md, md, &mdlen) != 1)
        ok = false;
    EVP_MD_CTX_free(b->u.md);
    b->u.md = NULL;
    if (ok && (b->length = lseek(b->u.fd, 0, SEEK_END)) <= 0) {
        resp_error(req, 400, "bad_request", "the upload is empty");
        ok = false;
    }
    if (ok) {
        for (i = 0; i < mdlen; i++)
            snprintf(b->hex + 2 * i, 3, "%02x", md[i]);
        ok = store_upload(req, b->u.fd, (uint64_t)b->length, b->hex, b->ext, &b->locator);
    }
    close(b->u.fd);
    b->u.fd = -1;
    return ok;
}

/* Queues the ingestion job for the stored upload and answers 202; false
 * after an error response. */
static bool queue_job(struct request *req, const struct book_upload *b)
{
    const struct auth_user *me = req->user;
    char job_id[37];
    json_object *out;

    if (!resp_db_status(req,
                        job_enqueue(req->db, b->locator, b->filename, b->options, me->id, b->hex,
                                    request_client_ip(req), job_id),
                        ""))
        return false;
    out = json_object_new_object();
    json_add_str(out, "id", job_id);
    json_add_str(out, "status", "queued");
    json_add_str(out, "filename", b->filename);
    json_add_str(out, "sha256", b->hex);
    resp_json(req, 202, out);
    return true;
}

void h_books_upload(struct request *req)
{
    static const char *const allowed[] = {"filename", "title",       "authors", "isbn",
                                          "sku",      "product_url", "replace", NULL};
    const char *ctype = req->content_type ? req->content_type : "";
    struct book_upload b = {
        .u = {.req = req, .fd = -1, .md = NULL},
        .is_form = strncasecmp(ctype, "multipart/form-data", 19) == 0,
        .filename = request_query(req, "filename"),
    };
    bool ok;

    if (!query_only_params(req, allowed))
        return;
    if (!b.is_form && (b.filename == NULL || (b.ext = upload_extension(b.filename)) == NULL)) {
        resp_error(req, 400, "invalid_parameter",
                   "filename must name a .pdf, .md, .markdown or .txt file (letters, digits, "
                   "spaces and ._-() only)");
        return;
    }
    if ((b.options = query_options(req)) == NULL)
        return;
    ok = begin_form(req, &b) && open_scratch(req, &b) && receive_upload(req, &b)
         && queue_job(req, &b);
    if (!ok && req->resp.status == 0)
        resp_error(req, 500, "internal", "the upload failed");
    free(b.locator);
    json_object_put(b.options);
    if (b.is_form) {
        multipart_free(&b.form.mp);
        free(b.form.filename);
        free(b.form.field);
        buf_free(&b.form.value);
    }
}

/* The JSON of a job: id, status, filename, book_id, error, times. */
static json_object *job_json(const struct job_row *r)
{
    json_object *j = json_object_new_object();

    json_add_str(j, "id", r->id);
    json_add_str(j, "status", r->status);
    json_add_str(j, "filename", r->filename);
    json_add_str(j, "book_id", r->book_id);
    json_add_str(j, "error", r->error);
    json_add_str(j, "created_at", r->created_at);
    json_add_str(j, "started_at", r->started_at);
    json_add_str(j, "finished_at", r->finished_at);
    return j;
}

/* The JSON of a book as the administration lists it. */
static json_object *book_json(const struct book_row *r)
{
    json_object *b = json_object_new_object();
    size_t i;

    json_add_str(b, "id", r->id);
    json_add_str(b, "title", r->title);
    if (r->authors != NULL) {
        json_object *authors = json_object_new_array();
        for (i = 0; i < r->n_authors; i++)
            json_object_array_add(authors, json_object_new_string(r->authors[i]));
        json_object_object_add(b, "authors", authors);
    } else {
        json_object_object_add(b, "authors", NULL);
    }
    json_add_str(b, "edition", r->edition);
    json_add_str(b, "isbn", r->isbn);
    json_add_str(b, "sku", r->sku);
    json_add_str(b, "product_url", r->product_url);
    json_add_str(b, "format", r->format);
    json_object_object_add(b, "sample", json_object_new_boolean(r->sample));
    json_object_object_add(b, "page_count", json_object_new_int(r->page_count));
    json_object_object_add(b, "chapter_count", json_object_new_int(r->chapter_count));
    json_object_object_add(b, "chunk_count", json_object_new_int(r->chunk_count));
    json_add_str(b, "created_at", r->created_at);
    return b;
}

void h_books_list(struct request *req)
{
    struct book_row *books;
    struct job_row *jobs;
    size_t nbooks, njobs, i;
    json_object *b, *j, *out;

    if (!resp_db_status(req, books_list(req->db, &req->arena, &books, &nbooks), "")
        || !resp_db_status(req, jobs_recent(req->db, &req->arena, 50, &jobs, &njobs), ""))
        return;
    b = json_object_new_array();
    for (i = 0; i < nbooks; i++)
        json_object_array_add(b, book_json(&books[i]));
    j = json_object_new_array();
    for (i = 0; i < njobs; i++)
        json_object_array_add(j, job_json(&jobs[i]));
    out = json_object_new_object();
    json_object_object_add(out, "books", b);
    json_object_object_add(out, "jobs", j);
    resp_json(req, 200, out);
}

void h_jobs_get(struct request *req)
{
    const char *id = route_uuid(req, "id", "job");
    struct job_row job;

    if (id == NULL)
        return;
    if (resp_db_status(req, job_find(req->db, &req->arena, id, &job), "no such job"))
        resp_json(req, 200, job_json(&job));
}

void h_jobs_delete(struct request *req)
{
    const char *id = route_uuid(req, "id", "job");
    const struct auth_user *me = req->user;
    char *path = NULL, why[256];
    bool orphan = false;
    enum db_status st;

    if (id == NULL)
        return;
    st = job_delete_failed(req->db, id, me->id, request_client_ip(req), &path, &orphan);
    if (st == DB_CONFLICT) {
        resp_error(req, 409, "job_not_failed",
                   "only a failed job can be deleted: a queued or running job is still at work, "
                   "a done one is its book's history");
        return;
    }
    if (!resp_db_status(req, st, "no such job"))
        return;
    /* Its upload goes too, unless another job or a book needs it. */
    if (orphan && storage_delete_locator(req->cfg, path, why, sizeof(why)) != STORAGE_OK)
        LOG_FIELDS(LOG_WARN, "failed job's upload not deleted", LF_STR("error", why));
    free(path);
    req->resp.status = 204;
}

/* The same removal as `plccoach books remove` (store_remove_book). */
void h_books_delete(struct request *req)
{
    const char *id = route_uuid(req, "id", "book");
    const struct auth_user *me = req->user;
    int gone;

    if (id == NULL)
        return;
    if (resp_db_status(req, store_remove_book(req->db, id, me->id, request_client_ip(req), &gone),
                       "no such book"))
        req->resp.status = 204;
}
