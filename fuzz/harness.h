/* What the fuzz harnesses share: the input as a file (the tools and the
 * reader open paths), and, built without libFuzzer, a main that replays
 * the files it is given through LLVMFuzzerTestOneInput (the regression
 * tests). Included once by each harness. */
#ifndef CU_FUZZ_HARNESS_H
#define CU_FUZZ_HARNESS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* data written to one temporary file, the same for every input */
static inline const char *fuzz_input_file(const uint8_t *data,
                                          size_t size)
{
    static char path[] = "/tmp/cu-fuzz-XXXXXX";
    static int made;
    if (!made) {
        int fd = mkstemp(path);
        if (fd < 0)
            abort();
        close(fd);
        made = 1;
    }
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    return path;
}

#ifndef FUZZ_LIBFUZZER
/* Replay: each file given is one input; exit 0 when none crashed. */
int main(int argc, char **argv)
{
    static uint8_t buf[1 << 20];
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            return 2;
        }
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        LLVMFuzzerTestOneInput(buf, n);
    }
    return 0;
}
#endif

#endif
