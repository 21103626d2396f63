/* Fuzz target: JSON request bodies (parse_json_object). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "http/request.h"

/* True when any string value under o holds a NUL byte, or any number is
 * NaN or infinite (neither is JSON). */
static int holds_nul(json_object *o)
{
    size_t i;

    switch (json_object_get_type(o)) {
    case json_type_double: return !isfinite(json_object_get_double(o));
    case json_type_string:
        return strlen(json_object_get_string(o)) != (size_t)json_object_get_string_len(o);
    case json_type_array:
        for (i = 0; i < json_object_array_length(o); i++)
            if (holds_nul(json_object_array_get_idx(o, i)))
                return 1;
        return 0;
    case json_type_object: {
        json_object_object_foreach (o, k, v) {
            (void)k;
            if (holds_nul(v))
                return 1;
        }
        return 0;
    }
    default: return 0;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *why = NULL;
    json_object *o = parse_json_object((const char *)data, size, &why);

    if (o == NULL && why == NULL)
        __builtin_trap(); /* a refusal must say why */
    if (o != NULL && !json_object_is_type(o, json_type_object))
        __builtin_trap();
    if (o != NULL && holds_nul(o))
        __builtin_trap(); /* \u0000 and NaN are refused everywhere */
    json_object_put(o);
    return 0;
}
