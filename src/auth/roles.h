/*
 * The roles a user may have, in increasing order of what they allow: an
 * educator asks, a coach also coaches teams, an admin also administers.
 * The router's table names the least role of each route (http/router.h).
 */
#ifndef PLC_AUTH_ROLES_H
#define PLC_AUTH_ROLES_H

/* ROLE_ANY: any signed-in user (and what role_parse() gives for an
 * unknown name). */
enum user_role { ROLE_ANY = 0, ROLE_EDUCATOR, ROLE_COACH, ROLE_ADMIN };

/* Returns the role for "educator", "coach" or "admin"; ROLE_ANY else. */
enum user_role role_parse(const char *name) __attribute__((nonnull));

#endif
