/*
 * plccoach books list
 * plccoach books show ID
 * plccoach books remove ID
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "db/books.h"
#include "db/db.h"
#include "library/store.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/cfg.h"
#include "util/text.h"

static int usage(void)
{
    fprintf(stderr, "Usage: plccoach books list | show ID | remove ID\n");
    return 2;
}

/* Prints a NULL value as "-". */
static const char *v(const char *s)
{
    return s ? s : "-";
}

/* The authors joined by "; " (in a), or "" when there are none. */
static const char *authors_of(struct arena *a, const struct book_row *b)
{
    struct buf out = BUF_INIT;
    const char *s;
    size_t i;

    for (i = 0; i < b->n_authors; i++) {
        if (i > 0)
            buf_puts(&out, "; ");
        buf_puts(&out, b->authors[i]);
    }
    s = arena_strdup(a, buf_str(&out));
    buf_free(&out);
    return s;
}

static int books_list_print(struct db *db, struct arena *a)
{
    struct book_row *rows;
    size_t n, i;

    if (books_list(db, a, &rows, &n) != DB_OK) {
        fprintf(stderr, "plccoach: %s\n", db->last_error);
        return 1;
    }
    for (i = 0; i < n; i++) {
        const char *authors = authors_of(a, &rows[i]);
        printf("%s  %-8s  %4d pages  %5d chunks  %s%s%s\n", rows[i].id, v(rows[i].format),
               rows[i].page_count, rows[i].chunk_count, v(rows[i].title), *authors ? " — " : "",
               authors);
    }
    return 0;
}

static int books_show(struct db *db, struct arena *a, const char *id)
{
    struct book_row b;
    struct chapter_row *ch;
    size_t n, i;
    enum db_status found = book_find(db, a, id, &b);

    if (found == DB_ERROR) {
        fprintf(stderr, "plccoach: %s\n", db->last_error);
        return 1;
    }
    if (found == DB_NOT_FOUND) {
        fprintf(stderr, "plccoach: no book %s\n", id);
        return 1;
    }
    printf("%-12s %s\n", "id", b.id);
    printf("%-12s %s\n", "title", v(b.title));
    printf("%-12s %s\n", "authors", b.authors ? authors_of(a, &b) : "-");
    printf("%-12s %s\n", "edition", v(b.edition));
    printf("%-12s %s\n", "isbn", v(b.isbn));
    printf("%-12s %s\n", "sku", v(b.sku));
    printf("%-12s %s\n", "product url", v(b.product_url));
    printf("%-12s %s\n", "source", v(b.source_uri));
    printf("%-12s %s\n", "sha256", v(b.sha256));
    printf("%-12s %s\n", "format", v(b.format));
    printf("%-12s %s\n", "sample", b.sample ? "t" : "f");
    printf("%-12s %d\n", "pages", b.page_count);
    printf("%-12s %d\n", "chunks", b.chunk_count);
    printf("%-12s %s\n", "added", v(b.created_at));
    if (book_chapters(db, a, id, &ch, &n) != DB_OK) {
        fprintf(stderr, "plccoach: %s\n", db->last_error);
        return 1;
    }
    printf("chapters     %zu\n", n);
    for (i = 0; i < n; i++)
        printf("  %-4s %s  (pp. %s-%s, %d chunks)\n", v(ch[i].number), v(ch[i].title),
               v(ch[i].page_start), v(ch[i].page_end), ch[i].chunk_count);
    return 0;
}

/* The same removal as DELETE /api/admin/books/{id} (store_remove_book),
 * audited without an actor. */
static int books_remove(struct db *db, const char *id)
{
    int gone;

    enum db_status st = store_remove_book(db, id, NULL, NULL, &gone);

    if (st == DB_OK)
        printf("removed %s\n", id);
    else if (st == DB_NOT_FOUND)
        fprintf(stderr, "plccoach: no book %s\n", id);
    else
        fprintf(stderr, "plccoach: %s\n", db->last_error);
    return st == DB_OK ? 0 : 1;
}

int cmd_books(int argc, char **argv, struct config *cfg)
{
    struct arena a = ARENA_INIT;
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
    if (strcmp(argv[1], "list") == 0)
        rc = books_list_print(&db, &a);
    else if (strcmp(argv[1], "show") == 0)
        rc = books_show(&db, &a, argv[2]);
    else
        rc = books_remove(&db, argv[2]);
    arena_free(&a);
    db_close(&db);
    return rc;
}
