/*
 * The shared table of questions being answered; see inflight.h.
 *
 * An entry is claimed by a process (owner != 0) for that process's life;
 * its state says whether a question is noted.  The table and its entries
 * are owned by the mapping: the master maps it once and unmaps it at
 * exit, and forked processes inherit it.
 */
#include "config.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/inflight.h"

enum {
    ENTRY_FREE,      /* no owner */
    ENTRY_IDLE,      /* owned, no question noted */
    ENTRY_HELD,      /* owned, id is the question being answered */
    ENTRY_ORPHAN,    /* the owner died while answering id */
    ENTRY_RELEASING, /* a worker took the orphan and is releasing it */
};

struct entry {
    int owner; /* pid, 0 when free */
    int state;
    char id[INFLIGHT_ID_LEN + 1];
};

struct table {
    int orphans; /* entries in ENTRY_ORPHAN: lets workers skip the scan */
    size_t n;
    struct entry e[];
};

static struct table *table;
static size_t table_bytes;
static int mine = -1; /* this process's entry, once claimed */
static pid_t mine_pid;

#define LOAD(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)

bool inflight_init(size_t n)
{
    size_t bytes = sizeof(struct table) + n * sizeof(struct entry);
    void *p;

    if (table != NULL || n == 0)
        return table != NULL;
    p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return false;
    table = p; /* zero-filled: every entry free */
    table->n = n;
    table_bytes = bytes;
    return true;
}

void inflight_shutdown(void)
{
    if (table != NULL)
        munmap(table, table_bytes);
    table = NULL;
    mine = -1;
}

/* This process's entry, claimed on first use; -1 when the table is full.
 * A forked child inherits the parent's static: the pid tells them apart. */
static int claim(void)
{
    pid_t pid = getpid();
    size_t i;

    if (mine >= 0 && mine_pid == pid)
        return mine;
    mine = -1;
    for (i = 0; i < table->n; i++) {
        int expected = 0;
        if (__atomic_compare_exchange_n(&table->e[i].owner, &expected, (int)pid, false,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            STORE(&table->e[i].state, ENTRY_IDLE);
            mine = (int)i;
            mine_pid = pid;
            break;
        }
    }
    return mine;
}

void inflight_set(const char *id)
{
    struct entry *e;
    int i;

    if (table == NULL || strlen(id) != INFLIGHT_ID_LEN || (i = claim()) < 0)
        return;
    e = &table->e[i];
    STORE(&e->state, ENTRY_IDLE);
    memcpy(e->id, id, INFLIGHT_ID_LEN + 1);
    STORE(&e->state, ENTRY_HELD);
}

void inflight_clear(void)
{
    if (table != NULL && mine >= 0 && mine_pid == getpid())
        STORE(&table->e[mine].state, ENTRY_IDLE);
}

bool inflight_reaped(pid_t pid)
{
    size_t i;

    if (table == NULL || pid <= 0)
        return false;
    for (i = 0; i < table->n; i++) {
        struct entry *e = &table->e[i];
        int state;

        /* An orphan keeps its dead owner's pid, which a new process may
         * have been given since: only a live owner's entry matches. */
        if (LOAD(&e->owner) != (int)pid)
            continue;
        state = LOAD(&e->state);
        if (state != ENTRY_IDLE && state != ENTRY_HELD)
            continue;
        if (state == ENTRY_HELD) {
            STORE(&e->state, ENTRY_ORPHAN);
            __atomic_add_fetch(&table->orphans, 1, __ATOMIC_ACQ_REL);
            return true;
        }
        STORE(&e->state, ENTRY_FREE);
        STORE(&e->owner, 0);
        return false;
    }
    return false;
}

int inflight_take(size_t *cursor, char *id)
{
    size_t i;

    if (table == NULL || LOAD(&table->orphans) <= 0)
        return -1;
    for (i = *cursor; i < table->n; i++) {
        int expected = ENTRY_ORPHAN;
        if (__atomic_compare_exchange_n(&table->e[i].state, &expected, ENTRY_RELEASING, false,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            __atomic_sub_fetch(&table->orphans, 1, __ATOMIC_ACQ_REL);
            memcpy(id, table->e[i].id, INFLIGHT_ID_LEN + 1);
            *cursor = i + 1;
            return (int)i;
        }
    }
    *cursor = table->n;
    return -1;
}

void inflight_done(int i, bool released)
{
    struct entry *e;

    if (table == NULL || i < 0 || (size_t)i >= table->n)
        return;
    e = &table->e[i];
    if (!released) {
        __atomic_add_fetch(&table->orphans, 1, __ATOMIC_ACQ_REL);
        STORE(&e->state, ENTRY_ORPHAN);
        return;
    }
    STORE(&e->state, ENTRY_FREE);
    STORE(&e->owner, 0);
}
