/*
 * Password attempts; see logins.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/logins.h"

/* The reason a throttle gives, as a static string. */
static const char *reason_name(const char *s)
{
    static const char *const names[] = {"account_rate", "address_rate", "account_address",
                                        "address"};
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(s, names[i]) == 0)
            return names[i];
    return "throttled";
}

enum login_gate login_attempt_begin(struct db *db, const char *email, const char *ip,
                                    const struct login_limits *limits, long long *attempt_id,
                                    long *retry_after, const char **reason)
{
    char f[24], fi[24], r[24], ri[24];
    const char *params[6] = {email, ip, f, fi, r, ri};
    PGresult *res;
    enum login_gate gate;

    *attempt_id = 0;
    *retry_after = 0;
    *reason = NULL;
    snprintf(f, sizeof(f), "%ld", limits->free_failures);
    snprintf(fi, sizeof(fi), "%ld", limits->free_failures_ip);
    snprintf(r, sizeof(r), "%ld", limits->per_minute);
    snprintf(ri, sizeof(ri), "%ld", limits->per_minute_ip);
    res = db_exec(db,
                  "SELECT attempt_id, retry_after, reason FROM login_attempt_begin("
                  "$1, $2::inet, $3::int, $4::int, $5::int, $6::int)",
                  6, params, false);
    if (res == NULL)
        return LOGIN_ERROR;
    if (db_value(res, 0, 0) != NULL) {
        *attempt_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
        gate = LOGIN_GO;
    } else {
        *retry_after = strtol(PQgetvalue(res, 0, 1), NULL, 10);
        if (*retry_after < 1)
            *retry_after = 1;
        *reason = reason_name(PQgetvalue(res, 0, 2));
        gate = LOGIN_WAIT;
    }
    PQclear(res);
    return gate;
}

enum db_status login_attempt_end(struct db *db, long long attempt_id, bool success)
{
    char id[24];
    const char *params[2] = {id, success ? "success" : "failure"};
    PGresult *res;

    snprintf(id, sizeof(id), "%lld", attempt_id);
    res = db_exec(
        db, "UPDATE login_attempts SET outcome = $2, resolved_at = now() WHERE id = $1::bigint", 2,
        params, true);
    if (res == NULL)
        return DB_ERROR;
    PQclear(res);
    return DB_OK;
}
