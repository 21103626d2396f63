/*
 * plccoach ingest PATH... [--title T] [--authors "A; B"] [--isbn I]
 *                         [--sku S] [--product-url U] [--replace]
 *
 * Files or directories (searched recursively for .pdf, .md, .markdown and
 * .txt); one line per file: ingested / unchanged / replaced / refused /
 * failed.  Exits 1 when any file was refused or failed.
 */
#include "config.h"

#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/commands.h"
#include "db/db.h"
#include "library/embed.h"
#include "library/ingest.h"
#include "library/related.h"
#include "library/wordnet.h"
#include "util/alloc.h"
#include "util/cfg.h"

struct ingest_run {
    struct db db;
    struct ingest_options opts;
    int files, bad;
};

static void one_file(struct ingest_run *run, const char *path)
{
    struct ingest_result r;
    enum ingest_outcome o = ingest_file(&run->db, path, &run->opts, &r);

    run->files++;
    switch (o) {
    case INGEST_NEW:
    case INGEST_REPLACED:
        printf("%-9s %s  %s  (%zu pages, %zu chapters, %zu chunks", ingest_outcome_name(o), path,
               r.book_id, r.pages, r.chapters, r.chunks);
        if (r.model_tagged > 0)
            printf(", %zu tagged by the model", r.model_tagged);
        printf(")\n");
        break;
    case INGEST_UNCHANGED:
        printf("%-9s %s  %s  (already in the library; --replace re-ingests it)\n",
               ingest_outcome_name(o), path, r.book_id);
        break;
    case INGEST_REFUSED:
    case INGEST_FAILED:
        printf("%-9s %s: %s\n", ingest_outcome_name(o), path, r.error);
        run->bad++;
        break;
    }
    fflush(stdout);
}

/* A library whose related-words table is empty gets it from WordNet
 * when WordNet is installed (plccoach reindex --related reloads it);
 * without WordNet search expands nothing, which is said, not failed. */
static void related_first_load(struct db *db)
{
    char err[512];
    int64_t have;
    size_t n;

    if (related_count(db, &have) != DB_OK || have > 0)
        return;
    if (access(WORDNET_DIR_DEFAULT "/index.noun", R_OK) != 0) {
        fprintf(stderr,
                "plccoach: WordNet is not installed (%s): questions are not expanded "
                "with related words\n",
                WORDNET_DIR_DEFAULT);
        return;
    }
    if (related_load(db, NULL, &n, err, sizeof(err)))
        printf("related   %zu related words from WordNet (%s)\n", n, WORDNET_DIR_DEFAULT);
    else
        fprintf(stderr, "plccoach: related words not loaded: %s\n", err);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Ingests path: a file, or every matching file under a directory (in name
 * order, hidden entries skipped). */
static void walk(struct ingest_run *run, const char *path, bool top)
{
    struct stat st;
    enum doc_format f;

    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        if (top || ingest_format_of(path, &f))
            one_file(run, path);
        return;
    }
    {
        DIR *dir = opendir(path);
        struct dirent *e;
        char **names = NULL;
        size_t n = 0, i;

        if (dir == NULL) {
            printf("refused   %s: cannot open the directory\n", path);
            run->bad++;
            return;
        }
        while ((e = readdir(dir)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            names = xrealloc(names, (n + 1) * sizeof(*names));
            names[n++] = xasprintf("%s/%s", path, e->d_name);
        }
        closedir(dir);
        if (n > 1)
            qsort(names, n, sizeof(*names), by_name);
        for (i = 0; i < n; i++) {
            walk(run, names[i], false);
            free(names[i]);
        }
        free(names);
    }
}

int cmd_ingest(int argc, char **argv, struct config *cfg)
{
    static const struct option opts[] = {
        {"title", required_argument, NULL, 't'},
        {"authors", required_argument, NULL, 'a'},
        {"isbn", required_argument, NULL, 'i'},
        {"sku", required_argument, NULL, 's'},
        {"product-url", required_argument, NULL, 'u'},
        {"replace", no_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct ingest_run run;
    int c, i;

    memset(&run, 0, sizeof(run));
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 't': run.opts.title = optarg; break;
        case 'a': run.opts.authors = optarg; break;
        case 'i': run.opts.isbn = optarg; break;
        case 's': run.opts.sku = optarg; break;
        case 'u': run.opts.product_url = optarg; break;
        case 'r': run.opts.replace = true; break;
        case 'h':
            printf("Usage: plccoach ingest PATH... [--title T] [--authors \"A; B\"] [--isbn I]\n"
                   "                        [--sku S] [--product-url U] [--replace]\n"
                   "Adds books (.pdf, .md, .markdown, .txt; directories recursively) to the "
                   "library.\nThe same file twice is left unchanged; --replace re-ingests it.\n");
            return 0;
        default: return 2;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "plccoach: ingest needs at least one file or directory\n");
        return 2;
    }
    db_init(&run.db, cfg);
    if (db_conn(&run.db) == NULL) {
        fprintf(stderr, "plccoach: cannot connect to the database: %s\n", run.db.last_error);
        return 1;
    }
    /* Into a library without its HNSW index yet (a first load), the
     * index is built once after the last book rather than grown book by
     * book (library/embed.h). */
    library_defer_index(true);
    for (i = optind; i < argc; i++)
        walk(&run, argv[i], true);
    if (!library_finish_deferred_index(&run.db, cfg)) {
        fprintf(stderr,
                "plccoach: the books are in, but the search index could not be built "
                "(plccoach reindex builds it): %s\n",
                run.db.last_error);
        run.bad++;
    }
    related_first_load(&run.db);
    db_close(&run.db);
    return run.bad > 0 ? 1 : 0;
}
