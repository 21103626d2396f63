/* EXPERIMENT (rank25): page- and section-level evidence; see search_units.c. */
#ifndef PLC_LIBRARY_SEARCH_UNITS_H
#define PLC_LIBRARY_SEARCH_UNITS_H

#include <stdbool.h>
#include <stddef.h>

struct db;
struct search_result;
struct search_tuning;

bool search_units_fuse(struct db *db, struct search_result *res, size_t n,
                       const struct search_tuning *t);

#endif
