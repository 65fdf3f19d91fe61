/* cu-mask: replace identifying values in any cu stream by keyed pseudonyms.
 *
 * Values, not columns, are masked: a value maps to the same pseudonym
 * wherever it appears within one class (host, project, user, ...), so joins
 * between tables survive; the class is hashed in front of the value, so
 * equal strings of different classes do not link. Everything not masked is
 * copied byte for byte. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive.h"
#include "cli.h"
#include "error.h"
#include "hex.h"
#include "fields.h"
#include "hmac.h"
#include "intern.h"
#include "stream.h"
#include "writer.h"

/* ------------------------------------------------------------ classes */

/* Class names are the HMAC domains. Class 0 is reserved: "no class";
 * class k is the interned name k - 1. */
static cu_intern *class_names;

static unsigned class_id(const char *name)
{
    if (!class_names)
        class_names = cu_intern_new();
    uint32_t id = cu_intern_add(class_names, name, strlen(name));
    if (id + 1 >= UINT16_MAX)
        cu_usage_error("too many masking classes");
    return (unsigned)id + 1;
}

static const char *class_name(unsigned cls)
{
    return cu_intern_str(class_names, (uint32_t)cls - 1);
}

static void free_classes(void)
{
    cu_intern_free(class_names);
    class_names = NULL;
}

/* ------------------------------------------------------------ preset */

/* The default preset: identifying columns of what cu-dump (table and trace
 * mode) and cu-spans write. A rule with table NULL applies to a column of
 * that name in any section; a table rule matches the part of the section
 * name after its last dot and wins over a generic rule. The class
 * CLASS_BY_KIND means: per row, `instance` when the row's kind column says
 * so, `host` for total/reservable/committed, else the kind itself. */
#define CLASS_BY_KIND "@kind"
/* A flavor name: Blazar's `reservation:<id>` has the reservation id masked
 * (class reservation) after its prefix, so cu-spans still sees a reserved
 * flavor and joins it to the masked reservation; other names are kept. */
#define CLASS_RESERVATION_FLAVOR "@reservation-flavor"
#define RESERVATION_PREFIX "reservation:"
#define RESERVATION_PREFIX_LEN (sizeof RESERVATION_PREFIX - 1)

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
static bool section_is_spans(const char *table, const char *const *cols,
                             size_t ncols)
{
    const char *t = cu_table_short_name(table);
    return (t && strcmp(t, "spans") == 0) || looks_like_spans(cols, ncols);
}

/* The preset's class for a column of a section, or NULL. */
static const char *preset_class(const char *table, bool spans,
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

static void list_preset(void)
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

/* One item of -f/--add/--keep: its own field list, so that an item that
 * never matches can be named, and an optional class. */
struct item {
    char *spec;   /* as given, for messages */
    char *class;  /* NULL: the preset's class, else the column's name */
    cu_fieldlist *fl;
    bool keep;
};

static struct item *items;
static size_t nitems, items_cap;

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
static void add_items(const char *spec, bool keep, const char *option)
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
        items = cu_xgrow(items, &items_cap, nitems + 1, sizeof *items);
        items[nitems++] = (struct item){
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

static void free_items(void)
{
    for (size_t i = 0; i < nitems; i++) {
        free(items[i].spec);
        free(items[i].class);
        cu_fieldlist_free(items[i].fl);
    }
    free(items);
    items = NULL;
    nitems = items_cap = 0;
}

/* ------------------------------------------------------------ masking */

enum method { METHOD_HMAC, METHOD_SALTED };

/* A direct-mapped cache of (class, value) -> pseudonym: ids repeat a lot
 * (every event of an instance names its user, project and host), and a
 * lookup is much cheaper than two SHA-256 compressions. A slot is one cache
 * line (the table is 4 MB: in L3), so it keeps the digest in
 * binary and values up to CACHE_VALUE_MAX bytes (uuids are 36); longer
 * values, and pseudonyms longer than 32 hex digits, are hashed every time. */
enum {
    CACHE_VALUE_MAX = 36,
    CACHE_DIGEST = 16,
    CACHE_SLOTS = 1 << 16,
    CACHE_LINE = 64,
};

struct slot {
    uint64_t hash;
    uint16_t cls;
    uint8_t len;
    uint8_t used;
    unsigned char digest[CACHE_DIGEST];
    char value[CACHE_VALUE_MAX];
};
_Static_assert(sizeof(struct slot) == CACHE_LINE, "a slot is a cache line");

struct masker {
    enum method method;
    cu_hmac *hmac;
    unsigned char *salt;
    size_t saltlen;
    size_t hexlen;
    struct slot *cache; /* NULL: no caching (hexlen > 2 * CACHE_DIGEST) */
    char scratch[CU_SHA256_HEX + 1];
    uint64_t masked, computed;
};

static struct masker M;

static uint64_t hash_value(unsigned cls, const char *s, size_t len)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ ((uint64_t)cls << 48) ^ len;
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 31;
        s += 8;
        len -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, s, len);
    h = (h ^ w) * 0x94d049bb133111ebULL;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 32;
    return h;
}

static void compute_pseudonym(unsigned cls, const char *s, size_t len,
                              char *out)
{
    M.computed++;
    if (M.method == METHOD_HMAC)
        cu_hmac_hex(M.hmac, class_name(cls), s, len, out, M.hexlen);
    else
        cu_sha256_salted_hex(M.salt, M.saltlen, s, len, out, M.hexlen);
}

static const char hexdigits[] = "0123456789abcdef";

/* hexlen digits (even or odd) to and from the slot's digest bytes */
static void digest_from_hex(unsigned char *d, const char *hex, size_t hexlen)
{
    memset(d, 0, CACHE_DIGEST);
    for (size_t i = 0; i < hexlen; i++)
        d[i / 2] |= (unsigned char)(cu_hex_value((unsigned char)hex[i])
                                    << (i % 2 ? 0 : 4));
}

/* Two hex digits per byte, from a table: this runs for every cache hit. */
static char hexpairs[256][2];

static void init_hexpairs(void)
{
    for (int i = 0; i < 256; i++) {
        hexpairs[i][0] = hexdigits[i >> 4];
        hexpairs[i][1] = hexdigits[i & 15];
    }
}

static void digest_to_hex(char *hex, const unsigned char *d, size_t hexlen)
{
    for (size_t i = 0; i < (hexlen + 1) / 2; i++)
        memcpy(hex + 2 * i, hexpairs[d[i]], 2);
    hex[hexlen] = '\0';
}

static bool cacheable(size_t len)
{
    return M.cache != NULL && len <= CACHE_VALUE_MAX;
}

static struct slot *cache_slot(uint64_t h)
{
    return &M.cache[h & (CACHE_SLOTS - 1)];
}

/* The pseudonym of a non-empty value: M.hexlen hex digits, valid until the
 * next call. h is hash_value(cls, s, len) when cacheable(len). */
static const char *pseudonym(unsigned cls, const char *s, size_t len,
                             uint64_t h)
{
    M.masked++;
    if (!cacheable(len)) {
        compute_pseudonym(cls, s, len, M.scratch);
        return M.scratch;
    }
    struct slot *sl = cache_slot(h);
    if (sl->used && sl->hash == h && sl->cls == cls && sl->len == len &&
        memcmp(sl->value, s, len) == 0) {
        digest_to_hex(M.scratch, sl->digest, M.hexlen);
        return M.scratch;
    }
    compute_pseudonym(cls, s, len, M.scratch);
    sl->hash = h;
    sl->cls = (uint16_t)cls;
    sl->len = (uint8_t)len;
    sl->used = 1;
    memcpy(sl->value, s, len);
    digest_from_hex(sl->digest, M.scratch, M.hexlen);
    return M.scratch;
}

/* Key material must not outlive the run, also when a later error exits. */
static void wipe_masker(void)
{
    cu_hmac_free(M.hmac);
    M.hmac = NULL;
    if (M.salt) {
        cu_wipe(M.salt, M.saltlen);
        free(M.salt);
        M.salt = NULL;
    }
    if (M.cache) {
        cu_wipe(M.cache, sizeof *M.cache * CACHE_SLOTS);
        free(M.cache);
        M.cache = NULL;
    }
    cu_wipe(M.scratch, sizeof M.scratch);
}

static unsigned char *parse_hex(const char *s, size_t *n, const char *opt)
{
    size_t len = strlen(s);
    if (len == 0 || len % 2)
        cu_usage_error("%s: need an even number of hex digits", opt);
    unsigned char *out = cu_xmalloc(len / 2);
    for (size_t i = 0; i < len / 2; i++) {
        int hi = cu_hex_value((unsigned char)s[2 * i]);
        int lo = cu_hex_value((unsigned char)s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            cu_usage_error("%s: not a hex digit in '%s'", opt, s);
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    *n = len / 2;
    return out;
}

/* ------------------------------------------------------------ sections */

enum action { ACT_PASS = 0, ACT_MASK, ACT_MASK_BY_KIND, ACT_MASK_FLAVOR };

struct colplan {
    uint8_t action;
    uint16_t cls;
};

struct section {
    struct colplan *plan;
    size_t ncols, plan_cap;
    long kind_col;   /* for ACT_MASK_BY_KIND */
    unsigned host_cls, instance_cls, reservation_cls;
    bool raw;        /* input and output share an encoding: copy raw bytes */
    bool tsv_out;    /* pseudonyms need no escaping: write them raw */
    size_t nmasked;  /* columns masked */
    size_t *masked;  /* their indexes */
    unsigned *row_cls;  /* per masked column: this row's class, */
    uint64_t *row_hash; /* and its value's cache hash */
    size_t scratch_cap;
};

static bool use_preset = true;

/* The class an item gives a column: its own, the preset's, or the
 * column's name. */
static void plan_column(struct colplan *cp, const struct item *it,
                        const char *table, bool spans,
                        const char *const *cols, size_t c)
{
    const char *cls = it ? it->class : NULL;
    if (cls == NULL)
        cls = preset_class(table, spans, cols[c]);
    if (cls == NULL)
        cls = cols[c];
    if (strcmp(cls, CLASS_BY_KIND) == 0) {
        cp->action = ACT_MASK_BY_KIND;
        cp->cls = 0;
    } else if (strcmp(cls, CLASS_RESERVATION_FLAVOR) == 0) {
        cp->action = ACT_MASK_FLAVOR;
        cp->cls = (uint16_t)class_id("reservation");
    } else {
        cp->action = ACT_MASK;
        cp->cls = (uint16_t)class_id(cls);
    }
}

static void plan_section(struct section *sec, const cu_reader *r,
                         enum cu_format out_fmt)
{
    const char *table = cu_reader_table(r);
    size_t ncols = cu_reader_ncols(r);
    const char **cols = cu_xmalloc((ncols ? ncols : 1) * sizeof *cols);
    bool *sel = cu_xmalloc(ncols ? ncols : 1);
    for (size_t c = 0; c < ncols; c++)
        cols[c] = cu_reader_colname(r, c);

    sec->plan = cu_xgrow(sec->plan, &sec->plan_cap, ncols ? ncols : 1,
                         sizeof *sec->plan);
    memset(sec->plan, 0, ncols * sizeof *sec->plan);
    sec->ncols = ncols;
    bool spans = section_is_spans(table, cols, ncols);

    if (use_preset)
        for (size_t c = 0; c < ncols; c++)
            if (preset_class(table, spans, cols[c]))
                plan_column(&sec->plan[c], NULL, table, spans, cols, c);
    /* Mask items first, in order (a later one overrides), then --keep. */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < nitems; i++) {
            if (items[i].keep != (pass == 1))
                continue;
            memset(sel, 0, ncols);
            if (cu_fieldlist_select(items[i].fl, table, cols, ncols, sel) ==
                0)
                continue;
            for (size_t c = 0; c < ncols; c++) {
                if (!sel[c])
                    continue;
                if (items[i].keep)
                    sec->plan[c].action = ACT_PASS;
                else
                    plan_column(&sec->plan[c], &items[i], table, spans,
                                cols, c);
            }
        }

    sec->kind_col = cu_reader_col(r, "kind");
    sec->nmasked = 0;
    if (sec->scratch_cap < ncols) {
        sec->scratch_cap = ncols;
        sec->masked = cu_xrealloc(sec->masked, ncols * sizeof *sec->masked);
        sec->row_cls = cu_xrealloc(sec->row_cls, ncols * sizeof *sec->row_cls);
        sec->row_hash =
            cu_xrealloc(sec->row_hash, ncols * sizeof *sec->row_hash);
    }
    for (size_t c = 0; c < ncols; c++) {
        if (sec->plan[c].action == ACT_MASK_BY_KIND && sec->kind_col < 0)
            cu_die(CU_EXIT_DATA,
                   "%s:%lu: section %s: column '%s' is masked by kind, but "
                   "there is no kind column",
                   cu_reader_filename(r), cu_reader_lineno(r),
                   table ? table : "(unnamed)", cols[c]);
        if (sec->plan[c].action != ACT_PASS)
            sec->masked[sec->nmasked++] = c;
    }
    sec->host_cls = class_id("host");
    sec->instance_cls = class_id("instance");
    sec->reservation_cls = class_id("reservation");
    enum cu_format in_fmt = cu_reader_format(r);
    sec->raw = in_fmt == out_fmt && in_fmt != CU_FMT_CSV;
    sec->tsv_out = out_fmt == CU_FMT_TSV;
    free(cols);
    free(sel);
}

/* CSV read as TSV is one column whose name holds the commas: nothing
 * would match the preset, and the stream would pass through unmasked
 * with exit 0. A masking tool must not mask nothing silently. */
static void refuse_unseen_csv(const cu_reader *r)
{
    const char *name = cu_reader_colname(r, 0);
    if (cu_reader_format(r) == CU_FMT_TSV && cu_reader_ncols(r) == 1 &&
        name && strchr(name, ','))
        cu_die_at(cu_reader_filename(r), cu_reader_lineno(r), 0, NULL, name,
                  strlen(name),
                  "a header of one column holding commas: CSV read as TSV "
                  "would pass unmasked (say --from csv, or --from tsv if "
                  "it is TSV)");
}

/* Tables the input could not deliver stay said in the output, so that a
 * tool after cu-mask still fails on a table it needs. */
static void pass_statuses_on(cu_reader *r, cu_writer *w)
{
    const struct cu_table_status *st;
    size_t n = cu_reader_statuses(r, &st);
    for (size_t i = 0; i < n; i++)
        cu_writer_table_status(w, st[i].table, st[i].status);
}

/* The class of a span's id: a committed span's id is its reservation id,
 * masked as the reservation everywhere (so that it still joins with
 * request_specs.reservation and `reservation:<id>` flavor names). */
static unsigned class_by_kind(const struct section *sec, const cu_reader *r)
{
    const cu_field *k = cu_reader_field(r, (size_t)sec->kind_col);
    if (k->len == 8 && memcmp(k->s, "instance", 8) == 0)
        return sec->instance_cls;
    if ((k->len == 5 && memcmp(k->s, "total", 5) == 0) ||
        (k->len == 10 && memcmp(k->s, "reservable", 10) == 0))
        return sec->host_cls;
    if (k->len == 9 && memcmp(k->s, "committed", 9) == 0)
        return sec->reservation_cls;
    if (cu_field_is_null(k) || k->len == 0 || memchr(k->s, '\0', k->len))
        cu_reader_die_field(r, (size_t)sec->kind_col, "no span kind");
    return class_id(k->s);
}

/* Classes and cache hashes of the row's masked values first, with their
 * cache slots prefetched: the slots of one row are fetched from memory in
 * parallel instead of one stall per field. */
static bool is_reservation_flavor(const cu_field *f)
{
    return f->len > RESERVATION_PREFIX_LEN &&
           memcmp(f->s, RESERVATION_PREFIX, RESERVATION_PREFIX_LEN) == 0;
}

static void prepare_row(const struct section *sec, const cu_reader *r)
{
    for (size_t k = 0; k < sec->nmasked; k++) {
        size_t c = sec->masked[k];
        const cu_field *f = cu_reader_field(r, c);
        if (cu_field_is_null(f) || f->len == 0)
            continue;
        const char *v = f->s;
        size_t len = f->len;
        unsigned cls;
        switch (sec->plan[c].action) {
        case ACT_MASK: cls = sec->plan[c].cls; break;
        case ACT_MASK_FLAVOR:
            cls = is_reservation_flavor(f) ? sec->plan[c].cls : 0;
            v += RESERVATION_PREFIX_LEN;
            len -= RESERVATION_PREFIX_LEN;
            break;
        default: cls = class_by_kind(sec, r);
        }
        sec->row_cls[k] = cls;
        if (cls && cacheable(len)) {
            uint64_t h = hash_value(cls, v, len);
            sec->row_hash[k] = h;
            __builtin_prefetch(cache_slot(h));
        }
    }
}

static void mask_row(const struct section *sec, const cu_reader *r,
                     cu_writer *w)
{
    size_t k = 0;
    prepare_row(sec, r);
    for (size_t c = 0; c < sec->ncols; c++) {
        const cu_field *f = cu_reader_field(r, c);
        if (sec->plan[c].action == ACT_PASS) {
            if (sec->raw)
                cu_writer_raw(w, f->raw, f->raw_len);
            else
                cu_writer_field(w, f);
            continue;
        }
        if (cu_field_is_null(f)) {
            cu_writer_null(w);
        } else if (f->len == 0) {
            cu_writer_str(w, "", 0);
        } else if (sec->row_cls[k] == 0) { /* not masked in this row */
            if (sec->raw)
                cu_writer_raw(w, f->raw, f->raw_len);
            else
                cu_writer_field(w, f);
        } else if (sec->plan[c].action == ACT_MASK_FLAVOR) {
            char name[RESERVATION_PREFIX_LEN + CU_SHA256_HEX];
            memcpy(name, RESERVATION_PREFIX, RESERVATION_PREFIX_LEN);
            memcpy(name + RESERVATION_PREFIX_LEN,
                   pseudonym(sec->row_cls[k], f->s + RESERVATION_PREFIX_LEN,
                             f->len - RESERVATION_PREFIX_LEN,
                             sec->row_hash[k]),
                   M.hexlen);
            cu_writer_str(w, name, RESERVATION_PREFIX_LEN + M.hexlen);
        } else {
            const char *p =
                pseudonym(sec->row_cls[k], f->s, f->len, sec->row_hash[k]);
            if (sec->tsv_out)
                cu_writer_raw(w, p, M.hexlen);
            else
                cu_writer_str(w, p, M.hexlen);
        }
        k++;
    }
    cu_writer_end_row(w);
}

static void free_section(struct section *sec)
{
    free(sec->plan);
    free(sec->masked);
    free(sec->row_cls);
    free(sec->row_hash);
}

/* ------------------------------------------------------------ archives */

/* An archive out (-o DIR): one TSV file per section (zstd unless
 * --compress says otherwise), written under a
 * temporary name and renamed when complete, then MANIFEST.tsv the same way.
 * Until then an exit removes the temporary files, so a failed run leaves
 * nothing that looks complete. */
struct out_table {
    char *table;
    char *file;      /* final name inside the directory */
    char *columns;   /* comma-separated, as in the manifest */
    uint64_t rows;
    uint64_t bytes;      /* written, uncompressed (as cu-dump counts) */
    uint64_t file_bytes; /* of the file, compressed */
    char sha256[CU_SHA256_HEX + 1];
};

static struct {
    const char *dir;
    enum cu_compress compress;
    struct out_table *tables;
    size_t n, cap;
    /* being written; removed at exit or on a signal unless renamed
     * (cu_temp_begin) */
    char *tmp_path;
} A;

static void begin_tmp_path(char *path)
{
    A.tmp_path = path;
    cu_temp_begin(path);
}

static void forget_tmp_path(void)
{
    cu_temp_forget();
    free(A.tmp_path);
    A.tmp_path = NULL;
}

static bool safe_table_name(const char *t)
{
    if (t == NULL || *t == '\0' || *t == '.' || strchr(t, '/'))
        return false;
    return true;
}

static cu_writer *archive_begin(const cu_reader *r)
{
    const char *table = cu_reader_table(r);
    if (!safe_table_name(table))
        cu_die(CU_EXIT_DATA,
               "%s:%lu: -o needs named sections (#table schema.table); "
               "this one is %s",
               cu_reader_filename(r), cu_reader_lineno(r),
               table ? table : "unnamed");
    for (size_t i = 0; i < A.n; i++)
        if (strcmp(A.tables[i].table, table) == 0)
            cu_die(CU_EXIT_DATA, "%s:%lu: table %s appears twice in the input",
                   cu_reader_filename(r), cu_reader_lineno(r), table);
    A.tables = cu_xgrow(A.tables, &A.cap, A.n + 1, sizeof *A.tables);
    struct out_table *t = &A.tables[A.n++];
    memset(t, 0, sizeof *t);
    t->table = cu_xstrdup(table);
    t->file = cu_xasprintf("%s.tsv%s", table, cu_compress_suffix(A.compress));

    size_t ncols = cu_reader_ncols(r), clen = 1;
    for (size_t c = 0; c < ncols; c++)
        clen += strlen(cu_reader_colname(r, c)) + 1;
    t->columns = cu_xmalloc(clen);
    t->columns[0] = '\0';
    for (size_t c = 0; c < ncols; c++) {
        if (c)
            strcat(t->columns, ",");
        strcat(t->columns, cu_reader_colname(r, c));
    }

    begin_tmp_path(cu_temp_path(A.dir, t->file));
    /* no trailers: the manifest vouches for the member */
    return cu_writer_open_path(A.tmp_path, CU_FMT_TSV,
                               cu_write_compress_flag(A.compress) |
                                   CU_WRITE_NO_TRAILERS);
}

static void archive_end(cu_writer *w)
{
    struct out_table *t = &A.tables[A.n - 1];
    t->rows = cu_writer_rows(w);
    t->bytes = cu_writer_bytes(w);
    cu_writer_close(w);
    char *final = cu_path_join(A.dir, t->file);
    cu_sha256_file(A.tmp_path, t->sha256, &t->file_bytes);
    cu_temp_commit(final);
    free(final);
    forget_tmp_path();
}

/* The manifest of an archive given as input, kept to carry over what the
 * new archive cannot know (tables that were missing, dump times, server
 * and cu versions): its rows are copied, with file, rows, bytes,
 * file_bytes and sha256 replaced for the tables written again. */
static struct {
    char **cols;
    size_t ncols;
    char **cells; /* nrows * ncols, NULL = NULL */
    size_t nrows, cap;
} MI;

static void read_input_manifest(const char *dir)
{
    char *path = cu_path_join(dir, "MANIFEST.tsv");
    const char *paths[1] = {path};
    cu_reader *m = cu_reader_open(paths, 1, CU_FMT_TSV);
    enum cu_next k;
    while ((k = cu_reader_next(m)) != CU_EOF) {
        if (k == CU_SECTION) {
            if (MI.cols)
                cu_die(CU_EXIT_DATA, "%s: more than one section", path);
            MI.ncols = cu_reader_ncols(m);
            MI.cols = cu_xcalloc(MI.ncols ? MI.ncols : 1, sizeof *MI.cols);
            for (size_t c = 0; c < MI.ncols; c++)
                MI.cols[c] = cu_xstrdup(cu_reader_colname(m, c));
            continue;
        }
        MI.cells = cu_xgrow(MI.cells, &MI.cap, (MI.nrows + 1) * MI.ncols,
                            sizeof *MI.cells);
        for (size_t c = 0; c < MI.ncols; c++) {
            const cu_field *f = cu_reader_field(m, c);
            MI.cells[MI.nrows * MI.ncols + c] =
                cu_field_is_null(f) ? NULL : cu_xstrndup(f->s, f->len);
        }
        MI.nrows++;
    }
    cu_reader_close(m);
    free(path);
}

static void free_input_manifest(void)
{
    for (size_t i = 0; i < MI.nrows * MI.ncols; i++)
        free(MI.cells[i]);
    for (size_t c = 0; c < MI.ncols; c++)
        free(MI.cols[c]);
    free(MI.cells);
    free(MI.cols);
    memset(&MI, 0, sizeof MI);
}

static const struct out_table *written_table(const char *name)
{
    for (size_t i = 0; name && i < A.n; i++)
        if (strcmp(A.tables[i].table, name) == 0)
            return &A.tables[i];
    return NULL;
}

/* One manifest cell for a table written by this run. */
/* A manifest cell of a table written again: what this run knows, else
 * the input manifest's (old); numbers go to num. */
static const char *table_cell(const char *col, const struct out_table *t,
                              const char *old, char num[24])
{
    if (strcmp(col, "table") == 0)
        return t->table;
    if (strcmp(col, "file") == 0)
        return t->file;
    if (strcmp(col, "columns") == 0)
        return old ? old : t->columns;
    if (strcmp(col, "sha256") == 0)
        return t->sha256;
    if (strcmp(col, "compression") == 0)
        return cu_compress_name(A.compress);
    if (strcmp(col, "status") == 0)
        return "ok";
    const uint64_t *v = strcmp(col, "rows") == 0         ? &t->rows
                        : strcmp(col, "bytes") == 0      ? &t->bytes
                        : strcmp(col, "file_bytes") == 0 ? &t->file_bytes
                                                         : NULL;
    if (!v)
        return old;
    snprintf(num, 24, "%" PRIu64, *v);
    return num;
}

static void archive_manifest(void)
{
    /* without an input manifest, cu-dump's first columns */
    const char *const *cols = cu_manifest_cols;
    size_t ncols = 9; /* table file status rows bytes file_bytes
                         compression sha256 columns */
    long tcol = 0;
    if (MI.cols) {
        cols = (const char *const *)MI.cols;
        ncols = MI.ncols;
        tcol = -1;
        for (size_t c = 0; c < ncols; c++)
            if (strcmp(cols[c], "table") == 0)
                tcol = (long)c;
    }
    size_t nrows = MI.nrows + A.n; /* at most */
    const char **cell = cu_xcalloc(nrows * ncols + 1, sizeof *cell);
    char (*num)[24] = cu_xcalloc(nrows * ncols + 1, sizeof *num);
    bool *done = cu_xcalloc(A.n ? A.n : 1, sizeof *done);
    size_t r = 0;
    for (size_t i = 0; i < MI.nrows; i++, r++) {
        char **row = MI.cells + i * MI.ncols;
        const struct out_table *t =
            tcol >= 0 ? written_table(row[tcol]) : NULL;
        for (size_t c = 0; c < ncols; c++)
            cell[r * ncols + c] =
                t ? table_cell(cols[c], t, row[c], num[r * ncols + c]) : row[c];
        if (t)
            done[t - A.tables] = true;
    }
    for (size_t i = 0; i < A.n; i++) {
        if (done[i])
            continue;
        for (size_t c = 0; c < ncols; c++)
            cell[r * ncols + c] =
                table_cell(cols[c], &A.tables[i], NULL, num[r * ncols + c]);
        r++;
    }
    cu_sync_dir(A.dir); /* the tables' renames, before the manifest's */
    /* nothing may fail once the manifest is there: its path comes first */
    char *final = cu_path_join(A.dir, "MANIFEST.tsv");
    if (!cu_manifest_write(A.dir, "MANIFEST.tsv", cols, ncols, cell, r))
        cu_die_errno(CU_EXIT_DATA, errno, "%s/MANIFEST.tsv", A.dir);
    cu_sync_dir_published(A.dir, final);
    free(final);
    free(done);
    free(num);
    free(cell);
}

static void free_archive(void)
{
    for (size_t i = 0; i < A.n; i++) {
        free(A.tables[i].table);
        free(A.tables[i].file);
        free(A.tables[i].columns);
    }
    free(A.tables);
    A.tables = NULL;
    A.n = A.cap = 0;
    free_input_manifest();
}

static void prepare_archive_dir(const char *dir)
{
    struct stat st;
    if (mkdir(dir, 0777) != 0) {
        if (errno != EEXIST)
            cu_die_errno(CU_EXIT_DATA, errno, "mkdir %s", dir);
        if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
            cu_usage_error("-o %s: exists and is not a directory", dir);
        char *m = cu_path_join(dir, "MANIFEST.tsv");
        bool exists = access(m, F_OK) == 0;
        free(m);
        if (exists)
            cu_usage_error("-o %s: already holds an archive (MANIFEST.tsv); "
                           "refusing to overwrite",
                           dir);
    }
    A.dir = dir;
}

/* ------------------------------------------------------------ options */

static void usage(void)
{
    printf(
        "Usage: %s [OPTION]... [FILE|DIR|-]...\n"
        "Replace identifying values in a cu stream (table stream, archive,\n"
        "trace, spans) by keyed pseudonyms. The same value maps to the same\n"
        "pseudonym wherever it appears within its class, so joins survive.\n"
        "With no FILE, or when FILE is -, read standard input.\n"
        "\n"
        "What to mask (default: the preset, see --list-preset):\n"
        "  -f, --fields=LIST       mask exactly these fields instead of the "
        "preset;\n"
        "                          items are names (col, table.col, "
        "schema.table.col)\n"
        "                          or numbers, each optionally :CLASS "
        "(host:host)\n"
        "  -a, --add=LIST          mask these fields as well as the preset\n"
        "  -k, --keep=LIST         never mask these fields\n"
        "      --list-preset       print the preset (table, column, class) "
        "and exit\n"
        "\n"
        "Keys and pseudonyms:\n"
        "      --key-file=FILE     HMAC key from FILE (64 hex digits; mode "
        "0600)\n"
        "      --new-key=FILE      create FILE with a fresh key (mode 0600, "
        "never\n"
        "                          overwritten) and use it\n"
        "  -l, --length=N          pseudonyms of N hex digits, 1..64 "
        "(default 32)\n"
        "      --method=METHOD     hmac (default) or sha256-salted: "
        "sha256(salt||value),\n"
        "                          as in published Chameleon traces\n"
        "      --salt=S            the salt for sha256-salted (the bytes of "
        "S)\n"
        "      --salt-hex=HEX      the salt for sha256-salted, in hex\n"
        "\n"
        "Input and output:\n"
        "      --from=FORMAT       input format: auto (default), tsv, jsons, "
        "csv\n"
        "  -o, --output=DIR        write an archive directory (one .tsv.zst "
        "per table\n"
        "                          and MANIFEST.tsv; --compress gzip or none "
        "for\n"
        "                          .tsv.gz or .tsv) instead of standard "
        "output\n"
        CU_COMMON_OPTIONS_HELP
        "Without --tsv, --jsons or --csv the output has the input's format "
        "(not TSV\nby default as in other cu tools).\n"
        "\n"
        "Without --key-file a fresh 256-bit key is drawn for the run and "
        "wiped at\n"
        "exit: pseudonyms then differ from run to run. NULL stays NULL and "
        "the\n"
        "empty string stays empty. Everything not masked is copied byte for "
        "byte.\n"
        "\n"
        "Exit status: 0 ok, 1 data or runtime error, 2 usage error (also a "
        "field\n"
        "named with -f, -a or -k that no section has).\n"
        "See cu-mask(1) and cu(7).\n",
        cu_program_name());
}

enum {
    OPT_KEY_FILE = CU_OPT_TOOL_FIRST,
    OPT_NEW_KEY,
    OPT_METHOD,
    OPT_SALT,
    OPT_SALT_HEX,
    OPT_FROM,
    OPT_LIST_PRESET,
};

static const struct option long_options[] = {
    {"fields", required_argument, NULL, 'f'},
    {"add", required_argument, NULL, 'a'},
    {"keep", required_argument, NULL, 'k'},
    {"list-preset", no_argument, NULL, OPT_LIST_PRESET},
    {"key-file", required_argument, NULL, OPT_KEY_FILE},
    {"new-key", required_argument, NULL, OPT_NEW_KEY},
    {"length", required_argument, NULL, 'l'},
    {"method", required_argument, NULL, OPT_METHOD},
    {"salt", required_argument, NULL, OPT_SALT},
    {"salt-hex", required_argument, NULL, OPT_SALT_HEX},
    {"from", required_argument, NULL, OPT_FROM},
    {"output", required_argument, NULL, 'o'},
    CU_COMMON_LONG_OPTIONS,
    {NULL, 0, NULL, 0},
};

struct options {
    const char *key_file;
    const char *new_key;
    const char *salt;
    unsigned char *salt_hex;
    size_t salt_hex_len;
    const char *out_dir;
    enum cu_format in_fmt;
    bool out_fmt_given;
    bool fields_given;
};

static size_t parse_length(const char *s)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 1 || v > CU_SHA256_HEX)
        cu_usage_error("--length: want a number of hex digits from 1 to %d, "
                       "not '%s'",
                       CU_SHA256_HEX, s);
    return (size_t)v;
}

static enum cu_format parse_format(const char *s)
{
    if (strcmp(s, "auto") == 0)
        return CU_FMT_AUTO;
    if (strcmp(s, "tsv") == 0)
        return CU_FMT_TSV;
    if (strcmp(s, "jsons") == 0)
        return CU_FMT_JSONS;
    if (strcmp(s, "csv") == 0)
        return CU_FMT_CSV;
    cu_usage_error("--from: unknown format '%s' (auto, tsv, jsons, csv)", s);
}

static void setup_key(const struct options *o)
{
    unsigned char key[CU_KEY_BYTES];
    char err[512];
    if (o->new_key) {
        if (!cu_key_file_create(o->new_key, err, sizeof err))
            cu_usage_error("--new-key: %s", err);
    }
    const char *file = o->new_key ? o->new_key : o->key_file;
    if (file) {
        if (!cu_key_file_read(file, key, err, sizeof err))
            cu_usage_error("%s: %s",
                           o->new_key ? "--new-key" : "--key-file", err);
    } else {
        cu_random_bytes(key, sizeof key);
    }
    M.hmac = cu_hmac_new(key, sizeof key);
    cu_wipe(key, sizeof key);
}

static void setup_masker(const struct options *o, size_t hexlen)
{
    M.hexlen = hexlen;
    init_hexpairs();
    if (hexlen <= 2 * CACHE_DIGEST) {
        M.cache = aligned_alloc(CACHE_LINE, CACHE_SLOTS * sizeof *M.cache);
        if (M.cache == NULL)
            cu_die(CU_EXIT_DATA, "out of memory");
        memset(M.cache, 0, CACHE_SLOTS * sizeof *M.cache);
    }
    atexit(wipe_masker);
    if (M.method == METHOD_HMAC) {
        if (o->salt || o->salt_hex)
            cu_usage_error("--salt needs --method sha256-salted");
        setup_key(o);
        return;
    }
    if (o->key_file || o->new_key)
        cu_usage_error("--key-file and --new-key need --method hmac");
    if (o->salt && o->salt_hex)
        cu_usage_error("--salt and --salt-hex exclude each other");
    if (o->salt) {
        M.saltlen = strlen(o->salt);
        M.salt = (unsigned char *)cu_xstrndup(o->salt, M.saltlen);
    } else if (o->salt_hex) {
        M.saltlen = o->salt_hex_len;
        M.salt = cu_xmalloc(M.saltlen);
        memcpy(M.salt, o->salt_hex, M.saltlen);
    } else {
        /* like the published traces: a random salt, never stored */
        M.saltlen = CU_KEY_BYTES;
        M.salt = cu_xmalloc(M.saltlen);
        cu_random_bytes(M.salt, M.saltlen);
    }
}

static void check_unmatched(void)
{
    for (size_t i = 0; i < nitems; i++)
        if (cu_fieldlist_unmatched(items[i].fl))
            cu_usage_error("%s: no such field in any section: '%s'",
                           items[i].keep ? "--keep" : "--fields",
                           items[i].spec);
}

/* ------------------------------------------------------------ main */

int main(int argc, char **argv)
{
    struct cu_common common;
    struct options o = {.in_fmt = CU_FMT_AUTO};
    size_t hexlen = 32;
    bool list = false;
    int opt;

    cu_init(argv[0], &common);
    M.method = METHOD_HMAC;
    while ((opt = getopt_long(argc, argv, "f:a:k:l:o:", long_options,
                              NULL)) != -1) {
        if (opt == CU_OPT_TSV || opt == CU_OPT_JSONS || opt == CU_OPT_CSV)
            o.out_fmt_given = true;
        if (cu_common_option(opt, &common, usage))
            continue;
        switch (opt) {
        case 'f':
            use_preset = false;
            o.fields_given = true;
            add_items(optarg, false, "--fields");
            break;
        case 'a':
            add_items(optarg, false, "--add");
            break;
        case 'k':
            add_items(optarg, true, "--keep");
            break;
        case 'l':
            hexlen = parse_length(optarg);
            break;
        case 'o':
            o.out_dir = optarg;
            break;
        case OPT_KEY_FILE:
            o.key_file = optarg;
            break;
        case OPT_NEW_KEY:
            o.new_key = optarg;
            break;
        case OPT_METHOD:
            if (strcmp(optarg, "hmac") == 0 ||
                strcmp(optarg, "hmac-sha256") == 0)
                M.method = METHOD_HMAC;
            else if (strcmp(optarg, "sha256-salted") == 0)
                M.method = METHOD_SALTED;
            else
                cu_usage_error("--method: unknown method '%s' (hmac, "
                               "sha256-salted)",
                               optarg);
            break;
        case OPT_SALT:
            o.salt = optarg;
            break;
        case OPT_SALT_HEX:
            free(o.salt_hex);
            o.salt_hex = parse_hex(optarg, &o.salt_hex_len, "--salt-hex");
            break;
        case OPT_FROM:
            o.in_fmt = parse_format(optarg);
            break;
        case OPT_LIST_PRESET:
            list = true;
            break;
        default:
            cu_try_help();
        }
    }
    if (list) {
        list_preset();
        free_items();
        free(o.salt_hex);
        return CU_EXIT_OK;
    }
    if (o.key_file && o.new_key)
        cu_usage_error("--key-file and --new-key exclude each other");
    if (o.out_dir && o.out_fmt_given && common.out_format != CU_FMT_TSV)
        cu_usage_error("-o writes an archive of TSV files; drop "
                       "--jsons/--csv");
    atexit(free_items);
    atexit(free_classes);
    setup_masker(&o, hexlen);
    free(o.salt_hex);
    o.salt_hex = NULL;
    /* `cu-mask --new-key F` typed at a terminal: just make the key */
    if (o.new_key && optind == argc && isatty(STDIN_FILENO))
        return CU_EXIT_OK;
    if (o.out_dir) {
        A.compress = common.compress_given ? common.compress
                                           : CU_COMPRESS_ZSTD;
        prepare_archive_dir(o.out_dir);
        /* one archive in: carry its manifest over */
        if (argc - optind == 1 && cu_is_archive_dir(argv[optind]))
            read_input_manifest(argv[optind]);
    }

    cu_reader *r = cu_reader_open((const char *const *)argv + optind,
                                  (size_t)(argc - optind), o.in_fmt);
    cu_writer *w = NULL;
    struct section sec = {0};
    enum cu_next nx;
    while ((nx = cu_reader_next(r)) != CU_EOF) {
        if (nx == CU_ROW) {
            mask_row(&sec, r, w);
            continue;
        }
        size_t ncols = cu_reader_ncols(r);
        if (o.in_fmt == CU_FMT_AUTO)
            refuse_unseen_csv(r);
        const char **cols = cu_xmalloc((ncols ? ncols : 1) * sizeof *cols);
        for (size_t c = 0; c < ncols; c++)
            cols[c] = cu_reader_colname(r, c);
        enum cu_format out_fmt;
        if (o.out_dir) {
            if (w)
                archive_end(w);
            w = archive_begin(r);
            out_fmt = CU_FMT_TSV;
            cu_writer_section(w, NULL, cols, ncols);
        } else {
            if (w == NULL) {
                out_fmt = o.out_fmt_given ? common.out_format
                                          : cu_reader_format(r);
                w = cu_writer_fdopen(STDOUT_FILENO, "(stdout)", out_fmt,
                                     common.write_flags);
                common.out_format = out_fmt;
            }
            out_fmt = common.out_format;
            cu_writer_section(w, cu_reader_table(r), cols, ncols);
        }
        plan_section(&sec, r, out_fmt);
        free(cols);
    }
    if (!o.out_dir && w)
        pass_statuses_on(r, w);
    cu_reader_close(r);
    free_section(&sec);
    /* Before the output is finished: a named field that matched nothing
     * means the command line is wrong, and the output must not look
     * complete (an archive gets no manifest). */
    check_unmatched();
    struct cu_write_counts written = {0, 0, 0};
    if (o.out_dir) {
        if (w)
            archive_end(w);
        archive_manifest();
        for (size_t i = 0; i < A.n; i++) {
            written.rows += A.tables[i].rows;
            written.bytes += A.tables[i].bytes;
            written.stored += A.tables[i].file_bytes;
        }
        free_archive();
    } else if (w) {
        cu_writer_close_counted(w, &written);
    }
    if (common.stats) {
        fprintf(stderr,
                "%s: %llu values masked, %llu pseudonyms computed "
                "(%.1f%% from the cache)\n",
                cu_program_name(), (unsigned long long)M.masked,
                (unsigned long long)M.computed,
                M.masked ? 100.0 * (double)(M.masked - M.computed) /
                               (double)M.masked
                         : 0.0);
        cu_stats_wrote(o.out_dir ? o.out_dir : "(stdout)", written.rows,
                       written.bytes, written.stored);
    }
    return CU_EXIT_OK;
}
