/*
 * The coach's writes and reads of messages (src/coach/pipeline.c): the
 * context of a conversation, the question saved before generation, the
 * answer saved after it, or the failure that took its place; a question
 * found again by its Idempotency-Key, and one asked again in place.
 *
 * Like conversations.h, every statement matches the caller's user id, so
 * another user's conversation is as missing as one that does not exist.
 *
 * A question carries answer_by, the time by which its answer is due (a
 * lease, sql/013_answer_outcomes.sql): a question with no answer after it
 * is being answered until then, and was interrupted after (its worker
 * died, or the database was gone when the failure was to be saved).
 */
#ifndef PLC_DB_MESSAGES_H
#define PLC_DB_MESSAGES_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "db/status.h"
#include "util/arena.h"

struct db;

#define MSG_UUID_LEN 36
#define MSG_KEY_MAX 200 /* bytes of an Idempotency-Key */

/* One earlier message, oldest first. */
struct msg_turn {
    const char *role; /* "user" or "assistant" */
    const char *content;
    const char *citations; /* an answer's saved citations (messages.citations, a JSON array
                            * as text: what the teacher saw); NULL for a question */
};

/* Reads the last max messages of conversation conv_id of user_id, oldest
 * first, into *turns (*n of them; strings and array allocated in a):
 * failures (kind error) left out, and, when until_id is not NULL, only
 * the messages before that one (a question asked again in place).
 * Returns DB_OK (possibly with none), DB_NOT_FOUND or DB_ERROR. */
enum db_status msg_history(struct db *db, struct arena *a, const char *user_id, const char *conv_id,
                           const char *until_id, size_t max, struct msg_turn **turns, size_t *n)
    __attribute__((nonnull(1, 2, 3, 4, 7, 8)));

/* What saving a question needs besides its text. */
struct msg_question {
    const char *user_id;
    const char *conversation_id; /* NULL: a new conversation, titled title */
    const char *title;
    const char *content;
    const char *key; /* the request's Idempotency-Key, or NULL */
    long lease_s;    /* answer_by = now + lease_s */
};

/* Saves the user's question (a new conversation and its first message in
 * one statement, or a message appended to the user's conversation), with
 * its key when it has one, in the same statement.  Fills conv_out,
 * msg_out (the question's id) and next_out (a fresh id for the answer to
 * come).  Returns DB_OK, DB_NOT_FOUND, DB_CONFLICT (the key was
 * taken meanwhile: a concurrent request with the same key) or DB_ERROR
 * (nothing written). */
enum db_status msg_save_question(struct db *db, const struct msg_question *q,
                                 char conv_out[MSG_UUID_LEN + 1], char msg_out[MSG_UUID_LEN + 1],
                                 char next_out[MSG_UUID_LEN + 1]) __attribute__((nonnull));

/* Reads the text of question question_id in conversation conv_id of
 * user_id, into a, for asking it again (msg_reask).  Returns DB_OK,
 * DB_NOT_FOUND (no such question of the caller's) or DB_ERROR. */
enum db_status msg_question_text(struct db *db, struct arena *a, const char *user_id,
                                 const char *conv_id, const char *question_id, const char **content)
    __attribute__((nonnull));

/* Claims question question_id of conversation conv_id of user_id to be
 * answered again, in place: it must be the conversation's last question,
 * with no answer after it but a failure (deleted here) or none whose lease
 * ran out (interrupted).  Renews its lease (lease_s) and fills next_out
 * with a fresh id for the answer.  One transaction.  Returns DB_OK,
 * DB_NOT_FOUND, DB_CONFLICT (answered, being answered, or not the
 * last question) or DB_ERROR. */
enum db_status msg_reask(struct db *db, const char *user_id, const char *conv_id,
                         const char *question_id, long lease_s, char next_out[MSG_UUID_LEN + 1])
    __attribute__((nonnull));

/* Ends the lease of question question_id now (the worker answering it
 * died: src/util/inflight.h), so that it reads as interrupted and can be
 * asked again at once.  Does nothing to a question whose lease has run
 * out.  Returns DB_OK or DB_ERROR. */
enum db_status msg_release(struct db *db, const char *question_id) __attribute__((nonnull));

/* An answer as messages stores it.  Numbers < 0 are stored as NULL. */
struct msg_answer {
    const char *id; /* chosen in advance (msg_save_question's next_out) */
    const char *conversation_id;
    const char *content;
    const char *citations_json; /* a JSON array */
    unsigned domains;           /* bit i = domain i (library/domains.h) */
    const char *mode;           /* "llm" or "extractive" */
    const char *model;          /* NULL for none */
    bool grounded;
    long prompt_tokens, completion_tokens, ttft_ms, total_ms;
    const char *kind;               /* "answer", "clarification" or "refusal" */
    const char *clarification_json; /* {"question","choices"} of a clarification, or NULL */
};

/* Saves an answer (a->id fresh for it: sent again after a lost connection,
 * the statement finds it saved and does nothing).  Returns DB_OK,
 * DB_NOT_FOUND when the conversation was deleted meanwhile (logged as
 * that), or DB_ERROR (logged). */
enum db_status msg_save_answer(struct db *db, const struct msg_answer *a) __attribute__((nonnull));

/* Prepares, without running them (db_prepare), the statements an ask
 * runs that an unsaved question cannot: saving the question (in a new or
 * an existing conversation) and the answer, reading the history, finding
 * an idempotency key.  For the warm start (src/server/warm.c).  Returns
 * how many are prepared (0..5). */
int msg_prepare_saves(struct db *db) __attribute__((nonnull));

/* Saves, in place of the answer with id answer_id, the failure that
 * stopped it: kind error, code (a word: db_unavailable, cancelled, ...)
 * and text for the reader.  Returns DB_OK, DB_NOT_FOUND (the
 * conversation is gone) or DB_ERROR. */
enum db_status msg_save_failure(struct db *db, const char *answer_id, const char *conv_id,
                                const char *code, const char *text) __attribute__((nonnull));

/* Where the question asked with an Idempotency-Key stands. */
enum msg_key_state {
    MSG_KEY_UNKNOWN,    /* no question with this key */
    MSG_KEY_ANSWERED,   /* *answer is its answer (a message object) */
    MSG_KEY_PENDING,    /* being answered; *retry_after seconds left of its lease */
    MSG_KEY_UNANSWERED, /* it failed or was interrupted: it may be asked again */
    MSG_KEY_ERROR,      /* the database failed */
};

struct msg_keyed {
    char question_id[MSG_UUID_LEN + 1];
    char conversation_id[MSG_UUID_LEN + 1];
    json_object *answer; /* MSG_KEY_ANSWERED: the answer message (caller puts) */
    long retry_after;    /* MSG_KEY_PENDING */
};

/* Finds user_id's question asked with key (keys older than a day are
 * forgotten).  Fills *out as the state says. */
enum msg_key_state msg_by_key(struct db *db, const char *user_id, const char *key,
                              struct msg_keyed *out) __attribute__((nonnull));

#endif
