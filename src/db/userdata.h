/*
 * A person's data (issue 14, docs/privacy.md): what their data export
 * reads, erasure, retention, and the stored files these leave to delete.
 *
 *  - The export reads everything about one person from one snapshot
 *    (REPEATABLE READ, begun by userdata_begin) as JSON documents that
 *    PostgreSQL builds, and records the disclosure in the audit log in the
 *    same transaction (userdata_commit).
 *  - Erasure deletes the person and everything that is theirs in one
 *    transaction, replaces them in the audit log by a random erasure id
 *    and records the erasure under that id.
 *  - Retention deletes conversations last changed before a cut-off, in
 *    batches, each with its audit row.
 *  - Files whose rows these delete are queued in storage_deletions in the
 *    same transaction (sql/056_data_rights.sql) for src/jobs/lifecycle.c.
 */
#ifndef PLC_DB_USERDATA_H
#define PLC_DB_USERDATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/status.h"
#include "util/arena.h"

struct db;

/* The documents of an export (JSON text in the caller's arena). */
struct userdata {
    const char *
        profile; /* {id, email, name, role, organization, ..., sign_in_accounts, teams, sessions} */
    const char *feedback; /* [...] every rating the person gave */
    const char *shares;   /* [...] the share links they made (never the tokens) */
    const char *audit;    /* [...] audit entries by or about them */
    const char *usage;    /* [...] their daily usage counts */
    size_t nconversations;
    const char **conversation_ids; /* oldest first */
};

/* One conversation as exported. */
struct userdata_conversation {
    const char *id, *title, *created_at; /* created_at: ISO 8601 UTC */
    const char *json; /* {id, title, created_at, updated_at, archived_at, messages: [...]} */
};

/* Starts the export's snapshot.  Returns DB_OK or DB_ERROR (logged); db_rollback()
 * ends it without recording anything. */
enum db_status userdata_begin(struct db *db) __attribute__((nonnull));

/* Reads the documents of user_id (the snapshot must be begun).  Returns
 * DB_OK, DB_NOT_FOUND (no such user) or DB_ERROR; strings in a. */
enum db_status userdata_read(struct db *db, struct arena *a, const char *user_id,
                             struct userdata *out) __attribute__((nonnull));

/* Reads one of user_id's conversations with its messages and the
 * person's feedback on them.  DB_OK, DB_NOT_FOUND or DB_ERROR. */
enum db_status userdata_conversation(struct db *db, struct arena *a, const char *user_id,
                                     const char *conv_id, struct userdata_conversation *out)
    __attribute__((nonnull));

/* Records the disclosure of user_id's data to actor_id (address ip, may
 * be NULL) as user.export (detail: who asked, how many conversations and
 * bytes) and commits the snapshot.  Returns DB_OK, or DB_ERROR (logged;
 * rolled back) when either failed: the export must then not be sent. */
enum db_status userdata_commit(struct db *db, const char *user_id, const char *actor_id,
                               const char *ip, size_t conversations, size_t bytes)
    __attribute__((nonnull(1, 2, 3)));

/* What an erasure deleted. */
struct erase_counts {
    int64_t conversations, messages, feedback, shares, sessions, identities, exports;
};

/* Erases user_id: their conversations, messages, feedback, shares,
 * sessions, sign-in accounts, team places, usage rows (their part of the
 * organizations' rollups too) and exports (files queued for deletion),
 * and the sign-in failures recorded under their email.  In the audit log,
 * entries by them lose actor and address and entries about them name the
 * erasure id instead; user.erase (actor actor_id or NULL, via "api" or
 * "cli", the counts) is recorded under the erasure id.  One transaction.
 * On DB_OK fills erasure_id (a random UUID) and *counts;
 * DB_NOT_FOUND or DB_ERROR (nothing changed). */
enum db_status userdata_erase(struct db *db, const char *user_id, const char *actor_id,
                              const char *ip, const char *via, char erasure_id[37],
                              struct erase_counts *counts) __attribute__((nonnull(1, 2, 5, 6, 7)));

/* Deletes at most limit conversations last changed more than days days
 * ago (oldest first, skipping any another transaction holds), queues
 * their export files, and records retention.delete with the counts in
 * the same transaction.  *conversations and *messages receive what was
 * deleted (0 when nothing was old enough).  Returns DB_ERROR (logged) on a
 * database error. */
enum db_status userdata_retention_batch(struct db *db, int64_t days, int64_t limit,
                                        int64_t *conversations, int64_t *messages)
    __attribute__((nonnull, warn_unused_result));

/* A stored file waiting to be deleted. */
struct pending_file {
    int64_t id;
    const char *store; /* "content" or "exports" */
    const char *key;
};

/* Reads at most limit queued files, fewest attempts first (strings in
 * a).  Returns DB_ERROR (logged) on a database error. */
enum db_status deletions_pending(struct db *db, struct arena *a, size_t limit,
                                 struct pending_file **out, size_t *n)
    __attribute__((nonnull, warn_unused_result));

/* Forgets a queued file once deleted (done), or counts a failed attempt.
 * Returns DB_OK, or DB_ERROR (logged). */
enum db_status deletions_done(struct db *db, int64_t id, bool done)
    __attribute__((nonnull, warn_unused_result));

/* Claims the daily task name: true in *claimed when it last ran more than
 * every_s seconds ago (or never) and this caller is the one that moved
 * its time.  Returns DB_ERROR (logged) on a database error. */
enum db_status maintenance_claim(struct db *db, const char *name, int64_t every_s, bool *claimed)
    __attribute__((nonnull, warn_unused_result));

#endif
