/*
 * OpenID Connect without the network: providers, discovery checks, PKCE,
 * return_to, the authorization URL and the token request; see oidc.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "auth/base64url.h"
#include "auth/jwk.h"
#include "auth/oidc.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/cfg.h"
#include "util/log.h"
#include "util/url.h"

/* The fixed facts of each slot; the rest comes from the configuration. */
static const struct {
    const char *id;
    const char *name; /* NULL: the configured PLCCOACH_OIDC_GENERIC_NAME */
} slots[OIDC_NSLOTS] = {
    [OIDC_GOOGLE] = {"google", "Google"},
    [OIDC_CLEVER] = {"clever", "Clever"},
    [OIDC_GENERIC] = {"generic", NULL},
};

/* Fills *out for slot from cfg; false when the slot is not enabled. */
static bool slot_get(const struct config *cfg, enum oidc_slot slot, struct oidc_provider *out)
{
    const char *issuer = NULL, *id = NULL, *secret = NULL;

    switch (slot) {
    case OIDC_GOOGLE:
        issuer = cfg->oidc_google_issuer;
        id = cfg->oidc_google_client_id;
        secret = cfg->oidc_google_client_secret;
        break;
    case OIDC_CLEVER:
        issuer = cfg->oidc_clever_issuer;
        id = cfg->oidc_clever_client_id;
        secret = cfg->oidc_clever_client_secret;
        break;
    case OIDC_GENERIC:
        issuer = cfg->oidc_generic_issuer;
        id = cfg->oidc_generic_client_id;
        secret = cfg->oidc_generic_client_secret;
        break;
    case OIDC_NSLOTS: return false;
    }
    if (issuer == NULL || issuer[0] == '\0' || id == NULL || id[0] == '\0')
        return false;
    out->slot = slot;
    out->id = slots[slot].id;
    out->name = slots[slot].name;
    if (out->name == NULL)
        out->name = cfg->oidc_generic_name && cfg->oidc_generic_name[0] ? cfg->oidc_generic_name
                                                                        : "Single sign-on";
    out->issuer = issuer;
    out->client_id = id;
    out->client_secret = secret ? secret : "";
    return true;
}

bool oidc_provider_get(const struct config *cfg, const char *id, struct oidc_provider *out)
{
    int s;

    for (s = 0; s < OIDC_NSLOTS; s++)
        if (strcmp(slots[s].id, id) == 0)
            return slot_get(cfg, (enum oidc_slot)s, out);
    return false;
}

size_t oidc_providers_enabled(const struct config *cfg, struct oidc_provider out[OIDC_NSLOTS])
{
    size_t n = 0;
    int s;

    for (s = 0; s < OIDC_NSLOTS; s++)
        if (slot_get(cfg, (enum oidc_slot)s, &out[n]))
            n++;
    return n;
}

void oidc_providers_json(const struct config *cfg, json_object *list)
{
    struct oidc_provider p[OIDC_NSLOTS];
    size_t i, n = oidc_providers_enabled(cfg, p);

    for (i = 0; i < n; i++) {
        json_object *o = json_object_new_object();
        char *url = xasprintf("/api/auth/%s/login", p[i].id);

        json_object_object_add(o, "id", json_object_new_string(p[i].id));
        json_object_object_add(o, "name", json_object_new_string(p[i].name));
        json_object_object_add(o, "kind", json_object_new_string("oidc"));
        json_object_object_add(o, "login_url", json_object_new_string(url));
        json_object_array_add(list, o);
        free(url);
    }
}

/* ---- discovery ----------------------------------------------------------- */

char *oidc_discovery_url(const char *issuer)
{
    size_t n = strlen(issuer);

    if (n > 0 && issuer[n - 1] == '/')
        n--;
    return xasprintf("%.*s/.well-known/openid-configuration", (int)n, issuer);
}

/* Whether member key of obj is an array holding the string value.
 * *present tells whether the member exists at all. */
static bool array_has(const json_object *obj, const char *key, const char *value, bool *present)
{
    json_object *arr;
    size_t i, n;

    *present = json_object_object_get_ex(obj, key, &arr);
    if (!*present || !json_object_is_type(arr, json_type_array))
        return false;
    n = json_object_array_length(arr);
    for (i = 0; i < n; i++) {
        json_object *v = json_object_array_get_idx(arr, i);
        if (json_object_is_type(v, json_type_string)
            && strcmp(json_object_get_string(v), value) == 0)
            return true;
    }
    return false;
}

/* Copies endpoint key of doc into *out when it is a usable URL. */
static bool endpoint(const json_object *doc, const char *key, bool required, char **out,
                     const char **why, const char *missing, const char *bad)
{
    const char *v = auth_json_string(doc, key);

    *out = NULL;
    if (v == NULL) {
        if (required)
            *why = missing;
        return !required;
    }
    if (!url_https_or_loopback(v) || strlen(v) > 2048) {
        *why = bad;
        return false;
    }
    *out = xstrdup(v);
    return true;
}

bool oidc_discovery_parse(const char *text, size_t n, const char *expected_issuer,
                          struct oidc_discovery *out, const char **why)
{
    json_object *doc;
    const char *iss;
    bool present, ok = false;

    memset(out, 0, sizeof(*out));
    doc = auth_json_parse_object(text, n, why);
    if (doc == NULL)
        return false;
    iss = auth_json_string(doc, "issuer");
    if (iss == NULL) {
        *why = "the document has no issuer";
        goto done;
    }
    if (strcmp(iss, expected_issuer) != 0) {
        *why = "the document's issuer is not the configured issuer";
        goto done;
    }
    if (!endpoint(doc, "authorization_endpoint", true, &out->authorization_endpoint, why,
                  "the document has no authorization_endpoint",
                  "authorization_endpoint is not an https URL")
        || !endpoint(doc, "token_endpoint", true, &out->token_endpoint, why,
                     "the document has no token_endpoint", "token_endpoint is not an https URL")
        || !endpoint(doc, "jwks_uri", true, &out->jwks_uri, why, "the document has no jwks_uri",
                     "jwks_uri is not an https URL")
        || !endpoint(doc, "userinfo_endpoint", false, &out->userinfo_endpoint, why, NULL,
                     "userinfo_endpoint is not an https URL"))
        goto done;
    if (!array_has(doc, "response_types_supported", "code", &present) && present) {
        *why = "the provider does not support the authorization code flow";
        goto done;
    }
    if (!array_has(doc, "code_challenge_methods_supported", "S256", &present) && present) {
        *why = "the provider does not support PKCE with S256";
        goto done;
    }
    out->auth_basic = true;
    if (!array_has(doc, "token_endpoint_auth_methods_supported", "client_secret_basic", &present)
        && present) {
        if (!array_has(doc, "token_endpoint_auth_methods_supported", "client_secret_post",
                       &present)) {
            *why = "the provider supports neither client_secret_basic nor client_secret_post";
            goto done;
        }
        out->auth_basic = false;
    }
    out->issuer = xstrdup(iss);
    ok = true;
done:
    json_object_put(doc);
    if (!ok)
        oidc_discovery_clear(out);
    return ok;
}

void oidc_discovery_clear(struct oidc_discovery *d)
{
    free(d->issuer);
    free(d->authorization_endpoint);
    free(d->token_endpoint);
    free(d->jwks_uri);
    free(d->userinfo_endpoint);
    memset(d, 0, sizeof(*d));
}

/* ---- PKCE and return_to --------------------------------------------------- */

bool oidc_pkce_verifier(char out[OIDC_VERIFIER_LEN + 1])
{
    unsigned char raw[32];
    char *enc;

    if (RAND_bytes(raw, sizeof(raw)) != 1) {
        log_error("RAND_bytes failed for a PKCE verifier");
        return false;
    }
    enc = base64url_encode(raw, sizeof(raw));
    OPENSSL_cleanse(raw, sizeof(raw));
    memcpy(out, enc, OIDC_VERIFIER_LEN + 1);
    OPENSSL_cleanse(enc, OIDC_VERIFIER_LEN);
    free(enc);
    return true;
}

bool oidc_pkce_challenge(const char *verifier, char out[OIDC_CHALLENGE_LEN + 1])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    char *enc;

    if (EVP_Digest(verifier, strlen(verifier), md, &mdlen, EVP_sha256(), NULL) != 1
        || mdlen != 32) {
        log_error("SHA-256 failed for a PKCE challenge");
        return false;
    }
    enc = base64url_encode(md, mdlen);
    memcpy(out, enc, OIDC_CHALLENGE_LEN + 1);
    free(enc);
    return true;
}

bool oidc_return_to_ok(const char *s)
{
    size_t i, n = strlen(s);

    if (n == 0 || n > OIDC_RETURN_TO_MAX || s[0] != '/')
        return false;
    if (strstr(s, "//") != NULL)
        return false;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c >= 0x7f || c == '\\')
            return false;
    }
    return true;
}

/* ---- URLs and forms --------------------------------------------------------- */

char *oidc_redirect_uri(const struct config *cfg, const char *provider_id)
{
    size_t n = strlen(cfg->public_url);

    while (n > 0 && cfg->public_url[n - 1] == '/')
        n--;
    return xasprintf("%.*s/api/auth/%s/callback", (int)n, cfg->public_url, provider_id);
}

/* Appends value percent-encoded (everything but RFC 3986's unreserved
 * characters). */
static void escape_into(struct buf *b, const char *value)
{
    char *e = curl_easy_escape(NULL, value, (int)strlen(value));

    if (e == NULL) {
        log_error("curl_easy_escape failed");
        abort(); /* only on allocation failure: the policy of util/alloc.h */
    }
    buf_puts(b, e);
    curl_free(e);
}

void oidc_form_add(struct buf *b, const char *name, const char *value)
{
    if (b->len > 0 && b->data[b->len - 1] != '?' && b->data[b->len - 1] != '&')
        buf_putc(b, '&');
    escape_into(b, name);
    buf_putc(b, '=');
    escape_into(b, value);
}

char *oidc_authorize_url(const struct oidc_discovery *d, const struct oidc_provider *p,
                         const char *redirect_uri, const char *state, const char *nonce,
                         const char *challenge)
{
    struct buf b = BUF_INIT;

    /* oidc_form_add() separates with '&' unless the URL ends in '?' or
     * '&', so an endpoint with a query of its own keeps it. */
    buf_puts(&b, d->authorization_endpoint);
    if (strchr(d->authorization_endpoint, '?') == NULL)
        buf_putc(&b, '?');
    oidc_form_add(&b, "response_type", "code");
    oidc_form_add(&b, "client_id", p->client_id);
    oidc_form_add(&b, "redirect_uri", redirect_uri);
    oidc_form_add(&b, "scope", OIDC_SCOPE);
    oidc_form_add(&b, "state", state);
    oidc_form_add(&b, "nonce", nonce);
    oidc_form_add(&b, "code_challenge", challenge);
    oidc_form_add(&b, "code_challenge_method", "S256");
    return buf_steal(&b);
}

/* Returns standard base64 (with padding) of n bytes; the caller frees. */
static char *base64_std(const void *data, size_t n)
{
    char *out = xmalloc(4 * ((n + 2) / 3) + 1);

    EVP_EncodeBlock((unsigned char *)out, data, (int)n);
    return out;
}

void oidc_token_request(const struct oidc_provider *p, const struct oidc_discovery *d,
                        const char *code, const char *redirect_uri, const char *verifier,
                        struct buf *body, char **authorization)
{
    *authorization = NULL;
    oidc_form_add(body, "grant_type", "authorization_code");
    oidc_form_add(body, "code", code);
    oidc_form_add(body, "redirect_uri", redirect_uri);
    oidc_form_add(body, "code_verifier", verifier);
    oidc_form_add(body, "client_id", p->client_id);
    if (p->client_secret[0] == '\0')
        return; /* a public client: PKCE alone */
    if (d->auth_basic) {
        /* RFC 6749 section 2.3.1: both form-encoded before base64 */
        struct buf cred = BUF_INIT;
        char *b64;

        escape_into(&cred, p->client_id);
        buf_putc(&cred, ':');
        escape_into(&cred, p->client_secret);
        b64 = base64_std(cred.data, cred.len);
        OPENSSL_cleanse(cred.data, cred.len);
        buf_free(&cred);
        *authorization = xasprintf("Basic %s", b64);
        OPENSSL_cleanse(b64, strlen(b64));
        free(b64);
    } else {
        oidc_form_add(body, "client_secret", p->client_secret);
    }
}
