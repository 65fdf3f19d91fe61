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

/* ---- accumulators ------------------------------------------------------ */

static struct usage_acc *slot_for(struct usage *u, uint32_t group,
                                  cu_time pstart, cu_time pend)
{
    return period_acc(u->slots, &u->acc, &u->nacc, &u->acc_cap, sizeof *u->acc,
                      (struct period_key){group, pstart, pend});
}

/* What a span adds per microsecond: 1 of its state, its sizes, its SUs. */
struct rate_of_span {
    enum state state;
    int64_t size[4]; /* vcpus, memory_mb, disk_gb, SUs */
};

static void add_piece(struct usage_acc *a, const struct rate_of_span *k,
                      i128 weighted_usec)
{
    a->usec[k->state] += weighted_usec;
    a->vcpu_usec += k->size[0] * weighted_usec;
    a->mem_usec += k->size[1] * weighted_usec;
    a->disk_usec += k->size[2] * weighted_usec;
    a->su_usec += k->size[3] * weighted_usec;
}

/* A span's part in one group, with its weight, split into periods. */
static void count_in_group(struct usage *u, uint32_t group, int64_t weight,
                           const struct span *sp,
                           const struct rate_of_span *k)
{
    const struct options *o = u->o;
    for (cu_time ps = period_start(o->period, sp->start); ps < sp->end;) {
        cu_time pe = period_next(o->period, ps);
        cu_time a0 = sp->start > ps ? sp->start : ps;
        cu_time a1 = sp->end < pe ? sp->end : pe;
        struct usage_acc *a = slot_for(u, group, ps, pe);
        add_piece(a, k, (i128)weight * (a1 - a0));
        if (distinct_add(&u->distinct, (uint32_t)(a - u->acc), sp))
            a->instances++;
        ps = pe;
    }
}

/* --check's totals: the whole span at once, in the scale of the rows. */
static void count_check(struct usage *u, const struct span *sp,
                        const struct rate_of_span *k)
{
    i128 d = (i128)u->scale * (sp->end - sp->start);
    u->check_usec[k->state] += d;
    u->check_vcpu += k->size[0] * d;
    u->check_mem += k->size[1] * d;
    u->check_disk += k->size[2] * d;
    u->check_su += k->size[3] * d;
}

/* One span, clipped to the window and not empty: to its group, or to each
 * institution of its project by share, and with --tree to the project's
 * ancestors too. */
static void count_span(void *ctx, const struct span *sp)
{
    struct usage *u = ctx;
    const struct options *o = u->o;
    if (sp->start < u->tmin)
        u->tmin = sp->start;
    if (sp->end > u->tmax)
        u->tmax = sp->end;
    distinct_span(&u->distinct, sp);
    int type;
    struct rate_of_span k = {sp->state, {sp->vcpus, sp->memory_mb,
                                         sp->disk_gb, 0}};
    if (o->rates)
        k.size[3] = span_sus(o, sp, &type);
    count_check(u, sp, &k);

    static const int64_t one = 1;
    static const struct text no_institution = {NULL, 0};
    const struct text *inst = &no_institution;
    const int64_t *share = &one;
    size_t ninst = 1;
    if (o->institutions)
        ninst = institutions_of(o->institutions, sp->text[G_PROJECT], &inst,
                                &share);
    size_t nline = 1;
    if (o->tree)
        nline = catalog_lineage(o->catalog, sp->text[G_PROJECT], &u->line,
                                &u->line_cap);
    for (size_t i = 0; i < ninst; i++)
        for (size_t j = 0; j < nline; j++)
            count_in_group(u, group_id(u->groups, o, sp->text,
                                       o->tree ? &u->line[j] : NULL, &inst[i]),
                           share[i], sp, &k);
}

static void *set_aside(void *ctx, const struct span *sp)
{
    struct usage *u = ctx;
    return distinct_set_aside(&u->distinct, sp);
}

void usage_read(struct usage *u, const struct options *o, char **paths,
                size_t n)
{
    memset(u, 0, sizeof *u);
    u->o = o;
    u->groups = cu_intern_new();
    u->slots = cu_intern_new();
    distinct_init(&u->distinct);
    u->tmin = INT64_MAX;
    u->tmax = INT64_MIN;
    u->scale = o->institutions ? 10000 : 1;
    const struct span_reader to = {count_span, set_aside, u, true};
    spans_each(o, paths, n, o->states, &to);
}

void usage_free(struct usage *u)
{
    cu_intern_free(u->groups);
    cu_intern_free(u->slots);
    distinct_free(&u->distinct);
    free(u->acc);
    free(u->line);
}
