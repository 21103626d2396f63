/*
 * Domain tagging by the configured language model; see domains.h.
 *
 * Chunks go to the model DOMAINS_MODEL_BATCH at a time, each passage cut to
 * DOMAINS_MODEL_PASSAGE_BYTES on a UTF-8 boundary, with a system prompt
 * that names the seven domains and asks for JSON only:
 *
 *     {"tags": [["assessment"], ["collaboration", "leadership"], ...]}
 *
 * one array per passage, in order.  The answer is untrusted text: it is
 * parsed strictly (util/json.h), every name must be one of the seven, each
 * passage needs 1..DOMAIN_MAX_TAGS of them and the count must match.  A
 * batch whose answer fails any check (or whose call fails) keeps the
 * lexicon's tags, so a flaky service can never leave a chunk untagged.
 */
#include "config.h"

#include <string.h>

#include "llm/llm.h"
#include "library/chunk.h"
#include "library/domains.h"
#include "util/buf.h"
#include "util/cfg.h"
#include "util/json.h"
#include "util/log.h"
#include "util/text.h"

static const char system_prompt[] =
    "TASK: TAG DOMAINS\n"
    "You label passages from books about Professional Learning Communities in K-12 "
    "schools with the knowledge domains they are about.  The domains:\n"
    "- assessment: formative and summative assessment, common assessments, rubrics, grading\n"
    "- collaboration: collaborative teams, norms, meetings, protocols, shared work\n"
    "- leadership: principals, leadership teams, coaching, structures, time and resources\n"
    "- curriculum: essential standards, guaranteed and viable curriculum, pacing, units\n"
    "- data_analysis: analysing results and student work, goals, progress monitoring\n"
    "- school_culture: mission, vision, values, trust, collective commitments, celebration\n"
    "- student_learning: interventions, extension, RTI/MTSS tiers, differentiation\n"
    "Answer with JSON only, no prose: {\"tags\": [[...], [...]]} with one array per "
    "passage, in the order given, each holding one to three domain names from the list, "
    "most relevant first.";

/* Parses the model's answer into sets[0..n).  Returns false (sets
 * untouched) unless every check in the file comment holds. */
bool domains_model_parse(const char *text, size_t len, size_t n, unsigned *sets)
{
    unsigned out[DOMAINS_MODEL_BATCH];
    const char *why = NULL;
    json_object *root, *tags;
    size_t i, j, start = 0, end = len;
    bool ok = false;

    if (n == 0 || n > DOMAINS_MODEL_BATCH)
        return false;
    /* Models like to wrap JSON in a code fence: keep the outermost object. */
    while (start < len && text[start] != '{')
        start++;
    while (end > start && text[end - 1] != '}')
        end--;
    if (end <= start)
        return false;
    root = json_parse_object_strict(text + start, end - start, 4, &why);
    if (root == NULL)
        return false;
    if (!json_object_object_get_ex(root, "tags", &tags)
        || !json_object_is_type(tags, json_type_array) || json_object_array_length(tags) != n)
        goto done;
    for (i = 0; i < n; i++) {
        json_object *one = json_object_array_get_idx(tags, i);
        size_t m;
        if (!json_object_is_type(one, json_type_array))
            goto done;
        m = json_object_array_length(one);
        if (m < 1 || m > DOMAIN_MAX_TAGS)
            goto done;
        out[i] = 0;
        for (j = 0; j < m; j++) {
            json_object *name = json_object_array_get_idx(one, j);
            size_t d;
            if (!json_object_is_type(name, json_type_string)
                || !domain_parse(json_object_get_string(name), &d))
                goto done;
            out[i] |= 1u << d;
        }
    }
    memcpy(sets, out, n * sizeof(*sets));
    ok = true;
done:
    json_object_put(root);
    return ok;
}

bool domains_model_wanted(const struct config *cfg)
{
    if (strcmp(cfg->domain_tagger, "lexicon") == 0)
        return false;
    return llm_configured(cfg); /* "auto": a model when one is configured */
}

size_t domains_tag_model(const struct config *cfg, struct chunk_list *c)
{
    size_t at, i, tagged = 0, failed = 0;

    for (at = 0; at < c->n; at += DOMAINS_MODEL_BATCH) {
        size_t n = c->n - at < DOMAINS_MODEL_BATCH ? c->n - at : DOMAINS_MODEL_BATCH;
        unsigned sets[DOMAINS_MODEL_BATCH];
        struct buf user = BUF_INIT;
        struct llm_message msgs[2];
        struct llm_request req;
        struct llm_result res;
        enum llm_status st;

        buf_printf(&user, "%zu passages follow.\n", n);
        for (i = 0; i < n; i++) {
            buf_printf(&user, "\n<passage n=\"%zu\">\n", i + 1);
            buf_append(&user, c->items[at + i].text,
                       utf8_clip(c->items[at + i].text, DOMAINS_MODEL_PASSAGE_BYTES));
            buf_puts(&user, "\n</passage>\n");
        }
        msgs[0] = (struct llm_message){"system", system_prompt};
        msgs[1] = (struct llm_message){"user", buf_str(&user)};
        memset(&req, 0, sizeof(req));
        req.messages = msgs;
        req.nmessages = 2;
        req.max_tokens = (int)(40 * n + 40);
        req.temperature = 0;
        st = llm_chat(cfg, &req, &res);
        if (st == LLM_OK && domains_model_parse(res.text, res.len, n, sets)) {
            for (i = 0; i < n; i++)
                c->items[at + i].domains = sets[i];
            tagged += n;
        } else {
            failed++;
            log_fields(LOG_WARN, "domain tagging by the model failed; the lexicon's tags stay",
                       (struct log_field[]){LF_INT("first_chunk", at), LF_INT("chunks", n),
                                            LF_STR("status", llm_status_name(st))},
                       3);
        }
        llm_result_free(&res);
        buf_free(&user);
        /* A service that keeps failing is not asked again for every batch. */
        if (st == LLM_CIRCUIT_OPEN || (failed >= 3 && tagged == 0))
            break;
    }
    return tagged;
}
