/* The sites file: one row per cloud, its databases and option file. */
#include "config.h"

#include "cu-dump.h"

static char *field_dup(const cu_reader *r, long col)
{
    if (col < 0)
        return NULL;
    const cu_field *f = cu_reader_field(r, (size_t)col);
    if (cu_field_is_null(f) || f->len == 0)
        return NULL;
    return cu_xstrndup(f->s, f->len);
}

static struct site *load_sites(const char *path, size_t *nout)
{
    cu_reader *r = cu_reader_open(&path, 1, CU_FMT_AUTO);
    struct site *all = NULL;
    size_t n = 0, cap = 0;
    enum cu_next nx;
    long ckey = -1, cname = -1, cgroup = -1, cdir = -1, cdf = -1;
    while ((nx = cu_reader_next(r)) != CU_EOF) {
        if (nx == CU_SECTION) {
            ckey = cu_reader_col(r, "site");
            if (ckey < 0) /* a configuration error: exit 2 */
                cu_die(CU_EXIT_USAGE, "%s: no column 'site' in the header "
                                      "(site, name, group, dir)",
                       path);
            cname = cu_reader_col(r, "name");
            cgroup = cu_reader_col(r, "group");
            cdir = cu_reader_col(r, "dir");
            cdf = cu_reader_col(r, "defaults_file");
            continue;
        }
        const cu_field *k = cu_reader_field(r, (size_t)ckey);
        if (cu_field_is_null(k) || k->len == 0)
            cu_reader_die_field(r, (size_t)ckey, "empty site key");
        for (size_t i = 0; i < n; i++)
            if (strcmp(all[i].key, k->s) == 0)
                cu_reader_die_field(r, (size_t)ckey, "duplicate site key");
        all = cu_xgrow(all, &cap, n + 1, sizeof *all);
        all[n].key = cu_xstrndup(k->s, k->len);
        all[n].name = field_dup(r, cname);
        all[n].group = field_dup(r, cgroup);
        all[n].dir = field_dup(r, cdir);
        all[n].defaults_file = field_dup(r, cdf);
        n++;
    }
    cu_reader_close(r);
    if (n == 0)
        cu_die(CU_EXIT_USAGE, "%s: no sites", path);
    *nout = n;
    return all;
}

/* The sites of the file (*all, owned by the caller) and the selection
 * (copies of them). */
struct site *select_sites(struct site **all_sites, size_t *nall_sites,
                          size_t *n)
{
    if (!opt.sites_file) {
        *n = 1;
        return cu_xcalloc(1, sizeof(struct site));
    }
    *all_sites = load_sites(opt.sites_file, nall_sites);
    struct site *all = *all_sites;
    size_t nall = *nall_sites;
    if (opt.site_keys.n == 0) {
        *n = nall;
        struct site *sel = cu_xcalloc(nall, sizeof *sel);
        memcpy(sel, all, nall * sizeof *sel);
        return sel;
    }
    struct site *sel = cu_xcalloc(opt.site_keys.n, sizeof *sel);
    for (size_t i = 0; i < opt.site_keys.n; i++) {
        size_t j = 0;
        while (j < nall && strcmp(all[j].key, opt.site_keys.v[i]) != 0)
            j++;
        if (j == nall) {
            free(sel);
            cu_usage_error("--site: no site '%s' in %s", opt.site_keys.v[i],
                           opt.sites_file);
        }
        sel[i] = all[j];
    }
    *n = opt.site_keys.n;
    return sel;
}
