/*
 * The PLC acronym and synonym list; see synonyms.h.  Keep entries lower
 * case; add a line here when the starter library or the dev set shows a
 * term teachers abbreviate.
 */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "library/synonyms.h"
#include "util/buf.h"

const struct synonym synonyms[] = {
    {"plc", "professional learning community"},
    {"plcs", "professional learning communities"},
    {"cfa", "common formative assessment"},
    {"cfas", "common formative assessments"},
    {"rti", "response to intervention"},
    {"mtss", "multi tiered system of supports"},
    {"gvc", "guaranteed and viable curriculum"},
    {"smart", "specific measurable attainable results oriented time bound"},
    {"sel", "social emotional learning"},
    {"pd", "professional development"},
    {"iep", "individualized education program"},
    {"ell", "english language learner"},
    {"ells", "english language learners"},
    {"el", "english learner"},
    {"sped", "special education"},
    {"pbis", "positive behavioral interventions and supports"},
    {"dok", "depth of knowledge"},
    {"ela", "english language arts"},
    {"stem", "science technology engineering and mathematics"},
    {"sme", "subject matter expert"},
    {"kpi", "key performance indicator"},
    {"ccss", "common core state standards"},
    {"ilt", "instructional leadership team"},
    {"glt", "guiding leadership team"},
};
const size_t synonyms_count = sizeof(synonyms) / sizeof(synonyms[0]);

static bool word_byte(unsigned char c)
{
    return isalnum(c) || c >= 0x80;
}

const struct synonym *synonym_by_abbrev(const char *w, size_t n)
{
    size_t i, j;

    for (i = 0; i < synonyms_count; i++) {
        const char *a = synonyms[i].abbrev;
        if (strlen(a) != n)
            continue;
        for (j = 0; j < n; j++)
            if (tolower((unsigned char)w[j]) != a[j])
                break;
        if (j == n)
            return &synonyms[i];
    }
    return NULL;
}

/* Appends the lower-cased words of text to out, one space between each
 * (and one before each unless out is empty). */
static void lower_words(const char *text, struct buf *out)
{
    const unsigned char *p = (const unsigned char *)text;

    while (*p != '\0') {
        while (*p != '\0' && !word_byte(*p))
            p++;
        if (*p == '\0')
            break;
        if (out->len > 0)
            buf_putc(out, ' ');
        while (word_byte(*p))
            buf_putc(out, (char)tolower(*p++));
    }
}

/* Returns true when the phrase occurs in words (space-separated, lower
 * case, as built by lower_words) on word boundaries. */
static bool has_phrase(const char *words, const char *phrase)
{
    size_t n = strlen(phrase);
    const char *p = words;

    while ((p = strstr(p, phrase)) != NULL) {
        if ((p == words || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
            return true;
        p++;
    }
    return false;
}

/* Returns true when the word occurs in words on word boundaries. */
static bool has_word(const char *words, const char *word)
{
    return has_phrase(words, word);
}

void synonyms_each(const char *text, synonyms_fn fn, void *ctx)
{
    struct buf words = BUF_INIT;
    size_t i;

    lower_words(text, &words);
    for (i = 0; i < synonyms_count; i++) {
        if (has_word(buf_str(&words), synonyms[i].abbrev))
            fn(ctx, synonyms[i].phrase, synonyms[i].abbrev);
        else if (has_phrase(buf_str(&words), synonyms[i].phrase))
            fn(ctx, synonyms[i].abbrev, synonyms[i].phrase);
    }
    buf_free(&words);
}

/* synonyms_each() callback of synonyms_expand_text(). */
static void append_expansion(void *ctx, const char *expansion, const char *source)
{
    struct buf *out = ctx;

    (void)source;
    if (out->len > 0)
        buf_putc(out, ' ');
    buf_puts(out, expansion);
}

void synonyms_expand_text(const char *text, struct buf *out)
{
    lower_words(text, out);
    synonyms_each(text, append_expansion, out);
}

bool synonyms_fts_query(const char *question, struct buf *out)
{
    struct buf words = BUF_INIT;
    const char *p, *w;
    bool any = false;
    size_t i;

    lower_words(question, &words);
    if (words.len == 0) {
        buf_free(&words);
        return false;
    }
    /* Each word, ORed; "or", "and" and "not" would be read as operators
     * (or nothing), and to_tsquery drops stop words anyway. */
    for (p = buf_str(&words); *p != '\0';) {
        size_t n;
        w = p;
        while (*p != '\0' && *p != ' ')
            p++;
        n = (size_t)(p - w);
        if (*p == ' ')
            p++;
        if ((n == 2 && strncmp(w, "or", 2) == 0) || (n == 3 && strncmp(w, "and", 3) == 0)
            || (n == 3 && strncmp(w, "not", 3) == 0))
            continue;
        buf_puts(out, any ? " or " : "");
        buf_append(out, w, n);
        any = true;
    }
    for (i = 0; i < synonyms_count; i++) {
        if (has_word(buf_str(&words), synonyms[i].abbrev)) {
            /* The phrase's words unquoted: websearch_to_tsquery ANDs them
             * (AND binds tighter than OR), which the GIN index answers
             * exactly; a quoted phrase (<->) makes PostgreSQL re-check
             * every row holding all the words, 185 ms at 100k chunks
             * when they are common but rarely adjacent.  ts_rank_cd still
             * ranks adjacent words higher. */
            buf_printf(out, "%s%s", any ? " or " : "", synonyms[i].phrase);
            any = true;
        } else if (has_phrase(buf_str(&words), synonyms[i].phrase)) {
            buf_printf(out, "%s%s", any ? " or " : "", synonyms[i].abbrev);
            any = true;
        }
    }
    buf_free(&words);
    return any;
}
