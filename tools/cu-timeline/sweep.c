/* cu-timeline: the sweep over the sorted events, and its set-up. */
#include "config.h"

#include "timeline.h"

/* --------------------------------------------------------------- sweep */

/* A span of type ty starts (its sizes added to its class's sums) or
 * ends (taken away). */
static inline void move_sums(i128 *sums, const struct span_type *ty,
                             bool ends)
{
    if (ends) {
        for (int r = 0; r < NRES; r++)
            sums[r] -= ty->v[r];
    } else {
        for (int r = 0; r < NRES; r++)
            sums[r] += ty->v[r];
    }
}

static void apply_event(struct sweep *sw, uint64_t what)
{
    const struct span_type *ty = &sw->types[what >> 1];
    move_sums(sw->sums + ((size_t)ty->site * NBASE + ty->base) * NRES, ty,
              what & 1);
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
    move_sums(sums, ty, what & 1);
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

/* The key and time of event i's instant; false when it is past the
 * window. */
static inline bool instant_in_window(const struct sweep *sw,
                                     const struct sorted *so, size_t i,
                                     uint64_t *key, cu_time *t)
{
    *key = sorted_key(so, i);
    *t = so->tmin + (cu_time)*key * so->unit;
    return sw->wend == CU_TIME_NULL || *t < sw->wend;
}

/* The events from i on, instant by instant, until the window ends. LINEAR
 * (linear set) does no work per instant, only per event and per bucket;
 * the other modes settle the series after each instant. */
static size_t sweep_events(struct sweep *sw, const struct sorted *so,
                           size_t i, bool linear)
{
    size_t n = so->n;
    uint64_t key;
    cu_time t;
    while (i < n && instant_in_window(sw, so, i, &key, &t)) {
        if (linear || sw->o->have_step)
            while (t >= sw->bend)
                bucket_finish(sw);
        sw->changes++;
        if (linear) {
            for (; i < n && sorted_key(so, i) == key; i++)
                apply_event_linear(sw, sorted_what(so, i), t);
            bucket_restart_after_events(sw, t);
            continue;
        }
        for (; i < n && sorted_key(so, i) == key; i++)
            apply_event(sw, sorted_what(so, i));
        settle(sw, t);
        if (sw->mode == MODE_EXTREME)
            bucket_restart_after_events(sw, t);
    }
    return i;
}

void sweep_run(struct sweep *sw, const struct sorted *so)
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

    sweep_events(sw, so, i, sw->mode == MODE_LINEAR);

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

/* Name order, the NULL site first (names: by site id). */
static int compare_site_names(const void *a, const void *b, void *names)
{
    const char *const *name = names;
    const char *x = name[*(const uint32_t *)a];
    const char *y = name[*(const uint32_t *)b];
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
    qsort_r(order, ns, sizeof *order, compare_site_names, names);
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
    cu_free_all(rank, order, names);
}

void sweep_init(struct sweep *sw, const struct options *o,
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

void sweep_free(struct sweep *sw)
{
    cu_free_all(sw->site_names, sw->cap_unknown, sw->sums, sw->integ,
                sw->atstart, sw->since, sw->series, sw->dirty, sw->dirty_list,
                sw->violated);
}

void input_free(struct input *in)
{
    free(in->ev);
    free(in->types);
    cu_intern_free(in->type_ids);
    cu_intern_free(in->sites);
    free(in->cap_unknown);
}

/* --check: say which resources of which sites were not checked. */
void say_unchecked(const struct sweep *sw, const struct options *o)
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
