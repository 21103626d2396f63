/*
 * Pending single sign-on requests; see oidc_requests.h.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "db/oidc_requests.h"
#include "db/rows.h"
#include "util/arena.h"

enum db_status oidc_request_put(struct db *db, const char *state_hash, const char *provider,
                                const char *nonce, const char *code_verifier, const char *return_to,
                                int ttl_s)
{
    char ttl[16];
    const char *params[6] = {state_hash, provider, nonce, code_verifier, return_to, ttl};

    snprintf(ttl, sizeof(ttl), "%d", ttl_s);
    return db_command(
               db,
               "WITH old AS (DELETE FROM oidc_requests WHERE expires_at < now()) "
               "INSERT INTO oidc_requests (state_hash, provider, nonce, code_verifier, return_to, "
               "  expires_at) VALUES ($1, $2, $3, $4, $5, now() + $6::int * interval '1 second')",
               6, params)
               ? DB_OK
               : DB_ERROR;
}

enum db_status oidc_request_take(struct db *db, struct arena *a, const char *state_hash,
                                 struct oidc_request *out)
{
    const char *params[1] = {state_hash};
    PGresult *res = db_exec(db,
                            "DELETE FROM oidc_requests WHERE state_hash = $1 "
                            "RETURNING provider, nonce, code_verifier, return_to, "
                            "  expires_at <= now()",
                            1, params, false);
    enum db_status st;

    if (res == NULL)
        return DB_ERROR;
    st = PQntuples(res) == 1 ? DB_OK : DB_NOT_FOUND;
    if (st == DB_OK) {
        out->provider = db_arena_value(a, res, 0, 0);
        out->nonce = db_arena_value(a, res, 0, 1);
        out->code_verifier = db_arena_value(a, res, 0, 2);
        out->return_to = db_arena_value(a, res, 0, 3);
        out->expired = strcmp(PQgetvalue(res, 0, 4), "t") == 0;
    }
    PQclear(res);
    return st;
}
