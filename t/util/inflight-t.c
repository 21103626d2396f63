/* Tests for the shared table of questions being answered (util/inflight.c)
 * with real processes: a child that dies with a question noted leaves an
 * orphan that another process takes once; one that ends it (clear) or
 * never noted one leaves none; a failed release is taken again; a new
 * process given a dead owner's pid does not free the orphan; without
 * inflight_init every call is a no-op.  The worker and master wiring is
 * t/integration/answers.sh. */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap/basic.h"
#include "util/inflight.h"

#define Q1 "11111111-2222-3333-4444-555555555555"
#define Q2 "66666666-7777-8888-9999-000000000000"

enum child_end { END_KILLED, END_CLEARED, END_NOTHING };

/* Forks a child that notes id (unless END_NOTHING), then is killed with
 * SIGKILL or clears it and exits; returns its pid once reaped. */
static pid_t child(const char *id, enum child_end how)
{
    int fds[2], status;
    char c = 0;
    pid_t pid;

    if (pipe(fds) != 0)
        bail("%s failed", "pipe");
    pid = fork();
    if (pid < 0)
        bail("%s failed", "fork");
    if (pid == 0) {
        close(fds[0]);
        if (how != END_NOTHING)
            inflight_set(id);
        if (how == END_CLEARED)
            inflight_clear();
        if (write(fds[1], "x", 1) != 1)
            _exit(2);
        if (how == END_KILLED)
            pause();
        _exit(0);
    }
    close(fds[1]);
    if (read(fds[0], &c, 1) != 1)
        bail("the child did not start");
    close(fds[0]);
    if (how == END_KILLED)
        kill(pid, SIGKILL);
    if (waitpid(pid, &status, 0) != pid)
        bail("%s failed", "waitpid");
    return pid;
}

/* Takes every orphan; returns how many, the last one's id in id. */
static int take_all(char *id)
{
    size_t cursor = 0;
    int i, n = 0;

    while ((i = inflight_take(&cursor, id)) >= 0) {
        inflight_done(i, true);
        n++;
    }
    return n;
}

int main(void)
{
    char id[INFLIGHT_ID_LEN + 1] = "";
    size_t cursor = 0;
    pid_t pid;
    int i;

    plan(16);

    /* No table: no-ops. */
    inflight_set(Q1);
    inflight_clear();
    ok(!inflight_reaped(getpid()), "without a table nothing is ever an orphan");
    is_int(-1, inflight_take(&cursor, id), "and there is nothing to take");

    ok(inflight_init(4), "the table is mapped");

    pid = child(Q1, END_KILLED);
    ok(inflight_reaped(pid), "a process killed while answering leaves an orphan");
    cursor = 0;
    i = inflight_take(&cursor, id);
    ok(i >= 0, "which another process takes");
    is_string(Q1, id, "with the question it was answering");
    cursor = 0;
    is_int(-1, inflight_take(&cursor, id), "taken once: nobody else gets it");
    inflight_done(i, false);
    cursor = 0;
    i = inflight_take(&cursor, id);
    ok(i >= 0, "a release that failed is taken again");
    inflight_done(i, true);

    pid = child(Q2, END_CLEARED);
    ok(!inflight_reaped(pid), "a process that ended its ask leaves no orphan");
    pid = child(Q2, END_NOTHING);
    ok(!inflight_reaped(pid), "nor does one that never noted a question");

    /* Entries are given back: many more processes than entries. */
    for (i = 0; i < 6; i++)
        inflight_reaped(child(Q2, END_CLEARED));
    pid = child(Q2, END_KILLED);
    ok(inflight_reaped(pid), "freed entries are claimed again by new processes");
    /* The orphan keeps its dead owner's pid: reaping that pid again (a
     * new process given it) must not free it. */
    ok(!inflight_reaped(pid), "an orphan is not freed by a later process with the same pid");
    is_int(1, take_all(id), "it is still there to take");
    is_string(Q2, id, "with its question");

    inflight_set("not-a-uuid");
    ok(!inflight_reaped(getpid()), "an id that is not a UUID is not noted");
    inflight_shutdown();
    cursor = 0;
    is_int(-1, inflight_take(&cursor, id), "after shutdown nothing is taken");
    return 0;
}
