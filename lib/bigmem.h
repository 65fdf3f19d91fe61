/* Memory for tables of millions of rows (cu-spans at 10^6 instances):
 * tables read at random live on 2 MiB pages where the kernel has them (a
 * lookup then costs a cache miss, not also a page walk), and arrays that
 * grow to hundreds of megabytes live in mappings of their own that grow by
 * moving page tables (mremap) instead of copying, their new pages faulted
 * in at once. Small ones stay on the heap. Out of memory is fatal (exit 1).
 * On systems without mremap or MADV_HUGEPAGE it is calloc and realloc. */
#ifndef CU_BIGMEM_H
#define CU_BIGMEM_H

#include <stddef.h>

/* n zeroed elements of size bytes; free with cu_table_free(p, n, size). */
void *cu_table_calloc(size_t n, size_t size);
void cu_table_free(void *p, size_t n, size_t size);

/* p grown to hold at least need elements of size bytes (*cap elements
 * now); new elements are not zeroed. Free with cu_big_free(p, cap, size). */
void *cu_big_grow(void *p, size_t *cap, size_t need, size_t size);
void cu_big_free(void *p, size_t cap, size_t size);

#endif
