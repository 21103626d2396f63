/*
 * Configuration table and loader; see config.h.
 */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/cfg.h"
#include "util/log.h"
#include "util/text.h"
#include "util/url.h"

#define KEY(n, t, d, lo, hi, field, sec, doc)                                                      \
    {                                                                                              \
        n, t, d, doc, lo, hi, offsetof(struct config, field), sec, NULL                            \
    }
/* A string key that takes one of a few words ("a|b"). */
#define CHOICE(n, choices, d, field, doc)                                                          \
    {                                                                                              \
        n, CONFIG_STRING, d, doc, 0, 0, offsetof(struct config, field), false, choices             \
    }

const struct config_key config_keys[] = {
    KEY("PLCCOACH_LISTEN", CONFIG_STRING, "", 0, 0, listen, false,
        "Where the FastCGI server listens: unix:PATH or HOST:PORT; empty means the socket "
        "spawn-fcgi passes on fd 0. Overridden by --listen."),
    KEY("PLCCOACH_WORKERS", CONFIG_INT, "4", 1, 256, workers, false,
        "Number of preforked worker processes. Overridden by --workers."),
    KEY("PLCCOACH_JOB_WORKERS", CONFIG_INT, "1", 0, 16, job_workers, false,
        "Job processes that take ingestion jobs from the database queue (0 = none in this "
        "task). Overridden by --job-workers."),
    KEY("PLCCOACH_MAX_REQUESTS", CONFIG_INT, "10000", 0, INT64_C(1000000000), max_requests, false,
        "A worker exits and is replaced after this many requests, less up to a tenth drawn "
        "per worker so that workers started together do not reconnect together (0 = never). "
        "Overridden by --max-requests."),
    KEY("PLCCOACH_WARM_START", CONFIG_BOOL, "true", 0, 0, warm_start, false,
        "Each worker answers one question of its own (extractive, saved nowhere, no model "
        "request) before its first accept, so that no teacher's question pays for a cold "
        "worker; bounded, and a failure is one log line."),
    KEY("PLCCOACH_DRAIN_TIMEOUT", CONFIG_INT, "25", 1, 3600, drain_timeout, false,
        "Seconds that in-flight requests get to finish after SIGTERM before workers are killed; "
        "keep it below the ECS stop timeout (30 s). Overridden by --drain-timeout."),
    KEY("PLCCOACH_PIDFILE", CONFIG_STRING, "", 0, 0, pidfile, false,
        "File the master writes its pid to (empty = none). Overridden by --pidfile."),
    KEY("PLCCOACH_SOCKET_MODE", CONFIG_MODE, "0660", 0, 0777, socket_mode, false,
        "Permissions (octal) of a unix listen socket."),
    KEY("PLCCOACH_RESPAWN_BACKOFF_MAX", CONFIG_INT, "30000", 100, 600000, backoff_max_ms, false,
        "Ceiling in milliseconds of the delay before respawning a worker that keeps crashing."),
    KEY("PLCCOACH_DATABASE_URL", CONFIG_STRING, "", 0, 0, database_url, true,
        "libpq connection string or postgresql:// URI; empty uses libpq's own PG* variables."),
    KEY("PLCCOACH_DB_CONNECT_TIMEOUT", CONFIG_INT, "5", 1, 120, db_connect_timeout, false,
        "Seconds to wait for a database connection."),
    KEY("PLCCOACH_DB_STATEMENT_TIMEOUT", CONFIG_INT, "15000", 0, 3600000, db_statement_timeout,
        false, "Milliseconds after which the database cancels a statement (0 = no limit)."),
    KEY("PLCCOACH_DB_WAIT_MS", CONFIG_INT, "3000", 0, 600000, db_wait_ms, false,
        "Milliseconds a request waits for an unreachable database (a restart, a failover) "
        "before failing with 503; 0 fails at once. GET /health never waits."),
    KEY("PLCCOACH_DB_PREPARE", CONFIG_BOOL, "true", 0, 0, db_prepare, false,
        "Prepares each statement once per database connection and reuses it (saves the "
        "server's parsing and planning); false sends every statement unprepared, as a pooler "
        "in transaction mode that does not track prepared statements (pgbouncer before 1.21) "
        "needs."),
    KEY("PLCCOACH_MAX_BODY_BYTES", CONFIG_INT, "1048576", 1024, INT64_C(1073741824), max_body_bytes,
        false, "Largest request body accepted; larger bodies get 413."),
    KEY("PLCCOACH_LOG_LEVEL", CONFIG_STRING, "info", 0, 0, log_level, false,
        "Minimum log level: debug, info, warn or error."),
    KEY("PLCCOACH_SQL_DIR", CONFIG_STRING, "", 0, 0, sql_dir, false,
        "Directory of migrations; empty finds them in the source tree or the installed tree."),
    KEY("PLCCOACH_DEBUG_ROUTES", CONFIG_BOOL, "false", 0, 0, debug_routes, false,
        "Enables /api/debug/* routes used by the test suite (slow and streaming responses). "
        "Never enable in production."),
    KEY("PLCCOACH_PUBLIC_URL", CONFIG_STRING, "http://localhost:8000", 0, 0, public_url, false,
        "Origin the browser uses (scheme://host[:port]): checked against the Origin header of "
        "state-changing requests (plain-HTTP loopback: localhost, 127.0.0.1 and [::1] at its port "
        "are one origin) and used for sign-in redirects and links. Cookies are Secure with the "
        "__Host- prefix unless this is plain-HTTP loopback."),
    KEY("PLCCOACH_SESSION_IDLE", CONFIG_INT, "1800", 60, 86400, session_idle, false,
        "Seconds of inactivity after which a session ends."),
    KEY("PLCCOACH_SESSION_MAX", CONFIG_INT, "43200", 300, 2592000, session_max, false,
        "Absolute lifetime of a session in seconds, however active."),
    KEY("PLCCOACH_LOGIN_MAX_FAILURES", CONFIG_INT, "5", 1, 1000, login_max_failures, false,
        "Failed password sign-ins of one account from one address in 15 minutes before each "
        "further attempt there waits 1, 2, 4, ... seconds (at most 15 minutes); the account "
        "from another address is not held up."),
    KEY("PLCCOACH_LOGIN_MAX_FAILURES_IP", CONFIG_INT, "30", 1, 100000, login_max_failures_ip, false,
        "Failed password sign-ins from one address (any account) in 15 minutes before each "
        "further attempt from it waits 1, 2, 4, ... seconds (at most 60)."),
    KEY("PLCCOACH_LOGIN_ATTEMPTS_PER_MINUTE", CONFIG_INT, "10", 1, 10000, login_per_minute, false,
        "Password sign-ins of any outcome per account per minute (each costs scrypt work); "
        "429 with Retry-After beyond."),
    KEY("PLCCOACH_LOGIN_ATTEMPTS_PER_MINUTE_IP", CONFIG_INT, "60", 1, 100000, login_per_minute_ip,
        false, "Password sign-ins of any outcome per client address per minute; 429 beyond."),
    KEY("PLCCOACH_SESSIONS_PER_USER", CONFIG_INT, "10", 1, 1000, sessions_per_user, false,
        "Live sessions kept per user: a new sign-in beyond this ends the least recently used."),
    KEY("PLCCOACH_COACH_RATE_LIMIT", CONFIG_INT, "100", 1, 100000, coach_rate_limit, false,
        "Questions to the coach allowed per user per rolling hour (429 with Retry-After beyond)."),
    KEY("PLCCOACH_CLIENT_ERROR_LIMIT", CONFIG_INT, "10", 1, 10000, client_error_limit, false,
        "Browser error reports (POST /api/client-errors) accepted per client address, and per "
        "session, per minute (429 beyond); the same error is logged once per 10 minutes."),
    KEY("PLCCOACH_SHARE_LINK_LIMIT", CONFIG_INT, "300", 1, 100000, share_link_limit, false,
        "Share link look-ups (GET /api/shared/{token} and its /about) per client address per "
        "minute, signed in or not; 429 with Retry-After beyond."),
    KEY("PLCCOACH_OIDC_GOOGLE_CLIENT_ID", CONFIG_STRING, "", 0, 0, oidc_google_client_id, false,
        "Google sign-in: the OAuth client id (empty = Google sign-in off)."),
    KEY("PLCCOACH_OIDC_GOOGLE_CLIENT_SECRET", CONFIG_STRING, "", 0, 0, oidc_google_client_secret,
        true, "Google sign-in: the OAuth client secret."),
    KEY("PLCCOACH_OIDC_GOOGLE_ISSUER", CONFIG_URL, "https://accounts.google.com", 0, 0,
        oidc_google_issuer, false, "Google sign-in: the issuer (discovery document base)."),
    KEY("PLCCOACH_OIDC_CLEVER_CLIENT_ID", CONFIG_STRING, "", 0, 0, oidc_clever_client_id, false,
        "Clever sign-in: the OAuth client id (empty = Clever sign-in off)."),
    KEY("PLCCOACH_OIDC_CLEVER_CLIENT_SECRET", CONFIG_STRING, "", 0, 0, oidc_clever_client_secret,
        true, "Clever sign-in: the OAuth client secret."),
    KEY("PLCCOACH_OIDC_CLEVER_ISSUER", CONFIG_URL, "https://clever.com", 0, 0, oidc_clever_issuer,
        false, "Clever sign-in: the issuer (discovery document base)."),
    KEY("PLCCOACH_OIDC_GENERIC_ISSUER", CONFIG_URL, "", 0, 0, oidc_generic_issuer, false,
        "Any other OpenID provider (Microsoft Entra, ...): its issuer URL (empty = off)."),
    KEY("PLCCOACH_OIDC_GENERIC_CLIENT_ID", CONFIG_STRING, "", 0, 0, oidc_generic_client_id, false,
        "The generic OpenID provider's client id (empty = off)."),
    KEY("PLCCOACH_OIDC_GENERIC_CLIENT_SECRET", CONFIG_STRING, "", 0, 0, oidc_generic_client_secret,
        true, "The generic OpenID provider's client secret."),
    KEY("PLCCOACH_OIDC_GENERIC_NAME", CONFIG_STRING, "Single sign-on", 0, 0, oidc_generic_name,
        false, "The generic OpenID provider's button label, e.g. Microsoft."),
    KEY("PLCCOACH_SHARE_PUBLIC", CONFIG_BOOL, "false", 0, 0, share_public, false,
        "Shared conversation links open without signing in (otherwise any signed-in user)."),
    CHOICE("PLCCOACH_EMBEDDINGS", "local|openai", "local", embeddings,
           "Embedding provider: local (built in, deterministic, no network) or openai (any "
           "OpenAI-compatible /v1/embeddings service)."),
    KEY("PLCCOACH_EMBEDDINGS_URL", CONFIG_URL, "", 0, 0, embeddings_url, false,
        "Base URL of the OpenAI-compatible embeddings service ({url}/v1/embeddings)."),
    KEY("PLCCOACH_EMBEDDINGS_MODEL", CONFIG_STRING, "", 0, 0, embeddings_model, false,
        "Embedding model name sent to the service (recorded in library_settings)."),
    KEY("PLCCOACH_EMBEDDINGS_DIMENSIONS", CONFIG_INT, "384", 1, 16000, embeddings_dimensions, false,
        "Embedding vector size; a change needs `plccoach reindex`."),
    KEY("PLCCOACH_EMBEDDINGS_API_KEY", CONFIG_STRING, "", 0, 0, embeddings_api_key, true,
        "Bearer token for the embeddings service."),
    KEY("PLCCOACH_SEARCH_THRESHOLD", CONFIG_INT, "120", 0, 1000, search_threshold, false,
        "Relevance cut: passages whose cosine similarity to the question is below this "
        "value / 1000 are dropped; nothing left means \"nothing relevant\"."),
    KEY("PLCCOACH_LLM_BASE_URL", CONFIG_URL, "", 0, 0, llm_base_url, false,
        "Base URL of an OpenAI-compatible chat service ({url}/v1/chat/completions); empty = "
        "extractive answers, no model."),
    KEY("PLCCOACH_LLM_MODEL", CONFIG_STRING, "gpt-4o-mini", 0, 0, llm_model, false,
        "Chat model name sent to the service."),
    KEY("PLCCOACH_LLM_API_KEY", CONFIG_STRING, "", 0, 0, llm_api_key, true,
        "Bearer token for the chat service."),
    KEY("PLCCOACH_LLM_TEMPERATURE", CONFIG_INT, "20", 0, 200, llm_temperature, false,
        "Sampling temperature in hundredths (20 = 0.2)."),
    KEY("PLCCOACH_LLM_MAX_TOKENS", CONFIG_INT, "900", 16, 16384, llm_max_tokens, false,
        "Most completion tokens per answer (max_tokens)."),
    KEY("PLCCOACH_LLM_CONNECT_TIMEOUT_MS", CONFIG_INT, "3000", 50, 60000, llm_connect_timeout_ms,
        false, "Milliseconds to connect to the chat service (TCP and TLS)."),
    KEY("PLCCOACH_LLM_FIRST_TOKEN_TIMEOUT_MS", CONFIG_INT, "15000", 50, 600000,
        llm_first_token_timeout_ms, false,
        "Milliseconds from the start of a call to the first streamed text, retries included."),
    KEY("PLCCOACH_LLM_TIMEOUT_MS", CONFIG_INT, "60000", 100, 600000, llm_timeout_ms, false,
        "Milliseconds from the start of a call to its end, retries included."),
    KEY("PLCCOACH_LLM_RETRIES", CONFIG_INT, "2", 0, 10, llm_retries, false,
        "Extra attempts on connection errors, 429 and 5xx before any text was streamed."),
    KEY("PLCCOACH_LLM_BREAKER_FAILURES", CONFIG_INT, "5", 1, 1000, llm_breaker_failures, false,
        "Consecutive failed calls that open the circuit breaker (calls then fail at once)."),
    KEY("PLCCOACH_LLM_BREAKER_COOLDOWN_MS", CONFIG_INT, "30000", 1, 3600000,
        llm_breaker_cooldown_ms, false,
        "Milliseconds the open breaker refuses calls before letting one trial call through."),
    CHOICE("PLCCOACH_DOMAIN_TAGGER", "auto|lexicon", "auto", domain_tagger,
           "How ingestion tags chunks with domains: auto (the language model when "
           "PLCCOACH_LLM_BASE_URL is set, else the built-in lexicon) or lexicon."),
    KEY("PLCCOACH_CONTENT_DIR", CONFIG_STRING, "/var/lib/plccoach/content", 0, 0, content_dir,
        false, "Directory where uploaded books are stored until (and after) ingestion."),
    KEY("PLCCOACH_SCRATCH_DIR", CONFIG_STRING, "/tmp", 0, 0, scratch_dir, false,
        "Writable directory for uploads in flight (unlinked temporary files) on their way to "
        "PLCCOACH_STORAGE; with a read-only root filesystem, a volume (the image's /tmp)."),
    KEY("PLCCOACH_MAX_UPLOAD_BYTES", CONFIG_INT, "52428800", 1024, INT64_C(1073741824),
        max_upload_bytes, false, "Largest book upload accepted (413 above it)."),
    KEY("PLCCOACH_INGEST_CPU_SECONDS", CONFIG_INT, "120", 1, 86400, ingest_cpu_seconds, false,
        "Processor time one ingestion job (an uploaded book) may use; past it the job is "
        "stopped and fails with a message, and the queue moves on."),
    KEY("PLCCOACH_INGEST_WALL_SECONDS", CONFIG_INT, "1800", 10, 86400, ingest_wall_seconds, false,
        "Wall-clock time one ingestion job may take (reading, embedding, storing); past it the "
        "job is stopped and fails."),
    KEY("PLCCOACH_INGEST_MAX_PAGE_CHARS", CONFIG_INT, "20000", 1000, 10000000,
        ingest_max_page_chars, false,
        "Characters of text one page of an uploaded PDF may hold (a dense printed page holds "
        "about 4000); a PDF with a page over it is refused with a message."),
    CHOICE("PLCCOACH_STORAGE", "local|s3", "local", storage,
           "Where uploaded books (and exports) are stored: local (PLCCOACH_CONTENT_DIR, one host) "
           "or s3 (the buckets below, shared by every task)."),
    KEY("PLCCOACH_S3_CONTENT_BUCKET", CONFIG_STRING, "", 0, 0, s3_content_bucket, false,
        "S3 bucket for uploaded books (PLCCOACH_STORAGE=s3)."),
    KEY("PLCCOACH_S3_EXPORTS_BUCKET", CONFIG_STRING, "", 0, 0, s3_exports_bucket, false,
        "S3 bucket for generated files such as exports (PLCCOACH_STORAGE=s3)."),
    KEY("PLCCOACH_S3_REGION", CONFIG_STRING, "", 0, 0, s3_region, false,
        "AWS region of the buckets; empty = AWS_REGION, else AWS_DEFAULT_REGION, else "
        "us-east-1."),
    KEY("PLCCOACH_S3_ENDPOINT", CONFIG_URL, "", 0, 0, s3_endpoint, false,
        "Empty = AWS S3 (virtual-hosted URLs); otherwise scheme://host[:port] of an "
        "S3-compatible server (MinIO, s3rver), addressed path-style."),
    KEY("PLCCOACH_RETENTION_DAYS", CONFIG_INT, "0", 0, 36500, retention_days, false,
        "Delete conversations (and their exports) last changed more than this many days ago, "
        "once a day in the job process (0 = keep them until their owner deletes them)."),
    KEY("PLCCOACH_EXPORT_INLINE_MESSAGES", CONFIG_INT, "60", 0, 100000, export_inline_messages,
        false,
        "Conversations with at most this many messages are exported in the request; "
        "longer ones through the job queue."),
    KEY("PLCCOACH_PAGE_RENDER_MS", CONFIG_INT, "4000", 100, 60000, page_render_ms, false,
        "Time budget of one cited-page image (a child process that is killed past it)."),
    {NULL, CONFIG_STRING, NULL, NULL, 0, 0, 0, false, NULL},
};

const char *config_type_name(enum config_type t)
{
    switch (t) {
    case CONFIG_STRING: return "string";
    case CONFIG_INT: return "int";
    case CONFIG_BOOL: return "bool";
    case CONFIG_MODE: return "mode";
    case CONFIG_URL: return "url";
    }
    return "?";
}

static const struct config_key *find_key(const char *name)
{
    const struct config_key *k;

    for (k = config_keys; k->name != NULL; k++)
        if (strcmp(k->name, name) == 0)
            return k;
    return NULL;
}

/* True when value is one of choices ("a|b|c"). */
static bool one_of(const char *value, const char *choices)
{
    size_t n = strlen(value);
    const char *p = choices;

    while (*p != '\0') {
        const char *bar = strchr(p, '|');
        size_t len = bar != NULL ? (size_t)(bar - p) : strlen(p);
        if (len == n && strncmp(p, value, n) == 0)
            return true;
        p += len + (bar != NULL);
    }
    return false;
}

/* Stores value (text) into the field described by k. */
static bool store(struct config *cfg, const struct config_key *k, const char *value, char *err,
                  size_t errlen)
{
    char *base = (char *)cfg;

    switch (k->type) {
    case CONFIG_STRING:
    case CONFIG_URL: {
        char **field = (char **)(void *)(base + k->offset);
        free(*field);
        *field = xstrdup(value);
        if (strcmp(k->name, "PLCCOACH_LOG_LEVEL") == 0) {
            enum log_level lvl;
            if (!log_level_parse(value, &lvl)) {
                snprintf(err, errlen, "%s: expected debug, info, warn or error", k->name);
                return false;
            }
        }
        if (k->choices != NULL && !one_of(value, k->choices)) {
            /* "a|b|c" reads "a, b or c" */
            char want[128];
            size_t n = 0;
            const char *c, *last = strrchr(k->choices, '|');
            for (c = k->choices; *c != '\0' && n + 5 < sizeof(want); c++) {
                if (*c != '|')
                    want[n++] = *c;
                else if (c == last)
                    n += (size_t)snprintf(want + n, sizeof(want) - n, " or ");
                else
                    n += (size_t)snprintf(want + n, sizeof(want) - n, ", ");
            }
            want[n] = '\0';
            snprintf(err, errlen, "%s: expected %s", k->name, want);
            return false;
        }
        if (k->type == CONFIG_URL && value[0] != '\0' && !url_https_or_loopback(value)) {
            snprintf(err, errlen,
                     "%s: expected an https:// URL (http:// only on 127.0.0.1, "
                     "localhost or [::1])",
                     k->name);
            return false;
        }
        return true;
    }
    case CONFIG_INT: {
        int64_t *field = (int64_t *)(void *)(base + k->offset);
        if (!parse_int64(value, k->min, k->max, field)) {
            snprintf(err, errlen, "%s: expected an integer from %lld to %lld", k->name,
                     (long long)k->min, (long long)k->max);
            return false;
        }
        return true;
    }
    case CONFIG_MODE: {
        int64_t *field = (int64_t *)(void *)(base + k->offset);
        char *end;
        long v = strtol(value, &end, 8);
        if (*value == '\0' || *end != '\0' || v < k->min || v > k->max) {
            snprintf(err, errlen, "%s: expected an octal mode such as 0660", k->name);
            return false;
        }
        *field = v;
        return true;
    }
    case CONFIG_BOOL: {
        bool *field = (bool *)(void *)(base + k->offset);
        if (!parse_bool(value, field)) {
            snprintf(err, errlen, "%s: expected true or false", k->name);
            return false;
        }
        return true;
    }
    }
    return false;
}

bool config_set(struct config *cfg, const char *name, const char *value, char *err, size_t errlen)
{
    const struct config_key *k = find_key(name);

    if (k == NULL) {
        snprintf(err, errlen, "%s: unknown configuration key", name);
        return false;
    }
    return store(cfg, k, value, err, errlen);
}

bool config_load(struct config *cfg, char *err, size_t errlen)
{
    const struct config_key *k;

    memset(cfg, 0, sizeof(*cfg));
    for (k = config_keys; k->name != NULL; k++) {
        const char *env = getenv(k->name);
        if (!store(cfg, k, k->def, err, errlen))
            return false; /* a bad default is a bug; the test suite catches it */
        if (env != NULL && !store(cfg, k, env, err, errlen))
            return false;
    }
    return true;
}

void config_print_help(FILE *out)
{
    const struct config_key *k;

    fprintf(out, "%-32s %-7s %-10s %s\n", "NAME", "TYPE", "DEFAULT", "DESCRIPTION");
    for (k = config_keys; k->name != NULL; k++)
        fprintf(out, "%-32s %-7s %-10s %s%s\n", k->name, config_type_name(k->type),
                k->def[0] ? k->def : "\"\"", k->doc, k->secret ? " (secret)" : "");
}

void config_free(struct config *cfg)
{
    const struct config_key *k;

    if (cfg == NULL)
        return;
    for (k = config_keys; k->name != NULL; k++) {
        if (k->type == CONFIG_STRING || k->type == CONFIG_URL) {
            char **field = (char **)(void *)((char *)cfg + k->offset);
            free(*field);
            *field = NULL;
        }
    }
}
