#ifndef CU_TIMELINE_H
#define CU_TIMELINE_H

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
static inline bool is_count(int r)
{
    return r == R_INSTANCES || r == R_CONTAINERS;
}

/* Hosts are not instances: the counts only have the occupation metrics;
 * capacity has no instance count. */
static inline bool applicable(int r, int m)
{
    return !is_count(r) || (m >= M_OCC_RES && m <= M_ERROR_OD);
}

/* sums[b] is class b of one site and resource. */
static inline i128 metric_value(const i128 *sums, int m)
{
    i128 occ_res =
        sums[B_ACTIVE_RES] + sums[B_STOPPED_RES] + sums[B_ERROR_RES];
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
static inline i128 to_out(i128 v, int r)
{
    int d = resource_digits[r];
    if (d > OUT_DIGITS)
        return cu_div_round(v, cu_pow10(d - OUT_DIGITS));
    return v * cu_pow10(OUT_DIGITS - d);
}

__attribute__((__noreturn__))
static inline void die_overflow(void)
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
static inline i128 ratio_out(i128 num, i128 den, int r)
{
    int d = resource_digits[r];
    if (d > OUT_DIGITS)
        return cu_div_round(num, mul_checked(den, cu_pow10(d - OUT_DIGITS)));
    return cu_div_round(mul_checked(num, cu_pow10(OUT_DIGITS - d)), den);
}

/* Decimal text of v * 10^-OUT_DIGITS (lib/decimal). */
static inline size_t format_out(i128 v, char *buf)
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
/* ------------------------------------------------------------- --check */

enum relation {
    REL_OCC_RES,    /* occupied_reservation <= committed */
    REL_COMMITTED,  /* committed <= reservable */
    REL_RESERVABLE, /* reservable <= total */
    REL_OCC_OD,     /* occupied_ondemand <= ondemand_capacity */
    REL_NEGATIVE,   /* a class sum below zero */
    NREL,
};

/* ---- small and hot: inlined where used */

static inline uint64_t sorted_key(const struct sorted *s, size_t i)
{
    return s->packed ? s->words[i] >> 32 : s->events[i].key;
}

static inline uint64_t sorted_what(const struct sorted *s, size_t i)
{
    return s->packed ? (s->words[i] & 0xffffffffu) : s->events[i].value;
}

static inline i128 *site_sums(struct sweep *sw, size_t s)
{
    return sw->sums + s * NBASE * NRES;
}

static inline struct series *site_series(struct sweep *sw, size_t s)
{
    return sw->series + s * NRES * NMETRIC;
}

/* ---- what the files offer each other */

void read_input(char **paths, size_t npaths, struct options *o,
                struct input *in);
void sort_events(struct input *in, struct sorted *s);
void gather(const i128 *block, int r, i128 out[NBASE]);
void write_header(struct sweep *sw);
void write_long(struct sweep *sw, size_t s, cu_time t, int r, int m,
                i128 out);
void write_wide(struct sweep *sw, size_t s, cu_time t, int r,
                const i128 *values);
void update_series(struct sweep *sw, size_t s, unsigned mask);
void emit_changes(struct sweep *sw, size_t s, cu_time t,
                  unsigned mask, bool force);
cu_time bucket_boundary(const struct sweep *sw, int64_t k);
int64_t bucket_index(const struct sweep *sw, cu_time t);
void bucket_begin(struct sweep *sw, cu_time t);
void bucket_restart_site(struct sweep *sw, size_t s, cu_time t);
void bucket_finish(struct sweep *sw);
void check_site(struct sweep *sw, size_t s, cu_time t);
void sweep_run(struct sweep *sw, const struct sorted *so);
void sweep_init(struct sweep *sw, const struct options *o,
                struct input *in);
void sweep_free(struct sweep *sw);
void input_free(struct input *in);
void say_unchecked(const struct sweep *sw, const struct options *o);

#endif
