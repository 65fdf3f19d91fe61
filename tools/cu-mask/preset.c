/* cu-mask: the classes, the default preset, and the items of -f, --add
 * and --keep. */
#include "config.h"

#include "mask.h"

/* ------------------------------------------------------------ classes */

/* Class names are the HMAC domains (struct masker's classes). Class 0 is
 * reserved: "no class"; class k is the interned name k - 1. */
unsigned class_id(struct masker *M, const char *name)
{
    if (!M->classes)
        M->classes = cu_intern_new();
    uint32_t id = cu_intern_add(M->classes, name, strlen(name));
    if (id + 1 >= UINT16_MAX)
        cu_usage_error("too many masking classes");
    return (unsigned)id + 1;
}

const char *class_name(const struct masker *M, unsigned cls)
{
    return cu_intern_str(M->classes, (uint32_t)cls - 1);
}

/* ------------------------------------------------------------ preset */


struct preset_rule {
    const char *table;
    const char *column;
    const char *class;
};

static const struct preset_rule preset[] = {
    /* nova */
    {"instances", "uuid", "instance"},
    {"instances", "key_name", "name"},
    {"instances", "display_description", "text"},
    {"instances", "access_ip_v4", "ip"},
    {"instances", "access_ip_v6", "ip"},
    {"instances", "key_data", "secret"},
    {"instances", "user_data", "secret"},
    {"instances", "image_ref", "image"},
    {"instance_actions", "request_id", "request"},
    {"compute_nodes", "host_ip", "ip"},
    {"compute_nodes", "uuid", "compute_node"},
    /* flavors: a reservation's flavor is named and numbered after it */
    {"flavors", "name", CLASS_RESERVATION_FLAVOR},
    {"flavors", "flavorid", "reservation"},
    {"instance_extra", "flavor_name", CLASS_RESERVATION_FLAVOR},
    {"instance_extra", "flavor_flavorid", "reservation"},
    {"instance_extra", "flavor", "text"},
    {"request_specs", "flavor_name", CLASS_RESERVATION_FLAVOR},
    {"request_specs", "flavor_flavorid", "reservation"},
    {"request_specs", "reservation", "reservation"},
    {"instance_actions_events", "traceback", "text"},
    {"instance_actions_events", "details", "text"},
    /* JSON blobs of cu-dump --all-columns: ids and hosts hide inside */
    {"instance_extra", "keypairs", "secret"},
    {"instance_extra", "trusted_certs", "secret"},
    {"instance_extra", "migration_context", "text"},
    {"instance_extra", "device_metadata", "text"},
    {"request_specs", "spec", "text"},
    /* blazar */
    {"leases", "id", "lease"},
    {"leases", "name", "lease"},
    {"leases", "deleted", "lease"}, /* soft delete (Chameleon): = id */
    {"reservations", "lease_id", "lease"},
    {"reservations", "id", "reservation"},
    {"reservations", "deleted", "reservation"},
    {"reservations", "resource_id", "resource"},
    {"instance_reservations", "id", "resource"},
    {"instance_reservations", "deleted", "resource"},
    {"instance_reservations", "reservation_id", "reservation"},
    {"instance_reservations", "flavor_id", "reservation"},
    {"instance_reservations", "aggregate_id", "resource"},
    {"computehost_reservations", "id", "resource"},
    {"computehost_reservations", "deleted", "resource"},
    {"computehost_reservations", "reservation_id", "reservation"},
    {"computehost_allocations", "id", "allocation"},
    {"computehost_allocations", "deleted", "allocation"},
    {"computehost_allocations", "reservation_id", "reservation"},
    {"computehost_allocations", "compute_host_id", "computehost"},
    {"computehosts", "id", "computehost"},
    {"computehosts", "deleted", "computehost"},
    {"device_allocations", "id", "allocation"},
    {"device_allocations", "deleted", "allocation"},
    {"device_allocations", "reservation_id", "reservation"},
    {"device_allocations", "device_id", "device"},
    {"devices", "id", "device"},
    {"devices", "deleted", "device"},
    {"leases", "trust_id", "trust"},
    {"computehosts", "trust_id", "trust"},
    {"devices", "name", "host"},
    /* keystone */
    {"project", "id", "project"},
    {"project", "name", "project_name"},
    {"project", "domain_id", "project"},
    {"project", "parent_id", "project"},
    {"project", "description", "text"},
    {"project", "extra", "text"},
    {"user", "id", "user"},
    {"user", "default_project_id", "project"},
    {"user", "domain_id", "project"},
    {"user", "extra", "text"},
    {"local_user", "domain_id", "project"},
    {"local_user", "name", "user_name"},
    /* the span stream (section "spans", or a header with its columns) */
    {"spans", "id", CLASS_BY_KIND},
    {"spans", "reservation", "reservation"},
    {"spans", "flavor", CLASS_RESERVATION_FLAVOR},
    /* any table: nova, blazar, trace mode, spans, reports */
    {NULL, "user_id", "user"},
    {NULL, "project_id", "project"},
    {NULL, "instance_uuid", "instance"},
    {NULL, "instance_name", "name"},
    {NULL, "display_name", "name"},
    {NULL, "hostname", "name"},
    {NULL, "host", "host"},
    {NULL, "node", "host"},
    {NULL, "launched_on", "host"},
    {NULL, "hypervisor_hostname", "host"},
    {NULL, "service_name", "host"},
    {NULL, "user", "user"},
    {NULL, "project", "project"},
    {NULL, "lease", "lease"},
    /* the legacy upper-case CSV header of published Chameleon traces */
    {NULL, "INSTANCE_UUID", "instance"},
    {NULL, "INSTANCE_NAME", "name"},
    {NULL, "USER_ID", "user"},
    {NULL, "PROJECT_ID", "project"},
    {NULL, "HOST_NAME (PHYSICAL)", "host"},
};

static bool has_column(const char *const *cols, size_t ncols, const char *c)
{
    for (size_t i = 0; i < ncols; i++)
        if (strcmp(cols[i], c) == 0)
            return true;
    return false;
}

/* The span stream may come without a section name. */
static bool looks_like_spans(const char *const *cols, size_t ncols)
{
    return has_column(cols, ncols, "kind") &&
           has_column(cols, ncols, "state") &&
           has_column(cols, ncols, "id") &&
           has_column(cols, ncols, "start") && has_column(cols, ncols, "end");
}

/* Does the preset's "spans" table apply to a section? Once per section:
 * asked per column it made wide sections quadratic. */
bool section_is_spans(const char *table, const char *const *cols,
                             size_t ncols)
{
    const char *t = cu_table_short_name(table);
    return (t && strcmp(t, "spans") == 0) || looks_like_spans(cols, ncols);
}

/* The preset's class for a column of a section, or NULL. */
const char *preset_class(const char *table, bool spans,
                                const char *column)
{
    const char *t = cu_table_short_name(table);
    for (size_t i = 0; i < sizeof preset / sizeof preset[0]; i++) {
        const struct preset_rule *p = &preset[i];
        if (p->table == NULL || strcmp(p->column, column) != 0)
            continue;
        if ((t && strcmp(p->table, t) == 0) ||
            (spans && strcmp(p->table, "spans") == 0))
            return p->class;
    }
    for (size_t i = 0; i < sizeof preset / sizeof preset[0]; i++)
        if (preset[i].table == NULL && strcmp(preset[i].column, column) == 0)
            return preset[i].class;
    return NULL;
}

void list_preset(void)
{
    printf("table\tcolumn\tclass\n");
    for (size_t i = 0; i < sizeof preset / sizeof preset[0]; i++)
        printf("%s\t%s\t%s\n", preset[i].table ? preset[i].table : "*",
               preset[i].column,
               strcmp(preset[i].class, CLASS_BY_KIND) == 0
                   ? "by kind: instance, host (total, reservable), "
                     "none (committed)"
                   : preset[i].class);
}

/* ------------------------------------------------------------ field items */


static bool valid_class(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' ||
              *s == '.'))
            return false;
    return true;
}

/* Split spec at unescaped commas; an unescaped `:` starts a class. `\:`
 * becomes `:`; other escapes are left for cu_fieldlist_parse. */
void add_items(struct mask *X, const char *spec, bool keep,
                      const char *option)
{
    size_t n = strlen(spec);
    char *buf = cu_xmalloc(n + 1);
    const char *p = spec;
    while (true) {
        size_t len = 0;
        const char *colon = NULL;
        const char *start = p;
        for (; *p && *p != ','; p++) {
            if (*p == '\\' && p[1] == ':') {
                buf[len++] = ':';
                p++;
                continue;
            }
            if (*p == '\\' && p[1]) {
                buf[len++] = *p++;
                buf[len++] = *p;
                continue;
            }
            if (*p == ':') {
                colon = p; /* the name is complete; the class follows */
                break;
            }
            buf[len++] = *p;
        }
        char *name, *class = NULL;
        buf[len] = '\0';
        name = cu_xstrdup(buf);
        if (colon) {
            p = colon + 1;
            const char *cstart = p;
            while (*p && *p != ',')
                p++;
            class = cu_xstrndup(cstart, (size_t)(p - cstart));
            if (keep)
                cu_usage_error("%s: a class makes no sense here: '%s'",
                               option, class);
            if (!valid_class(class))
                cu_usage_error("%s: bad class name '%s' (letters, digits, "
                               "'_', '-', '.')",
                               option, class);
        }
        if (*name == '\0')
            cu_usage_error("%s: empty field name in '%s'", option, spec);
        char err[256];
        cu_fieldlist *fl = cu_fieldlist_parse(name, err, sizeof err);
        if (fl == NULL)
            cu_usage_error("%s: %s", option, err);
        X->items = cu_xgrow(X->items, &X->items_cap, X->nitems + 1,
                            sizeof *X->items);
        X->items[X->nitems++] = (struct item){
            .spec = cu_xstrndup(start, (size_t)(p - start)),
            .class = class,
            .fl = fl,
            .keep = keep,
        };
        free(name);
        if (*p == '\0')
            break;
        p++; /* the comma */
    }
    free(buf);
}

void free_items(struct mask *X)
{
    for (size_t i = 0; i < X->nitems; i++) {
        free(X->items[i].spec);
        free(X->items[i].class);
        cu_fieldlist_free(X->items[i].fl);
    }
    free(X->items);
    X->items = NULL;
    X->nitems = X->items_cap = 0;
}
