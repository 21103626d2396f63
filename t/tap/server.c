/*
 * Helper servers for C tests; see server.h.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap/basic.h"
#include "tap/server.h"

void tap_server_start(struct tap_server *s, const char *script, const char *what)
{
    int fd[2];
    char line[32] = "";
    FILE *f;

    s->pid = 0;
    s->port = 0;
    if (pipe(fd) != 0)
        bail("pipe");
    s->pid = fork();
    if (s->pid < 0)
        bail("fork");
    if (s->pid == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        close(fd[1]);
        execlp("python3", "python3", test_srcfile(script), (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    f = fdopen(fd[0], "r");
    if (f == NULL || fgets(line, sizeof(line), f) == NULL || (s->port = atoi(line)) <= 0) {
        tap_server_stop(s);
        skip_all("%s did not start", what);
    }
    fclose(f);
}

void tap_server_stop(struct tap_server *s)
{
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        waitpid(s->pid, NULL, 0);
        s->pid = 0;
    }
}
