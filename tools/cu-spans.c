/* cu-spans: turn the rows of nova, nova_api and blazar (a cu-dump table
 * stream or archive) into the span stream of cu(7): one row per interval
 * during which a host existed, was reservable, was committed to a lease, or
 * an instance held one state on one host. Every rule is in cu-spans(1).
 *
 * Memory: every string is interned once (ids are small integers into one
 * pool), rows are kept as arrays of small structs and joined by sorting and
 * by id-indexed arrays after all input has been read, so the sections may
 * come in any order. */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cutime.h"
#include "archive.h"
#include "bigmem.h"
#include "error.h"
#include "hex.h"
#include "history.h"
#include "radix.h"
#include "stream.h"
#include "writer.h"

#define T_OPEN INT64_MAX     /* the end of a span still open */
#define T_MIN INT64_MIN      /* "since forever" (never a real time) */
#define NO_INT INT64_MIN     /* a NULL integer */

/* ------------------------------------------------------------ interning */

typedef uint32_t sid; /* an interned string; 0 = none / NULL */

/* Every string lives once in the pool; sid i+1 is ent[i]. Two tables find
 * them: OpenStack's ids (canonical lowercase UUIDs and 32-digit hex ids)
 * are looked up by their 128-bit value stored in the slot itself, so a hit
 * costs one cache miss instead of one for the slot, one for the entry and
 * one for the pool; all other strings (host names, states) are few and go
 * through a general table whose slots carry the hash. Which table a string
 * belongs to depends on its bytes only, so each string has one sid. */
static struct {
    char *pool;
    size_t plen, pcap;
    uint64_t *ent; /* offset << 25 | plain << 24 | length (up to 16 MiB);
                      plain: no byte TSV escapes, so written as it is */
    size_t n, cap;
    struct genslot *tab; /* the general table */
    size_t tmask, tn;
    char *gpool; /* its strings again, packed: few, and compared often */
    size_t gplen, gpcap;
    struct hexslot *hex;
    size_t hmask, hn;
} S;

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

#define ENT_PLAIN (UINT64_C(1) << 24)
static const char *str_of(sid id) { return S.pool + (S.ent[id - 1] >> 25); }
static size_t len_of(sid id) { return (size_t)(S.ent[id - 1] & 0xffffff); }
static bool is_plain(sid id) { return S.ent[id - 1] & ENT_PLAIN; }

/* plain: the caller knows s holds no byte TSV escapes (a hex id). */
static sid new_sid(const char *s, size_t len, bool plain)
{
    if (S.n == UINT32_MAX - 1)
        cu_die(CU_EXIT_DATA, "too many distinct values");
    S.pool = cu_big_grow(S.pool, &S.pcap, S.plen + len + 1, 1);
    S.ent = cu_big_grow(S.ent, &S.cap, S.n + 1, sizeof *S.ent);
    memcpy(S.pool + S.plen, s, len);
    S.pool[S.plen + len] = '\0';
    /* the lib's escaper says whether anything would be escaped */
    plain = plain || cu_tsv_escape(s, len, NULL, 0) == len;
    S.ent[S.n] = (uint64_t)S.plen << 25 | (plain ? ENT_PLAIN : 0) | len;
    S.plen += len + 1;
    return (sid)++S.n;
}

/* The flavor Blazar creates for each flavor:instance reservation is named
 * after it: there are as many as reservations, so they are ids too. */
static const char resv_flavor_prefix[] = "reservation:";
#define RESV_FLAVOR_LEN (sizeof resv_flavor_prefix - 1 + 36)

/* s is a canonical lowercase UUID (8-4-4-4-12), 32 lowercase hex digits, or
 * reservation:UUID; the length tells which (any other length: no id). */
static bool hex_id(const char *s, size_t len, uint64_t *hi, uint64_t *lo)
{
    if (len == RESV_FLAVOR_LEN)
        return memcmp(s, resv_flavor_prefix, sizeof resv_flavor_prefix - 1) ==
                   0 &&
               cu_hex_id(s + sizeof resv_flavor_prefix - 1, 36, hi, lo);
    return cu_hex_id(s, len, hi, lo);
}

static size_t hex_slot_of(uint64_t hi, uint64_t lo, uint32_t form)
{
    uint64_t h = (hi ^ (lo * 0x9E3779B97F4A7C15ULL) ^ form) *
                 0xC2B2AE3D27D4EB4FULL;
    return (size_t)(h >> 32);
}

static void hex_rehash(void)
{
    size_t ncap = S.hmask ? (S.hmask + 1) * 2 : 1024;
    struct hexslot *old = S.hex;
    size_t oldcap = S.hmask ? S.hmask + 1 : 0;
    S.hex = cu_table_calloc(ncap, sizeof *S.hex);
    S.hmask = ncap - 1;
    for (size_t i = 0; i < oldcap; i++) {
        if (!old[i].id)
            continue;
        size_t j = hex_slot_of(old[i].hi, old[i].lo, old[i].form) & S.hmask;
        while (S.hex[j].id)
            j = (j + 1) & S.hmask;
        S.hex[j] = old[i];
    }
    cu_table_free(old, oldcap, sizeof *old);
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
        memcpy(out, resv_flavor_prefix, sizeof resv_flavor_prefix - 1);
        out += sizeof resv_flavor_prefix - 1;
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
static sid intern_hex(const char *s, uint32_t form, uint64_t hi, uint64_t lo)
{
    if (4 * (S.hn + 1) > 3 * S.hmask) /* linear probing stays short */
        hex_rehash();
    size_t j = hex_slot_of(hi, lo, form) & S.hmask;
    for (struct hexslot *e; (e = &S.hex[j])->id; j = (j + 1) & S.hmask)
        if (e->hi == hi && e->lo == lo && e->form == form)
            return e->id;
    char spelled[RESV_FLAVOR_LEN];
    if (!s) {
        hex_format(hi, lo, form, spelled);
        s = spelled;
    }
    sid id = new_sid(s, form, true);
    S.hex[j] = (struct hexslot){hi, lo, id, form};
    S.hn++;
    return id;
}

static void general_rehash(void)
{
    size_t ncap = S.tmask ? (S.tmask + 1) * 2 : 1024;
    struct genslot *old = S.tab;
    size_t oldcap = S.tmask ? S.tmask + 1 : 0;
    S.tab = cu_xcalloc(ncap, sizeof *S.tab);
    S.tmask = ncap - 1;
    for (size_t i = 0; i < oldcap; i++) {
        if (!old[i].id)
            continue;
        size_t j = old[i].hash & S.tmask;
        while (S.tab[j].id)
            j = (j + 1) & S.tmask;
        S.tab[j] = old[i];
    }
    free(old);
}

static sid intern_general(const char *s, size_t len)
{
    if (2 * (S.tn + 1) > S.tmask)
        general_rehash();
    uint32_t h = hash_bytes(s, len);
    size_t j = h & S.tmask;
    for (const struct genslot *e; (e = &S.tab[j])->id;
         j = (j + 1) & S.tmask)
        if (e->hash == h && e->len == len &&
            same_bytes(S.gpool + e->off, s, len))
            return e->id;
    sid id = new_sid(s, len, false);
    S.gpool = cu_big_grow(S.gpool, &S.gpcap, S.gplen + len + 1, 1);
    memcpy(S.gpool + S.gplen, s, len);
    S.tab[j] = (struct genslot){S.gplen, h, (uint32_t)len, id};
    S.gplen += len;
    S.tn++;
    return id;
}

static sid intern(const char *s, size_t len)
{
    if (len >= (1u << 24))
        cu_die(CU_EXIT_DATA, "a value of %zu bytes is too long", len);
    uint64_t hi, lo;
    if (hex_id(s, len, &hi, &lo))
        return intern_hex(s, (uint32_t)len, hi, lo);
    return intern_general(s, len);
}

/* Interning an id is a cache miss into a table larger than the caches, and
 * the reader has nothing else to do meanwhile. So the hot readers queue
 * their ids here: the slot is prefetched at once and the id is interned
 * LAG ids later, when the slot has arrived, into the sid field at byte
 * offset `off` of element `idx` of the array at *base. */
enum { LAG = 16 };
struct lagq {
    void *const *base;
    size_t elem;
    size_t head, n;
    struct lagitem {
        uint64_t hi, lo;
        size_t idx;
        uint32_t form, off;
    } q[LAG];
};

static void lag_resolve_oldest(struct lagq *q)
{
    const struct lagitem *it = &q->q[q->head];
    sid id = intern_hex(NULL, it->form, it->hi, it->lo);
    memcpy((char *)*q->base + it->idx * q->elem + it->off, &id, sizeof id);
    q->head = (q->head + 1) % LAG;
    q->n--;
}

static void lag_push(struct lagq *q, uint64_t hi, uint64_t lo, uint32_t form,
                     size_t idx, size_t off)
{
    if (q->n == LAG)
        lag_resolve_oldest(q);
    if (S.hmask)
        __builtin_prefetch(&S.hex[hex_slot_of(hi, lo, form) & S.hmask]);
    q->q[(q->head + q->n++) % LAG] =
        (struct lagitem){hi, lo, idx, form, (uint32_t)off};
}

/* Forget the ids queued for element idx (a row that was not kept); they
 * are the newest, since a row queues fewer than LAG ids. */
static void lag_forget(struct lagq *q, size_t idx)
{
    while (q->n && q->q[(q->head + q->n - 1) % LAG].idx == idx)
        q->n--;
}

static void lag_flush(struct lagq *q)
{
    while (q->n)
        lag_resolve_oldest(q);
}

static sid intern_cstr(const char *s) { return intern(s, strlen(s)); }

static int sid_cmp(sid a, sid b)
{
    if (a == b)
        return 0;
    if (!a || !b)
        return a ? 1 : -1; /* NULL first */
    size_t la = len_of(a), lb = len_of(b);
    int c = memcmp(str_of(a), str_of(b), la < lb ? la : lb);
    return c ? c : (la > lb) - (la < lb);
}

/* A map from sid to a small integer, sized for the strings interned so far;
 * strings interned later map to 0. */
struct idmap {
    uint32_t *v;
    size_t n;
};

static struct idmap idmap_new(void)
{
    return (struct idmap){cu_table_calloc(S.n + 1, sizeof(uint32_t)), S.n + 1};
}

static void idmap_free(struct idmap *m)
{
    cu_table_free(m->v, m->n, sizeof *m->v);
    *m = (struct idmap){NULL, 0};
}

static uint32_t idget(const struct idmap *m, sid s)
{
    return s < m->n ? m->v[s] : 0;
}

static void idset(struct idmap *m, sid s, uint32_t v)
{
    if (s >= m->n)
        cu_die(CU_EXIT_DATA, "internal error: id %u beyond map", s);
    m->v[s] = v;
}

/* qsort, but an empty array may be NULL. */
static void sort_array(void *v, size_t n, size_t size,
                       int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(v, n, size, cmp);
}

/* A few elements, mostly in order already (one instance's actions, one
 * id's spans): an insertion sort, stable; qsort when there are many.
 * Inlined where it is called, so that its copies are of a known size and
 * its comparison a direct call: it runs for every instance and id. */
static inline __attribute__((always_inline)) void
sort_few(void *v, size_t n, size_t size,
         int (*cmp)(const void *, const void *))
{
    char t[64], *a = v;
    if (n > 32 || size > sizeof t) {
        sort_array(v, n, size, cmp);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        size_t j = i;
        memcpy(t, a + i * size, size);
        for (; j > 0 && cmp(a + (j - 1) * size, t) > 0; j--)
            memcpy(a + j * size, a + (j - 1) * size, size);
        memcpy(a + j * size, t, size);
    }
}

/* ------------------------------------------------------------ options */

enum kind { K_COMMITTED, K_CONTAINER, K_INSTANCE, K_RESERVABLE, K_TOTAL, K_N };
static const char *const kind_name[K_N] = {"committed", "container",
                                           "instance", "reservable", "total"};

enum state { ST_ACTIVE, ST_STOPPED, ST_ERROR, ST_SHELVED, ST_KIND, ST_N };
static const char *const state_name[ST_N - 1] = {"active", "stopped", "error",
                                                 "shelved"};

enum audit { A_OK, A_CLIPPED, A_ORPHAN, A_NULL_KEY, A_FALLBACK, A_INFERRED,
             A_N };
static const char *const audit_name[A_N] = {"ok",       "clipped",
                                            "orphan",   "null_key",
                                            "fallback", "inferred"};

enum booking { B_NONE, B_RESERVATION, B_ONDEMAND };

static struct {
    const char *site;
    cu_time wstart, wend; /* T_MIN / T_OPEN when not given */
    bool kinds[K_N];
    bool skip_bad;
    bool history; /* the operands are archives of one cloud in time order */
    const char **allow_missing; /* --allow-missing tables */
    size_t nallow_missing;
    struct cu_common common;
} opt;

/* The tables cu-spans reads (by their name without the schema): one the
 * input says it could not deliver (denied, missing, failed) stops the run
 * unless --allow-missing names it. cu-spans(1) lists them. */
static const char *const needed_tables[] = {
    "compute_nodes", "instances", "instance_extra", "request_specs",
    "instance_actions", "instance_actions_events", "leases", "reservations",
    "computehosts", "devices", "computehost_allocations",
    "device_allocations", "instance_reservations", "container",
    "container_actions", "container_actions_events",
};

/* ------------------------------------------------------------ statistics */

/* "table<TAB>status" of the tables the input could not deliver. */
static char **missing_tables;
static size_t nmissing, nmissing_cap;

struct table_count {
    sid table;
    unsigned long rows, skipped;
    bool used;
};
static struct table_count *tcounts;
static size_t ntcounts, tcounts_cap;

enum drop {
    D_START_GE_END,
    D_NO_RESERVATION,
    D_NO_LEASE,
    D_NO_INSTANCE,
    D_NO_ACTION,
    D_FAILED_OTHER,
    D_OUTSIDE_WINDOW,
    D_NOT_RESERVABLE,
    D_NO_CONTAINER,
    D_CAPSULE,
    D_N
};
static const char *const drop_name[D_N] = {
    "span with start >= end",
    "allocation of an unknown reservation",
    "reservation of an unknown lease",
    "action or spec of an unknown instance",
    "event of an unknown action",
    "failed action of no state effect (ignored)",
    "span outside the window",
    "device not reservable",
    "action or event of an unknown container",
    "container of a capsule (the capsule is counted)",
};
static unsigned long drops[D_N][K_N + 1]; /* by kind; K_N: no kind */

enum { MAX_SKIP_MESSAGES = 1000 };
static char **skip_msgs;
static size_t nskip_msgs, skip_msgs_cap;
static unsigned long nskipped;
static struct cu_write_counts written; /* for --stats */
static struct cu_history_stats hist;   /* --history, for --stats */

/* ------------------------------------------------------------ rows */

struct cnode { /* nova.compute_nodes */
    sid hh, svc;
    bool ironic;
    int64_t vcpus, mem, disk;
    cu_time c, d;
};
struct inst { /* nova.instances */
    sid uuid, host, node, project, user, vm_state;
    cu_time c, d, term, launched;
    int64_t vcpus, mem, root, eph;
    bool gone; /* d is _gone_at: the row left the history (--history) */
};
struct extra { /* nova.instance_extra, nova_api.request_specs */
    sid uuid, flavor, reservation;
    int64_t vcpus, mem, root, eph;
};
struct action {
    uint64_t key; /* cell << 32 | id */
    sid uuid;
    uint32_t inst; /* index + 1 into insts, 0 = unknown */
    cu_time t;
    uint8_t eff, failed, place_prio;
    sid place;   /* host of the best placing event (raw service host) */
    sid anyhost; /* host of the first event with one */
};
struct event {
    uint64_t akey;
    sid host;
    uint8_t place_prio, error;
};
struct lease {
    sid id, project, user;
    cu_time start, end, c, d;
};
struct resv {
    sid id, lease, type;
    cu_time d;
};
struct chost { /* blazar.computehosts and blazar.devices */
    sid id, hh;
    cu_time c, d;
    int64_t vcpus, mem, disk;
    bool device;
    bool gone; /* d is _gone_at (--history) */
    bool unreservable; /* a device Blazar does not offer (reservable 0) */
};
struct alloc {
    sid host_id, resv;
    cu_time d;
    bool device;
    bool gone; /* d is _gone_at (--history) */
};
struct ires {
    sid resv;
    int64_t vcpus, mem, disk, amount;
};

#define ARRAY(T, name) static struct { T *v; size_t n, cap; } name
ARRAY(struct cnode, cnodes);
ARRAY(struct inst, insts);
struct container { /* zun.container */
    sid uuid, project, user, host, status;
    cu_time c, u, started, gone;
    int64_t vcpus, mem, disk;
};
struct caction { /* zun.container_actions */
    sid id, uuid;
    cu_time t, fin;
    uint32_t k; /* index + 1 into containers, 0 = unknown */
    uint8_t eff, failed;
};
ARRAY(struct container, containers);
ARRAY(struct caction, cactions);
ARRAY(sid, cfailed); /* container actions with an event in Error */
struct extras { struct extra *v; size_t n, cap; };
static struct extras extras, rspecs;
ARRAY(struct action, actions);
ARRAY(struct event, events);
ARRAY(struct lease, leases);
ARRAY(struct resv, resvs);
ARRAY(struct chost, chosts);
ARRAY(struct alloc, allocs);
ARRAY(struct ires, ireses);
#define PUSH(a) (*((a).n == (a).cap                                         \
                    ? ((a).v = cu_big_grow((a).v, &(a).cap, (a).n + 1,         \
                                        sizeof *(a).v)),                    \
                    &(a).v[(a).n++] : &(a).v[(a).n++]))

struct span {
    cu_time s, e;
    double nodes; /* NAN = NULL */
    int64_t vcpus, mem, disk;
    sid id, host, project, user, resv, lease, flavor;
    /* in bits: millions of spans are sorted and written */
    unsigned kind : 3, state : 3, audit : 3, booking : 2;
    unsigned flavor_is_resv : 1; /* flavor is "reservation:" + resv (not
                                    interned: one per reservation) */
};
_Static_assert(sizeof(struct span) <= 80, "a span stays within 80 bytes");
ARRAY(struct span, spans);

/* ------------------------------------------------------------ reading */

/* One row being read: where to report problems. */
struct rowctx {
    cu_reader *r;
    struct table_count *tc;
    bool bad;
};

static struct table_count *table_count_for(sid table)
{
    for (size_t i = 0; i < ntcounts; i++)
        if (tcounts[i].table == table)
            return &tcounts[i];
    tcounts = cu_xgrow(tcounts, &tcounts_cap, ntcounts + 1, sizeof *tcounts);
    tcounts[ntcounts] = (struct table_count){.table = table};
    return &tcounts[ntcounts++];
}

/* A field that cannot be interpreted: fatal, or counted with --skip-bad. */
static void bad_field(struct rowctx *x, size_t i, const char *what)
{
    const cu_reader *r = x->r;
    const char *table = cu_reader_table(r) ? cu_reader_table(r) : "(unnamed)";
    if (!opt.skip_bad)
        cu_reader_die_field(r, i, "%s: %s", table, what);
    if (!x->bad) {
        x->bad = true;
        x->tc->skipped++;
        nskipped++;
        if (nskip_msgs < MAX_SKIP_MESSAGES) {
            const cu_field *f = cu_reader_field(r, i);
            char *m = cu_xasprintf(
                "%s:%lu: field %zu (%s): %s: %s: '%.*s'", cu_reader_filename(r),
                cu_reader_lineno(r), i + 1, cu_reader_colname(r, i), table,
                what, (int)(f->raw_len > 80 ? 80 : f->raw_len), f->raw);
            for (char *p = m; *p; p++)
                if (*p == '\n' || *p == '\t' || *p == '\r')
                    *p = ' ';
            skip_msgs = cu_xgrow(skip_msgs, &skip_msgs_cap, nskip_msgs + 1,
                                 sizeof *skip_msgs);
            skip_msgs[nskip_msgs++] = m;
        }
    }
}

static sid f_sid(struct rowctx *x, long i)
{
    if (i < 0)
        return 0;
    const cu_field *f = cu_reader_field(x->r, (size_t)i);
    return cu_field_is_null(f) ? 0 : intern(f->s, f->len);
}

/* Like f_sid for a column whose value often repeats from one row to the
 * next (the host of an action's events, the instance of its actions). */
static sid f_sid_cached(struct rowctx *x, long i, sid *last)
{
    if (i < 0)
        return 0;
    const cu_field *f = cu_reader_field(x->r, (size_t)i);
    if (cu_field_is_null(f))
        return 0;
    if (*last && len_of(*last) == f->len &&
        same_bytes(str_of(*last), f->s, f->len))
        return *last;
    return *last = intern(f->s, f->len);
}

/* A key column: NULL or empty is a row that cannot be interpreted. */
static sid f_key(struct rowctx *x, long i)
{
    const cu_field *f = cu_reader_field(x->r, (size_t)i);
    if (cu_field_is_null(f) || f->len == 0) {
        bad_field(x, (size_t)i, "missing key");
        return 0;
    }
    return intern(f->s, f->len);
}

/* Queue field i if it is a hex id, for the sid field at byte offset off of
 * element idx of the lagq's array (filled in later; 0 until then). */
static bool lag_if_hex(struct rowctx *x, long i, struct lagq *q, size_t idx,
                       size_t off)
{
    const cu_field *f = cu_reader_field(x->r, (size_t)i);
    uint64_t hi, lo;
    if (cu_field_is_null(f) || !hex_id(f->s, f->len, &hi, &lo))
        return false;
    lag_push(q, hi, lo, (uint32_t)f->len, idx, off);
    return true;
}

/* f_key, or f_sid, with a hex id queued (lag_if_hex). */
static sid f_key_lagged(struct rowctx *x, long i, struct lagq *q, size_t idx,
                        size_t off)
{
    return lag_if_hex(x, i, q, idx, off) ? 0 : f_key(x, i);
}

static sid f_sid_lagged(struct rowctx *x, long i, struct lagq *q, size_t idx,
                        size_t off)
{
    return i >= 0 && lag_if_hex(x, i, q, idx, off) ? 0 : f_sid(x, i);
}

/* Within a reader filling array A of struct T through a lagq named lag. */
#define LAGQ(A) struct lagq lag = {.base = (void *const *)&(A).v, \
                                   .elem = sizeof *(A).v}
#define LAG_KEY(A, T, field, col) \
    f_key_lagged(&x, col, &lag, (A).n, offsetof(T, field))
#define LAG_SID(A, T, field, col) \
    f_sid_lagged(&x, col, &lag, (A).n, offsetof(T, field))

static cu_time f_time(struct rowctx *x, long i)
{
    if (i < 0)
        return CU_TIME_NULL;
    const cu_field *f = cu_reader_field(x->r, (size_t)i);
    if (cu_field_is_null(f))
        return CU_TIME_NULL;
    cu_time t;
    const char *why = "bad time";
    switch (cu_time_parse(f->s, f->len, &t, &why)) {
    case CU_TIME_OK:
        return t;
    case CU_TIME_ZERO:
        return CU_TIME_NULL;
    default:
        bad_field(x, (size_t)i, why ? why : "bad time");
        return CU_TIME_NULL;
    }
}

/* A time that must be there (a span's start). */
static cu_time f_need_time(struct rowctx *x, long i)
{
    cu_time t = f_time(x, i);
    if (t == CU_TIME_NULL && !x->bad)
        bad_field(x, (size_t)i, "missing time");
    return t;
}

static int64_t f_int(struct rowctx *x, long i)
{
    if (i < 0)
        return NO_INT;
    const cu_field *f = cu_reader_field(x->r, (size_t)i);
    if (cu_field_is_null(f))
        return NO_INT;
    const char *p = f->s, *end = f->s + f->len;
    if (f->len - 1 < 18) { /* 1 to 18 digits cannot overflow: no checks */
        int64_t v = 0;
        unsigned bad = 0;
        for (; p < end; p++) {
            unsigned d = (unsigned)(unsigned char)*p - '0';
            bad |= d > 9;
            v = v * 10 + (int64_t)d;
        }
        if (!bad)
            return v;
        p = f->s;
    }
    bool neg = false;
    if (p < end && (*p == '-' || *p == '+'))
        neg = *p++ == '-';
    if (p == end)
        goto bad;
    int64_t v = 0;
    for (; p < end && *p >= '0' && *p <= '9'; p++) {
        if (v > (INT64_MAX - 9) / 10) {
            bad_field(x, (size_t)i, "integer out of range");
            return NO_INT;
        }
        v = v * 10 + (*p - '0');
    }
    /* JSON numbers of integer columns may come as 4.0 */
    if (p < end && *p == '.') {
        for (p++; p < end && *p == '0'; p++)
            ;
    }
    if (p != end)
        goto bad;
    return neg ? -v : v;
bad:
    bad_field(x, (size_t)i, "not an integer");
    return NO_INT;
}

/* Sizes and counts (vcpus, memory, disk, amount) beyond this are no real
 * cloud's: a corrupt row, rejected where it stands rather than summed
 * into a timeline that overflows or goes negative. 2^40 MiB is an EiB. */
#define SIZE_MAX_SANE (INT64_C(1) << 40)

/* A size or count: a non-negative integer no larger than SIZE_MAX_SANE. */
static int64_t f_size(struct rowctx *x, long i)
{
    int64_t v = f_int(x, i);
    if (v == NO_INT || x->bad)
        return v;
    if (v < 0)
        bad_field(x, (size_t)i, "negative size");
    else if (v > SIZE_MAX_SANE)
        bad_field(x, (size_t)i, "size out of range (over 2^40)");
    else
        return v;
    return NO_INT;
}

static bool f_is(struct rowctx *x, long i, const char *s)
{
    if (i < 0)
        return false;
    return cu_field_equals(cu_reader_field(x->r, (size_t)i), s);
}

/* ---- instance actions and events: the transition table */

enum effect {
    E_NONE,    /* no effect on state or host (lock, attach_volume, ...) */
    E_CREATE,  /* active; a failed create was never active */
    E_ACTIVE,  /* becomes active */
    E_STOPPED, /* becomes stopped */
    E_SHELVED, /* becomes shelved: holds no host */
    E_UNSHELVE,/* becomes active on the host the unshelve placed it on */
    E_DELETE,  /* ends the instance */
    E_MOVE,    /* keeps the state; may move it to another host */
    E_KEEP,    /* keeps state and host, but a failure is an error */
};

/* Looked up for every action and event row: names carry their lengths. */
#define NAMED(s) s, sizeof s - 1

static const struct {
    const char *name;
    size_t len;
    enum effect eff;
} action_table[] = {
    {NAMED("create"), E_CREATE},         {NAMED("start"), E_ACTIVE},
    {NAMED("reboot"), E_ACTIVE},         {NAMED("unpause"), E_ACTIVE},
    {NAMED("resume"), E_ACTIVE},         {NAMED("rebuild"), E_ACTIVE},
    {NAMED("restore"), E_ACTIVE},        {NAMED("unshelve"), E_UNSHELVE},
    {NAMED("stop"), E_STOPPED},          {NAMED("pause"), E_STOPPED},
    {NAMED("suspend"), E_STOPPED},       {NAMED("shelve"), E_SHELVED},
    {NAMED("shelveOffload"), E_SHELVED}, {NAMED("delete"), E_DELETE},
    {NAMED("resize"), E_MOVE},           {NAMED("migrate"), E_MOVE},
    {NAMED("live-migration"), E_MOVE},   {NAMED("evacuate"), E_MOVE},
    {NAMED("revertResize"), E_MOVE},     {NAMED("confirmResize"), E_KEEP},
};

static enum effect action_effect(const cu_field *f)
{
    if (cu_field_is_null(f))
        return E_NONE;
    for (size_t i = 0; i < sizeof action_table / sizeof *action_table; i++)
        if (action_table[i].len == f->len &&
            memcmp(action_table[i].name, f->s, f->len) == 0)
            return action_table[i].eff;
    return E_NONE;
}

/* Events whose host is where the instance runs once the action is done, by
 * preference (the finishing event over the preparing one). */
static const struct {
    const char *name;
    size_t len;
    uint8_t prio;
} place_table[] = {
    {NAMED("compute__do_build_and_run_instance"), 4},
    {NAMED("compute_finish_resize"), 4},
    {NAMED("compute_finish_revert_resize"), 4},
    {NAMED("compute_post_live_migration_at_destination"), 4},
    {NAMED("compute_rebuild_instance"), 4},
    {NAMED("compute_unshelve_instance"), 4},
    {NAMED("compute_pre_live_migration"), 3},
    {NAMED("compute_prep_resize"), 2},
};

/* 0: not a compute_* event (its host is no compute host: a conductor's,
 * a scheduler's); 1: a compute event that does not place; more: placing. */
static uint8_t event_place_prio(const cu_field *f)
{
    if (cu_field_is_null(f) || f->len < 8 || memcmp(f->s, "compute_", 8))
        return 0;
    for (size_t i = 0; i < sizeof place_table / sizeof *place_table; i++)
        if (place_table[i].len == f->len &&
            memcmp(place_table[i].name, f->s, f->len) == 0)
            return place_table[i].prio;
    return 1;
}

/* ---- one reader per table */

static uint64_t cell_key(const char *table)
{
    const char *dot = table ? strrchr(table, '.') : NULL;
    sid cell = dot ? intern(table, (size_t)(dot - table)) : 0;
    return (uint64_t)cell << 32;
}

#define NEED(name) long c_##name = (long)cu_reader_need_col(r, #name)
#define MAYBE(name) long c_##name = cu_reader_col(r, #name)
/* The columns a reader of a big table reads, all of them: the reader
 * leaves the others undecoded (and reading another one is fatal). */
#define ONLY(...)                                                          \
    do {                                                                   \
        const long only_[] = {__VA_ARGS__};                                \
        cu_reader_only(r, only_, sizeof only_ / sizeof *only_);            \
    } while (0)

static enum cu_next read_compute_nodes(cu_reader *r, struct table_count *tc)
{
    NEED(hypervisor_hostname); NEED(host); NEED(created_at);
    NEED(deleted_at); NEED(vcpus); NEED(memory_mb); NEED(local_gb);
    NEED(hypervisor_type);
    enum cu_next nx;
    while ((nx = cu_reader_next(r)) == CU_ROW) {
        struct rowctx x = {r, tc, false};
        tc->rows++;
        struct cnode n = {
            .hh = f_key(&x, c_hypervisor_hostname),
            .svc = f_sid(&x, c_host),
            .ironic = f_is(&x, c_hypervisor_type, "ironic"),
            .vcpus = f_size(&x, c_vcpus),
            .mem = f_size(&x, c_memory_mb),
            .disk = f_size(&x, c_local_gb),
            .c = f_need_time(&x, c_created_at),
            .d = f_time(&x, c_deleted_at),
        };
        if (!x.bad)
            PUSH(cnodes) = n;
    }
    return nx;
}

static enum cu_next read_instances(cu_reader *r, struct table_count *tc)
{
    NEED(uuid); NEED(created_at); NEED(deleted_at); NEED(terminated_at);
    NEED(host); NEED(node); NEED(vcpus); NEED(memory_mb); NEED(root_gb);
    NEED(project_id); NEED(user_id);
    MAYBE(ephemeral_gb); MAYBE(vm_state); MAYBE(launched_at);
    MAYBE(_gone_at);
    ONLY(c_uuid, c_created_at, c_deleted_at, c_terminated_at, c_host, c_node,
         c_vcpus, c_memory_mb, c_root_gb, c_project_id, c_user_id,
         c_ephemeral_gb, c_vm_state, c_launched_at, c__gone_at);
    LAGQ(insts);
    enum cu_next nx;
    while ((nx = cu_reader_next(r)) == CU_ROW) {
        struct rowctx x = {r, tc, false};
        tc->rows++;
        struct inst in = {
            .uuid = LAG_KEY(insts, struct inst, uuid, c_uuid),
            .c = f_need_time(&x, c_created_at),
            .d = f_time(&x, c_deleted_at),
            .term = f_time(&x, c_terminated_at),
            .launched = f_time(&x, c_launched_at),
            .host = f_sid(&x, c_host),
            .node = f_sid(&x, c_node),
            .vcpus = f_size(&x, c_vcpus),
            .mem = f_size(&x, c_memory_mb),
            .root = f_size(&x, c_root_gb),
            .eph = f_size(&x, c_ephemeral_gb),
            .project = LAG_SID(insts, struct inst, project, c_project_id),
            .user = LAG_SID(insts, struct inst, user, c_user_id),
            .vm_state = f_sid(&x, c_vm_state),
        };
        cu_time gone = f_time(&x, c__gone_at);
        if (gone != CU_TIME_NULL && in.d == CU_TIME_NULL &&
            in.term == CU_TIME_NULL) {
            in.d = gone;
            in.gone = true;
        }
        if (!x.bad)
            PUSH(insts) = in;
        else
            lag_forget(&lag, insts.n);
    }
    lag_flush(&lag);
    return nx;
}

static enum cu_next read_extra(cu_reader *r, struct table_count *tc,
                               bool spec)
{
    NEED(instance_uuid);
    MAYBE(flavor_name); MAYBE(vcpus); MAYBE(memory_mb); MAYBE(root_gb);
    MAYBE(ephemeral_gb); MAYBE(reservation);
    if (spec)
        (void)cu_reader_need_col(r, "reservation");
    ONLY(c_instance_uuid, c_flavor_name, c_vcpus, c_memory_mb, c_root_gb,
         c_ephemeral_gb, c_reservation);
    struct extras *to = spec ? &rspecs : &extras;
    LAGQ(*to);
    enum cu_next nx;
    while ((nx = cu_reader_next(r)) == CU_ROW) {
        struct rowctx x = {r, tc, false};
        tc->rows++;
        struct extra e = {
            .uuid = LAG_KEY(*to, struct extra, uuid, c_instance_uuid),
            .flavor = LAG_SID(*to, struct extra, flavor, c_flavor_name),
            .reservation = spec ? f_sid(&x, c_reservation) : 0,
            .vcpus = f_size(&x, c_vcpus),
            .mem = f_size(&x, c_memory_mb),
            .root = f_size(&x, c_root_gb),
            .eph = f_size(&x, c_ephemeral_gb),
        };
        if (x.bad)
            lag_forget(&lag, to->n);
        else if (spec)
            PUSH(rspecs) = e;
        else
            PUSH(extras) = e;
    }
    lag_flush(&lag);
    return nx;
}

static enum cu_next read_actions(cu_reader *r, struct table_count *tc)
{
    NEED(id); NEED(instance_uuid); NEED(action); NEED(start_time);
    NEED(message);
    MAYBE(created_at);
    ONLY(c_id, c_instance_uuid, c_action, c_start_time, c_message,
         c_created_at);
    uint64_t cell = cell_key(cu_reader_table(r));
    LAGQ(actions);
    enum cu_next nx;
    while ((nx = cu_reader_next(r)) == CU_ROW) {
        struct rowctx x = {r, tc, false};
        tc->rows++;
        int64_t id = f_int(&x, c_id);
        if (id == NO_INT && !x.bad)
            bad_field(&x, (size_t)c_id, "missing key");
        else if (!x.bad && (id < 0 || id > UINT32_MAX))
            bad_field(&x, (size_t)c_id, "id out of range");
        struct action a = {
            .key = cell | (uint32_t)id,
            .uuid = LAG_KEY(actions, struct action, uuid, c_instance_uuid),
            .eff = (uint8_t)action_effect(
                cu_reader_field(r, (size_t)c_action)),
            .failed = f_is(&x, c_message, "Error"),
            .t = f_time(&x, c_start_time),
        };
        if (a.t == CU_TIME_NULL && !x.bad)
            a.t = f_time(&x, c_created_at);
        if (a.t == CU_TIME_NULL && !x.bad)
            bad_field(&x, (size_t)c_start_time, "missing time");
        if (!x.bad)
            PUSH(actions) = a;
        else
            lag_forget(&lag, actions.n);
    }
    lag_flush(&lag);
    return nx;
}

static enum cu_next read_events(cu_reader *r, struct table_count *tc)
{
    NEED(action_id); NEED(event); NEED(result); NEED(host);
    ONLY(c_action_id, c_event, c_result, c_host);
    uint64_t cell = cell_key(cu_reader_table(r));
    sid last_host = 0;
    enum cu_next nx;
    while ((nx = cu_reader_next(r)) == CU_ROW) {
        struct rowctx x = {r, tc, false};
        tc->rows++;
        int64_t id = f_int(&x, c_action_id);
        if (id == NO_INT && !x.bad)
            bad_field(&x, (size_t)c_action_id, "missing key");
        else if (!x.bad && (id < 0 || id > UINT32_MAX))
            bad_field(&x, (size_t)c_action_id, "id out of range");
        const cu_field *res = cu_reader_field(r, (size_t)c_result);
        struct event e = {
            .akey = cell | (uint32_t)id,
            .place_prio = event_place_prio(
                cu_reader_field(r, (size_t)c_event)),
            .error = !cu_field_is_null(res) && res->len == 5 &&
                     strncasecmp(res->s, "error", 5) == 0,
        };
        /* only a compute_* event's host is ever used (apply_events) */
        if (e.place_prio > 0)
            e.host = f_sid_cached(&x, c_host, &last_host);
        if (!x.bad)
            PUSH(events) = e;
    }
    return nx;
}

static enum cu_next read_leases(cu_reader *r, struct table_count *tc)
{
    NEED(id); NEED(start_date); NEED(end_date); NEED(created_at);
    NEED(project_id); NEED(user_id);
    MAYBE(deleted_at);
    LAGQ(leases);
    enum cu_next nx;
    while ((nx = cu_reader_next(r)) == CU_ROW) {
        struct rowctx x = {r, tc, false};
        tc->rows++;
        struct lease l = {
            .id = LAG_KEY(leases, struct lease, id, c_id),
            .start = f_need_time(&x, c_start_date),
            .end = f_need_time(&x, c_end_date),
            .c = f_time(&x, c_created_at),
            .d = f_time(&x, c_deleted_at),
            .project = LAG_SID(leases, struct lease, project, c_project_id),
            .user = LAG_SID(leases, struct lease, user, c_user_id),
        };
        if (!x.bad)
            PUSH(leases) = l;
        else
            lag_forget(&lag, leases.n);
    }
    lag_flush(&lag);
    return nx;
}

static enum cu_next read_reservations(cu_reader *r, struct table_count *tc)
{
    NEED(id); NEED(lease_id); NEED(resource_type);
    MAYBE(deleted_at);
    LAGQ(resvs);
    enum cu_next nx;
    while ((nx = cu_reader_next(r)) == CU_ROW) {
        struct rowctx x = {r, tc, false};
        tc->rows++;
        struct resv v = {
            .id = LAG_KEY(resvs, struct resv, id, c_id),
            .lease = LAG_KEY(resvs, struct resv, lease, c_lease_id),
            .type = f_sid(&x, c_resource_type),
            .d = f_time(&x, c_deleted_at),
        };
        if (!x.bad)
            PUSH(resvs) = v;
        else
            lag_forget(&lag, resvs.n);
    }
    lag_flush(&lag);
    return nx;
}

static enum cu_next read_computehosts(cu_reader *r, struct table_count *tc,
                                      bool device)
{
    long c_name, c_vcpus = -1, c_memory_mb = -1, c_local_gb = -1;
    long c_reservable = -1;
    NEED(id); NEED(created_at);
    MAYBE(deleted_at); MAYBE(_gone_at);
    if (device) {
        c_name = (long)cu_reader_need_col(r, "name");
        c_reservable = (long)cu_reader_need_col(r, "reservable");
    } else {
        c_name = (long)cu_reader_need_col(r, "hypervisor_hostname");
        c_vcpus = (long)cu_reader_need_col(r, "vcpus");
        c_memory_mb = (long)cu_reader_need_col(r, "memory_mb");
        c_local_gb = (long)cu_reader_need_col(r, "local_gb");
    }
    enum cu_next nx;
    while ((nx = cu_reader_next(r)) == CU_ROW) {
        struct rowctx x = {r, tc, false};
        tc->rows++;
        struct chost h = {
            .id = f_key(&x, c_id),
            .hh = f_key(&x, c_name),
            .c = f_need_time(&x, c_created_at),
            .d = f_time(&x, c_deleted_at),
            .vcpus = f_size(&x, c_vcpus),
            .mem = f_size(&x, c_memory_mb),
            .disk = f_size(&x, c_local_gb),
            .device = device,
        };
        if (device && !x.bad)
            h.unreservable = f_int(&x, c_reservable) == 0;
        cu_time gone = f_time(&x, c__gone_at);
        if (gone != CU_TIME_NULL && h.d == CU_TIME_NULL) {
            h.d = gone;
            h.gone = true;
        }
        if (!x.bad)
            PUSH(chosts) = h;
    }
    return nx;
}

static enum cu_next read_allocations(cu_reader *r, struct table_count *tc,
                                     bool device)
{
    long c_host = (long)cu_reader_need_col(
        r, device ? "device_id" : "compute_host_id");
    NEED(reservation_id);
    MAYBE(deleted_at); MAYBE(_gone_at);
    LAGQ(allocs);
    enum cu_next nx;
    while ((nx = cu_reader_next(r)) == CU_ROW) {
        struct rowctx x = {r, tc, false};
        tc->rows++;
        struct alloc a = {
            .host_id = f_sid(&x, c_host),
            .resv = LAG_KEY(allocs, struct alloc, resv, c_reservation_id),
            .d = f_time(&x, c_deleted_at),
            .device = device,
        };
        cu_time gone = f_time(&x, c__gone_at);
        if (gone != CU_TIME_NULL && a.d == CU_TIME_NULL) {
            a.d = gone; /* upstream Blazar deleted it */
            a.gone = true;
        }
        if (!x.bad)
            PUSH(allocs) = a;
        else
            lag_forget(&lag, allocs.n);
    }
    lag_flush(&lag);
    return nx;
}

static enum cu_next read_instance_reservations(cu_reader *r,
                                               struct table_count *tc)
{
    NEED(reservation_id); NEED(vcpus); NEED(memory_mb); NEED(disk_gb);
    NEED(amount);
    LAGQ(ireses);
    enum cu_next nx;
    while ((nx = cu_reader_next(r)) == CU_ROW) {
        struct rowctx x = {r, tc, false};
        tc->rows++;
        struct ires v = {
            .resv = LAG_KEY(ireses, struct ires, resv, c_reservation_id),
            .vcpus = f_size(&x, c_vcpus),
            .mem = f_size(&x, c_memory_mb),
            .disk = f_size(&x, c_disk_gb),
            .amount = f_size(&x, c_amount),
        };
        if (!x.bad)
            PUSH(ireses) = v;
        else
            lag_forget(&lag, ireses.n);
    }
    lag_flush(&lag);
    return nx;
}

static enum cu_next skip_section(cu_reader *r, struct table_count *tc)
{
    enum cu_next nx;
    while ((nx = cu_reader_next(r)) == CU_ROW)
        tc->rows++;
    return nx;
}

/* ---- Zun (CHI@Edge): containers, their actions and events */

/* zun's cpu is a float, a share of the host's CPUs; a span counts whole
 * vCPUs, so a share is rounded up (0.5 holds one CPU of the count). */
static int64_t f_cpu(struct rowctx *x, long i)
{
    const cu_field *f = cu_reader_field(x->r, (size_t)i);
    char buf[64], *end;
    if (cu_field_is_null(f))
        return NO_INT;
    if (f->len == 0 || f->len >= sizeof buf) {
        bad_field(x, (size_t)i, "not a CPU count");
        return NO_INT;
    }
    memcpy(buf, f->s, f->len);
    buf[f->len] = '\0';
    double v = strtod(buf, &end);
    if (*end || !(v >= 0) || v > 1e6) {
        bad_field(x, (size_t)i, "not a CPU count");
        return NO_INT;
    }
    return (int64_t)ceil(v);
}

/* zun's memory is a string of MB: "512", or "512M" as older versions
 * wrote it. */
static int64_t f_memory_mb(struct rowctx *x, long i)
{
    const cu_field *f = cu_reader_field(x->r, (size_t)i);
    int64_t v = 0;
    size_t n;
    if (cu_field_is_null(f))
        return NO_INT;
    n = f->len;
    if (n > 1 && (f->s[n - 1] == 'M' || f->s[n - 1] == 'm'))
        n--;
    for (size_t k = 0; k < n; k++) {
        if (f->s[k] < '0' || f->s[k] > '9' || v > (INT64_C(1) << 40)) {
            bad_field(x, (size_t)i, "not a memory size in MB");
            return NO_INT;
        }
        v = v * 10 + (f->s[k] - '0');
    }
    if (n == 0)
        bad_field(x, (size_t)i, "not a memory size in MB");
    return v;
}

static enum cu_next read_containers(cu_reader *r, struct table_count *tc)
{
    NEED(uuid); NEED(created_at); NEED(project_id); NEED(host); NEED(cpu);
    NEED(memory); NEED(status);
    MAYBE(updated_at); MAYBE(started_at); MAYBE(user_id); MAYBE(disk);
    MAYBE(container_type); MAYBE(_gone_at);
    enum cu_next nx;
    while ((nx = cu_reader_next(r)) == CU_ROW) {
        struct rowctx x = {r, tc, false};
        tc->rows++;
        /* a capsule (type 1) holds its containers' sizes and runs on one
           host as one: it is counted, its containers (2, and 3 for init
           containers) are not, so a device is occupied once */
        int64_t type = f_int(&x, c_container_type);
        if ((type == 2 || type == 3) && !x.bad) {
            drops[D_CAPSULE][K_CONTAINER]++;
            continue;
        }
        struct container k = {0};
        k.uuid = f_key(&x, c_uuid);
        k.c = f_need_time(&x, c_created_at);
        k.u = f_time(&x, c_updated_at);
        k.started = f_time(&x, c_started_at);
        k.project = f_sid(&x, c_project_id);
        k.user = f_sid(&x, c_user_id);
        k.host = f_sid(&x, c_host);
        k.status = f_sid(&x, c_status);
        k.vcpus = f_cpu(&x, c_cpu);
        k.mem = f_memory_mb(&x, c_memory);
        k.disk = f_size(&x, c_disk);
        k.gone = f_time(&x, c__gone_at);
        if (!x.bad)
            PUSH(containers) = k;
    }
    return nx;
}

static const struct {
    const char *name;
    size_t len;
    enum effect eff;
} caction_table[] = {
    {NAMED("create"), E_CREATE},  {NAMED("start"), E_ACTIVE},
    {NAMED("reboot"), E_ACTIVE},  {NAMED("restart"), E_ACTIVE},
    {NAMED("unpause"), E_ACTIVE}, {NAMED("rebuild"), E_ACTIVE},
    {NAMED("stop"), E_STOPPED},   {NAMED("kill"), E_STOPPED},
    {NAMED("pause"), E_STOPPED},  {NAMED("delete"), E_DELETE},
};

static enum effect caction_effect(const cu_field *f)
{
    for (size_t i = 0; i < sizeof caction_table / sizeof *caction_table; i++)
        if (!cu_field_is_null(f) && caction_table[i].len == f->len &&
            memcmp(caction_table[i].name, f->s, f->len) == 0)
            return caction_table[i].eff;
    return E_NONE;
}

static enum cu_next read_container_actions(cu_reader *r,
                                           struct table_count *tc)
{
    NEED(id); NEED(container_uuid); NEED(action); NEED(start_time);
    NEED(message);
    MAYBE(finish_time);
    enum cu_next nx;
    while ((nx = cu_reader_next(r)) == CU_ROW) {
        struct rowctx x = {r, tc, false};
        tc->rows++;
        struct caction a = {0};
        a.id = f_key(&x, c_id);
        a.uuid = f_key(&x, c_container_uuid);
        a.eff = (uint8_t)caction_effect(cu_reader_field(r, (size_t)c_action));
        a.failed = f_is(&x, c_message, "Error");
        a.t = f_need_time(&x, c_start_time);
        a.fin = f_time(&x, c_finish_time);
        if (!x.bad)
            PUSH(cactions) = a;
    }
    return nx;
}

static enum cu_next read_container_events(cu_reader *r,
                                          struct table_count *tc)
{
    NEED(action_id); NEED(result);
    enum cu_next nx;
    while ((nx = cu_reader_next(r)) == CU_ROW) {
        struct rowctx x = {r, tc, false};
        tc->rows++;
        sid id = f_key(&x, c_action_id);
        if (!x.bad && f_is(&x, c_result, "Error"))
            PUSH(cfailed) = id;
    }
    return nx;
}

static enum cu_next read_section(cu_reader *r)
{
    const char *table = cu_reader_table(r);
    /* (nova's archived rows are rows of the table they came from) */
    const char *t = table ? cu_table_entity_name(table) : "";
    struct table_count *tc = table_count_for(intern_cstr(table ? table : ""));
    tc->used = true;
    if (!strcmp(t, "compute_nodes"))
        return read_compute_nodes(r, tc);
    if (!strcmp(t, "instances"))
        return read_instances(r, tc);
    if (!strcmp(t, "instance_extra"))
        return read_extra(r, tc, false);
    if (!strcmp(t, "request_specs"))
        return read_extra(r, tc, true);
    if (!strcmp(t, "instance_actions"))
        return read_actions(r, tc);
    if (!strcmp(t, "instance_actions_events"))
        return read_events(r, tc);
    if (!strcmp(t, "leases"))
        return read_leases(r, tc);
    if (!strcmp(t, "reservations"))
        return read_reservations(r, tc);
    if (!strcmp(t, "computehosts"))
        return read_computehosts(r, tc, false);
    if (!strcmp(t, "devices"))
        return read_computehosts(r, tc, true);
    if (!strcmp(t, "computehost_allocations"))
        return read_allocations(r, tc, false);
    if (!strcmp(t, "device_allocations"))
        return read_allocations(r, tc, true);
    if (!strcmp(t, "instance_reservations"))
        return read_instance_reservations(r, tc);
    if (!strcmp(t, "container"))
        return read_containers(r, tc);
    if (!strcmp(t, "container_actions"))
        return read_container_actions(r, tc);
    if (!strcmp(t, "container_actions_events"))
        return read_container_events(r, tc);
    tc->used = false;
    return skip_section(r, tc);
}

static void read_all(char **paths, size_t n)
{
    cu_reader *r = cu_reader_open((const char *const *)paths, n, CU_FMT_AUTO);
    enum cu_next nx = cu_reader_next(r);
    while (nx != CU_EOF) {
        if (!cu_reader_table(r))
            cu_die_at(cu_reader_filename(r), cu_reader_lineno(r), 0, NULL,
                      NULL, 0, "a section without a #table directive: "
                      "cu-spans needs to know which table it reads");
        if (nx == CU_ROW)
            cu_die_at(cu_reader_filename(r), cu_reader_lineno(r), 0, NULL,
                      NULL, 0, "internal error: a row outside a section");
        nx = read_section(r);
    }
    const struct cu_table_status *st;
    size_t nst = cu_reader_statuses(r, &st);
    cu_reader_require(r, needed_tables,
                      sizeof needed_tables / sizeof *needed_tables,
                      opt.allow_missing, opt.nallow_missing, "cu-spans");
    /* what went missing stays visible in --stats */
    for (size_t i = 0; i < nst; i++)
        if (strcmp(st[i].status, "absent") != 0) {
            missing_tables = cu_xgrow(missing_tables, &nmissing_cap,
                                      nmissing + 1, sizeof *missing_tables);
            missing_tables[nmissing++] =
                cu_xasprintf("%s\t%s", st[i].table, st[i].status);
        }
    cu_reader_close(r);
}

/* ------------------------------------------------------------ intervals */

struct ival {
    cu_time s, e;
};

/* Parents: per key, a merged list of intervals. Keys are (a, b) sid pairs
 * (host; or reservation and host). */
struct pentry {
    sid a, b;
    struct ival iv;
};
ARRAY(struct pentry, parents_resv);  /* reservable, by host */
ARRAY(struct pentry, parents_commit); /* committed, by reservation, host */

static int pentry_cmp(const void *pa, const void *pb)
{
    const struct pentry *x = pa, *y = pb;
    if (x->a != y->a)
        return x->a < y->a ? -1 : 1;
    if (x->b != y->b)
        return x->b < y->b ? -1 : 1;
    return (x->iv.s > y->iv.s) - (x->iv.s < y->iv.s);
}

static void parents_finish(struct pentry **v, size_t *n)
{
    sort_array(*v, *n, sizeof **v, pentry_cmp);
    size_t k = 0;
    for (size_t i = 0; i < *n; i++) {
        struct pentry *p = &(*v)[i];
        if (k && (*v)[k - 1].a == p->a && (*v)[k - 1].b == p->b &&
            p->iv.s <= (*v)[k - 1].iv.e) {
            if (p->iv.e > (*v)[k - 1].iv.e)
                (*v)[k - 1].iv.e = p->iv.e;
        } else {
            (*v)[k++] = *p;
        }
    }
    *n = k;
}

/* The parent intervals of key (a, b): *out points into the array. */
static size_t parents_of(const struct pentry *v, size_t n, sid a, sid b,
                         const struct pentry **out)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].a < a || (v[mid].a == a && v[mid].b < b))
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t k = lo;
    while (k < n && v[k].a == a && v[k].b == b)
        k++;
    *out = n ? v + lo : v; /* v may be NULL when there are none */
    return k - lo;
}

/* ------------------------------------------------------------ emitting */

/* Keep sp if its kind is asked for and it overlaps the window; clip it. */
static void emit(struct span sp)
{
    if (!opt.kinds[sp.kind])
        return;
    if (sp.e <= opt.wstart || sp.s >= opt.wend) {
        drops[D_OUTSIDE_WINDOW][sp.kind]++;
        return;
    }
    if (sp.s < opt.wstart)
        sp.s = opt.wstart;
    if (sp.e > opt.wend)
        sp.e = opt.wend;
    PUSH(spans) = sp;
}

/* Cut child to its parents: the pieces that overlap a parent, `clipped`
 * where a piece is not the whole child; the whole child as `orphan` when no
 * parent overlaps. */
static void emit_clamped(struct span child, const struct pentry *p, size_t np)
{
    bool any = false;
    for (size_t i = 0; i < np; i++) {
        cu_time s = child.s > p[i].iv.s ? child.s : p[i].iv.s;
        cu_time e = child.e < p[i].iv.e ? child.e : p[i].iv.e;
        if (s >= e)
            continue;
        struct span piece = child;
        piece.s = s;
        piece.e = e;
        if (s != child.s || e != child.e)
            piece.audit = A_CLIPPED;
        emit(piece);
        any = true;
    }
    if (!any) {
        child.audit = A_ORPHAN;
        emit(child);
    }
}

static struct span span_base(enum kind k)
{
    return (struct span){.kind = (unsigned)k & 7u, .state = ST_KIND,
                         .audit = A_OK, .booking = B_NONE, .nodes = NAN,
                         .vcpus = NO_INT, .mem = NO_INT, .disk = NO_INT};
}

static cu_time end_or_open(cu_time t) { return t == CU_TIME_NULL ? T_OPEN : t; }

static cu_time tmin(cu_time a, cu_time b)
{
    if (a == CU_TIME_NULL)
        return b;
    if (b == CU_TIME_NULL)
        return a;
    return a < b ? a : b;
}

/* ------------------------------------------------------------ total */

static struct idmap cn_first, cn_count; /* by hypervisor_hostname sid */
static struct idmap svc_host; /* service host -> hypervisor_hostname */
#define SVC_AMBIGUOUS UINT32_MAX

static int cnode_cmp(const void *a, const void *b)
{
    const struct cnode *x = a, *y = b;
    if (x->hh != y->hh)
        return x->hh < y->hh ? -1 : 1;
    return (x->c > y->c) - (x->c < y->c);
}

static void build_total(void)
{
    sort_array(cnodes.v, cnodes.n, sizeof *cnodes.v, cnode_cmp);
    cn_first = idmap_new();
    cn_count = idmap_new();
    svc_host = idmap_new();
    for (size_t i = 0; i < cnodes.n; i++) {
        struct cnode *n = &cnodes.v[i];
        if (!idget(&cn_count, n->hh))
            idset(&cn_first, n->hh, (uint32_t)i);
        idset(&cn_count, n->hh, idget(&cn_count, n->hh) + 1);
        if (n->svc) {
            uint32_t m = idget(&svc_host, n->svc);
            if (!m)
                idset(&svc_host, n->svc, n->hh);
            else if (m != n->hh)
                idset(&svc_host, n->svc, SVC_AMBIGUOUS);
        }
        struct span sp = span_base(K_TOTAL);
        sp.s = n->c;
        sp.e = end_or_open(n->d);
        if (sp.s >= sp.e) {
            drops[D_START_GE_END][K_TOTAL]++;
            continue;
        }
        sp.id = sp.host = n->hh;
        sp.nodes = 1;
        sp.vcpus = n->vcpus;
        sp.mem = n->mem;
        sp.disk = n->disk;
        emit(sp);
    }
}

/* The hypervisor_hostname a compute service host stands for: itself when
 * compute_nodes does not know it, 0 when it runs several nodes (ironic). */
static sid map_service_host(sid h)
{
    if (!h)
        return 0;
    uint32_t m = idget(&svc_host, h);
    if (m == SVC_AMBIGUOUS)
        return 0;
    return m ? m : h;
}

/* The compute_nodes record of host hh valid at t, else the nearest one
 * (*fallback set); NULL when the host has none. */
static const struct cnode *cnode_at(sid hh, cu_time t, bool *fallback)
{
    *fallback = false;
    if (!hh || !idget(&cn_count, hh))
        return NULL;
    const struct cnode *best = NULL;
    cu_time bestd = T_OPEN;
    for (uint32_t i = 0; i < idget(&cn_count, hh); i++) {
        const struct cnode *n = &cnodes.v[idget(&cn_first, hh) + i];
        cu_time e = end_or_open(n->d);
        if (n->c <= t && t < e)
            return n;
        cu_time d = t < n->c ? n->c - t : t - e + 1;
        if (d < bestd) {
            bestd = d;
            best = n;
        }
    }
    *fallback = true;
    return best;
}

/* ------------------------------------------------------------ blazar */

static struct idmap chost_by_id, device_by_id; /* index + 1 */
static struct idmap lease_by_id, resv_by_id, ires_by_resv;
static sid type_host, type_instance, type_device;

static void build_reservable(void)
{
    chost_by_id = idmap_new();
    device_by_id = idmap_new();
    for (size_t i = 0; i < chosts.n; i++) {
        struct chost *h = &chosts.v[i];
        struct span sp = span_base(K_RESERVABLE);
        sp.s = h->c;
        sp.e = end_or_open(h->d);
        if (sp.s >= sp.e) {
            drops[D_START_GE_END][K_RESERVABLE]++;
            continue;
        }
        sp.id = sp.host = h->hh;
        sp.nodes = 1;
        sp.vcpus = h->vcpus;
        sp.mem = h->mem;
        sp.disk = h->disk;
        if (h->gone)
            sp.audit = A_INFERRED;
        if (h->device) {
            /* an edge device is in no nova table: Blazar's row is the
               record of its existence, reservable or not */
            struct span total = sp;
            total.kind = K_TOTAL;
            emit(total);
        }
        if (h->unreservable) {
            drops[D_NOT_RESERVABLE][K_RESERVABLE]++;
            continue;
        }
        idset(h->device ? &device_by_id : &chost_by_id, h->id,
              (uint32_t)i + 1);
        emit(sp);
        PUSH(parents_resv) = (struct pentry){h->hh, 0, {sp.s, sp.e}};
    }
    parents_finish(&parents_resv.v, &parents_resv.n);
}

static void index_blazar(void)
{
    lease_by_id = idmap_new();
    resv_by_id = idmap_new();
    ires_by_resv = idmap_new();
    for (size_t i = 0; i < leases.n; i++)
        idset(&lease_by_id, leases.v[i].id, (uint32_t)i + 1);
    for (size_t i = 0; i < resvs.n; i++)
        idset(&resv_by_id, resvs.v[i].id, (uint32_t)i + 1);
    for (size_t i = 0; i < ireses.n; i++)
        idset(&ires_by_resv, ireses.v[i].resv, (uint32_t)i + 1);
    type_host = intern_cstr("physical:host");
    type_instance = intern_cstr("flavor:instance");
    type_device = intern_cstr("device");
}

/* Allocations grouped by reservation, each reservation's in the order of
 * their rows (which of them get a remainder slot: whatever order the
 * sections come in). */
static void sort_allocations(void)
{
    size_t n = allocs.n;
    struct cu_radix_pair *v = cu_xmalloc((n ? n : 1) * sizeof *v),
                         *tmp = cu_xmalloc((n ? n : 1) * sizeof *tmp);
    for (size_t i = 0; i < n; i++)
        v[i] = (struct cu_radix_pair){allocs.v[i].resv, i};
    struct cu_radix_pair *sorted = cu_radix_sort_pairs(v, tmp, n, 32);
    struct alloc *out = cu_xmalloc((n ? n : 1) * sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = allocs.v[sorted[i].value];
    if (n)
        memcpy(allocs.v, out, n * sizeof *out);
    free(out);
    free(v);
    free(tmp);
}

/* A share of n slots: allocation k of nalloc holds amount/nalloc slots, the
 * first amount%nalloc one more, so the shares sum to amount. */
static int64_t slots_of(int64_t amount, size_t k, size_t nalloc)
{
    if (amount == NO_INT || nalloc == 0)
        return amount;
    int64_t q = amount / (int64_t)nalloc, rem = amount % (int64_t)nalloc;
    return q + ((int64_t)k < rem ? 1 : 0);
}

static int64_t mul_or_null(int64_t v, int64_t n)
{
    return v == NO_INT || n == NO_INT ? NO_INT : v * n;
}

/* One committed span: the interval of the allocation, sized by its host
 * (physical:host) or its share of the reserved flavors (flavor:instance). */
static void emit_committed(const struct alloc *a, const struct resv *v,
                           const struct lease *l, size_t k, size_t nalloc)
{
    struct span sp = span_base(K_COMMITTED);
    sp.s = l->c != CU_TIME_NULL && l->c > l->start ? l->c : l->start;
    sp.e = end_or_open(tmin(tmin(l->end, l->d), tmin(a ? a->d : CU_TIME_NULL,
                                                     v->d)));
    if (sp.s >= sp.e) {
        drops[D_START_GE_END][K_COMMITTED]++;
        return;
    }
    if (a && a->gone && sp.e == a->d)
        sp.audit = A_INFERRED; /* the end a later snapshot implies */
    sp.id = v->id;
    sp.resv = v->id;
    sp.lease = l->id;
    sp.project = l->project;
    sp.user = l->user;
    const struct chost *h = NULL;
    if (a && a->host_id) {
        uint32_t hi =
            idget(a->device ? &device_by_id : &chost_by_id, a->host_id);
        h = hi ? &chosts.v[hi - 1] : NULL;
    }
    sp.host = h ? h->hh : 0;
    if (v->type == type_instance) {
        sp.flavor_is_resv = 1; /* the flavor Blazar made: reservation:ID */
        uint32_t ii = idget(&ires_by_resv, v->id);
        const struct ires *ir = ii ? &ireses.v[ii - 1] : NULL;
        int64_t slots = ir ? slots_of(ir->amount, k, nalloc) : NO_INT;
        if (ir) {
            sp.vcpus = mul_or_null(ir->vcpus, slots);
            sp.mem = mul_or_null(ir->mem, slots);
            sp.disk = mul_or_null(ir->disk, slots);
        }
        if (h && h->vcpus > 0 && sp.vcpus != NO_INT)
            sp.nodes = (double)sp.vcpus / (double)h->vcpus;
        if (!ir)
            sp.audit = A_NULL_KEY;
    } else {
        sp.nodes = 1;
        if (h) {
            sp.vcpus = h->vcpus;
            sp.mem = h->mem;
            sp.disk = h->disk;
        }
    }
    if (!h) {
        sp.audit = A_NULL_KEY;
        emit(sp);
        return;
    }
    const struct pentry *p;
    size_t np = parents_of(parents_resv.v, parents_resv.n, h->hh, 0, &p);
    emit_clamped(sp, p, np);
    /* Parents for reserved instances: the committed time on this host. */
    for (size_t i = 0; i < np; i++) {
        cu_time s = sp.s > p[i].iv.s ? sp.s : p[i].iv.s;
        cu_time e = sp.e < p[i].iv.e ? sp.e : p[i].iv.e;
        if (s < e)
            PUSH(parents_commit) = (struct pentry){v->id, h->hh, {s, e}};
    }
}

/* The hosts each reservation holds (distinct hypervisor_hostnames of its
 * allocations), to place reserved instances whose rows lost their host. */
static struct idmap resv_hfirst, resv_hcount; /* by reservation sid */
ARRAY(sid, resv_hosts);

static void note_reservation_hosts(sid resv, const struct alloc *a, size_t n)
{
    size_t first = resv_hosts.n;
    for (size_t k = 0; k < n; k++) {
        uint32_t hi = a[k].host_id
                          ? idget(a[k].device ? &device_by_id : &chost_by_id,
                                  a[k].host_id)
                          : 0;
        sid h = hi ? chosts.v[hi - 1].hh : 0;
        bool dup = !h;
        for (size_t j = first; j < resv_hosts.n && !dup; j++)
            dup = resv_hosts.v[j] == h;
        if (!dup)
            PUSH(resv_hosts) = h;
    }
    idset(&resv_hfirst, resv, (uint32_t)first);
    idset(&resv_hcount, resv, (uint32_t)(resv_hosts.n - first));
}

static void build_committed(void)
{
    resv_hfirst = idmap_new();
    resv_hcount = idmap_new();
    sort_allocations();
    bool *seen = cu_xcalloc(resvs.n + 1, 1);
    for (size_t i = 0; i < allocs.n;) {
        size_t j = i;
        while (j < allocs.n && allocs.v[j].resv == allocs.v[i].resv)
            j++;
        uint32_t vi = idget(&resv_by_id, allocs.v[i].resv);
        if (!vi) {
            drops[D_NO_RESERVATION][K_COMMITTED] += j - i;
            i = j;
            continue;
        }
        seen[vi] = true;
        const struct resv *v = &resvs.v[vi - 1];
        uint32_t li = idget(&lease_by_id, v->lease);
        if (!li) {
            drops[D_NO_LEASE][K_COMMITTED] += j - i;
            i = j;
            continue;
        }
        for (size_t k = i; k < j; k++)
            emit_committed(&allocs.v[k], v, &leases.v[li - 1], k - i, j - i);
        note_reservation_hosts(v->id, allocs.v + i, j - i);
        i = j;
    }
    /* A flavor:instance reservation without allocation rows still commits
     * its flavors, on no known host. */
    for (size_t i = 0; i < resvs.n; i++) {
        const struct resv *v = &resvs.v[i];
        if (seen[i + 1] || v->type != type_instance)
            continue;
        uint32_t li = idget(&lease_by_id, v->lease);
        if (!li) {
            drops[D_NO_LEASE][K_COMMITTED]++;
            continue;
        }
        emit_committed(NULL, v, &leases.v[li - 1], 0, 1);
    }
    free(seen);
    parents_finish(&parents_commit.v, &parents_commit.n);
}

/* ------------------------------------------------------------ instances */

/* Action keys to action index + 1. Action ids are database row ids: almost
 * always dense, and the events come in about the order of their actions,
 * so a table indexed by the key itself is both small and read in order.
 * Keys spread wider (several cells) go through open addressing. */
static struct {
    bool direct;
    uint64_t min, span; /* direct: idx[key - min] for key - min < span */
    uint64_t *key;
    uint32_t *idx;
    size_t mask;
} AH;

static bool action_keys_dense(void)
{
    if (actions.n == 0)
        return false;
    uint64_t lo = UINT64_MAX, hi = 0;
    for (size_t i = 0; i < actions.n; i++) {
        uint64_t k = actions.v[i].key;
        lo = k < lo ? k : lo;
        hi = k > hi ? k : hi;
    }
    if (hi - lo >= 2 * (uint64_t)actions.n + 1024)
        return false;
    AH.min = lo;
    AH.span = hi - lo + 1;
    return true;
}

static void action_hash_build(void)
{
    AH.direct = action_keys_dense();
    if (AH.direct) {
        AH.idx = cu_xcalloc(AH.span, sizeof *AH.idx);
        for (size_t i = 0; i < actions.n; i++) /* a duplicate: last wins */
            AH.idx[actions.v[i].key - AH.min] = (uint32_t)i + 1;
        return;
    }
    size_t cap = 1024;
    while (cap < actions.n * 2 + 1)
        cap *= 2;
    AH.key = cu_xmalloc(cap * sizeof *AH.key);
    AH.idx = cu_xcalloc(cap, sizeof *AH.idx);
    AH.mask = cap - 1;
    for (size_t i = 0; i < actions.n; i++) {
        uint64_t k = actions.v[i].key;
        size_t j = (size_t)((k * 0x9E3779B97F4A7C15ULL) >> 20) & AH.mask;
        while (AH.idx[j] && AH.key[j] != k)
            j = (j + 1) & AH.mask;
        AH.key[j] = k;
        AH.idx[j] = (uint32_t)i + 1; /* a duplicate id: the last row wins */
    }
}

static uint32_t action_lookup(uint64_t k)
{
    if (AH.direct)
        return k - AH.min < AH.span ? AH.idx[k - AH.min] : 0;
    size_t j = (size_t)((k * 0x9E3779B97F4A7C15ULL) >> 20) & AH.mask;
    while (AH.idx[j]) {
        if (AH.key[j] == k)
            return AH.idx[j];
        j = (j + 1) & AH.mask;
    }
    return 0;
}

static void apply_events(void)
{
    action_hash_build();
    for (size_t i = 0; i < events.n; i++) {
        const struct event *e = &events.v[i];
        uint32_t ai = action_lookup(e->akey);
        if (!ai) {
            drops[D_NO_ACTION][K_INSTANCE]++;
            continue;
        }
        struct action *a = &actions.v[ai - 1];
        if (e->error)
            a->failed = 1;
        else if (e->host && e->place_prio > 1 &&
                 e->place_prio > a->place_prio) {
            a->place = e->host;
            a->place_prio = e->place_prio;
        }
        if (e->host && e->place_prio > 0 && !a->anyhost)
            a->anyhost = e->host;
    }
    free(AH.key);
    free(AH.idx);
    AH.key = NULL;
    AH.idx = NULL;
    cu_big_free(events.v, events.cap, sizeof *events.v);
    events.v = NULL;
    events.n = events.cap = 0;
}

static int action_cmp(const void *pa, const void *pb)
{
    const struct action *x = pa, *y = pb;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return (x->key > y->key) - (x->key < y->key);
}


static struct idmap inst_by_uuid, extra_by_uuid, spec_by_uuid;

static int64_t first_int(int64_t a, int64_t b, int64_t c)
{
    return a != NO_INT ? a : b != NO_INT ? b : c;
}

/* What one instance's spans share. */
struct inst_ctx {
    const struct inst *in;
    struct span base;
    sid resv;
    bool pending; /* a stretch not yet emitted */
    enum state pst;
    sid phost;
    bool pinferred;
    cu_time ps, pe;
};

static void inst_sizes(struct inst_ctx *cx)
{
    const struct inst *in = cx->in;
    uint32_t ei = idget(&extra_by_uuid, in->uuid);
    uint32_t si = idget(&spec_by_uuid, in->uuid);
    const struct extra *ex = ei ? &extras.v[ei - 1] : NULL;
    const struct extra *sp = si ? &rspecs.v[si - 1] : NULL;
    int64_t none = NO_INT;
    struct span *b = &cx->base;
    b->vcpus = first_int(in->vcpus, ex ? ex->vcpus : none,
                         sp ? sp->vcpus : none);
    b->mem = first_int(in->mem, ex ? ex->mem : none, sp ? sp->mem : none);
    int64_t root = in->root, eph = in->eph;
    if (root == NO_INT) {
        root = first_int(ex ? ex->root : none, sp ? sp->root : none, none);
        eph = first_int(ex ? ex->eph : none, sp ? sp->eph : none, none);
    }
    b->disk = root == NO_INT ? NO_INT : root + (eph == NO_INT ? 0 : eph);
    b->flavor = ex && ex->flavor ? ex->flavor : sp ? sp->flavor : 0;
    const size_t plen = sizeof resv_flavor_prefix - 1;
    sid resv = sp ? sp->reservation : 0;
    if (!resv && b->flavor && len_of(b->flavor) > plen &&
        !memcmp(str_of(b->flavor), resv_flavor_prefix, plen))
        resv = intern(str_of(b->flavor) + plen, len_of(b->flavor) - plen);
    cx->resv = resv;
    b->booking = resv ? B_RESERVATION : B_ONDEMAND;
    b->resv = resv;
    uint32_t vi = resv ? idget(&resv_by_id, resv) : 0;
    b->lease = vi ? resvs.v[vi - 1].lease : 0;
}

/* One (state, host) stretch of an instance. */
static void emit_stretch_now(struct inst_ctx *cx, enum state st, sid host,
                             bool inferred, cu_time s, cu_time e)
{
    struct span sp = cx->base;
    sp.s = s;
    sp.e = e;
    sp.state = (unsigned)st & 7u;
    if (st == ST_SHELVED) {
        sp.host = 0;
        sp.nodes = 0;
        emit(sp);
        return;
    }
    sp.host = host;
    if (!host) {
        /* A build that failed before a host was chosen holds nothing; any
         * other state needs a host we do not know. */
        if (st == ST_ERROR)
            sp.nodes = 0;
        else
            sp.audit = A_NULL_KEY;
        emit(sp);
        return;
    }
    if (inferred)
        sp.audit = A_FALLBACK;
    bool fallback;
    const struct cnode *n = cnode_at(host, s, &fallback);
    if (n) {
        if (n->ironic)
            sp.nodes = 1;
        else if (n->vcpus > 0 && sp.vcpus != NO_INT)
            sp.nodes = (double)sp.vcpus / (double)n->vcpus;
        if (fallback)
            sp.audit = A_FALLBACK;
    }
    if (cx->resv) {
        const struct pentry *p;
        size_t np = parents_of(parents_commit.v, parents_commit.n, cx->resv,
                               host, &p);
        emit_clamped(sp, p, np);
        return;
    }
    emit(sp);
}

/* Stretches go through here so that two that touch with the same state and
 * host (a stop and a start at the same instant) become one span. */
static void emit_stretch(struct inst_ctx *cx, enum state st, sid host,
                         bool inferred, cu_time s, cu_time e)
{
    if (s >= e)
        return;
    if (cx->pending && cx->pst == st && cx->phost == host &&
        cx->pinferred == inferred && cx->pe == s) {
        cx->pe = e;
        return;
    }
    if (cx->pending)
        emit_stretch_now(cx, cx->pst, cx->phost, cx->pinferred, cx->ps,
                         cx->pe);
    cx->pending = true;
    cx->pst = st;
    cx->phost = host;
    cx->pinferred = inferred;
    cx->ps = s;
    cx->pe = e;
}

static void flush_stretch(struct inst_ctx *cx)
{
    if (cx->pending)
        emit_stretch_now(cx, cx->pst, cx->phost, cx->pinferred, cx->ps,
                         cx->pe);
    cx->pending = false;
}

/* Does compute service host svc run node hh? */
static bool service_runs(sid svc, sid hh)
{
    uint32_t first = idget(&cn_first, hh), n = idget(&cn_count, hh);
    for (uint32_t i = 0; i < n; i++)
        if (cnodes.v[first + i].svc == svc)
            return true;
    return false;
}

/* The node an event's service host stands for: map_service_host, or, for
 * a service that runs several nodes (ironic), the only node of it that the
 * instance's reservation holds (*inferred set); 0 when unknown. */
static sid resolve_host(const struct inst_ctx *cx, sid svc, bool *inferred)
{
    *inferred = false;
    if (!svc)
        return 0;
    sid h = map_service_host(svc);
    if (h || !cx->resv)
        return h;
    uint32_t first = idget(&resv_hfirst, cx->resv);
    uint32_t n = idget(&resv_hcount, cx->resv);
    for (uint32_t i = 0; i < n; i++) {
        sid hh = resv_hosts.v[first + i];
        if (!service_runs(svc, hh))
            continue;
        if (h)
            return 0; /* several candidates */
        h = hh;
    }
    *inferred = h != 0;
    return h;
}

static sid event_host(const struct inst_ctx *cx, const struct action *a,
                      bool *inferred)
{
    return resolve_host(cx, a->place ? a->place : a->anyhost, inferred);
}

/* Whether action a moves the instance: a successful move or unshelve whose
 * placing event names a usable host. */
static sid move_target(const struct inst_ctx *cx, const struct action *a,
                       bool *inferred)
{
    *inferred = false;
    if ((a->eff != E_MOVE && a->eff != E_UNSHELVE) || a->failed)
        return 0;
    return resolve_host(cx, a->place, inferred);
}

/* The host an instance starts on, before any move (*inferred: from its
 * reservation); *moves tells whether any action moves it. */
static sid initial_host(const struct inst_ctx *cx, const struct action *a,
                        size_t na, bool *moves, bool *inferred)
{
    const struct inst *in = cx->in;
    sid row = in->node ? in->node : map_service_host(in->host);
    sid early = 0;
    bool early_inf = false, inf;
    *moves = false;
    *inferred = false;
    for (size_t i = 0; i < na; i++) {
        if (move_target(cx, &a[i], &inf)) {
            *moves = true;
            break;
        }
        if (!early)
            early = event_host(cx, &a[i], &early_inf);
    }
    if (*moves && early) {
        *inferred = early_inf && early != in->node;
        return early;
    }
    if (row)
        return row;
    for (size_t i = 0; i < na; i++) {
        sid h = event_host(cx, &a[i], inferred);
        if (h)
            return h;
    }
    return 0;
}

static void build_instance(const struct inst *in, const struct action *a,
                           size_t na)
{
    struct inst_ctx cx = {.in = in, .base = span_base(K_INSTANCE)};
    cx.base.id = in->uuid;
    cx.base.project = in->project;
    cx.base.user = in->user;
    inst_sizes(&cx);

    cu_time t0 = in->c;
    cu_time end = end_or_open(tmin(in->d, in->term));
    for (size_t i = 0; i < na; i++)
        if (a[i].eff == E_DELETE && !a[i].failed) {
            cu_time t = a[i].t > t0 ? a[i].t : t0;
            if (t < end)
                end = t;
            break;
        }
    if (t0 >= end) {
        drops[D_START_GE_END][K_INSTANCE]++;
        return;
    }

    bool moves, inferred;
    sid host = initial_host(&cx, a, na, &moves, &inferred);
    enum state st = ST_ACTIVE;
    static sid error_sid;
    if (!error_sid)
        error_sid = intern_cstr("error");
    if (na == 0 && in->vm_state == error_sid && in->launched == CU_TIME_NULL)
        st = ST_ERROR; /* never launched, no actions recorded */
    if (na > 0 && a[0].eff == E_CREATE && a[0].failed)
        st = ST_ERROR; /* a failed create was never active */

    cu_time cur = t0;
    for (size_t i = 0; i < na; i++) {
        cu_time t = a[i].t > t0 ? a[i].t : t0;
        if (t >= end)
            break;
        enum state nst = st;
        sid nhost = host;
        bool ninferred = inferred, inf;
        enum effect eff = (enum effect)a[i].eff;
        if (eff == E_NONE) {
            if (a[i].failed)
                drops[D_FAILED_OTHER][K_INSTANCE]++;
            continue;
        }
        if (a[i].failed) {
            nst = ST_ERROR;
        } else {
            switch (eff) {
            case E_CREATE:
            case E_ACTIVE:
                nst = ST_ACTIVE;
                break;
            case E_STOPPED:
                nst = ST_STOPPED;
                break;
            case E_SHELVED:
                nst = ST_SHELVED;
                break;
            case E_UNSHELVE:
            case E_MOVE: {
                if (eff == E_UNSHELVE)
                    nst = ST_ACTIVE;
                sid to = move_target(&cx, &a[i], &inf);
                if (to) {
                    nhost = to;
                    ninferred = inf && to != in->node;
                }
                break;
            }
            default:
                break;
            }
        }
        if (nst != st || nhost != host) {
            emit_stretch(&cx, st, host, inferred, cur, t);
            cur = t > cur ? t : cur;
            st = nst;
            host = nhost;
            inferred = ninferred;
        }
    }
    if (in->gone && end == in->d) {
        /* the row left the history (--history): the last stretch ends
           where the last snapshot saw it */
        flush_stretch(&cx);
        cx.base.audit = A_INFERRED;
    }
    emit_stretch(&cx, st, host, inferred, cur, end);
    flush_stretch(&cx);
}

/* ------------------------------------------------------------ containers */

/* A device's committed stretch, by host: where a container finds the lease
 * of its project that holds its device. */
struct hcommit {
    sid host, resv;
    struct ival iv;
};

static int hcommit_cmp(const void *pa, const void *pb)
{
    const struct hcommit *x = pa, *y = pb;
    if (x->host != y->host)
        return x->host < y->host ? -1 : 1;
    return (x->iv.s > y->iv.s) - (x->iv.s < y->iv.s);
}

/* What the containers are built from, beside the spans' arrays. */
struct container_ctx {
    struct idmap by_uuid, devices, action_by_id;
    struct hcommit *hc;
    size_t nhc;
};

/* The reservation of k's project holding k's device at t0, else the first
 * one over [t0, end); 0 if none. */
static sid container_resv(const struct container_ctx *cx,
                          const struct container *k, cu_time t0, cu_time end)
{
    size_t lo = 0, hi = cx->nhc;
    sid first = 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cx->hc[mid].host < k->host)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < cx->nhc && cx->hc[i].host == k->host; i++) {
        const struct hcommit *h = &cx->hc[i];
        uint32_t ri = idget(&resv_by_id, h->resv);
        uint32_t li = ri ? idget(&lease_by_id, resvs.v[ri - 1].lease) : 0;
        if (!li || leases.v[li - 1].project != k->project)
            continue;
        if (h->iv.s <= t0 && t0 < h->iv.e)
            return h->resv;
        if (!first && h->iv.s < end && t0 < h->iv.e)
            first = h->resv;
    }
    return first;
}

/* The state a container's status says (zun's values, set by its API and
 * by the periodic sync with Docker): -1 for none (Deleting, Rebuilding,
 * unknown words keep the state), ST_N for Deleted. */
static int status_state(sid status)
{
    static const struct {
        const char *name;
        int st;
    } map[] = {
        {"Running", ST_ACTIVE},  {"Restarting", ST_ACTIVE},
        {"Created", ST_STOPPED}, {"Creating", ST_STOPPED},
        {"Stopped", ST_STOPPED}, {"Paused", ST_STOPPED},
        {"Dead", ST_STOPPED},    {"Error", ST_ERROR},
        {"Unknown", ST_ERROR},   {"Deleted", ST_N},
    };
    if (!status)
        return -1;
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (len_of(status) == strlen(map[i].name) &&
            memcmp(str_of(status), map[i].name, len_of(status)) == 0)
            return map[i].st;
    return -1;
}

/* One stretch of a container in one state. */
static void emit_container(struct span sp, enum state st, cu_time s,
                           cu_time e)
{
    if (s >= e)
        return;
    sp.s = s;
    sp.e = e;
    sp.state = (unsigned)st & 7u;
    if (!sp.host) {
        /* never scheduled: holds nothing; any state but error needs a
           host we do not know */
        sp.nodes = 0;
        if (st != ST_ERROR)
            sp.audit = A_NULL_KEY;
        emit(sp);
        return;
    }
    if (sp.resv) {
        const struct pentry *p;
        size_t np = parents_of(parents_commit.v, parents_commit.n, sp.resv,
                               sp.host, &p);
        emit_clamped(sp, p, np);
        return;
    }
    emit(sp);
}

static int caction_cmp(const void *pa, const void *pb)
{
    const struct caction *x = pa, *y = pb;
    if (x->k != y->k)
        return x->k < y->k ? -1 : 1;
    return (x->t > y->t) - (x->t < y->t);
}

/* The state a container's action leads to from st (rules in cu-spans(1)). */
static enum state caction_state(const struct caction *a, enum state st)
{
    if (a->failed) {
        if (a->eff == E_CREATE || a->eff == E_ACTIVE)
            return ST_ERROR;
        drops[D_FAILED_OTHER][K_CONTAINER]++;
        return st;
    }
    switch ((enum effect)a->eff) {
    case E_CREATE:
    case E_STOPPED:
        return ST_STOPPED;
    case E_ACTIVE:
        return ST_ACTIVE;
    default:
        return st;
    }
}

/* When `zun run` started container k, or T_OPEN: it ran (started_at is
 * set) and its first action after the create is no start. started_at is
 * Docker's StartedAt, the last start: the run's own when no start action
 * followed, else lost, and then the run began when the create action
 * finished (zun's run starts the container within the create). */
static cu_time run_start(const struct container *k, const struct caction *a,
                         size_t na)
{
    const struct caction *create = NULL, *next = NULL;
    if (k->started == CU_TIME_NULL)
        return T_OPEN;
    for (size_t i = 0; i < na && !next; i++) {
        if (a[i].eff == E_CREATE && !create)
            create = &a[i];
        else if (a[i].eff != E_NONE)
            next = &a[i];
    }
    if (next && next->eff == E_ACTIVE)
        return T_OPEN; /* created, then started: no run */
    bool restarted = false;
    for (size_t i = 0; i < na; i++)
        restarted |= a[i].eff == E_ACTIVE && !a[i].failed;
    if (!restarted)
        return k->started; /* its only start */
    if (create && create->fin != CU_TIME_NULL)
        return create->fin;
    return create ? create->t : k->c;
}

static void build_container(const struct container_ctx *cx,
                            const struct container *k,
                            const struct caction *a, size_t na)
{
    struct span sp = span_base(K_CONTAINER);
    sp.id = k->uuid;
    sp.project = k->project;
    sp.user = k->user;
    sp.host = k->host;
    sp.vcpus = k->vcpus;
    sp.mem = k->mem;
    sp.disk = k->disk;
    sp.booking = B_ONDEMAND;
    bool on_device = k->host && idget(&cx->devices, k->host);
    sp.nodes = on_device ? 1 : 0;

    cu_time t0 = k->c, end = T_OPEN;
    for (size_t i = 0; i < na; i++)
        if (a[i].eff == E_DELETE && !a[i].failed && end == T_OPEN)
            end = a[i].t > t0 ? a[i].t : t0;
    cu_time run_at = run_start(k, a, na);
    int final = status_state(k->status);
    if (end == T_OPEN && final == ST_N && k->u != CU_TIME_NULL)
        end = k->u > t0 ? k->u : t0;
    bool gone = end == T_OPEN && k->gone != CU_TIME_NULL;
    if (gone) /* Zun deleted the row: the last snapshot that saw it */
        end = k->gone > t0 ? k->gone : t0;
    if (t0 >= end) {
        drops[D_START_GE_END][K_CONTAINER]++;
        return;
    }
    if (on_device) {
        sp.resv = container_resv(cx, k, t0, end);
        if (sp.resv) {
            sp.booking = B_RESERVATION;
            sp.lease = resvs.v[idget(&resv_by_id, sp.resv) - 1].lease;
        } else {
            sp.audit = A_ORPHAN; /* a device, but no lease of the project */
        }
    }

    /* created: holds its device, not running */
    enum state st = ST_STOPPED;
    cu_time cur = t0, last = t0;
    for (size_t i = 0; i <= na; i++) {
        cu_time t = i < na ? (a[i].t > t0 ? a[i].t : t0) : T_OPEN;
        if (run_at <= t && run_at < end) {
            cu_time ts = run_at > t0 ? run_at : t0;
            if (st != ST_ERROR && st != ST_ACTIVE) {
                emit_container(sp, st, cur, ts);
                cur = ts;
                st = ST_ACTIVE;
            }
            last = ts;
            run_at = T_OPEN;
        }
        if (i == na || t >= end)
            break;
        enum state nst = caction_state(&a[i], st);
        last = t;
        if (nst != st) {
            emit_container(sp, st, cur, t);
            cur = t;
            st = nst;
        }
    }
    /* a status changed with no action (Docker's sync): from updated_at */
    if (final >= 0 && final != ST_N && (enum state)final != st &&
        k->u != CU_TIME_NULL && k->u > last && k->u < end) {
        emit_container(sp, st, cur, k->u);
        cur = k->u;
        st = (enum state)final;
    }
    if (gone && sp.audit == A_OK)
        sp.audit = A_INFERRED;
    emit_container(sp, st, cur, end);
}

static void build_containers(void)
{
    struct container_ctx cx = {idmap_new(), idmap_new(), idmap_new(), NULL,
                               0};
    for (size_t i = 0; i < containers.n; i++)
        idset(&cx.by_uuid, containers.v[i].uuid, (uint32_t)i + 1);
    for (size_t i = 0; i < chosts.n; i++)
        if (chosts.v[i].device)
            idset(&cx.devices, chosts.v[i].hh, 1);
    for (size_t i = 0; i < cactions.n; i++)
        idset(&cx.action_by_id, cactions.v[i].id, (uint32_t)i + 1);
    for (size_t i = 0; i < cfailed.n; i++) {
        uint32_t ai = idget(&cx.action_by_id, cfailed.v[i]);
        if (ai)
            cactions.v[ai - 1].failed = 1;
        else
            drops[D_NO_CONTAINER][K_CONTAINER]++;
    }
    cx.hc = cu_xmalloc((parents_commit.n ? parents_commit.n : 1) *
                       sizeof *cx.hc);
    for (size_t i = 0; i < parents_commit.n; i++)
        if (idget(&cx.devices, parents_commit.v[i].b))
            cx.hc[cx.nhc++] = (struct hcommit){parents_commit.v[i].b,
                                               parents_commit.v[i].a,
                                               parents_commit.v[i].iv};
    sort_array(cx.hc, cx.nhc, sizeof *cx.hc, hcommit_cmp);
    size_t kept = 0;
    for (size_t i = 0; i < cactions.n; i++) {
        cactions.v[i].k = idget(&cx.by_uuid, cactions.v[i].uuid);
        if (!cactions.v[i].k)
            drops[D_NO_CONTAINER][K_CONTAINER]++;
        else
            cactions.v[kept++] = cactions.v[i];
    }
    cactions.n = kept;
    sort_array(cactions.v, cactions.n, sizeof *cactions.v, caction_cmp);
    size_t j = 0;
    for (size_t i = 0; i < containers.n; i++) {
        size_t j0 = j;
        while (j < cactions.n && cactions.v[j].k == i + 1)
            j++;
        /* (no actions at all: no pointer arithmetic on a NULL array) */
        build_container(&cx, &containers.v[i],
                        j > j0 ? cactions.v + j0 : NULL, j - j0);
    }
    free(cx.hc);
    idmap_free(&cx.by_uuid);
    idmap_free(&cx.devices);
    idmap_free(&cx.action_by_id);
}

static void build_instances(void)
{
    inst_by_uuid = idmap_new();
    extra_by_uuid = idmap_new();
    spec_by_uuid = idmap_new();
    for (size_t i = 0; i < insts.n; i++)
        idset(&inst_by_uuid, insts.v[i].uuid, (uint32_t)i + 1);
    for (size_t i = 0; i < extras.n; i++)
        idset(&extra_by_uuid, extras.v[i].uuid, (uint32_t)i + 1);
    for (size_t i = 0; i < rspecs.n; i++) {
        if (!idget(&inst_by_uuid, rspecs.v[i].uuid))
            drops[D_NO_INSTANCE][K_INSTANCE]++;
        idset(&spec_by_uuid, rspecs.v[i].uuid, (uint32_t)i + 1);
    }
    apply_events();
    for (size_t i = 0; i < actions.n; i++) {
        actions.v[i].inst = idget(&inst_by_uuid, actions.v[i].uuid);
        if (!actions.v[i].inst)
            drops[D_NO_INSTANCE][K_INSTANCE]++;
    }
    /* The actions of each instance: a counting sort on the instance
     * (actions stay in the order read within one), then the few actions of
     * each instance put in time order as it is built. */
    size_t *first = cu_xcalloc(insts.n + 2, sizeof *first);
    for (size_t i = 0; i < actions.n; i++)
        first[actions.v[i].inst + 1]++;
    for (size_t k = 1; k <= insts.n + 1; k++)
        first[k] += first[k - 1];
    uint32_t *by_inst = cu_xmalloc((actions.n ? actions.n : 1) *
                                   sizeof *by_inst);
    for (size_t i = 0; i < actions.n; i++)
        by_inst[first[actions.v[i].inst]++] = (uint32_t)i;
    /* first[k] is now where instance k's actions end */
    struct action *mine = NULL;
    size_t mine_cap = 0;
    for (size_t i = 0; i < insts.n; i++) {
        /* what the instances a few ahead will look up, all at random */
        if (i + 8 < insts.n) {
            sid ahead = insts.v[i + 8].uuid;
            __builtin_prefetch(&inst_by_uuid.v[ahead]);
            __builtin_prefetch(&extra_by_uuid.v[ahead]);
            __builtin_prefetch(&spec_by_uuid.v[ahead]);
        }
        if (i + 4 < insts.n) {
            uint32_t ei = idget(&extra_by_uuid, insts.v[i + 4].uuid),
                     si = idget(&spec_by_uuid, insts.v[i + 4].uuid);
            if (ei)
                __builtin_prefetch(&extras.v[ei - 1]);
            if (si)
                __builtin_prefetch(&rspecs.v[si - 1]);
        }
        if (idget(&inst_by_uuid, insts.v[i].uuid) != i + 1)
            continue; /* a duplicate uuid (several cells): the last wins */
        size_t from = first[i], to = first[i + 1];
        mine = cu_xgrow(mine, &mine_cap, to - from + 1, sizeof *mine);
        for (size_t k = from; k < to; k++) {
            if (k + 16 < actions.n)
                __builtin_prefetch(&actions.v[by_inst[k + 16]]);
            mine[k - from] = actions.v[by_inst[k]];
        }
        sort_few(mine, to - from, sizeof *mine, action_cmp); /* by time */
        build_instance(&insts.v[i], mine, to - from);
    }
    free(mine);
    free(by_inst);
    free(first);
}

/* ------------------------------------------------------------ done */

#define FREE_ARRAY(a)                                                      \
    do {                                                                   \
        cu_big_free((a).v, (a).cap, sizeof *(a).v);                           \
        (a).v = NULL;                                                      \
        (a).n = (a).cap = 0;                                               \
    } while (0)

/* Once every span is made, only the spans and the strings are needed:
 * what was read goes, and the output's sort reuses its pages. The tables
 * that find strings go too: nothing is interned after this. */
static void free_build_state(void)
{
    struct idmap *maps[] = {&cn_first,     &cn_count,     &svc_host,
                            &chost_by_id,  &device_by_id, &lease_by_id,
                            &resv_by_id,   &ires_by_resv, &resv_hfirst,
                            &resv_hcount,  &inst_by_uuid, &extra_by_uuid,
                            &spec_by_uuid};
    for (size_t i = 0; i < sizeof maps / sizeof *maps; i++)
        idmap_free(maps[i]);
    FREE_ARRAY(cnodes);
    FREE_ARRAY(insts);
    FREE_ARRAY(extras);
    FREE_ARRAY(rspecs);
    FREE_ARRAY(actions);
    FREE_ARRAY(leases);
    FREE_ARRAY(resvs);
    FREE_ARRAY(chosts);
    FREE_ARRAY(allocs);
    FREE_ARRAY(ireses);
    FREE_ARRAY(parents_resv);
    FREE_ARRAY(parents_commit);
    FREE_ARRAY(containers);
    FREE_ARRAY(cactions);
    FREE_ARRAY(cfailed);
    cu_table_free(S.hex, S.hmask ? S.hmask + 1 : 0, sizeof *S.hex);
    S.hex = NULL;
    S.hmask = S.hn = 0;
}

/* ------------------------------------------------------------ output */

/* The output order is kind, id, start, host, end, state, with ids and hosts
 * in string order. Comparing strings in the pool for each pair of spans
 * would cost cache misses n log n times; instead the strings in use are
 * ranked once, the spans radix-sorted by (kind, id rank), and each run of
 * one id sorted by the rest. Ties keep the order spans were made in, so the
 * output never depends on the sort. */
static uint32_t *str_rank; /* by sid: place in string order + 1; 0 = NULL */

static uint64_t prefix_of(sid s)
{
    unsigned char b[8] = {0};
    size_t len = len_of(s);
    memcpy(b, str_of(s), len < 8 ? len : 8);
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | b[i];
    return v;
}

static int sid_value_cmp(const void *pa, const void *pb)
{
    return sid_cmp((sid)((const struct cu_radix_pair *)pa)->value,
                   (sid)((const struct cu_radix_pair *)pb)->value);
}

/* Ranks by a radix sort on the first 8 bytes (big-endian, so in byte
 * order); strings that share them are put in order by the rest. */
static void rank_span_strings(void)
{
    str_rank = cu_table_calloc(S.n + 1, sizeof *str_rank);
    struct cu_radix_pair *v = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < spans.n; i++) {
        sid two[2] = {spans.v[i].id, spans.v[i].host};
        for (int k = 0; k < 2; k++)
            if (two[k] && !str_rank[two[k]]) {
                str_rank[two[k]] = 1;
                v = cu_big_grow(v, &cap, n + 1, sizeof *v);
                v[n++] = (struct cu_radix_pair){prefix_of(two[k]), two[k]};
            }
    }
    struct cu_radix_pair *tmp = cu_xmalloc((n ? n : 1) * sizeof *tmp);
    struct cu_radix_pair *sorted = cu_radix_sort_pairs(v, tmp, n, 64);
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && sorted[j].key == sorted[i].key; j++)
            ;
        sort_array(sorted + i, j - i, sizeof *sorted, sid_value_cmp);
    }
    for (size_t i = 0; i < n; i++)
        str_rank[sorted[i].value] = (uint32_t)(i + 1);
    cu_big_free(v, cap, sizeof *v);
    free(tmp);
}

static int span_cmp(const void *pa, const void *pb)
{
    const struct span *x = &spans.v[*(const size_t *)pa],
                      *y = &spans.v[*(const size_t *)pb];
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->id != y->id)
        return str_rank[x->id] < str_rank[y->id] ? -1 : 1;
    if (x->s != y->s)
        return x->s < y->s ? -1 : 1;
    if (x->host != y->host)
        return str_rank[x->host] < str_rank[y->host] ? -1 : 1;
    if (x->e != y->e)
        return x->e < y->e ? -1 : 1;
    if (x->state != y->state)
        return x->state < y->state ? -1 : 1;
    return x < y ? -1 : x > y;
}

static uint64_t span_key(const struct span *sp, unsigned rank_bits)
{
    return (uint64_t)sp->kind << rank_bits | str_rank[sp->id];
}

/* The indices of the spans in output order. */
static size_t *span_order(void)
{
    size_t n = spans.n, *order = cu_xmalloc((n ? n : 1) * sizeof *order);
    rank_span_strings();
    unsigned rank_bits = cu_bit_length(S.n + 1);
    unsigned key_bits = cu_bit_length((uint64_t)(K_N - 1) << rank_bits |
                                      ((UINT64_C(1) << rank_bits) - 1));
    unsigned index_bits = cu_bit_length(n);
    if (key_bits + index_bits > 64) { /* never in practice */
        for (size_t i = 0; i < n; i++)
            order[i] = i;
        sort_array(order, n, sizeof *order, span_cmp);
        return order;
    }
    uint64_t *w = cu_xmalloc((n ? 2 * n : 1) * sizeof *w);
    for (size_t i = 0; i < n; i++)
        w[i] = span_key(&spans.v[i], rank_bits) << index_bits | i;
    uint64_t *sorted = cu_radix_sort_words(w, w + n, n, index_bits,
                                           key_bits);
    uint64_t index_mask = (UINT64_C(1) << index_bits) - 1;
    for (size_t i = 0; i < n; i++)
        order[i] = (size_t)(sorted[i] & index_mask);
    for (size_t i = 0, j; i < n; i = j) {
        uint64_t k = sorted[i] >> index_bits;
        for (j = i + 1; j < n && sorted[j] >> index_bits == k; j++)
            ;
        sort_few(order + i, j - i, sizeof *order, span_cmp);
    }
    free(w);
    return order;
}

/* The flavor Blazar creates for a flavor:instance reservation. */
static void write_resv_flavor(cu_writer *w, sid resv)
{
    const size_t plen = sizeof resv_flavor_prefix - 1;
    char small[128], *buf = small;
    size_t n = len_of(resv), total = plen + n;
    if (total > sizeof small)
        buf = cu_xmalloc(total);
    memcpy(buf, resv_flavor_prefix, plen);
    memcpy(buf + plen, str_of(resv), n);
    if (is_plain(resv))
        cu_writer_plain(w, buf, total);
    else
        cu_writer_str(w, buf, total);
    if (buf != small)
        free(buf);
}

static void write_sid(cu_writer *w, sid s)
{
    if (!s)
        cu_writer_null(w);
    else if (is_plain(s))
        cu_writer_plain(w, str_of(s), len_of(s));
    else
        cu_writer_str(w, str_of(s), len_of(s));
}

static void write_int(cu_writer *w, int64_t v)
{
    if (v == NO_INT)
        cu_writer_null(w);
    else
        cu_writer_int(w, v);
}

/* The fixed names' lengths, once: a strlen per field of millions of rows
 * is measurable. site_tsv: the site as a TSV row's first field. */
static struct {
    size_t kind[K_N], state[ST_N - 1], audit[A_N];
    size_t site_len;
    char *site_tsv;
    size_t site_tsv_len;
} names;

static void names_init(void)
{
    for (int k = 0; k < K_N; k++)
        names.kind[k] = strlen(kind_name[k]);
    for (int k = 0; k < ST_N - 1; k++)
        names.state[k] = strlen(state_name[k]);
    for (int k = 0; k < A_N; k++)
        names.audit[k] = strlen(audit_name[k]);
    const char *site = opt.site;
    size_t len = site ? strlen(site) : 0, at = 0;
    names.site_len = len;
    names.site_tsv = cu_xmalloc(2 * len + 3);
    if (site && site[0] == '#') { /* a row must not read as a directive */
        memcpy(names.site_tsv, "\\#", 2);
        at = 2;
        site++;
        len--;
    }
    names.site_tsv_len =
        at + cu_tsv_escape(site, len, names.site_tsv + at, 2 * len + 2);
}

/* One span, field by field (any output format). */
static void write_span_fields(cu_writer *w, const struct span *sp)
{
    if (opt.site)
        cu_writer_str(w, opt.site, names.site_len);
    else
        cu_writer_null(w);
    cu_writer_plain(w, kind_name[sp->kind], names.kind[sp->kind]);
    if (sp->state == ST_KIND)
        cu_writer_plain(w, kind_name[sp->kind], names.kind[sp->kind]);
    else
        cu_writer_plain(w, state_name[sp->state], names.state[sp->state]);
    write_sid(w, sp->id);
    cu_writer_time(w, sp->s);
    cu_writer_time(w, sp->e == T_OPEN ? CU_TIME_NULL : sp->e);
    write_sid(w, sp->host);
    write_sid(w, sp->project);
    write_sid(w, sp->user);
    write_sid(w, sp->resv);
    write_sid(w, sp->lease);
    if (sp->flavor_is_resv)
        write_resv_flavor(w, sp->resv);
    else
        write_sid(w, sp->flavor);
    if (sp->booking == B_NONE)
        cu_writer_null(w);
    else if (sp->booking == B_RESERVATION)
        cu_writer_plain(w, "reservation", 11);
    else
        cu_writer_plain(w, "ondemand", 8);
    if (isnan(sp->nodes))
        cu_writer_null(w);
    else
        cu_writer_double(w, sp->nodes);
    write_int(w, sp->vcpus);
    write_int(w, sp->mem);
    write_int(w, sp->disk);
    cu_writer_plain(w, audit_name[sp->audit], names.audit[sp->audit]);
    cu_writer_end_row(w);
}

/* The pieces of a TSV row built in place; each returns the end, and the
 * caller puts the tab. */
static char *put_bytes(char *o, const char *s, size_t n)
{
    memcpy(o, s, n);
    return o + n;
}

static char *put_null(char *o)
{
    o[0] = '\\';
    o[1] = 'N';
    return o + 2;
}

static char *put_sid(char *o, sid s)
{
    if (!s)
        return put_null(o);
    size_t n = len_of(s);
    if (is_plain(s))
        return put_bytes(o, str_of(s), n);
    return o + cu_tsv_escape(str_of(s), n, o, 2 * n);
}

static char *put_time(char *o, cu_time t)
{
    return t == CU_TIME_NULL ? put_null(o) : o + cu_time_format(t, o);
}

static char *put_int(char *o, int64_t v)
{
    return v == NO_INT ? put_null(o) : o + cu_format_int(v, o);
}

/* The bytes a sid's field may take at most. */
static size_t sid_room(sid s)
{
    return s ? 2 * len_of(s) : 2;
}

/* One span as a whole TSV row, byte for byte what write_span_fields
 * writes, without a call per field; false when the writer cannot take a
 * whole row (another format). */
static bool write_span_row(cu_writer *w, const struct span *sp)
{
    /* names, times, numbers and tabs take less than 256 bytes */
    size_t max = 256 + names.site_tsv_len + sid_room(sp->id) +
                 sid_room(sp->host) + sid_room(sp->project) +
                 sid_room(sp->user) + 2 * sid_room(sp->resv) +
                 sid_room(sp->lease) + sid_room(sp->flavor);
    char *o = cu_writer_tsv_row(w, max);
    if (!o)
        return false;
    o = opt.site ? put_bytes(o, names.site_tsv, names.site_tsv_len)
                 : put_null(o);
    *o++ = '\t';
    o = put_bytes(o, kind_name[sp->kind], names.kind[sp->kind]);
    *o++ = '\t';
    if (sp->state == ST_KIND)
        o = put_bytes(o, kind_name[sp->kind], names.kind[sp->kind]);
    else
        o = put_bytes(o, state_name[sp->state], names.state[sp->state]);
    *o++ = '\t';
    o = put_sid(o, sp->id);
    *o++ = '\t';
    o = put_time(o, sp->s);
    *o++ = '\t';
    o = put_time(o, sp->e == T_OPEN ? CU_TIME_NULL : sp->e);
    *o++ = '\t';
    o = put_sid(o, sp->host);
    *o++ = '\t';
    o = put_sid(o, sp->project);
    *o++ = '\t';
    o = put_sid(o, sp->user);
    *o++ = '\t';
    o = put_sid(o, sp->resv);
    *o++ = '\t';
    o = put_sid(o, sp->lease);
    *o++ = '\t';
    if (sp->flavor_is_resv) {
        o = put_bytes(o, resv_flavor_prefix, sizeof resv_flavor_prefix - 1);
        o = put_sid(o, sp->resv);
    } else
        o = put_sid(o, sp->flavor);
    *o++ = '\t';
    if (sp->booking == B_NONE)
        o = put_null(o);
    else if (sp->booking == B_RESERVATION)
        o = put_bytes(o, "reservation", 11);
    else
        o = put_bytes(o, "ondemand", 8);
    *o++ = '\t';
    o = isnan(sp->nodes) ? put_null(o) : o + cu_format_double(sp->nodes, o);
    *o++ = '\t';
    o = put_int(o, sp->vcpus);
    *o++ = '\t';
    o = put_int(o, sp->mem);
    *o++ = '\t';
    o = put_int(o, sp->disk);
    *o++ = '\t';
    o = put_bytes(o, audit_name[sp->audit], names.audit[sp->audit]);
    *o++ = '\n';
    cu_writer_tsv_row_end(w, o);
    return true;
}

static void write_spans(void)
{
    static const char *const cols[] = {
        "site", "kind", "state", "id", "start", "end", "host", "project",
        "user", "reservation", "lease", "flavor", "booking", "nodes",
        "vcpus", "memory_mb", "disk_gb", "audit"};
    size_t *order = span_order();
    names_init();
    cu_writer *w = cu_writer_fdopen(STDOUT_FILENO, "(stdout)",
                                    opt.common.out_format,
                                    opt.common.write_flags);
    cu_writer_section(w, NULL, cols, sizeof cols / sizeof *cols);
    for (size_t i = 0; i < spans.n; i++) {
        /* In output order the spans and their strings are all over
         * memory: each is fetched ahead, the span 16 spans ahead, the
         * entries of its strings 8 ahead and the strings themselves 4
         * ahead, once their entries have arrived. (Written out here: GCC
         * drops a call to a function that only prefetches.) */
        if (i + 16 < spans.n)
            __builtin_prefetch(&spans.v[order[i + 16]]);
        for (size_t k = i + 4; k <= i + 8 && k < spans.n; k += 4) {
            const struct span *ahead = &spans.v[order[k]];
            sid ids[] = {ahead->id, ahead->host, ahead->project,
                         ahead->user, ahead->resv, ahead->lease};
            for (size_t j = 0; j < sizeof ids / sizeof *ids; j++) {
                if (!ids[j])
                    continue;
                if (k == i + 8)
                    __builtin_prefetch(&S.ent[ids[j] - 1]);
                else
                    __builtin_prefetch(str_of(ids[j]));
            }
        }
        const struct span *sp = &spans.v[order[i]];
        if (!write_span_row(w, sp))
            write_span_fields(w, sp);
    }
    cu_writer_close_counted(w, &written);
    free(order);
    free(names.site_tsv);
    cu_table_free(str_rank, S.n + 1, sizeof *str_rank);
}

/* --stats: what was read, made, dropped and skipped, as TSV on stderr. */
static void write_stats(void)
{
    fflush(stdout);
    FILE *e = stderr;
    fprintf(e, "#stats\tcu-spans\n");
    for (size_t i = 0; i < nmissing; i++)
        fprintf(e, "missing\t%s\n", missing_tables[i]);
    for (size_t i = 0; i < ntcounts; i++)
        fprintf(e, "rows\t%s\t%lu\t%s\n", str_of(tcounts[i].table),
                tcounts[i].rows, tcounts[i].used ? "read" : "ignored");
    unsigned long count[K_N][ST_N][A_N] = {{{0}}};
    for (size_t i = 0; i < spans.n; i++)
        count[spans.v[i].kind][spans.v[i].state][spans.v[i].audit]++;
    for (int k = 0; k < K_N; k++)
        for (int s = 0; s < ST_N; s++)
            for (int a = 0; a < A_N; a++)
                if (count[k][s][a])
                    fprintf(e, "spans\t%s\t%s\t%s\t%lu\n", kind_name[k],
                            s == ST_KIND ? kind_name[k] : state_name[s],
                            audit_name[a], count[k][s][a]);
    for (int d = 0; d < D_N; d++)
        for (int k = 0; k <= K_N; k++)
            if (drops[d][k])
                fprintf(e, "dropped\t%s\t%s\t%lu\n",
                        k == K_N ? "-" : kind_name[k], drop_name[d],
                        drops[d][k]);
    for (size_t i = 0; i < ntcounts; i++)
        if (tcounts[i].skipped)
            fprintf(e, "skipped\t%s\t%lu\n", str_of(tcounts[i].table),
                    tcounts[i].skipped);
    if (hist.archives) {
        fprintf(e, "history\tarchives\t%zu\n", hist.archives);
        fprintf(e, "history\trows\t%" PRIu64 "\n", hist.rows);
        fprintf(e, "history\tversions\t%" PRIu64 "\n", hist.versions);
        fprintf(e, "history\tgone\t%" PRIu64 "\n", hist.gone);
        fprintf(e, "history\tlargest_gap_seconds\t%" PRId64 "\n",
                hist.max_gap / 1000000);
        fprintf(e, "history\tconflicts\t%" PRIu64 "\n", hist.conflicts);
        for (size_t i = 0; i < hist.ntables; i++)
            if (hist.tables[i].gone)
                fprintf(e, "history\tgone\t%s\t%" PRIu64 "\n",
                        hist.tables[i].table, hist.tables[i].gone);
    }
    for (size_t i = 0; i < nskip_msgs; i++)
        fprintf(e, "skip\t%s\n", skip_msgs[i]);
    if (nskipped > nskip_msgs)
        fprintf(e, "skip\t(%lu more not shown)\n", nskipped - nskip_msgs);
}

/* ------------------------------------------------------------ main */

static void usage(void)
{
    printf("Usage: %s [OPTION]... [FILE|DIR|-]...\n", cu_program_name());
    fputs(
        "Turn a cu-dump table stream or archive (nova, nova_api, blazar tables)\n"
        "into the span stream: one row per interval during which a hypervisor\n"
        "existed (total), a host was in Blazar (reservable), a host or flavor\n"
        "slice was allocated to a lease (committed), or an instance held one\n"
        "state on one host (instance). Output is sorted by site, kind, id, start.\n"
        "With no FILE, or when FILE is -, read standard input.\n"
        "\n"
        "Options:\n"
        "      --site KEY        write KEY in the site column (default: NULL)\n"
        "      --start T         keep spans ending after T, clipped to start at T\n"
        "      --end T           keep spans starting before T, clipped (open spans\n"
        "                        closed) at T\n"
        "      --kinds LIST      write only these kinds (comma-separated:\n"
        "                        total,reservable,committed,instance,container)\n"
        "      --skip-bad        skip rows that cannot be interpreted (bad time,\n"
        "                        missing key) instead of failing; count them\n"
        "      --history         the operands are archives of one cloud (cu-dump\n"
        "                        -o, e.g. nightly runs), oldest first: rows a later\n"
        "                        one lacks still count, ending at the last\n"
        "                        snapshot that had them (audit inferred)\n"
        "      --allow-missing=TABLE  go on when the input says TABLE (e.g.\n"
        "                        nova.instances, or instances) was denied,\n"
        "                        missing or failed (repeatable); without it\n"
        "                        that is an error, as the spans would be short\n"
        CU_COMMON_OPTIONS_HELP
        "\n"
        "T is RFC 3339 (2024-03-01T00:00:00Z), a MySQL DATETIME or a date.\n"
        "The rules (states, hosts, clamping, audit values) are in cu-spans(1).\n"
        "\n"
        "Exit status: 0 ok, 1 bad input or I/O error, 2 usage error.\n",
        stdout);
}

enum {
    OPT_SITE = CU_OPT_TOOL_FIRST,
    OPT_START,
    OPT_END,
    OPT_KINDS,
    OPT_SKIP_BAD,
    OPT_ALLOW_MISSING,
    OPT_HISTORY,
};

static void parse_kinds(const char *list)
{
    for (int k = 0; k < K_N; k++)
        opt.kinds[k] = false;
    const char *p = list;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        int k;
        for (k = 0; k < K_N; k++)
            if (strlen(kind_name[k]) == n && !memcmp(kind_name[k], p, n))
                break;
        if (k == K_N)
            cu_usage_error("--kinds: unknown kind '%.*s' (kinds: total, "
                           "reservable, committed, instance)", (int)n, p);
        opt.kinds[k] = true;
        if (!comma)
            break;
        p = comma + 1;
    }
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"site", required_argument, NULL, OPT_SITE},
        {"start", required_argument, NULL, OPT_START},
        {"end", required_argument, NULL, OPT_END},
        {"kinds", required_argument, NULL, OPT_KINDS},
        {"skip-bad", no_argument, NULL, OPT_SKIP_BAD},
        {"allow-missing", required_argument, NULL, OPT_ALLOW_MISSING},
        {"history", no_argument, NULL, OPT_HISTORY},
        CU_COMMON_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    cu_init(argv[0], &opt.common);
    opt.wstart = T_MIN;
    opt.wend = T_OPEN;
    for (int k = 0; k < K_N; k++)
        opt.kinds[k] = true;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (cu_common_option(c, &opt.common, usage))
            continue;
        switch (c) {
        case OPT_SITE:
            opt.site = optarg;
            break;
        case OPT_START:
            opt.wstart = cu_time_option("start", optarg);
            break;
        case OPT_END:
            opt.wend = cu_time_option("end", optarg);
            break;
        case OPT_KINDS:
            parse_kinds(optarg);
            break;
        case OPT_SKIP_BAD:
            opt.skip_bad = true;
            break;
        case OPT_HISTORY:
            opt.history = true;
            break;
        case OPT_ALLOW_MISSING:
            opt.allow_missing = cu_xrealloc(
                opt.allow_missing,
                (opt.nallow_missing + 1) * sizeof *opt.allow_missing);
            opt.allow_missing[opt.nallow_missing++] = optarg;
            break;
        default:
            cu_try_help();
        }
    }
    if (opt.wstart != T_MIN && opt.wend != T_OPEN && opt.wstart >= opt.wend)
        cu_usage_error("--start must be before --end");

    if (opt.history) {
        if (optind == argc)
            cu_usage_error("--history needs the archives, oldest first");
        char *merged = cu_history_merge((const char *const *)argv + optind,
                                        (size_t)(argc - optind), &hist);
        read_all(&merged, 1);
        cu_temp_remove();
        free(merged);
    } else {
        read_all(argv + optind, (size_t)(argc - optind));
    }
    build_total();
    build_reservable();
    index_blazar();
    build_committed();
    build_instances();
    build_containers();
    free_build_state();
    write_spans();
    if (opt.common.stats) {
        write_stats();
        cu_history_stats_free(&hist);
        cu_stats_wrote("(stdout)", written.rows, written.bytes,
                       written.stored);
    } else if (nskipped) /* skipped rows are never silent */
        cu_warn("skipped %lu row%s that could not be interpreted "
                "(--stats lists them)", nskipped, nskipped == 1 ? "" : "s");
    return CU_EXIT_OK;
}
