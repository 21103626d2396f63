/*
 * The coach pipeline; see pipeline.h.
 *
 * Ownership: one arena per call holds the history, the prompt and the
 * small strings; the search result, the model's result and the verifier's
 * result are released before returning; only *out survives the call.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "coach/extractive.h"
#include "coach/llm.h"
#include "coach/pipeline.h"
#include "coach/prompt.h"
#include "coach/rewrite.h"
#include "coach/verify.h"
#include "db/messages.h"
#include "library/domains.h"
#include "library/search.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/log.h"
#include "util/text.h"

#define NOTHING_TEXT                                                                               \
    "I couldn't find anything in the library that answers this, so I won't guess. Try asking "     \
    "in other words, or ask about collaborative teams, essential standards, common formative "     \
    "assessments, student data, interventions and extension, or school culture."

#define NOTICE_UNAVAILABLE                                                                         \
    "The model service is unavailable right now, so this answer was composed from the "            \
    "library's passages."
#define NOTICE_UNGROUNDED                                                                          \
    "None of this answer's citations could be verified against the library; treat it with care."
#define NOTICE_NOTHING_VERIFIED                                                                    \
    "Nothing in the model's answer could be verified against the library, so this answer was "     \
    "composed from the library's passages."

/* What one call carries between its steps. */
struct ask {
    struct db *db;
    const struct config *cfg;
    const struct coach_request *rq;
    const struct coach_events *ev;
    struct arena arena;
    int64_t t0, first_ms; /* call start; first delta sent (0: none yet) */
    bool client_gone;
    char conv_id[MSG_UUID_LEN + 1], user_msg_id[MSG_UUID_LEN + 1], answer_id[MSG_UUID_LEN + 1];
};

static bool white(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

char *coach_question_trim(const char *s, size_t *chars)
{
    size_t n, i = 0;

    while (white(*s))
        s++;
    n = strlen(s);
    while (n > 0 && white(s[n - 1]))
        n--;
    *chars = 0;
    while (i < n) {
        size_t l = utf8_sequence_length(s + i, n - i);
        i += l ? l : 1;
        (*chars)++;
    }
    return xstrndup(s, n);
}

void coach_title(struct buf *out, const char *question)
{
    struct buf flat = BUF_INIT;
    const char *p = question;
    size_t chars = 0, i = 0, cut = 0, last_space = 0;
    bool space = false;

    for (; *p != '\0'; p++) {
        if (white(*p)) {
            space = flat.len > 0;
            continue;
        }
        if (space)
            buf_putc(&flat, ' ');
        space = false;
        buf_putc(&flat, *p);
    }
    /* Count characters; remember where COACH_TITLE_CHARS - 1 end and the
     * last space before that. */
    while (i < flat.len) {
        size_t l = utf8_sequence_length(flat.data + i, flat.len - i);
        if (l == 0)
            l = 1;
        if (flat.data[i] == ' ' && chars < COACH_TITLE_CHARS)
            last_space = i;
        chars++;
        i += l;
        if (chars == COACH_TITLE_CHARS - 1)
            cut = i;
    }
    if (chars <= COACH_TITLE_CHARS) {
        buf_append(out, buf_str(&flat), flat.len);
    } else {
        size_t end = last_space > 0 && last_space <= cut ? last_space : cut;
        while (end > 0 && (flat.data[end - 1] == ' ' || flat.data[end - 1] == ','))
            end--;
        buf_append(out, flat.data, end);
        buf_puts(out, "\xe2\x80\xa6");
    }
    buf_free(&flat);
}

void coach_citation_label(struct buf *out, const char *title, const char *const *authors,
                          size_t nauthors, const char *chapter_number, const char *chapter_title,
                          const char *page_start, const char *page_end)
{
    size_t i;

    buf_puts(out, title);
    for (i = 0; i < nauthors; i++)
        buf_printf(out, "%s%s", i == 0 ? " by " : i + 1 == nauthors ? " and " : ", ", authors[i]);
    if (chapter_number != NULL || chapter_title != NULL) {
        buf_puts(out, ", ");
        if (chapter_number != NULL)
            buf_printf(out, "Chapter %s%s", chapter_number, chapter_title ? ": " : "");
        if (chapter_title != NULL)
            buf_puts(out, chapter_title);
    }
    if (page_start != NULL) {
        if (page_end != NULL && strcmp(page_start, page_end) != 0)
            buf_printf(out, ", pp. %s-%s", page_start, page_end);
        else
            buf_printf(out, ", p. %s", page_start);
    }
}

/* Returns the domains of set as a new JSON array of names. */
static json_object *domains_json(unsigned set)
{
    json_object *a = json_object_new_array();
    size_t i;

    for (i = 0; i < DOMAIN_COUNT; i++)
        if (set & (1u << i))
            json_object_array_add(a, json_object_new_string(domain_name(i)));
    return a;
}

/* Returns the citation of source n (hit) with quote, as a new object. */
static json_object *citation_json(int n, const struct search_hit *h, const char *quote)
{
    json_object *c = json_object_new_object(), *book = json_object_new_object(),
                *authors = json_object_new_array(), *chapter = json_object_new_object(),
                *pages = json_object_new_object();
    struct buf label = BUF_INIT;
    size_t i;

    json_object_object_add(c, "n", json_object_new_int(n));
    json_add_str(c, "chunk_id", h->chunk_id);
    json_add_str(book, "title", h->book_title);
    for (i = 0; i < h->nauthors; i++)
        json_object_array_add(authors, json_object_new_string(h->authors[i]));
    json_object_object_add(book, "authors", authors);
    json_object_object_add(c, "book", book);
    json_add_str(chapter, "number", h->chapter_number);
    json_add_str(chapter, "title", h->chapter_title);
    json_object_object_add(c, "chapter", chapter);
    json_add_str(pages, "start", h->page_start);
    json_add_str(pages, "end", h->page_end);
    json_object_object_add(c, "pages", pages);
    json_add_str(c, "quote", quote);
    /* The whole passage the quote comes from, so a reader can check the
     * quote in its surroundings (the web app's expandable "context"). */
    json_add_str(c, "context", h->text);
    coach_citation_label(&label, h->book_title ? h->book_title : "", h->authors, h->nauthors,
                         h->chapter_number, h->chapter_title, h->page_start, h->page_end);
    json_add_str(c, "display", buf_str(&label));
    buf_free(&label);
    return c;
}

/* Sends an event when streaming; remembers a client that went away. */
static bool send_event(struct ask *a, const char *name, json_object *data)
{
    if (a->ev == NULL || a->client_gone) {
        json_object_put(data);
        return !a->client_gone;
    }
    if (!a->ev->send(a->ev->ctx, name, data)) {
        a->client_gone = true;
        return false;
    }
    return true;
}

/* Sends text as a delta event and notes the time of the first one. */
static bool send_delta(struct ask *a, const char *text, size_t len)
{
    json_object *o;

    if (a->ev == NULL)
        return true;
    o = json_object_new_object();
    json_object_object_add(o, "text", json_object_new_string_len(text, (int)len));
    if (!send_event(a, "delta", o))
        return false;
    if (a->first_ms == 0)
        a->first_ms = now_ms();
    return true;
}

/* Sends a built-in answer (extractive, refusal, clarification) as one
 * delta per line or sentence, so it streams like a model's answer. */
static void send_pieces(struct ask *a, const char *text)
{
    const char *p = text, *start = text;

    for (; *p != '\0' && !a->client_gone; p++) {
        bool end = *p == '\n' || ((*p == '.' || *p == '?' || *p == '!') && p[1] == ' ');
        if (end) {
            size_t n = (size_t)(p - start) + 1 + (*p != '\n'); /* keep the space */
            send_delta(a, start, n);
            start += n;
            p = start - 1;
        }
    }
    if (*start != '\0' && !a->client_gone)
        send_delta(a, start, strlen(start));
}

static bool gen_delta(void *ctx, const char *text, size_t len)
{
    return send_delta(ctx, text, len);
}

static bool gen_cancelled(void *ctx)
{
    struct ask *a = ctx;

    if (a->client_gone)
        return true;
    if (a->ev != NULL && a->ev->gone != NULL && a->ev->gone(a->ev->ctx))
        a->client_gone = true;
    return a->client_gone;
}

/* The standalone question: earlier questions fold into follow-ups (by
 * rules), and the current one is rewritten by the model when one is
 * usable.  Sets *after_clarify when the last answer asked to clarify.
 * Returns a malloc'd string. */
static char *standalone_question(struct ask *a, const struct msg_turn *turns, size_t n,
                                 bool *after_clarify)
{
    char *prev = NULL, *out = NULL;
    bool clarified = false;
    size_t i;

    for (i = 0; i < n; i++) {
        if (strcmp(turns[i].role, "assistant") == 0) {
            clarified = route_is_clarification(turns[i].content);
            continue;
        }
        if (prev != NULL && (clarified || rewrite_is_followup(turns[i].content))) {
            char *next = rewrite_rules(prev, turns[i].content);
            free(prev);
            prev = next;
        } else {
            free(prev);
            prev = xstrdup(turns[i].content);
        }
        clarified = false;
    }
    *after_clarify = clarified;
    if (prev == NULL || !(clarified || rewrite_is_followup(a->rq->question))) {
        free(prev);
        return xstrdup(a->rq->question);
    }
    if (llm_configured(a->cfg) && !llm_breaker_open(a->cfg))
        out = rewrite_model(a->cfg, prev, a->rq->question);
    if (out == NULL)
        out = rewrite_rules(prev, a->rq->question);
    free(prev);
    return out;
}

/* The reason for a fallback notice. */
static const char *failure_notice(struct arena *ar, const struct llm_result *r)
{
    return arena_printf(ar,
                        "The model service failed (%s), so this answer was composed from the "
                        "library's passages.",
                        llm_status_name(r->status));
}

enum coach_status coach_ask(struct db *db, const struct config *cfg, const struct coach_request *rq,
                            const struct coach_events *ev, struct coach_answer *out)
{
    struct ask a = {db, cfg, rq, ev, ARENA_INIT, now_ms(), 0, false, "", "", ""};
    struct msg_turn *turns = NULL;
    size_t nturns = 0, i;
    struct coach_class cls;
    struct search_result sr;
    bool have_sr = false, after_clarify = false, llm_wanted, streamed_model = false;
    struct verify_result vr;
    const char *text = NULL, *notice = NULL, *mode = "extractive";
    char *composed = NULL;
    struct llm_result lr;
    bool have_lr = false;
    json_object *doc, *cites, *meta, *clar = NULL, *done;
    enum coach_status st = COACH_OK;

    memset(out, 0, sizeof(*out));
    memset(&vr, 0, sizeof(vr));
    memset(&lr, 0, sizeof(lr));

    /* 1. Context. */
    if (rq->user_id != NULL && rq->conversation_id != NULL) {
        enum store_result s = msg_history(db, &a.arena, rq->user_id, rq->conversation_id,
                                          COACH_CONTEXT_TURNS, &turns, &nturns);
        if (s != STORE_OK) {
            arena_free(&a.arena);
            return s == STORE_NOT_FOUND ? COACH_NOT_FOUND : COACH_DB_ERROR;
        }
    } else if (rq->user_id == NULL && rq->ncontext > 0) {
        nturns = rq->ncontext < COACH_CONTEXT_TURNS ? rq->ncontext : COACH_CONTEXT_TURNS;
        turns = arena_alloc(&a.arena, nturns * sizeof(*turns));
        for (i = 0; i < nturns; i++)
            turns[i] = (struct msg_turn){"user", rq->context[rq->ncontext - nturns + i]};
    }

    /* 2. Standalone question and classification. */
    out->standalone = standalone_question(&a, turns, nturns, &after_clarify);
    route_classify(out->standalone, !after_clarify, &cls);
    out->route = cls.route;
    out->domains = cls.domains;
    llm_wanted = cls.route == COACH_ANSWER && llm_configured(cfg);
    if (llm_wanted && llm_breaker_open(cfg)) {
        llm_wanted = false;
        notice = NOTICE_UNAVAILABLE;
    }

    /* 3. The question is saved before anything is generated. */
    if (rq->user_id != NULL) {
        struct buf title = BUF_INIT;
        enum store_result s;
        coach_title(&title, rq->question);
        s = msg_save_question(db, rq->user_id, rq->conversation_id, buf_str(&title), rq->question,
                              a.conv_id, a.user_msg_id, a.answer_id);
        buf_free(&title);
        if (s != STORE_OK) {
            arena_free(&a.arena);
            coach_answer_free(out);
            return s == STORE_NOT_FOUND ? COACH_NOT_FOUND : COACH_DB_ERROR;
        }
    }
    meta = json_object_new_object();
    json_add_str(meta, "conversation_id", rq->user_id ? a.conv_id : NULL);
    json_add_str(meta, "message_id", rq->user_id ? a.answer_id : NULL);
    json_add_str(meta, "user_message_id", rq->user_id ? a.user_msg_id : NULL);
    json_object_object_add(meta, "domains", domains_json(cls.domains));
    json_add_str(meta, "mode", llm_wanted ? "llm" : "extractive");
    json_add_str(meta, "type", route_type_name(cls.route));
    send_event(&a, "meta", meta);

    /* 4. The answer. */
    if (cls.route == COACH_REFUSE) {
        text = cls.refusal;
    } else if (cls.route == COACH_CLARIFY) {
        struct buf b = BUF_INIT;
        json_object *choices = json_object_new_array();
        buf_printf(&b, "%s\n\n", cls.clarify);
        for (i = 0; i < cls.nchoices; i++) {
            buf_printf(&b, "- %s\n", cls.choices[i]);
            json_object_array_add(choices, json_object_new_string(cls.choices[i]));
        }
        b.data[--b.len] = '\0';
        text = arena_strdup(&a.arena, buf_str(&b));
        buf_free(&b);
        clar = json_object_new_object();
        json_add_str(clar, "question", cls.clarify);
        json_object_object_add(clar, "choices", choices);
    } else {
        const char *boost[DOMAIN_COUNT + 1];
        const char *sources[COACH_SOURCES];
        size_t nb = 0;
        struct search_opts so = {.question = out->standalone,
                                 .k = COACH_SOURCES,
                                 .threshold = -1,
                                 .mode = SEARCH_HYBRID};
        for (i = 0; i < DOMAIN_COUNT; i++)
            if (cls.domains & (1u << i))
                boost[nb++] = domain_name(i);
        boost[nb] = NULL;
        so.boost = nb > 0 ? boost : NULL;
        have_sr = true;
        if (!search_run(db, cfg, &so, &sr)) {
            st = COACH_DB_ERROR;
            goto done;
        }
        out->retrieved = sr.n > 0 && !sr.nothing_relevant;
        if (!out->retrieved) {
            text = NOTHING_TEXT;
            notice = NULL;
        } else {
            for (i = 0; i < sr.n && i < COACH_SOURCES; i++)
                sources[i] = sr.hits[i].text;
            if (llm_wanted) {
                size_t nm;
                struct prompt_turn *pt = arena_alloc(&a.arena, (nturns + 1) * sizeof(*pt));
                struct llm_message *msgs;
                struct llm_request req;
                for (i = 0; i < nturns; i++)
                    pt[i] = (struct prompt_turn){turns[i].role, turns[i].content};
                msgs = prompt_build(&a.arena, pt, nturns, sr.hits, sr.n, rq->question,
                                    out->standalone, &nm);
                memset(&req, 0, sizeof(req));
                req.messages = msgs;
                req.nmessages = nm;
                req.temperature = -1;
                req.on_delta = gen_delta;
                req.cancelled = gen_cancelled;
                req.ctx = &a;
                llm_chat(cfg, &req, &lr);
                have_lr = true;
                streamed_model = lr.streamed;
                if (lr.status == LLM_CANCELLED || a.client_gone) {
                    st = COACH_CANCELLED;
                    goto done;
                }
                if (lr.status == LLM_OK) {
                    verify_answer(lr.text, sources, sr.n, &vr);
                    if (vr.text[0] != '\0') {
                        /* Nothing removed: the text exactly as streamed. */
                        text = vr.markers_removed == 0 && vr.sentences_dropped == 0 ? lr.text
                                                                                    : vr.text;
                        mode = "llm";
                        out->llm = true;
                        if (vr.ncites == 0)
                            notice = NOTICE_UNGROUNDED;
                    } else {
                        verify_result_free(&vr);
                        notice = NOTICE_NOTHING_VERIFIED;
                        out->fallback = true;
                    }
                } else {
                    notice = lr.status == LLM_CIRCUIT_OPEN ? NOTICE_UNAVAILABLE
                                                           : failure_notice(&a.arena, &lr);
                    out->fallback = true;
                    if (lr.streamed) {
                        json_object *err = json_object_new_object();
                        json_add_str(err, "code", "model_failed");
                        json_add_str(err, "message", notice);
                        send_event(&a, "error", err);
                    }
                }
            }
            if (text == NULL) {
                composed = extractive_compose(
                    out->standalone,
                    strcmp(out->standalone, rq->question) != 0 ? rq->question : NULL, sources,
                    sr.n);
                if (composed != NULL) {
                    verify_answer(composed, sources, sr.n, &vr);
                    text = vr.text;
                } else {
                    text = NOTHING_TEXT;
                }
            }
        }
    }
    if (strlen(text) > COACH_ANSWER_MAX_BYTES) /* never more than the database takes */
        text = arena_strndup(&a.arena, text, utf8_clip(text, COACH_ANSWER_MAX_BYTES));

    /* 5. Citations, the rest of the stream, the document. */
    cites = json_object_new_array();
    for (i = 0; i < vr.ncites; i++)
        json_object_array_add(
            cites, citation_json(vr.cites[i].n, &sr.hits[vr.cites[i].n - 1], vr.cites[i].quote));
    out->grounded = vr.ncites > 0;
    out->all_verified = verify_all_ok(&vr);
    out->cited = vr.ncites > 0 || vr.markers_removed > 0 || vr.quotes_failed > 0;
    if (a.ev != NULL) {
        for (i = 0; i < json_object_array_length(cites) && !a.client_gone; i++)
            send_event(&a, "citation", json_object_get(json_object_array_get_idx(cites, i)));
        if (!streamed_model)
            send_pieces(&a, text);
        if (a.client_gone) {
            json_object_put(cites);
            json_object_put(clar);
            st = COACH_CANCELLED;
            goto done;
        }
    }
    out->total_ms = (long)(now_ms() - a.t0);
    out->ttft_ms = a.first_ms > 0 ? (long)(a.first_ms - a.t0) : out->total_ms;
    if (out->ttft_ms > out->total_ms)
        out->ttft_ms = out->total_ms;
    if (rq->user_id != NULL) {
        struct msg_answer ans = {
            a.answer_id,
            a.conv_id,
            text,
            json_object_to_json_string_ext(cites, JSON_C_TO_STRING_PLAIN),
            cls.domains,
            mode,
            out->llm ? llm_model_name(cfg) : NULL,
            out->grounded,
            out->llm && lr.prompt_tokens >= 0 ? lr.prompt_tokens : -1,
            out->llm && lr.completion_tokens >= 0 ? lr.completion_tokens : -1,
            out->ttft_ms,
            out->total_ms,
            route_type_name(cls.route),
            clar != NULL ? json_object_to_json_string_ext(clar, JSON_C_TO_STRING_PLAIN) : NULL};
        if (!msg_save_answer(db, &ans)) {
            json_object_put(cites);
            json_object_put(clar);
            st = COACH_DB_ERROR;
            goto done;
        }
    }
    doc = json_object_new_object();
    json_add_str(doc, "type", route_type_name(cls.route));
    json_add_str(doc, "mode", mode);
    json_add_str(doc, "answer", text);
    json_object_object_add(doc, "citations", cites);
    json_object_object_add(doc, "clarification", clar);
    json_object_object_add(doc, "domains", domains_json(cls.domains));
    json_add_str(doc, "conversation_id", rq->user_id ? a.conv_id : NULL);
    json_add_str(doc, "message_id", rq->user_id ? a.answer_id : NULL);
    json_object_object_add(doc, "grounded", json_object_new_boolean(out->grounded));
    if (notice != NULL)
        json_add_str(doc, "notice", notice);
    if (out->llm)
        json_add_str(doc, "model", llm_model_name(cfg));
    out->doc = doc;
    if (a.ev != NULL) {
        json_object *timings = json_object_new_object();
        done = NULL;
        json_object_deep_copy(doc, &done, NULL);
        json_object_object_add(timings, "ttft_ms", json_object_new_int64(out->ttft_ms));
        json_object_object_add(timings, "total_ms", json_object_new_int64(out->total_ms));
        json_object_object_add(done, "timings", timings);
        send_event(&a, "done", done);
    }
    LOG_FIELDS(LOG_INFO, "coach answer", LF_STR("type", route_type_name(cls.route)),
               LF_STR("mode", mode), LF_INT("citations", (long long)vr.ncites),
               LF_INT("markers_removed", (long long)vr.markers_removed),
               LF_INT("quotes_failed", (long long)vr.quotes_failed),
               LF_INT("fallback", out->fallback), LF_INT("ttft_ms", out->ttft_ms),
               LF_INT("total_ms", out->total_ms));

done:
    if (have_lr)
        llm_result_free(&lr);
    verify_result_free(&vr);
    free(composed);
    if (have_sr)
        search_result_free(&sr);
    arena_free(&a.arena);
    if (st != COACH_OK) {
        coach_answer_free(out);
        memset(out, 0, sizeof(*out));
    }
    return st;
}

void coach_answer_free(struct coach_answer *a)
{
    if (a == NULL)
        return;
    json_object_put(a->doc);
    a->doc = NULL;
    free(a->standalone);
    a->standalone = NULL;
}
