/* The TSV row splitter with AVX2 (chosen at run time where the CPU has
 * it): see stream.c, which chooses it, and tsv-split.h, the splitter. */
#include "config.h"

#include "stream-impl.h"

#ifdef CU_AVX2_SPLIT
#include <immintrin.h>
#include <string.h>

#pragma GCC target("avx2,bmi,popcnt")
/* Two 32-byte loads per chunk, and popcnt */
static inline void classify_avx2(const char *p, uint64_t *tabs,
                                 uint64_t *nls, uint64_t *bss)
{
    const __m256i tab = _mm256_set1_epi8('\t'), nl = _mm256_set1_epi8('\n'),
                  bs = _mm256_set1_epi8('\\'), cr = _mm256_set1_epi8('\r');
    __m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)p),
            hi = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
#define CU_MASK64(c)                                                        \
    ((uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, c)) |   \
     (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, c)) << 32)
    *tabs = CU_MASK64(tab);
    *nls = CU_MASK64(nl);
    *bss = CU_MASK64(bs) | CU_MASK64(cr);
#undef CU_MASK64
}

#define SPLIT(name) name##_avx2
#define SPLIT_COUNT(m) ((size_t)__builtin_popcountll(m))
#include "tsv-split.h"
#undef SPLIT
#undef SPLIT_COUNT
#else
typedef int cu_no_avx2_split; /* a translation unit is not empty */
#endif
