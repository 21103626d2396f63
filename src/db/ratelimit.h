/*
 * Rolling-window rate limits kept in PostgreSQL, so that a limit holds
 * across every ECS task.  Each allowed action leaves a row in rate_events;
 * a per-(user, bucket) advisory lock makes check-and-record atomic even
 * when one user's requests land on several tasks at once.
 */
#ifndef PLC_DB_RATELIMIT_H
#define PLC_DB_RATELIMIT_H

#include <stdbool.h>

struct db;

enum ratelimit_result { RATE_OK, RATE_LIMITED, RATE_ERROR };

/* Records one action in bucket for user_id when fewer than limit were
 * recorded in the last window_s seconds.  On RATE_LIMITED, *retry_after is
 * the number of seconds until one more is allowed (at least 1). */
enum ratelimit_result ratelimit_take(struct db *db, const char *user_id, const char *bucket,
                                     long limit, long window_s, long *retry_after)
    __attribute__((nonnull));

/* ratelimit_take() for a text key (1-200 bytes) instead of a user: a
 * client address, a session cookie's digest, an email
 * (sql/011_keyed_limits.sql). */
enum ratelimit_result ratelimit_take_key(struct db *db, const char *key, long limit, long window_s,
                                         long *retry_after) __attribute__((nonnull));

/* Whether the library holds a passage (*has), and when it does and take
 * is true, the coach's hourly limit (limit questions) taken for user_id
 * in the same round trip: an empty library takes nothing.  RATE_OK when
 * nothing was to be taken. */
enum ratelimit_result ratelimit_coach_library_take(struct db *db, const char *user_id, long limit,
                                                   bool take, bool *has, long *retry_after)
    __attribute__((nonnull));

#endif
