/* cu-spans: turn the rows of nova, nova_api, blazar and zun (a cu-dump
 * table stream or archive) into the span stream of cu(7): one row per
 * interval during which a host existed, was reservable, was committed to a
 * lease, or an instance or container held one state on one host. Every
 * rule is in cu-spans(1).
 *
 * The files, in the order a run goes through them:
 *   main.c        options, main
 *   strings.c     interning: every string once, as a small integer (sid)
 *   read.c        each table's columns (a declaration) into the records
 *   hosts.c       emitting spans, intervals; total and reservable spans
 *   leases.c      Blazar's leases: committed spans
 *   instances.c   nova's instances: actions, events, the state machine
 *   containers.c  zun's containers (CHI@Edge)
 *   write.c       the output order, the rows, --stats
 *
 * All state of a run is in one struct run, passed down; the records are
 * arrays of small structs joined by sorting and by sid-indexed maps after
 * all input has been read, so the sections may come in any order. */
#ifndef CU_SPANS_H
#define CU_SPANS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bigmem.h"
#include "cli.h"
#include "cutime.h"
#include "history.h"
#include "intern.h"
#include "stream.h"
#include "writer.h"

#define T_OPEN INT64_MAX /* the end of a span still open */
#define T_MIN INT64_MIN  /* "since forever" (never a real time) */
#define NO_INT INT64_MIN /* a NULL integer (CU_INT_NULL) */

/* ------------------------------------------------------------ arrays */

/* A growable array of T: v[0..n), room for cap. */
#define ARRAY_OF(T)                                                        \
    struct {                                                               \
        T *v;                                                              \
        size_t n, cap;                                                     \
    }
/* Where the next element of array a goes, room made for it (not counted,
 * not zeroed): a reader decodes a row into it and counts it if it is
 * good. */
#define SLOT_PTR(a)                                                        \
    (((a).n == (a).cap ? ((a).v = cu_big_grow((a).v, &(a).cap, (a).n + 1, \
                                              sizeof *(a).v))              \
                       : (a).v) +                                          \
     (a).n)
#define NEXT_SLOT(a) (*SLOT_PTR(a))
#define PUSH(a) (*((void)SLOT_PTR(a), &(a).v[(a).n++]))
#define FREE_ARRAY(a)                                                      \
    do {                                                                   \
        cu_big_free((a).v, (a).cap, sizeof *(a).v);                        \
        (a).v = NULL;                                                      \
        (a).n = (a).cap = 0;                                               \
    } while (0)

/* ------------------------------------------------------------ strings */

typedef uint32_t sid; /* an interned string; 0 = none / NULL */

/* Every string once, in lib/intern's table: sid i is its id i - 1. */
struct strings {
    cu_intern *t;
    uint8_t *plain; /* by sid: no byte TSV escapes, so written as it is
                       (strings_mark_plain, once interning is over) */
};

static inline size_t strings_count(const struct strings *S)
{
    return cu_intern_count(S->t);
}
static inline const char *str_of(const struct strings *S, sid id)
{
    return cu_intern_str(S->t, id - 1);
}
static inline size_t len_of(const struct strings *S, sid id)
{
    return cu_intern_len(S->t, id - 1);
}
static inline bool is_plain(const struct strings *S, sid id)
{
    return S->plain[id];
}

/* The flavor Blazar creates for each flavor:instance reservation is named
 * after it: there are as many as reservations, so they are ids too. */
#define RESV_FLAVOR_PREFIX "reservation:"
#define RESV_FLAVOR_PREFIX_LEN (sizeof RESV_FLAVOR_PREFIX - 1)
#define RESV_FLAVOR_LEN (RESV_FLAVOR_PREFIX_LEN + 36)

void strings_init(struct strings *S);
sid intern(struct strings *S, const char *s, size_t len);
sid intern_cstr(struct strings *S, const char *s);
/* intern, for a column whose value often repeats from one row to the next
 * (*last: the previous row's). */
sid intern_cached(struct strings *S, const char *s, size_t len, sid *last);
int sid_cmp(const struct strings *S, sid a, sid b);
/* Drop the id tables (nothing is interned after this); the strings stay. */
void strings_end_interning(struct strings *S);
/* Which strings need no TSV escaping (plain), for the writer. */
void strings_mark_plain(struct strings *S);
void strings_free(struct strings *S);

/* Interning an id is a cache miss into a table larger than the caches, and
 * the reader has nothing else to do meanwhile. So the hot readers queue
 * their ids here: the slot is prefetched at once and the id is interned
 * LAG ids later, when the slot has arrived, into the sid field at byte
 * offset `off` of element `idx` of the array at *base. */
enum { LAG = 16 };
struct lagq {
    struct strings *S;
    void *const *base;
    size_t elem;
    size_t head, n;
    struct lagitem {
        uint64_t hi, lo;
        size_t idx;
        uint32_t form, off;
    } q[LAG];
};
void lag_push(struct lagq *q, uint64_t hi, uint64_t lo, uint32_t form,
              size_t idx, size_t off);
void lag_forget(struct lagq *q, size_t idx);
void lag_flush(struct lagq *q);

/* A map from sid to a small integer, sized for the strings interned so
 * far; strings interned later map to 0. */
struct idmap {
    uint32_t *v;
    size_t n;
};
struct idmap idmap_new(const struct strings *S);
void idmap_free(struct idmap *m);
static inline uint32_t idget(const struct idmap *m, sid s)
{
    return s < m->n ? m->v[s] : 0;
}
void idset(struct idmap *m, sid s, uint32_t v);
/* The map from the sid at byte off of each of the n records at v (of size
 * bytes) to its index + 1 (the last one where a sid repeats). */
struct idmap idmap_index(const struct strings *S, const void *v, size_t n,
                         size_t size, size_t off);
#define INDEX_BY(S, A, T, field)                                            \
    idmap_index(S, (A).v, (A).n, sizeof(T), offsetof(T, field))

/* ------------------------------------------------------------ sorting */

typedef int sort_cmp(const void *a, const void *b, void *ctx);

/* -1, 0 or 1 as a is below, equal to or above b: the comparators' steps. */
static inline int cmp_i64(int64_t a, int64_t b) { return (a > b) - (a < b); }
static inline int cmp_u64(uint64_t a, uint64_t b) { return (a > b) - (a < b); }

/* qsort_r, but an empty array may be NULL. */
void sort_array(void *v, size_t n, size_t size, sort_cmp *cmp, void *ctx);

/* A few elements, mostly in order already (one instance's actions, one
 * id's spans): an insertion sort, stable; qsort when there are many.
 * Inlined where it is called, so that its copies are of a known size and
 * its comparison a direct call: it runs for every instance and id. */
static inline __attribute__((always_inline)) void
sort_few(void *v, size_t n, size_t size, sort_cmp *cmp, void *ctx)
{
    char t[64], *a = v;
    if (n > 32 || size > sizeof t) {
        sort_array(v, n, size, cmp, ctx);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        size_t j = i;
        memcpy(t, a + i * size, size);
        for (; j > 0 && cmp(a + (j - 1) * size, t, ctx) > 0; j--)
            memcpy(a + j * size, a + (j - 1) * size, size);
        memcpy(a + j * size, t, size);
    }
}

/* ------------------------------------------------------------ vocabulary */

/* Names looked up for every row carry their lengths. */
#define NAMED(s) s, sizeof s - 1

enum kind { K_COMMITTED, K_CONTAINER, K_INSTANCE, K_RESERVABLE, K_TOTAL, K_N };
extern const char *const kind_name[K_N];

enum state { ST_ACTIVE, ST_STOPPED, ST_ERROR, ST_SHELVED, ST_KIND, ST_N };
extern const char *const state_name[ST_N - 1];

enum audit { A_OK, A_CLIPPED, A_ORPHAN, A_NULL_KEY, A_FALLBACK, A_INFERRED,
             A_N };
extern const char *const audit_name[A_N];

enum booking { B_NONE, B_RESERVATION, B_ONDEMAND };

/* What an action does to an instance or container (instances.c has the
 * tables of names). */
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

/* An action's name and its effect; effect_named looks one up (E_NONE
 * for a name not in the table). */
struct named_effect {
    const char *name;
    size_t len;
    enum effect eff;
};
enum effect effect_named(const struct named_effect *t, size_t n,
                         const cu_field *f);

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
extern const char *const drop_name[D_N];

/* ------------------------------------------------------------ options */

struct options {
    const char *site;
    cu_time wstart, wend; /* T_MIN / T_OPEN when not given */
    bool kinds[K_N], kinds_given;
    bool skip_bad;
    bool history; /* the operands are archives of one cloud in time order */
    struct cu_args allow_missing; /* --allow-missing tables */
    struct cu_common common;
};

/* ------------------------------------------------------------ records */

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
typedef ARRAY_OF(struct extra) extras_array;

/* Everything read. */
struct input {
    ARRAY_OF(struct cnode) cnodes;
    ARRAY_OF(struct inst) insts;
    extras_array extras, rspecs;
    ARRAY_OF(struct action) actions;
    ARRAY_OF(struct event) events;
    ARRAY_OF(struct lease) leases;
    ARRAY_OF(struct resv) resvs;
    ARRAY_OF(struct chost) chosts;
    ARRAY_OF(struct alloc) allocs;
    ARRAY_OF(struct ires) ireses;
    ARRAY_OF(struct container) containers;
    ARRAY_OF(struct caction) cactions;
    ARRAY_OF(sid) cfailed; /* container actions with an event in Error */
};

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

/* ------------------------------------------------------------ statistics */

struct table_count {
    sid table;
    unsigned long rows, skipped;
    bool used;
};

/* What --stats says besides the spans. */
struct stats {
    char **missing_tables; /* "table<TAB>status" the input could not
                              deliver */
    size_t nmissing, nmissing_cap;
    struct table_count *tcounts;
    size_t ntcounts, tcounts_cap;
    unsigned long drops[D_N][K_N + 1]; /* by kind; K_N: no kind */
    char **skip_msgs;
    size_t nskip_msgs, skip_msgs_cap;
    unsigned long nskipped;
    struct cu_write_counts written;
    struct cu_history_stats hist; /* --history */
};

/* ------------------------------------------------------------ joining */

struct ival {
    cu_time s, e;
};

/* Parents: per key, a merged list of intervals. Keys are (a, b) sid pairs
 * (host; or reservation and host). */
struct pentry {
    sid a, b;
    struct ival iv;
};
typedef ARRAY_OF(struct pentry) pentries;

/* What the spans are built from besides the records: maps by sid (values
 * index + 1 unless said), the parents of clamped spans. */
struct index {
    struct idmap cn_first, cn_count; /* by hypervisor_hostname */
    struct idmap svc_host;           /* service host -> hypervisor_hostname */
    struct idmap chost_by_id, device_by_id;
    struct idmap lease_by_id, resv_by_id, ires_by_resv;
    struct idmap resv_hfirst, resv_hcount; /* into resv_hosts */
    struct idmap inst_by_uuid, extra_by_uuid, spec_by_uuid;
    ARRAY_OF(sid) resv_hosts;
    pentries parents_resv;   /* reservable, by host */
    pentries parents_commit; /* committed, by reservation, host */
    sid type_instance;       /* "flavor:instance" */
    sid error;               /* "error" */
};

/* ------------------------------------------------------------ a run */

struct run {
    const struct options *opt;
    struct strings str;
    struct input in;
    struct index ix;
    struct stats st;
    ARRAY_OF(struct span) spans;
};

/* read.c */
void read_all(struct run *R, char **paths, size_t n);

/* Columns read by decoders of their own (lib/columns' CU_COL_CUSTOM):
 * the value stored at dst; NULL, or what is wrong. instances.c: */
const char *decode_action_effect(const cu_field *f, void *dst);
const char *decode_place_prio(const cu_field *f, void *dst);
const char *decode_error(const cu_field *f, void *dst);
const char *decode_action_id(const cu_field *f, void *dst);
/* containers.c: */
const char *decode_caction_effect(const cu_field *f, void *dst);
const char *decode_cpu(const cu_field *f, void *dst);
const char *decode_memory_mb(const cu_field *f, void *dst);

/* hosts.c */
void emit(struct run *R, struct span sp);
void emit_clamped(struct run *R, struct span child, const struct pentry *p,
                  size_t np);
struct span span_base(enum kind k);
cu_time end_or_open(cu_time t);
cu_time tmin(cu_time a, cu_time b);
void parents_finish(pentries *p);
size_t parents_of(const pentries *p, sid a, sid b, const struct pentry **out);
void build_total(struct run *R);
void build_reservable(struct run *R);
sid map_service_host(const struct index *ix, sid h);
const struct cnode *cnode_at(const struct run *R, sid hh, cu_time t,
                             bool *fallback);

/* leases.c */
void index_blazar(struct run *R);
void build_committed(struct run *R);

/* instances.c */
enum effect action_effect(const cu_field *f);
uint8_t event_place_prio(const cu_field *f);
void build_instances(struct run *R);

/* containers.c */
enum effect caction_effect(const cu_field *f);
void build_containers(struct run *R);

/* write.c */
void free_build_state(struct run *R);
void write_spans(struct run *R);
void write_stats(const struct run *R);
void run_free(struct run *R);

#endif
