/*
 * Classification by the model; see classify.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "coach/classify.h"
#include "llm/llm.h"
#include "library/domains.h"
#include "library/search.h"
#include "util/buf.h"
#include "util/json.h"

#define CLASSIFY_JSON_DEPTH 4

#define CLASSIFY_SYSTEM                                                                            \
    "TASK: CLASSIFY\n"                                                                             \
    "You route a teacher's question for a coach that answers only from a library of books on "     \
    "Professional Learning Communities. Answer with one JSON object and nothing else: "            \
    "{\"scope\": \"in\" or \"out\", \"too_broad\": true or false, \"domains\": [...]}. "           \
    "scope is \"out\" when the library does not cover the question (judge by its closest "         \
    "sections below). too_broad is true when the question is too general to answer well "          \
    "without asking which part is meant. domains: up to three of assessment, collaboration, "      \
    "leadership, curriculum, data_analysis, school_culture, student_learning."

bool classify_parse(const char *text, size_t len, struct classify_answer *out)
{
    const char *why = NULL, *start = text;
    json_object *root, *v;
    struct classify_answer a = {0};
    size_t i, end = len;
    bool ok = false;

    /* A code fence around the object is tolerated. */
    while (start < text + len && (*start == '`' || *start == ' ' || *start == '\n'))
        start++;
    if ((size_t)(text + len - start) >= 4 && strncmp(start, "json", 4) == 0)
        start += 4;
    end = (size_t)(text + len - start);
    while (end > 0 && (start[end - 1] == '`' || start[end - 1] == ' ' || start[end - 1] == '\n'))
        end--;
    root = json_parse_object_strict(start, end, CLASSIFY_JSON_DEPTH, &why);
    if (root == NULL)
        return false;
    if (json_object_object_length(root) != 3)
        goto done;
    if (!json_object_object_get_ex(root, "scope", &v) || !json_object_is_type(v, json_type_string))
        goto done;
    if (strcmp(json_object_get_string(v), "out") == 0)
        a.out_of_scope = true;
    else if (strcmp(json_object_get_string(v), "in") != 0)
        goto done;
    if (!json_object_object_get_ex(root, "too_broad", &v)
        || !json_object_is_type(v, json_type_boolean))
        goto done;
    a.too_broad = json_object_get_boolean(v);
    if (!json_object_object_get_ex(root, "domains", &v) || !json_object_is_type(v, json_type_array)
        || json_object_array_length(v) > DOMAIN_MAX_TAGS)
        goto done;
    for (i = 0; i < json_object_array_length(v); i++) {
        json_object *d = json_object_array_get_idx(v, i);
        size_t k;
        if (!json_object_is_type(d, json_type_string)
            || !domain_parse(json_object_get_string(d), &k))
            goto done;
        a.domains |= 1u << k;
    }
    *out = a;
    ok = true;
done:
    json_object_put(root);
    return ok;
}

/* The user message: the question, the closest sections, the evidence, the
 * rules' reading. */
static void user_message(struct buf *b, const char *question, const struct search_result *sr,
                         const struct route_evidence *ev, const struct coach_class *rules)
{
    size_t i, k;

    buf_printf(b, "Question: %s\n\nThe library's closest sections:\n", question);
    for (i = 0; i < sr->n; i++) {
        const struct search_hit *h = &sr->hits[i];
        buf_printf(b, "- %s", h->book_title ? h->book_title : "");
        if (h->chapter_title != NULL)
            buf_printf(b, ", Chapter %s: %s", h->chapter_number ? h->chapter_number : "",
                       h->chapter_title);
        if (h->section != NULL)
            buf_printf(b, ", section: %s", h->section);
        buf_putc(b, '\n');
    }
    if (sr->n == 0)
        buf_puts(b, "- (none)\n");
    buf_printf(b,
               "\nEvidence: coverage %.2f, best match %.2f, lexicon %.1f, specificity %.2f\n"
               "Rules say: %s\n",
               ev->coverage, ev->best, ev->lexicon, ev->specificity,
               rules->route == COACH_REFUSE    ? "out of scope"
               : rules->route == COACH_CLARIFY ? "too broad"
                                               : "in scope");
    buf_puts(b, "Domains by the lexicon:");
    for (k = 0; k < DOMAIN_COUNT; k++)
        if (rules->domains & (1u << k))
            buf_printf(b, " %s", domain_name(k));
    buf_putc(b, '\n');
}

bool classify_model(const struct config *cfg, const char *question, const struct search_result *sr,
                    const struct route_evidence *ev, const struct coach_class *rules,
                    struct classify_answer *out)
{
    struct buf user = BUF_INIT;
    struct llm_message msgs[2];
    struct llm_request req = {
        .messages = msgs, .nmessages = 2, .max_tokens = CLASSIFY_MAX_TOKENS, .temperature = 0};
    struct llm_result res;
    bool ok;

    if (!llm_configured(cfg) || llm_breaker_open(cfg))
        return false;
    user_message(&user, question, sr, ev, rules);
    msgs[0] = (struct llm_message){.role = "system", .content = CLASSIFY_SYSTEM};
    msgs[1] = (struct llm_message){.role = "user", .content = buf_str(&user)};
    ok = llm_chat(cfg, &req, &res) == LLM_OK && classify_parse(res.text, res.len, out);
    llm_result_free(&res);
    buf_free(&user);
    return ok;
}
