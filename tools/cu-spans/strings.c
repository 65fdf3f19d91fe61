/* cu-spans: interning. Every string lives once in the pool; sid i+1 is
 * ent[i]. Two tables find them: OpenStack's ids (canonical lowercase UUIDs
 * and 32-digit hex ids) are looked up by their 128-bit value stored in the
 * slot itself, so a hit costs one cache miss instead of one for the slot,
 * one for the entry and one for the pool; all other strings (host names,
 * states) are few and go through a general table whose slots carry the
 * hash. Which table a string belongs to depends on its bytes only, so each
 * string has one sid. */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "hex.h"
#include "spans.h"

struct genslot {
    size_t off;    /* of the bytes in gpool */
    uint32_t hash, len;
    sid id; /* 0 = empty */
};

struct hexslot {
    uint64_t hi, lo;
    uint32_t id;   /* 0 = empty */
    uint32_t form; /* the string's length: 36 (UUID) or 32 (plain hex) */
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

/* memcmp(a, b, n) == 0 for the short strings interning compares, without
 * a call. */
static inline bool same_bytes(const char *a, const char *b, size_t n)
{
    for (; n >= 8; a += 8, b += 8, n -= 8) {
        uint64_t x, y;
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        if (x != y)
            return false;
    }
    for (; n > 0; a++, b++, n--)
        if (*a != *b)
            return false;
    return true;
}


/* plain: the caller knows s holds no byte TSV escapes (a hex id). */
static sid new_sid(struct strings *S, const char *s, size_t len, bool plain)
{
    if (S->n == UINT32_MAX - 1)
        cu_die(CU_EXIT_DATA, "too many distinct values");
    S->pool = cu_big_grow(S->pool, &S->pcap, S->plen + len + 1, 1);
    S->ent = cu_big_grow(S->ent, &S->cap, S->n + 1, sizeof *S->ent);
    memcpy(S->pool + S->plen, s, len);
    S->pool[S->plen + len] = '\0';
    /* the lib's escaper says whether anything would be escaped */
    plain = plain || cu_tsv_escape(s, len, NULL, 0) == len;
    S->ent[S->n] = (uint64_t)S->plen << 25 | (plain ? ENT_PLAIN : 0) | len;
    S->plen += len + 1;
    return (sid)++S->n;
}

/* s is a canonical lowercase UUID (8-4-4-4-12), 32 lowercase hex digits, or
 * reservation:UUID; the length tells which (any other length: no id). */
bool hex_id(const char *s, size_t len, uint64_t *hi, uint64_t *lo)
{
    if (len == RESV_FLAVOR_LEN)
        return memcmp(s, RESV_FLAVOR_PREFIX, RESV_FLAVOR_PREFIX_LEN) ==
                   0 &&
               cu_hex_id(s + RESV_FLAVOR_PREFIX_LEN, 36, hi, lo);
    return cu_hex_id(s, len, hi, lo);
}

static size_t hex_slot_of(uint64_t hi, uint64_t lo, uint32_t form)
{
    uint64_t h = (hi ^ (lo * 0x9E3779B97F4A7C15ULL) ^ form) *
                 0xC2B2AE3D27D4EB4FULL;
    return (size_t)(h >> 32);
}

/* Both tables double the same way: each used slot (its id, at byte id_off,
 * not 0) goes to the first free slot from its home in the new table. */
static void *table_double(void *old, size_t *mask, size_t size,
                          size_t (*home)(const void *slot), size_t id_off)
{
    size_t oldcap = *mask ? *mask + 1 : 0, ncap = oldcap ? 2 * oldcap : 1024;
    char *nt = cu_table_calloc(ncap, size);
    for (size_t i = 0; i < oldcap; i++) {
        const char *e = (const char *)old + i * size;
        sid id, at;
        memcpy(&id, e + id_off, sizeof id);
        if (!id)
            continue;
        size_t j = home(e) & (ncap - 1);
        for (;; j = (j + 1) & (ncap - 1)) {
            memcpy(&at, nt + j * size + id_off, sizeof at);
            if (!at)
                break;
        }
        memcpy(nt + j * size, e, size);
    }
    cu_table_free(old, oldcap, size);
    *mask = ncap - 1;
    return nt;
}

static size_t hex_home(const void *slot)
{
    const struct hexslot *e = slot;
    return hex_slot_of(e->hi, e->lo, e->form);
}

static size_t general_home(const void *slot)
{
    return ((const struct genslot *)slot)->hash;
}

/* The id's spelling, for an id queued without its bytes. */
static void hex_format(uint64_t hi, uint64_t lo, uint32_t form, char *out)
{
    char d[32];
    cu_hex32_format(hi, lo, d);
    if (form == 32) {
        memcpy(out, d, 32);
        return;
    }
    if (form == RESV_FLAVOR_LEN) {
        memcpy(out, RESV_FLAVOR_PREFIX, RESV_FLAVOR_PREFIX_LEN);
        out += RESV_FLAVOR_PREFIX_LEN;
    }
    memcpy(out, d, 8);
    out[8] = '-';
    memcpy(out + 9, d + 8, 4);
    out[13] = '-';
    memcpy(out + 14, d + 12, 4);
    out[18] = '-';
    memcpy(out + 19, d + 16, 4);
    out[23] = '-';
    memcpy(out + 24, d + 20, 12);
}

/* s may be NULL: the string is then spelled from the value. */
static sid intern_hex(struct strings *S, const char *s, uint32_t form,
                      uint64_t hi, uint64_t lo)
{
    if (4 * (S->hn + 1) > 3 * S->hmask) /* linear probing stays short */
        S->hex = table_double(S->hex, &S->hmask, sizeof *S->hex, hex_home,
                              offsetof(struct hexslot, id));
    size_t j = hex_slot_of(hi, lo, form) & S->hmask;
    for (struct hexslot *e; (e = &S->hex[j])->id; j = (j + 1) & S->hmask)
        if (e->hi == hi && e->lo == lo && e->form == form)
            return e->id;
    char spelled[RESV_FLAVOR_LEN];
    if (!s) {
        hex_format(hi, lo, form, spelled);
        s = spelled;
    }
    sid id = new_sid(S, s, form, true);
    S->hex[j] = (struct hexslot){hi, lo, id, form};
    S->hn++;
    return id;
}

static sid intern_general(struct strings *S, const char *s, size_t len)
{
    if (2 * (S->tn + 1) > S->tmask)
        S->tab = table_double(S->tab, &S->tmask, sizeof *S->tab,
                              general_home, offsetof(struct genslot, id));
    uint32_t h = hash_bytes(s, len);
    size_t j = h & S->tmask;
    for (const struct genslot *e; (e = &S->tab[j])->id;
         j = (j + 1) & S->tmask)
        if (e->hash == h && e->len == len &&
            same_bytes(S->gpool + e->off, s, len))
            return e->id;
    sid id = new_sid(S, s, len, false);
    S->gpool = cu_big_grow(S->gpool, &S->gpcap, S->gplen + len + 1, 1);
    memcpy(S->gpool + S->gplen, s, len);
    S->tab[j] = (struct genslot){S->gplen, h, (uint32_t)len, id};
    S->gplen += len;
    S->tn++;
    return id;
}

sid intern(struct strings *S, const char *s, size_t len)
{
    if (len >= (1u << 24))
        cu_die(CU_EXIT_DATA, "a value of %zu bytes is too long", len);
    uint64_t hi, lo;
    if (hex_id(s, len, &hi, &lo))
        return intern_hex(S, s, (uint32_t)len, hi, lo);
    return intern_general(S, s, len);
}

static void lag_resolve_oldest(struct lagq *q)
{
    const struct lagitem *it = &q->q[q->head];
    sid id = intern_hex(q->S, NULL, it->form, it->hi, it->lo);
    memcpy((char *)*q->base + it->idx * q->elem + it->off, &id, sizeof id);
    q->head = (q->head + 1) % LAG;
    q->n--;
}

void lag_push(struct lagq *q, uint64_t hi, uint64_t lo, uint32_t form,
                     size_t idx, size_t off)
{
    if (q->n == LAG)
        lag_resolve_oldest(q);
    const struct strings *S = q->S;
    if (S->hmask)
        __builtin_prefetch(&S->hex[hex_slot_of(hi, lo, form) & S->hmask]);
    q->q[(q->head + q->n++) % LAG] =
        (struct lagitem){hi, lo, idx, form, (uint32_t)off};
}

/* Forget the ids queued for element idx (a row that was not kept); they
 * are the newest, since a row queues fewer than LAG ids. */
void lag_forget(struct lagq *q, size_t idx)
{
    while (q->n && q->q[(q->head + q->n - 1) % LAG].idx == idx)
        q->n--;
}

void lag_flush(struct lagq *q)
{
    while (q->n)
        lag_resolve_oldest(q);
}

sid intern_cstr(struct strings *S, const char *s)
{
    return intern(S, s, strlen(s));
}

int sid_cmp(const struct strings *S, sid a, sid b)
{
    if (a == b)
        return 0;
    if (!a || !b)
        return a ? 1 : -1; /* NULL first */
    size_t la = len_of(S, a), lb = len_of(S, b);
    int c = memcmp(str_of(S, a), str_of(S, b), la < lb ? la : lb);
    return c ? c : (la > lb) - (la < lb);
}

struct idmap idmap_new(const struct strings *S)
{
    return (struct idmap){cu_table_calloc(S->n + 1, sizeof(uint32_t)),
                          S->n + 1};
}

void idmap_free(struct idmap *m)
{
    cu_table_free(m->v, m->n, sizeof *m->v);
    *m = (struct idmap){NULL, 0};
}

struct idmap idmap_index(const struct strings *S, const void *v, size_t n,
                         size_t size, size_t off)
{
    struct idmap m = idmap_new(S);
    for (size_t i = 0; i < n; i++) {
        sid s;
        memcpy(&s, (const char *)v + i * size + off, sizeof s);
        idset(&m, s, (uint32_t)i + 1);
    }
    return m;
}

void idset(struct idmap *m, sid s, uint32_t v)
{
    if (s >= m->n)
        cu_die(CU_EXIT_DATA, "internal error: id %u beyond map", s);
    m->v[s] = v;
}

sid intern_cached(struct strings *S, const char *s, size_t len, sid *last)
{
    if (*last && len_of(S, *last) == len &&
        same_bytes(str_of(S, *last), s, len))
        return *last;
    return *last = intern(S, s, len);
}

void sort_array(void *v, size_t n, size_t size, sort_cmp *cmp, void *ctx)
{
    if (n > 1)
        qsort_r(v, n, size, cmp, ctx);
}

void strings_end_interning(struct strings *S)
{
    cu_table_free(S->hex, S->hmask ? S->hmask + 1 : 0, sizeof *S->hex);
    S->hex = NULL;
    S->hmask = S->hn = 0;
}

void strings_free(struct strings *S)
{
    strings_end_interning(S);
    cu_big_free(S->pool, S->pcap, 1);
    cu_big_free(S->ent, S->cap, sizeof *S->ent);
    cu_big_free(S->gpool, S->gpcap, 1);
    cu_table_free(S->tab, S->tmask ? S->tmask + 1 : 0, sizeof *S->tab);
    *S = (struct strings){0};
}
