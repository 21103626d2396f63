/* Fuzz target: the WordNet readers (src/library/wordnet.c): an index line,
 * a data line and an exception line, each parsed from the input as it is. */
#include "config.h"

#include <string.h>

#include "fuzz/fuzz.h"
#include "library/wordnet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct wordnet_index_entry e;
    struct wordnet_synset s;
    struct wordnet_exc x;
    size_t i;

    if (wordnet_parse_index((const char *)data, size, &e)) {
        if (e.lemma[0] == '\0' || strlen(e.lemma) >= WORDNET_WORD_MAX || e.first_offset < 0
            || e.tagged < 0 || strchr("nvar", e.pos) == NULL || e.pos == '\0')
            __builtin_trap();
    }
    if (wordnet_parse_synset((const char *)data, size, &s)) {
        for (i = 0; i < s.nwords; i++)
            if (s.words[i][0] == '\0' || strlen(s.words[i]) >= WORDNET_WORD_MAX)
                __builtin_trap();
        for (i = 0; i < s.nptrs; i++)
            if ((s.ptrs[i].rel != WORDNET_HYPERNYM && s.ptrs[i].rel != WORDNET_HYPONYM)
                || s.ptrs[i].offset < 0)
                __builtin_trap();
        wordnet_synset_free(&s);
    } else if (s.words != NULL || s.ptrs != NULL) {
        __builtin_trap();
    }
    if (wordnet_parse_exc((const char *)data, size, &x)) {
        if (x.word[0] == '\0' || x.nbases == 0 || x.nbases > WORDNET_EXC_BASES)
            __builtin_trap();
        for (i = 0; i < x.nbases; i++)
            if (x.bases[i][0] == '\0' || strlen(x.bases[i]) >= WORDNET_WORD_MAX)
                __builtin_trap();
    }
    return 0;
}
