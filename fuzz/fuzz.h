/*
 * The libFuzzer entry point every target defines.  Built with
 * --enable-fuzzing it links against libFuzzer; otherwise replay.c supplies
 * a main() that feeds it each file named on the command line.
 */
#ifndef PLC_FUZZ_H
#define PLC_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
