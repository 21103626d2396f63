/*
 * plccoach export CONVERSATION --format pdf|md|txt [-o FILE]
 *
 * Writes a conversation (all its messages) as PDF, Markdown or text with
 * the same renderer as POST /api/conversations/{id}/exports
 * (src/export/), to FILE (written whole or not at all: a temporary file
 * renamed into place) or to standard output; a PDF is not written to a
 * terminal.  Recorded in the audit log as export.create by the command
 * line.  Exit status 0 written, 1 failed (database, no such conversation,
 * the file), 2 usage.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "db/db.h"
#include "db/exports.h"
#include "export/export.h"
#include "export/make.h"
#include "util/buf.h"
#include "util/text.h"

static void usage(void)
{
    fprintf(stderr, "Usage: plccoach export CONVERSATION --format pdf|md|txt [-o FILE]\n");
}

/* Writes n bytes to path through path.tmp-XXXXXX and rename(). */
static bool write_file(const char *path, const char *data, size_t n)
{
    struct buf tmp = BUF_INIT;
    FILE *f;
    int fd;
    bool ok;

    buf_printf(&tmp, "%s.tmp-XXXXXX", path);
    fd = mkstemp(tmp.data);
    if (fd < 0) {
        fprintf(stderr, "plccoach: cannot write %s: %s\n", path, strerror(errno));
        buf_free(&tmp);
        return false;
    }
    f = fdopen(fd, "wb");
    ok = f != NULL && fwrite(data, 1, n, f) == n;
    ok = (f != NULL && fclose(f) == 0) && ok;
    if (f == NULL)
        close(fd);
    ok = ok && rename(tmp.data, path) == 0;
    if (!ok) {
        fprintf(stderr, "plccoach: cannot write %s: %s\n", path, strerror(errno));
        unlink(tmp.data);
    }
    buf_free(&tmp);
    return ok;
}

int cmd_export(int argc, char **argv, struct config *cfg)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    const char *format = NULL, *output = NULL, *conv;
    struct export_conversation c;
    struct arena a = ARENA_INIT;
    struct buf out = BUF_INIT;
    enum export_format f;
    json_object *doc = NULL;
    struct db db;
    char now[21], err[256] = "the conversation could not be read";
    int ch, rc = 1;

    optind = 1;
    while ((ch = getopt_long(argc, argv, "f:o:", opts, NULL)) != -1) {
        switch (ch) {
        case 'f': format = optarg; break;
        case 'o': output = optarg; break;
        default: usage(); return 2;
        }
    }
    if (optind != argc - 1 || format == NULL || !export_format_parse(format, &f)) {
        usage();
        return 2;
    }
    conv = argv[optind];
    if (output == NULL && f == EXPORT_PDF && isatty(STDOUT_FILENO)) {
        fprintf(stderr, "plccoach: a PDF is not written to a terminal; use -o FILE\n");
        return 2;
    }
    if (!is_uuid(conv)) {
        fprintf(stderr, "plccoach: no such conversation: %s\n", conv);
        return 1;
    }
    db_init(&db, cfg);
    if (db_conn(&db) == NULL) {
        fprintf(stderr, "plccoach: cannot connect to the database: %s\n", db.last_error);
        return 1;
    }
    switch (exp_conversation(&db, conv, NULL, &doc)) {
    case DB_OK: break;
    case DB_NOT_FOUND: fprintf(stderr, "plccoach: no such conversation: %s\n", conv); goto done;
    default: fprintf(stderr, "plccoach: the database failed: %s\n", db.last_error); goto done;
    }
    export_now(now);
    if (!export_from_json(doc, now, &a, &c) || !export_render(&c, f, &out, err, sizeof(err))) {
        fprintf(stderr, "plccoach: the export failed: %s\n", err);
        goto done;
    }
    if (exp_audit_cli(&db, conv, export_format_name(f)) != DB_OK) {
        fprintf(stderr, "plccoach: the audit log could not be written: %s\n", db.last_error);
        goto done;
    }
    if (output != NULL) {
        if (!write_file(output, out.data, out.len))
            goto done;
    } else if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
        fprintf(stderr, "plccoach: cannot write the export: %s\n", strerror(errno));
        goto done;
    }
    rc = 0;
done:
    json_object_put(doc);
    buf_free(&out);
    arena_free(&a);
    db_close(&db);
    export_release();
    return rc;
}
