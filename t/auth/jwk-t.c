/* Tests for auth/jwk: JWKS parsing with keys generated at run time, keys
 * of other kinds skipped, weak or broken keys refused, lookups, limits. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "auth/base64url.h"
#include "auth/jwk.h"
#include "t/auth/jwt-sign.h"
#include "tap/basic.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/log.h"

/* RFC 8037 appendix A.2 and a symmetric key: kinds we skip. */
#define OKP_JWK                                                                                    \
    "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"okp\",\"x\":"                                  \
    "\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}"
#define OCT_JWK "{\"kty\":\"oct\",\"kid\":\"oct\",\"k\":\"c2VjcmV0\",\"alg\":\"HS256\"}"

/* Returns {"keys":[a, b, ...]} for the NULL-terminated list; caller frees. */
static char *jwks_of(const char *first, ...)
{
    struct buf b = BUF_INIT;
    const char *k;
    va_list ap;

    buf_puts(&b, "{\"keys\":[");
    va_start(ap, first);
    for (k = first; k != NULL; k = va_arg(ap, const char *))
        buf_printf(&b, "%s%s", k == first ? "" : ",", k);
    va_end(ap);
    buf_puts(&b, "]}");
    return buf_steal(&b);
}

/* Parses text, returning the set (or NULL) and the reason in *why. */
static struct jwk_set *parse(const char *text, const char **why)
{
    *why = NULL;
    return jwks_parse(text, strlen(text), why);
}

/* Parses text that must yield a key set; bails out otherwise. */
static struct jwk_set *must_parse(const char *text)
{
    const char *why = NULL;
    struct jwk_set *set = jwks_parse(text, strlen(text), &why);

    if (set == NULL)
        bail("JWKS refused (%s): %s", why, text);
    return set;
}

/* Returns the JWK of key with member name's value replaced by value (a
 * base64url string); the caller frees it. */
static char *jwk_with(const EVP_PKEY *key, const char *kid, const char *name, const char *value)
{
    char *jwk = tsign_jwk(key, kid, NULL), *out;
    char *pat = xasprintf("\"%s\":\"", name);
    char *start = strstr(jwk, pat), *end;

    if (start == NULL)
        bail("no member %s in %s", name, jwk);
    start += strlen(pat);
    end = strchr(start, '"');
    out = xasprintf("%.*s%s%s", (int)(start - jwk), jwk, value, end);
    free(pat);
    free(jwk);
    return out;
}

/* Returns the base64url text of member name of key's JWK followed by
 * suffix; the caller frees it. */
static char *member_plus(const EVP_PKEY *key, const char *name, const char *suffix)
{
    char *jwk = tsign_jwk(key, NULL, NULL), *pat = xasprintf("\"%s\":\"", name);
    char *start = strstr(jwk, pat) + strlen(pat);
    char *out = xasprintf("%.*s%s", (int)(strchr(start, '"') - start), start, suffix);

    free(pat);
    free(jwk);
    return out;
}

/* Returns a P-256 key whose x coordinate has a leading zero byte, and in
 * *x that coordinate without it (31 bytes, base64url; the caller frees
 * both).  About one key in 256 qualifies. */
static EVP_PKEY *key_with_short_x(char **x)
{
    int tries;

    for (tries = 0; tries < 10000; tries++) {
        EVP_PKEY *key = tsign_ec_key("P-256");
        char *full = member_plus(key, "x", "");
        size_t len;
        unsigned char *raw = base64url_decode(full, strlen(full), &len);

        free(full);
        if (raw != NULL && len == 32 && raw[0] == 0) {
            *x = base64url_encode(raw + 1, 31);
            free(raw);
            return key;
        }
        free(raw);
        EVP_PKEY_free(key);
    }
    bail("no P-256 key with a leading zero in x after %d tries", tries);
}

/* Returns a base64url coordinate that is one more than the one in the JWK
 * member name of key, so the point leaves the curve; the caller frees. */
static char *bumped(const EVP_PKEY *key, const char *name)
{
    char *jwk = tsign_jwk(key, NULL, NULL), *pat = xasprintf("\"%s\":\"", name);
    char *start = strstr(jwk, pat) + strlen(pat), *out;
    unsigned char *raw;
    size_t len;

    raw = base64url_decode(start, (size_t)(strchr(start, '"') - start), &len);
    if (raw == NULL || len != 32)
        bail("cannot decode %s", name);
    raw[31] ^= 1;
    out = base64url_encode(raw, len);
    free(raw);
    free(pat);
    free(jwk);
    return out;
}

int main(void)
{
    EVP_PKEY *rsa = tsign_rsa_key(2048), *rsa2 = tsign_rsa_key(2048);
    EVP_PKEY *weak = tsign_rsa_key(1024), *ec = tsign_ec_key("P-256");
    EVP_PKEY *p384 = tsign_ec_key("P-384");
    char *j_rsa = tsign_jwk(rsa, "r1", "\"alg\":\"RS256\",\"use\":\"sig\"");
    char *j_ec = tsign_jwk(ec, "e1", NULL);
    char *j_rsa2 = tsign_jwk(rsa2, "r2", "\"key_ops\":[\"verify\"]");
    char *j_weak = tsign_jwk(weak, "weak", "\"alg\":\"RS256\"");
    char *j_enc = tsign_jwk(rsa2, "enc", "\"use\":\"enc\"");
    char *j_rs384 = tsign_jwk(rsa2, "rs384", "\"alg\":\"RS384\"");
    char *j_ps256 = tsign_jwk(rsa2, "ps256", "\"alg\":\"PS256\"");
    char *j_p384 = tsign_jwk(p384, "p384", "\"alg\":\"ES384\"");
    char *j_es384 = tsign_jwk(ec, "es384", "\"alg\":\"ES384\"");
    char *j_p384_noalg = tsign_jwk(p384, "p384-noalg", NULL);
    char *j_signonly = tsign_jwk(rsa2, "signonly", "\"key_ops\":[\"sign\"]");
    char *text, *bad, *coord;
    const char *why;
    struct jwk_set *set;
    const struct jwk *k;
    enum jwk_alg alg;
    struct buf b = BUF_INIT;
    json_object *o;
    int i;

    log_init("test", LOG_ERROR);
    plan(62);

    /* A realistic set: two keys we use, nine we skip. */
    text = jwks_of(OKP_JWK, j_rsa, OCT_JWK, j_enc, j_ec, j_rs384, j_ps256, j_p384, j_es384,
                   j_signonly, j_p384_noalg, (char *)NULL);
    set = parse(text, &why);
    ok(set != NULL, "a JWKS with RSA, EC and unsupported keys mixed in parses");
    if (set == NULL)
        bail("cannot go on: %s", why);
    is_int(2, (long long)set->n, "two usable keys");
    is_int(9, (long long)set->skipped, "nine keys of other kinds skipped");
    is_int(0, (long long)set->rejected, "none refused");
    is_string("r1", set->keys[0].kid, "first key's kid");
    ok(set->keys[0].alg == JWK_RS256, "first key is RS256");
    ok(EVP_PKEY_eq(set->keys[0].pkey, rsa) == 1, "the RSA key equals the generated one");
    is_string("e1", set->keys[1].kid, "second key's kid");
    ok(set->keys[1].alg == JWK_ES256, "second key is ES256");
    ok(EVP_PKEY_eq(set->keys[1].pkey, ec) == 1, "the EC key equals the generated one");
    ok(EVP_PKEY_eq(set->keys[1].pkey, rsa) != 1, "and differs from the RSA key");

    is_int(JWK_FOUND, jwks_find(set, "r1", JWK_RS256, &k), "find r1 for RS256");
    ok(k == &set->keys[0], "it is the RSA key");
    is_int(JWK_FOUND, jwks_find(set, "e1", JWK_ES256, &k), "find e1 for ES256");
    ok(k == &set->keys[1], "it is the EC key");
    is_int(JWK_NOT_FOUND, jwks_find(set, "r1", JWK_ES256, &k), "r1 is no ES256 key");
    ok(k == NULL, "nothing returned when not found");
    is_int(JWK_NOT_FOUND, jwks_find(set, "nope", JWK_RS256, &k), "an unknown kid is not found");
    is_int(JWK_NOT_FOUND, jwks_find(set, "enc", JWK_RS256, &k),
           "a skipped key (use enc) is not found");
    is_int(JWK_NOT_FOUND, jwks_find(set, "R1", JWK_RS256, &k), "kids compare case-sensitively");
    is_int(JWK_FOUND, jwks_find(set, NULL, JWK_RS256, &k), "no kid: the one RS256 key");
    ok(k == &set->keys[0], "is the RSA key");
    is_int(JWK_FOUND, jwks_find(set, NULL, JWK_ES256, &k), "no kid: the one ES256 key");
    ok(k == &set->keys[1], "is the EC key");
    jwks_free(set);
    free(text);

    /* Ambiguity. */
    text = jwks_of(j_rsa, j_rsa2, (char *)NULL);
    set = must_parse(text);
    ok(set->n == 2, "two RSA keys parse (one with key_ops verify)");
    is_int(JWK_AMBIGUOUS, jwks_find(set, NULL, JWK_RS256, &k), "no kid, two RSA keys: ambiguous");
    is_int(JWK_FOUND, jwks_find(set, "r2", JWK_RS256, &k), "by kid it is found");
    jwks_free(set);
    free(text);
    bad = tsign_jwk(rsa2, "r1", NULL);
    text = jwks_of(j_rsa, bad, (char *)NULL);
    set = must_parse(text);
    is_int(JWK_AMBIGUOUS, jwks_find(set, "r1", JWK_RS256, &k), "a kid used twice: ambiguous");
    jwks_free(set);
    free(text);
    free(bad);

    /* Weak and broken keys. */
    text = jwks_of(j_weak, (char *)NULL);
    set = parse(text, &why);
    ok(set == NULL, "a JWKS whose only key is 1024-bit RSA is refused");
    is_string("JWKS has no usable RS256 or ES256 key", why, "because no key is usable");
    free(text);
    text = jwks_of(j_weak, j_ec, (char *)NULL);
    set = must_parse(text);
    ok(set->n == 1 && set->rejected == 1,
       "next to a good key, the 1024-bit key is refused and counted");
    is_int(JWK_NOT_FOUND, jwks_find(set, "weak", JWK_RS256, &k), "and cannot be found");
    jwks_free(set);
    free(text);

    coord = bumped(ec, "y");
    bad = jwk_with(ec, "off", "y", coord);
    text = jwks_of(bad, j_rsa, (char *)NULL);
    set = parse(text, &why);
    ok(set != NULL && set->n == 1 && set->rejected == 1, "a P-256 point off the curve is refused");
    free(text);
    free(bad);
    free(coord);
    jwks_free(set);

    /* Each entry: a JWK that must be refused, next to a good one. */
    {
        struct {
            char *jwk;
            const char *what;
        } refusals[] = {
            {NULL, "the modulus of a good key with \"==\" padding"},
            {NULL, "a valid point whose x lost its leading zero byte (31 bytes)"},
            {jwk_with(ec, "x31", "x", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
             "an x of 31 bytes"},
            {jwk_with(rsa, "exp1", "e", "AQ"), "an exponent of 1"},
            {jwk_with(rsa, "noe", "e", ""), "an empty exponent"},
            {xstrdup("{\"kty\":\"RSA\",\"kid\":\"non\",\"e\":\"AQAB\"}"), "an RSA key without n"},
            {xstrdup("{\"kty\":\"EC\",\"kid\":\"nocrv\",\"x\":\"AA\",\"y\":\"AA\"}"),
             "an EC key without crv"},
            {tsign_jwk(rsa, NULL, "\"kid\":7"), "a numeric kid"},
            {tsign_jwk(rsa, "useint", "\"use\":1"), "a numeric use"},
            {tsign_jwk(rsa, "opsstr", "\"key_ops\":\"verify\""), "key_ops not an array"},
            {xstrdup("\"a string\""), "an entry that is not an object"},
            {xstrdup("{\"kid\":\"nokty\"}"), "an entry without kty"},
        };
        size_t r;
        char *n = member_plus(rsa, "n", "=="), *x;
        EVP_PKEY *shortx = key_with_short_x(&x);

        refusals[0].jwk = jwk_with(rsa, "pad", "n", n);
        refusals[1].jwk = jwk_with(shortx, "shortx", "x", x);
        free(n);
        free(x);
        EVP_PKEY_free(shortx);

        for (r = 0; r < sizeof(refusals) / sizeof(refusals[0]); r++) {
            text = jwks_of(refusals[r].jwk, j_ec, (char *)NULL);
            set = parse(text, &why);
            ok(set != NULL && set->n == 1 && set->rejected == 1 && set->keys[0].alg == JWK_ES256,
               "refused: %s", refusals[r].what);
            jwks_free(set);
            free(text);
            free(refusals[r].jwk);
        }
    }

    /* An even modulus: take n and clear its lowest bit. */
    {
        char *jwk = tsign_jwk(rsa, NULL, NULL), *start = strstr(jwk, "\"n\":\"") + 5;
        size_t len;
        unsigned char *n = base64url_decode(start, (size_t)(strchr(start, '"') - start), &len);
        char *enc;

        n[len - 1] &= 0xfe;
        enc = base64url_encode(n, len);
        bad = jwk_with(rsa, "even", "n", enc);
        text = jwks_of(bad, j_ec, (char *)NULL);
        set = parse(text, &why);
        ok(set != NULL && set->n == 1 && set->rejected == 1, "refused: an even RSA modulus");
        jwks_free(set);
        free(text);
        free(bad);
        free(enc);
        free(n);
        free(jwk);
    }

    /* A NUL in any string refuses the whole document (util/json), not
     * just its key: no kid can be read as the C string before it. */
    bad = tsign_jwk(rsa, NULL, "\"kid\":\"a\\u0000b\"");
    text = jwks_of(bad, j_ec, (char *)NULL);
    set = parse(text, &why);
    ok(set == NULL && why != NULL, "refused whole: a key set with a kid holding a NUL");
    jwks_free(set);
    free(text);
    free(bad);

    /* Documents that are not a JWKS. */
    ok(parse("not json", &why) == NULL, "text that is not JSON is refused");
    ok(parse("[]", &why) == NULL, "a JSON array is refused");
    ok(parse("{}", &why) == NULL, "an object without keys is refused");
    is_string("JWKS has no \"keys\" array", why, "with a reason");
    ok(parse("{\"keys\":{}}", &why) == NULL, "keys that is not an array is refused");
    ok(parse("{\"keys\":[]}", &why) == NULL, "an empty key list is refused");
    text = jwks_of(j_ec, (char *)NULL);
    buf_puts(&b, text);
    buf_puts(&b, "x");
    ok(parse(buf_str(&b), &why) == NULL, "trailing bytes are refused");
    buf_free(&b);
    free(text);
    buf_puts(&b, "{\"keys\":[");
    for (i = 0; i <= JWKS_MAX_KEYS; i++)
        buf_printf(&b, "%s%s", i ? "," : "", j_ec);
    buf_puts(&b, "]}");
    ok(parse(buf_str(&b), &why) == NULL, "more than %d keys are refused", JWKS_MAX_KEYS);
    buf_free(&b);

    /* jwks_from_json on a document already parsed. */
    o = json_tokener_parse("{\"keys\":[" OCT_JWK "]}");
    ok(jwks_from_json(o, &why) == NULL, "only unsupported keys: no usable key");
    json_object_put(o);

    /* Nesting depth of the shared parser: objects around an empty array. */
    for (i = AUTH_JSON_MAX_DEPTH - 1; i <= AUTH_JSON_MAX_DEPTH + 1; i++) {
        int d;
        for (d = 1; d < i; d++)
            buf_puts(&b, "{\"a\":");
        buf_puts(&b, "[]");
        for (d = 1; d < i; d++)
            buf_putc(&b, '}');
        why = NULL;
        o = auth_json_parse_object(buf_str(&b), b.len, &why);
        if (i <= AUTH_JSON_MAX_DEPTH)
            ok(o != NULL, "JSON nested %d deep parses", i);
        else
            is_string("JSON nested too deeply", why, "JSON nested %d deep is refused", i);
        json_object_put(o);
        buf_reset(&b);
    }
    buf_free(&b);

    /* Algorithm names. */
    ok(jwk_alg_parse("RS256", &alg) && alg == JWK_RS256, "RS256 parses");
    ok(jwk_alg_parse("ES256", &alg) && alg == JWK_ES256, "ES256 parses");
    ok(!jwk_alg_parse("none", &alg) && !jwk_alg_parse("HS256", &alg)
           && !jwk_alg_parse("rs256", &alg) && !jwk_alg_parse("RS256 ", &alg)
           && !jwk_alg_parse("", &alg),
       "none, HS256, rs256, \"RS256 \" and \"\" do not");

    free(j_rsa);
    free(j_ec);
    free(j_rsa2);
    free(j_weak);
    free(j_enc);
    free(j_rs384);
    free(j_ps256);
    free(j_p384);
    free(j_es384);
    free(j_signonly);
    free(j_p384_noalg);
    EVP_PKEY_free(rsa);
    EVP_PKEY_free(rsa2);
    EVP_PKEY_free(weak);
    EVP_PKEY_free(ec);
    EVP_PKEY_free(p384);
    return 0;
}
