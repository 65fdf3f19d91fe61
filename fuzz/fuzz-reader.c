/* libFuzzer target: the stream reader (lib/stream) on one input file, in
 * the format FUZZ_FORMAT (CU_FMT_AUTO: TSV or JSONS detected; CU_FMT_CSV),
 * gzip included (the reader detects it by its magic bytes). Every field of
 * every row is read through the typed accessors too. A rejected input ends
 * in cu_die, which the fatal hook turns into a return here, where the
 * reader is closed. What a rejection leaves elsewhere (a message's buffers)
 * is not a finding: run with -detect_leaks=0.
 *
 * Built with clang by `make fuzz`; without FUZZ_LIBFUZZER it is a plain
 * program that replays the files it is given (the regression tests). */
#include "config.h"

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "error.h"
#include "stream.h"

#include "harness.h"

#ifndef FUZZ_FORMAT
#define FUZZ_FORMAT CU_FMT_AUTO
#endif

static jmp_buf rejected;

static void on_fatal(int status)
{
    longjmp(rejected, status + 1);
}

/* The reader of the input being read: closed after a rejection too, so
 * that a long run does not grow by what each rejected input left. */
static cu_reader *volatile current;

static void read_everything(const char *path)
{
    const char *paths[] = {path};
    if (setjmp(rejected)) {
        cu_reader *r = current;
        current = NULL;
        if (r && !setjmp(rejected)) /* closing may fail too */
            cu_reader_close(r);
        return;
    }
    cu_reader *r = current = cu_reader_open(paths, 1, FUZZ_FORMAT);
    enum cu_next k;
    while ((k = cu_reader_next(r)) != CU_EOF) {
        if (k != CU_ROW)
            continue;
        for (size_t i = 0; i < cu_reader_ncols(r); i++) {
            const cu_field *f = cu_reader_field(r, i);
            if (f->type == CU_VAL_NUMBER)
                (void)cu_reader_double(r, i, 0);
            if (f->len >= 10 && f->len <= 32 && (f->s[4] == '-'))
                (void)cu_reader_time(r, i);
        }
    }
    const struct cu_table_status *st;
    (void)cu_reader_statuses(r, &st);
    current = NULL;
    cu_reader_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool init;
    if (!init) {
        cu_set_program_name("cu-fuzz");
        cu_set_fatal_hook(on_fatal);
        init = true;
    }
    read_everything(fuzz_input_file(data, size));
    return 0;
}
