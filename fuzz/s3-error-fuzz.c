/* Fuzz target: S3's XML error documents (s3_parse_error), untrusted bytes
 * from the network.  The Code and Message found must be NUL-terminated,
 * within their buffers and printable ASCII; an input that holds no
 * "<Code>" must not be said to have one. */
#include "config.h"

#include <string.h>

#include "fuzz/fuzz.h"
#include "storage/backend.h"

static void check(const char *s, size_t cap)
{
    size_t n = strnlen(s, cap);

    if (n == cap)
        __builtin_trap();
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
            __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char code[64], message[256];
    bool found;

    memset(code, 'x', sizeof(code));
    memset(message, 'x', sizeof(message));
    found = s3_parse_error((const char *)data, size, code, message);
    check(code, sizeof(code));
    check(message, sizeof(message));
    if (found && memmem(data, size, "<Code>", 6) == NULL)
        __builtin_trap();
    if (!found && code[0] != '\0')
        __builtin_trap();
    return 0;
}
