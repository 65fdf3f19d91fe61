/* lib/intern: see intern.h. */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "bigmem.h"
#include "error.h"
#include "hex.h"
#include "intern.h"

enum { MAX_LEN = 1 << 24, CHUNK = 4 << 20 };


/* A slot of the general index: id + 1 (0: free) and the string's hash. */
struct genslot {
    uint32_t id1, hash;
};


struct cu_intern {
    struct cu_intern_head h; /* ent, n, ids, imask: first (intern.h) */
    size_t cap;
    struct genslot *gen;
    size_t gmask, gn; /* gmask + 1 slots (0: none yet) */
    size_t in;
    /* the bytes: in chunks that never move, on large pages where the
       kernel has them (read at random: a page walk saved per string) */
    struct chunk {
        char *p;
        size_t size;
    } *chunks;
    size_t nchunks, chunks_cap;
    size_t used, room; /* of the last chunk */
    bool dropped;
};

/* A word-at-a-time multiplicative hash: interning is on the hot path. */
static uint32_t hash_bytes(const char *s, size_t len)
{
    const uint64_t k = 0x9E3779B97F4A7C15ULL;
    uint64_t h = len * k;
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * k;
        h ^= h >> 29;
        s += 8;
        len -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, s, len);
    h = (h ^ w) * k;
    h ^= h >> 32;
    return (uint32_t)h;
}


cu_intern *cu_intern_new(void) { return cu_xcalloc(1, sizeof(cu_intern)); }

void cu_intern_free(cu_intern *t)
{
    if (!t)
        return;
    cu_intern_drop_index(t);
    for (size_t i = 0; i < t->nchunks; i++)
        cu_table_free(t->chunks[i].p, t->chunks[i].size, 1);
    free(t->chunks);
    cu_big_free(t->h.ent, t->cap, sizeof *t->h.ent);
    free(t);
}

void cu_intern_drop_index(cu_intern *t)
{
    cu_table_free(t->gen, t->gmask ? t->gmask + 1 : 0, sizeof *t->gen);
    cu_table_free(t->h.ids, t->h.imask ? t->h.imask + 1 : 0, sizeof *t->h.ids);
    t->gen = NULL;
    t->h.ids = NULL;
    t->gmask = t->gn = t->h.imask = t->in = 0;
    t->dropped = true;
}

static void check_open(const cu_intern *t)
{
    if (t->dropped)
        cu_die(CU_EXIT_DATA, "internal error: string table used after "
                             "its index was dropped");
}

/* A copy of s[0..len) and a NUL where it never moves. */
static const char *keep_bytes(cu_intern *t, const char *s, size_t len)
{
    if (t->room - t->used < len + 1) {
        size_t size = len + 1 > CHUNK ? len + 1 : CHUNK;
        t->chunks = cu_xgrow(t->chunks, &t->chunks_cap, t->nchunks + 1,
                             sizeof *t->chunks);
        t->chunks[t->nchunks++] =
            (struct chunk){cu_table_calloc(size, 1), size};
        t->used = 0;
        t->room = size;
    }
    char *p = t->chunks[t->nchunks - 1].p + t->used;
    memcpy(p, s, len);
    p[len] = '\0';
    t->used += len + 1;
    return p;
}

static uint32_t new_entry(cu_intern *t, const char *s, size_t len,
                          bool is_id)
{
    if (t->h.n >= CU_INTERN_NONE - 1)
        cu_die(CU_EXIT_DATA, "too many distinct strings (%zu)", t->h.n);
    t->h.ent = cu_big_grow(t->h.ent, &t->cap, t->h.n + 1, sizeof *t->h.ent);
    t->h.ent[t->h.n] = (struct cu_intern_entry){keep_bytes(t, s, len), (uint32_t)len, is_id};
    return (uint32_t)t->h.n++;
}

/* ---- the id index */

static void grow_ids(cu_intern *t)
{
    size_t oldcap = t->h.imask ? t->h.imask + 1 : 0;
    size_t ncap = oldcap ? 2 * oldcap : 1024;
    struct cu_intern_idslot *old = t->h.ids,
                            *nt = cu_table_calloc(ncap, sizeof *nt);
    for (size_t i = 0; i < oldcap; i++) {
        if (!old[i].id1)
            continue;
        size_t j =
            cu_intern_id_home(old[i].hi, old[i].lo, old[i].form) & (ncap - 1);
        while (nt[j].id1)
            j = (j + 1) & (ncap - 1);
        nt[j] = old[i];
    }
    cu_table_free(old, oldcap, sizeof *old);
    t->h.ids = nt;
    t->h.imask = ncap - 1;
}

/* The slot of the id (hi, lo, form), or the free one where it would go. */
static struct cu_intern_idslot *id_slot(const cu_intern *t, uint64_t hi,
                                        uint64_t lo, uint32_t form)
{
    size_t j = cu_intern_id_home(hi, lo, form) & t->h.imask;
    for (struct cu_intern_idslot *e; (e = &t->h.ids[j])->id1;
         j = (j + 1) & t->h.imask)
        if (e->hi == hi && e->lo == lo && e->form == form)
            return e;
    return &t->h.ids[j];
}

/* The spelling of an id added by its value. */
static void spell_id(uint64_t hi, uint64_t lo, uint32_t form, char *out)
{
    if (form == 32)
        cu_hex32_format(hi, lo, out);
    else
        cu_hex_uuid_format(hi, lo, out);
}

/* s: the spelling, or NULL to spell it from the value. */
static uint32_t add_id(cu_intern *t, const char *s, uint64_t hi, uint64_t lo,
                       uint32_t form)
{
    check_open(t);
    if (4 * (t->in + 1) > 3 * t->h.imask) /* linear probing stays short */
        grow_ids(t);
    struct cu_intern_idslot *e = id_slot(t, hi, lo, form);
    if (e->id1)
        return e->id1 - 1;
    char spelled[36];
    if (!s) {
        spell_id(hi, lo, form, spelled);
        s = spelled;
    }
    uint32_t id = new_entry(t, s, form, true);
    *e = (struct cu_intern_idslot){hi, lo, id + 1, form};
    t->in++;
    return id;
}

uint32_t cu_intern_add_id(cu_intern *t, uint64_t hi, uint64_t lo,
                          unsigned form)
{
    if (form != 32 && form != 36)
        cu_die(CU_EXIT_DATA, "internal error: an id of form %u", form);
    return add_id(t, NULL, hi, lo, (uint32_t)form);
}


/* ---- the general index */

static void grow_general(cu_intern *t)
{
    size_t oldcap = t->gmask ? t->gmask + 1 : 0;
    size_t ncap = oldcap ? 2 * oldcap : 1024;
    struct genslot *old = t->gen, *nt = cu_table_calloc(ncap, sizeof *nt);
    for (size_t i = 0; i < oldcap; i++) {
        if (!old[i].id1)
            continue;
        size_t j = old[i].hash & (ncap - 1);
        while (nt[j].id1)
            j = (j + 1) & (ncap - 1);
        nt[j] = old[i];
    }
    cu_table_free(old, oldcap, sizeof *old);
    t->gen = nt;
    t->gmask = ncap - 1;
}

static struct genslot *general_slot(const cu_intern *t, const char *s,
                                    size_t len, uint32_t h)
{
    size_t j = h & t->gmask;
    for (struct genslot *e; (e = &t->gen[j])->id1; j = (j + 1) & t->gmask) {
        const struct cu_intern_entry *x = &t->h.ent[e->id1 - 1];
        if (e->hash == h && x->len == len && memcmp(x->s, s, len) == 0)
            return e;
    }
    return &t->gen[j];
}

uint32_t cu_intern_add(cu_intern *t, const char *s, size_t len)
{
    if (len >= MAX_LEN)
        cu_die(CU_EXIT_DATA, "a value of %zu bytes is too long", len);
    uint64_t hi, lo;
    if (cu_hex_id(s, len, &hi, &lo))
        return add_id(t, s, hi, lo, (uint32_t)len);
    check_open(t);
    if (2 * (t->gn + 1) > t->gmask)
        grow_general(t);
    uint32_t h = hash_bytes(s, len);
    struct genslot *e = general_slot(t, s, len, h);
    if (e->id1)
        return e->id1 - 1;
    uint32_t id = new_entry(t, s, len, false);
    *e = (struct genslot){id + 1, h};
    t->gn++;
    return id;
}

uint32_t cu_intern_find(const cu_intern *t, const char *s, size_t len)
{
    check_open(t);
    uint64_t hi, lo;
    if (cu_hex_id(s, len, &hi, &lo)) {
        if (!t->h.imask)
            return CU_INTERN_NONE;
        const struct cu_intern_idslot *e = id_slot(t, hi, lo, (uint32_t)len);
        return e->id1 ? e->id1 - 1 : CU_INTERN_NONE;
    }
    if (!t->gmask)
        return CU_INTERN_NONE;
    const struct genslot *e = general_slot(t, s, len, hash_bytes(s, len));
    return e->id1 ? e->id1 - 1 : CU_INTERN_NONE;
}

void cu_intern_prefetch_id(const cu_intern *t, uint64_t hi, uint64_t lo,
                           unsigned form)
{
    if (t->h.imask)
        __builtin_prefetch(
            &t->h.ids[cu_intern_id_home(hi, lo, form) & t->h.imask]);
}

void cu_intern_prefetch(const cu_intern *t, uint32_t id)
{
    __builtin_prefetch(&t->h.ent[id]);
}
