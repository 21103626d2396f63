/*
 * GET /api/search?q=&domain=&k= (admins): the library search the coach
 * uses, answered as {"results":[...],"nothing_relevant":bool}.
 */
#include "config.h"

#include <string.h>

#include "http/handlers.h"
#include "http/request.h"
#include "http/response.h"
#include "http/validate.h"
#include "library/domains.h"
#include "library/search.h"
#include "util/text.h"

#define SEARCH_Q_MAX 1000 /* bytes */

void h_search(struct request *req)
{
    static const char *const allowed[] = {"q", "domain", "k", NULL};
    struct search_opts so = {.k = 5, .threshold = -1, .mode = SEARCH_HYBRID, .cosine = true};
    struct search_result res;
    const char *q, *domain;
    int64_t k;

    if (!query_only_params(req, allowed) || !query_enum(req, "domain", domain_names, "", &domain)
        || !query_int(req, "k", 1, SEARCH_K_MAX, 5, &k))
        return;
    q = request_query(req, "q");
    if (q == NULL || q[strspn(q, " \t\r\n")] == '\0') {
        resp_error(req, 400, "invalid_parameter", "q is required");
        return;
    }
    if (strlen(q) > SEARCH_Q_MAX || !utf8_valid(q, strlen(q))) {
        resp_error(req, 400, "invalid_parameter", "q must be valid UTF-8 of at most %d bytes",
                   SEARCH_Q_MAX);
        return;
    }
    so.question = q;
    so.domain = domain[0] != '\0' ? domain : NULL;
    so.k = (size_t)k;
    if (!search_run(req->db, req->cfg, &so, &res)) {
        search_result_free(&res);
        resp_db_unavailable(req);
        return;
    }
    resp_json(req, 200, search_result_json(&res, true));
    search_result_free(&res);
}
