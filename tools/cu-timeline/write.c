/* cu-timeline: writing rows, and the series of STEPS and EXTREME. */
#include "config.h"

#include "timeline.h"

/* --------------------------------------------------------------- output */


/* The class values of resource r from a [base][resource] block. */
void gather(const i128 *block, int r, i128 out[NBASE])
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

void write_header(struct sweep *sw)
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

void write_long(struct sweep *sw, size_t s, cu_time t, int r, int m,
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
void write_wide(struct sweep *sw, size_t s, cu_time t, int r,
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
void update_series(struct sweep *sw, size_t s, unsigned mask)
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
void emit_changes(struct sweep *sw, size_t s, cu_time t,
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
