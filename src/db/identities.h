/*
 * Single sign-on accounts: find or create the user behind a verified ID
 * token, in one transaction.
 *
 * The rules (docs/security.md, "Single sign-on"):
 *
 *  1. An identity (provider, subject) already known signs in its user.
 *  2. Otherwise, when a user has the token's email (case-insensitively),
 *     the identity is linked to that user only if the token asserts the
 *     email verified AND the address is already vouched for: another
 *     provider's identity of that user asserted the same email verified,
 *     or the user has a local password account (created by an admin, who
 *     vouched for the address).  Otherwise sign-in is refused
 *     (IDENTITY_EMAIL_IN_USE): never a second user with the same email.
 *  3. Otherwise a new user is created with role educator (admin for a
 *     Clever district or school admin, at creation only) and the identity.
 *
 * No sign-in changes a user's role.  Each sign-in records last_login_at
 * on the user and the identity, and the identity's latest email and
 * email_verified.  For Clever, the district and schools become
 * organizations (source clever, kind district / school under it); a new
 * user's organization is the school when there is exactly one, else the
 * district; an existing user's organization is only filled in when empty.
 */
#ifndef PLC_DB_IDENTITIES_H
#define PLC_DB_IDENTITIES_H

#include <stdbool.h>
#include <stddef.h>

struct db;

/* The most Clever schools taken from one token. */
#define IDENTITY_MAX_SCHOOLS 50

/* What the ID token said, already checked by the caller.  All strings
 * are borrowed. */
struct identity_claims {
    const char *provider; /* "google", "clever", "generic" */
    const char *subject;  /* sub */
    const char *email;    /* NULL when the token has no usable email */
    bool email_verified;
    const char *name;           /* the display name for a new user (never NULL) */
    bool admin_at_creation;     /* a new user gets role admin (Clever admins) */
    const char *district;       /* Clever district id, or NULL */
    const char *const *schools; /* Clever school ids */
    size_t nschools;
};

enum identity_result {
    IDENTITY_FOUND,        /* a known identity */
    IDENTITY_LINKED,       /* a new identity linked to the user with that email */
    IDENTITY_CREATED,      /* a new user and identity */
    IDENTITY_EMAIL_IN_USE, /* the email belongs to a user it may not be linked to */
    IDENTITY_NO_EMAIL,     /* a new account is needed and the token has no email */
    IDENTITY_DISABLED,     /* the user is disabled */
    IDENTITY_DB_ERROR,     /* logged */
};

/* Returns a static stable name ("found", "email_in_use", ...). */
const char *identity_result_name(enum identity_result r);

/* Finds or creates the user for c (see the rules above).  On FOUND,
 * LINKED and CREATED, *user_id is the user's id (the caller frees it);
 * otherwise NULL. */
enum identity_result identity_signin(struct db *db, const struct identity_claims *c, char **user_id)
    __attribute__((nonnull, warn_unused_result));

#endif
