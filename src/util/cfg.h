/*
 * Configuration: one table of environment variables.
 *
 * Every key has a name, a type, a default and a description; the table is
 * printed by `plccoach-fcgi --help-config` and a test checks that each key
 * is documented in docs/configuration.md.  Values are read once at
 * start-up into a struct config that the workers own for their lifetime.
 */
#ifndef PLC_UTIL_CFG_H
#define PLC_UTIL_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* CONFIG_URL is a string that, when set, must be an https:// URL (plain
 * http:// only on loopback: url_https_or_loopback()). */
enum config_type { CONFIG_STRING, CONFIG_INT, CONFIG_BOOL, CONFIG_MODE, CONFIG_URL };

struct config {
    char *listen; /* unix:PATH, HOST:PORT, or "" for fd 0 */
    int64_t workers;
    int64_t job_workers;   /* job processes (ingestion), 0 = none */
    int64_t max_requests;  /* 0 = never recycle */
    bool warm_start;       /* a worker answers a question of its own before its first accept */
    int64_t drain_timeout; /* seconds */
    char *pidfile;
    int64_t socket_mode;    /* permissions of a unix listen socket */
    int64_t backoff_max_ms; /* ceiling of the respawn backoff */
    char *database_url;     /* secret: libpq conninfo or URI; "" = libpq env */
    int64_t db_connect_timeout;
    int64_t db_statement_timeout;
    int64_t db_wait_ms; /* how long a statement waits for the database */
    bool db_prepare;    /* statements prepared once per connection (src/db/db.h) */
    int64_t max_body_bytes;
    char *log_level;
    char *sql_dir;
    bool debug_routes;
    char *content_dir;        /* where uploaded books are stored */
    char *scratch_dir;        /* writable: uploads on their way to storage */
    int64_t max_upload_bytes; /* largest book upload */
    /* Object storage (src/storage/storage.h) */
    char *storage;                 /* "local" or "s3" */
    char *s3_content_bucket;       /* uploaded books */
    char *s3_exports_bucket;       /* generated files */
    char *s3_region;               /* "" = AWS_REGION */
    char *s3_endpoint;             /* "" = AWS; else an S3-compatible server, path-style */
    char *public_url;              /* scheme://host[:port] the browser uses */
    int64_t session_idle;          /* seconds of inactivity that end a session */
    int64_t session_max;           /* absolute session lifetime, seconds */
    int64_t login_max_failures;    /* per account and address per 15 minutes, then delays */
    int64_t login_max_failures_ip; /* per address per 15 minutes, then delays */
    int64_t login_per_minute;      /* password attempts per account per minute */
    int64_t login_per_minute_ip;   /* password attempts per address per minute */
    int64_t sessions_per_user;     /* live sessions kept per user */
    int64_t coach_rate_limit;      /* coach requests per user per hour */
    int64_t ingest_cpu_seconds;    /* processor time per ingestion job */
    int64_t ingest_wall_seconds;   /* wall-clock time per ingestion job */
    int64_t ingest_max_page_chars; /* characters of text per PDF page */
    int64_t client_error_limit;    /* browser error reports per address/session per minute */
    int64_t share_link_limit;      /* share link look-ups per address per minute */
    bool share_public;             /* shared conversations readable without sign-in */
    /* OpenID Connect providers (auth/oidc.h): enabled when the client id
     * (and for the generic slot the issuer) is set; secrets never printed */
    char *oidc_google_client_id, *oidc_google_client_secret, *oidc_google_issuer;
    char *oidc_clever_client_id, *oidc_clever_client_secret, *oidc_clever_issuer;
    char *oidc_generic_issuer, *oidc_generic_client_id, *oidc_generic_client_secret;
    char *oidc_generic_name; /* the generic provider's button label */
    /* Embeddings and retrieval (src/library/embed.h, search.h) */
    char *embeddings;              /* "local" or "openai" */
    char *embeddings_url;          /* OpenAI-compatible base URL */
    char *embeddings_model;        /* model name sent to the service */
    int64_t embeddings_dimensions; /* vector size (chunks.embedding::vector(N)) */
    char *embeddings_api_key;      /* secret: bearer token */
    int64_t search_threshold;      /* relevance cut, cosine similarity x 1000 */
    char *domain_tagger;           /* "auto" or "lexicon" (library/domains.h) */
    /* The model service (src/llm/llm.h); "" base URL = extractive mode */
    char *llm_base_url;                 /* OpenAI-compatible base URL */
    char *llm_model;                    /* model name sent to the service */
    char *llm_api_key;                  /* secret: bearer token */
    int64_t llm_temperature;            /* hundredths: 20 = 0.2 */
    int64_t llm_max_tokens;             /* completion tokens per answer */
    int64_t llm_connect_timeout_ms;     /* TCP + TLS set-up */
    int64_t llm_first_token_timeout_ms; /* call start to the first delta */
    int64_t llm_timeout_ms;             /* call start to the end, retries included */
    int64_t llm_retries;                /* extra attempts before anything streamed */
    int64_t llm_breaker_failures;       /* consecutive failed calls that open it */
    int64_t llm_breaker_cooldown_ms;    /* how long it stays open */
    /* Data rights (docs/privacy.md) */
    int64_t retention_days; /* delete conversations older than this; 0 = never */
    /* Exports and cited pages (src/export/) */
    int64_t export_inline_messages; /* exported in the request up to this many messages */
    int64_t page_render_ms;         /* time budget of a cited-page image */
};

struct config_key {
    const char *name;
    enum config_type type;
    const char *def;     /* default as text */
    const char *doc;     /* one-line description */
    int64_t min, max;    /* CONFIG_INT bounds */
    size_t offset;       /* into struct config */
    bool secret;         /* never printed with its value */
    const char *choices; /* CONFIG_STRING: the only values, "a|b|c"; NULL = any */
};

/* The table, terminated by an entry with a NULL name. */
extern const struct config_key config_keys[];

/* Fills cfg from the environment (defaults where unset).  Returns true on
 * success; otherwise writes a message naming the key to err (errlen bytes)
 * and returns false.  Strings in cfg are owned by cfg: config_free(). */
bool config_load(struct config *cfg, char *err, size_t errlen)
    __attribute__((nonnull, warn_unused_result));

/* Sets one key from text (used by command-line flags that override the
 * environment).  Same return convention as config_load. */
bool config_set(struct config *cfg, const char *name, const char *value, char *err, size_t errlen)
    __attribute__((nonnull, warn_unused_result));

/* Prints the table (name, type, default, description). */
void config_print_help(FILE *out) __attribute__((nonnull));

/* Releases the strings owned by cfg. */
void config_free(struct config *cfg);

/* Returns the name of a type ("string", "int", "bool", "mode"). */
const char *config_type_name(enum config_type t);

#endif
