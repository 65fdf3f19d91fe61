/* Big tables and growing arrays for tools that hold millions of rows; see
 * bigmem.h. */
#include "config.h"

#include "bigmem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "error.h"


/* Tables read at random, tens of megabytes at scale (the id table, the
 * maps by id): on 2 MiB pages, where the kernel has them, a lookup costs a
 * cache miss instead of a cache miss and a page walk (measured: the reading
 * of 10^6 instances 7 % faster). Small tables stay with calloc. */
#define HUGE_PAGE ((size_t)2 << 20)
#if defined(MADV_HUGEPAGE) && defined(MAP_ANONYMOUS)
#define BIG_TABLE (4 * HUGE_PAGE)
#else
#define BIG_TABLE SIZE_MAX
#endif

/* A big table is a mapping of its own: zero already (pages are only
 * touched as they are used), and unmapped when freed, so that the next
 * table reuses its pages. Free with table_free and the same n and size. */
void *cu_table_calloc(size_t n, size_t size)
{
    if (size && n > (SIZE_MAX - HUGE_PAGE) / size)
        cu_die(CU_EXIT_DATA, "out of memory (table of %zu)", n);
    size_t bytes = n * size;
#if defined(MADV_HUGEPAGE) && defined(MAP_ANONYMOUS)
    if (bytes >= BIG_TABLE) {
        void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            cu_die(CU_EXIT_DATA, "out of memory (%zu bytes)", bytes);
        (void)madvise(p, bytes, MADV_HUGEPAGE); /* only a hint */
        return p;
    }
#endif
    return cu_xcalloc(n ? n : 1, size);
}

/* Memory of `bytes` that was mapped if it was mapped_from bytes or more. */
static void unmap_or_free(void *p, size_t bytes, size_t mapped_from)
{
#ifdef MAP_ANONYMOUS
    if (p && bytes >= mapped_from) {
        munmap(p, bytes);
        return;
    }
#endif
    (void)bytes;
    (void)mapped_from;
    free(p);
}

void cu_table_free(void *p, size_t n, size_t size)
{
    unmap_or_free(p, n * size, BIG_TABLE);
}

/* The arrays of rows grow to hundreds of megabytes. Past BIG_ARRAY bytes
 * an array lives in a mapping of its own, which grows by moving page tables
 * (mremap) where realloc on the heap would copy it, and touch fresh pages,
 * at each step. */
#define BIG_ARRAY ((size_t)1 << 20)

#ifdef MREMAP_MAYMOVE
/* The pages an array just grew by are about to be written in order: one
 * call faults them all in, where a page fault each costs more (measured
 * ~7 % of the run at 10^6 instances). Older kernels lack it: a hint. */
static void populate(void *p, size_t from, size_t to)
{
#ifdef MADV_POPULATE_WRITE
    const size_t page = 4096;
    from = (from + page - 1) / page * page;
    to = (to + page - 1) / page * page;
    if (to > from)
        (void)madvise((char *)p + from, to - from, MADV_POPULATE_WRITE);
#else
    (void)p;
    (void)from;
    (void)to;
#endif
}

static void *map_pages(size_t bytes)
{
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        cu_die(CU_EXIT_DATA, "out of memory (%zu bytes)", bytes);
    return p;
}
#endif

void *cu_big_grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / size)
            cu_die(CU_EXIT_DATA, "out of memory");
        /* a mapping grows in place or by moving page tables, never by
         * copying: steps of a quarter touch fewer pages than doubling */
        ncap += ncap * size >= BIG_ARRAY ? ncap / 4 : ncap;
    }
    size_t old = *cap * size, bytes = ncap * size;
#ifdef MREMAP_MAYMOVE
    if (bytes >= BIG_ARRAY && old >= BIG_ARRAY) {
        p = mremap(p, old, bytes, MREMAP_MAYMOVE);
        if (p == MAP_FAILED)
            cu_die(CU_EXIT_DATA, "out of memory (%zu bytes)", bytes);
        populate(p, old, bytes);
    } else if (bytes >= BIG_ARRAY) {
        void *q = map_pages(bytes);
        if (old)
            memcpy(q, p, old);
        populate(q, old, bytes);
        free(p);
        p = q;
    } else
#endif
        p = cu_xrealloc(p, bytes);
    *cap = ncap;
    return p;
}

void cu_big_free(void *p, size_t cap, size_t size)
{
#ifdef MREMAP_MAYMOVE
    unmap_or_free(p, cap * size, BIG_ARRAY);
#else
    unmap_or_free(p, cap * size, SIZE_MAX);
#endif
}

