/* Tests for util/arena: alignment, large blocks, copies, reuse. */
#include "config.h"

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tap/basic.h"
#include "util/arena.h"

int main(void)
{
    struct arena a = ARENA_INIT;
    char *small[200];
    char *big;
    bool aligned = true, intact = true;
    int i;

    plan(9);

    for (i = 0; i < 200; i++) {
        small[i] = arena_alloc(&a, (size_t)(i % 37) + 1);
        if ((uintptr_t)small[i] % alignof(max_align_t) != 0)
            aligned = false;
        memset(small[i], i & 0xff, (size_t)(i % 37) + 1);
    }
    ok(aligned, "every allocation is aligned for any type");
    big = arena_alloc(&a, 100000);
    memset(big, 0x5a, 100000);
    for (i = 0; i < 200; i++) {
        size_t n = (size_t)(i % 37) + 1, j;
        for (j = 0; j < n; j++)
            if ((unsigned char)small[i][j] != (i & 0xff))
                intact = false;
    }
    ok(intact, "small allocations are not overwritten by later ones");
    ok((unsigned char)big[99999] == 0x5a, "a block larger than the default is usable to its end");
    {
        char *after = arena_alloc(&a, 16);
        ok(after != NULL && (after < big || after >= big + 100000),
           "allocations after a large block do not overlap it");
    }
    is_string("abc", arena_strndup(&a, "abcdef", 3), "strndup copies n bytes and terminates");
    is_string("hello", arena_strdup(&a, "hello"), "strdup copies");
    is_string("x=7 y=z", arena_printf(&a, "x=%d y=%s", 7, "z"), "printf formats");
    ok(a.total >= 100000, "total counts handed-out bytes");
    arena_free(&a);
    ok(a.head == NULL && a.total == 0, "free releases everything and the arena is reusable");
    (void)!arena_alloc(&a, 10);
    arena_free(&a);
    return 0;
}
