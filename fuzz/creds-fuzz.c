/* Fuzz target: the credentials documents of the ECS endpoint and EC2
 * instance metadata (creds_parse_json), untrusted bytes from the network.
 * Accepted documents must yield non-empty printable keys; refused ones must
 * say why and leave nothing allocated.  The same bytes are also tried as an
 * Expiration time. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "storage/creds.h"
#include "util/alloc.h"

static void printable(const char *s)
{
    if (s == NULL || s[0] == '\0')
        __builtin_trap();
    for (; *s; s++)
        if ((unsigned char)*s < 0x21 || (unsigned char)*s > 0x7e)
            __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sigv4_creds c;
    char err[256] = "", *s;
    int64_t exp = -1, t;

    if (creds_parse_json((const char *)data, size, &c, &exp, err, sizeof(err))) {
        printable(c.access_key_id);
        printable(c.secret_access_key);
        if (c.session_token != NULL)
            printable(c.session_token);
        creds_clear(&c);
        if (c.access_key_id != NULL || c.secret_access_key != NULL)
            __builtin_trap();
    } else {
        if (err[0] == '\0' || exp != 0 || c.access_key_id != NULL || c.secret_access_key != NULL
            || c.session_token != NULL)
            __builtin_trap();
    }
    s = xstrndup((const char *)data, size);
    if (creds_parse_time(s, &t) && strlen(s) < 20)
        __builtin_trap(); /* nothing shorter than YYYY-MM-DDTHH:MM:SSZ */
    free(s);
    return 0;
}
