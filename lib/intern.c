/* lib/intern: see intern.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "intern.h"

struct entry {
    char *s;
    size_t len;
    uint64_t hash;
};

struct cu_intern {
    struct entry *entries; /* by id */
    size_t n, cap;
    uint32_t *slots; /* id + 1; 0 = free */
    size_t nslots;   /* a power of two, or 0 */
};

/* FNV-1a: short keys (names, ids) dominate, and it needs no alignment. */
static uint64_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= UINT64_C(0x100000001b3);
    }
    return h ^ (h >> 29);
}

cu_intern *cu_intern_new(void) { return cu_xcalloc(1, sizeof(cu_intern)); }

void cu_intern_free(cu_intern *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        free(t->entries[i].s);
    free(t->entries);
    free(t->slots);
    free(t);
}

/* The slot holding s, or the free slot where it would go. */
static size_t probe(const cu_intern *t, const char *s, size_t len,
                    uint64_t h)
{
    size_t mask = t->nslots - 1, i = (size_t)h & mask;
    for (;; i = (i + 1) & mask) {
        uint32_t id = t->slots[i];
        if (id == 0)
            return i;
        const struct entry *e = &t->entries[id - 1];
        if (e->hash == h && e->len == len && memcmp(e->s, s, len) == 0)
            return i;
    }
}

static void grow_slots(cu_intern *t)
{
    size_t nslots = t->nslots ? 2 * t->nslots : 64;
    free(t->slots);
    t->slots = cu_xcalloc(nslots, sizeof *t->slots);
    t->nslots = nslots;
    for (size_t id = 0; id < t->n; id++) {
        const struct entry *e = &t->entries[id];
        t->slots[probe(t, e->s, e->len, e->hash)] = (uint32_t)id + 1;
    }
}

uint32_t cu_intern_find(const cu_intern *t, const char *s, size_t len)
{
    if (t->nslots == 0)
        return CU_INTERN_NONE;
    uint32_t id = t->slots[probe(t, s, len, hash_bytes(s, len))];
    return id ? id - 1 : CU_INTERN_NONE;
}

uint32_t cu_intern_add(cu_intern *t, const char *s, size_t len)
{
    if (2 * (t->n + 1) > t->nslots)
        grow_slots(t);
    uint64_t h = hash_bytes(s, len);
    size_t slot = probe(t, s, len, h);
    if (t->slots[slot])
        return t->slots[slot] - 1;
    if (t->n >= CU_INTERN_NONE - 1)
        cu_die(CU_EXIT_DATA, "too many distinct strings (%zu)", t->n);
    t->entries = cu_xgrow(t->entries, &t->cap, t->n + 1, sizeof *t->entries);
    struct entry *e = &t->entries[t->n];
    e->s = cu_xmalloc(len + 1);
    memcpy(e->s, s, len);
    e->s[len] = '\0';
    e->len = len;
    e->hash = h;
    t->slots[slot] = (uint32_t)++t->n;
    return (uint32_t)(t->n - 1);
}

size_t cu_intern_count(const cu_intern *t) { return t->n; }

const char *cu_intern_str(const cu_intern *t, uint32_t id)
{
    return t->entries[id].s;
}

size_t cu_intern_len(const cu_intern *t, uint32_t id)
{
    return t->entries[id].len;
}
