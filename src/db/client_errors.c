/*
 * Repeats of browser error reports; see client_errors.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "db/client_errors.h"
#include "db/db.h"

enum db_status client_error_seen(struct db *db, const char *digest, long window_s, bool *log_it,
                                 long *repeats)
{
    char win[24];
    const char *params[2] = {digest, win};
    PGresult *res;

    *log_it = false;
    *repeats = 0;
    snprintf(win, sizeof(win), "%ld", window_s);
    res =
        db_exec(db, "SELECT log_it, repeats FROM client_error_seen($1, $2::int)", 2, params, false);
    if (res == NULL)
        return DB_ERROR;
    *log_it = PQgetvalue(res, 0, 0)[0] == 't';
    *repeats = strtol(PQgetvalue(res, 0, 1), NULL, 10);
    PQclear(res);
    return DB_OK;
}
