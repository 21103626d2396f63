/*
 * The seven knowledge domains' names: the one table of them, a name's
 * index, and a set of them (bit i = domain i) as a PostgreSQL array
 * literal.  Below every layer that names domains: the library tags
 * passages with them (library/domains.h, which includes this), db/ saves
 * an answer's.
 */
#ifndef PLC_UTIL_DOMAIN_H
#define PLC_UTIL_DOMAIN_H

#include <stdbool.h>
#include <stddef.h>

#define DOMAIN_COUNT 7
#define DOMAIN_ALL ((1u << DOMAIN_COUNT) - 1)

/* The domains' names, in order (bit i of a set is domain_names[i]), then
 * NULL: the one list of them. */
extern const char *const domain_names[DOMAIN_COUNT + 1];

/* Returns the name of domain i ("assessment", ...), or NULL past the end. */
const char *domain_name(size_t i);

/* Finds a domain by name; returns false when there is none. */
bool domain_parse(const char *name, size_t *out) __attribute__((nonnull));

/* Writes the set as a PostgreSQL array literal ("{assessment,leadership}")
 * into out (at least 128 bytes). */
void domains_pg_array(unsigned set, char *out, size_t len) __attribute__((nonnull));

#endif
