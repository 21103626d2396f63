/*
 * The coach's writes and reads of messages (src/coach/pipeline.c): the
 * context of a conversation, the question saved before generation, the
 * answer saved after it.
 *
 * Like conversations.h, every statement matches the caller's user id, so
 * another user's conversation is as missing as one that does not exist.
 */
#ifndef PLC_DB_MESSAGES_H
#define PLC_DB_MESSAGES_H

#include <stdbool.h>
#include <stddef.h>

#include "db/conversations.h"
#include "util/arena.h"

struct db;

#define MSG_UUID_LEN 36

/* One earlier message, oldest first. */
struct msg_turn {
    const char *role; /* "user" or "assistant" */
    const char *content;
};

/* Reads the last max messages of conversation conv_id of user_id, oldest
 * first, into *turns (*n of them; strings and array allocated in a).
 * Returns STORE_OK (possibly with none), STORE_NOT_FOUND or STORE_ERROR. */
enum store_result msg_history(struct db *db, struct arena *a, const char *user_id,
                              const char *conv_id, size_t max, struct msg_turn **turns, size_t *n)
    __attribute__((nonnull));

/* Saves the user's question.  conv_id NULL: creates the conversation
 * titled title with the message in one statement.  Otherwise appends to
 * conv_id when it is user_id's.  Fills conv_out, msg_out (the question's
 * id) and next_out (a fresh id for the answer to come).  Returns STORE_OK,
 * STORE_NOT_FOUND or STORE_ERROR (nothing written). */
enum store_result msg_save_question(struct db *db, const char *user_id, const char *conv_id,
                                    const char *title, const char *content,
                                    char conv_out[MSG_UUID_LEN + 1], char msg_out[MSG_UUID_LEN + 1],
                                    char next_out[MSG_UUID_LEN + 1])
    __attribute__((nonnull(1, 2, 4, 5, 6, 7, 8)));

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

/* Saves an answer.  Returns false (logged) when the database refused it
 * (e.g. the conversation was deleted meanwhile). */
bool msg_save_answer(struct db *db, const struct msg_answer *a) __attribute__((nonnull));

#endif
