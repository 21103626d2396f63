/*
 * The coach pipeline (architecture.md, "The coach pipeline"): context,
 * rewrite, classification, retrieval, generation or extraction,
 * verification, saving.  One call answers one question, for the HTTP
 * handler (src/http/h_coach.c), `plccoach ask` and `plccoach eval` alike.
 *
 * The document (the non-streaming HTTP body and `plccoach ask --json`):
 *   {"type": "answer"|"clarification"|"refusal", "mode": "llm"|"extractive",
 *    "answer": Markdown, "citations": [{"n", "chunk_id", "book": {"title",
 *    "authors"}, "chapter": {"number", "title"}, "pages": {"start", "end"},
 *    "quote", "display"}], "clarification": {"question", "choices"} | null,
 *    "domains": [...], "conversation_id", "message_id", "grounded": bool,
 *    "notice"?: string}
 * Streaming, the events are: meta {conversation_id, message_id (of the
 * answer to come), user_message_id, domains, mode, type}; then either
 * citation events (one per verified citation) followed by the text as
 * delta {text} events (built-in answers), or the model's delta events as
 * they arrive followed by the citation events that survived verification;
 * then done (the document plus "timings": {ttft_ms, total_ms}).  The done
 * answer replaces whatever was streamed: the verifier may have removed
 * text the model sent.
 *
 * What is saved, and when: the question before any generation (with the
 * conversation, in one statement, when it is new; with the request's
 * Idempotency-Key when it has one; with answer_by, the time by which its
 * answer is due: COACH_ANSWER_LEASE_S past the model's whole timeout); the
 * answer after it, exactly as sent in done.  No question stays without an
 * answer: when the answer cannot be finished after the question was saved
 * (the database failed, the client went away), a failure is saved in its
 * place (kind "error", a code and a sentence), and when even that cannot
 * be saved (or the worker died), readers show the question as interrupted
 * once its answer_by has passed (src/db/messages.h).  A question that
 * failed or was interrupted can be answered again in place (rq->retry_of):
 * its failure is replaced, no second question is saved.  When the model fails before streaming
 * anything, the extractive answer is sent and saved with a notice.  When
 * it fails after deltas went out, an error event {code: "model_failed"}
 * follows them, then the extractive answer's citation events, and done
 * carries the extractive answer with a notice; that is what is saved.
 * When the model's answer verifies with nothing removed it is sent and
 * saved exactly as streamed; when everything in it failed verification,
 * the extractive answer is used instead, with a notice.  When the client
 * goes away (a failed write), the model request is cancelled and the
 * failure "cancelled" is saved in the answer's place.
 */
#ifndef PLC_COACH_PIPELINE_H
#define PLC_COACH_PIPELINE_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "coach/route.h"

struct msg_turn;

struct config;
struct db;
struct buf;

#define COACH_QUESTION_MAX 2000 /* characters, after trimming */
#define COACH_CONTEXT_TURNS 15  /* earlier messages given as context */
#define COACH_SOURCES 5         /* passages retrieved and numbered */
#define COACH_TITLE_CHARS 80    /* a new conversation's title */
#define COACH_ANSWER_MAX_BYTES 60000
#define COACH_ANSWER_LEASE_S 60 /* added to the model's timeout for answer_by */

/* How the pipeline talks to a streaming client. */
struct coach_events {
    /* Sends one event; takes ownership of data; false when the client is gone. */
    bool (*send)(void *ctx, const char *event, json_object *data);
    /* Polled while the model is awaited; true when the client is gone. May be NULL. */
    bool (*gone)(void *ctx);
    void *ctx;
};

struct coach_request {
    const char *user_id;         /* NULL: nothing is read or saved (eval) */
    const char *conversation_id; /* NULL: a new conversation */
    const char *question;        /* trimmed, 1..COACH_QUESTION_MAX characters */
    const char *const *context;  /* without user_id: earlier questions, oldest first */
    size_t ncontext;
    const struct msg_turn *turns; /* without user_id, in place of context: the conversation so
                                   * far, questions and answers (with their citations) */
    size_t nturns;
    const char *key;      /* the request's Idempotency-Key, saved with the question; or NULL */
    const char *retry_of; /* answer this saved question of conversation_id again, in place
                           * (question is then its text); or NULL */
};

enum coach_status {
    COACH_OK,
    COACH_NOT_FOUND, /* conversation_id (or retry_of) is not the user's */
    COACH_DB_ERROR,  /* the database failed (logged); the failure saved when it could be */
    COACH_CANCELLED, /* the client went away; the failure "cancelled" saved */
    COACH_CONFLICT,  /* the key was taken by a concurrent request, or retry_of is answered,
                      * being answered, or not the last question */
    COACH_GONE,      /* the conversation was deleted while the coach answered in it */
};

struct coach_answer {
    json_object *doc; /* the document (owned; coach_answer_free) */
    enum coach_route route;
    unsigned domains;
    bool llm;          /* the model wrote the answer */
    bool fallback;     /* the model failed and the extractive answer was used */
    bool grounded;     /* at least one verified citation */
    bool all_verified; /* grounded, and the verifier removed nothing */
    bool cited;        /* the answer cited something (verified or not) */
    bool retrieved;    /* retrieval found something relevant */
    char *standalone;  /* the question as routed and retrieved (malloc'd) */
    long ttft_ms, total_ms;
    /* Set once the question is saved, whatever the status: an error after
     * it names the conversation, so a retry continues it. */
    char conversation_id[37], question_id[37];
};

/* Answers one question.  ev NULL: nothing is streamed.  Returns the status
 * and, on COACH_OK, fills *out (release with coach_answer_free; safe to
 * call whatever the status); out->conversation_id and out->question_id
 * whatever the status, once the question was saved. */
enum coach_status coach_ask(struct db *db, const struct config *cfg, const struct coach_request *rq,
                            const struct coach_events *ev, struct coach_answer *out)
    __attribute__((nonnull(1, 2, 3, 5)));

void coach_answer_free(struct coach_answer *a);

/* Returns a copy of s without leading and trailing white space (malloc'd,
 * caller frees) and sets *chars to its length in characters (UTF-8). */
char *coach_question_trim(const char *s, size_t *chars)
    __attribute__((nonnull, warn_unused_result));

/* Appends a conversation title made from question: white space runs
 * become one space, and past COACH_TITLE_CHARS characters it is cut at
 * the last word boundary and ends in "…". */
void coach_title(struct buf *out, const char *question) __attribute__((nonnull));

/* Appends the citation label `Title by A and B, Chapter N: Chapter title,
 * pp. X-Y` ("p. X" for one page; no chapter part without a chapter). */
void coach_citation_label(struct buf *out, const char *title, const char *const *authors,
                          size_t nauthors, const char *chapter_number, const char *chapter_title,
                          const char *page_start, const char *page_end)
    __attribute__((nonnull(1, 2)));

#endif
