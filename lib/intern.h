/* A string intern table: each distinct byte string gets a small integer id,
 * 0, 1, 2, ... in the order first seen, and its bytes are kept once. Keys
 * are byte strings with a length (they may hold NUL bytes); the copy kept
 * is NUL-terminated for callers that know their keys hold none.
 *
 * Open addressing with linear probing over a power-of-two slot array kept
 * at most half full, so a lookup is one hash and a probe or two whatever
 * the count: the one table every tool uses for names, ids and classes. */
#ifndef CU_INTERN_H
#define CU_INTERN_H

#include <stddef.h>
#include <stdint.h>

typedef struct cu_intern cu_intern;

cu_intern *cu_intern_new(void);
void cu_intern_free(cu_intern *t); /* NULL is a no-op */

/* The id of s[0..len), added if it is new. More than UINT32_MAX - 1
 * distinct strings is fatal. */
uint32_t cu_intern_add(cu_intern *t, const char *s, size_t len);
/* The id of s[0..len), or CU_INTERN_NONE if it was never added. */
#define CU_INTERN_NONE UINT32_MAX
uint32_t cu_intern_find(const cu_intern *t, const char *s, size_t len);

size_t cu_intern_count(const cu_intern *t);
/* The bytes of id (NUL-terminated) and their length; id < count. */
const char *cu_intern_str(const cu_intern *t, uint32_t id);
size_t cu_intern_len(const cu_intern *t, uint32_t id);

#endif
