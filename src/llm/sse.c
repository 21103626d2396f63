/*
 * The model client's incremental event-stream parser (llm_sse_*; see
 * llm.h and src/llm/README.md, "Streaming"): bytes in any split in,
 * content deltas out at UTF-8 character boundaries.  It knows nothing of
 * the network; transport.c feeds it from libcurl's write callback, and
 * fuzz/llm-sse-fuzz.c feeds it directly.
 *
 * Ownership: struct llm_sse owns its two line buffers; the llm_result it
 * writes into belongs to the caller.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llm/llm.h"
#include "llm/llm_int.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/text.h"

struct llm_sse {
    llm_delta_fn on_delta;
    void *ctx;
    struct llm_result *res; /* not owned */
    struct buf line;        /* the line being read (limit LLM_SSE_MAX_LINE) */
    struct buf data;        /* the event's data lines, joined by \n */
    char pend[4];           /* an incomplete UTF-8 sequence held back */
    size_t npend;
    bool after_cr; /* the last byte ended a line with CR: skip one LF */
    bool done;     /* [DONE] seen: later bytes are ignored */
    bool failed;   /* sticky: a protocol error or a cancel */
};

struct llm_sse *llm_sse_new(llm_delta_fn on_delta, void *ctx, struct llm_result *res)
{
    struct llm_sse *p = xcalloc(1, sizeof(*p));

    p->on_delta = on_delta;
    p->ctx = ctx;
    p->res = res;
    p->line.limit = LLM_SSE_MAX_LINE;
    p->data.limit = LLM_SSE_MAX_LINE;
    return p;
}

void llm_sse_free(struct llm_sse *p)
{
    if (p == NULL)
        return;
    buf_free(&p->line);
    buf_free(&p->data);
    free(p);
}

bool llm_sse_done(const struct llm_sse *p)
{
    return p->done;
}

/* Records a failure of kind st with a formatted reason; returns false. */
static bool sse_fail(struct llm_sse *p, enum llm_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool sse_fail(struct llm_sse *p, enum llm_status st, const char *fmt, ...)
{
    va_list ap;

    p->failed = true;
    p->res->status = st;
    va_start(ap, fmt);
    vsnprintf(p->res->error, sizeof(p->res->error), fmt, ap);
    va_end(ap);
    return false;
}

/* Length of the complete UTF-8 sequence a lead byte starts (0: invalid). */
static size_t utf8_lead_length(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        return 2;
    if (c >= 0xe0 && c <= 0xef)
        return 3;
    if (c >= 0xf0 && c <= 0xf4)
        return 4;
    return 0;
}

/* Passes on s[0..n) after any held-back bytes, holding back a trailing
 * incomplete character.  Invalid UTF-8 or NUL is a protocol error. */
static bool sse_emit(struct llm_sse *p, const char *s, size_t n)
{
    char *joined = NULL;
    const char *t = s;
    size_t len = n, i = 0, cut;
    bool ok = true;

    if (p->npend > 0) {
        joined = xmalloc(p->npend + n);
        memcpy(joined, p->pend, p->npend);
        memcpy(joined + p->npend, s, n);
        t = joined;
        len = p->npend + n;
        p->npend = 0;
    }
    while (i < len) {
        size_t k = utf8_sequence_length(t + i, len - i), want, j;
        if (k > 0 && t[i] != '\0') {
            i += k;
            continue;
        }
        /* An incomplete but so far well-formed sequence at the very end
         * waits for the next delta; anything else is invalid. */
        want = utf8_lead_length((unsigned char)t[i]);
        for (j = i + 1; j < len && want > 1 && ((unsigned char)t[j] & 0xc0) == 0x80; j++)
            ;
        if (want > 1 && j == len && len - i < want) {
            memcpy(p->pend, t + i, len - i);
            p->npend = len - i;
            break;
        }
        free(joined);
        return sse_fail(p, LLM_PROTOCOL, "a delta is not valid UTF-8 text");
    }
    cut = i;
    if (cut > 0 && p->on_delta != NULL && !p->on_delta(p->ctx, t, cut)) {
        p->failed = true;
        p->res->status = LLM_CANCELLED;
        snprintf(p->res->error, sizeof(p->res->error), "cancelled");
        ok = false;
    }
    free(joined);
    return ok;
}

/* Reads {"prompt_tokens": n, "completion_tokens": m} when present. */
static void sse_usage(struct llm_sse *p, json_object *usage)
{
    json_object *v;

    if (json_object_object_get_ex(usage, "prompt_tokens", &v)
        && json_object_is_type(v, json_type_int) && json_object_get_int64(v) >= 0)
        p->res->prompt_tokens = (long)json_object_get_int64(v);
    if (json_object_object_get_ex(usage, "completion_tokens", &v)
        && json_object_is_type(v, json_type_int) && json_object_get_int64(v) >= 0)
        p->res->completion_tokens = (long)json_object_get_int64(v);
}

/* Handles the choices array of an event: records finish_reason and passes
 * on choices[0].delta.content. */
static bool sse_choices(struct llm_sse *p, json_object *choices)
{
    json_object *c0, *delta, *content, *finish;

    if (!json_object_is_type(choices, json_type_array))
        return sse_fail(p, LLM_PROTOCOL, "choices is not an array");
    c0 = json_object_array_length(choices) > 0 ? json_object_array_get_idx(choices, 0) : NULL;
    if (c0 == NULL)
        return true;
    if (!json_object_is_type(c0, json_type_object))
        return sse_fail(p, LLM_PROTOCOL, "choices[0] is not an object");
    if (json_object_object_get_ex(c0, "finish_reason", &finish)
        && json_object_is_type(finish, json_type_string))
        snprintf(p->res->finish_reason, sizeof(p->res->finish_reason), "%s",
                 json_object_get_string(finish));
    if (!json_object_object_get_ex(c0, "delta", &delta) || delta == NULL)
        return true;
    if (!json_object_is_type(delta, json_type_object))
        return sse_fail(p, LLM_PROTOCOL, "choices[0].delta is not an object");
    if (!json_object_object_get_ex(delta, "content", &content) || content == NULL)
        return true;
    if (!json_object_is_type(content, json_type_string))
        return sse_fail(p, LLM_PROTOCOL, "delta.content is not a string");
    return sse_emit(p, json_object_get_string(content),
                    (size_t)json_object_get_string_len(content));
}

/* Ends the call with the message of an event's "error" member. */
static bool sse_error(struct llm_sse *p, json_object *v)
{
    json_object *msg = NULL;
    const char *m = json_object_is_type(v, json_type_string) ? json_object_get_string(v)
                    : json_object_is_type(v, json_type_object)
                            && json_object_object_get_ex(v, "message", &msg)
                            && json_object_is_type(msg, json_type_string)
                        ? json_object_get_string(msg)
                        : "no message";

    return sse_fail(p, LLM_HTTP, "the service reported an error: %.160s", m);
}

/* Handles one event's data (NUL-terminated, len bytes). */
static bool sse_event(struct llm_sse *p, const char *data, size_t len)
{
    const char *why = NULL;
    json_object *root, *v, *choices, *usage = NULL;
    bool ok = true, known = false;

    if (len == 6 && memcmp(data, "[DONE]", 6) == 0) {
        if (p->npend > 0)
            return sse_fail(p, LLM_PROTOCOL, "the stream ended inside a UTF-8 character");
        p->done = true;
        return true;
    }
    root = json_parse_object_strict(data, len, LLM_JSON_DEPTH, &why);
    if (root == NULL)
        return sse_fail(p, LLM_PROTOCOL, "an event is not a JSON object (%s)", why);
    if (json_object_object_get_ex(root, "error", &v) && v != NULL) {
        ok = sse_error(p, v);
    } else if (json_object_object_get_ex(root, "usage", &usage) && usage != NULL
               && !json_object_is_type(usage, json_type_object)) {
        ok = sse_fail(p, LLM_PROTOCOL, "usage is not an object");
    } else {
        if (usage != NULL) {
            sse_usage(p, usage);
            known = true;
        }
        if (json_object_object_get_ex(root, "choices", &choices)) {
            known = true;
            ok = sse_choices(p, choices);
        }
        if (ok && !known)
            ok = sse_fail(p, LLM_PROTOCOL, "an event without choices, usage or error");
    }
    json_object_put(root);
    return ok;
}

/* Handles one complete line (without its end of line). */
static bool sse_line(struct llm_sse *p, const char *s, size_t n)
{
    const char *colon, *value;
    size_t name_len, vlen;

    if (n == 0) { /* a blank line dispatches the event */
        bool ok = true;
        if (p->data.len > 0) {
            p->data.data[--p->data.len] = '\0'; /* the last data line's \n */
            ok = sse_event(p, p->data.data, p->data.len);
        }
        buf_reset(&p->data);
        return ok;
    }
    if (s[0] == ':')
        return true; /* a comment (keep-alive) */
    colon = memchr(s, ':', n);
    name_len = colon != NULL ? (size_t)(colon - s) : n;
    value = colon != NULL ? colon + 1 : s + n;
    vlen = n - (size_t)(value - s);
    if (vlen > 0 && value[0] == ' ') {
        value++;
        vlen--;
    }
    if (name_len == 4 && memcmp(s, "data", 4) == 0) {
        if (!buf_append(&p->data, value, vlen) || !buf_putc(&p->data, '\n'))
            return sse_fail(p, LLM_PROTOCOL, "an event's data is longer than %d bytes",
                            LLM_SSE_MAX_LINE);
    }
    return true; /* event:, id:, retry: and unknown fields are ignored */
}

bool llm_sse_feed(struct llm_sse *p, const char *bytes, size_t len)
{
    size_t i = 0;

    if (p->failed)
        return false;
    while (i < len && !p->done) {
        const char *start = bytes + i, *eol;
        size_t rest = len - i, seg;

        if (p->after_cr) {
            p->after_cr = false;
            if (bytes[i] == '\n') {
                i++;
                continue;
            }
        }
        /* the next CR or LF */
        eol = NULL;
        for (seg = 0; seg < rest; seg++)
            if (start[seg] == '\n' || start[seg] == '\r') {
                eol = start + seg;
                break;
            }
        if (!buf_append(&p->line, start, seg))
            return sse_fail(p, LLM_PROTOCOL, "an event-stream line is longer than %d bytes",
                            LLM_SSE_MAX_LINE);
        i += seg;
        if (eol == NULL)
            break;
        p->after_cr = *eol == '\r';
        i++;
        if (!sse_line(p, p->line.data ? p->line.data : "", p->line.len))
            return false;
        buf_reset(&p->line);
    }
    return true;
}
