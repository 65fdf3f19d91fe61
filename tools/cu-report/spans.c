/* Reading the span stream, what every report shares: its columns, which
 * spans count (the audit rule of cu(7)), times clipped to the window, open
 * spans, and the calendar periods a span is split into. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "report.h"
#include "stream.h"

const char *const span_col_name[NSPANCOL] = {
    "site", "kind", "state", "id", "start", "end", "host", "project", "user",
    "flavor", "booking", "nodes", "vcpus", "memory_mb", "disk_gb", "audit"};

void span_columns(cu_reader *r, size_t col[NSPANCOL])
{
    long only[NSPANCOL];
    for (int c = 0; c < NSPANCOL; c++)
        only[c] = (long)(col[c] = cu_reader_need_col(r, span_col_name[c]));
    cu_reader_only(r, only, NSPANCOL);
}

bool span_counts(const cu_reader *r, const size_t col[NSPANCOL])
{
    const cu_field *f = cu_reader_field(r, col[SC_AUDIT]);
    static const char *const counted[] = {"ok", "clipped", "fallback",
                                          "inferred"};
    static const char *const left_out[] = {"orphan", "null_key", "rejected"};
    for (size_t i = 0; i < 4; i++)
        if (cu_field_equals(f, counted[i]))
            return true;
    for (size_t i = 0; i < 3; i++)
        if (cu_field_equals(f, left_out[i]))
            return false;
    cu_reader_die_field(r, col[SC_AUDIT],
                        "unknown audit (ok, clipped, fallback, inferred, "
                        "orphan, null_key, rejected)");
}

int span_state(const cu_reader *r, const size_t col[NSPANCOL])
{
    const cu_field *f = cu_reader_field(r, col[SC_STATE]);
    for (int s = 0; s < NSTATE; s++)
        if (cu_field_equals(f, state_name[s]))
            return s;
    cu_reader_die_field(r, col[SC_STATE], "unknown instance state (active, "
                                          "stopped, error, shelved)");
}

void span_times(const cu_reader *r, const size_t col[NSPANCOL], cu_time *s,
                cu_time *e, cu_time *input_tmax)
{
    *s = cu_reader_time(r, col[SC_START]);
    *e = cu_reader_time(r, col[SC_END]);
    if (*s == CU_TIME_NULL)
        cu_reader_die_field(r, col[SC_START], "a span needs a start");
    if (*e != CU_TIME_NULL && *e < *s)
        cu_reader_die_field(r, col[SC_END], "end before start");
    if (*s > *input_tmax)
        *input_tmax = *s;
    if (*e != CU_TIME_NULL && *e > *input_tmax)
        *input_tmax = *e;
}

bool span_clip(const struct options *o, cu_time *s, cu_time *e)
{
    if (o->end != CU_TIME_NULL && (*e == CU_TIME_NULL || *e > o->end))
        *e = o->end;
    if (o->start != CU_TIME_NULL && *s < o->start)
        *s = o->start;
    return *s < *e;
}

/* ---- periods ----------------------------------------------------------- */

static cu_duration period_width(enum period p)
{
    switch (p) {
    case P_DAY: return (cu_duration){0, 86400 * INT64_C(1000000)};
    case P_WEEK: return (cu_duration){0, 7 * 86400 * INT64_C(1000000)};
    case P_MONTH: return (cu_duration){1, 0};
    case P_QUARTER: return (cu_duration){3, 0};
    default: return (cu_duration){12, 0};
    }
}

/* Weeks start on Monday: 1970-01-05 was one. */
static cu_time period_origin(enum period p)
{
    return p == P_WEEK ? 4 * 86400 * INT64_C(1000000) : CU_TIME_NULL;
}

cu_time period_start(enum period p, cu_time t)
{
    return p == P_ALL ? 0 : cu_time_floor(t, period_width(p), period_origin(p));
}

cu_time period_next(enum period p, cu_time start)
{
    return p == P_ALL ? INT64_MAX : cu_time_add(start, period_width(p), 1);
}

/* ---- groups ------------------------------------------------------------ */

/* the span column of each --by column */
static const enum span_col group_source[NGROUP] = {
    SC_SITE, SC_PROJECT, SC_USER, SC_FLAVOR, SC_HOST, SC_ID, SC_BOOKING};

/* A group's key: for each --by column, 0 for \N or 1, a 4-byte length and
 * the bytes, so that no two different tuples share one. */
uint32_t group_id(cu_intern *groups, const struct options *o,
                  const cu_reader *r, const size_t col[NSPANCOL])
{
    char buf[256] = ""; /* a key longer than this is allocated */
    size_t n = 0;
    char *key = buf;
    size_t cap = sizeof buf;
    for (size_t k = 0; k < o->nby; k++) {
        const cu_field *f = cu_reader_field(r, col[group_source[o->by[k]]]);
        size_t need = n + 5 + f->len;
        if (need > cap) {
            cap = 2 * need;
            char *bigger = cu_xmalloc(cap);
            memcpy(bigger, key, n);
            if (key != buf)
                free(key);
            key = bigger;
        }
        key[n] = cu_field_is_null(f) ? 0 : 1;
        uint32_t len = (uint32_t)f->len;
        memcpy(key + n + 1, &len, 4);
        memcpy(key + n + 5, f->s, f->len);
        n = need;
    }
    uint32_t id = cu_intern_add(groups, key, n);
    if (key != buf)
        free(key);
    return id;
}

const char *group_value(const cu_intern *groups, uint32_t group, size_t k,
                        size_t *len)
{
    const char *p = cu_intern_str(groups, group);
    for (size_t i = 0;; i++) {
        uint32_t l;
        memcpy(&l, p + 1, 4);
        if (i == k) {
            *len = l;
            return p[0] ? p + 5 : NULL;
        }
        p += 5 + l;
    }
}


int compare_groups(const cu_intern *groups, size_t nby, uint32_t a,
                   uint32_t b)
{
    for (size_t k = 0; k < nby; k++) {
        size_t la, lb;
        const char *va = group_value(groups, a, k, &la);
        const char *vb = group_value(groups, b, k, &lb);
        if (!va || !vb) {
            if (va != vb)
                return va ? 1 : -1; /* NULL first */
            continue;
        }
        int c = memcmp(va, vb, la < lb ? la : lb);
        if (c)
            return c;
        if (la != lb)
            return la < lb ? -1 : 1;
    }
    return 0;
}

/* ---- the catalog ------------------------------------------------------- */

void catalog_read(struct options *o)
{
    if (!o->catalog_path)
        return;
    const char *paths[] = {o->catalog_path};
    cu_reader *r = cu_reader_open(paths, 1, CU_FMT_AUTO);
    o->project_ids = cu_intern_new();
    size_t cap = 0;
    long cid = -1, cname = -1;
    bool projects = false, any = false;
    enum cu_next k;
    while ((k = cu_reader_next(r)) != CU_EOF) {
        if (k == CU_SECTION) {
            const char *t = cu_table_short_name(cu_reader_table(r));
            projects = t && strcmp(t, "project") == 0;
            if (projects) {
                cid = (long)cu_reader_need_col(r, "id");
                cname = (long)cu_reader_need_col(r, "name");
                any = true;
            }
            continue;
        }
        if (!projects)
            continue;
        const cu_field *id = cu_reader_field(r, (size_t)cid);
        const cu_field *name = cu_reader_field(r, (size_t)cname);
        if (cu_field_is_null(id) || cu_field_is_null(name))
            continue;
        uint32_t i = cu_intern_add(o->project_ids, id->s, id->len);
        if (i + 1 > cap) {
            size_t old = cap;
            o->project_names = cu_xgrow(o->project_names, &cap, i + 1,
                                        sizeof *o->project_names);
            memset(o->project_names + old, 0,
                   (cap - old) * sizeof *o->project_names);
        }
        free(o->project_names[i]);
        o->project_names[i] = cu_xstrndup(name->s, name->len);
    }
    cu_reader_close(r);
    if (!any)
        cu_die(CU_EXIT_DATA, "%s: no keystone.project table: the catalog "
               "names projects from it", o->catalog_path);
}

void catalog_free(struct options *o)
{
    if (!o->project_ids)
        return;
    for (size_t i = 0; i < cu_intern_count(o->project_ids); i++)
        free(o->project_names[i]);
    free(o->project_names);
    cu_intern_free(o->project_ids);
}

size_t group_column_names(const struct options *o, const char **names)
{
    size_t n = 0;
    for (size_t k = 0; k < o->nby; k++) {
        names[n++] = group_col_name[o->by[k]];
        if (o->by[k] == G_PROJECT && o->project_ids)
            names[n++] = "project_name";
    }
    return n;
}

size_t group_cells(const cu_intern *groups, const struct options *o,
                   const uint32_t *group, const char **cell, size_t *len)
{
    size_t n = 0;
    for (size_t k = 0; k < o->nby; k++) {
        bool named = o->by[k] == G_PROJECT && o->project_ids;
        if (!group) {
            cell[n] = "(total)";
            len[n++] = 7;
            if (named) {
                cell[n] = NULL;
                len[n++] = 0;
            }
            continue;
        }
        cell[n] = group_value(groups, *group, k, &len[n]);
        n++;
        if (named) {
            uint32_t i = cell[n - 1]
                             ? cu_intern_find(o->project_ids, cell[n - 1],
                                              len[n - 1])
                             : CU_INTERN_NONE;
            cell[n] = i == CU_INTERN_NONE ? NULL : o->project_names[i];
            len[n] = cell[n] ? strlen(cell[n]) : 0;
            n++;
        }
    }
    return n;
}
