/*
 * Listening sockets; see listen.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "server/listen.h"
#include "util/alloc.h"
#include "util/log.h"

#define BACKLOG 1024

const char *listen_unix_path(const char *spec)
{
    return strncmp(spec, "unix:", 5) == 0 ? spec + 5 : NULL;
}

static bool set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL);

    return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

/* Returns true when something accepts connections at path. */
static bool unix_socket_alive(const struct sockaddr_un *sa)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    bool alive;

    if (fd < 0)
        return false;
    alive = connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0;
    close(fd);
    return alive;
}

static int open_unix(const char *path, int mode)
{
    struct sockaddr_un sa;
    struct stat st;
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path) || path[0] == '\0') {
        log_error("listen: unix socket path is empty or too long: %s", path);
        return -1;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    memcpy(sa.sun_path, path, strlen(path));
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            log_error("listen: %s exists and is not a socket", path);
            return -1;
        }
        if (unix_socket_alive(&sa)) {
            log_error("listen: another server is already listening on %s", path);
            return -1;
        }
        unlink(path);
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        log_error("listen: socket: %s", strerror(errno));
        return -1;
    }
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || chmod(path, (mode_t)mode) != 0
        || listen(fd, BACKLOG) != 0) {
        log_error("listen: %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static int open_tcp(const char *spec)
{
    struct addrinfo hints, *res = NULL, *ai;
    const char *colon = strrchr(spec, ':');
    char *host;
    int fd = -1, rc, one = 1;

    if (colon == NULL || colon[1] == '\0') {
        log_error("listen: expected unix:PATH or HOST:PORT, got %s", spec);
        return -1;
    }
    host = xstrndup(spec, (size_t)(colon - spec));
    if (host[0] == '[' && host[strlen(host) - 1] == ']') {
        memmove(host, host + 1, strlen(host));
        host[strlen(host) - 1] = '\0';
    }
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    rc = getaddrinfo(host[0] ? host : NULL, colon + 1, &hints, &res);
    free(host);
    if (rc != 0) {
        log_error("listen: %s: %s", spec, gai_strerror(rc));
        return -1;
    }
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0)
            continue;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, BACKLOG) == 0)
            break;
        close(fd);
        fd = -1;
    }
    if (fd < 0)
        log_error("listen: cannot listen on %s: %s", spec, strerror(errno));
    freeaddrinfo(res);
    return fd;
}

int listen_open(const char *spec, int mode)
{
    const char *path = listen_unix_path(spec);
    int fd = path != NULL ? open_unix(path, mode) : open_tcp(spec);

    if (fd >= 0 && !set_nonblocking(fd)) {
        log_error("listen: fcntl: %s", strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

bool listen_is_socket(int fd)
{
    int type = 0, acc = 0;
    socklen_t len = sizeof(type);

    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_STREAM)
        return false;
    len = sizeof(acc);
    return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &acc, &len) == 0 && acc != 0;
}

bool listen_prepare_inherited(int fd)
{
    if (!set_nonblocking(fd)) {
        log_error("listen: fcntl on inherited socket: %s", strerror(errno));
        return false;
    }
    return true;
}
