/*
 * plccoach ask "question" [--conversation ID] [--user EMAIL] [--json]
 *
 * The coach pipeline (src/coach/pipeline.h) from the command line.  The
 * conversation is saved like the web saves it: under --user, or else
 * under the local command-line user (CLI_USER_EMAIL, an educator without a
 * password, created on first use), so --conversation continues it.
 * Without --json: the answer, a notice if any, the citations as
 * `[n] Title by Authors, Chapter N: Chapter title, pp. X-Y` each with its
 * quote, and the conversation id.  Exit status 0 answered, 1 failed
 * (database, unknown user or conversation), 2 usage.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "coach/pipeline.h"
#include "db/db.h"
#include "db/users.h"
#include "util/cfg.h"
#include "util/text.h"

#define CLI_USER_EMAIL "cli@localhost"
#define CLI_USER_NAME "Command line"

static void usage(void)
{
    fprintf(stderr,
            "Usage: plccoach ask \"question\" [--conversation ID] [--user EMAIL] [--json]\n");
}

/* Returns the command-line user's id, creating the user on first use. */
static char *cli_user(struct db *db)
{
    char *id;

    if (user_id_by_email(db, CLI_USER_EMAIL, &id) != DB_NOT_FOUND)
        return id;
    /* A conflict: a concurrent run created it (on failure id stays NULL). */
    if (user_create(db, CLI_USER_EMAIL, CLI_USER_NAME, "educator", false, NULL, &id) == DB_CONFLICT
        && user_id_by_email(db, CLI_USER_EMAIL, &id) != DB_OK)
        return NULL;
    return id;
}

/* True when s is valid UTF-8 without control characters other than
 * newline, carriage return and tab. */
static bool clean_text(const char *s)
{
    size_t i, n = strlen(s);

    if (!utf8_valid(s, n))
        return false;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f)
            return false;
    }
    return true;
}

static void print_human(json_object *doc)
{
    json_object *v, *cites, *c;
    size_t i;

    if (json_object_object_get_ex(doc, "answer", &v))
        printf("%s\n", json_object_get_string(v));
    if (json_object_object_get_ex(doc, "notice", &v))
        printf("\nNote: %s\n", json_object_get_string(v));
    if (json_object_object_get_ex(doc, "citations", &cites)
        && json_object_array_length(cites) > 0) {
        printf("\nSources:\n");
        for (i = 0; i < json_object_array_length(cites); i++) {
            json_object *n, *d, *q;
            c = json_object_array_get_idx(cites, i);
            if (json_object_object_get_ex(c, "n", &n) && json_object_object_get_ex(c, "display", &d)
                && json_object_object_get_ex(c, "quote", &q))
                printf("[%d] %s\n    \"%s\"\n", json_object_get_int(n), json_object_get_string(d),
                       json_object_get_string(q));
        }
    }
    if (json_object_object_get_ex(doc, "conversation_id", &v) && json_object_get_string(v))
        printf("\nconversation: %s\n", json_object_get_string(v));
}

int cmd_ask(int argc, char **argv, struct config *cfg)
{
    static const struct option opts[] = {
        {"conversation", required_argument, NULL, 'c'},
        {"user", required_argument, NULL, 'u'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    const char *conv = NULL, *email = NULL;
    enum db_status found = DB_NOT_FOUND;
    bool json = false;
    struct coach_request rq;
    struct coach_answer ans;
    enum coach_status st;
    char *question, *user_id;
    struct db db;
    size_t chars;
    int c, rc = 0;

    optind = 1;
    while ((c = getopt_long(argc, argv, "c:u:j", opts, NULL)) != -1) {
        switch (c) {
        case 'c': conv = optarg; break;
        case 'u': email = optarg; break;
        case 'j': json = true; break;
        default: usage(); return 2;
        }
    }
    if (optind != argc - 1) {
        usage();
        return 2;
    }
    if (!clean_text(argv[optind])) {
        fprintf(stderr, "plccoach: the question must be UTF-8 text without control characters\n");
        return 2;
    }
    question = coach_question_trim(argv[optind], &chars);
    if (chars < 1 || chars > COACH_QUESTION_MAX) {
        fprintf(stderr, "plccoach: the question must be 1 to %d characters long\n",
                COACH_QUESTION_MAX);
        free(question);
        return 2;
    }
    if (conv != NULL && !is_uuid(conv)) {
        fprintf(stderr, "plccoach: no such conversation: %s\n", conv);
        free(question);
        return 1;
    }
    db_init(&db, cfg);
    if (db_conn(&db) == NULL) {
        fprintf(stderr, "plccoach: cannot connect to the database: %s\n", db.last_error);
        free(question);
        return 1;
    }
    if (email != NULL)
        found = user_id_by_email(&db, email, &user_id);
    else
        user_id = cli_user(&db);
    if (user_id == NULL) {
        if (email != NULL && found == DB_NOT_FOUND)
            fprintf(stderr, "plccoach: no user with the email %s\n", email);
        else
            fprintf(stderr, "plccoach: the database failed: %s\n", db.last_error);
        free(question);
        db_close(&db);
        return 1;
    }
    memset(&rq, 0, sizeof(rq));
    rq.user_id = user_id;
    rq.conversation_id = conv;
    rq.question = question;
    st = coach_ask(&db, cfg, &rq, NULL, &ans);
    switch (st) {
    case COACH_OK:
        if (json)
            printf("%s\n", json_object_to_json_string_ext(
                               ans.doc, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
        else
            print_human(ans.doc);
        break;
    case COACH_NOT_FOUND:
        fprintf(stderr, "plccoach: no such conversation: %s\n", conv ? conv : "");
        rc = 1;
        break;
    case COACH_GONE:
        fprintf(stderr, "plccoach: the conversation was deleted while the coach answered\n");
        rc = 1;
        break;
    case COACH_CONFLICT:
        fprintf(stderr, "plccoach: this question is already being answered\n");
        rc = 1;
        break;
    case COACH_DB_ERROR:
    case COACH_CANCELLED:
        fprintf(stderr, "plccoach: the database failed: %s\n", db.last_error);
        rc = 1;
        break;
    }
    coach_answer_free(&ans);
    free(user_id);
    free(question);
    db_close(&db);
    return rc;
}
