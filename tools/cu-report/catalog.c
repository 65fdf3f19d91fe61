/* The catalog (--catalog): what a cu-dump stream or archive knows beside
 * the spans. Projects' names and the project tree from keystone.project
 * (parent_id; a domain is a project with is_domain set and is nobody's
 * ancestor in a report), users' names from keystone.local_user, and the
 * GPUs of each flavor from nova_api's flavors and flavor_extra_specs. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "error.h"
#include "report.h"
#include "stream.h"

enum { NO_PARENT = UINT32_MAX };

struct project {
    char *id, *name, *parent_id; /* name, parent_id: NULL for \N */
    bool is_domain;
    uint32_t parent; /* index, or NO_PARENT (top, or parent unknown) */
};

struct spec { /* a flavor's GPUs, by the flavor's numeric id */
    char *flavor_id;
    int64_t gpus;
};

struct catalog {
    cu_intern *project_ids; /* id -> projects[] */
    struct project *projects;
    size_t projects_cap;
    cu_intern *user_ids; /* id -> user_names[] */
    char **user_names;
    size_t users_cap;
    cu_intern *flavor_ids; /* numeric id -> flavor_names[] */
    char **flavor_names;
    size_t flavors_cap;
    struct spec *specs;
    size_t nspecs, specs_cap;
    cu_intern *gpu_flavors; /* flavor name -> flavor_gpus[] */
    int64_t *flavor_gpus;
    size_t gpus_cap;
};

static char *field_dup(const cu_field *f)
{
    return cu_field_is_null(f) ? NULL : cu_xstrndup(f->s, f->len);
}

/* An id's slot in a table kept beside an intern table: new slots are
 * zeroed. */
static uint32_t slot(cu_intern *ids, const cu_field *id, void **array,
                     size_t *cap, size_t size)
{
    uint32_t i = cu_intern_add(ids, id->s, id->len);
    if (i + 1 > *cap) {
        size_t old = *cap;
        *array = cu_xgrow(*array, cap, i + 1, size);
        memset((char *)*array + old * size, 0, (*cap - old) * size);
    }
    return i;
}

/* ---- reading ----------------------------------------------------------- */

enum catalog_table { S_OTHER, S_PROJECT, S_USER, S_FLAVOR, S_SPEC };

static enum catalog_table section_of(const cu_reader *r)
{
    const char *t = cu_table_short_name(cu_reader_table(r));
    static const char *const names[] = {"project", "local_user", "flavors",
                                        "flavor_extra_specs"};
    for (int i = 0; t && i < 4; i++)
        if (strcmp(t, names[i]) == 0)
            return (enum catalog_table)(i + 1);
    return S_OTHER;
}

/* A row of each table as lib/columns decodes it: its fields, valid
 * until the next row (the catalog keeps copies). */
struct project_row {
    const cu_field *id, *name, *parent_id, *is_domain;
};
struct name_row { /* keystone.local_user and nova_api.flavors */
    const cu_field *id, *name;
};
struct spec_row {
    const cu_field *flavor, *key, *value;
};
union row {
    struct project_row project;
    struct name_row name;
    struct spec_row spec;
};

#define FIELD(name, flags, T, member)                                      \
    {name, CU_COL_FIELD, flags, offsetof(T, member), NULL, NULL}
enum { PROJECT_IS_DOMAIN = 3 };
static const struct cu_col project_cols[] = {
    FIELD("id", CU_COL_NEED, struct project_row, id),
    FIELD("name", CU_COL_NEED, struct project_row, name),
    FIELD("parent_id", 0, struct project_row, parent_id),
    [PROJECT_IS_DOMAIN] = FIELD("is_domain", 0, struct project_row, is_domain),
};
static const struct cu_col user_cols[] = {
    FIELD("user_id", CU_COL_NEED, struct name_row, id),
    FIELD("name", CU_COL_NEED, struct name_row, name),
};
static const struct cu_col flavor_cols[] = {
    FIELD("id", CU_COL_NEED, struct name_row, id),
    FIELD("name", CU_COL_NEED, struct name_row, name),
};
enum { SPEC_VALUE = 2 };
static const struct cu_col spec_cols[] = {
    FIELD("flavor_id", CU_COL_NEED, struct spec_row, flavor),
    FIELD("key", CU_COL_NEED, struct spec_row, key),
    [SPEC_VALUE] = FIELD("value", CU_COL_NEED, struct spec_row, value),
};
static const struct {
    const struct cu_col *cols;
    size_t n;
} section_cols[] = {
#define LIST(cols) {cols, sizeof cols / sizeof *cols}
    [S_PROJECT] = LIST(project_cols),
    [S_USER] = LIST(user_cols),
    [S_FLAVOR] = LIST(flavor_cols),
    [S_SPEC] = LIST(spec_cols),
#undef LIST
};

static void read_project(struct catalog *c, struct cu_rows *rows,
                         const struct project_row *row)
{
    if (cu_field_is_null(row->id))
        return;
    int64_t domain = 0;
    const char *why = cu_field_is_null(row->is_domain)
                          ? NULL
                          : cu_field_int(row->is_domain, &domain, CU_INT_BOOL);
    if (why)
        cu_rows_bad(rows, cu_rows_at(rows, PROJECT_IS_DOMAIN), why);
    uint32_t i = slot(c->project_ids, row->id, (void **)&c->projects,
                      &c->projects_cap, sizeof *c->projects);
    struct project *p = &c->projects[i];
    cu_free_all(p->id, p->name, p->parent_id);
    p->id = field_dup(row->id);
    p->name = field_dup(row->name);
    p->parent_id = field_dup(row->parent_id);
    p->is_domain = domain != 0;
}

static void read_name(cu_intern *ids, char ***names, size_t *cap,
                      const struct name_row *row)
{
    if (cu_field_is_null(row->id) || cu_field_is_null(row->name))
        return;
    uint32_t i = slot(ids, row->id, (void **)names, cap, sizeof **names);
    free((*names)[i]);
    (*names)[i] = field_dup(row->name);
}

/* "a100:2" or "a100:1,v100:1" (pci_passthrough:alias); "2"
 * (resources:VGPU). Returns what is wrong, or NULL. */
static const char *gpus_of_spec(const cu_field *f, bool alias, int64_t *gpus)
{
    if (!alias)
        return cu_field_int(f, gpus, CU_INT_BOOL);
    int64_t total = 0;
    const char *p = f->s, *end = f->s + f->len;
    while (p < end) {
        const char *item_end = memchr(p, ',', (size_t)(end - p));
        if (!item_end)
            item_end = end;
        const char *colon = memchr(p, ':', (size_t)(item_end - p));
        int64_t count = 0;
        if (!colon || colon + 1 == item_end)
            return "a PCI alias needs NAME:COUNT";
        for (const char *q = colon + 1; q < item_end; q++) {
            if (*q < '0' || *q > '9' || count > 1000000)
                return "a PCI alias needs NAME:COUNT";
            count = count * 10 + (*q - '0');
        }
        total += count;
        p = item_end + 1;
    }
    *gpus = total;
    return NULL;
}

static void read_spec(struct catalog *c, struct cu_rows *rows,
                      const struct spec_row *row)
{
    bool alias = cu_field_equals(row->key, "pci_passthrough:alias");
    if (cu_field_is_null(row->flavor) || cu_field_is_null(row->value) ||
        !(alias || cu_field_equals(row->key, "resources:VGPU")))
        return;
    int64_t gpus = 0;
    const char *why = gpus_of_spec(row->value, alias, &gpus);
    if (why)
        cu_rows_bad(rows, cu_rows_at(rows, SPEC_VALUE), why);
    c->specs = cu_xgrow(c->specs, &c->specs_cap, c->nspecs + 1,
                        sizeof *c->specs);
    c->specs[c->nspecs++] = (struct spec){field_dup(row->flavor), gpus};
}

static void read_row(struct catalog *c, enum catalog_table s,
                     struct cu_rows *rows)
{
    union row row;
    cu_rows_decode(rows, &row); /* (a bad field is fatal: no hooks) */
    switch (s) {
    case S_PROJECT: read_project(c, rows, &row.project); break;
    case S_USER:
        read_name(c->user_ids, &c->user_names, &c->users_cap, &row.name);
        break;
    case S_FLAVOR:
        read_name(c->flavor_ids, &c->flavor_names, &c->flavors_cap,
                  &row.name);
        break;
    case S_SPEC: read_spec(c, rows, &row.spec); break;
    case S_OTHER: break;
    }
}

/* ---- after reading: the tree and the flavors' GPUs ---------------------- */

static void link_parents(struct catalog *c, const char *path)
{
    size_t n = cu_intern_count(c->project_ids);
    for (size_t i = 0; i < n; i++) {
        struct project *p = &c->projects[i];
        uint32_t j = p->parent_id ? cu_intern_find(c->project_ids,
                                                   p->parent_id,
                                                   strlen(p->parent_id))
                                  : CU_INTERN_NONE;
        p->parent = p->is_domain || j == CU_INTERN_NONE ||
                            c->projects[j].is_domain
                        ? NO_PARENT
                        : j;
    }
    /* a walk longer than the number of projects goes round a cycle */
    for (size_t i = 0; i < n; i++) {
        uint32_t j = (uint32_t)i;
        for (size_t steps = 0; j != NO_PARENT && steps <= n; steps++)
            j = c->projects[j].parent;
        if (j == NO_PARENT)
            continue;
        char names[512] = "";
        uint32_t k = j;
        do {
            size_t l = strlen(names);
            snprintf(names + l, sizeof names - l, "%s%s", l ? " -> " : "",
                     c->projects[k].id);
            k = c->projects[k].parent;
        } while (k != j);
        cu_die(CU_EXIT_DATA, "%s: keystone.project: parent_id goes round a "
               "cycle: %s -> %s", path, names, c->projects[j].id);
    }
}

static void sum_flavor_gpus(struct catalog *c)
{
    for (size_t i = 0; i < c->nspecs; i++) {
        const struct spec *sp = &c->specs[i];
        uint32_t f = cu_intern_find(c->flavor_ids, sp->flavor_id,
                                    strlen(sp->flavor_id));
        if (f != CU_INTERN_NONE && c->flavor_names[f]) {
            cu_field name = {.s = c->flavor_names[f],
                             .len = strlen(c->flavor_names[f])};
            uint32_t g = slot(c->gpu_flavors, &name, (void **)&c->flavor_gpus,
                              &c->gpus_cap, sizeof *c->flavor_gpus);
            c->flavor_gpus[g] += sp->gpus;
        }
        free(sp->flavor_id);
    }
    free(c->specs);
    c->specs = NULL;
}

void catalog_read(struct catalog **out, const char *path)
{
    struct catalog *c = *out = cu_xcalloc(1, sizeof *c);
    c->project_ids = cu_intern_new();
    c->user_ids = cu_intern_new();
    c->flavor_ids = cu_intern_new();
    c->gpu_flavors = cu_intern_new();
    const char *paths[] = {path};
    cu_reader *r = cu_reader_open(paths, 1, CU_FMT_AUTO);
    static const struct cu_row_hooks fatal = {NULL, NULL, NULL};
    struct cu_rows rows = {.r = r};
    enum catalog_table s = S_OTHER;
    bool any_projects = false;
    enum cu_next k;
    while ((k = cu_rows_next(&rows)) != CU_EOF) {
        if (k == CU_ROW) {
            if (s != S_OTHER)
                read_row(c, s, &rows);
            continue;
        }
        if (s != S_OTHER)
            cu_rows_unbind(&rows);
        s = section_of(r);
        if (s != S_OTHER)
            cu_rows_bind(&rows, r, section_cols[s].cols, section_cols[s].n,
                         &fatal, false);
        any_projects |= s == S_PROJECT;
    }
    if (s != S_OTHER)
        cu_rows_unbind(&rows);
    cu_reader_close(r);
    if (!any_projects)
        cu_die(CU_EXIT_DATA, "%s: no keystone.project table: the catalog "
               "names projects from it", path);
    link_parents(c, path);
    sum_flavor_gpus(c);
}

void catalog_free(struct catalog *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < cu_intern_count(c->project_ids); i++) {
        cu_free_all(c->projects[i].id, c->projects[i].name,
                    c->projects[i].parent_id);
    }
    cu_free_strings(c->user_names, cu_intern_count(c->user_ids));
    cu_free_strings(c->flavor_names, cu_intern_count(c->flavor_ids));
    free(c->projects);
    free(c->flavor_gpus);
    cu_intern_free(c->project_ids);
    cu_intern_free(c->user_ids);
    cu_intern_free(c->flavor_ids);
    cu_intern_free(c->gpu_flavors);
    free(c);
}

/* ---- lookups ----------------------------------------------------------- */

static const struct project *project_of(const struct catalog *c,
                                        const char *id, size_t len)
{
    uint32_t i = cu_intern_find(c->project_ids, id, len);
    return i == CU_INTERN_NONE ? NULL : &c->projects[i];
}

const char *catalog_project_name(const struct catalog *c, const char *id,
                                 size_t len)
{
    const struct project *p = project_of(c, id, len);
    return p ? p->name : NULL;
}

const char *catalog_user_name(const struct catalog *c, const char *id,
                              size_t len)
{
    uint32_t i = cu_intern_find(c->user_ids, id, len);
    return i == CU_INTERN_NONE ? NULL : c->user_names[i];
}

int64_t catalog_flavor_gpus(const struct catalog *c, const char *name,
                            size_t len)
{
    uint32_t i = c ? cu_intern_find(c->gpu_flavors, name, len)
                   : CU_INTERN_NONE;
    return i == CU_INTERN_NONE ? 0 : c->flavor_gpus[i];
}

size_t catalog_lineage(const struct catalog *c, struct text project,
                       struct text **out, size_t *cap)
{
    size_t n = 0;
    *out = cu_xgrow(*out, cap, 1, sizeof **out);
    (*out)[n++] = project;
    const struct project *p = project.s ? project_of(c, project.s, project.len)
                                        : NULL;
    while (p && p->parent != NO_PARENT) {
        p = &c->projects[p->parent];
        *out = cu_xgrow(*out, cap, n + 1, sizeof **out);
        (*out)[n++] = (struct text){p->id, strlen(p->id)};
    }
    return n;
}

char *catalog_path(const struct catalog *c, struct text project)
{
    struct text *line = NULL;
    size_t cap = 0, n = catalog_lineage(c, project, &line, &cap), total = 0;
    const char **part = cu_xcalloc(n, sizeof *part);
    size_t *plen = cu_xcalloc(n, sizeof *plen);
    for (size_t i = 0; i < n; i++) {
        const char *name = catalog_project_name(c, line[i].s, line[i].len);
        part[i] = name ? name : line[i].s;
        plen[i] = name ? strlen(name) : line[i].len;
        total += plen[i] + 1;
    }
    char *path = cu_xmalloc(total), *q = path;
    for (size_t i = n; i-- > 0;) { /* root first */
        memcpy(q, part[i], plen[i]);
        q += plen[i];
        *q++ = i ? '/' : '\0';
    }
    cu_free_all(part, plen, line);
    return path;
}
