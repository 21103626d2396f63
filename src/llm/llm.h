/*
 * The language-model client: any OpenAI-compatible
 * POST {base}/v1/chat/completions with "stream": true (architecture.md,
 * the coach pipeline, step 4).
 *
 * One call streams one completion.  Text arrives through on_delta as the
 * service sends it; the call returns when the stream ends, fails, times
 * out or is cancelled.  Before anything was streamed, connection errors,
 * 429 and 5xx are retried with backoff (honouring Retry-After up to the
 * total timeout); once a delta was passed on, a failure is final (the
 * caller decides what to show).  Three timeouts: connect, first token,
 * total.  A per-process circuit breaker opens after
 * PLCCOACH_LLM_BREAKER_FAILURES consecutive failed calls and refuses calls
 * for PLCCOACH_LLM_BREAKER_COOLDOWN_MS, then lets one trial call through
 * (half-open).
 *
 * Ownership: struct llm_result owns text (malloc'd, NUL-terminated) and is
 * released with llm_result_free().  Nothing else is retained between calls
 * except the breaker state (static, per process).
 */
#ifndef PLC_LLM_LLM_H
#define PLC_LLM_LLM_H

#include <stdbool.h>
#include <stddef.h>

struct config;

enum llm_status {
    LLM_OK,           /* the stream ended normally ([DONE] or finish_reason) */
    LLM_UNCONFIGURED, /* no PLCCOACH_LLM_BASE_URL: extractive mode */
    LLM_CIRCUIT_OPEN, /* the breaker refused the call; nothing was sent */
    LLM_CONNECT,      /* could not connect / connection dropped */
    LLM_TIMEOUT,      /* connect, first-token or total timeout */
    LLM_HTTP,         /* a non-2xx answer that was not retried or kept failing */
    LLM_PROTOCOL,     /* malformed stream (bad JSON, no choices, ...) */
    LLM_CANCELLED,    /* on_delta or cancelled() asked to stop (client gone) */
};

struct llm_message {
    const char *role; /* "system", "user" or "assistant" */
    const char *content;
};

/* Called with each piece of text as it arrives (len > 0, not
 * NUL-terminated, valid UTF-8 split only at character boundaries).
 * Returns false to cancel the call (the browser went away). */
typedef bool (*llm_delta_fn)(void *ctx, const char *text, size_t len);

/* Polled about every 100 ms while waiting (also during stalls); returns
 * true to cancel.  May be NULL. */
typedef bool (*llm_cancel_fn)(void *ctx);

/* Called once per call when the request has gone out to the service (at
 * the latest just before the first delta is passed on), so that the
 * caller can do work of its own while the service prepares the answer
 * (docs/performance.md, "Saving the question while the model starts").
 * Not called when no request went out (breaker open, no connection).
 * Its own time counts against neither timeout nor ttft_ms.  Returns
 * false to cancel the call (LLM_CANCELLED).  May be NULL. */
typedef bool (*llm_sent_fn)(void *ctx);

struct llm_request {
    const struct llm_message *messages;
    size_t nmessages;
    int max_tokens;        /* 0 = PLCCOACH_LLM_MAX_TOKENS */
    double temperature;    /* < 0 = PLCCOACH_LLM_TEMPERATURE */
    llm_delta_fn on_delta; /* may be NULL: just collect the text */
    llm_cancel_fn cancelled;
    void *ctx;
    llm_sent_fn on_sent;
};

struct llm_result {
    enum llm_status status;
    char *text; /* everything streamed (malloc'd; "" when none) */
    size_t len;
    bool streamed;          /* at least one delta was passed on */
    int http_status;        /* last HTTP status seen, 0 = none */
    int attempts;           /* requests made (1 + retries) */
    long prompt_tokens;     /* from the usage object; -1 = not reported */
    long completion_tokens; /* -1 = not reported */
    long ttft_ms;           /* call start to first delta, less on_sent's time; -1 = none */
    long total_ms;          /* call start to return */
    char finish_reason[32]; /* "stop", "length", ... or "" */
    char error[256];        /* why, when status != LLM_OK (no secrets) */
};

/* True when a model service is configured (PLCCOACH_LLM_BASE_URL set). */
bool llm_configured(const struct config *cfg) __attribute__((nonnull));

/* The configured model name (for messages.model); static or cfg-owned. */
const char *llm_model_name(const struct config *cfg) __attribute__((nonnull));

/* Streams one chat completion.  Always fills *out (release with
 * llm_result_free) and returns out->status. */
enum llm_status llm_chat(const struct config *cfg, const struct llm_request *req,
                         struct llm_result *out) __attribute__((nonnull));

void llm_result_free(struct llm_result *res);

/* A short stable name for a status ("ok", "timeout", ...) for logs and
 * the fallback notice. */
const char *llm_status_name(enum llm_status st);

/* True when the breaker is open right now (for /health's detail and the
 * pipeline's choice of extractive mode). */
bool llm_breaker_open(const struct config *cfg) __attribute__((nonnull));

/* ---- exposed for unit tests and the fuzz target ---------------------- */

/* Bounds on what one call holds in memory: the collected text (a longer
 * answer fails the call with LLM_PROTOCOL) and one line or one event's
 * data of the event stream (a longer one is a protocol error). */
#define LLM_MAX_TEXT (256 * 1024)
#define LLM_SSE_MAX_LINE (1024 * 1024)

/* Closes the breaker and forgets its failures (tests start clean). */
void llm_breaker_reset(void);

/* Incremental parser of the service's event stream ("data: {json}\n\n"
 * lines, "data: [DONE]").  Feed it bytes in any split; it calls back with
 * each content delta and records usage and finish_reason in res. */
struct llm_sse;
/* on_delta may be NULL (the text is then only checked).  The parser
 * keeps res (which must outlive it) and writes status, error,
 * finish_reason and the token counts into it; it never touches res->text.
 * Returns a parser the caller releases with llm_sse_free(). */
struct llm_sse *llm_sse_new(llm_delta_fn on_delta, void *ctx, struct llm_result *res)
    __attribute__((nonnull(3), warn_unused_result));
/* Returns false on a protocol error (res->error says why) or when
 * on_delta asked to stop (res->status = LLM_CANCELLED). */
bool llm_sse_feed(struct llm_sse *p, const char *bytes, size_t len) __attribute__((nonnull(1)));
/* True once [DONE] was seen. */
bool llm_sse_done(const struct llm_sse *p) __attribute__((nonnull));
void llm_sse_free(struct llm_sse *p);

#endif
