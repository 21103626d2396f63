/*
 * One-time sign-in links; see signin.h.
 */
#include "config.h"

#include <string.h>

#include "auth/signin.h"
#include "auth/token.h"
#include "util/alloc.h"
#include "util/cfg.h"
#include "util/url.h"

char *signin_link_issue(struct db *db, const struct config *cfg, const char *user_id,
                        const char *email, const char *actor_id, const char *ip, const char *via,
                        struct signin_link *out, enum db_status *st)
{
    char token[TOKEN_LEN + 1], hash[SHA256_HEX_LEN + 1];
    char *url = NULL;

    memset(out, 0, sizeof(*out));
    if (!token_new(token) || !token_digest(token, hash)) {
        *st = DB_ERROR;
        return NULL;
    }
    *st = signin_link_create(db, user_id, email, hash, actor_id, ip, via, out);
    if (*st == DB_OK)
        url = xasprintf("%.*s/sign-in/link#%s", (int)url_origin_len(cfg->public_url),
                        cfg->public_url, token);
    memset(token, 0, sizeof(token));
    return url;
}
