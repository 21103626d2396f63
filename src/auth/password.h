/*
 * Password hashing for local accounts: scrypt through OpenSSL's EVP_KDF,
 * stored as "$scrypt$ln=L,r=R,p=P$<salt hex>$<hash hex>" so the cost can
 * rise later without invalidating stored hashes.  Verification compares in
 * constant time.
 */
#ifndef PLC_AUTH_PASSWORD_H
#define PLC_AUTH_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

/* Cost used for new hashes: N = 2^15, r = 8, p = 1 (32 MiB, ~0.1 s). */
#define PASSWORD_LOG2_N 15

/* Longest password accepted (bytes); longer ones are refused, not cut. */
#define PASSWORD_MAX 1024
/* Shortest password accepted for a new account. */
#define PASSWORD_MIN 10

/* Returns a newly allocated hash string for password (caller frees), or
 * NULL when OpenSSL fails (logged).  log2n lets tests use a lower cost;
 * pass PASSWORD_LOG2_N otherwise. */
char *password_hash(const char *password, int log2n) __attribute__((nonnull, warn_unused_result));

/* Returns true when password matches the stored hash.  A malformed stored
 * hash or parameters outside sane bounds never match. */
bool password_verify(const char *password, const char *stored)
    __attribute__((nonnull, warn_unused_result));

/* Computes, once per process, the hash that a sign-in for an unknown
 * email is verified against (the same scrypt work as a real account, so
 * the answer's timing does not tell which emails have accounts).  The
 * server's master calls it before forking its workers, so no worker pays
 * for it during a request.  Returns false when OpenSSL failed (logged). */
bool password_dummy_init(void);

/* The hash of password_dummy_init(), computed on the spot if it has not
 * been; "" (which never verifies) if that failed.  Static storage. */
const char *password_dummy_hash(void);

/* Returns NULL when password is acceptable for a new account, otherwise a
 * static message saying why not (length, NUL bytes, invalid UTF-8). */
const char *password_policy(const char *password, size_t len) __attribute__((nonnull));

#endif
