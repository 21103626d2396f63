/*
 * AWS Signature Version 4 (HMAC-SHA256 with OpenSSL).
 *
 * The pieces are exposed one by one so that t/storage/sigv4-t can check
 * each against AWS's published test vectors: the canonical request, the
 * string to sign, the signature, the Authorization header, and S3's
 * presigned (query-string) form.  Nothing here logs: a canonical request
 * names no secret, but the signing key and signatures are credentials.
 */
#ifndef PLC_STORAGE_SIGV4_H
#define PLC_STORAGE_SIGV4_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

#define SIGV4_EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define SIGV4_UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"

/* Credentials; all strings owned by whoever holds the struct (creds.h). */
struct sigv4_creds {
    char *access_key_id;
    char *secret_access_key;
    char *session_token; /* NULL for long-term keys */
};

/* One header or query parameter, as sent (not yet canonical). */
struct sigv4_pair {
    const char *name;
    const char *value;
};

/* What is signed.  Headers must include Host; x-amz-date is added by the
 * signing functions (and x-amz-security-token when the credentials have a
 * session token), never passed here. */
struct sigv4_request {
    const char *method;
    const char *path; /* as sent, before encoding: "/bucket/key"; "/" at least */
    const struct sigv4_pair *query;
    size_t nquery;
    const struct sigv4_pair *headers;
    size_t nheaders;
    const char *payload_hash; /* hex SHA-256, or SIGV4_UNSIGNED_PAYLOAD */
    const char *region;
    const char *service;
    int64_t time; /* seconds since the epoch */
};

/* Appends s (n bytes) URI-encoded as SigV4 wants: every byte but
 * A-Z a-z 0-9 - . _ ~ as %XX (upper case); "/" kept when keep_slash. */
void sigv4_uri_encode(struct buf *out, const char *s, size_t n, bool keep_slash)
    __attribute__((nonnull(1)));

/* Writes the hex SHA-256 of n bytes into hex (65 bytes with the NUL). */
void sigv4_sha256_hex(const void *data, size_t n, char hex[65]);

/* Writes "YYYYMMDDTHHMMSSZ" (17 bytes with the NUL) for t. */
void sigv4_amz_date(int64_t t, char out[17]);

/* Builds the canonical request of r (headers as given: the caller adds
 * x-amz-date and the token first) into creq and the signed header list
 * ("host;x-amz-date") into signed_headers.  Header names are lower-cased,
 * values trimmed with inner runs of spaces collapsed, repeated names joined
 * with "," in their order; query pairs are encoded and sorted.  Returns
 * false when r has no Host header or a header name or value holds a
 * control byte. */
bool sigv4_canonical_request(const struct sigv4_request *r, struct buf *creq,
                             struct buf *signed_headers)
    __attribute__((nonnull, warn_unused_result));

/* Builds the string to sign for a canonical request. */
void sigv4_string_to_sign(const struct sigv4_request *r, const char *creq, struct buf *sts)
    __attribute__((nonnull));

/* Writes the hex signature (65 bytes with the NUL) of sts. */
void sigv4_signature(const char *secret, const struct sigv4_request *r, const char *sts,
                     char sig[65]) __attribute__((nonnull));

/* Signs r for the Authorization header: appends the headers to send
 * besides the caller's own ("X-Amz-Date: ...", "X-Amz-Security-Token: ..."
 * when c has a token, "Authorization: ...") to *extra, one "Name: value"
 * string each, for curl_slist.  extra holds at most 3 strings, each
 * allocated (the caller frees them).  Returns false like
 * sigv4_canonical_request. */
bool sigv4_sign_headers(const struct sigv4_creds *c, const struct sigv4_request *r, char *extra[3],
                        size_t *nextra) __attribute__((nonnull, warn_unused_result));

/* Builds a presigned URL for r (no payload is signed: UNSIGNED-PAYLOAD;
 * only Host is signed): scheme_host is "https://host[:port]"; r's query
 * may carry other parameters.  The X-Amz-* parameters, the token included,
 * are added and signed.  Appends the URL to url; returns false like
 * sigv4_canonical_request or when expires_s is not 1..604800. */
bool sigv4_presign(const struct sigv4_creds *c, const struct sigv4_request *r,
                   const char *scheme_host, int64_t expires_s, struct buf *url)
    __attribute__((nonnull, warn_unused_result));

#endif
