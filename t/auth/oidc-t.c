/*
 * Tests for the parts of OpenID Connect sign-in that need no network:
 * PKCE (RFC 7636 appendix B), return_to, issuer and endpoint URLs,
 * discovery document checks, the authorization URL, the token request,
 * the provider table and the configuration's issuer check.  The flow
 * itself, against a real provider, is t/integration/oidc.sh.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "auth/oidc.h"
#include "tap/basic.h"
#include "util/buf.h"
#include "util/cfg.h"
#include "util/url.h"

static void test_pkce(void)
{
    char challenge[OIDC_CHALLENGE_LEN + 1], v1[OIDC_VERIFIER_LEN + 1], v2[OIDC_VERIFIER_LEN + 1];
    size_t i;
    bool alphabet = true;

    ok(oidc_pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", challenge),
       "challenge computed");
    is_string("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", challenge,
              "RFC 7636 appendix B: S256 challenge of the example verifier");
    ok(oidc_pkce_verifier(v1) && oidc_pkce_verifier(v2), "verifiers made");
    is_int(43, (long long)strlen(v1), "a verifier is 43 characters (32 random bytes)");
    for (i = 0; v1[i] != '\0'; i++)
        if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", v1[i])
            == NULL)
            alphabet = false;
    ok(alphabet, "a verifier uses only the base64url alphabet (RFC 7636 unreserved)");
    ok(strcmp(v1, v2) != 0, "two verifiers differ");
    ok(oidc_pkce_challenge(v1, challenge) && strlen(challenge) == 43,
       "the challenge of a fresh verifier is 43 characters");
}

static void test_return_to(void)
{
    static const char *const good[] = {"/", "/conversations/abc", "/c?x=1&y=%2F", "/a/b/c#frag",
                                       NULL};
    static const char *const bad[] = {"",
                                      "//evil.example",
                                      "/\\evil.example",
                                      "\\/evil",
                                      "https://evil.example/",
                                      "evil",
                                      "/a//b",
                                      "/a b",
                                      "/a\tb",
                                      "/\x7f",
                                      "/caf\xc3\xa9",
                                      "/x?next=http://evil",
                                      NULL};
    char long_ok[OIDC_RETURN_TO_MAX + 2];
    size_t i;

    for (i = 0; good[i] != NULL; i++)
        ok(oidc_return_to_ok(good[i]), "return_to \"%s\" is accepted", good[i]);
    for (i = 0; bad[i] != NULL; i++)
        ok(!oidc_return_to_ok(bad[i]), "return_to \"%s\" is refused", bad[i]);
    memset(long_ok, 'a', sizeof(long_ok));
    long_ok[0] = '/';
    long_ok[OIDC_RETURN_TO_MAX] = '\0';
    ok(oidc_return_to_ok(long_ok), "return_to of exactly %d bytes is accepted", OIDC_RETURN_TO_MAX);
    long_ok[OIDC_RETURN_TO_MAX] = 'a';
    long_ok[OIDC_RETURN_TO_MAX + 1] = '\0';
    ok(!oidc_return_to_ok(long_ok), "return_to of %d bytes is refused", OIDC_RETURN_TO_MAX + 1);
}

static void test_urls(void)
{
    static const char *const good[] = {"https://accounts.google.com",
                                       "https://clever.com/",
                                       "https://login.microsoftonline.com/t/v2.0",
                                       "https://idp.example:8443/auth?x=1",
                                       "http://127.0.0.1:8080",
                                       "http://localhost",
                                       "http://localhost:3000/realms/x",
                                       "http://[::1]:9/a",
                                       NULL};
    static const char *const bad[] = {"http://accounts.google.com",
                                      "http://127.0.0.1.evil.example",
                                      "http://localhost@evil.example",
                                      "http://localhostx",
                                      "http://127.0.0.1:80x",
                                      "http://127.0.0.1:",
                                      "https://",
                                      "https://user:pw@idp.example",
                                      "https://:443",
                                      "https://idp.example/#frag",
                                      "https://idp example",
                                      "ftp://idp.example",
                                      "idp.example",
                                      "HTTPS://idp.example",
                                      NULL};
    size_t i;

    for (i = 0; good[i] != NULL; i++)
        ok(url_https_or_loopback(good[i]), "URL %s is accepted", good[i]);
    for (i = 0; bad[i] != NULL; i++)
        ok(!url_https_or_loopback(bad[i]), "URL \"%s\" is refused", bad[i]);
    ok(!url_https_or_loopback("https://idp.example/\n")
           && !url_https_or_loopback("https://idp.example/\x01"),
       "URLs with control bytes are refused");
    ok(url_is_loopback_http("http://127.0.0.1:1/x") && !url_is_loopback_http("https://127.0.0.1"),
       "loopback http is told apart from https");
}

/* A discovery document with the given issuer and an extra member text
 * (starting with ',' or empty). */
static char *doc(const char *issuer, const char *extra)
{
    struct buf b = BUF_INIT;

    buf_printf(&b,
               "{\"issuer\":\"%s\",\"authorization_endpoint\":\"https://idp.example/auth\","
               "\"token_endpoint\":\"https://idp.example/token\","
               "\"jwks_uri\":\"https://idp.example/jwks\"%s}",
               issuer, extra);
    return buf_steal(&b);
}

/* Parses text against https://idp.example; returns the refusal or NULL. */
static const char *parse(const char *text, struct oidc_discovery *d)
{
    const char *why = NULL;

    if (oidc_discovery_parse(text, strlen(text), "https://idp.example", d, &why))
        return NULL;
    return why ? why : "(no reason)";
}

static void test_discovery(void)
{
    static const struct {
        const char *extra, *desc;
    } refused[] = {
        {",\"response_types_supported\":[\"id_token\"]", "no code flow"},
        {",\"code_challenge_methods_supported\":[\"plain\"]", "no S256"},
        {",\"token_endpoint_auth_methods_supported\":[\"private_key_jwt\"]",
         "neither client_secret_basic nor _post"},
        {",\"userinfo_endpoint\":\"http://idp.example/me\"", "a plain-http userinfo endpoint"},
    };
    struct oidc_discovery d;
    char *text, *url;
    size_t i;

    url = oidc_discovery_url("https://idp.example/");
    is_string("https://idp.example/.well-known/openid-configuration", url,
              "discovery URL drops the issuer's trailing slash");
    free(url);
    url = oidc_discovery_url("https://login.example/tenant/v2.0");
    is_string("https://login.example/tenant/v2.0/.well-known/openid-configuration", url,
              "discovery URL keeps the issuer's path");
    free(url);

    text = doc("https://idp.example",
               ",\"userinfo_endpoint\":\"https://idp.example/me\",\"response_types_supported\":"
               "[\"code\",\"id_token\"],\"code_challenge_methods_supported\":[\"S256\"]");
    is_string(NULL, parse(text, &d), "a complete document is accepted");
    is_string("https://idp.example/token", d.token_endpoint, "token_endpoint kept");
    is_string("https://idp.example/jwks", d.jwks_uri, "jwks_uri kept");
    is_string("https://idp.example/me", d.userinfo_endpoint, "userinfo_endpoint kept");
    ok(d.auth_basic, "client_secret_basic by default");
    oidc_discovery_clear(&d);
    free(text);

    text = doc("https://idp.example", ",\"token_endpoint_auth_methods_supported\":"
                                      "[\"client_secret_post\",\"private_key_jwt\"]");
    is_string(NULL, parse(text, &d), "a post-only provider is accepted");
    ok(!d.auth_basic && d.userinfo_endpoint == NULL,
       "and uses client_secret_post; no userinfo_endpoint is fine");
    oidc_discovery_clear(&d);
    free(text);

    text = doc("https://idp.example/", "");
    ok(parse(text, &d) != NULL && d.issuer == NULL,
       "issuer with an extra trailing slash is refused (exact match), nothing kept");
    free(text);
    text = doc("https://evil.example", "");
    is_string("the document's issuer is not the configured issuer", parse(text, &d),
              "another issuer is refused");
    free(text);
    text = strdup("{\"issuer\":\"https://idp.example\",\"authorization_endpoint\":"
                  "\"https://idp.example/auth\",\"token_endpoint\":\"https://idp.example/token\"}");
    is_string("the document has no jwks_uri", parse(text, &d), "a missing jwks_uri is refused");
    free(text);
    text = strdup("{\"issuer\":\"https://idp.example\",\"authorization_endpoint\":"
                  "\"http://idp.example/auth\",\"token_endpoint\":\"https://idp.example/token\","
                  "\"jwks_uri\":\"https://idp.example/jwks\"}");
    is_string("authorization_endpoint is not an https URL", parse(text, &d),
              "a plain-http endpoint off loopback is refused");
    free(text);
    for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        text = doc("https://idp.example", refused[i].extra);
        ok(parse(text, &d) != NULL, "refused: %s", refused[i].desc);
        free(text);
    }
    ok(parse("not json", &d) != NULL, "not JSON is refused");
    ok(parse("[1]", &d) != NULL, "not an object is refused");
    ok(parse("{\"issuer\":1}", &d) != NULL, "a non-string issuer is refused");
}

static void test_authorize_and_token(void)
{
    char ep1[] = "https://idp.example/auth", ep2[] = "https://idp.example/auth?tenant=x";
    char ep3[] = "https://idp.example/auth?", tok[] = "https://idp.example/token";
    char jwks[] = "https://idp.example/jwks";
    struct oidc_discovery d = {NULL, ep1, tok, jwks, NULL, true};
    struct oidc_provider p = {OIDC_GENERIC,          "generic",    "Test",
                              "https://idp.example", "client one", "s3cr:t/é"};
    struct buf body = BUF_INIT;
    char *url, *auth;

    url = oidc_authorize_url(&d, &p, "http://127.0.0.1:8000/api/auth/generic/callback", "ST", "NO",
                             "CH");
    is_string("https://idp.example/auth?response_type=code&client_id=client%20one&redirect_uri="
              "http%3A%2F%2F127.0.0.1%3A8000%2Fapi%2Fauth%2Fgeneric%2Fcallback&scope=openid%20"
              "email%20profile&state=ST&nonce=NO&code_challenge=CH&code_challenge_method=S256",
              url, "authorization URL: every parameter, percent-encoded");
    free(url);
    d.authorization_endpoint = ep2;
    url = oidc_authorize_url(&d, &p, "r", "s", "n", "c");
    ok(strncmp(url, "https://idp.example/auth?tenant=x&response_type=code&", 53) == 0,
       "an endpoint's own query is kept: %s", url);
    free(url);
    d.authorization_endpoint = ep3;
    url = oidc_authorize_url(&d, &p, "r", "s", "n", "c");
    ok(strncmp(url, "https://idp.example/auth?response_type=code&", 44) == 0,
       "an endpoint ending in '?' gets no extra separator: %s", url);
    free(url);

    oidc_token_request(&p, &d, "c/o+de", "https://app/cb", "VER", &body, &auth);
    is_string("grant_type=authorization_code&code=c%2Fo%2Bde&redirect_uri=https%3A%2F%2Fapp%2Fcb"
              "&code_verifier=VER&client_id=client%20one",
              buf_str(&body), "token request form (client_secret_basic: no secret in the body)");
    /* base64("client%20one:s3cr%3At%2F%C3%A9") */
    is_string("Basic Y2xpZW50JTIwb25lOnMzY3IlM0F0JTJGJUMzJUE5", auth,
              "client_secret_basic: id and secret form-encoded, then base64 (RFC 6749 2.3.1)");
    free(auth);
    buf_free(&body);

    d.auth_basic = false;
    oidc_token_request(&p, &d, "x", "r", "v", &body, &auth);
    ok(auth == NULL && strstr(buf_str(&body), "&client_secret=s3cr%3At%2F%C3%A9") != NULL,
       "client_secret_post: the secret goes in the form, no Authorization");
    buf_free(&body);

    p.client_secret = "";
    d.auth_basic = true;
    oidc_token_request(&p, &d, "x", "r", "v", &body, &auth);
    ok(auth == NULL && strstr(buf_str(&body), "client_secret") == NULL
           && strstr(buf_str(&body), "client_id=client%20one") != NULL,
       "a public client sends only its id (PKCE protects the code)");
    buf_free(&body);
}

static void test_providers(void)
{
    const struct config_key *k;
    struct oidc_provider p, all[OIDC_NSLOTS];
    struct config cfg;
    json_object *list;
    char err[256], *uri;

    for (k = config_keys; k->name != NULL; k++)
        unsetenv(k->name);
    if (!config_load(&cfg, err, sizeof(err)))
        bail("config_load: %s", err);
    is_int(0, (long long)oidc_providers_enabled(&cfg, all), "no provider without client ids");
    ok(!oidc_provider_get(&cfg, "google", &p), "google is off by default");
    ok(config_set(&cfg, "PLCCOACH_OIDC_GOOGLE_CLIENT_ID", "gid", err, sizeof(err))
           && config_set(&cfg, "PLCCOACH_OIDC_GENERIC_CLIENT_ID", "xid", err, sizeof(err)),
       "client ids set");
    ok(oidc_provider_get(&cfg, "google", &p) && strcmp(p.issuer, "https://accounts.google.com") == 0
           && strcmp(p.client_secret, "") == 0,
       "google is on with its default issuer");
    ok(!oidc_provider_get(&cfg, "generic", &p), "generic needs an issuer too");
    ok(!oidc_provider_get(&cfg, "nope", &p) && !oidc_provider_get(&cfg, "", &p),
       "unknown provider names are refused");
    ok(!config_set(&cfg, "PLCCOACH_OIDC_GENERIC_ISSUER", "http://idp.example", err, sizeof(err)),
       "a plain-http issuer off loopback is a configuration error");
    ok(strstr(err, "PLCCOACH_OIDC_GENERIC_ISSUER") != NULL, "which names the key: %s", err);
    ok(!config_set(&cfg, "PLCCOACH_OIDC_CLEVER_ISSUER", "clever.com", err, sizeof(err)),
       "an issuer without a scheme is a configuration error");
    ok(config_set(&cfg, "PLCCOACH_OIDC_GENERIC_ISSUER", "http://127.0.0.1:9999", err, sizeof(err))
           && config_set(&cfg, "PLCCOACH_OIDC_GENERIC_NAME", "Microsoft", err, sizeof(err)),
       "a loopback http issuer is allowed");
    is_int(2, (long long)oidc_providers_enabled(&cfg, all), "two providers enabled");
    list = json_object_new_array();
    oidc_providers_json(&cfg, list);
    is_string("[{\"id\":\"google\",\"name\":\"Google\",\"kind\":\"oidc\",\"login_url\":"
              "\"/api/auth/google/login\"},{\"id\":\"generic\",\"name\":\"Microsoft\",\"kind\":"
              "\"oidc\",\"login_url\":\"/api/auth/generic/login\"}]",
              json_object_to_json_string_ext(list, JSON_C_TO_STRING_PLAIN
                                                       | JSON_C_TO_STRING_NOSLASHESCAPE),
              "providers JSON in display order, with the generic label");
    json_object_put(list);
    ok(config_set(&cfg, "PLCCOACH_PUBLIC_URL", "https://coach.example/", err, sizeof(err)),
       "public URL set");
    uri = oidc_redirect_uri(&cfg, "clever");
    is_string("https://coach.example/api/auth/clever/callback", uri,
              "redirect URI from PLCCOACH_PUBLIC_URL (trailing slash dropped)");
    free(uri);
    config_free(&cfg);
}

int main(void)
{
    plan(0);
    test_pkce();
    test_return_to();
    test_urls();
    test_discovery();
    test_authorize_and_token();
    test_providers();
    return 0;
}
