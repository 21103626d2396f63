/* Tests for util/sha256 against FIPS 180-2 vectors. */
#include "config.h"

#include "tap/basic.h"
#include "util/sha256.h"

int main(void)
{
    char hex[SHA256_HEX_LEN + 1];

    plan(3);
    ok(sha256_hex("", 0, hex), "hashing succeeds");
    is_string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", hex,
              "digest of the empty string");
    (void)!sha256_hex("abc", 3, hex);
    is_string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hex,
              "digest of abc");
    return 0;
}
