/* Tests for coach/classify: the model's classification is accepted only
 * as exactly the strict JSON object asked for. */
#include "config.h"

#include <string.h>

#include "coach/classify.h"
#include "library/domains.h"
#include "tap/basic.h"

static bool parse(const char *s, struct classify_answer *a)
{
    memset(a, 0x5a, sizeof(*a));
    return classify_parse(s, strlen(s), a);
}

int main(void)
{
    struct classify_answer a;
    size_t k;

    plan(12);
    ok(parse("{\"scope\":\"out\",\"too_broad\":false,\"domains\":[]}", &a) && a.out_of_scope
           && !a.too_broad && a.domains == 0,
       "out of scope");
    ok(parse("{\"scope\":\"in\",\"too_broad\":true,\"domains\":[\"assessment\",\"leadership\"]}",
             &a)
           && !a.out_of_scope && a.too_broad && domain_parse("leadership", &k)
           && (a.domains & (1u << k)) && __builtin_popcount(a.domains) == 2,
       "in scope, too broad, two domains");
    ok(parse("```json\n{\"scope\":\"in\",\"too_broad\":false,\"domains\":[\"curriculum\"]}\n```",
             &a),
       "a code fence is tolerated");
    ok(!parse("scope: out", &a), "not JSON");
    ok(!parse("{\"scope\":\"maybe\",\"too_broad\":false,\"domains\":[]}", &a), "an unknown scope");
    ok(!parse("{\"scope\":\"in\",\"too_broad\":\"no\",\"domains\":[]}", &a),
       "too_broad not a boolean");
    ok(!parse("{\"scope\":\"in\",\"too_broad\":false,\"domains\":[\"gardening\"]}", &a),
       "an unknown domain");
    ok(!parse("{\"scope\":\"in\",\"too_broad\":false,\"domains\":[\"assessment\",\"leadership\","
              "\"curriculum\",\"collaboration\"]}",
              &a),
       "more than three domains");
    ok(!parse("{\"scope\":\"in\",\"too_broad\":false}", &a), "a member missing");
    ok(!parse("{\"scope\":\"in\",\"too_broad\":false,\"domains\":[],\"why\":\"x\"}", &a),
       "an extra member");
    ok(!parse("{\"scope\":\"in\",\"too_broad\":false,\"domains\":[]} trailing", &a),
       "text after the object");
    ok(!parse("[\"in\"]", &a), "not an object");
    return 0;
}
