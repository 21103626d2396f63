/* Tests for db/migrate without a database: naming, ordering, checksums,
 * refusal of bad sets, directory discovery.  Applying them against a real
 * PostgreSQL is t/integration/migrate.sh. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/migrate.h"
#include "tap/basic.h"
#include "util/alloc.h"
#include "util/cfg.h"

static char dir[] = "/tmp/plc-migrate-t-XXXXXX";

static void put(const char *name, const char *text)
{
    char *path = xasprintf("%s/%s", dir, name);
    FILE *f = fopen(path, "w");

    if (f == NULL)
        bail("cannot write %s", path);
    fputs(text, f);
    fclose(f);
    free(path);
}

static void rm(const char *name)
{
    char *path = xasprintf("%s/%s", dir, name);

    unlink(path);
    free(path);
}

int main(void)
{
    struct migration_set set;
    struct config cfg;
    char err[512], sum[SHA256_HEX_LEN + 1];
    char *found;

    if (mkdtemp(dir) == NULL)
        bail("mkdtemp failed");
    plan(20);

    ok(migrate_name_valid("001_init.sql"), "NNN_name.sql is valid");
    ok(migrate_name_valid("042_add_books_2.sql"), "digits and underscores allowed in the name");
    ok(!migrate_name_valid("1_init.sql"), "number must have three digits");
    ok(!migrate_name_valid("001-init.sql"), "separator must be an underscore");
    ok(!migrate_name_valid("001_Init.sql"), "upper case refused");
    ok(!migrate_name_valid("001_.sql"), "empty name refused");
    ok(!migrate_name_valid("001_init.sql.bak"), "other extensions refused");

    ok(!migrate_load(dir, &set, err, sizeof(err)) && strstr(err, "no migrations"),
       "an empty directory is an error");

    put("002_second.sql", "SELECT 2;\n");
    put("001_first.sql", "SELECT 1;\n");
    put("README", "not a migration\n");
    ok(migrate_load(dir, &set, err, sizeof(err)), "a directory of migrations loads");
    is_int(2, (long long)set.n, "non-.sql files are ignored");
    is_string("001_first", set.items[0].name, "sorted: 001 first");
    is_string("002_second", set.items[1].name, "sorted: 002 second");
    (void)!sha256_hex("SELECT 1;\n", 10, sum);
    is_string(sum, set.items[0].checksum, "checksum is the SHA-256 of the file");
    is_string("SELECT 1;\n", set.items[0].sql, "contents loaded");
    migrate_set_free(&set);

    put("002_other.sql", "SELECT 3;\n");
    ok(!migrate_load(dir, &set, err, sizeof(err)) && strstr(err, "share the number"),
       "two migrations with one number refused");
    rm("002_other.sql");
    put("003_Bad.sql", "SELECT 3;\n");
    ok(!migrate_load(dir, &set, err, sizeof(err)) && strstr(err, "003_Bad.sql"),
       "a misnamed .sql file is refused by name");
    rm("003_Bad.sql");

    if (!config_load(&cfg, err, sizeof(err)))
        bail("config: %s", err);
    free(cfg.sql_dir);
    cfg.sql_dir = xstrdup(dir);
    found = migrate_find_dir(&cfg);
    is_string(dir, found, "PLCCOACH_SQL_DIR wins");
    free(found);
    free(cfg.sql_dir);
    cfg.sql_dir = xstrdup("");
    found = migrate_find_dir(&cfg);
    is_string(PLC_PKGDATADIR "/sql", found,
              "a program outside the build tree uses the installed migrations");
    free(found);
    config_free(&cfg);

    ok(migrate_load(test_srcfile("sql"), &set, err, sizeof(err)), "the repository's sql/ loads");
    ok(set.n > 0 && strcmp(set.items[0].name, "001_init") == 0, "and starts with 001_init");
    migrate_set_free(&set);

    rm("001_first.sql");
    rm("002_second.sql");
    rm("README");
    rmdir(dir);
    return 0;
}
