/*
 * Random bearer tokens (session cookies, CSRF tokens, share links, OIDC
 * state) and the one-way form the database keeps.
 *
 * A token is 32 bytes from the OpenSSL CSPRNG as 64 lowercase hex digits.
 * Only token_digest() of a session or share token is ever stored, so a
 * copy of the database does not let anyone sign in or open a share.
 */
#ifndef PLC_AUTH_TOKEN_H
#define PLC_AUTH_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

#include "util/sha256.h"

#define TOKEN_BYTES 32
#define TOKEN_LEN (2 * TOKEN_BYTES)

/* Writes a fresh token and a NUL into out.  Returns false only when the
 * random generator fails (logged). */
bool token_new(char out[TOKEN_LEN + 1]) __attribute__((nonnull, warn_unused_result));

/* Returns true when s has the shape of a token (64 lowercase hex digits). */
bool token_well_formed(const char *s) __attribute__((nonnull));

/* Writes the SHA-256 hex digest of token (what the database stores). */
bool token_digest(const char *token, char out[SHA256_HEX_LEN + 1])
    __attribute__((nonnull, warn_unused_result));

/* Compares two NUL-terminated strings in time independent of where they
 * differ (lengths are not secret). */
bool token_equal(const char *a, const char *b) __attribute__((nonnull));

#endif
