/* Tests for util/cfg: defaults, environment, validation, documentation. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap/basic.h"
#include "util/buf.h"
#include "util/cfg.h"

/* Reads a whole file into b; false when it cannot be opened. */
static bool slurp(const char *path, struct buf *b)
{
    char chunk[4096];
    size_t n;
    FILE *f = fopen(path, "r");

    if (f == NULL)
        return false;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_append(b, chunk, n);
    fclose(f);
    return true;
}

int main(void)
{
    const struct config_key *k;
    struct config cfg;
    struct buf doc = BUF_INIT, help = BUF_INIT;
    char err[256];
    FILE *tmp;
    size_t nkeys = 0;
    bool documented = true, described = true, defaults_valid = true, in_help = true;

    for (k = config_keys; k->name != NULL; k++)
        nkeys++;
    plan(20);

    for (k = config_keys; k->name != NULL; k++)
        unsetenv(k->name);
    ok(config_load(&cfg, err, sizeof(err)), "defaults load");
    is_int(4, cfg.workers, "workers defaults to 4");
    is_int(1048576, cfg.max_body_bytes, "body limit defaults to 1 MiB");
    is_int(0660, cfg.socket_mode, "socket mode default is octal 0660");
    ok(!cfg.debug_routes, "debug routes are off by default");
    ok(cfg.warm_start, "the warm start is on by default (production wants it)");
    is_string("", cfg.database_url, "database URL defaults to empty (libpq environment)");
    config_free(&cfg);

    setenv("PLCCOACH_WORKERS", "9", 1);
    setenv("PLCCOACH_DEBUG_ROUTES", "yes", 1);
    ok(config_load(&cfg, err, sizeof(err)) && cfg.workers == 9 && cfg.debug_routes,
       "environment overrides defaults");
    ok(config_set(&cfg, "PLCCOACH_WORKERS", "2", err, sizeof(err)) && cfg.workers == 2,
       "config_set overrides (command-line flags)");
    ok(config_set(&cfg, "PLCCOACH_STORAGE", "s3", err, sizeof(err))
           && !config_set(&cfg, "PLCCOACH_STORAGE", "ftp", err, sizeof(err))
           && strcmp(err, "PLCCOACH_STORAGE: expected local or s3") == 0,
       "a key with choices takes only those (%s)", err);
    ok(config_set(&cfg, "PLCCOACH_LLM_BASE_URL", "http://127.0.0.1:9", err, sizeof(err))
           && config_set(&cfg, "PLCCOACH_LLM_BASE_URL", "", err, sizeof(err))
           && !config_set(&cfg, "PLCCOACH_LLM_BASE_URL", "http://example.org", err, sizeof(err))
           && strstr(err, "https://") != NULL,
       "a URL key takes https, loopback http or nothing (%s)", err);
    setenv("PLCCOACH_WARM_START", "false", 1);
    config_free(&cfg);
    ok(config_load(&cfg, err, sizeof(err)) && !cfg.warm_start
           && !config_set(&cfg, "PLCCOACH_WARM_START", "sometimes", err, sizeof(err))
           && strstr(err, "PLCCOACH_WARM_START") != NULL,
       "PLCCOACH_WARM_START=false turns it off; a word that is not a boolean is refused");
    unsetenv("PLCCOACH_WARM_START");
    ok(!config_set(&cfg, "PLCCOACH_NOPE", "1", err, sizeof(err)) && strstr(err, "PLCCOACH_NOPE"),
       "unknown key refused by name");
    config_free(&cfg);

    setenv("PLCCOACH_WORKERS", "0", 1);
    ok(!config_load(&cfg, err, sizeof(err)) && strstr(err, "PLCCOACH_WORKERS") != NULL,
       "out-of-range integer refused, naming the key");
    config_free(&cfg);
    setenv("PLCCOACH_WORKERS", "4", 1);
    setenv("PLCCOACH_LOG_LEVEL", "loud", 1);
    ok(!config_load(&cfg, err, sizeof(err)) && strstr(err, "PLCCOACH_LOG_LEVEL") != NULL,
       "unknown log level refused");
    config_free(&cfg);
    unsetenv("PLCCOACH_LOG_LEVEL");
    setenv("PLCCOACH_SOCKET_MODE", "0999", 1);
    ok(!config_load(&cfg, err, sizeof(err)), "non-octal mode refused");
    config_free(&cfg);
    unsetenv("PLCCOACH_SOCKET_MODE");

    /* Every key must be documented; a new key without docs fails here. */
    if (!slurp(test_srcfile("docs/configuration.md"), &doc))
        bail("cannot read docs/configuration.md");
    for (k = config_keys; k->name != NULL; k++) {
        char needle[128];
        snprintf(needle, sizeof(needle), "`%s`", k->name);
        if (strstr(buf_str(&doc), needle) == NULL) {
            diag("%s is missing from docs/configuration.md", k->name);
            documented = false;
        }
        if (k->doc == NULL || strlen(k->doc) < 10)
            described = false;
        {
            struct config c2;
            memset(&c2, 0, sizeof(c2));
            if (!config_set(&c2, k->name, k->def, err, sizeof(err))) {
                diag("default of %s is invalid: %s", k->name, err);
                defaults_valid = false;
            }
            config_free(&c2);
        }
    }
    ok(documented, "all %zu keys appear in docs/configuration.md", nkeys);
    ok(described, "every key has a description");
    ok(defaults_valid, "every default passes its own validation");

    tmp = tmpfile();
    config_print_help(tmp);
    rewind(tmp);
    {
        char chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof(chunk), tmp)) > 0)
            buf_append(&help, chunk, n);
    }
    fclose(tmp);
    for (k = config_keys; k->name != NULL; k++)
        if (strstr(buf_str(&help), k->name) == NULL)
            in_help = false;
    ok(in_help, "--help-config lists every key");
    buf_free(&doc);
    buf_free(&help);
    return 0;
}
