/* Fuzz target: the parser of the language model's follow-up rewrite
 * (rewrite_parse).  What it accepts must be one line of at most
 * REWRITE_MAX_BYTES bytes, not empty; what it refuses must leave its
 * outputs untouched.  The same bytes as a saved answer (a model's answer
 * is saved as it came, once verified) and as a follow-up: the point a
 * follow-up names (history_answer_item, rewrite_ordinal) must be one
 * line of the answer's text, and so must the clarification's choice it
 * names (history_clarify_choice); and as a conversation, the question
 * given the conversation's subject (rewrite_carry), and whether it points
 * back to the earlier turn (rewrite_points_back, which reads the bytes
 * after each word for a clause's end), whether it points back by a noun
 * phrase (rewrite_refers_back, which reads the earlier turns' words), and
 * whether it names its own subject (rewrite_names_own_subject). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "coach/history.h"
#include "coach/rewrite.h"
#include "fuzz/fuzz.h"
#include "util/arena.h"

/* The same bytes as a conversation (the first half the previous
 * question, the second the question): the question given the subject
 * (rewrite_carry) opens with its focus, whatever follows it. */
static void carried(char *text, size_t size)
{
    char *prev = strndup(text, size / 2), *focus = NULL, *s;

    if (prev == NULL)
        return;
    s = rewrite_carry(prev, text + size / 2, &focus);
    if (focus == NULL || strncmp(s, focus, strlen(focus)) != 0)
        __builtin_trap();
    (void)rewrite_points_back(text);
    (void)rewrite_points_back(text + size / 2);
    (void)rewrite_refers_back(text + size / 2, prev, text);
    (void)rewrite_refers_back(text, NULL, NULL);
    if (rewrite_names_own_subject(text) && rewrite_takes_subject(false, text))
        __builtin_trap(); /* a question naming its own subject takes none */
    free(s);
    free(focus);
    free(prev);
}

/* The answer's points: each one line, inside the text. */
static void points(const uint8_t *data, size_t size)
{
    struct arena a = ARENA_INIT;
    char *text = malloc(size + 1);
    const char *item;
    int n;

    if (text == NULL)
        return;
    memcpy(text, data, size);
    text[size] = '\0';
    n = rewrite_ordinal(text);
    if (n < REWRITE_LAST || n > 99)
        __builtin_trap();
    for (n = -1; n <= 3; n++) {
        item = history_answer_item(text, n, &a);
        if (item != NULL && (n == 0 || strchr(item, '\n') != NULL || strstr(text, item) == NULL))
            __builtin_trap();
    }
    item = history_clarify_choice(text, text, &a); /* a clarification's choice, by its words */
    if (item != NULL && (strchr(item, '\n') != NULL || strstr(text, item) == NULL))
        __builtin_trap();
    arena_free(&a);
    carried(text, size);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char mark = 0, *q = &mark;
    bool follows = true;
    size_t n;

    if (rewrite_parse((const char *)data, size, &q, &follows)) {
        n = strlen(q);
        if (n == 0 || n > REWRITE_MAX_BYTES || strpbrk(q, "\r\n") != NULL)
            __builtin_trap();
        free(q);
    } else if (q != &mark || !follows) {
        __builtin_trap();
    }
    points(data, size);
    return 0;
}
