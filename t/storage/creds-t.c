/* Tests for the AWS credential chain (storage/creds.h) that need no
 * network: the ECS/IMDS document parser (good documents, refusals of every
 * kind), the Expiration time parser, and the chain's environment source
 * and its refusals.  The ECS endpoint (relative and full URI with its
 * authorization token) and IMDSv2 are exercised over HTTP by
 * t/integration/storage.sh. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/creds.h"
#include "tap/basic.h"
#include "util/buf.h"
#include "util/log.h"

/* ok() when needle occurs in s. */
static void like(const char *s, const char *needle, const char *what)
{
    if (!ok(s != NULL && strstr(s, needle) != NULL, "%s", what))
        diag("no \"%s\" in \"%s\"", needle, s ? s : "(null)");
}

static bool parse(const char *doc, struct sigv4_creds *c, int64_t *exp, char *err)
{
    return creds_parse_json(doc, strlen(doc), c, exp, err, 256);
}

static void test_parse(void)
{
    struct sigv4_creds c;
    struct buf big = BUF_INIT;
    char err[256];
    int64_t exp;

    ok(parse("{\"AccessKeyId\":\"ASIAEXAMPLE\",\"SecretAccessKey\":\"s3cr3t/+=\","
             "\"Token\":\"tok+/=\",\"Expiration\":\"2030-01-02T03:04:05Z\","
             "\"RoleArn\":\"arn:aws:iam::1:role/x\"}",
             &c, &exp, err),
       "an ECS document is accepted");
    is_string("ASIAEXAMPLE", c.access_key_id, "the access key id");
    is_string("s3cr3t/+=", c.secret_access_key, "the secret");
    is_string("tok+/=", c.session_token, "the session token");
    is_int(1893553445, exp, "the Expiration in seconds");
    creds_clear(&c);
    ok(c.access_key_id == NULL && c.secret_access_key == NULL && c.session_token == NULL,
       "creds_clear releases everything");

    ok(parse("{\"Code\":\"Success\",\"LastUpdated\":\"2024-01-01T00:00:00Z\",\"Type\":\"AWS-HMAC\","
             "\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"B\",\"Token\":\"C\","
             "\"Expiration\":\"2024-01-01T06:00:00.500Z\"}",
             &c, &exp, err),
       "an IMDS document is accepted");
    is_int(1704088800, exp, "fractional seconds are dropped");
    creds_clear(&c);
    ok(parse("{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"B\"}", &c, &exp, err),
       "no Token, no Expiration: long-term keys");
    ok(c.session_token == NULL && exp == 0, "with no token and no expiry");
    creds_clear(&c);

    ok(!parse("{\"Code\":\"Failure\",\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"B\"}", &c, &exp,
              err),
       "IMDS Code other than Success: refused");
    like(err, "Code Failure", "saying so");
    ok(!parse("{\"AccessKeyId\":\"A\"}", &c, &exp, err), "no secret: refused");
    ok(c.access_key_id == NULL, "and nothing kept");
    ok(!parse("{\"AccessKeyId\":1,\"SecretAccessKey\":\"B\"}", &c, &exp, err),
       "a number for a key: refused");
    ok(!parse("{\"AccessKeyId\":\"A B\",\"SecretAccessKey\":\"B\"}", &c, &exp, err),
       "a space in a key: refused");
    ok(!parse("{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"B\",\"Token\":\"\"}", &c, &exp, err),
       "an empty Token: refused");
    ok(!parse("{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"B\",\"Expiration\":\"tomorrow\"}", &c,
              &exp, err),
       "an Expiration that is not ISO 8601: refused");
    ok(!parse("{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"B\"", &c, &exp, err),
       "truncated JSON: refused");
    ok(!parse("[]", &c, &exp, err), "not an object: refused");
    buf_puts(&big, "{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"B\",\"X\":\"");
    while (big.len < CREDS_MAX_BYTES)
        buf_puts(&big, "xxxxxxxxxxxxxxxx");
    buf_puts(&big, "\"}");
    ok(!creds_parse_json(big.data, big.len, &c, &exp, err, sizeof(err)),
       "a document over CREDS_MAX_BYTES: refused");
    like(err, "too large", "as too large");
    buf_free(&big);
}

static void test_time(void)
{
    int64_t t = 0;

    ok(creds_parse_time("2009-10-12T17:50:30Z", &t) && t == 1255369830, "a plain UTC time");
    ok(creds_parse_time("2024-02-29T00:00:00.123456Z", &t) && t == 1709164800,
       "a leap day with a fraction");
    ok(creds_parse_time("1970-01-01T00:00:00Z", &t) && t == 0, "the epoch");
    ok(!creds_parse_time("2009-10-12T17:50:30", &t), "no Z: refused");
    ok(!creds_parse_time("2009-10-12T17:50:30+01:00", &t), "an offset: refused");
    ok(!creds_parse_time("2009-13-12T17:50:30Z", &t), "month 13: refused");
    ok(!creds_parse_time("2009-10-12 17:50:30Z", &t), "a space for T: refused");
    ok(!creds_parse_time("2009-10-12T17:50:30.Z", &t), "an empty fraction: refused");
    ok(!creds_parse_time("", &t), "empty: refused");
}

static void clear_env(void)
{
    static const char *const vars[] = {"AWS_ACCESS_KEY_ID",
                                       "AWS_SECRET_ACCESS_KEY",
                                       "AWS_SESSION_TOKEN",
                                       "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                                       "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                                       "AWS_CONTAINER_AUTHORIZATION_TOKEN",
                                       "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                                       NULL};
    size_t i;

    for (i = 0; vars[i]; i++)
        unsetenv(vars[i]);
    creds_forget();
}

static void test_chain(void)
{
    const struct sigv4_creds *c;
    char err[256] = "";

    clear_env();
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    ok(creds_get(err, sizeof(err)) == NULL, "no source at all: no credentials");
    like(err, "instance metadata is disabled", "and the reason");

    setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "env-secret", 1);
    setenv("AWS_SESSION_TOKEN", "env-token", 1);
    c = creds_get(err, sizeof(err));
    ok(c != NULL, "the environment's keys are found");
    is_string("AKIDENV", c ? c->access_key_id : NULL, "the key id");
    is_string("env-token", c ? c->session_token : NULL, "the session token");
    unsetenv("AWS_ACCESS_KEY_ID");
    ok(creds_get(err, sizeof(err)) == c, "long-term keys stay cached");
    clear_env();

    setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.org/creds", 1);
    ok(creds_get(err, sizeof(err)) == NULL, "a FULL_URI over plain http off-host: refused");
    like(err, "must be https", "saying why");
    clear_env();
    unsetenv("AWS_EC2_METADATA_DISABLED");
}

int main(void)
{
    log_init("test", LOG_ERROR);
    plan(39);
    test_parse();
    test_time();
    test_chain();
    creds_forget();
    return 0;
}
