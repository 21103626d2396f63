/* Fuzz target: the citation verifier on untrusted model text.  The input
 * is split at its first NUL byte (when any) into an answer and up to three
 * sources separated by \x01 bytes; the verifier must not crash, must keep
 * its output valid where its input was, must cite only sources 1..k, and
 * must be idempotent on what it keeps. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "coach/verify.h"
#include "fuzz/fuzz.h"
#include "util/buf.h"
#include "util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size + 1), *answer, *rest, *src[3];
    const char *sources[3] = {"Tier 2 provides targeted, short-term help.",
                              "Team norms are the agreements that guide a team.", ""};
    struct verify_result r, again;
    struct buf norm = BUF_INIT;
    size_t k = 2, i;

    if (copy == NULL)
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    answer = copy;
    rest = strlen(copy) < size ? copy + strlen(copy) + 1 : NULL;
    if (rest != NULL) {
        k = 0;
        while (k < 3 && rest != NULL) {
            src[k] = rest;
            rest = strchr(rest, '\x01');
            if (rest != NULL)
                *rest++ = '\0';
            sources[k] = src[k];
            k++;
        }
    }
    verify_answer(answer, sources, k, &r);
    if (r.text == NULL)
        __builtin_trap();
    for (i = 0; i < r.ncites; i++)
        if (r.cites[i].n < 1 || (size_t)r.cites[i].n > k || r.cites[i].quote == NULL)
            __builtin_trap();
    if (utf8_valid(answer, strlen(answer)) && !utf8_valid(r.text, strlen(r.text)))
        __builtin_trap();
    verify_answer(r.text, sources, k, &again);
    for (i = 0; i < again.ncites; i++)
        if (again.cites[i].n < 1 || (size_t)again.cites[i].n > k)
            __builtin_trap();
    verify_result_free(&again);
    verify_result_free(&r);
    verify_normalise(&norm, answer, strlen(answer));
    buf_free(&norm);
    free(copy);
    return 0;
}
