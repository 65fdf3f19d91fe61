/* --rates and --outages: what an SU is and costs, and when the cloud was
 * down (openstack-billing-from-db's model, generalised). A rates row is
 * su_type, flavors (comma-separated globs on the flavor name; the first
 * matching row in file order decides a flavor's type), vcpus, memory_mb
 * and gpus (the resources of one SU; 0: not counted), rate (the price of
 * an SU-hour, a decimal) and from (YYYY-MM: the month from which the row's
 * rate applies; a later row of the same type changes the price from then
 * on, never what an SU is). An outages row is start and end. */
#include "config.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "report.h"
#include "stream.h"

struct rate_row {
    uint32_t type;
    char **globs;
    size_t nglobs;
    int64_t per_su[3]; /* vcpus, memory_mb, gpus of one SU; 0: not counted */
    int64_t rate;      /* 10^-RATE_DIGITS */
    char *rate_text;
    cu_time from;
};

struct rates {
    const char *path;
    struct rate_row *rows;
    size_t n, cap;
    cu_intern *types;   /* SU type name -> first row of it */
    uint32_t *first;    /* type -> row */
    size_t first_cap;
    cu_intern *flavors; /* flavor name -> memo[] */
    struct flavor_memo {
        int32_t type; /* what the globs say: -1 for none */
        bool warned;  /* none matched, and that was said */
    } * memo;
    size_t memo_cap;
};

enum { RC_TYPE, RC_FLAVORS, RC_VCPUS, RC_MEMORY, RC_GPUS, RC_RATE, RC_FROM,
       NRATECOL };
static const char *const rate_col_name[NRATECOL] = {
    "su_type", "flavors", "vcpus", "memory_mb", "gpus", "rate", "from"};

/* ---- reading the rates -------------------------------------------------- */

static char **split_globs(const cu_reader *r, size_t col, size_t *n)
{
    const cu_field *f = cu_reader_field(r, col);
    if (cu_field_is_null(f) || f->len == 0)
        cu_reader_die_field(r, col, "flavor globs are needed (* for all)");
    char **globs = NULL;
    size_t cap = 0;
    *n = 0;
    const char *p = f->s, *end = f->s + f->len;
    for (;;) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *e = comma ? comma : end;
        if (e == p)
            cu_reader_die_field(r, col, "an empty flavor glob");
        globs = cu_xgrow(globs, &cap, *n + 1, sizeof *globs);
        globs[(*n)++] = cu_xstrndup(p, (size_t)(e - p));
        if (!comma)
            return globs;
        p = comma + 1;
    }
}

/* YYYY-MM: the month's first instant */
static cu_time month_of(const cu_reader *r, size_t col)
{
    const cu_field *f = cu_reader_field(r, col);
    const char *s = f->s;
    bool shape = f->len == 7 && s[4] == '-';
    for (int i = 0; shape && i < 7; i++)
        shape = i == 4 || (s[i] >= '0' && s[i] <= '9');
    int64_t y = shape ? (s[0] - '0') * 1000 + (s[1] - '0') * 100 +
                            (s[2] - '0') * 10 + (s[3] - '0')
                      : 0;
    unsigned m = shape ? (unsigned)((s[5] - '0') * 10 + (s[6] - '0')) : 0;
    if (!shape || m < 1 || m > 12 || y < 1970)
        cu_reader_die_field(r, col, "a month is YYYY-MM");
    return cu_days_from_civil(y, m, 1) * 86400 * INT64_C(1000000);
}

static int64_t rate_of(const cu_reader *r, size_t col)
{
    const cu_field *f = cu_reader_field(r, col);
    const char *dot = cu_field_is_null(f) ? NULL : memchr(f->s, '.', f->len);
    int64_t v;
    const char *bad = cu_field_is_null(f) ? "a rate is needed"
                      : memchr(f->s, 'e', f->len) || memchr(f->s, 'E', f->len)
                          ? "a rate is a plain decimal"
                      : dot && f->len - (size_t)(dot - f->s) - 1 > RATE_DIGITS
                          ? "a rate has at most 9 decimals"
                          : cu_parse_fixed(f->s, f->len, RATE_DIGITS, &v);
    if (bad)
        cu_reader_die_field(r, col, "%s", bad);
    return v;
}

static void add_rate_row(struct rates *rt, const cu_reader *r,
                         const size_t col[NRATECOL])
{
    const cu_field *type = cu_reader_field(r, col[RC_TYPE]);
    if (cu_field_is_null(type) || type->len == 0)
        cu_reader_die_field(r, col[RC_TYPE], "an SU type is needed");
    struct rate_row row = {0};
    for (int i = 0; i < 3; i++) {
        row.per_su[i] = cu_reader_int(r, col[RC_VCPUS + i], -1);
        if (row.per_su[i] < 0)
            cu_reader_die_field(r, col[RC_VCPUS + i], "a count of at least 0 "
                                                      "is needed");
    }
    if (!row.per_su[0] && !row.per_su[1] && !row.per_su[2])
        cu_reader_die_field(r, col[RC_VCPUS], "an SU counts at least one of "
                                              "vcpus, memory_mb and gpus");
    row.rate = rate_of(r, col[RC_RATE]);
    row.from = month_of(r, col[RC_FROM]);
    size_t before = cu_intern_count(rt->types);
    row.type = cu_intern_add(rt->types, type->s, type->len);
    if (row.type == before) {
        rt->first = cu_xgrow(rt->first, &rt->first_cap, row.type + 1,
                             sizeof *rt->first);
        rt->first[row.type] = (uint32_t)rt->n;
    } else if (memcmp(rt->rows[rt->first[row.type]].per_su, row.per_su,
                      sizeof row.per_su) != 0) {
        cu_reader_die_field(r, col[RC_VCPUS], "a later row of an SU type may "
                            "change its rate, not what one SU is");
    }
    row.globs = split_globs(r, col[RC_FLAVORS], &row.nglobs);
    const cu_field *rf = cu_reader_field(r, col[RC_RATE]);
    row.rate_text = cu_xstrndup(rf->s, rf->len);
    rt->rows = cu_xgrow(rt->rows, &rt->cap, rt->n + 1, sizeof *rt->rows);
    rt->rows[rt->n++] = row;
}

void rates_read(struct rates **out, const char *path)
{
    struct rates *rt = *out = cu_xcalloc(1, sizeof *rt);
    rt->path = path;
    rt->types = cu_intern_new();
    rt->flavors = cu_intern_new();
    const char *paths[] = {path};
    cu_reader *r = cu_reader_open(paths, 1, CU_FMT_AUTO);
    size_t col[NRATECOL] = {0};
    enum cu_next k;
    while ((k = cu_reader_next(r)) != CU_EOF) {
        if (k == CU_SECTION)
            for (int c = 0; c < NRATECOL; c++)
                col[c] = cu_reader_need_col(r, rate_col_name[c]);
        else
            add_rate_row(rt, r, col);
    }
    cu_reader_close(r);
    if (!rt->n)
        cu_die(CU_EXIT_USAGE, "%s: no rates", path);
}

void rates_free(struct rates *rt)
{
    if (!rt)
        return;
    for (size_t i = 0; i < rt->n; i++) {
        cu_free_strings(rt->rows[i].globs, rt->rows[i].nglobs);
        free(rt->rows[i].rate_text);
    }
    cu_intern_free(rt->types);
    cu_intern_free(rt->flavors);
    cu_free_all(rt->rows, rt->first, rt->memo, rt);
}

/* ---- lookups ----------------------------------------------------------- */

static int32_t match_globs(const struct rates *rt, const char *flavor)
{
    for (size_t i = 0; i < rt->n; i++)
        for (size_t g = 0; g < rt->rows[i].nglobs; g++)
            if (fnmatch(rt->rows[i].globs[g], flavor, 0) == 0)
                return (int32_t)rt->rows[i].type;
    return -1;
}

/* The memo of a flavor: globs are matched once per flavor name. */
static struct flavor_memo *flavor_memo(struct rates *rt, const char *flavor,
                                       size_t len, const char **name)
{
    size_t before = cu_intern_count(rt->flavors);
    uint32_t i = cu_intern_add(rt->flavors, flavor, len);
    *name = cu_intern_str(rt->flavors, i);
    if (i == before) {
        rt->memo = cu_xgrow(rt->memo, &rt->memo_cap, i + 1, sizeof *rt->memo);
        rt->memo[i] = (struct flavor_memo){match_globs(rt, *name), false};
    }
    return &rt->memo[i];
}

const char *rates_su_name(const struct rates *rt, int su_type)
{
    return cu_intern_str(rt->types, (uint32_t)su_type);
}

size_t rates_ntypes(const struct rates *rt)
{
    return cu_intern_count(rt->types);
}

int64_t rates_su_count(const struct rates *rt, int su_type, int64_t vcpus,
                       int64_t memory_mb, int64_t gpus)
{
    const int64_t *per = rt->rows[rt->first[su_type]].per_su;
    int64_t size[3] = {vcpus, memory_mb, gpus}, su = 0;
    for (int i = 0; i < 3; i++)
        if (per[i] && size[i] / per[i] > su)
            su = size[i] / per[i];
    return su;
}

int64_t rates_rate(const struct rates *rt, int su_type, cu_time month,
                   const char **text)
{
    const struct rate_row *best = NULL;
    for (size_t i = 0; i < rt->n; i++) {
        const struct rate_row *row = &rt->rows[i];
        if (row->type == (uint32_t)su_type && row->from <= month &&
            (!best || row->from >= best->from))
            best = row;
    }
    if (!best) {
        char when[40];
        cu_time_format(month, when);
        cu_die(CU_EXIT_USAGE, "%s: SU type '%s' has no rate for the month "
               "from %s", rt->path, rates_su_name(rt, su_type), when);
    }
    *text = best->rate_text;
    return best->rate;
}

int64_t span_sus(const struct options *o, const struct span *sp, int *type)
{
    struct rates *rt = o->rates;
    const struct text *f = &sp->text[G_FLAVOR];
    static const char none[] = "";
    const char *name = f->s ? f->s : none;
    size_t len = f->s ? f->len : 0;
    const char *flavor;
    struct flavor_memo *m = flavor_memo(rt, name, len, &flavor);
    *type = m->type;
    if (*type < 0) {
        if (!m->warned)
            cu_warn("%s: no SU type matches flavor '%s': its instances count "
                    "no SUs", rt->path, flavor);
        m->warned = true;
        return 0;
    }
    return rates_su_count(rt, *type, sp->vcpus, sp->memory_mb,
                          catalog_flavor_gpus(o->catalog, name, len));
}

/* ---- outages ----------------------------------------------------------- */

struct interval {
    cu_time s, e;
};

struct outages {
    struct interval *v;
    size_t n, cap;
};

static int by_start(const void *pa, const void *pb)
{
    const struct interval *a = pa, *b = pb;
    return a->s < b->s ? -1 : a->s > b->s;
}

void outages_read(struct outages **out, const char *path)
{
    struct outages *ot = *out = cu_xcalloc(1, sizeof *ot);
    const char *paths[] = {path};
    cu_reader *r = cu_reader_open(paths, 1, CU_FMT_AUTO);
    size_t cs = 0, ce = 0;
    enum cu_next k;
    while ((k = cu_reader_next(r)) != CU_EOF) {
        if (k == CU_SECTION) {
            cs = cu_reader_need_col(r, "start");
            ce = cu_reader_need_col(r, "end");
            continue;
        }
        struct interval iv = {cu_reader_time(r, cs), cu_reader_time(r, ce)};
        if (iv.s == CU_TIME_NULL)
            cu_reader_die_field(r, cs, "an outage needs a start");
        if (iv.e == CU_TIME_NULL || iv.e <= iv.s)
            cu_reader_die_field(r, ce, "an outage needs an end after its "
                                       "start");
        ot->v = cu_xgrow(ot->v, &ot->cap, ot->n + 1, sizeof *ot->v);
        ot->v[ot->n++] = iv;
    }
    cu_reader_close(r);
    /* overlapping outages are merged: no second counted twice */
    if (ot->n) /* v is NULL for a file of no outages */
        qsort(ot->v, ot->n, sizeof *ot->v, by_start);
    size_t m = 0;
    for (size_t i = 0; i < ot->n; i++) {
        if (m && ot->v[i].s <= ot->v[m - 1].e) {
            if (ot->v[i].e > ot->v[m - 1].e)
                ot->v[m - 1].e = ot->v[i].e;
        } else {
            ot->v[m++] = ot->v[i];
        }
    }
    ot->n = m;
}

void outages_free(struct outages *ot)
{
    if (!ot)
        return;
    free(ot->v);
    free(ot);
}

cu_time outages_overlap(const struct outages *ot, cu_time s, cu_time e)
{
    if (!ot)
        return 0;
    size_t lo = 0, hi = ot->n; /* the first outage ending after s */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ot->v[mid].e <= s)
            lo = mid + 1;
        else
            hi = mid;
    }
    cu_time inside = 0;
    for (size_t i = lo; i < ot->n && ot->v[i].s < e; i++) {
        cu_time a = ot->v[i].s > s ? ot->v[i].s : s;
        cu_time b = ot->v[i].e < e ? ot->v[i].e : e;
        inside += b - a;
    }
    return inside;
}
