/* lib/radix: the sort agrees with qsort on random keys of every width,
 * is stable, ignores the bits outside its field, and the plans split the
 * bits as documented. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "radix.h"
#include "tap.h"

static uint64_t rng = 0x853c49e6748fea9bULL;
static uint64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Words with the key in bits [shift, shift + bits), the input position in
 * the low bits (so stability can be checked) and noise above the field. */
struct words {
    uint64_t *a, *tmp;
    size_t n;
};

static uint64_t field_of(uint64_t w, unsigned shift, unsigned bits)
{
    return bits == 64 ? w : (w >> shift) & ((UINT64_C(1) << bits) - 1);
}

static struct words make_words(size_t n, unsigned shift, unsigned bits,
                               uint64_t keymax)
{
    struct words w = {malloc(n * sizeof(uint64_t)),
                      malloc(n * sizeof(uint64_t)), n};
    for (size_t i = 0; i < n; i++) {
        uint64_t key = keymax ? next_random() % (keymax + 1) : 0;
        uint64_t noise = shift + bits < 64 ? next_random() << (shift + bits)
                                           : 0;
        w.a[i] = noise | key << shift | (uint64_t)i;
    }
    return w;
}

/* Sorted by the field, and equal keys in input (position) order. */
static bool sorted_stably(const uint64_t *v, size_t n, unsigned shift,
                          unsigned bits)
{
    uint64_t posmask = (UINT64_C(1) << shift) - 1;
    for (size_t i = 1; i < n; i++) {
        uint64_t a = field_of(v[i - 1], shift, bits),
                 b = field_of(v[i], shift, bits);
        if (a > b || (a == b && (v[i - 1] & posmask) >= (v[i] & posmask)))
            return false;
    }
    return true;
}

/* Every input word comes out once (positions are a permutation). */
static bool permutation(const uint64_t *v, size_t n, unsigned shift)
{
    uint64_t posmask = (UINT64_C(1) << shift) - 1;
    char *seen = calloc(n, 1);
    bool ok_ = true;
    for (size_t i = 0; i < n && ok_; i++) {
        uint64_t p = v[i] & posmask;
        ok_ = p < n && !seen[p];
        if (ok_)
            seen[p] = 1;
    }
    free(seen);
    return ok_;
}

static void check_sort(size_t n, unsigned bits, uint64_t keymax)
{
    const unsigned shift = 20;
    struct words w = make_words(n, shift, bits, keymax);
    uint64_t *res = cu_radix_sort_words(w.a, w.tmp, n, shift, bits);
    ok(res == w.a || res == w.tmp, "n=%zu bits=%u: result in a or tmp", n,
       bits);
    ok(sorted_stably(res, n, shift, bits) && permutation(res, n, shift),
       "n=%zu bits=%u keymax=%llu: sorted, stable, a permutation", n, bits,
       (unsigned long long)keymax);
    free(w.a);
    free(w.tmp);
}

/* Pairs with random keys of `bits` bits (or few distinct ones), the input
 * position as the value: sorted by key, ties in input order. */
static void check_pairs(size_t n, unsigned bits, uint64_t distinct)
{
    struct cu_radix_pair *a = malloc((n ? n : 1) * sizeof *a),
                         *tmp = malloc((n ? n : 1) * sizeof *tmp);
    uint64_t mask = bits == 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = next_random() & mask;
        a[i] = (struct cu_radix_pair){distinct ? k % distinct : k, i};
    }
    struct cu_radix_pair *r = cu_radix_sort_pairs(a, tmp, n, bits);
    bool good = true;
    char *seen = calloc(n ? n : 1, 1);
    for (size_t i = 0; i < n && good; i++) {
        good = r[i].value < n && !seen[r[i].value];
        if (good)
            seen[r[i].value] = 1;
        if (good && i > 0)
            good = r[i - 1].key < r[i].key ||
                   (r[i - 1].key == r[i].key && r[i - 1].value < r[i].value);
    }
    ok(good, "pairs n=%zu bits=%u distinct=%llu: sorted, stable, a "
       "permutation", n, bits, (unsigned long long)distinct);
    free(seen);
    free(a);
    free(tmp);
}

int main(void)
{
    plan(0);

    struct cu_radix_plan p = cu_radix_plan(0);
    is_int(p.passes, 0, "plan(0): no pass");
    p = cu_radix_plan(11);
    is_int(p.passes * 100 + p.width, 111, "plan(11): one pass of 11 bits");
    p = cu_radix_plan(12);
    is_int(p.passes * 100 + p.width, 206, "plan(12): two passes of 6 bits");
    p = cu_radix_plan(34);
    is_int(p.passes * 100 + p.width, 409, "plan(34): four passes of 9 bits");
    is_int(cu_bit_length(0), 0, "bit_length(0)");
    is_int(cu_bit_length(1), 1, "bit_length(1)");
    is_int(cu_bit_length(UINT32_MAX), 32, "bit_length(2^32-1)");
    is_int(cu_bit_length(UINT64_MAX), 64, "bit_length(2^64-1)");

    /* the last pass of a 34-bit field reads 7 bits, not 9: noise above the
     * field must not count */
    p = cu_radix_plan(34);
    uint64_t w = (UINT64_C(0x7f) << 27) | (UINT64_C(1) << 34);
    is_int((int64_t)cu_radix_digit(w, 0, p, 3), 0x7f,
           "last digit stops at the field's top");

    check_sort(0, 8, 255);
    check_sort(1, 8, 255);
    check_sort(1000, 8, 0);        /* one key: every pass skipped */
    check_sort(1000, 8, 3);        /* many ties */
    check_sort(5000, 11, 2047);    /* one full pass */
    check_sort(5000, 12, 4095);    /* two passes */
    check_sort(20000, 34, (UINT64_C(1) << 34) - 1); /* four passes */
    check_sort(20000, 44, (UINT64_C(1) << 44) - 1); /* to the top bit */
    check_sort(20000, 30, 1000);   /* a wide field with small keys */
    check_pairs(0, 64, 0);
    check_pairs(1, 64, 0);
    check_pairs(30000, 64, 0);     /* six passes over the whole word */
    check_pairs(30000, 64, 7);     /* long runs of ties */
    check_pairs(30000, 20, 0);
    return done_testing();
}
