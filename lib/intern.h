/* A string intern table: each distinct byte string gets a small integer id,
 * 0, 1, 2, ... in the order first seen, and its bytes are kept once. Keys
 * are byte strings with a length (they may hold NUL bytes); the copy kept
 * is NUL-terminated for callers that know their keys hold none, and stays
 * where it is for the life of the table (a pointer to it stays valid).
 *
 * The one table every tool uses for names, ids and classes, built for the
 * largest of them (cu-spans: millions of OpenStack ids). Two indexes find
 * the strings: ids (canonical lowercase UUIDs and 32-digit hex ids, see
 * hex.h) by their 128-bit value kept in the slot itself, so that a hit
 * costs one cache miss rather than one for the slot, one for the entry and
 * one for the bytes; every other string through a table whose slots carry
 * the hash. Which index a string belongs to depends on its bytes only, so
 * each string has one id. Both are open addressing with linear probing,
 * kept at most half (ids: three quarters) full. */
#ifndef CU_INTERN_H
#define CU_INTERN_H

#include <stddef.h>
#include <stdint.h>

typedef struct cu_intern cu_intern;

/* What the inline accessors below read: the table's first member (the
 * rest is intern.c's own). Not for callers to touch. */
struct cu_intern_entry {
    const char *s;
    uint32_t len;
    uint32_t is_id; /* found through the id index */
};
struct cu_intern_idslot {
    uint64_t hi, lo;
    uint32_t id1, form; /* id + 1 (0: a free slot); 32 or 36 */
};
struct cu_intern_head {
    struct cu_intern_entry *ent; /* by id */
    size_t n;
    struct cu_intern_idslot *ids; /* the id index */
    size_t imask;                 /* its slots - 1 (0: none yet) */
};

cu_intern *cu_intern_new(void);
void cu_intern_free(cu_intern *t); /* NULL is a no-op */

/* The id of s[0..len), added if it is new. More than UINT32_MAX - 1
 * distinct strings, or one of 16 MiB or more, is fatal. */
uint32_t cu_intern_add(cu_intern *t, const char *s, size_t len);
/* The id of s[0..len), or CU_INTERN_NONE if it was never added. */
#define CU_INTERN_NONE UINT32_MAX
uint32_t cu_intern_find(const cu_intern *t, const char *s, size_t len);

/* (In line: cu-spans reads millions of strings.) */
static inline size_t cu_intern_count(const cu_intern *t)
{
    return ((const struct cu_intern_head *)(const void *)t)->n;
}
/* The bytes of id (NUL-terminated) and their length; id < count. */
static inline const char *cu_intern_str(const cu_intern *t, uint32_t id)
{
    return ((const struct cu_intern_head *)(const void *)t)->ent[id].s;
}
static inline size_t cu_intern_len(const cu_intern *t, uint32_t id)
{
    return ((const struct cu_intern_head *)(const void *)t)->ent[id].len;
}

/* The id of an id given as its value (hi, lo as cu_hex_id reads them) and
 * its form: 32 (the digits) or 36 (a canonical UUID), the same as adding
 * its spelling. For a caller that read the value and let the bytes go:
 * it asked cu_intern_prefetch_id first, a few ids earlier, so that the
 * slot is in cache by now (cu-spans' readers do, for the ids of millions
 * of rows). */
uint32_t cu_intern_add_id(cu_intern *t, uint64_t hi, uint64_t lo,
                          unsigned form);
/* The home slot of an id in the id index. */
static inline size_t cu_intern_id_home(uint64_t hi, uint64_t lo,
                                       uint32_t form)
{
    uint64_t h = (hi ^ (lo * 0x9E3779B97F4A7C15ULL) ^ form) *
                 0xC2B2AE3D27D4EB4FULL;
    return (size_t)(h >> 32);
}
/* Out of line on purpose: GCC drops an inlined prefetch whose address
 * nothing else uses. */
void cu_intern_prefetch_id(const cu_intern *t, uint64_t hi, uint64_t lo,
                           unsigned form);

/* Whether id's string is an id (hex digits or a UUID, see hex.h). */
static inline int cu_intern_is_id(const cu_intern *t, uint32_t id)
{
    return ((const struct cu_intern_head *)(const void *)t)->ent[id].is_id != 0;
}

/* Fetch id's entry into cache ahead of cu_intern_str (the bytes are one
 * more miss away): for a caller that will read many strings at random. */
void cu_intern_prefetch(const cu_intern *t, uint32_t id);

/* No more adding or finding: the indexes are freed (they are the larger
 * part of a big table), the strings and their ids stay. */
void cu_intern_drop_index(cu_intern *t);

#endif
