/*
 * The FastCGI listening socket: opened by the master before it forks, or
 * inherited on fd 0 from spawn-fcgi.
 */
#ifndef PLC_SERVER_LISTEN_H
#define PLC_SERVER_LISTEN_H

#include <stdbool.h>

/* Opens "unix:PATH" (mode applied to the socket file; a stale socket file
 * with no server behind it is replaced) or "HOST:PORT".  The socket is
 * non-blocking: workers poll it and compete to accept.  Returns the fd,
 * or -1 after logging why. */
int listen_open(const char *spec, int mode) __attribute__((nonnull));

/* Returns true when fd is a listening stream socket (spawn-fcgi's fd 0). */
bool listen_is_socket(int fd);

/* Makes an inherited listening fd non-blocking.  Returns false on error. */
bool listen_prepare_inherited(int fd);

/* Returns the filesystem path of a "unix:PATH" spec, or NULL. */
const char *listen_unix_path(const char *spec) __attribute__((nonnull));

#endif
