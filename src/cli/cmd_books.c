/*
 * plccoach books list
 * plccoach books show ID
 * plccoach books remove ID
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "db/db.h"
#include "library/store.h"
#include "util/cfg.h"
#include "util/text.h"

static int usage(void)
{
    fprintf(stderr, "Usage: plccoach books list | show ID | remove ID\n");
    return 2;
}

/* Prints a NULL value as "-". */
static const char *v(const PGresult *res, int row, int col)
{
    const char *s = db_value(res, row, col);

    return s ? s : "-";
}

static int books_list(struct db *db)
{
    PGresult *res = db_exec(db,
                            "SELECT b.id, b.format, b.page_count,"
                            " (SELECT count(*) FROM chunks c WHERE c.book_id = b.id),"
                            " b.title, array_to_string(b.authors, '; ')"
                            " FROM books b ORDER BY b.title, b.created_at",
                            0, NULL, true);
    int i;

    if (res == NULL) {
        fprintf(stderr, "plccoach: %s\n", db->last_error);
        return 1;
    }
    for (i = 0; i < PQntuples(res); i++)
        printf("%s  %-8s  %4s pages  %5s chunks  %s%s%s\n", v(res, i, 0), v(res, i, 1),
               v(res, i, 2), v(res, i, 3), v(res, i, 4), *v(res, i, 5) ? " — " : "",
               db_value(res, i, 5) ? v(res, i, 5) : "");
    PQclear(res);
    return 0;
}

static int books_show(struct db *db, const char *id)
{
    const char *params[1] = {id};
    PGresult *res = db_exec(db,
                            "SELECT id, title, array_to_string(authors, '; '), edition, isbn,"
                            " sku, product_url, source_uri, sha256, format, sample, page_count,"
                            " (SELECT count(*) FROM chunks c WHERE c.book_id = books.id),"
                            " created_at FROM books WHERE id = $1::uuid",
                            1, params, true);
    static const char *const labels[] = {
        "id",     "title",  "authors", "edition", "isbn",  "sku",    "product url",
        "source", "sha256", "format",  "sample",  "pages", "chunks", "added",
    };
    int i;

    if (res == NULL) {
        fprintf(stderr, "plccoach: %s\n", db->last_error);
        return 1;
    }
    if (PQntuples(res) == 0) {
        fprintf(stderr, "plccoach: no book %s\n", id);
        PQclear(res);
        return 1;
    }
    for (i = 0; i < (int)(sizeof(labels) / sizeof(labels[0])); i++)
        printf("%-12s %s\n", labels[i], v(res, 0, i));
    PQclear(res);
    res = db_exec(db,
                  "SELECT ch.ordinal, coalesce(ch.number, '-'), ch.title, ch.page_start,"
                  " ch.page_end, (SELECT count(*) FROM chunks c WHERE c.chapter_id = ch.id)"
                  " FROM chapters ch WHERE ch.book_id = $1::uuid ORDER BY ch.ordinal",
                  1, params, true);
    if (res == NULL) {
        fprintf(stderr, "plccoach: %s\n", db->last_error);
        return 1;
    }
    printf("chapters     %d\n", PQntuples(res));
    for (i = 0; i < PQntuples(res); i++)
        printf("  %-4s %s  (pp. %s-%s, %s chunks)\n", v(res, i, 1), v(res, i, 2), v(res, i, 3),
               v(res, i, 4), v(res, i, 5));
    PQclear(res);
    return 0;
}

int cmd_books(int argc, char **argv, struct config *cfg)
{
    struct db db;
    int rc;

    if (argc < 2)
        return usage();
    if (strcmp(argv[1], "list") == 0
            ? argc != 2
            : (strcmp(argv[1], "show") != 0 && strcmp(argv[1], "remove") != 0) || argc != 3)
        return usage();
    if (argc == 3 && !is_uuid(argv[2])) {
        fprintf(stderr, "plccoach: '%s' is not a book id (a UUID; see plccoach books list)\n",
                argv[2]);
        return 2;
    }
    db_init(&db, cfg);
    if (db_conn(&db) == NULL) {
        fprintf(stderr, "plccoach: cannot connect to the database: %s\n", db.last_error);
        return 1;
    }
    if (strcmp(argv[1], "list") == 0) {
        rc = books_list(&db);
    } else if (strcmp(argv[1], "show") == 0) {
        rc = books_show(&db, argv[2]);
    } else {
        int r = store_remove_book(&db, argv[2]);

        rc = r == 1 ? 0 : 1;
        if (r == 1)
            printf("removed %s\n", argv[2]);
        else if (r == 0)
            fprintf(stderr, "plccoach: no book %s\n", argv[2]);
        else
            fprintf(stderr, "plccoach: %s\n", db.last_error);
    }
    db_close(&db);
    return rc;
}
