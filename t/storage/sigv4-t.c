/* Tests for SigV4 (storage/sigv4.h) against AWS's published examples: the
 * Signature Version 4 test suite (credentials AKIDEXAMPLE, region
 * us-east-1, service "service", 20150830T123600Z) - get-vanilla,
 * get-vanilla-query-order-key-case, get-utf8, get-header-value-trim,
 * get-header-key-duplicate, post-vanilla, post-x-www-form-urlencoded and
 * post-sts-token/post-sts-header-before - and the S3 examples of the S3 API
 * reference (AKIAIOSFODNN7EXAMPLE, examplebucket, 20130524T000000Z): the
 * header-signed GET Object with a Range and the presigned GET URL.  Every
 * expected value is AWS's own, copied from the suite's .creq/.sts/.authz
 * files and the S3 documentation; none is produced by this code. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/sigv4.h"
#include "tap/basic.h"
#include "util/buf.h"

#define SUITE_TIME INT64_C(1440938160) /* 2015-08-30T12:36:00Z */
#define S3_TIME INT64_C(1369353600)    /* 2013-05-24T00:00:00Z */
#define SUITE_SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define S3_SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define SUITE_SCOPE "AKIDEXAMPLE/20150830/us-east-1/service/aws4_request"
#define STS_TOKEN                                                                                  \
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpS"  \
    "PfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQD"   \
    "YwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+sc"   \
    "qKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="

static char akid[] = "AKIDEXAMPLE", suite_secret[] = SUITE_SECRET, sts_token[] = STS_TOKEN;
static char s3_akid[] = "AKIAIOSFODNN7EXAMPLE", s3_secret[] = S3_SECRET, s3_token[] = "tok/en+1";
static struct sigv4_creds suite = {akid, suite_secret, NULL};

/* A request of the suite: method, path, the given headers plus Host and
 * X-Amz-Date, payload hash. */
static struct sigv4_request suite_req(const char *method, const char *path,
                                      const struct sigv4_pair *h, size_t nh, const char *hash)
{
    struct sigv4_request r;

    memset(&r, 0, sizeof(r));
    r.method = method;
    r.path = path;
    r.headers = h;
    r.nheaders = nh;
    r.payload_hash = hash;
    r.region = "us-east-1";
    r.service = "service";
    r.time = SUITE_TIME;
    return r;
}

/* Checks one vector: creq and sts when given (NULL = not checked), and
 * the signature. */
static void check(const char *name, const struct sigv4_request *r, const char *secret,
                  const char *creq, const char *sts, const char *sig, const char *signed_headers)
{
    struct buf c = BUF_INIT, sh = BUF_INIT, s = BUF_INIT;
    char got[65];

    ok(sigv4_canonical_request(r, &c, &sh), "%s: canonical request built", name);
    if (creq != NULL)
        is_string(creq, buf_str(&c), "%s: canonical request (.creq)", name);
    if (signed_headers != NULL)
        is_string(signed_headers, buf_str(&sh), "%s: signed headers", name);
    sigv4_string_to_sign(r, buf_str(&c), &s);
    if (sts != NULL)
        is_string(sts, buf_str(&s), "%s: string to sign (.sts)", name);
    sigv4_signature(secret, r, buf_str(&s), got);
    is_string(sig, got, "%s: signature (.authz)", name);
    buf_free(&c);
    buf_free(&sh);
    buf_free(&s);
}

static void test_suite(void)
{
    const struct sigv4_pair vanilla[] = {{"Host", "example.amazonaws.com"},
                                         {"X-Amz-Date", "20150830T123600Z"}};
    const struct sigv4_pair query[] = {{"Param2", "value2"}, {"Param1", "value1"}};
    const struct sigv4_pair form[] = {{"Content-Type", "application/x-www-form-urlencoded"},
                                      {"Host", "example.amazonaws.com"},
                                      {"X-Amz-Date", "20150830T123600Z"}};
    const struct sigv4_pair trim[] = {{"Host", "example.amazonaws.com"},
                                      {"My-Header1", " value1"},
                                      {"My-Header2", "\"a   b   c\""},
                                      {"X-Amz-Date", "20150830T123600Z"}};
    const struct sigv4_pair dup[] = {{"Host", "example.amazonaws.com"},
                                     {"My-Header1", "value2"},
                                     {"My-Header1", "value2"},
                                     {"My-Header1", "value1"},
                                     {"X-Amz-Date", "20150830T123600Z"}};
    char hash[65];
    struct sigv4_request r;

    r = suite_req("GET", "/", vanilla, 2, SIGV4_EMPTY_SHA256);
    check("get-vanilla", &r, SUITE_SECRET,
          "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
          "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
          "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", "host;x-amz-date");

    r = suite_req("GET", "/", vanilla, 2, SIGV4_EMPTY_SHA256);
    r.query = query;
    r.nquery = 2;
    check("get-vanilla-query-order-key-case", &r, SUITE_SECRET,
          "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\n"
          "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
          "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0",
          "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500", NULL);

    r = suite_req("GET", "/\xe1\x88\xb4", vanilla, 2, SIGV4_EMPTY_SHA256);
    check("get-utf8", &r, SUITE_SECRET,
          "GET\n/%E1%88%B4\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
          "host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
          "2a0a97d02205e45ce2e994789806b19270cfbbb0921b278ccf58f5249ac42102",
          "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85", NULL);

    r = suite_req("GET", "/", trim, 4, SIGV4_EMPTY_SHA256);
    check("get-header-value-trim", &r, SUITE_SECRET, NULL, NULL,
          "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736",
          "host;my-header1;my-header2;x-amz-date");

    r = suite_req("GET", "/", dup, 5, SIGV4_EMPTY_SHA256);
    check("get-header-key-duplicate", &r, SUITE_SECRET, NULL, NULL,
          "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea",
          "host;my-header1;x-amz-date");

    r = suite_req("POST", "/", vanilla, 2, SIGV4_EMPTY_SHA256);
    check("post-vanilla", &r, SUITE_SECRET, NULL, NULL,
          "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b", NULL);

    sigv4_sha256_hex("Param1=value1", 13, hash);
    is_string("9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e", hash,
              "post-x-www-form-urlencoded: the payload hash");
    r = suite_req("POST", "/", form, 3, hash);
    check("post-x-www-form-urlencoded", &r, SUITE_SECRET,
          "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\n"
          "host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
          "content-type;host;x-amz-date\n"
          "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
          "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
          "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281",
          "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a", NULL);
}

/* The signing entry points: they add X-Amz-Date and the session token and
 * build the Authorization header the suite's .authz files show. */
static void test_sign_headers(void)
{
    const struct sigv4_pair host[] = {{"Host", "example.amazonaws.com"}};
    struct sigv4_creds tok = {akid, suite_secret, sts_token};
    struct sigv4_request r = suite_req("GET", "/", host, 1, SIGV4_EMPTY_SHA256);
    char *extra[3];
    size_t n = 0, i;

    ok(sigv4_sign_headers(&suite, &r, extra, &n), "get-vanilla signed");
    is_int(2, (long long)n, "two headers to add: X-Amz-Date and Authorization");
    is_string("X-Amz-Date: 20150830T123600Z", extra[0], "the date header");
    is_string("Authorization: AWS4-HMAC-SHA256 Credential=" SUITE_SCOPE
              ", SignedHeaders=host;x-amz-date, "
              "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
              extra[1], "get-vanilla: the .authz header");
    for (i = 0; i < n; i++)
        free(extra[i]);

    r = suite_req("POST", "/", host, 1, SIGV4_EMPTY_SHA256);
    ok(sigv4_sign_headers(&tok, &r, extra, &n), "post-sts-header-before signed");
    is_int(3, (long long)n, "with a session token: three headers");
    is_string("X-Amz-Security-Token: " STS_TOKEN, extra[1], "the token is sent");
    is_string("Authorization: AWS4-HMAC-SHA256 Credential=" SUITE_SCOPE
              ", SignedHeaders=host;x-amz-date;x-amz-security-token, "
              "Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead",
              extra[2], "post-sts-header-before: the token is signed (.authz)");
    for (i = 0; i < n; i++)
        free(extra[i]);
}

/* S3's own examples (S3 API reference, "Signature Calculations for the
 * Authorization Header" and "Authenticating Requests: Using Query
 * Parameters"). */
static void test_s3(void)
{
    const struct sigv4_pair get[] = {{"Host", "examplebucket.s3.amazonaws.com"},
                                     {"Range", "bytes=0-9"},
                                     {"x-amz-content-sha256", SIGV4_EMPTY_SHA256},
                                     {"x-amz-date", "20130524T000000Z"}};
    const struct sigv4_pair host[] = {{"Host", "examplebucket.s3.amazonaws.com"}};
    struct sigv4_creds c = {s3_akid, s3_secret, NULL};
    struct sigv4_creds tok = {s3_akid, s3_secret, s3_token};
    struct sigv4_request r;
    struct buf url = BUF_INIT;

    memset(&r, 0, sizeof(r));
    r.method = "GET";
    r.path = "/test.txt";
    r.headers = get;
    r.nheaders = 4;
    r.payload_hash = SIGV4_EMPTY_SHA256;
    r.region = "us-east-1";
    r.service = "s3";
    r.time = S3_TIME;
    check("S3 GET Object", &r, S3_SECRET,
          "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
          "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
          "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
          "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972",
          "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41", NULL);

    r.headers = host;
    r.nheaders = 1;
    ok(sigv4_presign(&c, &r, "https://examplebucket.s3.amazonaws.com", 86400, &url),
       "the presigned GET is built");
    is_string("https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
              "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
              "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
              "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
              buf_str(&url), "the presigned URL is the documented one");
    buf_reset(&url);
    ok(sigv4_presign(&tok, &r, "https://examplebucket.s3.amazonaws.com", 86400, &url),
       "presigned with a session token");
    ok(strstr(buf_str(&url), "&X-Amz-Security-Token=tok%2Fen%2B1&X-Amz-SignedHeaders=host&")
           != NULL,
       "the token is an encoded, signed query parameter");
    ok(strstr(buf_str(&url), "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
           == NULL,
       "and changes the signature");
    buf_reset(&url);
    ok(!sigv4_presign(&c, &r, "https://h", 0, &url), "an expiry of 0 s is refused");
    ok(!sigv4_presign(&c, &r, "https://h", 604801, &url), "an expiry over 7 days is refused");
    buf_free(&url);
}

static void test_refusals(void)
{
    const struct sigv4_pair nohost[] = {{"X-Amz-Date", "20150830T123600Z"}};
    const struct sigv4_pair ctl[] = {{"Host", "example.amazonaws.com"}, {"X-A", "a\r\nb"}};
    const struct sigv4_pair badname[] = {{"Host", "example.amazonaws.com"}, {"X A", "a"}};
    struct sigv4_request r = suite_req("GET", "/", nohost, 1, SIGV4_EMPTY_SHA256);
    struct buf c = BUF_INIT, sh = BUF_INIT;
    char *extra[3];
    size_t n = 9;

    ok(!sigv4_canonical_request(&r, &c, &sh), "no Host header: refused");
    r = suite_req("GET", "/", ctl, 2, SIGV4_EMPTY_SHA256);
    ok(!sigv4_canonical_request(&r, &c, &sh), "a header value with CR LF: refused");
    r = suite_req("GET", "/", badname, 2, SIGV4_EMPTY_SHA256);
    ok(!sigv4_sign_headers(&suite, &r, extra, &n), "a header name with a space: refused");
    is_int(0, (long long)n, "and nothing to free");
    buf_free(&c);
    buf_free(&sh);

    sigv4_uri_encode(&c, "a b/c~d+é", strlen("a b/c~d+é"), true);
    is_string("a%20b/c~d%2B%C3%A9", buf_str(&c), "URI encoding keeps unreserved bytes and /");
    buf_reset(&c);
    sigv4_uri_encode(&c, "a/b", 3, false);
    is_string("a%2Fb", buf_str(&c), "and encodes / in query values");
    buf_free(&c);
}

int main(void)
{
    plan(51);
    test_suite();
    test_sign_headers();
    test_s3();
    test_refusals();
    return 0;
}
