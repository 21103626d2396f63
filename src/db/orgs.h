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

#include "db/status.h"

struct arena;
struct db;

/* An organization as the administration lists it (strings in an arena). */
struct org_row {
    const char *id, *name, *kind;
    const char *parent_id; /* NULL: none */
    const char *source;
    long long user_count, team_count;
};

/* A team as the administration lists it (strings in an arena). */
struct team_row {
    const char *id, *name, *organization_id, *organization_name;
    long long member_count;
    const char *coaches_json; /* a JSON array of {id, name}, by name */
};

/* A member or coach of a team (strings in an arena). */
struct team_person {
    const char *id, *name, *email;
    const char *as; /* "member" or "coach" */
};

/* The functions below return enum db_status (db/status.h), with err
 * saying why: DB_INVALID input refused, DB_NOT_FOUND a referenced row
 * does not exist, DB_CONFLICT a unique name or membership exists,
 * DB_ERROR the database failed. */

/* Who made a change, for its audit row: the actor's user id and client
 * address, either NULL (the command line has neither). */
struct orgs_actor {
    const char *id;
    const char *ip;
};

/* Creates an organization and records org.create {"name", "kind"} by who
 * in the same transaction.  kind is "district" or "school"; parent_id
 * (may be NULL) must be a district and is only allowed for a school.  On
 * DB_OK *id_out is the new id (caller frees). */
enum db_status org_create(struct db *db, const struct orgs_actor *who, const char *name,
                          const char *kind, const char *parent_id, char **id_out, char *err,
                          size_t errlen) __attribute__((nonnull(1, 2, 3, 4, 6, 7)));

/* Creates a team in an organization and records team.create by who in the
 * same transaction; *id_out is the new id (caller frees). */
enum db_status team_create(struct db *db, const struct orgs_actor *who, const char *org_id,
                           const char *name, char **id_out, char *err, size_t errlen)
    __attribute__((nonnull));

/* Adds (add true) or removes a user as a member ("member") or coach
 * ("coach") of a team, and records team.{member|coach}.{add|remove}
 * {"user_id"} by who in the same transaction (who NULL: no audit row, as
 * the command line has always done).  A coach must have the coach or
 * admin role.  Removing what is not there is DB_NOT_FOUND; adding twice
 * is DB_OK. */
enum db_status team_set(struct db *db, const struct orgs_actor *who, const char *team_id,
                        const char *user_id, const char *what, bool add, char *err, size_t errlen)
    __attribute__((nonnull(1, 3, 4, 5, 7)));

/* Lists every organization by kind and name into *rows (n of them, in
 * a).  Returns DB_OK, or DB_ERROR when the query failed (logged). */
enum db_status org_list(struct db *db, struct arena *a, struct org_row **rows, size_t *n)
    __attribute__((nonnull));

/* Lists the teams of organization org_id (NULL: all) by name (by their
 * organization's name first when by_org) into *rows (n of them, in a).
 * Returns DB_OK, or DB_ERROR when the query failed (logged). */
enum db_status team_list(struct db *db, struct arena *a, const char *org_id, bool by_org,
                         struct team_row **rows, size_t *n) __attribute__((nonnull(1, 2, 5, 6)));

/* Lists the members, then the coaches, of team team_id (a UUID) by name
 * into *rows (n of them, in a).  Returns DB_OK, DB_NOT_FOUND (no such
 * team) or DB_ERROR (logged). */
enum db_status team_people(struct db *db, struct arena *a, const char *team_id,
                           struct team_person **rows, size_t *n) __attribute__((nonnull));

#endif
