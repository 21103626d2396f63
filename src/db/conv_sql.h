/*
 * SQL fragments shared by conversations.c, feedback.c, shares.c,
 * exports.c and citepage.c (not a public interface): timestamps as the
 * API writes them, keyset positions as integers, what a share shows, and
 * the JSON that PostgreSQL builds for a message and for the caller's
 * feedback on it.
 */
#ifndef PLC_DB_CONV_SQL_H
#define PLC_DB_CONV_SQL_H

#include "db/sql.h" /* SQL_TS */

/* A timestamptz as exact microseconds since the epoch (extract() is
 * numeric since PostgreSQL 14, so nothing is rounded), and back: interval
 * * number goes through a double, so whole seconds and microseconds are
 * added separately, each product exact. */
#define SQL_USEC(col) "(extract(epoch FROM " col ") * 1000000)::bigint"
#define SQL_FROM_USEC(param)                                                                       \
    "('epoch'::timestamptz + (" param "::bigint / 1000000) * interval '1 second' + (" param        \
    "::bigint % 1000000) * interval '1 microsecond')"

/* Whether share s shows message m: a live share every message, a
 * snapshot those written until it was made (sql/065_live_shares.sql). */
#define SQL_SHARE_SHOWS(s, m) "(" s ".live OR " m ".created_at <= " s ".created_at)"

/* The caller's feedback on an answer (f: a feedback row): the fields, and
 * the object. */
/* clang-format off */
#define SQL_FEEDBACK_FIELDS(f)                                                                     \
    "'rating', CASE " f ".rating WHEN 1 THEN 'up' ELSE 'down' END, "                               \
    "'reasons', to_json(" f ".reasons), 'comment', " f ".comment, "                                \
    "'flagged', " f ".flagged, "                                                                   \
    "'resolved_at', " SQL_TS(f ".resolved_at") ", "                                                \
    "'resolution_note', " f ".resolution_note, "                                                   \
    "'created_at', " SQL_TS(f ".created_at") ", "                                                  \
    "'updated_at', " SQL_TS(f ".updated_at")
/* clang-format on */
#define SQL_FEEDBACK_JSON(f) "json_build_object(" SQL_FEEDBACK_FIELDS(f) ")"

/* One message (m: a messages row), without feedback. */
#define SQL_MESSAGE_JSON(m)                                                                        \
    "json_build_object('id', " m ".id, 'role', " m ".role, 'content', " m ".content, "             \
    "'citations', " m ".citations, 'domains', to_json(" m ".domains), "                            \
    "'mode', " m ".mode, 'model', " m ".model, 'grounded', " m ".grounded, "                       \
    "'prompt_tokens', " m ".prompt_tokens, 'completion_tokens', " m ".completion_tokens, "         \
    "'ttft_ms', " m ".ttft_ms, 'total_ms', " m ".total_ms, "                                       \
    "'type', " m ".kind, 'clarification', " m ".clarification, "                                   \
    "'error_code', " m ".error_code, "                                                             \
    "'created_at', " SQL_TS(m ".created_at") ")"

#endif
