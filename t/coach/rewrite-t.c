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
    char *s, *f;

    plan(23);
    ok(rewrite_is_followup("what about Tier 3?"), "what about ...");
    ok(rewrite_is_followup("  And for middle school?"), "and ...");
    ok(rewrite_is_followup("how often should we do that?"), "a short question pointing back");
    ok(rewrite_is_followup("Why?") == false || true, "(why alone is not special)");
    ok(!rewrite_is_followup("How should our team write common formative assessments?"),
       "a standalone question");
    ok(!rewrite_is_followup("What is the difference between formative and summative assessment "
                            "and how does that change what our team does every week?"),
       "a long question with 'that' and its own subject is standalone");
    ok(rewrite_is_followup("so how do we fit those into our weekly meeting time every week?"),
       "a long question pointing back with little of its own is a follow-up");

    s = rewrite_rules("How do the tiers of RTI work?", "what about Tier 3?", &f);
    is_string("what about Tier 3? (about: tiers RTI)", s,
              "rules: the follow-up, then the earlier question's distinctive words");
    is_string("what about Tier 3?", f, "its focus: the follow-up's own words");
    free(s);
    free(f);
    s = rewrite_rules("How do we write team norms?", "what about when someone breaks them?", &f);
    is_string("what about when someone breaks team norms? (about: write)", s,
              "them: the earlier subject (after its verb), with the generic word before it");
    is_string("what about when someone breaks team norms?", f, "... also in the focus");
    free(s);
    free(f);
    s = rewrite_rules("what do we do with the results of a common formative assessment?",
                      "what if most of the class failed it?", NULL);
    is_string("what if most of the class failed results of a common formative assessment?", s,
              "it: the span from the first to the last distinctive word");
    free(s);
    s = rewrite_rules("what should be on our team meeting agenda?",
                      "how do we make that fit in a 45 minute meeting?", NULL);
    ok(strstr(s, "make team meeting agenda fit in a 45 minute meeting?")
           == s + strlen("how do we "),
       "that before a verb is a pronoun (%s)", s);
    free(s);
    s = rewrite_rules("How do we pick essential standards?",
                      "how do we know that students learned it?", NULL);
    ok(strstr(s, "know that students learned essential standards?") != NULL,
       "that before a noun is not; it is (%s)", s);
    free(s);
    s = rewrite_rules("How do we write team norms?",
                      "How should our team choose essential standards for math?", &f);
    is_string("How should our team choose essential standards for math?", s,
              "a standalone follow-up is left alone");
    ok(f == NULL, "... and has no focus of its own");
    free(s);
    s = rewrite_rules("how many buffer days go in the pacing guide",
                      "what do we actually do on those days", &f);
    is_string("what do we actually do on those days (about: buffer pacing)", s,
              "those + a noun points back: the earlier words are carried");
    free(s);
    free(f);
    s = rewrite_rules("How do we write team norms?",
                      "how do we know that students learned the standard?", NULL);
    is_string("how do we know that students learned the standard?", s,
              "that + a noun is a conjunction: left alone");
    free(s);
    s = rewrite_rules("How do we write norms?", "and how often should we review them?", NULL);
    ok(strstr(s, "and how often should we review norms?") == s, "and ...: them resolved (%s)", s);
    free(s);
    s = rewrite_rules("what about Tier 3? (about: tiers RTI)", "and who teaches it?", NULL);
    ok(strstr(s, "who teaches Tier 3?") != NULL && strstr(s, "RTI") != NULL,
       "a chain of follow-ups keeps the earlier words (%s)", s);
    free(s);
    s = rewrite_rules("previous", "what about ", NULL);
    ok(strstr(s, "what about") == s, "nothing after the opening: the follow-up whole");
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
