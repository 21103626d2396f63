/* docs/openapi.yaml and the router table must describe the same routes:
 * every (method, path) of app_routes has an operation in the document and
 * every operation of the document has a route.  Also checks that each
 * operation's security matches the route's flags (public routes declare
 * `security: []`, signed-in routes do not). The full OpenAPI validation is
 * the redocly lint test. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "http/routes.h"
#include "tap/basic.h"

struct op {
    char method[8];
    char path[256];
    bool public_op; /* has "security: []" */
    bool matched;
};

/* Parses the paths section: "  /path:" then "    get:" lines; notes a
 * "      security: []" inside an operation. */
static size_t parse(FILE *f, struct op *ops, size_t max)
{
    char line[1024], path[256] = "";
    bool in_paths = false;
    size_t n = 0;

    while (fgets(line, sizeof(line), f) != NULL) {
        size_t len = strcspn(line, "\r\n");
        line[len] = '\0';
        if (strcmp(line, "paths:") == 0) {
            in_paths = true;
            continue;
        }
        if (!in_paths)
            continue;
        if (line[0] != ' ' && line[0] != '\0' && line[0] != '#')
            break; /* next top-level key */
        if (strncmp(line, "  /", 3) == 0 && line[len - 1] == ':') {
            snprintf(path, sizeof(path), "%.*s", (int)(len - 3), line + 2);
        } else if (strncmp(line, "    ", 4) == 0 && line[4] != ' ' && line[len - 1] == ':'
                   && path[0] != '\0') {
            static const char *const methods[] = {"get:", "post:", "put:", "patch:", "delete:"};
            size_t i;
            for (i = 0; i < 5; i++) {
                if (strcmp(line + 4, methods[i]) == 0 && n < max) {
                    size_t k;
                    memset(&ops[n], 0, sizeof(ops[n]));
                    for (k = 0; methods[i][k] != ':'; k++)
                        ops[n].method[k] = (char)toupper((unsigned char)methods[i][k]);
                    snprintf(ops[n].path, sizeof(ops[n].path), "%s", path);
                    n++;
                }
            }
        } else if (n > 0 && strcmp(line, "      security: []") == 0) {
            ops[n - 1].public_op = true;
        }
    }
    return n;
}

int main(void)
{
    struct op ops[256];
    size_t nops, i, j, missing = 0, extra = 0, security = 0;
    FILE *f = fopen(test_srcfile("docs/openapi.yaml"), "r");

    if (f == NULL)
        bail("cannot open docs/openapi.yaml");
    nops = parse(f, ops, 256);
    fclose(f);
    plan(4);
    ok(nops > 0, "the document has %zu operations", nops);
    for (i = 0; i < app_routes_count; i++) {
        const struct route *r = &app_routes[i];
        bool found = false;
        for (j = 0; j < nops; j++) {
            if (strcmp(ops[j].method, r->method) == 0 && strcmp(ops[j].path, r->pattern) == 0) {
                bool is_public = (r->flags & ROUTE_AUTH) == 0;
                found = true;
                ops[j].matched = true;
                if (is_public != ops[j].public_op) {
                    diag("%s %s: route is %s but the document says %s", r->method, r->pattern,
                         is_public ? "public" : "signed-in",
                         ops[j].public_op ? "security: []" : "signed-in");
                    security++;
                }
            }
        }
        if (!found) {
            diag("%s %s is in the router but not in docs/openapi.yaml", r->method, r->pattern);
            missing++;
        }
    }
    for (j = 0; j < nops; j++) {
        if (!ops[j].matched) {
            diag("%s %s is in docs/openapi.yaml but not in the router", ops[j].method, ops[j].path);
            extra++;
        }
    }
    is_int(0, (long long)missing, "every route is documented");
    is_int(0, (long long)extra, "every documented operation exists");
    is_int(0, (long long)security, "public/signed-in matches the route flags");
    return 0;
}
