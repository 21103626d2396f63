/* Tests for coach/route: out-of-scope topics refused with their fixed
 * answer, broad questions clarified with 2-4 choices, specific ones
 * answered and routed to domains; definitions and answers to a clarifying
 * question are never sent back. */
#include "config.h"

#include <string.h>

#include "coach/route.h"
#include "library/domains.h"
#include "tap/basic.h"

static enum coach_route classify(const char *q)
{
    struct coach_class c;

    route_classify(q, true, &c);
    return c.route;
}

static bool routed_to(const char *q, const char *domain)
{
    struct coach_class c;
    size_t i;

    route_classify(q, true, &c);
    return c.route == COACH_ANSWER && domain_parse(domain, &i) && (c.domains & (1u << i));
}

int main(void)
{
    static const char *const refused[] = {
        "is it going to snow tomorrow? should we plan indoor recess",
        "can I get sued if a kid gets hurt on the playground during my duty?",
        "what's a safe dose of ADHD meds for a 9 year old?",
        "write a 504 plan for my student with anxiety",
        "how do I reset my Clever password",
        "what's the best laminator to buy for my classroom?",
        "how many sick days do we get under the union contract?",
        "good recipe for the staff potluck on Friday?",
        "what's the district bus policy for field trips?",
    };
    static const char *const answered[] = {
        "remind me, what are the 3 big ideas behind a PLC?",
        "What is a PLC?",
        "How do we start a PLC at our school?",
        "how do we get staff buy-in for collaborative teams?",
        "how should our team respond to students with 504 plans during intervention time?",
        "what is a common formative assessment?",
        "kids keep falling behind, how do we give them extra help without missing class?",
    };
    struct coach_class c;
    size_t i;

    plan(28);
    for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
        is_int(COACH_REFUSE, classify(refused[i]), "refused: %s", refused[i]);
    for (i = 0; i < sizeof(answered) / sizeof(answered[0]); i++)
        is_int(COACH_ANSWER, classify(answered[i]), "answered: %s", answered[i]);

    route_classify("is it going to snow tomorrow?", true, &c);
    ok(c.refusal != NULL && strstr(c.refusal, "weather") != NULL
           && strstr(c.refusal, "I can help with") != NULL,
       "the refusal names the topic and what the coach helps with");

    route_classify("How do I do PLCs?", true, &c);
    ok(c.route == COACH_CLARIFY && c.nchoices >= 2 && c.nchoices <= ROUTE_MAX_CHOICES
           && c.clarify != NULL,
       "How do I do PLCs? is clarified with 2-4 choices");
    ok(route_is_clarification(c.clarify), "the clarifying question is recognised later");
    route_classify("Tell me about PLCs", true, &c);
    is_int(COACH_CLARIFY, c.route, "Tell me about PLCs");
    route_classify("help with assessment", true, &c);
    ok(c.route == COACH_CLARIFY && c.nchoices == 3 && c.domains == 1u,
       "help with assessment: the assessment domain's choices");
    route_classify("How do I do PLCs?", false, &c);
    is_int(COACH_ANSWER, c.route, "never clarified twice in a row");

    ok(routed_to("How should our team write CFAs?", "assessment"), "CFAs: assessment");
    ok(routed_to("how do we set team norms for our meetings", "collaboration"),
       "norms: collaboration");
    ok(routed_to("what should the principal do to support teams?", "leadership"),
       "principal: leadership");
    ok(routed_to("how do we choose essential standards for the unit?", "curriculum"),
       "standards: curriculum");
    route_classify("purple giraffes ride quantum spaceships", true, &c);
    ok(c.route == COACH_ANSWER && c.domains == 0, "nonsense: answer, no domain");

    is_string("refusal", route_type_name(COACH_REFUSE), "type names");
    return 0;
}
