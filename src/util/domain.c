/*
 * The domains' names; see domain.h.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "util/domain.h"

const char *const domain_names[DOMAIN_COUNT + 1] = {
    "assessment",    "collaboration",  "leadership",       "curriculum",
    "data_analysis", "school_culture", "student_learning", NULL,
};

const char *domain_name(size_t i)
{
    return i < DOMAIN_COUNT ? domain_names[i] : NULL;
}

bool domain_parse(const char *name, size_t *out)
{
    size_t i;

    for (i = 0; i < DOMAIN_COUNT; i++)
        if (strcmp(name, domain_names[i]) == 0) {
            *out = i;
            return true;
        }
    return false;
}

void domains_pg_array(unsigned set, char *out, size_t len)
{
    size_t i, used;
    bool first = true;

    used = (size_t)snprintf(out, len, "{");
    for (i = 0; i < DOMAIN_COUNT && used < len; i++)
        if (set & (1u << i)) {
            used +=
                (size_t)snprintf(out + used, len - used, "%s%s", first ? "" : ",", domain_names[i]);
            first = false;
        }
    if (used < len)
        snprintf(out + used, len - used, "}");
}
