/*
 * Helper servers for C tests: a python3 script from the source tree that
 * prints the port it listens on as its first line of output (the model
 * stand-in t/model/stub.py, the embeddings stand-in
 * t/library/embed-server.py).
 */
#ifndef TAP_SERVER_H
#define TAP_SERVER_H

#include <sys/types.h>

struct tap_server {
    pid_t pid; /* 0 when not running */
    int port;
};

/* Starts python3 on script (a path below the source tree) and reads its
 * port; calls skip_all() naming what when it does not come up. */
void tap_server_start(struct tap_server *s, const char *script, const char *what);

/* Stops it (SIGTERM, then waits); does nothing when it is not running. */
void tap_server_stop(struct tap_server *s);

#endif
