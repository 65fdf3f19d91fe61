#include "config.h"

#include "radix.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

struct cu_radix_plan cu_radix_plan(unsigned bits)
{
    struct cu_radix_plan p = {0, 0, bits};
    if (bits) {
        p.passes = (bits + CU_RADIX_MAX_BITS - 1) / CU_RADIX_MAX_BITS;
        p.width = (bits + p.passes - 1) / p.passes;
    }
    return p;
}

unsigned cu_bit_length(uint64_t x)
{
    return x ? 64u - (unsigned)__builtin_clzll(x) : 0;
}

/* Turn one pass's digit histogram c into the first slot of each digit;
 * false when every key has the digit of the first (the pass would move
 * nothing). */
static bool digit_starts(size_t *c, size_t nb, size_t n, size_t first_digit)
{
    if (c[first_digit] == n)
        return false;
    size_t sum = 0;
    for (size_t b = 0; b < nb; b++) {
        size_t t = c[b];
        c[b] = sum;
        sum += t;
    }
    return true;
}

uint64_t *cu_radix_scatter_words(uint64_t *a, uint64_t *tmp, size_t n,
                                 unsigned shift, struct cu_radix_plan p,
                                 size_t *count)
{
    size_t nb = (size_t)1 << p.width;
    if (n == 0)
        return a;
    for (unsigned d = 0; d < p.passes; d++) {
        size_t *c = count + d * nb;
        if (!digit_starts(c, nb, n, cu_radix_digit(a[0], shift, p, d)))
            continue;
        for (size_t i = 0; i < n; i++) {
            uint64_t w = a[i];
            tmp[c[cu_radix_digit(w, shift, p, d)]++] = w;
        }
        uint64_t *swap = a;
        a = tmp;
        tmp = swap;
    }
    return a;
}

/* How many keys have each digit, for every pass at once (one read of the
 * keys): the key of element i is the word at base + i * size (words, or
 * pairs whose key comes first). */
_Static_assert(offsetof(struct cu_radix_pair, key) == 0,
               "a pair's key is its first word");

static size_t *digit_counts(const void *base, size_t size, size_t n,
                            unsigned shift, struct cu_radix_plan p)
{
    size_t nb = (size_t)1 << p.width;
    size_t *count = cu_xcalloc(p.passes * nb, sizeof *count);
    for (size_t i = 0; i < n; i++) {
        uint64_t key;
        memcpy(&key, (const char *)base + i * size, sizeof key);
        for (unsigned d = 0; d < p.passes; d++)
            count[d * nb + cu_radix_digit(key, shift, p, d)]++;
    }
    return count;
}

uint64_t *cu_radix_sort_words(uint64_t *a, uint64_t *tmp, size_t n,
                              unsigned shift, unsigned bits)
{
    struct cu_radix_plan p = cu_radix_plan(bits);
    if (p.passes == 0 || n < 2)
        return a;
    size_t *count = digit_counts(a, sizeof *a, n, shift, p);
    uint64_t *res = cu_radix_scatter_words(a, tmp, n, shift, p, count);
    free(count);
    return res;
}

struct cu_radix_pair *cu_radix_sort_pairs(struct cu_radix_pair *a,
                                          struct cu_radix_pair *tmp, size_t n,
                                          unsigned bits)
{
    struct cu_radix_plan p = cu_radix_plan(bits);
    if (p.passes == 0 || n < 2)
        return a;
    size_t nb = (size_t)1 << p.width;
    size_t *count = digit_counts(a, sizeof *a, n, 0, p);
    for (unsigned d = 0; d < p.passes; d++) {
        size_t *c = count + d * nb;
        if (!digit_starts(c, nb, n, cu_radix_digit(a[0].key, 0, p, d)))
            continue;
        for (size_t i = 0; i < n; i++)
            tmp[c[cu_radix_digit(a[i].key, 0, p, d)]++] = a[i];
        struct cu_radix_pair *swap = a;
        a = tmp;
        tmp = swap;
    }
    free(count);
    return a;
}
