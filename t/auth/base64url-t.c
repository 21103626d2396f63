/* Tests for auth/base64url: RFC 4648 and RFC 7515 vectors, the URL-safe
 * alphabet, strict refusals, round trips of every byte value. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "auth/base64url.h"
#include "tap/basic.h"

#define ALPHABET "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

/* Checks that s decodes to the len bytes at want and encodes back to s. */
static void vector(const char *s, const void *want, size_t len)
{
    size_t n = 99;
    unsigned char *got = base64url_decode(s, strlen(s), &n);
    char *enc = base64url_encode(want, len);

    ok(got != NULL && n == len && memcmp(got, want, len) == 0 && got[n] == '\0',
       "\"%s\" decodes to its %zu bytes, NUL-terminated", s, len);
    is_string(s, enc, "%zu bytes encode to \"%s\"", len, s);
    free(got);
    free(enc);
}

/* Checks that the n bytes at s are refused. */
static void refused(const char *s, size_t n, const char *why)
{
    size_t len = 99;
    unsigned char *got = base64url_decode(s, n, &len);

    ok(got == NULL && len == 0, "refused: %s", why);
    free(got);
}

int main(void)
{
    static const unsigned char rfc7515[] = {3, 236, 255, 224, 193};
    static const unsigned char urlsafe[] = {0xfb, 0xff, 0xbf};
    unsigned char all[256], *dec;
    char *enc;
    size_t i, len, n, bad = 0;

    plan(18 + 16 + 1 + 8);

    /* RFC 4648 section 10, without the padding. */
    vector("", "", 0);
    vector("Zg", "f", 1);
    vector("Zm8", "fo", 2);
    vector("Zm9v", "foo", 3);
    vector("Zm9vYg", "foob", 4);
    vector("Zm9vYmE", "fooba", 5);
    vector("Zm9vYmFy", "foobar", 6);
    /* RFC 7515 appendix C, and the two URL-safe characters. */
    vector("A-z_4ME", rfc7515, sizeof(rfc7515));
    vector("-_-_", urlsafe, sizeof(urlsafe));

    refused("Zg==", 4, "padding");
    refused("Zg=", 3, "partial padding");
    refused("Z", 1, "a length of 1 modulo 4");
    refused("Zh", 2, "non-zero unused bits (Zh is not canonical for \"f\")");
    refused("Zm9", 3, "Zm9, whose canonical form is Zm8");
    refused("Zm+v", 4, "'+' from the standard alphabet");
    refused("Zm/v", 4, "'/' from the standard alphabet");
    refused("Zm 9v", 5, "a space");
    refused("Zm9v\n", 5, "a trailing newline");
    refused("Zm\0v", 4, "an embedded NUL");
    refused("Zm9\x80", 4, "a byte above 0x7f");
    refused("Zm9.", 4, "a dot");
    refused("Zm9vZ", 5, "five characters");
    refused("A", 1, "a lone character, even one with no bits set");
    refused("Zm9vA", 5, "five characters, the last with no bits set");
    refused("AAB", 3, "three characters with non-zero unused bits");
    dec = base64url_decode("Zm9v", 0, &len);
    ok(dec != NULL && len == 0, "a length of 0 decodes to an empty buffer whatever s holds");
    free(dec);

    /* Round trips: every byte value, every length 0..256. */
    for (i = 0; i < sizeof(all); i++)
        all[i] = (unsigned char)(255 - i);
    for (n = 0; n <= sizeof(all); n++) {
        enc = base64url_encode(all, n);
        dec = base64url_decode(enc, strlen(enc), &len);
        if (dec == NULL || len != n || memcmp(dec, all, n) != 0 || strlen(enc) != (n * 4 + 2) / 3
            || strspn(enc, ALPHABET) != strlen(enc))
            bad++;
        free(enc);
        free(dec);
    }
    is_int(0, (long long)bad, "257 lengths of all byte values round-trip unpadded");
    is_int(0, (long long)base64url_decoded_len(0), "decoded length of 0 characters");
    is_int(4, (long long)base64url_decoded_len(6), "decoded length of 6 characters");

    /* The only characters accepted are the 64 of the alphabet. */
    for (i = 0, bad = 0; i < 256; i++) {
        char s[4] = {'A', 'A', 'A', (char)i};
        bool want = memchr(ALPHABET, (int)i, 64) != NULL;
        dec = base64url_decode(s, 4, &len);
        if ((dec != NULL) != want)
            bad++;
        free(dec);
    }
    is_int(0, (long long)bad, "exactly the 64 alphabet characters are accepted");
    enc = base64url_encode(NULL, 0);
    is_string("", enc, "encoding nothing gives the empty string");
    free(enc);
    dec = base64url_decode("_w", 2, &len);
    ok(dec != NULL && len == 1 && dec[0] == 0xff, "_w decodes to 0xff");
    free(dec);
    dec = base64url_decode("__8", 3, &len);
    ok(dec != NULL && len == 2 && dec[0] == 0xff && dec[1] == 0xff, "__8 decodes to ff ff");
    free(dec);
    dec = base64url_decode("__-", 3, &len);
    ok(dec == NULL, "__- is refused: its unused bits are set");
    free(dec);
    return 0;
}
