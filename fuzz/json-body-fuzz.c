/* Fuzz target: JSON request bodies (parse_json_object). */
#include "config.h"

#include "fuzz/fuzz.h"
#include "http/request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *why = NULL;
    json_object *o = parse_json_object((const char *)data, size, &why);

    if (o == NULL && why == NULL)
        __builtin_trap(); /* a refusal must say why */
    if (o != NULL && !json_object_is_type(o, json_type_object))
        __builtin_trap();
    json_object_put(o);
    return 0;
}
