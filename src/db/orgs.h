/*
 * Organizations (district -> school), teams, team members and the coaches
 * assigned to teams.  Shared by the admin API and `plccoach org|team`.
 *
 * Each function returns a status and, on success, a newly allocated id or
 * nothing; messages for the caller's user go to err (errlen bytes).
 */
#ifndef PLC_DB_ORGS_H
#define PLC_DB_ORGS_H

#include <stdbool.h>
#include <stddef.h>

struct db;

enum orgs_status {
    ORGS_OK,
    ORGS_INVALID,   /* input refused; err says why */
    ORGS_NOT_FOUND, /* a referenced row does not exist */
    ORGS_CONFLICT,  /* a unique name or membership exists */
    ORGS_DB_ERROR,
};

/* Creates an organization.  kind is "district" or "school"; parent_id
 * (may be NULL) must be a district and is only allowed for a school.  On
 * ORGS_OK *id_out is the new id (caller frees). */
enum orgs_status org_create(struct db *db, const char *name, const char *kind,
                            const char *parent_id, char **id_out, char *err, size_t errlen)
    __attribute__((nonnull(1, 2, 3, 5, 6)));

/* Creates a team in an organization; *id_out is the new id (caller frees). */
enum orgs_status team_create(struct db *db, const char *org_id, const char *name, char **id_out,
                             char *err, size_t errlen) __attribute__((nonnull));

/* Adds (add true) or removes a user as a member ("member") or coach
 * ("coach") of a team.  A coach must have the coach or admin role.
 * Removing what is not there is ORGS_NOT_FOUND; adding twice is ORGS_OK. */
enum orgs_status team_set(struct db *db, const char *team_id, const char *user_id, const char *what,
                          bool add, char *err, size_t errlen) __attribute__((nonnull));

#endif
