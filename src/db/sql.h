/*
 * SQL fragments shared by the db modules.
 */
#ifndef PLC_DB_SQL_H
#define PLC_DB_SQL_H

/* A timestamptz column as ISO 8601 UTC to the second ("...T...Z"). */
#define SQL_TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* The same to the millisecond (the audit log's order within a second). */
#define SQL_TS_MS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

#endif
