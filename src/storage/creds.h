/*
 * AWS credentials: the chain the AWS SDKs use, in this order:
 *
 *   1. the environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
 *      AWS_SESSION_TOKEN (optional); never expire;
 *   2. the ECS container credentials endpoint: http://169.254.170.2 plus
 *      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (the task role on Fargate),
 *      or AWS_CONTAINER_CREDENTIALS_FULL_URI (https, or http on loopback or
 *      the ECS/EKS link-local hosts) with AWS_CONTAINER_AUTHORIZATION_TOKEN
 *      (or ..._TOKEN_FILE) sent as the Authorization header;
 *   3. EC2 instance metadata v2 (unless AWS_EC2_METADATA_DISABLED=true): a
 *      session token from PUT /latest/api/token, then the role named at
 *      /latest/meta-data/iam/security-credentials/ and its credentials.
 *      AWS_EC2_METADATA_SERVICE_ENDPOINT replaces http://169.254.169.254.
 *
 * Temporary credentials are cached for the process and fetched again
 * CREDS_REFRESH_S seconds before their Expiration.  The answers of the
 * endpoints are untrusted bytes: bounded (CREDS_MAX_BYTES) and parsed by
 * creds_parse_json, which fuzz/creds-fuzz exercises.  No credential is
 * ever logged; secrets are wiped from memory when released.
 */
#ifndef PLC_STORAGE_CREDS_H
#define PLC_STORAGE_CREDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storage/sigv4.h"

#define CREDS_REFRESH_S 300
#define CREDS_MAX_BYTES 16384
#define CREDS_TIMEOUT_MS 2000

/* Returns the process's credentials, fetching or refreshing them when
 * needed; the struct is owned by this module and stays valid until the
 * next creds_get or creds_forget.  NULL when no source in the chain gave
 * any, with the reason (never a secret) in err. */
const struct sigv4_creds *creds_get(char *err, size_t errlen) __attribute__((nonnull));

/* Drops the cached credentials (after the service said they expired), so
 * the next creds_get fetches again. */
void creds_forget(void);

/* Parses an ECS or IMDS credentials document ({"AccessKeyId",
 * "SecretAccessKey", "Token", "Expiration"}; IMDS adds "Code": "Success").
 * On success fills *out (release with creds_clear) and *expires_at (0 when
 * there is no Expiration).  Otherwise false with the reason in err. */
bool creds_parse_json(const char *data, size_t n, struct sigv4_creds *out, int64_t *expires_at,
                      char *err, size_t errlen) __attribute__((nonnull, warn_unused_result));

/* Parses an ISO 8601 UTC time ("2024-01-02T03:04:05Z", fractional seconds
 * allowed) into seconds since the epoch. */
bool creds_parse_time(const char *s, int64_t *out) __attribute__((nonnull, warn_unused_result));

/* Wipes and frees the strings of c. */
void creds_clear(struct sigv4_creds *c);

#endif
