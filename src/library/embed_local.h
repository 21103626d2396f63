/*
 * Internals of the local embedder, exposed for the unit tests.
 * embed_local() itself is declared in embed.h.
 */
#ifndef PLC_LIBRARY_EMBED_LOCAL_H
#define PLC_LIBRARY_EMBED_LOCAL_H

#include <stdbool.h>
#include <stddef.h>

/* Returns true when w (lower case) is on the stop-word list. */
bool embed_local_stop_word(const char *w) __attribute__((nonnull));

/* Stems the lower-case word w of len bytes in place (light suffix
 * stripping; see embed_local.c) and returns its new length. */
size_t embed_local_stem(char *w, size_t len) __attribute__((nonnull));

#endif
