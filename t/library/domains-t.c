/* Tests for library/domains: the lexicon tags typical passages, stems
 * match, every chunk gets at least one domain. */
#include "config.h"

#include <string.h>

#include "library/domains.h"
#include "tap/basic.h"

static bool has(unsigned set, const char *name)
{
    size_t i;

    return domain_parse(name, &i) && (set & (1u << i));
}

/* Typical passages and the domain each must be tagged with. */
static const struct {
    const char *text, *domain, *name;
} typical[] = {
    {"The team wrote a common formative assessment and a rubric, then "
     "assessed the quizzes together.",
     "assessment", "CFA text is assessment"},
    {"We disaggregated the data in a spreadsheet and charted the trend of the "
     "results by subgroup.",
     "data_analysis", "spreadsheet text is data_analysis"},
    {"The principal and the guiding coalition set the vision; leadership "
     "means empowering teacher leaders.",
     "leadership", "principal text is leadership"},
    {"Essential standards and a pacing guide keep a guaranteed and viable "
     "curriculum in every unit.",
     "curriculum", "GVC text is curriculum"},
    {"Students who struggle get intervention at Tier 2 and extension when "
     "they already know it; RTI and MTSS organise that.",
     "student_learning", "RTI text is student_learning"},
    {"A culture of collective commitment, trust and celebration changes the "
     "school's climate.",
     "school_culture", "culture text is school_culture"},
    {"Team norms, a shared agenda and a consensus protocol keep collaborative "
     "teams interdependent.",
     "collaboration", "norms text is collaboration"},
};

int main(void)
{
    char arr[160];
    size_t i;
    unsigned set, sets[DOMAINS_MODEL_BATCH];
    const char *answer;

    plan(24);
    is_string("assessment", domain_name(0), "domain 0");
    is_string("student_learning", domain_name(6), "domain 6");
    ok(domain_name(7) == NULL, "no domain 7");
    ok(domain_parse("data_analysis", &i) && i == 4, "parse data_analysis");
    for (i = 0; i < sizeof(typical) / sizeof(typical[0]); i++)
        ok(has(domains_tag(typical[i].text, 0), typical[i].domain), "%s", typical[i].name);
    ok(domains_tag("Lorem ipsum dolor sit amet.", 1u << 3) == 1u << 3,
       "nothing scores: the fallback");
    set = domains_tag("assessment data data data rubric analysis collaborative team", 0);
    ok(set != 0 && (set & ~DOMAIN_ALL) == 0, "always a non-empty subset of the seven");
    domains_pg_array((1u << 0) | (1u << 4), arr, sizeof(arr));
    is_string("{assessment,data_analysis}", arr, "PostgreSQL array literal");

    /* The model's answers (domains_model_parse): strict, all or nothing. */
    answer = "{\"tags\": [[\"assessment\"], [\"collaboration\", \"leadership\"]]}";
    ok(domains_model_parse(answer, strlen(answer), 2, sets), "model answer for 2 passages");
    ok(sets[0] == 1u << 0 && sets[1] == ((1u << 1) | (1u << 2)), "its sets, in order");
    answer = "Sure!\n```json\n{\"tags\":[[\"data_analysis\",\"school_culture\","
             "\"curriculum\"]]}\n```";
    ok(domains_model_parse(answer, strlen(answer), 1, sets)
           && sets[0] == ((1u << 4) | (1u << 5) | (1u << 3)),
       "a code fence and prose around the object are tolerated");
    sets[0] = 77;
    answer = "{\"tags\": [[\"assessment\"]]}";
    ok(!domains_model_parse(answer, strlen(answer), 2, sets) && sets[0] == 77,
       "too few arrays: refused, sets untouched");
    answer = "{\"tags\": [[\"assessment\"], [\"weather\"]]}";
    ok(!domains_model_parse(answer, strlen(answer), 2, sets) && sets[0] == 77,
       "an unknown domain refuses the whole batch");
    answer = "{\"tags\": [[\"assessment\"], []]}";
    ok(!domains_model_parse(answer, strlen(answer), 2, sets), "an empty set is refused");
    answer = "{\"tags\": [[\"assessment\",\"curriculum\",\"leadership\",\"collaboration\"]]}";
    ok(!domains_model_parse(answer, strlen(answer), 1, sets), "more than three tags are refused");
    answer = "{\"tags\": [[1]]}";
    ok(!domains_model_parse(answer, strlen(answer), 1, sets), "a non-string tag is refused");
    answer = "{\"tags\": [[\"assessment\"]]";
    ok(!domains_model_parse(answer, strlen(answer), 1, sets), "truncated JSON is refused");
    answer = "{\"tags\": [[\"assessment\"]]}";
    ok(!domains_model_parse(answer, strlen(answer), DOMAINS_MODEL_BATCH + 1, sets),
       "more passages than a batch are refused");
    return 0;
}
