/* Groups: the --by values of a row, interned as one key; their order in
 * the output; and their cells, with the catalog's names and the tree's
 * path beside the ids. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "report.h"

/* A group's key: for each --by column, 0 for \N or 1, a 4-byte length and
 * the bytes, so that no two different tuples share one. */
uint32_t group_id(cu_intern *groups, const struct options *o,
                  const struct text text[NTEXT], const struct text *project,
                  const struct text *institution)
{
    char buf[256] = ""; /* a key longer than this is allocated */
    size_t n = 0;
    char *key = buf;
    size_t cap = sizeof buf;
    for (size_t k = 0; k < o->nby; k++) {
        struct text v = o->by[k] == G_INSTITUTION          ? *institution
                        : o->by[k] == G_PROJECT && project ? *project
                                                           : text[o->by[k]];
        size_t need = n + 5 + v.len;
        if (need > cap) {
            cap = 2 * need;
            char *bigger = cu_xmalloc(cap);
            memcpy(bigger, key, n);
            if (key != buf)
                free(key);
            key = bigger;
        }
        key[n] = v.s ? 1 : 0;
        uint32_t len = v.s ? (uint32_t)v.len : 0;
        memcpy(key + n + 1, &len, 4);
        if (len)
            memcpy(key + n + 5, v.s, len);
        n += 5 + len;
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

/* ---- cells ------------------------------------------------------------- */

/* The columns that follow a --by column: the names the catalog gives. */
static bool has_name(const struct options *o, enum group_col g)
{
    return o->catalog && (g == G_PROJECT || g == G_USER);
}

size_t group_column_names(const struct options *o, const char **names)
{
    size_t n = 0;
    for (size_t k = 0; k < o->nby; k++) {
        names[n++] = group_col_name[o->by[k]];
        if (has_name(o, o->by[k]))
            names[n++] = o->by[k] == G_PROJECT ? "project_name" : "user_name";
        if (o->by[k] == G_PROJECT && o->tree)
            names[n++] = "path";
    }
    return n;
}

size_t group_cells(const cu_intern *groups, const struct options *o,
                   const uint32_t *group, const char **cell, size_t *len,
                   char **owned)
{
    size_t n = 0;
    *owned = NULL;
    for (size_t k = 0; k < o->nby; k++) {
        enum group_col g = o->by[k];
        size_t extra = (has_name(o, g) ? 1u : 0u) +
                       (g == G_PROJECT && o->tree ? 1u : 0u);
        if (!group) {
            cell[n] = "(total)";
            len[n++] = 7;
            for (size_t i = 0; i < extra; i++) {
                cell[n] = NULL;
                len[n++] = 0;
            }
            continue;
        }
        struct text v;
        v.s = group_value(groups, *group, k, &v.len);
        cell[n] = v.s;
        len[n++] = v.len;
        if (has_name(o, g)) {
            const char *name =
                !v.s ? NULL
                : g == G_PROJECT ? catalog_project_name(o->catalog, v.s, v.len)
                                 : catalog_user_name(o->catalog, v.s, v.len);
            cell[n] = name;
            len[n++] = name ? strlen(name) : 0;
        }
        if (g == G_PROJECT && o->tree) {
            *owned = v.s ? catalog_path(o->catalog, v) : NULL;
            cell[n] = *owned;
            len[n++] = *owned ? strlen(*owned) : 0;
        }
    }
    return n;
}

/* ---- accumulators ------------------------------------------------------ */

int compare_period_keys(const cu_intern *groups, size_t nby,
                        const struct period_key *a,
                        const struct period_key *b)
{
    if (a->pstart != b->pstart)
        return a->pstart < b->pstart ? -1 : 1;
    return compare_groups(groups, nby, a->group, b->group);
}

void *period_acc(cu_intern *slots, void *array, size_t *n, size_t *cap,
                 size_t size, struct period_key key)
{
    char slot[12], *v;
    memcpy(slot, &key.group, 4);
    memcpy(slot + 4, &key.pstart, 8);
    uint32_t id = cu_intern_add(slots, slot, sizeof slot);
    memcpy(&v, array, sizeof v);
    if (id == *n) {
        v = cu_xgrow(v, cap, *n + 1, size);
        memset(v + id * size, 0, size);
        memcpy(v + id * size, &key, sizeof key);
        ++*n;
        memcpy(array, &v, sizeof v);
    }
    return v + id * size;
}
