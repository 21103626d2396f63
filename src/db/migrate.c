/*
 * Schema migrations; see migrate.h.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/migrate.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "db/db.h"
#include "util/cfg.h"
#include "util/text.h"

bool migrate_name_valid(const char *file)
{
    size_t len = strlen(file), i;

    if (len < 9 || strcmp(file + len - 4, ".sql") != 0)
        return false;
    for (i = 0; i < 3; i++)
        if (!isdigit((unsigned char)file[i]))
            return false;
    if (file[3] != '_')
        return false;
    for (i = 4; i < len - 4; i++)
        if (!(islower((unsigned char)file[i]) || isdigit((unsigned char)file[i]) || file[i] == '_'))
            return false;
    return true;
}

static bool is_dir(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *migrate_find_dir(const struct config *cfg)
{
    char exe[PATH_MAX];
    ssize_t n;

    if (cfg->sql_dir != NULL && cfg->sql_dir[0] != '\0')
        return xstrdup(cfg->sql_dir);
    /* A program run from the build tree uses the source tree's migrations,
     * even when an older release is installed. */
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        char *slash;
        exe[n] = '\0';
        slash = strrchr(exe, '/');
        if (slash != NULL) {
            *slash = '\0';
            if (strcmp(exe, PLC_BUILDDIR) == 0 && is_dir(PLC_SRCDIR "/sql"))
                return xstrdup(PLC_SRCDIR "/sql");
        }
    }
    return xstrdup(PLC_PKGDATADIR "/sql");
}

static int cmp_migration(const void *a, const void *b)
{
    return strcmp(((const struct migration *)a)->name, ((const struct migration *)b)->name);
}

/* Reads a whole file into a new buffer; false with err set on failure. */
static bool slurp(const char *path, char **out, size_t *len, char *err, size_t errlen)
{
    struct buf b = BUF_INIT;
    char chunk[8192];
    size_t got;
    FILE *f = fopen(path, "rb");

    if (f == NULL) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return false;
    }
    while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_append(&b, chunk, got);
    if (ferror(f)) {
        snprintf(err, errlen, "%s: read error", path);
        fclose(f);
        buf_free(&b);
        return false;
    }
    fclose(f);
    *len = b.len;
    *out = buf_steal(&b);
    return true;
}

bool migrate_load(const char *dir, struct migration_set *set, char *err, size_t errlen)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    size_t cap = 0, i;

    memset(set, 0, sizeof(*set));
    if (d == NULL) {
        snprintf(err, errlen, "migrations directory %s: %s", dir, strerror(errno));
        return false;
    }
    set->dir = xstrdup(dir);
    while ((de = readdir(d)) != NULL) {
        struct migration *m;
        char *path;
        size_t nlen = strlen(de->d_name);

        if (nlen < 4 || strcmp(de->d_name + nlen - 4, ".sql") != 0)
            continue;
        if (!migrate_name_valid(de->d_name)) {
            snprintf(err, errlen, "%s/%s: migration files are named NNN_name.sql ([a-z0-9_])", dir,
                     de->d_name);
            goto fail;
        }
        if (set->n == cap) {
            cap = cap ? cap * 2 : 16;
            set->items = xrealloc(set->items, cap * sizeof(*set->items));
        }
        m = &set->items[set->n];
        memset(m, 0, sizeof(*m));
        path = xasprintf("%s/%s", dir, de->d_name);
        if (!slurp(path, &m->sql, &m->len, err, errlen)) {
            free(path);
            goto fail;
        }
        free(path);
        m->name = xstrndup(de->d_name, nlen - 4);
        set->n++;
        if (!sha256_hex(m->sql, m->len, m->checksum)) {
            snprintf(err, errlen, "%s: cannot compute checksum", de->d_name);
            goto fail;
        }
    }
    closedir(d);
    d = NULL;
    if (set->n > 0)
        qsort(set->items, set->n, sizeof(*set->items), cmp_migration);
    for (i = 1; i < set->n; i++) {
        if (strncmp(set->items[i - 1].name, set->items[i].name, 3) == 0) {
            snprintf(err, errlen, "%s and %s share the number %.3s", set->items[i - 1].name,
                     set->items[i].name, set->items[i].name);
            goto fail;
        }
    }
    if (set->n == 0) {
        snprintf(err, errlen, "no migrations found in %s", dir);
        goto fail;
    }
    return true;
fail:
    if (d != NULL)
        closedir(d);
    migrate_set_free(set);
    return false;
}

void migrate_set_free(struct migration_set *set)
{
    size_t i;

    if (set == NULL)
        return;
    for (i = 0; i < set->n; i++) {
        free(set->items[i].name);
        free(set->items[i].sql);
    }
    free(set->items);
    free(set->dir);
    memset(set, 0, sizeof(*set));
}

/* Runs a statement without parameters and reports failure to stderr. */
static bool exec_ok(PGconn *conn, const char *sql, const char *what)
{
    PGresult *res = PQexec(conn, sql);
    ExecStatusType st = PQresultStatus(res);
    bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;

    if (!ok)
        fprintf(stderr, "plccoach: %s failed: %s", what, PQerrorMessage(conn));
    PQclear(res);
    return ok;
}

static PGresult *exec_params(PGconn *conn, const char *sql, int n, const char *const *params)
{
    PGresult *res = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(res);

    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        fprintf(stderr, "plccoach: %s", PQerrorMessage(conn));
        PQclear(res);
        return NULL;
    }
    return res;
}

static const struct migration *find(const struct migration_set *set, const char *name)
{
    size_t i;

    for (i = 0; i < set->n; i++)
        if (strcmp(set->items[i].name, name) == 0)
            return &set->items[i];
    return NULL;
}

/* Applies one migration in its own transaction. */
static bool apply(PGconn *conn, const struct migration *m, FILE *out)
{
    const char *params[2] = {m->name, m->checksum};
    PGresult *res;

    if (!exec_ok(conn, "BEGIN", "BEGIN"))
        return false;
    res = PQexec(conn, m->sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
        fprintf(stderr, "plccoach: migration %s failed: %s", m->name, PQerrorMessage(conn));
        PQclear(res);
        exec_ok(conn, "ROLLBACK", "ROLLBACK");
        return false;
    }
    PQclear(res);
    res = exec_params(conn, "INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)", 2,
                      params);
    if (res == NULL) {
        exec_ok(conn, "ROLLBACK", "ROLLBACK");
        return false;
    }
    PQclear(res);
    if (!exec_ok(conn, "COMMIT", "COMMIT"))
        return false;
    fprintf(out, "applied  %s\n", m->name);
    return true;
}

int migrate_run(PGconn *conn, const struct migration_set *set, bool status_only, FILE *out)
{
    const char *lock[1] = {MIGRATE_LOCK_KEY};
    PGresult *res, *applied = NULL;
    const char *last_applied = "";
    int rc = 1, i, napplied = 0, newer = 0;
    size_t j;
    bool locked = false, bad = false;

    res = exec_params(conn, "SELECT pg_advisory_lock($1::bigint)", 1, lock);
    if (res == NULL)
        return 1;
    PQclear(res);
    locked = true;

    res = exec_params(conn, "SELECT to_regclass('schema_migrations') IS NOT NULL", 0, NULL);
    if (res == NULL)
        goto done;
    if (strcmp(PQgetvalue(res, 0, 0), "t") == 0) {
        applied = exec_params(conn,
                              "SELECT name, checksum, to_char(applied_at AT TIME ZONE 'UTC', "
                              "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM schema_migrations "
                              "ORDER BY name",
                              0, NULL);
        if (applied == NULL) {
            PQclear(res);
            goto done;
        }
        napplied = PQntuples(applied);
    }
    PQclear(res);

    for (i = 0; i < napplied; i++) {
        const char *name = PQgetvalue(applied, i, 0);
        const struct migration *m = find(set, name);
        if (m == NULL && (set->n == 0 || strcmp(name, set->items[set->n - 1].name) > 0)) {
            /* Numbered above every file here: a newer release applied it
             * (this is a rollback to an earlier image).  Migrations only
             * add, so this release runs on that schema; nothing to do. */
            fprintf(stderr, "plccoach: %s was applied by a newer release; leaving it\n", name);
            newer++;
        } else if (m == NULL) {
            fprintf(stderr, "plccoach: applied migration %s is missing from %s\n", name, set->dir);
            bad = true;
        } else if (strcmp(m->checksum, PQgetvalue(applied, i, 1)) != 0) {
            fprintf(stderr,
                    "plccoach: migration %s was edited after it was applied "
                    "(checksum %.12s..., applied %.12s...); add a new migration instead\n",
                    name, m->checksum, PQgetvalue(applied, i, 1));
            bad = true;
        }
        if (strcmp(name, last_applied) > 0)
            last_applied = name;
    }
    for (j = 0; j < set->n; j++) {
        const struct migration *m = &set->items[j];
        bool done_already = false;
        for (i = 0; i < napplied; i++)
            if (strcmp(PQgetvalue(applied, i, 0), m->name) == 0)
                done_already = true;
        if (status_only) {
            const char *when = "";
            for (i = 0; i < napplied; i++)
                if (strcmp(PQgetvalue(applied, i, 0), m->name) == 0)
                    when = PQgetvalue(applied, i, 2);
            fprintf(out, "%-8s %s%s%s\n", done_already ? "applied" : "pending", m->name,
                    when[0] ? "  " : "", when);
        } else if (!done_already && newer > 0) {
            fprintf(stderr,
                    "plccoach: pending migration %s is older than migrations a newer release "
                    "applied; deploy that release instead\n",
                    m->name);
            bad = true;
        } else if (!done_already && strcmp(m->name, last_applied) < 0) {
            fprintf(stderr, "plccoach: pending migration %s is numbered below applied %s\n",
                    m->name, last_applied);
            bad = true;
        }
    }
    if (bad || status_only) {
        rc = bad ? 1 : 0;
        goto done;
    }
    for (j = 0; j < set->n; j++) {
        const struct migration *m = &set->items[j];
        bool done_already = false;
        for (i = 0; i < napplied; i++)
            if (strcmp(PQgetvalue(applied, i, 0), m->name) == 0)
                done_already = true;
        if (!done_already && !apply(conn, m, out))
            goto done;
    }
    /* The history is the migrating role's alone: default privileges give
     * the application role every new table, this one included
     * (plccoach db-roles), and it has no business writing it. */
    res = exec_params(conn,
                      "DO $$ DECLARE r record; BEGIN FOR r IN SELECT DISTINCT grantee "
                      "FROM information_schema.role_table_grants WHERE table_schema = "
                      "current_schema() AND table_name = 'schema_migrations' AND privilege_type "
                      "IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE') AND grantee <> current_user "
                      "AND grantee <> 'PUBLIC' LOOP EXECUTE format('REVOKE INSERT, UPDATE, DELETE, "
                      "TRUNCATE ON schema_migrations FROM %I', r.grantee); END LOOP; END $$",
                      0, NULL);
    if (res == NULL)
        goto done;
    PQclear(res);
    rc = 0;
done:
    PQclear(applied);
    if (locked) {
        res = exec_params(conn, "SELECT pg_advisory_unlock($1::bigint)", 1, lock);
        PQclear(res);
    }
    return rc;
}

/* Whether the server cfg names answers at all (no authentication). */
static PGPing server_ping(const struct config *cfg)
{
    char timeout[16];
    const char *keys[3], *vals[3];
    int i = 0;

    snprintf(timeout, sizeof(timeout), "%lld", (long long)cfg->db_connect_timeout);
    if (cfg->database_url != NULL && cfg->database_url[0] != '\0') {
        keys[i] = "dbname";
        vals[i++] = cfg->database_url;
    }
    keys[i] = "connect_timeout";
    vals[i++] = timeout;
    keys[i] = NULL;
    vals[i] = NULL;
    return PQpingParams(keys, vals, 1);
}

PGconn *migrate_connect_wait(const struct config *cfg, int64_t wait_s, FILE *log)
{
    int64_t deadline = now_ms() + wait_s * 1000;
    unsigned delay_ms = 500;

    for (;;) {
        PGconn *conn = db_connect_cli(cfg);
        PGPing ping;
        int64_t left;

        if (conn != NULL || wait_s == 0)
            return conn;
        /* The server answers, so it refused us (credentials, database
         * name): waiting changes nothing.  Nor does a malformed
         * connection string. */
        ping = server_ping(cfg);
        if (ping == PQPING_OK || ping == PQPING_NO_ATTEMPT)
            return NULL;
        left = deadline - now_ms();
        if (left <= 0) {
            fprintf(log, "plccoach: the database did not accept connections within %lld s\n",
                    (long long)wait_s);
            return NULL;
        }
        fprintf(log, "plccoach: the database is %s; trying again (%lld s left)\n",
                ping == PQPING_REJECT ? "not accepting connections yet" : "unreachable",
                (long long)(left / 1000));
        fflush(log);
        if ((int64_t)delay_ms > left)
            delay_ms = (unsigned)left;
        usleep(delay_ms * 1000u);
        if (delay_ms < 5000)
            delay_ms *= 2;
    }
}
