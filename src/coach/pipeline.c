/*
 * The coach pipeline; see pipeline.h.
 *
 * coach_ask() runs the steps below in order, each on the one struct ask
 * of the call: context (the conversation so far, answers with their
 * saved citations), rewrite (the standalone
 * question), retrieve (the passages and the library's evidence), route
 * (the question's class, decided by that evidence; in a conversation, a
 * question its own words send to clarification, or answer with little of
 * its own, is routed again with the conversation's subject:
 * ask_route_conversation; a question naming a book the library does not
 * hold refused: ask_route_book), the answer's passages (a question routed to
 * answer retrieved again with translations: ask_retrieve_answer), save
 * the question
 * (and send meta), answer (a fixed text; or generate and verify the
 * model's answer, or compose and verify the extractive one), deliver
 * (citations and the rest of the stream), save the answer, and the
 * document.  A step
 * that fails returns its status and the later steps do not run.
 *
 * Ownership, once for all: struct ask owns everything it points to except
 * the caller's arguments (db, cfg, rq, ev, out), and ask_release() frees
 * all of it whatever step the call reached; the only things that outlive
 * the call are out->doc and out->standalone (the caller's, released with
 * coach_answer_free).  a->text never owns: it points into the arena, vr,
 * lr, cls (static) or a constant.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coach/booktitle.h"
#include "coach/classify.h"
#include "coach/document.h"
#include "coach/evidence.h"
#include "coach/extractive.h"
#include "coach/history.h"
#include "coach/passage.h"
#include "llm/llm.h"
#include "coach/pipeline.h"
#include "coach/prompt.h"
#include "coach/rewrite.h"
#include "coach/verify.h"
#include "db/books.h"
#include "db/db.h"
#include "db/messages.h"
#include "db/pages.h"
#include "library/domains.h"
#include "library/search.h"
#include "library/search_lexical.h"
#include "library/trans_model.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/cfg.h"
#include "util/inflight.h"
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

/* What one call carries between its steps (ownership: the file comment). */
struct ask {
    /* The caller's, borrowed. */
    struct db *db;
    const struct config *cfg;
    const struct coach_request *rq;
    const struct coach_events *ev;
    struct coach_answer *out;
    /* Owned by the call. */
    struct arena arena;        /* history, prompt, small strings */
    struct search_result sr;   /* the retrieved passages (empty until retrieval) */
    struct search_pair pair;   /* the routing searches' translated BM25 lists, for step 4b */
    struct llm_result lr;      /* the model's answer (empty unless the model was asked) */
    struct verify_result vr;   /* the verified answer and its citations */
    char *composed;            /* the extractive answer before verification */
    char *focus;               /* a rewritten follow-up's own words, or NULL */
    char *previous;            /* a rewritten follow-up's previous question, standalone; or NULL */
    char *subject;             /* a question the rules left as asked: the previous question,
                                * standalone, when its answer cited the library; or NULL */
    const char *prev_cites;    /* the previous answer's saved citations (in the arena, or the
                                * caller's); NULL when there is no previous answer */
    const char *prev_answer;   /* the previous answer's text (a turn's); NULL when there is none
                                * or it asked to clarify */
    const char *prior_from;    /* where a follow-up's prior came from (the log line) */
    size_t prior_n;            /* and how many passages it had */
    json_object *cites, *clar; /* until ask_document moves them into the document */
    struct search_hit *cited;  /* the passages the answer's [n] name (in the arena: the first
                                * of sr's and the steps' neighbours, ask_steps_more); NULL:
                                * sr's */
    /* Results of the steps. */
    struct msg_turn *turns; /* the conversation so far (in the arena) */
    size_t nturns;
    struct coach_class cls; /* the route and domains */
    bool after_clarify;     /* the last answer asked to clarify */
    bool translated;        /* a->sr ranked with translations (ask_retrieve_answer) */
    bool llm_wanted;        /* the model writes this answer */
    bool streamed_model;    /* the model's deltas went out */
    bool client_gone;       /* a write to the client failed */
    bool question_saved;    /* ask_save_question ran (its result: save_st) */
    enum coach_status save_st;
    const char *text;     /* the answer as sent and saved (never owned) */
    const char *notice;   /* NULL or why the answer is not the model's */
    const char *mode;     /* "llm" or "extractive" */
    int64_t t0, first_ms; /* call start; first delta sent (0: none yet) */
    struct db_counts db0; /* the connection's counts at the start */
    char conv_id[MSG_UUID_LEN + 1], user_msg_id[MSG_UUID_LEN + 1], answer_id[MSG_UUID_LEN + 1];
};

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

/* Keeps prev (malloc'd; taken) as a->subject when the last answer cited
 * the library, so that the question is about a subject the library covers
 * (ask_route_conversation); frees it otherwise. */
static void keep_subject(struct ask *a, char *prev)
{
    if (prev != NULL && a->prev_answer != NULL && a->prev_cites != NULL
        && strcmp(a->prev_cites, "[]") != 0)
        a->subject = prev;
    else
        free(prev);
}

/* The standalone question: earlier questions fold into follow-ups (by
 * rules), and the current one is rewritten by the model when one is
 * usable and answers usably (rewrite.h; one that says the question is
 * not a follow-up leaves it as asked), else by rules.  Sets
 * a->after_clarify when the last answer asked to clarify, a->focus to
 * the follow-up's own words when it was rewritten, and a->subject when
 * the rules left it as asked (keep_subject).  Returns a malloc'd string. */
static char *standalone_question(struct ask *a, const struct msg_turn *turns, size_t n)
{
    char *prev = NULL, *out = NULL;
    bool clarified = false, follows = false;
    size_t i;

    for (i = 0; i < n; i++) {
        if (strcmp(turns[i].role, "assistant") == 0) {
            clarified = route_is_clarification(turns[i].content);
            a->prev_cites = turns[i].citations != NULL ? turns[i].citations : "[]";
            a->prev_answer = clarified ? NULL : turns[i].content;
            continue;
        }
        a->prev_cites = NULL; /* a question not answered (yet) */
        a->prev_answer = NULL;
        if (prev != NULL && (clarified || rewrite_is_followup(turns[i].content))) {
            char *next = rewrite_rules(prev, turns[i].content, NULL);
            free(prev);
            prev = next;
        } else {
            free(prev);
            prev = xstrdup(turns[i].content);
        }
        clarified = false;
    }
    a->after_clarify = clarified;
    if (prev == NULL || !(clarified || rewrite_is_followup(a->rq->question))) {
        keep_subject(a, prev);
        return xstrdup(a->rq->question);
    }
    if (llm_configured(a->cfg) && !llm_breaker_open(a->cfg))
        out = rewrite_model(a->cfg, prev, a->rq->question, &follows);
    if (out != NULL && follows) {
        a->focus = xstrdup(a->rq->question);
    } else if (out == NULL) {
        out = rewrite_rules(prev, a->rq->question, &a->focus);
        if (a->focus == NULL) { /* left as asked by the rules, not by the model */
            keep_subject(a, prev);
            return out;
        }
    }
    if (a->focus != NULL) /* rewritten: the previous question's passages are its prior */
        a->previous = prev;
    else
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

/* Step 1, context: the conversation so far (saved, or the caller's). */
static enum coach_status ask_context(struct ask *a)
{
    const struct coach_request *rq = a->rq;
    size_t i;

    if (rq->user_id != NULL && rq->conversation_id != NULL) {
        /* Answering a saved question again: the conversation before it. */
        enum db_status s = msg_history(a->db, &a->arena, rq->user_id, rq->conversation_id,
                                       rq->retry_of, COACH_CONTEXT_TURNS, &a->turns, &a->nturns);
        if (s != DB_OK)
            return s == DB_NOT_FOUND ? COACH_NOT_FOUND : COACH_DB_ERROR;
    } else if (rq->user_id == NULL && rq->nturns > 0) {
        /* The caller's conversation (the evaluation's earlier turns). */
        size_t skip = rq->nturns > COACH_CONTEXT_TURNS ? rq->nturns - COACH_CONTEXT_TURNS : 0;
        a->nturns = rq->nturns - skip;
        a->turns = arena_alloc(&a->arena, a->nturns * sizeof(*a->turns));
        memcpy(a->turns, rq->turns + skip, a->nturns * sizeof(*a->turns));
    } else if (rq->user_id == NULL && rq->ncontext > 0) {
        a->nturns = rq->ncontext < COACH_CONTEXT_TURNS ? rq->ncontext : COACH_CONTEXT_TURNS;
        a->turns = arena_alloc(&a->arena, a->nturns * sizeof(*a->turns));
        for (i = 0; i < a->nturns; i++)
            a->turns[i] = (struct msg_turn){
                .role = "user",
                .content = rq->context[rq->ncontext - a->nturns + i],
            };
    }
    return COACH_OK;
}

/* Step 2, rewrite: the standalone question. */
static void ask_rewrite(struct ask *a)
{
    a->out->standalone = standalone_question(a, a->turns, a->nturns);
}

/* The prior of a follow-up: the passages the previous answer cited, from
 * its saved citations (history.h), when there is a previous answer;
 * otherwise (earlier questions without their answers) the previous
 * question's passages, searched again.  Sets *hits (in the arena or
 * prior's) and *n; false when the database failed. */
static bool followup_prior(struct ask *a, const struct search_opts *so, struct search_result *prior,
                           const struct search_hit **hits, size_t *n)
{
    struct search_opts po = *so;
    struct search_hit *cited;

    if (a->prev_cites != NULL) {
        a->prior_from = "citations";
        if (!history_cited(a->db, &a->arena, a->prev_cites, &cited, n))
            return false;
        *hits = cited;
        return true;
    }
    a->prior_from = "search";
    po.question = a->previous;
    po.boost = NULL;
    if (!search_run(a->db, a->cfg, &po, prior))
        return false;
    *hits = prior->hits;
    *n = prior->n;
    return true;
}

/* The choice of the clarification just asked that the follow-up names by
 * its subject (history_clarify_choice), or NULL. */
static const char *clarify_choice(struct ask *a)
{
    size_t i = a->nturns;

    while (i > 0 && strcmp(a->turns[i - 1].role, "assistant") != 0)
        i--;
    if (i == 0)
        return NULL;
    return history_clarify_choice(a->turns[i - 1].content, a->out->standalone, &a->arena);
}

/* Step 3 for a rewritten follow-up: retrieval runs with the follow-up's
 * own words counted twice, and so are the words of the previous answer's
 * point it names by its place, if any ("the second one": rewrite_ordinal,
 * history_answer_item; rewrite_query), or after a clarification, of the
 * choice it names by its subject (clarify_choice); when the follow-up names such a
 * point or has little of its own (at most REWRITE_PRIOR_MAX_OWN
 * distinctive words), the passages the previous answer cited are a prior
 * for its candidates (followup_prior, rewrite_prior); then they are cut
 * to so->k, never past the follow-up's own first REWRITE_PRIOR_KEEP
 * passages (follow33). */
static enum coach_status retrieve_followup(struct ask *a, struct search_opts *so)
{
    struct search_result prior = {.arena = ARENA_INIT};
    struct search_opts fo = *so;
    const struct search_hit *ph = NULL;
    size_t np = 0;
    int nth = a->prev_answer != NULL ? rewrite_ordinal(a->rq->question) : 0;
    const char *item = nth != 0 ? history_answer_item(a->prev_answer, nth, &a->arena) : NULL;
    char *query;
    bool use_prior = nth != 0 || rewrite_own_distinctive(a->rq->question) <= REWRITE_PRIOR_MAX_OWN,
         ok;

    if (item == NULL && a->after_clarify)
        item = clarify_choice(a); /* the choice it names, as much as its own words */
    query = rewrite_query(a->out->standalone, a->rq->question, item);
    fo.question = query;
    fo.k = SEARCH_K_MAX;
    fo.no_rerank = true; /* the prior below re-sorts it (docs/performance.md, "rank29") */
    ok = search_run(a->db, a->cfg, &fo, &a->sr)
         && (!use_prior || followup_prior(a, so, &prior, &ph, &np));
    if (ok && use_prior) /* re-sorted; the follow-up's own first passages stay in the k */
        rewrite_prior(a->sr.hits, a->sr.n, ph, np, REWRITE_PRIOR_CHAPTER, REWRITE_PRIOR_PAGE,
                      so->k);
    a->prior_n = np;
    if (ok && a->sr.n > so->k)
        a->sr.n = so->k;
    search_result_free(&prior);
    free(query);
    if (!ok)
        return COACH_DB_ERROR;
    a->out->retrieved = a->sr.n > 0 && !a->sr.nothing_relevant;
    return COACH_OK;
}

/* Step 3, retrieve: the passages and the library's evidence, the
 * question's domains (by the lexicon) boosted. */
static enum coach_status ask_retrieve(struct ask *a)
{
    const char *boost[DOMAIN_COUNT + 1];
    unsigned domains = route_domains(a->out->standalone);
    size_t nb = 0, i;
    struct search_opts so = {
        .question = a->out->standalone,
        .k = COACH_SOURCES,
        .threshold = -1,
        .mode = SEARCH_HYBRID,
        .untranslated = !a->translated, /* routing reads the untranslated ranking */
        .pair = &a->pair,               /* and step 4b the translated one, from one pass */
    };

    for (i = 0; i < DOMAIN_COUNT; i++)
        if (domains & (1u << i))
            boost[nb++] = domain_name(i);
    boost[nb] = NULL;
    so.boost = nb > 0 ? boost : NULL;
    if (a->previous != NULL)
        return retrieve_followup(a, &so);
    if (!search_run(a->db, a->cfg, &so, &a->sr))
        return COACH_DB_ERROR;
    a->out->retrieved = a->sr.n > 0 && !a->sr.nothing_relevant;
    return COACH_OK;
}

/* With a model configured, its classification replaces the rules' (which
 * stay when it fails); a safety topic is never asked about. */
static void ask_route_model(struct ask *a, const struct route_evidence *ev)
{
    struct classify_answer m;
    unsigned lexicon = a->cls.domains;

    if (!classify_model(a->cfg, a->out->standalone, &a->sr, ev, &a->cls, &m))
        return;
    if (m.out_of_scope) {
        route_refuse_uncovered(&a->cls);
        return;
    }
    a->cls.route = m.too_broad && !a->after_clarify ? COACH_CLARIFY : COACH_ANSWER;
    a->cls.domains = m.domains != 0 ? m.domains : lexicon;
    if (a->cls.route == COACH_CLARIFY && a->cls.nchoices == 0)
        route_clarify_general(&a->cls);
}

/* Step 4, route: the question's class from the library's evidence (a
 * clarification's choices from the chapters its matches fall in), and
 * whether the model will write the answer. */
static void ask_route(struct ask *a)
{
    struct route_evidence ev;
    const char *choices[ROUTE_MAX_CHOICES];
    size_t n;

    evidence_route(&a->sr, a->out->standalone, &ev);
    ev.specificity = route_specificity(&a->sr.evidence);
    ev.followup = a->focus != NULL;
    route_classify(a->out->standalone, !a->after_clarify, &ev, &a->cls);
    if (!a->cls.safety)
        ask_route_model(a, &ev);
    if (a->cls.route == COACH_CLARIFY) {
        n = evidence_choices(&a->sr, &a->arena, choices, ROUTE_MAX_CHOICES);
        if (n >= 2)
            route_set_choices(&a->cls, choices, n);
    }
    a->out->route = a->cls.route;
    a->out->domains = a->cls.domains;
    a->llm_wanted = a->cls.route == COACH_ANSWER && llm_configured(a->cfg);
    if (a->llm_wanted && llm_breaker_open(a->cfg)) {
        a->llm_wanted = false;
        a->notice = NOTICE_UNAVAILABLE;
    }
}

/* Whether the question, searched and scored on its own words alone (not
 * the conversation's), leaves the library's field and is no genuine
 * follow-up (route_followup_out_of_scope, rewrite_points_back; nor one
 * pointing back by a noun phrase, rewrite_refers_back, follow37): one
 * search more.  False when the database failed (*ok false). */
static bool own_words_leave(struct ask *a, bool *ok)
{
    struct search_result own = {.arena = ARENA_INIT};
    struct search_opts so = {
        .question = a->rq->question,
        .k = COACH_SOURCES,
        .threshold = -1,
        .mode = SEARCH_HYBRID,
        .untranslated = true, /* a route: src/coach/README.md, "Routing reads..." */
    };
    struct route_evidence ev;
    bool leave = false;

    *ok = search_run(a->db, a->cfg, &so, &own);
    if (*ok) {
        evidence_route(&own, a->rq->question, &ev);
        ev.specificity = route_specificity(&own.evidence);
        leave = route_followup_out_of_scope(
            &ev, rewrite_points_back(a->rq->question)
                     || rewrite_refers_back(a->rq->question, a->previous, a->prev_answer));
    }
    search_result_free(&own);
    return leave;
}

/* A rewritten follow-up (not an answer to a clarification, not naming a
 * point of the previous answer) whose own words leave the library's
 * field is refused: the conversation's words must not carry a new,
 * unrelated question in ("and what about my car insurance?" after a
 * question on norms; follow28). */
static enum coach_status ask_route_own_words(struct ask *a)
{
    bool ok = true;

    if (a->focus == NULL || a->after_clarify || a->cls.safety || a->cls.route == COACH_REFUSE
        || rewrite_ordinal(a->rq->question) != 0 || !own_words_leave(a, &ok))
        return ok ? COACH_OK : COACH_DB_ERROR;
    route_refuse_uncovered(&a->cls);
    a->out->route = a->cls.route;
    a->out->domains = a->cls.domains;
    a->llm_wanted = false;
    a->notice = NULL;
    return COACH_OK;
}

/* Whether a question the rules left as asked is a new one, not a
 * follow-up: its own words answer it (a->cls, routed on a->sr, its own
 * words' search), it has more than REWRITE_NEW_OWN distinctive words of
 * its own and a word of the domain lexicon (route_domains: it names PLC
 * work itself), and its first REWRITE_NEW_TOP passages lie in other
 * chapters than, and not next to, the passages the conversation's last
 * answer cited (rewrite_other_chapter; src/coach/README.md, "Standalone
 * questions mid-conversation (follow31)").  False when the database
 * failed (*ok false). */
static bool new_question(struct ask *a, bool *ok)
{
    struct search_hit *cited;
    size_t n;

    if (a->cls.route != COACH_ANSWER || rewrite_own_distinctive(a->rq->question) <= REWRITE_NEW_OWN
        || route_domains(a->rq->question) == 0)
        return false;
    *ok = history_cited(a->db, &a->arena, a->prev_cites, &cited, &n);
    return *ok && rewrite_other_chapter(a->sr.hits, a->sr.n, cited, n, REWRITE_NEW_TOP);
}

/* Whether a question the rules left as asked (a->subject) stays refused:
 * its own words refused it and it does not point back to the earlier turn
 * by a noun phrase ("how often do we reshuffle the groups" after an
 * answer on intervention groups, "what makes one good vs bad" after "our
 * team norms need rewriting": rewrite_refers_back, follow37). */
static bool stays_refused(const struct ask *a)
{
    return a->cls.route == COACH_REFUSE
           && !rewrite_refers_back(a->rq->question, a->subject, a->prev_answer);
}

/* Step 4 in a conversation: a question the rules left as asked
 * (a->subject), which its own words send to clarification or answer, is
 * asked again with the conversation's subject (rewrite_takes_subject,
 * rewrite_carry), retrieved as a follow-up and routed again; one its own
 * words refuse stays refused (docs/performance.md, follow27, follow29)
 * unless it points back by a noun phrase (stays_refused, follow37);
 * one that names its own subject (rewrite_names_own_subject) or is a new
 * question (new_question) stays as asked (follow31).
 * A follow-up the rules or the model rewrote is checked on its own words
 * (ask_route_own_words, follow28). */
static enum coach_status ask_route_conversation(struct ask *a)
{
    enum coach_status st;
    bool ok = true;

    ask_route(a);
    if (a->subject == NULL || a->cls.safety
        || !rewrite_takes_subject(stays_refused(a), a->rq->question) || new_question(a, &ok))
        return ok ? ask_route_own_words(a) : COACH_DB_ERROR;
    free(a->out->standalone);
    a->out->standalone = rewrite_carry(a->subject, a->rq->question, &a->focus);
    a->previous = a->subject; /* its prior, as a rewritten follow-up's */
    a->subject = NULL;
    search_result_free(&a->sr);
    st = ask_retrieve(a);
    if (st == COACH_OK)
        ask_route(a);
    return st;
}

/* Step 4a: a question that names a book the library does not hold
 * (booktitle.h: "who is the team meeting playbook written for?" of the
 * starter library) is refused with a text saying so and naming the
 * library's closest books, whatever its words routed it to; a held book,
 * or none named, keeps its route.  The titles are read only when the
 * question as asked names a book (one statement more, then), never
 * cached.  A safety topic keeps its own refusal. */
static enum coach_status ask_route_book(struct ask *a)
{
    struct book_named named;
    struct booktitle_book *lib;
    struct book_row *rows;
    size_t n, i;
    char *text;

    if (a->cls.safety || !booktitle_named(a->rq->question, &named))
        return COACH_OK;
    if (books_titles(a->db, &a->arena, &rows, &n) != DB_OK)
        return COACH_DB_ERROR;
    lib = arena_alloc(&a->arena, (n > 0 ? n : 1) * sizeof(*lib));
    for (i = 0; i < n; i++)
        lib[i] = (struct booktitle_book){.title = rows[i].title,
                                         .authors = (const char *const *)rows[i].authors,
                                         .nauthors = rows[i].n_authors};
    if (booktitle_held(&named, lib, n))
        return COACH_OK;
    text = booktitle_refusal(&named, lib, n, a->cls.route == COACH_ANSWER);
    route_refuse_book(&a->cls, arena_strdup(&a->arena, text));
    free(text);
    a->out->route = a->cls.route;
    a->out->domains = a->cls.domains;
    a->llm_wanted = false;
    a->notice = NULL;
    return COACH_OK;
}

/* Step 4b, the answer's passages: the route was decided on the
 * untranslated ranking (ask_retrieve); a question routed to answer is
 * retrieved again with translations (w_trans), which rank only the
 * passages its answer is composed from (src/coach/README.md, "Routing
 * reads the untranslated ranking").  Not again when the translations add
 * no word to a question searched alone (not a follow-up, which searches
 * other words too): that ranking is the untranslated one, kept. */
static enum coach_status ask_retrieve_answer(struct ask *a)
{
    const struct search_tuning *t = &search_tuning_default; /* ask_retrieve's: .tuning NULL */
    struct search_term *added;

    if (a->cls.route != COACH_ANSWER || t->w_trans <= 0)
        return COACH_OK;
    a->translated = true;
    if (a->previous == NULL
        && search_translate(a->out->standalone, t, trans_model, trans_model_n, &a->arena, &added)
               == 0)
        return COACH_OK;
    search_result_free(&a->sr);
    return ask_retrieve(a);
}

/* How long the question's answer may take before readers call it
 * interrupted: the model's whole timeout, and time for the rest. */
static long answer_lease_s(const struct config *cfg)
{
    return (long)(cfg->llm_timeout_ms / 1000) + COACH_ANSWER_LEASE_S;
}

/* Step 5: the question is saved before anything is generated (or, asked
 * again in place, claimed again); then the meta event.  Runs once per
 * ask: it sets a->question_saved and keeps its result in a->save_st. */
static enum coach_status ask_save_question(struct ask *a)
{
    const struct coach_request *rq = a->rq;
    bool saved = rq->user_id != NULL;
    enum db_status s = DB_OK;
    json_object *meta;

    a->question_saved = true;
    if (saved && rq->retry_of != NULL) {
        s = msg_reask(a->db, rq->user_id, rq->conversation_id, rq->retry_of, answer_lease_s(a->cfg),
                      a->answer_id);
        if (s == DB_OK) {
            snprintf(a->conv_id, sizeof(a->conv_id), "%s", rq->conversation_id);
            snprintf(a->user_msg_id, sizeof(a->user_msg_id), "%s", rq->retry_of);
        }
    } else if (saved) {
        struct buf title = BUF_INIT;
        struct msg_question q = {
            .user_id = rq->user_id,
            .conversation_id = rq->conversation_id,
            .content = rq->question,
            .key = rq->key,
            .lease_s = answer_lease_s(a->cfg),
        };
        coach_title(&title, rq->question);
        q.title = buf_str(&title);
        s = msg_save_question(a->db, &q, a->conv_id, a->user_msg_id, a->answer_id);
        buf_free(&title);
    }
    switch (s) {
    case DB_OK: a->save_st = COACH_OK; break;
    case DB_NOT_FOUND: a->save_st = COACH_NOT_FOUND; break;
    case DB_CONFLICT: a->save_st = COACH_CONFLICT; break;
    default: a->save_st = COACH_DB_ERROR; break;
    }
    if (a->save_st != COACH_OK)
        return a->save_st;
    if (saved) {
        /* Should this process die before the ask ends, the master marks
         * the question and the next worker releases its lease. */
        inflight_set(a->user_msg_id);
        snprintf(a->out->conversation_id, sizeof(a->out->conversation_id), "%s", a->conv_id);
        snprintf(a->out->question_id, sizeof(a->out->question_id), "%s", a->user_msg_id);
    }
    meta = json_object_new_object();
    json_add_str(meta, "conversation_id", saved ? a->conv_id : NULL);
    json_add_str(meta, "message_id", saved ? a->answer_id : NULL);
    json_add_str(meta, "user_message_id", saved ? a->user_msg_id : NULL);
    json_object_object_add(meta, "domains", coach_domains_json(a->cls.domains));
    json_add_str(meta, "mode", a->llm_wanted ? "llm" : "extractive");
    json_add_str(meta, "type", route_type_name(a->cls.route));
    send_event(a, "meta", meta);
    return COACH_OK;
}

/* Step 6a: the fixed answer of a refusal or a clarification. */
static void ask_fixed(struct ask *a)
{
    struct buf b = BUF_INIT;
    json_object *choices;
    size_t i;

    if (a->cls.route == COACH_REFUSE) {
        a->text = a->cls.refusal;
        return;
    }
    choices = json_object_new_array();
    buf_printf(&b, "%s\n\n", a->cls.clarify);
    for (i = 0; i < a->cls.nchoices; i++) {
        buf_printf(&b, "- %s\n", a->cls.choices[i]);
        json_object_array_add(choices, json_object_new_string(a->cls.choices[i]));
    }
    b.data[--b.len] = '\0';
    a->text = arena_strdup(&a->arena, buf_str(&b));
    buf_free(&b);
    a->clar = json_object_new_object();
    json_add_str(a->clar, "question", a->cls.clarify);
    json_object_object_add(a->clar, "choices", choices);
}

/* The passages' texts, source n at [n - 1]; returns how many. */
static size_t ask_sources(const struct ask *a, const char **sources)
{
    size_t i;

    for (i = 0; i < a->sr.n && i < COACH_SOURCES; i++)
        sources[i] = a->sr.hits[i].text;
    return i;
}

/* Step 5 when the model writes the answer: saving the question (and the
 * meta event) waits until the model's request is out, so that the
 * database's round trip overlaps the model's time to its first token;
 * llm_chat calls this before it passes on any delta. */
static bool gen_sent(void *ctx)
{
    struct ask *a = ctx;

    if (a->question_saved) /* saved before the call (asked again in place) */
        return a->save_st == COACH_OK;
    return ask_save_question(a) == COACH_OK;
}

/* Whether step 5 runs inside step 6b (gen_sent) rather than before step 6:
 * not for a question asked again in place, whose claim can be refused
 * (already answered: 409) without a model's request spent on it. */
static bool ask_saves_with_model(const struct ask *a)
{
    return a->cls.route == COACH_ANSWER && a->out->retrieved && a->llm_wanted
           && a->rq->retry_of == NULL;
}

/* Step 6b, generate: the model's streamed answer into a->lr, the question
 * saved once its request is out (gen_sent; when no request went out, after
 * the call).  Returns the save's failure (the call cancelled by it), or
 * COACH_CANCELLED when the client went away. */
static enum coach_status ask_generate(struct ask *a)
{
    struct prompt_turn *pt = arena_alloc(&a->arena, (a->nturns + 1) * sizeof(*pt));
    struct llm_request req = {
        .temperature = -1,
        .on_delta = gen_delta,
        .cancelled = gen_cancelled,
        .ctx = a,
        .on_sent = gen_sent,
    };
    size_t i;

    for (i = 0; i < a->nturns; i++)
        pt[i] = (struct prompt_turn){.role = a->turns[i].role, .content = a->turns[i].content};
    req.messages = prompt_build(&a->arena, pt, a->nturns, a->sr.hits, a->sr.n, a->rq->question,
                                a->out->standalone, &req.nmessages);
    llm_chat(a->cfg, &req, &a->lr);
    if (!a->question_saved)
        gen_sent(a);
    if (a->save_st != COACH_OK)
        return a->save_st;
    a->streamed_model = a->lr.streamed;
    if (a->lr.status == LLM_CANCELLED || a->client_gone)
        return COACH_CANCELLED;
    return COACH_OK;
}

/* Step 6c, verify the model's answer: keep what verifies, or leave
 * a->text NULL (with a notice) for the extractive answer. */
static void ask_verify_model(struct ask *a)
{
    const char *sources[COACH_SOURCES];
    size_t k = ask_sources(a, sources);

    if (a->lr.status != LLM_OK) {
        a->notice = a->lr.status == LLM_CIRCUIT_OPEN ? NOTICE_UNAVAILABLE
                                                     : failure_notice(&a->arena, &a->lr);
        a->out->fallback = true;
        if (a->lr.streamed) {
            json_object *err = json_object_new_object();
            json_add_str(err, "code", "model_failed");
            json_add_str(err, "message", a->notice);
            send_event(a, "error", err);
        }
        return;
    }
    verify_answer(a->lr.text, sources, k, &a->vr);
    if (a->vr.text[0] == '\0') {
        verify_result_free(&a->vr);
        a->notice = NOTICE_NOTHING_VERIFIED;
        a->out->fallback = true;
        return;
    }
    /* Nothing removed: the text exactly as streamed. */
    a->text = a->vr.markers_removed == 0 && a->vr.sentences_dropped == 0 ? a->lr.text : a->vr.text;
    a->mode = "llm";
    a->out->llm = true;
    if (a->vr.ncites == 0)
        a->notice = NOTICE_UNGROUNDED;
}

/* The passages on their printed pages (extractive.h, "The page"), read in
 * one statement: src[i]'s text becomes the passage with its neighbours on
 * its pages (in the arena), and so do sources[i], which the answer is
 * verified against, and the hit's text, the citation's context.  Returns
 * false when the database failed. */
static bool ask_pages(struct ask *a, struct extract_source *src, const char **sources, size_t k)
{
    const char *ids[COACH_SOURCES];
    struct page_around around[COACH_SOURCES];
    size_t i;

    for (i = 0; i < k; i++)
        ids[i] = a->sr.hits[i].chunk_id;
    if (pages_around(a->db, ids, k, &a->arena, around) != DB_OK)
        return false;
    for (i = 0; i < k; i++) {
        struct buf b = BUF_INIT;
        if (around[i].n < 2 || around[i].page[0] == '\0')
            continue; /* alone on its pages, or no page text to check against */
        passage_join(&b, around[i].texts, around[i].n, around[i].self, &src[i].own_start,
                     &src[i].own_end);
        src[i].text = sources[i] = a->sr.hits[i].text = arena_strdup(&a->arena, buf_str(&b));
        src[i].page = around[i].page;
        buf_free(&b);
    }
    return true;
}

/* The passages a how question's numbered steps lack (extractive.h, 5,
 * steps33): the neighbours of the steps' passages in their book, read in
 * one statement when extractive_setup_steps_wanted (on x, rq's setup)
 * names some, become sources k.. (steps only) and a->cited the hits the
 * answer's [n] name.  *k grows by their number.  Returns false when the
 * database failed. */
static bool ask_steps_more(struct ask *a, struct extract_setup *x, struct extract_request *rq,
                           struct extract_source *src, const char **sources, size_t *k)
{
    int ords[EXTRACT_STEPS_FETCH];
    const char *book;
    struct search_hit *more;
    size_t n = extractive_setup_steps_wanted(x, &book, ords, EXTRACT_STEPS_FETCH), m, i;

    if (n == 0)
        return true;
    if (!search_passages_at(a->db, &a->arena, book, ords, n, &more, &m))
        return false;
    if (m > n) /* one passage an ordinal: never, but the arrays hold n more */
        m = n;
    a->cited = arena_alloc(&a->arena, (*k + m + 1) * sizeof(*a->cited));
    memcpy(a->cited, a->sr.hits, *k * sizeof(*a->cited));
    for (i = 0; i < m; i++) {
        a->cited[*k + i] = more[i];
        sources[*k + i] = more[i].text;
        src[*k + i] = (struct extract_source){.text = more[i].text,
                                              .section = more[i].section,
                                              .chapter = more[i].chapter_title,
                                              .book = more[i].book_id,
                                              .ordinal = more[i].ordinal,
                                              .steps_only = true};
    }
    *k += m;
    rq->k = *k;
    return true;
}

/* Step 6d, compose and verify the extractive answer: the passages on
 * their pages, the terms the search ran with (their library IDF and query
 * weight), the passages' chapters, books and headings (each chapter's
 * span of them: the suggested follow-up questions come from the
 * chapters the answer cites, extractive.h 7), the
 * conversation's previous answer (its opening is not opened with again)
 * and the words typed in this turn (a follow-up's own: what a how
 * question's steps must be about, extractive.h 5); and the passages the
 * steps lack (ask_steps_more).  The passages are read and scored once
 * for both (extractive_setup, freed here), again only when the steps
 * added some. */
static enum coach_status ask_compose(struct ask *a)
{
    const char *sources[COACH_SOURCES + EXTRACT_STEPS_FETCH];
    struct extract_source src[COACH_SOURCES + EXTRACT_STEPS_FETCH];
    struct extract_term terms[96];
    struct evidence_sections secs;
    struct extract_setup *x;
    size_t k = ask_sources(a, sources), i, k0;
    bool ok;
    struct extract_request rq = {
        .question = a->out->standalone,
        .focus = a->focus,
        .sources = src,
        .k = k,
        .terms = terms,
        .previous = a->prev_answer,
        .asked = a->rq->question,
    };

    if (!evidence_sections(a->db, &a->sr, k, &a->arena, &secs))
        return COACH_DB_ERROR;
    for (i = 0; i < k; i++)
        src[i] = (struct extract_source){.text = sources[i],
                                         .section = a->sr.hits[i].section,
                                         .chapter = a->sr.hits[i].chapter_title,
                                         .book = a->sr.hits[i].book_id,
                                         .ordinal = a->sr.hits[i].ordinal};
    if (!ask_pages(a, src, sources, k))
        return COACH_DB_ERROR;
    rq.nterms = evidence_terms(&a->sr, terms, sizeof(terms) / sizeof(terms[0]));
    rq.headings = secs.headings;
    rq.nheadings = secs.nheadings;
    rq.chapters = secs.chapters;
    rq.nchapters = secs.nchapters;
    x = extractive_setup(&rq);
    k0 = k;
    ok = ask_steps_more(a, x, &rq, src, sources, &k);
    if (ok && k > k0) { /* passages added: read them all */
        extractive_setup_free(x);
        x = extractive_setup(&rq);
    }
    a->composed = ok ? extractive_setup_compose(x) : NULL;
    extractive_setup_free(x);
    if (!ok)
        return COACH_DB_ERROR;
    if (a->composed == NULL) {
        a->text = NOTHING_TEXT;
        return COACH_OK;
    }
    verify_answer(a->composed, sources, k, &a->vr);
    a->text = a->vr.text;
    return COACH_OK;
}

/* Step 6: the answer's text, by whichever route the question took. */
static enum coach_status ask_answer(struct ask *a)
{
    enum coach_status st = COACH_OK;

    if (a->cls.route != COACH_ANSWER) {
        ask_fixed(a);
    } else if (!a->out->retrieved) {
        a->text = NOTHING_TEXT;
        a->notice = NULL;
    } else {
        if (a->llm_wanted) {
            st = ask_generate(a);
            if (st == COACH_OK)
                ask_verify_model(a);
        }
        if (st == COACH_OK && a->text == NULL)
            st = ask_compose(a);
    }
    if (st == COACH_OK && strlen(a->text) > COACH_ANSWER_MAX_BYTES) /* what the database takes */
        a->text = arena_strndup(&a->arena, a->text, utf8_clip(a->text, COACH_ANSWER_MAX_BYTES));
    return st;
}

/* Step 7, deliver: the citations, the text when the model did not stream
 * it, and the times. */
static enum coach_status ask_deliver(struct ask *a)
{
    struct coach_answer *out = a->out;
    size_t i;

    a->cites = json_object_new_array();
    for (i = 0; i < a->vr.ncites; i++) {
        const struct verify_citation *c = &a->vr.cites[i];
        json_object_array_add(
            a->cites, coach_citation_json(
                          c->n, &(a->cited != NULL ? a->cited : a->sr.hits)[c->n - 1], c->quote));
    }
    out->grounded = a->vr.ncites > 0;
    out->all_verified = verify_all_ok(&a->vr);
    out->cited = a->vr.ncites > 0 || a->vr.markers_removed > 0 || a->vr.quotes_failed > 0;
    if (a->ev != NULL) {
        for (i = 0; i < json_object_array_length(a->cites) && !a->client_gone; i++)
            send_event(a, "citation", json_object_get(json_object_array_get_idx(a->cites, i)));
        if (!a->streamed_model)
            send_pieces(a, a->text);
        if (a->client_gone)
            return COACH_CANCELLED;
    }
    out->total_ms = (long)(now_ms() - a->t0);
    out->ttft_ms = a->first_ms > 0 ? (long)(a->first_ms - a->t0) : out->total_ms;
    if (out->ttft_ms > out->total_ms)
        out->ttft_ms = out->total_ms;
    return COACH_OK;
}

/* Step 8: the answer is saved exactly as done will carry it (a signed-in
 * user's question only). */
static enum coach_status ask_save_answer(struct ask *a)
{
    const struct coach_answer *out = a->out;
    bool by_model = out->llm;
    struct msg_answer ans = {
        .id = a->answer_id,
        .conversation_id = a->conv_id,
        .content = a->text,
        .citations_json = json_object_to_json_string_ext(a->cites, JSON_C_TO_STRING_PLAIN),
        .domains = a->cls.domains,
        .mode = a->mode,
        .model = by_model ? llm_model_name(a->cfg) : NULL,
        .grounded = out->grounded,
        .prompt_tokens = by_model && a->lr.prompt_tokens >= 0 ? a->lr.prompt_tokens : -1,
        .completion_tokens =
            by_model && a->lr.completion_tokens >= 0 ? a->lr.completion_tokens : -1,
        .ttft_ms = out->ttft_ms,
        .total_ms = out->total_ms,
        .kind = route_type_name(a->cls.route),
        .clarification_json = a->clar != NULL
                                  ? json_object_to_json_string_ext(a->clar, JSON_C_TO_STRING_PLAIN)
                                  : NULL,
    };

    switch (msg_save_answer(a->db, &ans)) {
    case DB_OK: return COACH_OK;
    case DB_NOT_FOUND: return COACH_GONE; /* deleted while we answered */
    default: return COACH_DB_ERROR;
    }
}

/* After a failure past the question (a->user_msg_id set): the failure
 * is saved in the answer's place, so the conversation never keeps a
 * question without an answer.  When even this cannot be saved, the
 * question's answer_by makes readers show it interrupted. */
static void ask_save_failure(struct ask *a, enum coach_status st)
{
    const char *code, *text;
    enum db_status s;

    if (a->rq->user_id == NULL || a->user_msg_id[0] == '\0')
        return;
    switch (st) {
    case COACH_DB_ERROR:
        code = "db_unavailable";
        text = "The answer could not be finished because the database was unavailable. "
               "Try again.";
        break;
    case COACH_CANCELLED:
        code = "cancelled";
        text = "The answer was stopped before it finished.";
        break;
    default: return; /* nothing to save: not found, conflict, or no conversation left */
    }
    s = msg_save_failure(a->db, a->answer_id, a->conv_id, code, text);
    LOG_FIELDS(s == DB_OK ? LOG_INFO : LOG_WARN,
               s == DB_OK ? "coach failure saved" : "coach failure not saved", LF_STR("code", code),
               LF_STR("question_id", a->user_msg_id));
}

/* Step 9: the document into out->doc (taking cites and clar), the done
 * event, the log line. */
static void ask_document(struct ask *a)
{
    struct coach_answer *out = a->out;
    bool saved = a->rq->user_id != NULL;
    json_object *doc = json_object_new_object();

    json_add_str(doc, "type", route_type_name(a->cls.route));
    json_add_str(doc, "mode", a->mode);
    json_add_str(doc, "answer", a->text);
    json_object_object_add(doc, "citations", a->cites);
    json_object_object_add(doc, "clarification", a->clar);
    a->cites = a->clar = NULL; /* the document's now */
    json_object_object_add(doc, "domains", coach_domains_json(a->cls.domains));
    json_add_str(doc, "conversation_id", saved ? a->conv_id : NULL);
    json_add_str(doc, "message_id", saved ? a->answer_id : NULL);
    json_object_object_add(doc, "grounded", json_object_new_boolean(out->grounded));
    if (a->notice != NULL)
        json_add_str(doc, "notice", a->notice);
    if (out->llm)
        json_add_str(doc, "model", llm_model_name(a->cfg));
    out->doc = doc;
    if (a->ev != NULL) {
        json_object *timings = json_object_new_object(), *done = NULL;
        json_object_deep_copy(doc, &done, NULL);
        json_object_object_add(timings, "ttft_ms", json_object_new_int64(out->ttft_ms));
        json_object_object_add(timings, "total_ms", json_object_new_int64(out->total_ms));
        json_object_object_add(done, "timings", timings);
        send_event(a, "done", done);
    }
    LOG_FIELDS(LOG_INFO, "coach answer", LF_STR("type", route_type_name(a->cls.route)),
               LF_STR("mode", a->mode), LF_INT("citations", (long long)a->vr.ncites),
               LF_INT("markers_removed", (long long)a->vr.markers_removed),
               LF_INT("quotes_failed", (long long)a->vr.quotes_failed),
               LF_INT("fallback", out->fallback), LF_STR("prior", a->prior_from),
               LF_INT("prior_passages", (long long)a->prior_n), LF_INT("ttft_ms", out->ttft_ms),
               LF_INT("total_ms", out->total_ms),
               LF_INT("db_statements", (long long)(a->db->counts.statements - a->db0.statements)),
               LF_INT("db_prepares", (long long)(a->db->counts.prepares - a->db0.prepares)));
}

/* Frees everything the call owns; on failure, *out too, but for the
 * ids of the saved question. */
static void ask_release(struct ask *a, enum coach_status st)
{
    char conv[sizeof(a->out->conversation_id)], question[sizeof(a->out->question_id)];

    inflight_clear();
    llm_result_free(&a->lr);
    verify_result_free(&a->vr);
    free(a->composed);
    free(a->focus);
    free(a->previous);
    free(a->subject);
    search_result_free(&a->sr);
    search_pair_free(&a->pair);
    json_object_put(a->cites);
    json_object_put(a->clar);
    arena_free(&a->arena);
    if (st != COACH_OK) {
        memcpy(conv, a->out->conversation_id, sizeof(conv));
        memcpy(question, a->out->question_id, sizeof(question));
        coach_answer_free(a->out);
        memset(a->out, 0, sizeof(*a->out));
        memcpy(a->out->conversation_id, conv, sizeof(conv));
        memcpy(a->out->question_id, question, sizeof(question));
    }
}

enum coach_status coach_ask(struct db *db, const struct config *cfg, const struct coach_request *rq,
                            const struct coach_events *ev, struct coach_answer *out)
{
    struct ask a = {
        .db = db,
        .cfg = cfg,
        .rq = rq,
        .ev = ev,
        .out = out,
        .arena = ARENA_INIT,
        .pair = SEARCH_PAIR_INIT,
        .mode = "extractive",
        .t0 = now_ms(),
        .db0 = db->counts,
    };
    enum coach_status st;

    memset(out, 0, sizeof(*out));
    st = ask_context(&a);
    if (st == COACH_OK) {
        ask_rewrite(&a);
        st = ask_retrieve(&a);
    }
    if (st == COACH_OK)
        st = ask_route_conversation(&a);
    if (st == COACH_OK)
        st = ask_route_book(&a);
    if (st == COACH_OK)
        st = ask_retrieve_answer(&a);
    if (st == COACH_OK && !ask_saves_with_model(&a))
        st = ask_save_question(&a); /* ask_generate will not claim it again */
    if (st == COACH_OK)
        st = ask_answer(&a);
    if (st == COACH_OK)
        st = ask_deliver(&a);
    if (st == COACH_OK && rq->user_id != NULL)
        st = ask_save_answer(&a);
    if (st == COACH_OK)
        ask_document(&a);
    else
        ask_save_failure(&a, st);
    ask_release(&a, st);
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
