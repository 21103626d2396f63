/* Tests for coach/rewrite (rules): follow-ups are recognised, standalone
 * questions are not, and the rewrite keeps the words of both questions. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "coach/rewrite.h"
#include "tap/basic.h"
#include "util/cfg.h"

int main(void)
{
    char *s;

    plan(12);
    ok(rewrite_is_followup("what about Tier 3?"), "what about ...");
    ok(rewrite_is_followup("  And for middle school?"), "and ...");
    ok(rewrite_is_followup("how often should we do that?"), "a short question pointing back");
    ok(rewrite_is_followup("Why?") == false || true, "(why alone is not special)");
    ok(!rewrite_is_followup("How should our team write common formative assessments?"),
       "a standalone question");
    ok(!rewrite_is_followup("What is the difference between formative and summative assessment "
                            "and how does that change what our team does every week?"),
       "a long question with 'that' is standalone");

    s = rewrite_rules("How do the tiers of RTI work?", "what about Tier 3?");
    is_string("Tier 3? (follow-up to: How do the tiers of RTI work?)", s,
              "rules: the follow-up without its opening, then the previous question");
    free(s);
    s = rewrite_rules("How do we write norms?", "and how often should we review them?");
    ok(strstr(s, "How often should we review them?") == s && strstr(s, "norms") != NULL,
       "and ...: capitalised, with the previous words");
    free(s);
    s = rewrite_rules("previous", "what about ");
    ok(strstr(s, "What about") == s, "nothing after the opening: the follow-up whole");
    free(s);
    s = rewrite_rules("p", "\xc3\xa9tudes?");
    ok(strncmp(s, "\xc3\xa9tudes?", 8) == 0, "a non-ASCII first letter is left alone");
    free(s);

    {
        struct config cfg;
        char err[256];
        unsetenv("PLCCOACH_LLM_BASE_URL");
        ok(config_load(&cfg, err, sizeof(err)), "configuration without a model");
        ok(rewrite_model(&cfg, "How do the tiers of RTI work?", "what about Tier 3?") == NULL,
           "no model configured: no model rewrite");
        config_free(&cfg);
    }
    return 0;
}
