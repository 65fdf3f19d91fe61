/* lib/bigmem: tables come zeroed, small or mapped; arrays keep their
 * contents as they grow from the heap into a mapping and on by mremap. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "bigmem.h"
#include "tap.h"

int main(void)
{
    plan(0);
    size_t sizes[] = {10, 1000, (size_t)3 << 20}; /* the last one mapped */
    for (int k = 0; k < 3; k++) {
        unsigned char *t = cu_table_calloc(sizes[k], 4);
        size_t nonzero = 0;
        for (size_t i = 0; i < sizes[k] * 4; i++)
            nonzero += t[i] != 0;
        memset(t, 0xab, sizes[k] * 4); /* every byte is writable */
        cu_table_free(t, sizes[k], 4);
        ok(nonzero == 0, "a table of %zu x 4 bytes comes zeroed", sizes[k]);
    }
    uint64_t *v = NULL;
    size_t cap = 0, bad = 0, steps = 0, last_cap = 0;
    const size_t n = (size_t)3 << 20; /* 24 MiB: heap, then a mapping */
    for (size_t i = 0; i < n; i++) {
        v = cu_big_grow(v, &cap, i + 1, sizeof *v);
        if (cap != last_cap) {
            steps++;
            last_cap = cap;
        }
        v[i] = i * 0x9E3779B97F4A7C15ULL;
    }
    for (size_t i = 0; i < n; i++)
        bad += v[i] != i * 0x9E3779B97F4A7C15ULL;
    ok(bad == 0 && cap >= n, "%zu elements kept through %zu steps of growth",
       n, steps);
    ok(cu_big_grow(v, &cap, 5, sizeof *v) == v && cap == last_cap,
       "no growth when there is room");
    cu_big_free(v, cap, sizeof *v);
    size_t c0 = 0;
    char *s = cu_big_grow(NULL, &c0, 3, 1);
    memcpy(s, "ab", 3);
    ok(c0 >= 3 && strcmp(s, "ab") == 0, "a small array starts on the heap");
    cu_big_free(s, c0, 1);
    return done_testing();
}
