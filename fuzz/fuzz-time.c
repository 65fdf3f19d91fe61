/* libFuzzer target: the time parser (lib/cutime) and its formatter: every
 * value that parses formats back to text that parses to the same time. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cutime.h"

#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cu_time t, back;
    const char *why = NULL;
    if (cu_time_parse((const char *)data, size, &t, &why) != CU_TIME_OK)
        return 0;
    char buf[CU_TIME_BUFSZ];
    size_t n = cu_time_format(t, buf);
    if (n >= sizeof buf ||
        cu_time_parse(buf, n, &back, &why) != CU_TIME_OK || back != t)
        abort(); /* a time that does not survive its own text */
    return 0;
}
