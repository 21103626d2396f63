/*
 * Test-side JOSE helpers, independent of the code under test except for
 * base64url_encode (which t/auth/base64url-t checks against RFC 4648):
 * generate keys, export their public halves as JWKs, and sign compact
 * JWS tokens the way an OpenID provider does.  Shared by t/auth/jwk-t,
 * t/auth/jwt-t and fuzz/jwt-fuzz.  Failures abort: these run only in
 * tests, where an OpenSSL failure is a broken environment.
 */
#ifndef PLC_T_AUTH_JWT_SIGN_H
#define PLC_T_AUTH_JWT_SIGN_H

#include <stddef.h>

#include <openssl/evp.h>

/* Returns a new RSA key of bits bits or a P-256/P-384 key ("P-256",
 * "P-384"); the caller frees it with EVP_PKEY_free. */
EVP_PKEY *tsign_rsa_key(unsigned bits) __attribute__((warn_unused_result));
EVP_PKEY *tsign_ec_key(const char *curve) __attribute__((nonnull, warn_unused_result));

/* Returns the public JWK of key as JSON text: kty, its public members,
 * "kid" when kid is not NULL, then the raw JSON members in extra (e.g.
 * "\"alg\":\"RS256\"") when not NULL.  The caller frees it. */
char *tsign_jwk(const EVP_PKEY *key, const char *kid, const char *extra)
    __attribute__((nonnull(1), warn_unused_result));

/* Returns the raw signature of the n bytes at data with key for alg
 * ("RS256": PKCS#1 v1.5 SHA-256; "ES256": r||s, 64 bytes, converted from
 * OpenSSL's DER; "ES256-DER": the DER as OpenSSL makes it, a classic
 * mistake), its length in *siglen.  The caller frees it. */
unsigned char *tsign_sign(EVP_PKEY *key, const char *alg, const void *data, size_t n,
                          size_t *siglen) __attribute__((nonnull(1, 2, 5), warn_unused_result));

/* Returns "B64(header).B64(payload).B64(sig)" for the given bytes; the
 * caller frees it. */
char *tsign_assemble(const void *header, size_t hn, const void *payload, size_t pn, const void *sig,
                     size_t sn) __attribute__((warn_unused_result));

/* Returns a compact JWS of header and payload (JSON texts) signed with key
 * for alg (as tsign_sign).  The caller frees it. */
char *tsign_token(EVP_PKEY *key, const char *alg, const char *header, const char *payload)
    __attribute__((nonnull, warn_unused_result));

/* The same with explicit lengths, for payloads that are not text. */
char *tsign_token_n(EVP_PKEY *key, const char *alg, const void *header, size_t hn,
                    const void *payload, size_t pn)
    __attribute__((nonnull(1, 2), warn_unused_result));

#endif
