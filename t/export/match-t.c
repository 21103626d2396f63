/* Tests for export/match: finding a quoted passage on a page's text
 * whatever the line breaks, hyphenation, case, ligatures and accents; a
 * quote that starts or ends on the page; pieces around an ellipsis; byte
 * and character offsets; and nothing found where nothing matches. */
#include "config.h"

#include <string.h>

#include "export/match.h"
#include "tap/basic.h"

/* The text a range covers, in buf. */
static const char *cut(const char *text, const struct match_range *r, char *buf, size_t len)
{
    size_t n = r->byte_end - r->byte_start;

    if (n >= len)
        n = len - 1;
    memcpy(buf, text + r->byte_start, n);
    buf[n] = '\0';
    return buf;
}

int main(void)
{
    struct match_range r[MATCH_MAX_RANGES];
    char b[512];
    const char *page = "Learning Together\n"
                       "Teams meet weekly. A common formative assess-\n"
                       "ment tells the team which students need\n"
                       "more time. The \xEF\xAC\x81rst step is caf\xC3\xA9 talk.\n"
                       "Essential standards keep the curriculum\n"
                       "guaranteed and viable for every";

    plan(17);
    is_int(1,
           (long long)match_passage(page, strlen(page),
                                    "A common formative assessment tells the team which "
                                    "students need more time.",
                                    r, MATCH_MAX_RANGES),
           "a sentence broken over lines and hyphenated is found");
    is_string("A common formative assess-\nment tells the team which students need\nmore time",
              cut(page, &r[0], b, sizeof(b)), "from its first letter to its last");
    is_int(1, (long long)match_passage(page, strlen(page), "THE FIRST STEP IS CAFE TALK", r, 8),
           "case, a ligature and an accent do not matter");
    is_string("The \xEF\xAC\x81rst step is caf\xC3\xA9 talk", cut(page, &r[0], b, sizeof(b)),
              "the range covers the ligature and the accented letter whole");
    is_int(1,
           (long long)match_passage(page, strlen(page),
                                    "Essential standards keep the curriculum guaranteed and "
                                    "viable for every student, and the team checks it.",
                                    r, 8),
           "a quote that runs onto the next page");
    is_string("Essential standards keep the curriculum\nguaranteed and viable for every",
              cut(page, &r[0], b, sizeof(b)), "is found up to the page's end");
    is_int(1,
           (long long)match_passage(page, strlen(page),
                                    "so the principal said the first step is cafe talk.", r, 8),
           "a quote that began on the page before");
    is_string("The \xEF\xAC\x81rst step is caf\xC3\xA9 talk", cut(page, &r[0], b, sizeof(b)),
              "is found from where it is on the page");
    is_int(2,
           (long long)match_passage(page, strlen(page),
                                    "Teams meet weekly \xE2\x80\xA6 more time. The first step", r,
                                    8),
           "pieces around an ellipsis are found one by one");
    is_string("Teams meet weekly", cut(page, &r[0], b, sizeof(b)), "the first piece");
    is_int(0,
           (long long)match_passage(page, strlen(page), "Nothing like this is on the page.", r, 8),
           "a quote that is not there is not found");
    is_int(0, (long long)match_passage(page, strlen(page), "the", r, 8),
           "a quote too short to tell is not looked for");
    is_int(0, (long long)match_passage(page, strlen(page), "", r, 8), "nor an empty one");
    /* character offsets count code points, as poppler's text layout does */
    {
        const char *t = "\xC3\xA9t\xC3\xA9 x: collaboration matters here";
        is_int(1, (long long)match_passage(t, strlen(t), "collaboration matters", r, 8),
               "found after multibyte characters");
        is_int(7, (long long)r[0].char_start, "its first character's index counts code points");
        is_int(28, (long long)r[0].char_end, "and its end");
        is_int(9, (long long)r[0].byte_start, "while its byte offset counts bytes");
    }
    return 0;
}
