/*
 * Follow-up rewriting; see rewrite.h.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "coach/llm.h"
#include "coach/rewrite.h"
#include "coach/sentences.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/text.h"

#define REWRITE_SYSTEM                                                                             \
    "TASK: REWRITE\n"                                                                              \
    "You rewrite a teacher's follow-up question into one standalone question that can be "         \
    "understood without the conversation. Keep the teacher's words where you can, resolve "        \
    "what \"it\", \"that\" or \"what about\" refer to from the previous question, and answer "     \
    "with the question only, on one line, without quotes or explanations."

/* Openings that mark a follow-up, longest first where they share words. */
static const char *const openings[] = {
    "what about ", "how about ", "and what about ", "what if ", "same for ",
    "and ",        "also ",      "then ",           "but ",     "so ",
    "how come ",   "ok ",        "okay ",           "and?",     NULL};

/* Words that point back to the previous question. */
static const char *const pointers[] = {"it",    "that",  "this",  "they", "them",    "those",
                                       "these", "there", "one",   "ones", "instead", "else",
                                       "more",  "its",   "their", NULL};

static size_t opening_length(const char *q)
{
    size_t i;

    for (i = 0; openings[i] != NULL; i++)
        if (strncasecmp(q, openings[i], strlen(openings[i])) == 0)
            return strlen(openings[i]);
    return 0;
}

bool rewrite_is_followup(const char *question)
{
    const char *q = question;
    size_t words, i = 0;

    while (isspace((unsigned char)*q))
        q++;
    if (opening_length(q) > 0)
        return true;
    words = sentence_words(q, strlen(q));
    if (words > REWRITE_SHORT_WORDS)
        return false;
    while (q[i] != '\0') {
        size_t s, k;
        while (q[i] != '\0' && !isalpha((unsigned char)q[i]))
            i++;
        s = i;
        while (isalpha((unsigned char)q[i]))
            i++;
        for (k = 0; i > s && pointers[k] != NULL; k++)
            if (i - s == strlen(pointers[k]) && strncasecmp(q + s, pointers[k], i - s) == 0)
                return true;
    }
    return false;
}

char *rewrite_rules(const char *previous, const char *followup)
{
    const char *f = followup;
    struct buf out = BUF_INIT;
    size_t n;

    while (isspace((unsigned char)*f))
        f++;
    f += opening_length(f);
    while (isspace((unsigned char)*f))
        f++;
    n = strlen(f);
    while (n > 0 && isspace((unsigned char)f[n - 1]))
        n--;
    if (n == 0 || (n == 1 && f[0] == '?')) {
        f = followup;
        n = strlen(f);
    }
    /* Upper-case the first letter of what is left ("tier 3?" -> "Tier 3?"). */
    buf_putc(&out, (char)toupper((unsigned char)f[0]));
    buf_append(&out, f + 1, n - 1);
    buf_puts(&out, " (follow-up to: ");
    buf_puts(&out, previous);
    buf_putc(&out, ')');
    return buf_steal(&out);
}

char *rewrite_model(const struct config *cfg, const char *previous, const char *followup)
{
    struct llm_message msgs[2];
    struct llm_request req;
    struct llm_result res;
    char *user = xasprintf("Previous question: %s\nFollow-up: %s", previous, followup);
    char *out = NULL;

    msgs[0] = (struct llm_message){"system", REWRITE_SYSTEM};
    msgs[1] = (struct llm_message){"user", user};
    memset(&req, 0, sizeof(req));
    req.messages = msgs;
    req.nmessages = 2;
    req.max_tokens = 120;
    req.temperature = 0;
    if (llm_chat(cfg, &req, &res) == LLM_OK && res.text != NULL) {
        const char *t = res.text;
        size_t n;
        while (isspace((unsigned char)*t) || *t == '"')
            t++;
        n = strcspn(t, "\r\n");
        while (n > 0 && (isspace((unsigned char)t[n - 1]) || t[n - 1] == '"'))
            n--;
        if (n > 0 && n <= REWRITE_MAX_BYTES && utf8_valid(t, n))
            out = xstrndup(t, n);
    }
    llm_result_free(&res);
    free(user);
    return out;
}
