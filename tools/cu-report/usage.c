/* The usage report: instance spans into per-group, per-period sums of
 * instance time and size x time, exact in integer microseconds. A span is
 * clipped to the window and split at period boundaries; every piece adds
 * to the accumulator of its (group, period). --check's totals are summed
 * here too, straight from each clipped span, without periods or groups. */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "report.h"
#include "stream.h"

const char *const group_col_name[NGROUP] = {"site", "project", "user",
                                            "flavor", "host", "instance",
                                            "booking"};
const char *const state_name[NSTATE] = {"active", "stopped", "error",
                                        "shelved"};

/* A span whose end is still open: counted once the input's end is known. */
struct pending {
    uint32_t group;
    char *instance;
    size_t ilen;
    enum state state;
    cu_time start;
    int64_t size[3];
};

struct reading {
    cu_reader *r;
    size_t col[NSPANCOL];
    struct pending *pend;
    size_t npend, pend_cap;
    cu_time input_tmax; /* the latest time the input mentions */
};

/* ---- accumulators ------------------------------------------------------ */

static struct usage_acc *slot_for(struct usage *u, uint32_t group,
                                  cu_time pstart, cu_time pend)
{
    char key[12];
    memcpy(key, &group, 4);
    memcpy(key + 4, &pstart, 8);
    uint32_t id = cu_intern_add(u->slots, key, sizeof key);
    if (id == u->nacc) {
        u->acc = cu_xgrow(u->acc, &u->acc_cap, u->nacc + 1, sizeof *u->acc);
        memset(&u->acc[id], 0, sizeof *u->acc);
        u->acc[id].group = group;
        u->acc[id].pstart = pstart;
        u->acc[id].pend = pend;
        u->nacc++;
    }
    return &u->acc[id];
}

/* Count an instance once per accumulator (and once for the total row). */
static void count_instance(struct usage *u, struct usage_acc *a,
                           const char *inst, size_t len)
{
    char buf[256], *key = len + 4 <= sizeof buf ? buf : cu_xmalloc(len + 4);
    uint32_t slot = (uint32_t)(a - u->acc);
    memcpy(key, &slot, 4);
    memcpy(key + 4, inst, len);
    size_t before = cu_intern_count(u->seen);
    cu_intern_add(u->seen, key, 4 + len);
    if (cu_intern_count(u->seen) != before)
        a->instances++;
    cu_intern_add(u->all_seen, inst, len);
    if (key != buf)
        free(key);
}

static void add_piece(struct usage_acc *a, enum state st, cu_time d,
                      const int64_t size[3])
{
    a->usec[st] += d;
    a->vcpu_usec += (i128)size[0] * d;
    a->mem_usec += (i128)size[1] * d;
    a->disk_usec += (i128)size[2] * d;
}

/* One span, [s, e) already clipped to the window and non-empty. */
static void count_span(struct usage *u, uint32_t group, const char *inst,
                       size_t ilen, enum state st, cu_time s, cu_time e,
                       const int64_t size[3])
{
    const struct options *o = u->o;
    if (s < u->tmin)
        u->tmin = s;
    if (e > u->tmax)
        u->tmax = e;
    /* --check: the whole span at once */
    cu_time d = e - s;
    u->check_usec[st] += d;
    u->check_vcpu += (i128)size[0] * d;
    u->check_mem += (i128)size[1] * d;
    u->check_disk += (i128)size[2] * d;

    for (cu_time ps = period_start(o->period, s); ps < e;) {
        cu_time pe = period_next(o->period, ps);
        cu_time a0 = s > ps ? s : ps, a1 = e < pe ? e : pe;
        struct usage_acc *a = slot_for(u, group, ps, pe);
        add_piece(a, st, a1 - a0, size);
        count_instance(u, a, inst, ilen);
        ps = pe;
    }
}

/* ---- reading the spans ------------------------------------------------- */

/* A size: a non-negative integer (\N counts as 0, and is counted). */
static int64_t size_of(struct usage *u, const cu_reader *r, size_t i)
{
    const cu_field *f = cu_reader_field(r, i);
    if (cu_field_is_null(f)) {
        u->nulls++;
        return 0;
    }
    int64_t v = cu_reader_int(r, i, 0);
    if (v < 0 || v > (INT64_C(1) << 40))
        cu_reader_die_field(r, i, "size out of range (0 to 2^40)");
    return v;
}

static void read_row(struct usage *u, struct reading *rd)
{
    const cu_reader *r = rd->r;
    const size_t *col = rd->col;
    const struct options *o = u->o;
    cu_time s, e;
    span_times(r, col, &s, &e, &rd->input_tmax);
    if (!cu_field_equals(cu_reader_field(r, col[SC_KIND]), "instance") ||
        !span_counts(r, col))
        return;
    int st = span_state(r, col);
    if (!o->states[st])
        return;
    const cu_field *id = cu_reader_field(r, col[SC_ID]);
    if (cu_field_is_null(id))
        cu_reader_die_field(r, col[SC_ID], "an instance span needs its id");
    int64_t size[3] = {size_of(u, r, col[SC_VCPUS]),
                       size_of(u, r, col[SC_MEMORY]),
                       size_of(u, r, col[SC_DISK])};
    uint32_t group = group_id(u->groups, o, r, col);
    if (e == CU_TIME_NULL && o->end == CU_TIME_NULL) {
        /* open: ends where the input ends, known at its end */
        rd->pend = cu_xgrow(rd->pend, &rd->pend_cap, rd->npend + 1,
                            sizeof *rd->pend);
        rd->pend[rd->npend++] = (struct pending){
            group, cu_xstrndup(id->s, id->len), id->len, (enum state)st, s,
            {size[0], size[1], size[2]}};
        return;
    }
    if (span_clip(o, &s, &e))
        count_span(u, group, id->s, id->len, (enum state)st, s, e, size);
}

static void count_pending(struct usage *u, struct reading *rd)
{
    const struct options *o = u->o;
    for (size_t i = 0; i < rd->npend; i++) {
        struct pending *p = &rd->pend[i];
        cu_time s = p->start, e = rd->input_tmax;
        if (span_clip(o, &s, &e))
            count_span(u, p->group, p->instance, p->ilen, p->state, s, e,
                       p->size);
        free(p->instance);
    }
    free(rd->pend);
}

void usage_read(struct usage *u, const struct options *o, char **paths,
                size_t n)
{
    memset(u, 0, sizeof *u);
    u->o = o;
    u->groups = cu_intern_new();
    u->slots = cu_intern_new();
    u->seen = cu_intern_new();
    u->all_seen = cu_intern_new();
    u->tmin = INT64_MAX;
    u->tmax = INT64_MIN;
    struct reading rd = {0};
    rd.input_tmax = INT64_MIN;
    rd.r = cu_reader_open((const char *const *)paths, n, CU_FMT_AUTO);
    enum cu_next k;
    while ((k = cu_reader_next(rd.r)) != CU_EOF) {
        if (k == CU_SECTION)
            span_columns(rd.r, rd.col);
        else
            read_row(u, &rd);
    }
    cu_reader_close(rd.r);
    count_pending(u, &rd);
    if (u->nulls)
        cu_warn("%" PRIu64 " size%s of counted spans \\N, counted as 0",
                u->nulls, u->nulls == 1 ? "" : "s");
}

void usage_free(struct usage *u)
{
    cu_intern_free(u->groups);
    cu_intern_free(u->slots);
    cu_intern_free(u->seen);
    cu_intern_free(u->all_seen);
    free(u->acc);
}
