/*
 * The generation prompt (architecture.md, the coach pipeline, step 4):
 * the system message, the conversation so far, and a last user message
 * holding the numbered sources and the question.
 *
 * Each source is written exactly as the model stand-in (t/model/stub.py)
 * and the verifier expect:
 *
 *     <source n="1" title="Book title" chapter="3: Chapter title" pages="12-13">
 *     passage text
 *     </source>
 *
 * Attribute values lose their double quotes, angle brackets and line
 * breaks; a passage loses any "</source>" inside it, so neither can close
 * the element early.
 */
#ifndef PLC_COACH_PROMPT_H
#define PLC_COACH_PROMPT_H

#include <stddef.h>

#include "llm/llm.h"
#include "util/arena.h"

struct buf;
struct search_hit;

/* One earlier message of the conversation, oldest first. */
struct prompt_turn {
    const char *role; /* "user" or "assistant" */
    const char *content;
};

/* An earlier answer is cut to this many bytes in the prompt. */
#define PROMPT_TURN_MAX_BYTES 2000

extern const char prompt_system[];

/* Appends the numbered sources to out. */
void prompt_sources(struct buf *out, const struct search_hit *hits, size_t k)
    __attribute__((nonnull(1)));

/* Builds the messages: the system prompt, the turns, then the sources and
 * the question (with the standalone form when it differs).  Every string
 * and the array are allocated in arena (freed with it); *n receives the
 * count. */
struct llm_message *prompt_build(struct arena *arena, const struct prompt_turn *turns,
                                 size_t nturns, const struct search_hit *hits, size_t k,
                                 const char *question, const char *standalone, size_t *n)
    __attribute__((nonnull(1, 6, 8), warn_unused_result));

#endif
