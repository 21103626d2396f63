/*
 * Shared libcurl helpers; see curl.h.
 */
#include "config.h"

#include <curl/curl.h>

#include "util/buf.h"
#include "util/curl.h"
#include "util/log.h"

bool curl_ready(void)
{
    static bool done;

    if (done)
        return true;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        log_error("curl_global_init failed");
        return false;
    }
    done = true;
    return true;
}

size_t curl_write_buf(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct buf *b = userdata;
    size_t n = size * nmemb;

    return buf_append(b, ptr, n) ? n : 0;
}
