/* cu-timeline: buckets (--step), and --check. */
#include "config.h"

#include "timeline.h"

/* ------------------------------------------------------ buckets (--step) */

cu_time bucket_boundary(const struct sweep *sw, int64_t k)
{
    return cu_time_add(sw->origin, sw->o->step, k);
}

/* k such that boundary(k) <= t < boundary(k + 1). */
int64_t bucket_index(const struct sweep *sw, cu_time t)
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
void bucket_begin(struct sweep *sw, cu_time t)
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
void bucket_restart_site(struct sweep *sw, size_t s, cu_time t)
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
void bucket_finish(struct sweep *sw)
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
                sw->site_names[s] ? sw->site_names[s] : "\\N",
                resource_name[r], metric_name[lo_m], a);
    else
        fprintf(stderr, "%s: check: %s: site %s: %s: %s %s > %s %s\n",
                cu_program_name(), when,
                sw->site_names[s] ? sw->site_names[s] : "\\N",
                resource_name[r], metric_name[lo_m], a, metric_name[hi_m], b);
}

/* Test the stack of site s at t; report each relation when it starts to
 * fail (not again at every change while it keeps failing). */
void check_site(struct sweep *sw, size_t s, cu_time t)
{
    const i128 *block = site_sums(sw, s);
    static const int lo_m[4] = {M_OCC_RES, M_COMMITTED, M_RESERVABLE,
                                M_OCC_OD};
    static const int hi_m[4] = {M_COMMITTED, M_RESERVABLE, M_TOTAL,
                                M_OD_CAPACITY};
    /* the instance count has no capacity to compare with; --resources
       narrows the check as it narrows the output (an edge site's devices
       declare no vCPUs, memory or disk in Blazar: check their nodes) */
    for (int r = 0; r < NRES; r++) {
        if (!sw->o->resource_sel[r] ||
            (r < NVALUE_COLS && (sw->cap_unknown[s] >> r & 1)))
            continue;
        i128 sums[NBASE];
        gather(block, r, sums);
        unsigned char *flags = &sw->violated[s * NRES + (size_t)r];
        unsigned char now = (unsigned char)(*flags & ~(1u << REL_NEGATIVE));
        for (int k = 0; k < 4 && !is_count(r); k++) {
            i128 lo = metric_value(sums, lo_m[k]);
            i128 hi = metric_value(sums, hi_m[k]);
            /* at the precision values are printed with: node shares such
               as 8/48 are written rounded, and six of them may sum to a
               hair above the whole host they fill */
            if (to_out(lo, r) <= to_out(hi, r)) {
                now = (unsigned char)(now & ~(1u << k));
            } else if (!(now & 1u << k)) {
                now |= 1u << k;
                report_violation(sw, s, t, r, lo_m[k], lo, hi_m[k], hi);
            }
        }
        int neg = -1;
        for (int b = 0; b < NBASE && neg < 0; b++)
            if (to_out(sums[b], r) < 0)
                neg = b;
        if (neg >= 0) {
            if (!(*flags & 1u << REL_NEGATIVE))
                report_violation(sw, s, t, r, base_metric[neg], sums[neg],
                                 -1, 0);
            now |= 1u << REL_NEGATIVE;
        }
        *flags = now;
    }
}
