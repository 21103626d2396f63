/*
 * Replay driver: runs LLVMFuzzerTestOneInput over every file given (or
 * every file in every directory given), so that the corpus is a regression
 * suite in builds without libFuzzer.  Prints how many inputs ran.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz/fuzz.h"
#include "util/alloc.h"
#include "util/buf.h"

static int run_file(const char *path)
{
    struct buf b = BUF_INIT;
    char chunk[4096];
    size_t n;
    FILE *f = fopen(path, "rb");

    if (f == NULL) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return 1;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_append(&b, chunk, n);
    fclose(f);
    LLVMFuzzerTestOneInput((const uint8_t *)(b.data ? b.data : ""), b.len);
    buf_free(&b);
    return 0;
}

int main(int argc, char **argv)
{
    int i, failures = 0;
    unsigned long count = 0;

    for (i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            DIR *d = opendir(argv[i]);
            struct dirent *de;
            while (d != NULL && (de = readdir(d)) != NULL) {
                char *path;
                if (de->d_name[0] == '.')
                    continue;
                path = xasprintf("%s/%s", argv[i], de->d_name);
                failures += run_file(path);
                count++;
                free(path);
            }
            if (d != NULL)
                closedir(d);
        } else {
            failures += run_file(argv[i]);
            count++;
        }
    }
    printf("replayed %lu inputs\n", count);
    return failures ? 1 : 0;
}
