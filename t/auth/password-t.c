/* Tests for auth/password (scrypt) and auth/token. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "auth/password.h"
#include "auth/token.h"
#include "tap/basic.h"

int main(void)
{
    char *h1, *h2, *tampered;
    char t1[TOKEN_LEN + 1], t2[TOKEN_LEN + 1], d[SHA256_HEX_LEN + 1];

    plan(22);

    /* A low cost keeps the test fast; the format is the same. */
    h1 = password_hash("correct horse battery", 10);
    h2 = password_hash("correct horse battery", 10);
    ok(h1 != NULL && strncmp(h1, "$scrypt$ln=10,r=8,p=1$", 22) == 0, "hash has the scrypt format");
    ok(h1 && h2 && strcmp(h1, h2) != 0, "two hashes of one password differ (random salt)");
    ok(password_verify("correct horse battery", h1), "the right password verifies");
    ok(!password_verify("correct horse batterY", h1), "a wrong password does not");
    ok(!password_verify("", h1), "the empty password does not");
    tampered = strdup(h1);
    tampered[strlen(tampered) - 1] = tampered[strlen(tampered) - 1] == '0' ? '1' : '0';
    ok(!password_verify("correct horse battery", tampered), "a tampered hash never matches");
    free(tampered);
    ok(!password_verify("x", "$scrypt$ln=30,r=8,p=1$00$00"), "absurd cost parameters refused");
    ok(!password_verify("x", "plaintext"), "a non-scrypt string never matches");
    ok(!password_verify("x", "$scrypt$ln=10,r=8,p=1$zz$zz"), "non-hex salt refused");
    ok(!password_verify("x", ""), "an empty stored hash never matches");
    {
        char *long_pw = malloc(PASSWORD_MAX + 2);
        memset(long_pw, 'a', PASSWORD_MAX + 1);
        long_pw[PASSWORD_MAX + 1] = '\0';
        ok(!password_verify(long_pw, h1), "an over-long password is refused before hashing");
        ok(password_policy(long_pw, strlen(long_pw)) != NULL, "and by the policy");
        free(long_pw);
    }
    ok(password_policy("short", 5) != NULL, "a short password fails the policy");
    ok(password_policy("long enough pw", 14) == NULL, "a 14-character password passes");
    ok(password_policy("bad\xff utf8 pw", 12) != NULL, "invalid UTF-8 fails the policy");
    free(h1);
    free(h2);

    ok(token_new(t1) && token_new(t2), "tokens are generated");
    ok(token_well_formed(t1) && strlen(t1) == TOKEN_LEN, "a token is 64 hex digits");
    ok(strcmp(t1, t2) != 0, "two tokens differ");
    ok(!token_well_formed("ABC") && !token_well_formed(""), "malformed tokens refused");
    ok(token_digest("abc", d)
           && strcmp(d, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0,
       "the stored form is the SHA-256 of the token");
    ok(token_equal(t1, t1) && !token_equal(t1, t2), "constant-time comparison compares");
    ok(!token_equal("abc", "abcd"), "different lengths are unequal");
    return 0;
}
