/* The utilisation report: per site, period and resource, the
 * resource-hours of each class of the timeline (total, reservable,
 * committed, occupied under a reservation and on demand) and the derived
 * metrics of cu(7). The integral of a sum of spans is the sum of their
 * integrals, so each span adds value x time to its class, without a
 * sweep; values are fixed-point as cu-timeline reads them (lib/decimal),
 * so a period's figure is exactly cu-timeline --agg integral's. */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "report.h"
#include "stream.h"

const char *const resource_name[NRES] = {"nodes", "vcpus", "memory_mb",
                                         "disk_gb", "instances"};
/* digits kept of each resource's values, as cu-timeline keeps them */
const int resource_digits[NRES] = {15, 6, 6, 6, 0};
static const enum span_col value_col[NRES - 1] = {SC_NODES, SC_VCPUS,
                                                  SC_MEMORY, SC_DISK};

/* The class a counted span adds to, or -1 (shelved, or no host: it holds
 * nothing). */
static int span_class(const cu_reader *r, const size_t col[NSPANCOL])
{
    const cu_field *kind = cu_reader_field(r, col[SC_KIND]);
    static const char *const host_kinds[] = {"total", "reservable",
                                             "committed"};
    for (int k = 0; k < 3; k++)
        if (cu_field_equals(kind, host_kinds[k]))
            return k;
    if (!cu_field_equals(kind, "instance") &&
        !cu_field_equals(kind, "container"))
        cu_reader_die_field(r, col[SC_KIND], "unknown kind (total, "
                            "reservable, committed, instance, "
                            "container)");
    if (span_state(r, col) == ST_SHELVED ||
        cu_field_is_null(cu_reader_field(r, col[SC_HOST])))
        return -1;
    const cu_field *b = cu_reader_field(r, col[SC_BOOKING]);
    if (cu_field_equals(b, "reservation"))
        return U_OCC_RES;
    if (cu_field_equals(b, "ondemand"))
        return U_OCC_OD;
    cu_reader_die_field(r, col[SC_BOOKING],
                        "unknown booking (reservation, ondemand)");
}

static struct util_acc *util_slot(struct util *u, const cu_field *site,
                                  cu_time ps, cu_time pe)
{
    char buf[512], *key = site->len + 9 <= sizeof buf
                              ? buf
                              : cu_xmalloc(site->len + 9);
    memcpy(key, &ps, 8);
    key[8] = cu_field_is_null(site) ? 0 : 1;
    memcpy(key + 9, site->s, site->len);
    uint32_t id = cu_intern_add(u->slots, key, site->len + 9);
    if (key != buf)
        free(key);
    if (id == u->nacc) {
        u->acc = cu_xgrow(u->acc, &u->acc_cap, u->nacc + 1, sizeof *u->acc);
        memset(&u->acc[id], 0, sizeof *u->acc);
        u->acc[id].slot = id;
        u->acc[id].pstart = ps;
        u->acc[id].pend = pe;
        u->nacc++;
    }
    return &u->acc[id];
}

/* One counted span, [s, e) clipped and non-empty, of class cls (an
 * instance's also of state st, else st is -1). */
static void add_span(struct util *u, const cu_field *site, int cls, int st,
                     const int64_t v[NRES], cu_time s, cu_time e)
{
    const struct options *o = u->o;
    if (s < u->tmin)
        u->tmin = s;
    if (e > u->tmax)
        u->tmax = e;
    for (int r = 0; r < NRES; r++)
        u->check[r][cls] += (i128)v[r] * (e - s);
    for (cu_time ps = period_start(o->period, s); ps < e;) {
        cu_time pe = period_next(o->period, ps);
        cu_time a0 = s > ps ? s : ps, a1 = e < pe ? e : pe;
        struct util_acc *a = util_slot(u, site, ps, pe);
        for (int r = 0; r < NRES; r++) {
            a->integral[r][cls] += (i128)v[r] * (a1 - a0);
            if (st >= 0)
                a->occupied[r][cls - U_OCC_RES][st] += (i128)v[r] * (a1 - a0);
        }
        ps = pe;
    }
}

struct open_span {
    char *site;
    size_t len;
    bool null_site;
    int cls, st;
    int64_t v[NRES];
    cu_time start;
};

void util_read(struct util *u, const struct options *o, char **paths,
               size_t n)
{
    memset(u, 0, sizeof *u);
    u->o = o;
    u->slots = cu_intern_new();
    u->tmin = INT64_MAX;
    u->tmax = INT64_MIN;
    cu_time input_tmax = INT64_MIN;
    struct open_span *open = NULL;
    size_t nopen = 0, open_cap = 0;
    size_t col[NSPANCOL];
    cu_reader *r = cu_reader_open((const char *const *)paths, n, CU_FMT_AUTO);
    enum cu_next k;
    while ((k = cu_reader_next(r)) != CU_EOF) {
        if (k == CU_SECTION) {
            span_columns(r, col);
            continue;
        }
        cu_time s, e;
        span_times(r, col, &s, &e, &input_tmax);
        if (!span_counts(r, col))
            continue;
        int cls = span_class(r, col);
        if (cls < 0)
            continue;
        int st = cls >= U_OCC_RES ? span_state(r, col) : -1;
        int64_t v[NRES];
        for (int i = 0; i < NRES - 1; i++) {
            const cu_field *f = cu_reader_field(r, col[value_col[i]]);
            v[i] = 0;
            if (cu_field_is_null(f))
                continue;
            const char *why = cu_parse_fixed(f->s, f->len, resource_digits[i],
                                             &v[i]);
            if (why)
                cu_reader_die_field(r, col[value_col[i]], "%s", why);
        }
        v[R_INSTANCES] = cls >= U_OCC_RES;
        const cu_field *site = cu_reader_field(r, col[SC_SITE]);
        if (e == CU_TIME_NULL && o->end == CU_TIME_NULL) {
            open = cu_xgrow(open, &open_cap, nopen + 1, sizeof *open);
            open[nopen++] = (struct open_span){
                cu_xstrndup(site->s, site->len), site->len,
                cu_field_is_null(site), cls, st,
                {v[0], v[1], v[2], v[3], v[4]}, s};
            continue;
        }
        if (span_clip(o, &s, &e))
            add_span(u, site, cls, st, v, s, e);
    }
    cu_reader_close(r);
    for (size_t i = 0; i < nopen; i++) {
        cu_field site = {open[i].site, open[i].len,
                         open[i].null_site ? CU_VAL_NULL : CU_VAL_STRING,
                         open[i].site, open[i].len};
        cu_time s = open[i].start, e = input_tmax;
        if (span_clip(o, &s, &e))
            add_span(u, &site, open[i].cls, open[i].st, open[i].v, s, e);
        free(open[i].site);
    }
    free(open);
}

const char *util_site(const struct util *u, const struct util_acc *a,
                      size_t *len)
{
    const char *key = cu_intern_str(u->slots, a->slot);
    *len = cu_intern_len(u->slots, a->slot) - 9;
    return key[8] ? key + 9 : NULL;
}

void util_free(struct util *u)
{
    cu_intern_free(u->slots);
    free(u->acc);
}
