/*
 * The translation table of query expansion (src/library/README.md,
 * "Translations"): for a question's analysed stem q, book words w with
 * p(w | q), learned from teachers' questions and the pages they expect by
 * eval/trans_model.py (docs/performance.md, "trans28") and compiled in
 * (trans_model.c, generated: do not edit it by hand; the table only).
 * Looked up by trans_lookup() (trans.h, hand-written).
 */
#ifndef PLC_LIBRARY_TRANS_MODEL_H
#define PLC_LIBRARY_TRANS_MODEL_H

#include <stddef.h>

struct trans_entry {
    const char *q; /* a question's analysed stem */
    const char *w; /* a book word's analysed stem, never q */
    double p;      /* p(w | q), 0..1; a q's entries sum to at most 1 */
};

/* Sorted by q (strcmp), then p descending; static storage. */
extern const struct trans_entry trans_model[];
extern const size_t trans_model_n;

#endif
