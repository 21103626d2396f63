/*
 * base64url (RFC 4648 section 5) without padding, as JOSE uses it
 * (RFC 7515 section 2 and appendix C).
 *
 * Decoding is strict, because its input is untrusted: only the alphabet
 * A-Z a-z 0-9 - _ is accepted; '=' padding, whitespace, '+', '/' and NUL are
 * refused, as are a length of 1 modulo 4 and non-zero unused bits in the
 * last character, so that every byte string has exactly one encoding.
 */
#ifndef PLC_AUTH_BASE64URL_H
#define PLC_AUTH_BASE64URL_H

#include <stdbool.h>
#include <stddef.h>

/* Returns the number of bytes that n base64url characters decode to (the
 * length is not checked for validity). */
size_t base64url_decoded_len(size_t n);

/* Decodes the n characters at s.  Returns a newly allocated buffer of
 * *outlen bytes followed by a NUL that is not counted (so a decoded JSON
 * text can be handed to a parser as is); the caller frees it with free().
 * Returns NULL when s is not canonical unpadded base64url.  Empty input
 * decodes to an empty buffer, not NULL. */
unsigned char *base64url_decode(const char *s, size_t n, size_t *outlen)
    __attribute__((nonnull(3), warn_unused_result));

/* Returns the unpadded base64url encoding of the n bytes at data as a newly
 * allocated NUL-terminated string; never NULL; the caller frees it. */
char *base64url_encode(const void *data, size_t n) __attribute__((warn_unused_result));

#endif
