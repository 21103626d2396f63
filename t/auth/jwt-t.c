/* Tests for auth/jwt: real RS256 and ES256 tokens signed at run time with
 * freshly generated keys, verified against their JWKS; every refusal the
 * sign-in flow relies on, each next to the passing case it differs from. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "auth/base64url.h"
#include "auth/jwk.h"
#include "auth/jwt.h"
#include "t/auth/jwt-sign.h"
#include "tap/basic.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/log.h"

#define ISS "https://accounts.example.org"
#define CLIENT "client-123.apps.example.org"
#define NONCE "n-0S6_WzA2Mj"
#define SUB "110169484474386276334"
#define NOW ((int64_t)1700000000)
#define SKEW ((int64_t)60)

static EVP_PKEY *rsa, *ec, *rsa_other, *ec_other;
static struct jwk_set *keys;
static struct jwt_expect expect = {ISS, CLIENT, NONCE, NOW, SKEW};

/* Returns the claims of a good ID token; the caller puts it. */
static json_object *claims(void)
{
    json_object *c = json_object_new_object();

    json_object_object_add(c, "iss", json_object_new_string(ISS));
    json_object_object_add(c, "aud", json_object_new_string(CLIENT));
    json_object_object_add(c, "sub", json_object_new_string(SUB));
    json_object_object_add(c, "exp", json_object_new_int64(NOW + 600));
    json_object_object_add(c, "iat", json_object_new_int64(NOW - 10));
    json_object_object_add(c, "nonce", json_object_new_string(NONCE));
    json_object_object_add(c, "email", json_object_new_string("ada@example.org"));
    json_object_object_add(c, "email_verified", json_object_new_boolean(1));
    json_object_object_add(c, "name", json_object_new_string("Ada Lovelace"));
    return c;
}

/* Returns c with member key set to v, or removed when v is NULL. */
static json_object *with(json_object *c, const char *key, json_object *v)
{
    if (v == NULL)
        json_object_object_del(c, key);
    else
        json_object_object_add(c, key, v);
    return c;
}

/* Returns a JSON array of the NULL-terminated strings. */
static json_object *strings(const char *first, const char *second)
{
    json_object *a = json_object_new_array();

    json_object_array_add(a, json_object_new_string(first));
    if (second != NULL)
        json_object_array_add(a, json_object_new_string(second));
    return a;
}

/* Returns a token with header {"alg","typ":"JWT","kid"} (kid omitted when
 * NULL) over the claims c (which it puts), signed with key for alg. */
static char *token(EVP_PKEY *key, const char *alg, const char *kid, json_object *c)
{
    char *header = kid != NULL
                       ? xasprintf("{\"alg\":\"%s\",\"typ\":\"JWT\",\"kid\":\"%s\"}", alg, kid)
                       : xasprintf("{\"alg\":\"%s\",\"typ\":\"JWT\"}", alg);
    char *t =
        tsign_token(key, alg, header, json_object_to_json_string_ext(c, JSON_C_TO_STRING_PLAIN));

    json_object_put(c);
    free(header);
    return t;
}

/* A good RS256 token with claims c. */
static char *rs(json_object *c)
{
    return token(rsa, "RS256", "rsa-1", c);
}

/* Verifies tok (which it frees) with set and e; returns the stable name of
 * the result. */
static const char *verify_with(char *tok, const struct jwk_set *set, const struct jwt_expect *e)
{
    struct jwt t;
    enum jwt_err err = jwt_verify(tok, strlen(tok), set, e, &t);
    bool leftover = err != JWT_OK && (t.claims != NULL || t.sub != NULL);

    jwt_clear(&t);
    free(tok);
    return leftover ? "a refusal left claims behind" : jwt_errname(err);
}

static const char *verify(char *tok)
{
    return verify_with(tok, keys, &expect);
}

/* Replaces part i (0 header, 1 payload, 2 signature) of tok with the
 * base64url of the n bytes at data; frees tok, returns a new token. */
static char *replace_part(char *tok, int i, const void *data, size_t n)
{
    char *dot1 = strchr(tok, '.'), *dot2 = strchr(dot1 + 1, '.');
    char *enc = base64url_encode(data, n), *out;

    if (i == 0)
        out = xasprintf("%s%s", enc, dot1);
    else if (i == 1)
        out = xasprintf("%.*s%s%s", (int)(dot1 + 1 - tok), tok, enc, dot2);
    else
        out = xasprintf("%.*s%s", (int)(dot2 + 1 - tok), tok, enc);
    free(enc);
    free(tok);
    return out;
}

/* Flips one bit in the middle of tok's signature; frees tok. */
static char *flip_signature_bit(char *tok)
{
    const char *sig = strrchr(tok, '.') + 1;
    size_t len;
    unsigned char *raw = base64url_decode(sig, strlen(sig), &len);
    char *out;

    raw[len / 2] ^= 0x10;
    out = replace_part(tok, 2, raw, len);
    free(raw);
    return out;
}

/* Returns a token whose header is the given text, over good claims, signed
 * with key for sign_alg; the caller frees it. */
static char *with_header(EVP_PKEY *key, const char *sign_alg, const char *header)
{
    json_object *c = claims();
    char *t = tsign_token(key, sign_alg, header,
                          json_object_to_json_string_ext(c, JSON_C_TO_STRING_PLAIN));

    json_object_put(c);
    return t;
}

/* Returns a token with payload as its raw payload, signed by the RSA key. */
static char *raw_payload(const char *payload)
{
    static const char hdr[] = "{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}";

    return tsign_token_n(rsa, "RS256", hdr, strlen(hdr), payload, strlen(payload));
}

/* Returns a good RS256 token with a "pad" claim of n bytes. */
static char *padded(size_t n)
{
    char *pad = xmalloc(n + 1), *tok;

    memset(pad, 'p', n);
    pad[n] = '\0';
    tok = rs(with(claims(), "pad", json_object_new_string(pad)));
    free(pad);
    return tok;
}

static void good_tokens(void)
{
    struct jwt t;
    char *tok = rs(claims());
    enum jwt_err err = jwt_verify(tok, strlen(tok), keys, &expect, &t);
    json_object *v;

    is_string("ok", jwt_errname(err), "a good RS256 token verifies");
    is_string(SUB, t.sub, "sub");
    is_string("ada@example.org", t.email, "email");
    ok(t.email_verified, "email_verified true");
    is_string("Ada Lovelace", t.name, "name");
    is_string("rsa-1", t.kid, "the header's kid");
    ok(t.alg == JWK_RS256, "alg RS256");
    is_int(NOW + 600, t.exp, "exp");
    is_int(NOW - 10, t.iat, "iat");
    ok(t.claims != NULL && json_object_object_get_ex(t.claims, "iss", &v)
           && strcmp(json_object_get_string(v), ISS) == 0,
       "the verified claims are available as JSON");
    ok(t.detail == NULL, "no refusal detail");
    jwt_clear(&t);
    ok(t.claims == NULL && t.kid == NULL && t.sub == NULL, "jwt_clear empties the result");
    jwt_clear(&t);
    free(tok);

    tok = token(ec, "ES256", "ec-1", claims());
    err = jwt_verify(tok, strlen(tok), keys, &expect, &t);
    is_string("ok", jwt_errname(err), "a good ES256 token verifies");
    is_string(SUB, t.sub, "sub");
    ok(t.alg == JWK_ES256, "alg ES256");
    is_string("ec-1", t.kid, "kid");
    jwt_clear(&t);
    free(tok);

    is_string("ok", verify(token(rsa, "RS256", NULL, claims())),
              "no kid and one RS256 key in the set: that key");
    is_string("ok", verify(token(ec, "ES256", NULL, claims())),
              "no kid and one ES256 key in the set: that key");
    is_string("ok", verify(with_header(rsa, "RS256", "{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}")),
              "typ may be absent");
    is_string("ok",
              verify(with_header(rsa, "RS256",
                                 "{\"alg\":\"RS256\",\"kid\":\"rsa-1\","
                                 "\"typ\":\"jwt\"}")),
              "typ compares case-insensitively");
}

static void signatures(void)
{
    char *tok;
    json_object *c;
    size_t len;
    unsigned char *der;
    char *input, *dot;

    /* The payload changed after signing. */
    c = with(claims(), "sub", json_object_new_string("admin"));
    tok = replace_part(rs(claims()), 1, json_object_to_json_string(c),
                       strlen(json_object_to_json_string(c)));
    is_string("bad_signature", verify(tok), "RS256 with a tampered payload");
    tok = replace_part(token(ec, "ES256", "ec-1", claims()), 1, json_object_to_json_string(c),
                       strlen(json_object_to_json_string(c)));
    is_string("bad_signature", verify(tok), "ES256 with a tampered payload");
    json_object_put(c);

    /* The header changed after signing (same alg and kid). */
    tok = rs(claims());
    tok = replace_part(tok, 0, "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"x\":1}",
                       strlen("{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"x\":1}"));
    is_string("bad_signature", verify(tok), "a tampered header");

    /* The signature changed. */
    is_string("bad_signature", verify(flip_signature_bit(rs(claims()))),
              "RS256 with one signature bit flipped");
    is_string("bad_signature", verify(flip_signature_bit(token(ec, "ES256", "ec-1", claims()))),
              "ES256 with one signature bit flipped");
    tok = rs(claims());
    tok[strlen(tok) - 2] = '\0'; /* still canonical: 342 -> 340 characters */
    is_string("bad_signature", verify(tok), "RS256 signature one byte short");
    tok = token(ec, "ES256", "ec-1", claims());
    dot = strrchr(tok, '.');
    dot[1] = '\0';
    is_string("bad_signature", verify(tok), "an empty signature");

    /* Signed by another key under the same kid. */
    is_string("bad_signature", verify(token(rsa_other, "RS256", "rsa-1", claims())),
              "RS256 signed by another key");
    is_string("bad_signature", verify(token(ec_other, "ES256", "ec-1", claims())),
              "ES256 signed by another key");

    /* ES256 with OpenSSL's DER signature instead of r||s. */
    tok = token(ec, "ES256", "ec-1", claims());
    dot = strrchr(tok, '.');
    input = xstrndup(tok, (size_t)(dot - tok));
    der = tsign_sign(ec, "ES256-DER", input, strlen(input), &len);
    tok = replace_part(tok, 2, der, len);
    is_string("bad_signature", verify(tok), "ES256 with a DER signature");
    free(der);
    free(input);

    /* The header carries its own key: it must be ignored. */
    {
        char *jwk = tsign_jwk(rsa_other, NULL, NULL);
        char *hdr = xasprintf("{\"alg\":\"RS256\",\"jwk\":%s}", jwk);
        is_string("bad_signature", verify(with_header(rsa_other, "RS256", hdr)),
                  "an embedded jwk header is not trusted");
        free(hdr);
        hdr = xasprintf("{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"jku\":\"https://evil.example/k\","
                        "\"x5u\":\"https://evil.example/c\"}");
        is_string("bad_signature", verify(with_header(rsa_other, "RS256", hdr)),
                  "jku and x5u are not followed");
        free(hdr);
        free(jwk);
    }
}

static void algorithms(void)
{
    static const char *const others[] = {"RS384", "RS512", "PS256", "ES384",  "ES512",
                                         "EdDSA", "",      "rs256", "RS256 ", "HS512"};
    char *tok, *hdr, *jwk;
    unsigned char mac[EVP_MAX_MD_SIZE];
    size_t maclen, i, wrong = 0;
    json_object *c;
    char *h, *p, *input;

    /* alg none, with and without a signature. */
    c = claims();
    hdr = xstrdup("{\"alg\":\"none\",\"typ\":\"JWT\"}");
    tok = tsign_assemble(hdr, strlen(hdr), json_object_to_json_string(c),
                         strlen(json_object_to_json_string(c)), "", 0);
    is_string("unsupported_alg", verify(tok), "alg none with an empty signature");
    json_object_put(c);
    free(hdr);
    is_string("unsupported_alg",
              verify(with_header(rsa, "RS256", "{\"alg\":\"none\",\"kid\":\"rsa-1\"}")),
              "alg none with a valid RSA signature");
    is_string("unsupported_alg", verify(with_header(rsa, "RS256", "{\"alg\":\"None\"}")),
              "alg None");

    /* HS256 keyed with the RSA public key: the classic confusion. */
    jwk = tsign_jwk(rsa, "rsa-1", NULL);
    c = claims();
    hdr = xstrdup("{\"alg\":\"HS256\",\"kid\":\"rsa-1\"}");
    h = base64url_encode(hdr, strlen(hdr));
    p = base64url_encode(json_object_to_json_string(c), strlen(json_object_to_json_string(c)));
    input = xasprintf("%s.%s", h, p);
    if (EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, jwk, strlen(jwk),
                  (const unsigned char *)input, strlen(input), mac, sizeof(mac), &maclen)
        == NULL)
        bail("HMAC failed");
    tok = tsign_assemble(hdr, strlen(hdr), json_object_to_json_string(c),
                         strlen(json_object_to_json_string(c)), mac, maclen);
    is_string("unsupported_alg", verify(tok), "HS256 keyed with the public key");
    free(input);
    free(h);
    free(p);
    free(hdr);
    free(jwk);
    json_object_put(c);

    for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
        hdr = xasprintf("{\"alg\":\"%s\",\"kid\":\"rsa-1\"}", others[i]);
        if (strcmp(verify(with_header(rsa, "RS256", hdr)), "unsupported_alg") != 0) {
            diag("alg \"%s\" was not refused as unsupported", others[i]);
            wrong++;
        }
        free(hdr);
    }
    is_int(0, (long long)wrong,
           "RS384, RS512, PS256, ES384, ES512, EdDSA, \"\", rs256, "
           "\"RS256 \" and HS512 are unsupported");
    is_string("malformed", verify(with_header(rsa, "RS256", "{\"kid\":\"rsa-1\"}")),
              "a header without alg");
    is_string("malformed", verify(with_header(rsa, "RS256", "{\"alg\":256,\"kid\":\"rsa-1\"}")),
              "a numeric alg");
    is_string("malformed", verify(with_header(rsa, "RS256", "{\"alg\":\"RS256\",\"kid\":1}")),
              "a numeric kid");
    is_string("malformed",
              verify(with_header(rsa, "RS256", "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"typ\":1}")),
              "a numeric typ");
    is_string("unsupported_type",
              verify(with_header(rsa, "RS256",
                                 "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"typ\":\"at+jwt\"}")),
              "typ at+jwt (an access token)");
    is_string("unsupported_type",
              verify(with_header(rsa, "RS256",
                                 "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"crit\":[\"b64\"],"
                                 "\"b64\":false}")),
              "a crit header");
}

static void key_lookup(void)
{
    struct jwt t;
    char *tok = token(rsa_other, "RS256", "rotated-2", claims());
    enum jwt_err err = jwt_verify(tok, strlen(tok), keys, &expect, &t);
    struct jwk_set *refreshed;
    const char *why;
    char *j1, *j2, *text;

    is_string("unknown_kid", jwt_errname(err), "a kid not in the set: unknown_kid");
    is_string("rotated-2", t.kid, "the unknown kid is reported for the log");
    ok(t.claims == NULL && t.sub == NULL, "no claims after a refusal");
    jwt_clear(&t);

    /* The caller refetches the JWKS and tries again. */
    j1 = tsign_jwk(rsa, "rsa-1", NULL);
    j2 = tsign_jwk(rsa_other, "rotated-2", "\"alg\":\"RS256\"");
    text = xasprintf("{\"keys\":[%s,%s]}", j1, j2);
    refreshed = jwks_parse(text, strlen(text), &why);
    if (refreshed == NULL)
        bail("refreshed JWKS: %s", why);
    is_string("ok", verify_with(tok, refreshed, &expect), "after a refetch the new key verifies");

    is_string("unknown_kid", verify(token(ec, "ES256", "rsa-1", claims())),
              "ES256 naming the RSA key's kid: no ES256 key by that kid");
    is_string("unknown_kid", verify(token(rsa, "RS256", "ec-1", claims())),
              "RS256 naming the EC key's kid");
    is_string("ambiguous_key", verify_with(token(rsa, "RS256", NULL, claims()), refreshed, &expect),
              "no kid and two RSA keys: ambiguous");
    is_string("ok", verify_with(token(ec, "ES256", NULL, claims()), keys, &expect),
              "no kid and one EC key: fine");
    jwks_free(refreshed);
    free(text);
    free(j1);
    free(j2);
}

static void times(void)
{
    struct jwt_expect strict = expect;

    is_string("expired", verify(rs(with(claims(), "exp", json_object_new_int64(NOW - SKEW)))),
              "exp = now - skew: expired");
    is_string("ok", verify(rs(with(claims(), "exp", json_object_new_int64(NOW - SKEW + 1)))),
              "exp = now - skew + 1: just within the skew");
    is_string("expired", verify(rs(with(claims(), "exp", json_object_new_int64(NOW - 86400)))),
              "exp a day ago");
    is_string("expired",
              verify(rs(with(claims(), "exp", json_object_new_double((double)(NOW - SKEW) + 0.5)))),
              "exp = now - skew + 0.5 rounds down: expired");
    is_string("ok",
              verify(rs(with(claims(), "exp", json_object_new_double((double)(NOW - SKEW) + 1.5)))),
              "exp = now - skew + 1.5: fine");
    is_string("missing_claim", verify(rs(with(claims(), "exp", NULL))), "no exp");
    is_string("bad_claim", verify(rs(with(claims(), "exp", json_object_new_string("2099")))),
              "exp as a string");
    is_string("bad_claim", verify(rs(with(claims(), "exp", json_object_new_boolean(1)))),
              "exp as a boolean");

    is_string("issued_in_future",
              verify(rs(with(claims(), "iat", json_object_new_int64(NOW + SKEW + 1)))),
              "iat = now + skew + 1: issued in the future");
    is_string("ok", verify(rs(with(claims(), "iat", json_object_new_int64(NOW + SKEW)))),
              "iat = now + skew: fine");
    is_string("issued_in_future",
              verify(rs(with(claims(), "iat", json_object_new_double((double)(NOW + SKEW) + 0.5)))),
              "iat = now + skew + 0.5 rounds up: in the future");
    is_string("missing_claim", verify(rs(with(claims(), "iat", NULL))), "no iat");

    is_string("not_yet_valid",
              verify(rs(with(claims(), "nbf", json_object_new_int64(NOW + SKEW + 1)))),
              "nbf = now + skew + 1: not yet valid");
    is_string("ok", verify(rs(with(claims(), "nbf", json_object_new_int64(NOW + SKEW)))),
              "nbf = now + skew: fine");
    is_string("ok", verify(rs(with(claims(), "nbf", json_object_new_int64(NOW - 3600)))),
              "nbf in the past: fine");
    is_string("bad_claim", verify(rs(with(claims(), "nbf", json_object_new_string("0")))),
              "nbf as a string");

    strict.skew = 0;
    is_string("expired",
              verify_with(rs(with(claims(), "exp", json_object_new_int64(NOW))), keys, &strict),
              "no skew: exp = now is expired");
    is_string("ok",
              verify_with(rs(with(claims(), "exp", json_object_new_int64(NOW + 1))), keys, &strict),
              "no skew: exp = now + 1 is fine");
    is_string("issued_in_future",
              verify_with(rs(with(claims(), "iat", json_object_new_int64(NOW + 1))), keys, &strict),
              "no skew: iat = now + 1 is in the future");
    strict.skew = -1;
    is_string("internal", verify_with(rs(claims()), keys, &strict), "a negative skew is refused");
    strict.skew = JWT_MAX_SKEW + 1;
    is_string("internal", verify_with(rs(claims()), keys, &strict), "a skew above the maximum");
}

static void issuer_audience_nonce_subject(void)
{
    struct jwt_expect e = expect;
    struct jwt t;
    char *tok;

    is_string("wrong_issuer",
              verify(rs(with(claims(), "iss", json_object_new_string("https://evil.example")))),
              "another issuer");
    is_string("wrong_issuer", verify(rs(with(claims(), "iss", json_object_new_string(ISS "/")))),
              "the issuer with a trailing slash");
    is_string("missing_claim", verify(rs(with(claims(), "iss", NULL))), "no iss");
    is_string("bad_claim", verify(rs(with(claims(), "iss", json_object_new_int(1)))),
              "a numeric iss");
    /* A NUL in any string refuses the whole token (util/json): no claim
     * can be read as the C string before it. */
    is_string("malformed",
              verify(rs(with(claims(), "iss",
                             json_object_new_string_len(ISS "\0x", (int)strlen(ISS) + 2)))),
              "an iss with a NUL after the expected issuer");

    is_string("wrong_audience", verify(rs(with(claims(), "aud", json_object_new_string("other")))),
              "another audience");
    is_string("ok", verify(rs(with(claims(), "aud", strings(CLIENT, NULL)))),
              "aud as an array of just the client");
    is_string("wrong_audience", verify(rs(with(claims(), "aud", strings("other", CLIENT)))),
              "aud of two without azp");
    is_string("ok",
              verify(rs(with(with(claims(), "aud", strings("other", CLIENT)), "azp",
                             json_object_new_string(CLIENT)))),
              "aud of two with azp = client");
    is_string("wrong_audience",
              verify(rs(with(with(claims(), "aud", strings("other", CLIENT)), "azp",
                             json_object_new_string("other")))),
              "aud of two with azp = another client");
    is_string("wrong_audience",
              verify(rs(with(with(claims(), "aud", strings("other", "more")), "azp",
                             json_object_new_string(CLIENT)))),
              "azp = client but aud does not contain it");
    is_string("wrong_audience", verify(rs(with(claims(), "azp", json_object_new_string("other")))),
              "a single aud with azp = another client");
    is_string("ok", verify(rs(with(claims(), "azp", json_object_new_string(CLIENT)))),
              "a single aud with azp = client");
    is_string("wrong_audience", verify(rs(with(claims(), "aud", json_object_new_array()))),
              "an empty aud array");
    is_string("missing_claim", verify(rs(with(claims(), "aud", NULL))), "no aud");
    is_string("bad_claim", verify(rs(with(claims(), "aud", json_object_new_int(7)))),
              "a numeric aud");
    {
        json_object *a = strings(CLIENT, NULL);
        json_object_array_add(a, json_object_new_int(7));
        is_string("bad_claim", verify(rs(with(claims(), "aud", a))), "an aud array with a number");
    }
    is_string("bad_claim", verify(rs(with(claims(), "azp", json_object_new_int(7)))),
              "a numeric azp");

    is_string("wrong_nonce", verify(rs(with(claims(), "nonce", json_object_new_string("other")))),
              "another nonce");
    is_string("wrong_nonce",
              verify(rs(with(claims(), "nonce", json_object_new_string("n-0S6_WzA2M")))),
              "a prefix of the nonce");
    is_string("missing_claim", verify(rs(with(claims(), "nonce", NULL))),
              "no nonce when one is expected");
    is_string("bad_claim", verify(rs(with(claims(), "nonce", json_object_new_int(1)))),
              "a numeric nonce");
    e.nonce = NULL;
    is_string("ok", verify_with(rs(with(claims(), "nonce", NULL)), keys, &e),
              "no nonce when none is expected");

    is_string("missing_claim", verify(rs(with(claims(), "sub", NULL))), "no sub");
    is_string("missing_claim", verify(rs(with(claims(), "sub", json_object_new_string("")))),
              "an empty sub");
    is_string("bad_claim", verify(rs(with(claims(), "sub", json_object_new_int(12345)))),
              "a numeric sub");
    is_string("malformed",
              verify(rs(with(claims(), "sub", json_object_new_string_len("abc\0def", 7)))),
              "a sub holding a NUL");

    /* email_verified as providers send it. */
    tok = rs(with(claims(), "email_verified", json_object_new_string("true")));
    ok(jwt_verify(tok, strlen(tok), keys, &expect, &t) == JWT_OK && t.email_verified,
       "email_verified \"true\" counts as true");
    jwt_clear(&t);
    free(tok);
    tok = rs(with(claims(), "email_verified", json_object_new_boolean(0)));
    ok(jwt_verify(tok, strlen(tok), keys, &expect, &t) == JWT_OK && !t.email_verified,
       "email_verified false");
    jwt_clear(&t);
    free(tok);
    tok = rs(with(claims(), "email_verified", json_object_new_string("false")));
    ok(jwt_verify(tok, strlen(tok), keys, &expect, &t) == JWT_OK && !t.email_verified,
       "email_verified \"false\"");
    jwt_clear(&t);
    free(tok);
    tok = rs(with(claims(), "email_verified", json_object_new_int(1)));
    ok(jwt_verify(tok, strlen(tok), keys, &expect, &t) == JWT_OK && !t.email_verified,
       "email_verified 1 is not true");
    jwt_clear(&t);
    free(tok);
    tok = rs(with(with(with(claims(), "email_verified", NULL), "email", json_object_new_int(1)),
                  "name", NULL));
    ok(jwt_verify(tok, strlen(tok), keys, &expect, &t) == JWT_OK && !t.email_verified
           && t.email == NULL && t.name == NULL,
       "absent email_verified and name, numeric email: false, NULL, NULL");
    jwt_clear(&t);
    free(tok);
}

static void shapes(void)
{
    static const char *const bad[] = {
        "",
        ".",
        "..",
        "...",
        "a.b",
        "a.b.c.d",
        "e30.e30.",
        "e30.e30.AA==",
        "e30=.e30.AA",
        " e30.e30.AA",
        "e30.e30.AA\n",
        "e30.e3+.AA",
        "e30.e30.A",
    };
    struct buf b = BUF_INIT;
    char *tok, *t2;
    size_t i, wrong = 0;
    int depth;
    struct jwt t;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const char *got = verify(xstrdup(bad[i]));
        if (strcmp(got, "malformed") != 0) {
            diag("\"%s\" gave %s", bad[i], got);
            wrong++;
        }
    }
    is_int(0, (long long)wrong, "%zu misshapen tokens are malformed", i);
    ok(jwt_verify(NULL, 0, keys, &expect, &t) == JWT_ERR_MALFORMED, "a NULL token is malformed");
    jwt_clear(&t);

    tok = rs(claims());
    t2 = xasprintf("%s.", tok);
    is_string("malformed", verify(t2), "a good token with a third dot");
    t2 = xasprintf("%s.%s", tok, strrchr(tok, '.') + 1);
    is_string("malformed", verify(t2), "a good token with a fourth part");
    ok(jwt_verify(tok, strlen(tok) - 1, keys, &expect, &t) != JWT_OK,
       "a good token cut by one byte through the length argument is refused");
    jwt_clear(&t);
    buf_printf(&b, "%s", tok);
    buf_append(&b, "\0", 1);
    ok(jwt_verify(b.data, b.len, keys, &expect, &t) == JWT_ERR_MALFORMED,
       "a good token followed by a NUL inside the length is malformed");
    jwt_clear(&t);
    buf_free(&b);
    free(tok);

    is_string("malformed", verify(with_header(rsa, "RS256", "not json")), "a header not JSON");
    is_string("malformed", verify(with_header(rsa, "RS256", "[\"RS256\"]")),
              "a header that is a JSON array");
    is_string("malformed", verify(with_header(rsa, "RS256", "{\"alg\":\"RS256\"} x")),
              "a header with trailing bytes");
    is_string("malformed", verify(raw_payload("not json")), "a signed payload not JSON");
    is_string("malformed", verify(raw_payload("[1,2]")), "a signed payload that is an array");
    is_string("malformed", verify(raw_payload("{\"sub\":\"\xff\"}")),
              "a signed payload that is not UTF-8");
    is_string("malformed", verify(raw_payload("")), "a signed empty payload");

    /* Size: the largest good token passes, one a byte longer is refused.
     * Token length grows with the pad: bisect for the largest that fits. */
    {
        size_t lo = 0, hi = JWT_MAX_BYTES; /* padded(lo) fits, padded(hi) does not */
        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;
            tok = padded(mid);
            *(strlen(tok) <= JWT_MAX_BYTES ? &lo : &hi) = mid;
            free(tok);
        }
        tok = padded(lo);
        ok(strlen(tok) <= JWT_MAX_BYTES && strlen(tok) >= JWT_MAX_BYTES - 2,
           "the largest padded token has %zu bytes (limit %d)", strlen(tok), JWT_MAX_BYTES);
        is_string("ok", verify(tok), "a good token at the size limit verifies");
        tok = padded(hi);
        ok(strlen(tok) > JWT_MAX_BYTES, "one more pad byte makes %zu bytes", strlen(tok));
        is_string("too_large", verify(tok), "a good token over the size limit is too large");
    }
    tok = xmalloc(JWT_MAX_BYTES + 2);
    memset(tok, 'A', JWT_MAX_BYTES + 1);
    tok[JWT_MAX_BYTES + 1] = '\0';
    is_string("too_large", verify(tok), "%d bytes of junk are too large", JWT_MAX_BYTES + 1);

    /* Depth: the claims object is level 1. */
    for (depth = AUTH_JSON_MAX_DEPTH; depth <= AUTH_JSON_MAX_DEPTH + 1; depth++) {
        int d;
        buf_puts(&b, "{\"iss\":\"" ISS "\",\"aud\":\"" CLIENT "\",\"sub\":\"" SUB "\",");
        buf_printf(&b, "\"exp\":%lld,\"iat\":%lld,\"nonce\":\"" NONCE "\",\"deep\":",
                   (long long)NOW + 600, (long long)NOW);
        for (d = 1; d < depth; d++)
            buf_putc(&b, '[');
        for (d = 1; d < depth; d++)
            buf_putc(&b, ']');
        buf_putc(&b, '}');
        is_string(depth <= AUTH_JSON_MAX_DEPTH ? "ok" : "malformed", verify(raw_payload(b.data)),
                  "claims nested %d deep", depth);
        buf_reset(&b);
    }
    buf_free(&b);
}

static void errors(void)
{
    int i, j, dup = 0;

    is_string("unknown_kid", jwt_errname(JWT_ERR_UNKNOWN_KID), "unknown_kid has a stable name");
    for (i = JWT_OK; i <= JWT_ERR_INTERNAL; i++)
        for (j = JWT_OK; j < i; j++)
            if (strcmp(jwt_errname((enum jwt_err)i), jwt_errname((enum jwt_err)j)) == 0
                || strcmp(jwt_strerror((enum jwt_err)i), jwt_strerror((enum jwt_err)j)) == 0)
                dup++;
    is_int(0, dup, "every error has its own name and message");
    is_string("unknown error", jwt_strerror((enum jwt_err)99), "an out-of-range error");
    is_string("the token has expired", jwt_strerror(JWT_ERR_EXPIRED), "a message");
}

int main(void)
{
    char *j_rsa, *j_ec, *text;
    const char *why;
    struct jwt_expect e = expect;
    struct jwt t;

    log_init("test", LOG_ERROR);
    plan(130);
    rsa = tsign_rsa_key(2048);
    rsa_other = tsign_rsa_key(2048);
    ec = tsign_ec_key("P-256");
    ec_other = tsign_ec_key("P-256");
    j_rsa = tsign_jwk(rsa, "rsa-1", "\"alg\":\"RS256\",\"use\":\"sig\"");
    j_ec = tsign_jwk(ec, "ec-1", "\"alg\":\"ES256\"");
    text = xasprintf("{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"},%s,"
                     "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"okp\","
                     "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"},%s]}",
                     j_rsa, j_ec);
    keys = jwks_parse(text, strlen(text), &why);
    if (keys == NULL)
        bail("JWKS: %s", why);
    ok(keys->n == 2 && keys->skipped == 2, "the test JWKS has 2 keys and 2 skipped");

    good_tokens();
    signatures();
    algorithms();
    key_lookup();
    times();
    issuer_audience_nonce_subject();
    shapes();
    errors();

    e.issuer = NULL;
    ok(jwt_verify("a.b.c", 5, keys, &e, &t) == JWT_ERR_INTERNAL, "no issuer: internal error");
    jwt_clear(&t);

    jwks_free(keys);
    free(text);
    free(j_rsa);
    free(j_ec);
    EVP_PKEY_free(rsa);
    EVP_PKEY_free(rsa_other);
    EVP_PKEY_free(ec);
    EVP_PKEY_free(ec_other);
    return 0;
}
