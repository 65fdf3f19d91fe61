/* cu-timeline: turn a span stream into the timeline stream
 *   site time resource metric value
 * how much capacity a site had, how much was reservable, committed to leases,
 * occupied by instances, per resource, at every change or per time bucket.
 *
 * How it works: every counted span becomes two events (+ at start, - at end;
 * an open span only the +). The events are sorted by time with an LSD radix
 * sort and swept once; the sums per site, span class and resource are exact
 * fixed-point integers (see VALUES in cu-timeline(1)), so a value that goes
 * up by 32 and down by 32 is back where it was, and same-instant changes
 * cancel. The metrics are computed from those sums after all the events of
 * one instant, and a row is written only when a value changes. */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cutime.h"
#include "decimal.h"
#include "error.h"
#include "intern.h"
#include "radix.h"
#include "stream.h"
#include "writer.h"

typedef cu_i128 i128;

/* ------------------------------------------------------------ vocabulary */

enum resource {
    R_NODES, R_VCPUS, R_MEMORY, R_DISK, R_INSTANCES, R_CONTAINERS, NRES
};
static const char *const resource_name[NRES] = {
    "nodes", "vcpus", "memory_mb", "disk_gb", "instances", "containers",
};
/* The first four are read from the span columns of the same names; the
 * instances and the containers are counted. */
#define NVALUE_COLS 4

/* Decimal places kept when a value is read: a resource's sums are integers
 * in units of 10^-digits. nodes are shares of a host (vcpus / host vcpus,
 * e.g. 1/48 written as 0.020833333333333332) and need many places so that
 * 48 of them still print as 1; the others are whole numbers in practice. */
static const int resource_digits[NRES] = {15, 6, 6, 6, 0, 0};
/* Places printed: sums and aggregates are rounded to 10^-9. */
#define OUT_DIGITS 9

/* The classes a span adds to. */
enum base {
    B_TOTAL,
    B_RESERVABLE,
    B_COMMITTED,
    B_ACTIVE_RES,
    B_STOPPED_RES,
    B_ERROR_RES,
    B_ACTIVE_OD,
    B_STOPPED_OD,
    B_ERROR_OD,
    NBASE,
};
#define BIT(b) (1u << (b))
#define OCC_RES (BIT(B_ACTIVE_RES) | BIT(B_STOPPED_RES) | BIT(B_ERROR_RES))
#define OCC_OD (BIT(B_ACTIVE_OD) | BIT(B_STOPPED_OD) | BIT(B_ERROR_OD))

enum metric {
    M_TOTAL,
    M_RESERVABLE,
    M_COMMITTED,
    M_OCC_RES,
    M_OCC_OD,
    M_ACTIVE_RES,
    M_ACTIVE_OD,
    M_STOPPED_RES,
    M_STOPPED_OD,
    M_ERROR_RES,
    M_ERROR_OD,
    M_OD_CAPACITY,
    M_AVAIL_RES,
    M_IDLE,
    M_AVAIL_OD,
    NMETRIC,
};
static const char *const metric_name[NMETRIC] = {
    "total",
    "reservable",
    "committed",
    "occupied_reservation",
    "occupied_ondemand",
    "active_reservation",
    "active_ondemand",
    "stopped_reservation",
    "stopped_ondemand",
    "error_reservation",
    "error_ondemand",
    "ondemand_capacity",
    "available_reservable",
    "idle",
    "available_ondemand",
};
/* Which classes each metric is computed from: after an instant only the
 * metrics of the classes that changed are recomputed. */
static const unsigned metric_deps[NMETRIC] = {
    [M_TOTAL] = BIT(B_TOTAL),
    [M_RESERVABLE] = BIT(B_RESERVABLE),
    [M_COMMITTED] = BIT(B_COMMITTED),
    [M_OCC_RES] = OCC_RES,
    [M_OCC_OD] = OCC_OD,
    [M_ACTIVE_RES] = BIT(B_ACTIVE_RES),
    [M_ACTIVE_OD] = BIT(B_ACTIVE_OD),
    [M_STOPPED_RES] = BIT(B_STOPPED_RES),
    [M_STOPPED_OD] = BIT(B_STOPPED_OD),
    [M_ERROR_RES] = BIT(B_ERROR_RES),
    [M_ERROR_OD] = BIT(B_ERROR_OD),
    [M_OD_CAPACITY] = BIT(B_TOTAL) | BIT(B_RESERVABLE),
    [M_AVAIL_RES] = BIT(B_RESERVABLE) | BIT(B_COMMITTED),
    [M_IDLE] = BIT(B_COMMITTED) | OCC_RES,
    [M_AVAIL_OD] = BIT(B_TOTAL) | BIT(B_RESERVABLE) | OCC_OD,
};

/* The metric that is class b alone. */
static const int base_metric[NBASE] = {
    M_TOTAL,      M_RESERVABLE,  M_COMMITTED, M_ACTIVE_RES, M_STOPPED_RES,
    M_ERROR_RES,  M_ACTIVE_OD,   M_STOPPED_OD, M_ERROR_OD,
};

/* A count of occupants (instances, containers) has no capacity. */
static bool is_count(int r) { return r == R_INSTANCES || r == R_CONTAINERS; }

/* Hosts are not instances: the counts only have the occupation metrics;
 * capacity has no instance count. */
static bool applicable(int r, int m)
{
    return !is_count(r) || (m >= M_OCC_RES && m <= M_ERROR_OD);
}

/* sums[b] is class b of one site and resource. */
static i128 metric_value(const i128 *sums, int m)
{
    i128 occ_res = sums[B_ACTIVE_RES] + sums[B_STOPPED_RES] + sums[B_ERROR_RES];
    i128 occ_od = sums[B_ACTIVE_OD] + sums[B_STOPPED_OD] + sums[B_ERROR_OD];
    switch (m) {
    case M_TOTAL: return sums[B_TOTAL];
    case M_RESERVABLE: return sums[B_RESERVABLE];
    case M_COMMITTED: return sums[B_COMMITTED];
    case M_OCC_RES: return occ_res;
    case M_OCC_OD: return occ_od;
    case M_ACTIVE_RES: return sums[B_ACTIVE_RES];
    case M_ACTIVE_OD: return sums[B_ACTIVE_OD];
    case M_STOPPED_RES: return sums[B_STOPPED_RES];
    case M_STOPPED_OD: return sums[B_STOPPED_OD];
    case M_ERROR_RES: return sums[B_ERROR_RES];
    case M_ERROR_OD: return sums[B_ERROR_OD];
    case M_OD_CAPACITY: return sums[B_TOTAL] - sums[B_RESERVABLE];
    case M_AVAIL_RES: return sums[B_RESERVABLE] - sums[B_COMMITTED];
    case M_IDLE: return sums[B_COMMITTED] - occ_res;
    default: return sums[B_TOTAL] - sums[B_RESERVABLE] - occ_od;
    }
}

enum agg { AGG_MEAN, AGG_POINT, AGG_MAX, AGG_MIN, AGG_INTEGRAL };
static const char *const agg_name[] = {"mean", "point", "max", "min",
                                       "integral"};

/* --------------------------------------------------------------- options */

struct options {
    struct cu_common common;
    cu_time start, end; /* CU_TIME_NULL: not given */
    bool have_step;
    cu_duration step;
    cu_time origin; /* CU_TIME_NULL: not given */
    bool have_agg;
    enum agg agg;
    bool metric_sel[NMETRIC];
    bool resource_sel[NRES];
    bool metrics_given, resources_given;
    char **sites; /* --site names; none = every site */
    size_t nsites;
    bool *site_seen;
    bool wide, check, include_invalid;
};

/* ------------------------------------------------------ exact arithmetic */

/* A value of resource r (units of 10^-digits) in units of 10^-OUT_DIGITS. */
static i128 to_out(i128 v, int r)
{
    int d = resource_digits[r];
    if (d > OUT_DIGITS)
        return cu_div_round(v, cu_pow10(d - OUT_DIGITS));
    return v * cu_pow10(OUT_DIGITS - d);
}

__attribute__((__noreturn__))
static void die_overflow(void)
{
    cu_die(CU_EXIT_DATA, "overflow: a sum of values x time is beyond "
                         "128-bit range (values too large for the window)");
}

/* a * b, or a fatal error where it overflows: an exact figure or none. */
static inline i128 mul_checked(i128 a, i128 b)
{
    i128 p;
    if (__builtin_mul_overflow(a, b, &p))
        die_overflow();
    return p;
}

/* acc + a * b, checked as mul_checked. */
static inline i128 mul_add_checked(i128 acc, i128 a, i128 b)
{
    if (__builtin_add_overflow(acc, mul_checked(a, b), &acc))
        die_overflow();
    return acc;
}

/* num / den of resource r, den > 0, in units of 10^-OUT_DIGITS: a
 * time-weighted mean (integral / width) or an integral in hours. */
static i128 ratio_out(i128 num, i128 den, int r)
{
    int d = resource_digits[r];
    if (d > OUT_DIGITS)
        return cu_div_round(num, mul_checked(den, cu_pow10(d - OUT_DIGITS)));
    return cu_div_round(mul_checked(num, cu_pow10(OUT_DIGITS - d)), den);
}

/* Decimal text of v * 10^-OUT_DIGITS (lib/decimal). */
static size_t format_out(i128 v, char *buf)
{
    return cu_format_fixed(v, OUT_DIGITS, buf);
}

/* ---------------------------------------------------------------- input */

/* What a span adds: its site, class and the amount of each resource.
 * Spans with equal values share one entry, so the sweep reads a small table
 * that stays in cache. */
struct span_type {
    int64_t v[NRES];
    uint32_t site;
    uint32_t base;
};

struct input {
    /* the events: key = time (after reading: (time - tmin) / granularity),
     * value = type << 1 | (1 if the span ends here) */
    struct cu_radix_pair *ev;
    size_t nev, evcap;

    struct span_type *types;
    size_t ntypes, typecap;
    cu_intern *type_ids; /* a type's bytes -> its index in types */

    cu_intern *sites; /* site names; \N as the key "\0", which no real
                       * site can be (a NUL in a site is refused) */
    uint32_t last_site; /* see site_id() */
    size_t last_site_len;
    /* spans with site \N (cu-spans without --site) form a site of their
     * own, written as \N; UINT32_MAX until one is seen */
    uint32_t null_site;

    bool any_time;
    cu_time tmin, tmax;
    bool whole_seconds, whole_millis;

    /* counts, for --stats and warnings */
    uint64_t rows, counted, invalid, other_site, shelved, no_host, empty, open;
    uint64_t containers; /* container spans counted */
    /* per site id: the resources some capacity span (total, reservable,
       committed) left \N: an edge device declares no vCPUs, memory or
       disk, so those cannot be checked on the site */
    unsigned char *cap_unknown;
    size_t cap_unknown_n;
    uint64_t nulls[NVALUE_COLS];
};

struct cols {
    size_t site, kind, state, start, end, host, booking, audit;
    size_t val[NVALUE_COLS];
};

/* A span type's index: its bytes interned (the struct has no padding:
 * NRES int64 values, then two uint32). */
_Static_assert(sizeof(struct span_type) == (NRES + 1) * 8,
               "span_type is its bytes");

static uint32_t type_intern(struct input *in, const struct span_type *ty)
{
    uint32_t i = cu_intern_add(in->type_ids, (const char *)ty, sizeof *ty);
    if (i == in->ntypes) {
        if (in->ntypes >= UINT32_MAX / 2)
            cu_die(CU_EXIT_DATA, "too many different spans (%zu)", in->ntypes);
        in->types = cu_xgrow(in->types, &in->typecap, in->ntypes + 1,
                             sizeof *in->types);
        in->types[in->ntypes++] = *ty;
    }
    return i;
}

static void add_event(struct input *in, cu_time t, uint64_t what)
{
    if (in->nev == in->evcap)
        in->ev = cu_xgrow(in->ev, &in->evcap, in->nev + 1, sizeof *in->ev);
    in->ev[in->nev].key = (uint64_t)t;
    in->ev[in->nev].value = what;
    in->nev++;
    if (!in->any_time || t < in->tmin)
        in->tmin = t;
    if (!in->any_time || t > in->tmax)
        in->tmax = t;
    in->any_time = true;
    if (t % CU_USEC_PER_SEC != 0) {
        in->whole_seconds = false;
        if (t % 1000 != 0)
            in->whole_millis = false;
    }
}

#define field_is_lit(f, lit) cu_field_equals_n((f), lit, sizeof lit - 1)

/* The columns read, found; the reader need not decode the others (ids,
 * projects, users, reservations, leases, flavors). */
static void resolve_cols(cu_reader *r, struct cols *c)
{
    c->site = cu_reader_need_col(r, "site");
    c->kind = cu_reader_need_col(r, "kind");
    c->state = cu_reader_need_col(r, "state");
    c->start = cu_reader_need_col(r, "start");
    c->end = cu_reader_need_col(r, "end");
    c->host = cu_reader_need_col(r, "host");
    c->booking = cu_reader_need_col(r, "booking");
    c->audit = cu_reader_need_col(r, "audit");
    for (int i = 0; i < NVALUE_COLS; i++)
        c->val[i] = cu_reader_need_col(r, resource_name[i]);
    long used[8 + NVALUE_COLS] = {
        (long)c->site, (long)c->kind,    (long)c->state, (long)c->start,
        (long)c->end,  (long)c->host, (long)c->booking, (long)c->audit};
    for (int i = 0; i < NVALUE_COLS; i++)
        used[8 + i] = (long)c->val[i];
    cu_reader_only(r, used, sizeof used / sizeof *used);
}

/* Counted audits: 1; left out unless --include-invalid: 0. */
static int audit_counts(const cu_reader *r, const struct cols *c)
{
    const cu_field *f = cu_reader_field(r, c->audit);
    /* cu(7): ok, clipped, fallback and inferred count; the others stay
       visible for audit (inferred: a hard delete's end taken from a later
       snapshot; rejected: cu-replay --simulate found no room) */
    if (field_is_lit(f, "ok") || field_is_lit(f, "clipped") ||
        field_is_lit(f, "fallback") || field_is_lit(f, "inferred"))
        return 1;
    if (field_is_lit(f, "orphan") || field_is_lit(f, "null_key") ||
        field_is_lit(f, "rejected"))
        return 0;
    cu_reader_die_field(r, c->audit,
                        "unknown audit (ok, clipped, fallback, inferred, "
                        "orphan, null_key, rejected)");
}

/* The class a span adds to, or -1 for a span that holds nothing (shelved);
 * *container says whether the occupant is a Zun container (an instance
 * otherwise). */
static int span_base(const cu_reader *r, const struct cols *c, bool *container)
{
    const cu_field *kind = cu_reader_field(r, c->kind);
    const cu_field *state = cu_reader_field(r, c->state);
    static const char *const host_kinds[] = {"total", "reservable",
                                             "committed"};
    for (int b = 0; b < 3; b++) {
        if (cu_field_equals(kind, host_kinds[b])) {
            if (!cu_field_equals(state, host_kinds[b]))
                cu_reader_die_field(r, c->state,
                                    "state differs from kind '%s'",
                                    host_kinds[b]);
            return b;
        }
    }
    *container = field_is_lit(kind, "container");
    if (!*container && !field_is_lit(kind, "instance"))
        cu_reader_die_field(r, c->kind, "unknown kind (total, reservable, "
                                        "committed, instance, container)");
    int s;
    if (field_is_lit(state, "active"))
        s = 0;
    else if (field_is_lit(state, "stopped"))
        s = 1;
    else if (field_is_lit(state, "error"))
        s = 2;
    else if (field_is_lit(state, "shelved"))
        return -1;
    else
        cu_reader_die_field(r, c->state, "unknown instance state (active, "
                                         "stopped, error, shelved)");
    const cu_field *booking = cu_reader_field(r, c->booking);
    if (field_is_lit(booking, "reservation"))
        return B_ACTIVE_RES + s;
    if (field_is_lit(booking, "ondemand"))
        return B_ACTIVE_OD + s;
    cu_reader_die_field(r, c->booking,
                        "unknown booking (reservation, ondemand)");
}

static bool site_selected(struct options *o, const cu_field *site)
{
    if (!o->nsites)
        return true;
    for (size_t i = 0; i < o->nsites; i++) {
        if (cu_field_equals(site, o->sites[i])) {
            o->site_seen[i] = true;
            return true;
        }
    }
    return false;
}

/* The site's index; rows come in runs of one site, so the last one is
 * tried first. */
static uint32_t site_id(struct input *in, const cu_field *site)
{
    if (cu_field_is_null(site)) {
        if (in->null_site == UINT32_MAX)
            in->null_site = cu_intern_add(in->sites, "", 1);
        return in->null_site;
    }
    const char *last = cu_intern_count(in->sites)
                           ? cu_intern_str(in->sites, in->last_site)
                           : NULL;
    if (last && site->len == in->last_site_len &&
        memcmp(site->s, last, site->len) == 0)
        return in->last_site;
    in->last_site = cu_intern_add(in->sites, site->s, site->len);
    in->last_site_len = site->len;
    return in->last_site;
}

static void note_unknown_capacity(struct input *in, uint32_t site, int res)
{
    if (site >= in->cap_unknown_n) {
        size_t n = in->cap_unknown_n;
        in->cap_unknown = cu_xgrow(in->cap_unknown, &in->cap_unknown_n,
                                   (size_t)site + 1, 1);
        memset(in->cap_unknown + n, 0, in->cap_unknown_n - n);
    }
    in->cap_unknown[site] |= (unsigned char)(1u << res);
}

static void read_span(const cu_reader *r, const struct cols *c,
                      struct options *o, struct input *in)
{
    in->rows++;
    if (!audit_counts(r, c) && !o->include_invalid) {
        in->invalid++;
        return;
    }
    const cu_field *site = cu_reader_field(r, c->site);
    /* site names are C strings from here on: two names that differ only
       after a NUL would be merged into one series */
    if (memchr(site->s, '\0', site->len))
        cu_reader_die_field(r, c->site, "NUL byte in a site name");
    if (!site_selected(o, site)) {
        in->other_site++;
        return;
    }
    bool container = false;
    int base = span_base(r, c, &container);
    if (base < 0) {
        in->shelved++;
        return;
    }
    /* an instance that never got a host (failed scheduling) holds nothing */
    if (base >= B_ACTIVE_RES && cu_field_is_null(cu_reader_field(r, c->host))) {
        in->no_host++;
        return;
    }
    cu_time start = cu_reader_time(r, c->start);
    if (start == CU_TIME_NULL)
        cu_reader_die_field(r, c->start, "a span needs a start");
    cu_time end = cu_reader_time(r, c->end);
    if (end != CU_TIME_NULL && end < start)
        cu_reader_die_field(r, c->end, "end before start");
    if (end == start) {
        in->empty++;
        return;
    }

    struct span_type ty;
    uint32_t sid = site_id(in, site);
    for (int i = 0; i < NVALUE_COLS; i++) {
        const cu_field *f = cu_reader_field(r, c->val[i]);
        if (cu_field_is_null(f)) {
            in->nulls[i]++;
            ty.v[i] = 0;
            if (base <= B_COMMITTED)
                note_unknown_capacity(in, sid, i);
            continue;
        }
        const char *why = cu_parse_fixed(f->s, f->len, resource_digits[i],
                                      &ty.v[i]);
        if (why)
            cu_reader_die_field(r, c->val[i], "%s", why);
    }
    ty.v[R_INSTANCES] = base >= B_ACTIVE_RES && !container;
    ty.v[R_CONTAINERS] = container;
    in->containers += container;
    ty.site = sid;
    ty.base = (uint32_t)base;
    uint64_t type = type_intern(in, &ty);

    in->counted++;
    add_event(in, start, type << 1);
    if (end != CU_TIME_NULL)
        add_event(in, end, type << 1 | 1);
    else
        in->open++;
}

static void read_input(char **paths, size_t npaths, struct options *o,
                       struct input *in)
{
    cu_reader *r = cu_reader_open((const char *const *)paths, npaths,
                                  CU_FMT_AUTO);
    struct cols c;
    bool have_cols = false;
    enum cu_next next;

    in->whole_seconds = in->whole_millis = true;
    while ((next = cu_reader_next(r)) != CU_EOF) {
        if (next == CU_SECTION) {
            resolve_cols(r, &c);
            have_cols = true;
            continue;
        }
        if (!have_cols) {
            resolve_cols(r, &c);
            have_cols = true;
        }
        read_span(r, &c, o, in);
    }
    cu_reader_close(r);
}

/* ------------------------------------------------------------- sorting */

/* The sorted events, in one of two layouts: when the time keys and the
 * payloads both fit in 32 bits (a span of 136 years at whole seconds, fewer
 * than 2^31 span types) each event is one word, key << 32 | what, which
 * halves the memory and the bytes each radix pass moves. */
struct sorted {
    bool packed;
    const uint64_t *words;
    const struct cu_radix_pair *events;
    size_t n;
    cu_time tmin, unit; /* time = tmin + key * unit */
    void *mem;          /* what to free */
};

static inline uint64_t sorted_key(const struct sorted *s, size_t i)
{
    return s->packed ? s->words[i] >> 32 : s->events[i].key;
}

static inline uint64_t sorted_what(const struct sorted *s, size_t i)
{
    return s->packed ? (s->words[i] & 0xffffffffu) : s->events[i].value;
}

/* Turn the times into keys from 0 and sort. The input's event array is
 * taken over. */
static void sort_events(struct input *in, struct sorted *s)
{
    size_t n = in->nev;
    cu_time unit = in->whole_seconds  ? CU_USEC_PER_SEC
                   : in->whole_millis ? 1000
                                      : 1;
    uint64_t maxkey = 0;

    s->n = n;
    s->tmin = in->tmin;
    s->unit = unit;
    if (n)
        maxkey = (uint64_t)(in->tmax - in->tmin) / (uint64_t)unit;
    for (size_t i = 0; i < n; i++)
        in->ev[i].key = (uint64_t)((cu_time)in->ev[i].key - in->tmin) /
                        (uint64_t)unit;

    s->packed = maxkey <= UINT32_MAX && (uint64_t)in->ntypes * 2 <= UINT32_MAX;
    if (s->packed) {
        /* In place: word i lands in bytes [8i, 8i+8), which event i has
         * already been read from; the digit histograms are counted on the
         * way. The second half of the event array is then free, and is
         * the radix sort's scratch buffer. */
        struct cu_radix_plan p = cu_radix_plan(cu_bit_length(maxkey));
        size_t nb = (size_t)1 << p.width;
        size_t *count = cu_xcalloc(p.passes * nb + 1, sizeof *count);
        uint64_t *w = (uint64_t *)in->ev;
        for (size_t i = 0; i < n; i++) {
            struct cu_radix_pair e = in->ev[i];
            w[i] = e.key << 32 | e.value;
            for (unsigned d = 0; d < p.passes; d++)
                count[d * nb + cu_radix_digit(e.key, 0, p, d)]++;
        }
        uint64_t *res = n ? cu_radix_scatter_words(w, w + n, n, 32, p, count) : w;
        free(count);
        s->words = res;
        s->mem = in->ev;
    } else {
        struct cu_radix_pair *tmp = cu_xmalloc((n ? n : 1) * sizeof *tmp);
        struct cu_radix_pair *res =
            n ? cu_radix_sort_pairs(in->ev, tmp, n, cu_bit_length(maxkey)) : in->ev;
        if (res == tmp) {
            free(in->ev);
            s->mem = tmp;
        } else {
            free(tmp);
            s->mem = in->ev;
        }
        s->events = res;
    }
    in->ev = NULL;
    in->nev = in->evcap = 0;
}

/* --------------------------------------------------------------- output */

/* A written series: its value, and what a bucket needs when the aggregate
 * is not linear (max, min). */
struct series {
    i128 cur;      /* the value now, exact, in units of the resource */
    i128 mx, mn;   /* over the bucket so far (--agg max, min) */
    i128 shown;    /* last value written (output units; no --step) */
};

/* How the events are swept:
 * STEPS   no --step: after each instant, the series that changed are
 *         recomputed and written;
 * LINEAR  --step with mean, integral or point: every metric is a linear
 *         combination of the class sums, so only the class sums are
 *         integrated, at each event, and the metrics are derived from them
 *         at the end of a bucket;
 * EXTREME --step with max or min: the series are recomputed after each
 *         instant, as for STEPS, and their extremes kept;
 * CHECK   --check: the stack is tested after each instant. */
enum sweep_mode { MODE_STEPS, MODE_LINEAR, MODE_EXTREME, MODE_CHECK };

struct sweep {
    const struct options *o;
    enum sweep_mode mode;
    const struct span_type *types;
    size_t nsites;
    const char **site_names; /* by rank (name order) */
    unsigned char *cap_unknown; /* by rank: resources not checked */
    /* per site, class and resource: [site][base][resource] */
    i128 *sums;
    i128 *integ;   /* LINEAR: integral of the sum over the bucket so far */
    i128 *atstart; /* LINEAR: the sum at the bucket start */
    cu_time *since; /* LINEAR: [site][base]: integ covers up to here */
    struct series *series; /* [site][resource][metric] */
    unsigned *dirty;   /* per site: the classes changed at this instant */
    uint32_t *dirty_list;
    size_t ndirty;
    unsigned char *violated; /* --check: [site][resource] bit per relation */
    uint64_t violations;
    cu_writer *w;
    /* which series are written (and tracked) */
    bool track[NRES][NMETRIC];
    bool track_res[NRES];
    /* for each set of changed classes, the tracked metrics that depend on
     * them (a list ending in -1) */
    signed char affected[1u << NBASE][NMETRIC + 1];
    /* buckets (--step) */
    cu_time origin;
    int64_t bucket_k;     /* the current bucket starts at origin + k * step */
    cu_time bstart, bend; /* the current bucket, cut to the window */
    cu_time wstart, wend; /* window; wend CU_TIME_NULL = open */
    uint64_t changes;     /* instants at which something changed */
};

static i128 *site_sums(struct sweep *sw, size_t s)
{
    return sw->sums + s * NBASE * NRES;
}

static struct series *site_series(struct sweep *sw, size_t s)
{
    return sw->series + s * NRES * NMETRIC;
}

/* The class values of resource r from a [base][resource] block. */
static void gather(const i128 *block, int r, i128 out[NBASE])
{
    for (int b = 0; b < NBASE; b++)
        out[b] = block[b * NRES + r];
}

static void write_value(cu_writer *w, i128 out)
{
    char buf[64];
    size_t n = format_out(out, buf);
    cu_writer_num(w, buf, n);
}

static void write_header(struct sweep *sw)
{
    const char *cols[3 + NMETRIC];
    size_t n = 0;
    cols[n++] = "site";
    cols[n++] = "time";
    cols[n++] = "resource";
    if (sw->o->wide) {
        for (int m = 0; m < NMETRIC; m++)
            if (sw->o->metric_sel[m])
                cols[n++] = metric_name[m];
    } else {
        cols[n++] = "metric";
        cols[n++] = "value";
    }
    cu_writer_section(sw->w, NULL, cols, n);
}

static void write_long(struct sweep *sw, size_t s, cu_time t, int r, int m,
                       i128 out)
{
    cu_writer_cstr(sw->w, sw->site_names[s]);
    cu_writer_time(sw->w, t);
    cu_writer_cstr(sw->w, resource_name[r]);
    cu_writer_cstr(sw->w, metric_name[m]);
    write_value(sw->w, out);
    cu_writer_end_row(sw->w);
}

/* One wide row: values[m] for the selected metrics; not applicable ones
 * are NULL. */
static void write_wide(struct sweep *sw, size_t s, cu_time t, int r,
                       const i128 *values)
{
    cu_writer_cstr(sw->w, sw->site_names[s]);
    cu_writer_time(sw->w, t);
    cu_writer_cstr(sw->w, resource_name[r]);
    for (int m = 0; m < NMETRIC; m++) {
        if (!sw->o->metric_sel[m])
            continue;
        if (sw->track[r][m])
            write_value(sw->w, values[m]);
        else
            cu_writer_null(sw->w);
    }
    cu_writer_end_row(sw->w);
}

/* ----------------------------------------- series (STEPS and EXTREME) */

/* Recompute the tracked series of site s that depend on the classes in
 * mask; in EXTREME mode keep their extremes. */
static void update_series(struct sweep *sw, size_t s, unsigned mask)
{
    const signed char *list = sw->affected[mask];
    if (list[0] < 0)
        return;
    struct series *se = site_series(sw, s);
    const i128 *block = site_sums(sw, s);
    for (int r = 0; r < NRES; r++) {
        if (!sw->track_res[r])
            continue;
        i128 sums[NBASE];
        gather(block, r, sums);
        for (const signed char *m = list; *m >= 0; m++) {
            if (!sw->track[r][*m])
                continue;
            struct series *x = &se[r * NMETRIC + *m];
            i128 v = metric_value(sums, *m);
            x->cur = v;
            if (v > x->mx)
                x->mx = v;
            if (v < x->mn)
                x->mn = v;
        }
    }
}

/* Write the series of site s that depend on the classes in mask and
 * changed at t (all of them, changed or not, if force). */
static void emit_changes(struct sweep *sw, size_t s, cu_time t,
                         unsigned mask, bool force)
{
    struct series *se = site_series(sw, s);
    const signed char *list = sw->affected[mask];
    for (int r = 0; r < NRES; r++) {
        bool changed = false;
        if (!sw->track_res[r])
            continue;
        for (const signed char *m = list; *m >= 0; m++) {
            if (!sw->track[r][*m])
                continue;
            struct series *x = &se[r * NMETRIC + *m];
            i128 out = to_out(x->cur, r);
            if (force || out != x->shown) {
                changed = true;
                if (!sw->o->wide)
                    write_long(sw, s, t, r, *m, out);
            }
            x->shown = out;
        }
        if (sw->o->wide && changed) {
            i128 out[NMETRIC];
            for (int m = 0; m < NMETRIC; m++)
                out[m] = sw->track[r][m] ? se[r * NMETRIC + m].shown : 0;
            write_wide(sw, s, t, r, out);
        }
    }
}

/* ------------------------------------------------------ buckets (--step) */

static cu_time bucket_boundary(const struct sweep *sw, int64_t k)
{
    return cu_time_add(sw->origin, sw->o->step, k);
}

/* k such that boundary(k) <= t < boundary(k + 1). */
static int64_t bucket_index(const struct sweep *sw, cu_time t)
{
    const cu_duration d = sw->o->step;
    /* an estimate (a month is 30.436875 days on average), then exact */
    double width = d.months ? (double)d.months * 30.436875 * 86400e6
                            : (double)d.usec;
    int64_t k = (int64_t)((double)(t - sw->origin) / width);
    while (bucket_boundary(sw, k) > t)
        k--;
    while (bucket_boundary(sw, k + 1) <= t)
        k++;
    return k;
}

/* Start the bucket containing t (t is the window start). */
static void bucket_begin(struct sweep *sw, cu_time t)
{
    sw->bucket_k = bucket_index(sw, t);
    sw->bstart = t;
    sw->bend = bucket_boundary(sw, sw->bucket_k + 1);
    if (sw->wend != CU_TIME_NULL && sw->bend > sw->wend)
        sw->bend = sw->wend;
}

/* The aggregate of metric m of resource r over the bucket, from the class
 * integrals and the class sums at its start (LINEAR). */
static i128 aggregate_linear(const struct sweep *sw, const i128 *integ,
                             const i128 *atstart, int r, int m)
{
    switch (sw->o->agg) {
    case AGG_POINT: return to_out(metric_value(atstart, m), r);
    case AGG_INTEGRAL:
        return ratio_out(metric_value(integ, m),
                         (i128)3600 * CU_USEC_PER_SEC, r);
    default:
        return ratio_out(metric_value(integ, m), sw->bend - sw->bstart, r);
    }
}

static void bucket_write_site(struct sweep *sw, size_t s)
{
    struct series *se = site_series(sw, s);
    size_t off = s * NBASE * NRES;
    for (int r = 0; r < NRES; r++) {
        if (!sw->track_res[r])
            continue;
        i128 out[NMETRIC], integ[NBASE], atstart[NBASE];
        if (sw->mode == MODE_LINEAR) {
            gather(sw->integ + off, r, integ);
            gather(sw->atstart + off, r, atstart);
        }
        for (int m = 0; m < NMETRIC; m++) {
            if (!sw->track[r][m])
                continue;
            if (sw->mode == MODE_LINEAR) {
                out[m] = aggregate_linear(sw, integ, atstart, r, m);
            } else {
                struct series *x = &se[r * NMETRIC + m];
                out[m] = to_out(sw->o->agg == AGG_MAX ? x->mx : x->mn, r);
            }
            if (!sw->o->wide)
                write_long(sw, s, sw->bstart, r, m, out[m]);
        }
        if (sw->o->wide)
            write_wide(sw, s, sw->bstart, r, out);
    }
}

/* Everything a bucket needs from its start on, for site s at time t. */
static void bucket_restart_site(struct sweep *sw, size_t s, cu_time t)
{
    size_t off = s * NBASE * NRES;
    if (sw->mode == MODE_LINEAR) {
        memset(sw->integ + off, 0, NBASE * NRES * sizeof *sw->integ);
        memcpy(sw->atstart + off, sw->sums + off,
               NBASE * NRES * sizeof *sw->sums);
        for (size_t b = 0; b < NBASE; b++)
            sw->since[s * NBASE + b] = t;
    } else {
        struct series *se = site_series(sw, s);
        for (size_t i = 0; i < NRES * NMETRIC; i++)
            se[i].mx = se[i].mn = se[i].cur;
    }
}

/* Bring the class integrals of site s up to t (LINEAR). */
static void integrate_site(struct sweep *sw, size_t s, cu_time t)
{
    for (size_t b = 0; b < NBASE; b++) {
        size_t off = (s * NBASE + b) * NRES;
        cu_time dt = t - sw->since[s * NBASE + b];
        for (size_t r = 0; r < NRES; r++)
            sw->integ[off + r] =
                mul_add_checked(sw->integ[off + r], sw->sums[off + r], dt);
        sw->since[s * NBASE + b] = t;
    }
}

/* Write every series' aggregate over the current bucket and start the
 * next one at its end. */
static void bucket_finish(struct sweep *sw)
{
    for (size_t s = 0; s < sw->nsites; s++) {
        if (sw->mode == MODE_LINEAR)
            integrate_site(sw, s, sw->bend);
        bucket_write_site(sw, s);
        bucket_restart_site(sw, s, sw->bend);
    }
    sw->bucket_k++;
    sw->bstart = sw->bend;
    sw->bend = bucket_boundary(sw, sw->bucket_k + 1);
    if (sw->wend != CU_TIME_NULL && sw->bend > sw->wend)
        sw->bend = sw->wend;
}

/* ------------------------------------------------------------- --check */

enum relation {
    REL_OCC_RES,    /* occupied_reservation <= committed */
    REL_COMMITTED,  /* committed <= reservable */
    REL_RESERVABLE, /* reservable <= total */
    REL_OCC_OD,     /* occupied_ondemand <= ondemand_capacity */
    REL_NEGATIVE,   /* a class sum below zero */
    NREL,
};

static void report_violation(struct sweep *sw, size_t s, cu_time t, int r,
                             int lo_m, i128 lo, int hi_m, i128 hi)
{
    char when[CU_TIME_BUFSZ], a[64], b[64];
    cu_time_format(t, when);
    format_out(to_out(lo, r), a);
    format_out(to_out(hi, r), b);
    sw->violations++;
    fflush(stdout);
    if (hi_m < 0)
        fprintf(stderr, "%s: check: %s: site %s: %s: %s %s < 0\n",
                cu_program_name(), when,
                sw->site_names[s] ? sw->site_names[s] : "\\N", resource_name[r],
                metric_name[lo_m], a);
    else
        fprintf(stderr, "%s: check: %s: site %s: %s: %s %s > %s %s\n",
                cu_program_name(), when,
                sw->site_names[s] ? sw->site_names[s] : "\\N", resource_name[r],
                metric_name[lo_m], a, metric_name[hi_m], b);
}

/* Test the stack of site s at t; report each relation when it starts to fail (not again at every change
 * while it keeps failing). */
static void check_site(struct sweep *sw, size_t s, cu_time t)
{
    const i128 *block = site_sums(sw, s);
#define SUM(b) block[(b) * NRES + r]
    /* the instance count has no capacity to compare with; --resources
       narrows the check as it narrows the output (an edge site's devices
       declare no vCPUs, memory or disk in Blazar: check their nodes) */
    for (int r = 0; r < NRES; r++) {
        if (!sw->o->resource_sel[r] ||
            (r < NVALUE_COLS && (sw->cap_unknown[s] >> r & 1)))
            continue;
        unsigned char *flags = &sw->violated[s * NRES + (size_t)r];
        unsigned char now = (unsigned char)(*flags & ~(1u << REL_NEGATIVE));
        if (!is_count(r)) {
            i128 occ_res = SUM(B_ACTIVE_RES) + SUM(B_STOPPED_RES) +
                           SUM(B_ERROR_RES);
            i128 occ_od = SUM(B_ACTIVE_OD) + SUM(B_STOPPED_OD) +
                          SUM(B_ERROR_OD);
            i128 lo[4] = {occ_res, SUM(B_COMMITTED), SUM(B_RESERVABLE),
                          occ_od};
            i128 hi[4] = {SUM(B_COMMITTED), SUM(B_RESERVABLE), SUM(B_TOTAL),
                          SUM(B_TOTAL) - SUM(B_RESERVABLE)};
            static const int lo_m[4] = {M_OCC_RES, M_COMMITTED, M_RESERVABLE,
                                        M_OCC_OD};
            static const int hi_m[4] = {M_COMMITTED, M_RESERVABLE, M_TOTAL,
                                        M_OD_CAPACITY};
            for (int k = 0; k < 4; k++) {
                /* at the precision values are printed with: node shares
                   such as 8/48 are written rounded, and six of them may
                   sum to a hair above the whole host they fill */
                if (to_out(lo[k], r) <= to_out(hi[k], r)) {
                    now = (unsigned char)(now & ~(1u << k));
                } else if (!(now & 1u << k)) {
                    now |= 1u << k;
                    report_violation(sw, s, t, r, lo_m[k], lo[k], hi_m[k],
                                     hi[k]);
                }
            }
        }
        int neg = -1;
        for (int b = 0; b < NBASE && neg < 0; b++)
            if (to_out(SUM(b), r) < 0)
                neg = b;
        if (neg >= 0) {
            if (!(*flags & 1u << REL_NEGATIVE))
                report_violation(sw, s, t, r, base_metric[neg], SUM(neg), -1,
                                 0);
            now |= 1u << REL_NEGATIVE;
        }
        *flags = now;
    }
#undef SUM
}

/* --------------------------------------------------------------- sweep */

static void apply_event(struct sweep *sw, uint64_t what)
{
    const struct span_type *ty = &sw->types[what >> 1];
    i128 *sums = sw->sums + ((size_t)ty->site * NBASE + ty->base) * NRES;
    if (what & 1) {
        for (int r = 0; r < NRES; r++)
            sums[r] -= ty->v[r];
    } else {
        for (int r = 0; r < NRES; r++)
            sums[r] += ty->v[r];
    }
    if (!sw->dirty[ty->site])
        sw->dirty_list[sw->ndirty++] = ty->site;
    sw->dirty[ty->site] |= BIT(ty->base);
}

/* LINEAR: the class's integral is brought up to t before its sum moves. */
static inline void apply_event_linear(struct sweep *sw, uint64_t what,
                                      cu_time t)
{
    const struct span_type *ty = &sw->types[what >> 1];
    size_t cls = (size_t)ty->site * NBASE + ty->base;
    i128 *sums = sw->sums + cls * NRES, *integ = sw->integ + cls * NRES;
    cu_time dt = t - sw->since[cls];
    if (dt) {
        for (int r = 0; r < NRES; r++)
            integ[r] = mul_add_checked(integ[r], sums[r], dt);
        sw->since[cls] = t;
    }
    if (what & 1) {
        for (int r = 0; r < NRES; r++)
            sums[r] -= ty->v[r];
    } else {
        for (int r = 0; r < NRES; r++)
            sums[r] += ty->v[r];
    }
}

static void sort_dirty(struct sweep *sw)
{
    uint32_t *a = sw->dirty_list;
    for (size_t i = 1; i < sw->ndirty; i++) {
        uint32_t v = a[i];
        size_t j = i;
        for (; j > 0 && a[j - 1] > v; j--)
            a[j] = a[j - 1];
        a[j] = v;
    }
}

/* After the events of instant t: bring the changed sites up to date. */
static void settle(struct sweep *sw, cu_time t)
{
    if (sw->ndirty > 1)
        sort_dirty(sw);
    for (size_t i = 0; i < sw->ndirty; i++) {
        uint32_t s = sw->dirty_list[i];
        unsigned mask = sw->dirty[s];
        sw->dirty[s] = 0;
        switch (sw->mode) {
        case MODE_CHECK: check_site(sw, s, t); break;
        case MODE_EXTREME: update_series(sw, s, mask); break;
        default:
            update_series(sw, s, mask);
            emit_changes(sw, s, t, mask, false);
        }
    }
    sw->ndirty = 0;
}

/* The state at the window start: every tracked series gets its first row
 * (or, with --step, its first bucket begins). */
static void window_begin(struct sweep *sw)
{
    unsigned all = (1u << NBASE) - 1;
    for (size_t s = 0; s < sw->nsites; s++) {
        sw->dirty[s] = 0;
        switch (sw->mode) {
        case MODE_CHECK: check_site(sw, s, sw->wstart); break;
        case MODE_STEPS:
            update_series(sw, s, all);
            emit_changes(sw, s, sw->wstart, all, true);
            break;
        case MODE_EXTREME:
            update_series(sw, s, all);
            bucket_restart_site(sw, s, sw->wstart);
            break;
        case MODE_LINEAR: bucket_restart_site(sw, s, sw->wstart); break;
        }
    }
    sw->ndirty = 0;
    if (sw->o->have_step)
        bucket_begin(sw, sw->wstart);
}

/* A bucket that starts at an instant with events starts from the values
 * after them: --agg point is the value at the bucket start, and max and min
 * must not see the value that ended there. */
static void bucket_restart_after_events(struct sweep *sw, cu_time t)
{
    if (t != sw->bstart)
        return;
    for (size_t s = 0; s < sw->nsites; s++)
        bucket_restart_site(sw, s, t);
}

/* LINEAR: no work per instant, only per event and per bucket. */
static size_t sweep_linear(struct sweep *sw, const struct sorted *so,
                           size_t i)
{
    size_t n = so->n;
    while (i < n) {
        uint64_t key = sorted_key(so, i);
        cu_time t = so->tmin + (cu_time)key * so->unit;
        if (sw->wend != CU_TIME_NULL && t >= sw->wend)
            break;
        while (t >= sw->bend)
            bucket_finish(sw);
        sw->changes++;
        for (; i < n && sorted_key(so, i) == key; i++)
            apply_event_linear(sw, sorted_what(so, i), t);
        bucket_restart_after_events(sw, t);
    }
    return i;
}

static size_t sweep_instants(struct sweep *sw, const struct sorted *so,
                             size_t i)
{
    size_t n = so->n;
    while (i < n) {
        uint64_t key = sorted_key(so, i);
        cu_time t = so->tmin + (cu_time)key * so->unit;
        if (sw->wend != CU_TIME_NULL && t >= sw->wend)
            break;
        if (sw->o->have_step)
            while (t >= sw->bend)
                bucket_finish(sw);
        for (; i < n && sorted_key(so, i) == key; i++)
            apply_event(sw, sorted_what(so, i));
        sw->changes++;
        settle(sw, t);
        if (sw->mode == MODE_EXTREME)
            bucket_restart_after_events(sw, t);
    }
    return i;
}

static void sweep_run(struct sweep *sw, const struct sorted *so)
{
    size_t i = 0, n = so->n;

    if (!sw->nsites || (sw->wend != CU_TIME_NULL && sw->wstart >= sw->wend))
        return; /* nothing to show: the header alone */

    /* everything up to and including the window start, silently */
    for (; i < n; i++) {
        cu_time t = so->tmin + (cu_time)sorted_key(so, i) * so->unit;
        if (t > sw->wstart)
            break;
        apply_event(sw, sorted_what(so, i));
    }
    window_begin(sw);

    if (sw->mode == MODE_LINEAR)
        sweep_linear(sw, so, i);
    else
        sweep_instants(sw, so, i);

    if (sw->o->have_step) {
        if (sw->wend != CU_TIME_NULL) {
            while (sw->bstart < sw->wend)
                bucket_finish(sw);
        } else {
            /* open window: the bucket holding the last change, where the
             * last values hold to its end */
            bucket_finish(sw);
        }
    }
}

/* ------------------------------------------------------------ set-up */

static const char **site_names_for_sort;

/* Name order, the NULL site first. */
static int compare_site_names(const void *a, const void *b)
{
    const char *x = site_names_for_sort[*(const uint32_t *)a];
    const char *y = site_names_for_sort[*(const uint32_t *)b];
    if (!x || !y)
        return (x != NULL) - (y != NULL);
    return strcmp(x, y);
}

/* Sites in name order; the span types then refer to them by rank. */
static void order_sites(struct sweep *sw, struct input *in)
{
    size_t ns = sw->nsites;
    uint32_t *order = cu_xmalloc((ns ? ns : 1) * sizeof *order);
    for (size_t i = 0; i < ns; i++)
        order[i] = (uint32_t)i;
    /* the names, NULL for \N; they stay in in->sites */
    const char **names = cu_xmalloc((ns ? ns : 1) * sizeof *names);
    for (size_t i = 0; i < ns; i++)
        names[i] = i == in->null_site ? NULL
                                      : cu_intern_str(in->sites, (uint32_t)i);
    site_names_for_sort = names;
    qsort(order, ns, sizeof *order, compare_site_names);
    sw->site_names = cu_xmalloc((ns ? ns : 1) * sizeof *sw->site_names);
    uint32_t *rank = cu_xmalloc((ns ? ns : 1) * sizeof *rank);
    sw->cap_unknown = cu_xcalloc(ns ? ns : 1, 1);
    for (size_t j = 0; j < ns; j++) {
        sw->site_names[j] = names[order[j]];
        rank[order[j]] = (uint32_t)j;
        if (order[j] < in->cap_unknown_n)
            sw->cap_unknown[j] = in->cap_unknown[order[j]];
    }
    for (size_t i = 0; i < in->ntypes; i++)
        in->types[i].site = rank[in->types[i].site];
    free(rank);
    free(order);
    free(names);
}

static void sweep_init(struct sweep *sw, const struct options *o,
                       struct input *in)
{
    memset(sw, 0, sizeof *sw);
    sw->o = o;
    sw->nsites = cu_intern_count(in->sites);
    order_sites(sw, in);
    sw->types = in->types;

    if (o->check)
        sw->mode = MODE_CHECK;
    else if (!o->have_step)
        sw->mode = MODE_STEPS;
    else if (o->agg == AGG_MAX || o->agg == AGG_MIN)
        sw->mode = MODE_EXTREME;
    else
        sw->mode = MODE_LINEAR;

    size_t ns = sw->nsites, cells = ns * NBASE * NRES + 1;
    sw->sums = cu_xcalloc(cells, sizeof *sw->sums);
    if (sw->mode == MODE_LINEAR) {
        sw->integ = cu_xcalloc(cells, sizeof *sw->integ);
        sw->atstart = cu_xcalloc(cells, sizeof *sw->atstart);
        sw->since = cu_xcalloc(ns * NBASE + 1, sizeof *sw->since);
    }
    sw->series = cu_xcalloc(ns * NRES * NMETRIC + 1, sizeof *sw->series);
    sw->dirty = cu_xcalloc(ns + 1, sizeof *sw->dirty);
    sw->dirty_list = cu_xcalloc(ns + 1, sizeof *sw->dirty_list);
    sw->violated = cu_xcalloc(ns * NRES + 1, 1);

    for (int r = 0; r < NRES; r++)
        for (int m = 0; m < NMETRIC; m++) {
            sw->track[r][m] = !o->check && o->resource_sel[r] &&
                              o->metric_sel[m] && applicable(r, m);
            sw->track_res[r] |= sw->track[r][m];
        }
    for (unsigned mask = 0; mask < 1u << NBASE; mask++) {
        int k = 0;
        for (int m = 0; m < NMETRIC; m++)
            if ((metric_deps[m] & mask) && o->metric_sel[m])
                sw->affected[mask][k++] = (signed char)m;
        sw->affected[mask][k] = -1;
    }

    /* the window */
    sw->wend = o->end;
    if (o->start != CU_TIME_NULL)
        sw->wstart = o->start;
    else
        sw->wstart = in->any_time ? in->tmin : 0;
    if (o->have_step) {
        if (o->origin != CU_TIME_NULL)
            sw->origin = o->origin;
        else if (!o->step.months &&
                 o->step.usec % (7 * 86400 * CU_USEC_PER_SEC) == 0)
            sw->origin = 4 * 86400 * CU_USEC_PER_SEC; /* Monday 1970-01-05 */
        else
            sw->origin = 0;
        if (o->start == CU_TIME_NULL)
            sw->wstart = bucket_boundary(sw, bucket_index(sw, sw->wstart));
    }
}

static void sweep_free(struct sweep *sw)
{
    free(sw->site_names);
    free(sw->cap_unknown);
    free(sw->sums);
    free(sw->integ);
    free(sw->atstart);
    free(sw->since);
    free(sw->series);
    free(sw->dirty);
    free(sw->dirty_list);
    free(sw->violated);
}

static void input_free(struct input *in)
{
    free(in->ev);
    free(in->types);
    cu_intern_free(in->type_ids);
    cu_intern_free(in->sites);
    free(in->cap_unknown);
}

/* --check: say which resources of which sites were not checked. */
static void say_unchecked(const struct sweep *sw, const struct options *o)
{
    for (size_t s = 0; s < sw->nsites; s++) {
        char list[64] = "";
        for (int r = 0; r < NVALUE_COLS; r++)
            if (o->resource_sel[r] && (sw->cap_unknown[s] >> r & 1))
                snprintf(list + strlen(list), sizeof list - strlen(list),
                         "%s%s", list[0] ? ", " : "", resource_name[r]);
        if (list[0])
            fprintf(stderr, "%s: check: site %s: %s not checked: capacity "
                    "spans without them (edge devices declare none)\n",
                    cu_program_name(),
                    sw->site_names[s] ? sw->site_names[s] : "\\N", list);
    }
}

/* ------------------------------------------------------------ main */

/* Phases are timed in CPU time of the process, which other processes on
 * a busy machine do not inflate; the whole run also in wall time. */
struct clocks {
    double cpu, wall;
};

static struct clocks now(void)
{
    struct timespec c, w;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c);
    clock_gettime(CLOCK_MONOTONIC, &w);
    return (struct clocks){(double)c.tv_sec + (double)c.tv_nsec / 1e9,
                           (double)w.tv_sec + (double)w.tv_nsec / 1e9};
}

static void usage(void)
{
    printf(
        "Usage: %s [OPTION]... [FILE]...\n"
        "Turn a span stream (from cu-spans) into the timeline stream\n"
        "  site time resource metric value\n"
        "capacity, reservation and occupation per site over time. With no\n"
        "FILE, or when FILE is -, read standard input.\n"
        "\n"
        "Without --step a row is written at every change of a value (a step\n"
        "function: the value holds until the next row of its series); the\n"
        "first row of every series gives its value at the window start.\n"
        "\n"
        "Window and buckets:\n"
        "      --start=TIME      begin the window at TIME (default: the first\n"
        "                          span start; with --step, its bucket)\n"
        "      --end=TIME        end the window before TIME (default: open;\n"
        "                          values of open spans hold)\n"
        "      --step=DURATION   one row per bucket: 15m 1h 1d 1w 1mo 1y, or\n"
        "                          a number of seconds (Ns)\n"
        "      --origin=TIME     align buckets to TIME (default: the epoch,\n"
        "                          i.e. calendar days, months and years;\n"
        "                          weeks start on Monday)\n"
        "      --agg=HOW         per bucket: mean (time-weighted, default),\n"
        "                          point (value at the bucket start), max,\n"
        "                          min, integral (value x hours)\n"
        "\n"
        "Selection:\n"
        "      --metrics=LIST    write only these metrics (comma-separated):\n"
        "                          total reservable committed\n"
        "                          occupied_reservation occupied_ondemand\n"
        "                          active_reservation active_ondemand\n"
        "                          stopped_reservation stopped_ondemand\n"
        "                          error_reservation error_ondemand\n"
        "                          ondemand_capacity available_reservable\n"
        "                          idle available_ondemand\n"
        "      --resources=LIST  only these resources: nodes vcpus memory_mb\n"
        "                          disk_gb instances containers (default: all;\n"
        "                          containers only when the input has some)\n"
        "      --site=LIST       only these sites\n"
        "      --include-invalid count spans audited orphan or null_key too\n"
        "\n"
        "Output:\n"
        "      --wide            one column per metric (one row per site,\n"
        "                          time and resource)\n"
        "      --check           write no timeline; check at every change\n"
        "                          that occupied_reservation <= committed <=\n"
        "                          reservable <= total, occupied_ondemand <=\n"
        "                          ondemand_capacity and nothing is negative;\n"
        "                          report each violation on stderr, exit 1\n"
        CU_COMMON_OPTIONS_HELP
        "\n"
        "Exit status: 0 ok, 1 bad input or a --check violation, 2 usage.\n"
        "Full documentation: man cu-timeline\n",
        cu_program_name());
}

enum {
    OPT_START = CU_OPT_TOOL_FIRST,
    OPT_END,
    OPT_STEP,
    OPT_ORIGIN,
    OPT_AGG,
    OPT_METRICS,
    OPT_RESOURCES,
    OPT_SITE,
    OPT_WIDE,
    OPT_CHECK,
    OPT_INCLUDE_INVALID,
};

static const struct option long_options[] = {
    {"start", required_argument, NULL, OPT_START},
    {"end", required_argument, NULL, OPT_END},
    {"step", required_argument, NULL, OPT_STEP},
    {"origin", required_argument, NULL, OPT_ORIGIN},
    {"agg", required_argument, NULL, OPT_AGG},
    {"metrics", required_argument, NULL, OPT_METRICS},
    {"resources", required_argument, NULL, OPT_RESOURCES},
    {"site", required_argument, NULL, OPT_SITE},
    {"wide", no_argument, NULL, OPT_WIDE},
    {"check", no_argument, NULL, OPT_CHECK},
    {"include-invalid", no_argument, NULL, OPT_INCLUDE_INVALID},
    CU_COMMON_LONG_OPTIONS,
    {NULL, 0, NULL, 0},
};

/* Split a comma-separated list, calling add(name) for each item. */
static void parse_list(const char *opt, const char *arg,
                       void (*add)(struct options *, const char *opt,
                                   const char *name),
                       struct options *o)
{
    char *copy = cu_xstrdup(arg), *save = NULL;
    bool any = false;
    for (char *tok = strtok_r(copy, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        add(o, opt, tok);
        any = true;
    }
    free(copy);
    if (!any)
        cu_usage_error("--%s: empty list", opt);
}

static void add_metric(struct options *o, const char *opt, const char *name)
{
    for (int m = 0; m < NMETRIC; m++)
        if (strcmp(name, metric_name[m]) == 0) {
            o->metric_sel[m] = true;
            return;
        }
    cu_usage_error("--%s: unknown metric '%s'", opt, name);
}

static void add_resource(struct options *o, const char *opt,
                         const char *name)
{
    for (int r = 0; r < NRES; r++)
        if (strcmp(name, resource_name[r]) == 0) {
            o->resource_sel[r] = true;
            return;
        }
    cu_usage_error("--%s: unknown resource '%s'", opt, name);
}

static void add_site(struct options *o, const char *opt, const char *name)
{
    (void)opt;
    o->sites = cu_xrealloc(o->sites, (o->nsites + 1) * sizeof *o->sites);
    o->sites[o->nsites++] = cu_xstrdup(name);
}

static void parse_options(int argc, char **argv, struct options *o)
{
    int c;
    memset(o, 0, sizeof *o);
    cu_init(argv[0], &o->common);
    o->start = o->end = o->origin = CU_TIME_NULL;

    while ((c = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
        if (cu_common_option(c, &o->common, usage))
            continue;
        switch (c) {
        case OPT_START: o->start = cu_time_option("start", optarg); break;
        case OPT_END: o->end = cu_time_option("end", optarg); break;
        case OPT_ORIGIN:
            o->origin = cu_time_option("origin", optarg);
            break;
        case OPT_STEP: {
            const char *why = "invalid duration";
            if (cu_duration_parse(optarg, &o->step, &why) != 0)
                cu_usage_error("--step: %s: '%s'", why, optarg);
            o->have_step = true;
            break;
        }
        case OPT_AGG: {
            size_t a = 0;
            for (; a < sizeof agg_name / sizeof *agg_name; a++)
                if (strcmp(optarg, agg_name[a]) == 0)
                    break;
            if (a == sizeof agg_name / sizeof *agg_name)
                cu_usage_error("--agg: unknown aggregate '%s' (mean, point, "
                               "max, min, integral)", optarg);
            o->agg = (enum agg)a;
            o->have_agg = true;
            break;
        }
        case OPT_METRICS:
            parse_list("metrics", optarg, add_metric, o);
            o->metrics_given = true;
            break;
        case OPT_RESOURCES:
            parse_list("resources", optarg, add_resource, o);
            o->resources_given = true;
            break;
        case OPT_SITE: parse_list("site", optarg, add_site, o); break;
        case OPT_WIDE: o->wide = true; break;
        case OPT_CHECK: o->check = true; break;
        case OPT_INCLUDE_INVALID: o->include_invalid = true; break;
        default: cu_try_help();
        }
    }
    if (!o->metrics_given)
        for (int m = 0; m < NMETRIC; m++)
            o->metric_sel[m] = true;
    if (!o->resources_given)
        for (int r = 0; r < NRES; r++)
            o->resource_sel[r] = true;
    if (o->start != CU_TIME_NULL && o->end != CU_TIME_NULL &&
        o->end <= o->start)
        cu_usage_error("--end must be later than --start");
    if (!o->have_step && o->have_agg)
        cu_usage_error("--agg needs --step");
    if (!o->have_step && o->origin != CU_TIME_NULL)
        cu_usage_error("--origin needs --step");
    if (o->check && (o->have_step || o->wide))
        cu_usage_error("--check writes no timeline: it takes no --step, "
                       "--agg or --wide");
    o->site_seen = cu_xcalloc(o->nsites + 1, sizeof *o->site_seen);
}

static void options_free(struct options *o)
{
    for (size_t i = 0; i < o->nsites; i++)
        free(o->sites[i]);
    free(o->sites);
    free(o->site_seen);
}

static void print_stats(const struct input *in, const struct sweep *sw,
                        const struct sorted *so, const struct clocks *t)
{
    double t_read = t[1].cpu - t[0].cpu, t_sort = t[2].cpu - t[1].cpu;
    double t_sweep = t[3].cpu - t[2].cpu, t_all = t[4].cpu - t[0].cpu;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    fprintf(stderr,
            "%s: stats: %" PRIu64 " rows, %" PRIu64 " spans counted (%" PRIu64
            " open), left out: %" PRIu64 " invalid, %" PRIu64
            " other sites, %" PRIu64 " shelved, %" PRIu64
            " instances without a host, %" PRIu64 " empty\n",
            cu_program_name(), in->rows, in->counted, in->open, in->invalid,
            in->other_site, in->shelved, in->no_host, in->empty);
    fprintf(stderr,
            "%s: stats: %zu events (%s), %zu span types, %zu sites, %" PRIu64
            " instants with changes\n",
            cu_program_name(), so->n, so->packed ? "packed" : "wide",
            in->ntypes, sw->nsites, sw->changes);
    fprintf(stderr,
            "%s: stats: CPU seconds: read %.3f, sort %.3f, sweep and "
            "output %.3f, total %.3f (wall %.3f); peak RSS %ld MiB\n",
            cu_program_name(), t_read, t_sort, t_sweep, t_all,
            t[4].wall - t[0].wall, ru.ru_maxrss / 1024);
    fprintf(stderr,
            "%s: stats: sort+sweep %.1f M events/s, whole run %.1f M "
            "events/s (CPU time)\n",
            cu_program_name(),
            t_sort + t_sweep > 0 ? (double)so->n / (t_sort + t_sweep) / 1e6
                                 : 0.0,
            t_all > 0 ? (double)so->n / t_all / 1e6 : 0.0);
}

int main(int argc, char **argv)
{
    struct options o;
    struct input in;
    struct sorted so;
    struct sweep sw;
    struct clocks t[5];
    t[0] = now();

    parse_options(argc, argv, &o);
    memset(&in, 0, sizeof in);
    in.null_site = UINT32_MAX;
    in.sites = cu_intern_new();
    in.type_ids = cu_intern_new();
    memset(&so, 0, sizeof so);
    read_input(argv + optind, (size_t)(argc - optind), &o, &in);
    t[1] = now();

    for (size_t i = 0; i < o.nsites; i++)
        if (!o.site_seen[i])
            cu_warn("site '%s' is not in the input", o.sites[i]);
    for (int i = 0; i < NVALUE_COLS; i++)
        if (in.nulls[i])
            cu_warn("%" PRIu64 " span%s with no %s (\\N) counted as 0",
                    in.nulls[i], in.nulls[i] == 1 ? "" : "s",
                    resource_name[i]);

    /* a cloud without Zun gets no rows of container counts */
    if (!o.resources_given && !in.containers)
        o.resource_sel[R_CONTAINERS] = false;
    sort_events(&in, &so);
    t[2] = now();

    sweep_init(&sw, &o, &in);
    if (!o.check) {
        sw.w = cu_writer_fdopen(STDOUT_FILENO, "(stdout)", o.common.out_format,
                                o.common.write_flags);
        write_header(&sw);
    }
    sweep_run(&sw, &so);
    t[3] = now();
    struct cu_write_counts written = {0, 0, 0};
    if (sw.w)
        cu_writer_close_counted(sw.w, &written);
    t[4] = now();

    if (o.common.stats) {
        print_stats(&in, &sw, &so, t);
        cu_stats_wrote("(stdout)", written.rows, written.bytes,
                       written.stored);
    }
    int status = CU_EXIT_OK;
    if (o.check)
        say_unchecked(&sw, &o);
    if (sw.violations) {
        fprintf(stderr, "%s: check: %" PRIu64 " violation%s\n",
                cu_program_name(), sw.violations,
                sw.violations == 1 ? "" : "s");
        status = CU_EXIT_DATA;
    }
    sweep_free(&sw);
    free(so.mem);
    input_free(&in);
    options_free(&o);
    return status;
}
