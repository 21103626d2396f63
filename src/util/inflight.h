/*
 * Which question each worker is answering, in memory the master and its
 * workers share, so that a worker that dies mid-answer does not leave its
 * question "being answered" until the lease (answer_by) runs out.
 *
 * The master maps the table before it forks (inflight_init).  A worker
 * notes the question it has saved (inflight_set) and forgets it when the
 * ask ends, whatever the outcome (inflight_clear).  When the master reaps
 * a process that still had a question noted, it marks that entry an
 * orphan (inflight_reaped); the next worker to look (at its start and
 * before each request) takes it (inflight_take), releases the question's
 * lease in the database, and frees the entry (inflight_done).  Without
 * inflight_init (the CLI, unit tests) every call is a no-op, and the lease
 * is what ends a question, as it still is when a whole host dies.
 *
 * The entries are updated with atomic operations only: the master and
 * each worker are single-threaded, and no entry is written by two live
 * processes at once (a worker owns its entry while it lives; the master
 * writes an entry only after reaping its owner; a taker owns it once its
 * compare-and-swap succeeds).  See docs/operations.md, "Worker deaths".
 */
#ifndef PLC_UTIL_INFLIGHT_H
#define PLC_UTIL_INFLIGHT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define INFLIGHT_ID_LEN 36 /* a UUID's text */

/* Maps a table of n entries shared with the processes forked afterwards.
 * Returns false (and the calls below stay no-ops) when mmap fails. */
bool inflight_init(size_t n);

/* Unmaps the table (the master, at exit). */
void inflight_shutdown(void);

/* Notes that this process answers question id (INFLIGHT_ID_LEN
 * characters; anything else is ignored).  No-op when the table is full. */
void inflight_set(const char *id) __attribute__((nonnull));

/* Forgets this process's question. */
void inflight_clear(void);

/* The master: pid has exited.  Its noted question, if any, becomes an
 * orphan; its entry is freed otherwise.  Returns true for an orphan. */
bool inflight_reaped(pid_t pid);

/* Takes the next orphan at or after *cursor: copies its question into id
 * (INFLIGHT_ID_LEN + 1 bytes), advances *cursor past it and returns its
 * index; returns -1 when there is none. */
int inflight_take(size_t *cursor, char *id) __attribute__((nonnull));

/* Ends a take: frees entry i when released, else makes it an orphan again
 * for a later try. */
void inflight_done(int i, bool released);

#endif
