/* The TSV row splitter with SSE2 (every x86-64): see stream.c, which
 * chooses it, and tsv-split.h, the splitter itself. */
#include "config.h"

#include "stream-impl.h"

#ifdef CU_SSE2_SPLIT
#include <emmintrin.h>
#include <string.h>

/* Four 16-byte loads make one 64-bit mask of each class: a row of a few
 * hundred bytes is a few turns of the splitter's loop. */
static inline void classify_sse2(const char *p, uint64_t *tabs,
                                 uint64_t *nls, uint64_t *bss)
{
    const __m128i tab = _mm_set1_epi8('\t'), nl = _mm_set1_epi8('\n'),
                  bs = _mm_set1_epi8('\\'), cr = _mm_set1_epi8('\r');
    uint64_t t = 0, n = 0, b = 0;
#pragma GCC unroll 4
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        t |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, tab)) << (16 * k);
        n |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl)) << (16 * k);
        b |= (uint64_t)(unsigned)_mm_movemask_epi8(
                 _mm_or_si128(_mm_cmpeq_epi8(v, bs), _mm_cmpeq_epi8(v, cr)))
             << (16 * k);
    }
    *tabs = t;
    *nls = n;
    *bss = b;
}

/* popcount without the libgcc call plain x86-64 would make */
static inline size_t bit_count(uint64_t m)
{
    m = m - ((m >> 1) & 0x5555555555555555ULL);
    m = (m & 0x3333333333333333ULL) + ((m >> 2) & 0x3333333333333333ULL);
    m = (m + (m >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
    return (size_t)((m * 0x0101010101010101ULL) >> 56);
}

#define SPLIT(name) name##_sse2
#define SPLIT_COUNT bit_count
#include "tsv-split.h"
#undef SPLIT
#undef SPLIT_COUNT

#else
typedef int cu_no_sse2_split; /* a translation unit is not empty */
#endif
