/*
 * The warm start; see warm.h.
 */
#include "config.h"

#include <json-c/json.h>
#include <stdio.h>

#include "coach/pipeline.h"
#include "coach/wordclass.h"
#include "db/db.h"
#include "db/messages.h"
#include "server/warm.h"
#include "util/cfg.h"
#include "util/log.h"
#include "util/text.h"

/* The events of the warm question go nowhere. */
static bool drop_event(void *ctx, const char *event, json_object *data)
{
    (void)ctx;
    (void)event;
    json_object_put(data);
    return true;
}

/* The worker's configured log level (validated when it was loaded). */
static enum log_level configured_level(const struct config *cfg)
{
    enum log_level level = LOG_INFO;

    if (cfg->log_level != NULL)
        (void)log_level_parse(cfg->log_level, &level);
    return level;
}

bool worker_warm(struct db *db, const struct config *cfg)
{
    struct config extractive = *cfg;                       /* strings borrowed from cfg */
    struct coach_request rq = {.question = WARM_QUESTION}; /* no user: nothing read or saved */
    struct coach_events ev = {.send = drop_event};
    struct coach_answer out;
    struct db_counts c0 = db->counts;
    enum log_level level = configured_level(cfg);
    enum coach_status st = COACH_DB_ERROR;
    int64_t t0 = now_ms(), wait_ms = db->wait_ms;
    int saves = 0;
    char reason[256] = "", no_model[1] = "";
    bool up, wordnet;

    if (!cfg->warm_start)
        return false;
    wordnet = wordclass_ready();        /* the scope rule's word classes (scope38b) */
    extractive.llm_base_url = no_model; /* never a model's request */
    /* Only errors get through while it runs: the pipeline's "coach
     * answer" line is not a teacher's question, and a database that is
     * down is said once, below. */
    log_init("worker", level > LOG_ERROR ? level : LOG_ERROR);
    db->wait_ms = 0; /* one attempt, no waiting out an outage */
    up = db_ping(db, reason, sizeof(reason));
    if (up) {
        st = coach_ask(db, &extractive, &rq, &ev, &out);
        coach_answer_free(&out);
        /* What a teacher's ask runs and the unsaved question cannot:
         * prepared, never run (nothing is written). */
        if (st == COACH_OK)
            saves = msg_prepare_saves(db);
        if (st != COACH_OK)
            snprintf(reason, sizeof(reason), "%s",
                     db->last_error[0] != '\0' ? db->last_error : "the question failed");
    }
    db->wait_ms = wait_ms;
    log_init("worker", level);
    if (st != COACH_OK) {
        LOG_FIELDS(LOG_WARN, "worker not warmed", LF_STR("reason", reason),
                   LF_INT("ms", now_ms() - t0));
        return false;
    }
    LOG_FIELDS(LOG_INFO, "worker warmed", LF_INT("ms", now_ms() - t0),
               LF_INT("db_statements", (long long)(db->counts.statements - c0.statements)),
               LF_INT("db_prepares", (long long)(db->counts.prepares - c0.prepares)),
               LF_INT("saves_prepared", saves), LF_INT("wordnet", wordnet));
    return true;
}
