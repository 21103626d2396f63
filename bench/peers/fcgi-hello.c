/*
 * bench/peers/fcgi-hello.c - the bare libfcgi peer of bench/peers/run.sh:
 * the textbook FCGX_Accept_r loop answering every request with the same
 * small JSON document and the headers GET /health/live sends (type,
 * length, Cache-Control), so the two differ only in what the worker does.
 * Run under spawn-fcgi, which passes the listening socket as fd 0.
 *
 *   cc -O2 -o fcgi-hello fcgi-hello.c -lfcgi
 */
#include <fcgiapp.h>

int main(void)
{
    static const char body[] = "{\"status\":\"ok\",\"version\":\"peer\"}";
    FCGX_Request req;

    if (FCGX_Init() != 0)
        return 1;
    FCGX_InitRequest(&req, 0, 0);
    while (FCGX_Accept_r(&req) == 0) {
        FCGX_FPrintF(req.out,
                     "Status: 200 OK\r\nContent-Type: application/json\r\n"
                     "Cache-Control: no-store\r\nContent-Length: %d\r\n\r\n%s",
                     (int)sizeof(body) - 1, body);
        FCGX_Finish_r(&req);
    }
    return 0;
}
