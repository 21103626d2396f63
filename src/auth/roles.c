/*
 * Role names; see roles.h.
 */
#include "config.h"

#include <string.h>

#include "auth/roles.h"

enum user_role role_parse(const char *name)
{
    if (strcmp(name, "educator") == 0)
        return ROLE_EDUCATOR;
    if (strcmp(name, "coach") == 0)
        return ROLE_COACH;
    if (strcmp(name, "admin") == 0)
        return ROLE_ADMIN;
    return ROLE_ANY;
}
