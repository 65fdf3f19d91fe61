/* cu-spans: reading. Each table cu-spans reads is a list of its columns
 * (lib/columns: name, type, required or not, where in the record), one
 * reader per table decodes its rows into records with it, and read_all
 * takes the sections in whatever order they come. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <strings.h>

#include "columns.h"
#include "error.h"
#include "spans.h"

/* The tables cu-spans reads (by their name without the schema): one the
 * input says it could not deliver (denied, missing, failed) stops the run
 * unless --allow-missing names it. cu-spans(1) lists them. */
static const char *const needed_tables[] = {
    "compute_nodes", "instances", "instance_extra", "request_specs",
    "instance_actions", "instance_actions_events", "leases", "reservations",
    "computehosts", "devices", "computehost_allocations",
    "device_allocations", "instance_reservations", "container",
    "container_actions", "container_actions_events",
};

enum { MAX_SKIP_MESSAGES = 1000 };

/* One section being read: the run, its table's counts, and the queue of
 * ids waiting to be interned into the records of one array. */
struct section {
    struct run *R;
    struct table_count *tc;
    struct cu_rows rows;
    struct lagq lag;
    size_t idx; /* the element the current row goes to */
};

static struct table_count *table_count_for(struct stats *st, sid table)
{
    for (size_t i = 0; i < st->ntcounts; i++)
        if (st->tcounts[i].table == table)
            return &st->tcounts[i];
    st->tcounts = cu_xgrow(st->tcounts, &st->tcounts_cap, st->ntcounts + 1,
                           sizeof *st->tcounts);
    st->tcounts[st->ntcounts] = (struct table_count){.table = table};
    return &st->tcounts[st->ntcounts++];
}

/* A row's first bad field: fatal, or counted and kept for --stats with
 * --skip-bad. */
static void bad_field(void *ctx, const cu_reader *r, size_t i,
                      const char *what)
{
    struct section *sec = ctx;
    struct stats *st = &sec->R->st;
    const char *table = cu_reader_table(r) ? cu_reader_table(r) : "(unnamed)";
    if (!sec->R->opt->skip_bad)
        cu_reader_die_field(r, i, "%s: %s", table, what);
    sec->tc->skipped++;
    st->nskipped++;
    if (st->nskip_msgs >= MAX_SKIP_MESSAGES)
        return;
    const cu_field *f = cu_reader_field(r, i);
    char *m = cu_xasprintf("%s:%lu: field %zu (%s): %s: %s: '%.*s'",
                           cu_reader_filename(r), cu_reader_lineno(r), i + 1,
                           cu_reader_colname(r, i), table, what,
                           (int)(f->raw_len > 80 ? 80 : f->raw_len), f->raw);
    for (char *p = m; *p; p++)
        if (*p == '\n' || *p == '\t' || *p == '\r')
            *p = ' ';
    st->skip_msgs = cu_xgrow(st->skip_msgs, &st->skip_msgs_cap,
                             st->nskip_msgs + 1, sizeof *st->skip_msgs);
    st->skip_msgs[st->nskip_msgs++] = m;
}

/* A string column's sid; a hex id of a CU_COL_DEFER column is queued
 * (0 until the queue fills it in). */
static uint32_t string_id(void *ctx, const cu_field *f, size_t off,
                          unsigned flags)
{
    struct section *sec = ctx;
    uint64_t hi, lo;
    if ((flags & CU_COL_DEFER) && hex_id(f->s, f->len, &hi, &lo)) {
        lag_push(&sec->lag, hi, lo, (uint32_t)f->len, sec->idx, off);
        return 0;
    }
    return intern(&sec->R->str, f->s, f->len);
}

/* Start reading a section into the array at *base (elements of elem
 * bytes) with the columns cols. */
static void section_begin(struct section *sec, struct run *R,
                          struct table_count *tc, cu_reader *r,
                          const struct cu_col *cols, size_t ncols, bool only,
                          void *const *base, size_t elem)
{
    *sec = (struct section){.R = R, .tc = tc};
    sec->lag = (struct lagq){.S = &R->str, .base = base, .elem = elem};
    struct cu_row_hooks hooks = {sec, string_id, bad_field};
    cu_rows_bind(&sec->rows, r, cols, ncols, &hooks, only);
}

/* The next row, to go to element idx; CU_ROW or where the section ends. */
static enum cu_next section_next(struct section *sec, size_t idx)
{
    enum cu_next nx = cu_rows_next(&sec->rows);
    if (nx == CU_ROW)
        sec->tc->rows++;
    sec->idx = idx;
    return nx;
}

/* Decode the current row into rec (element sec->idx); false, its queued
 * ids forgotten, when a field was bad. */
static bool section_decode(struct section *sec, void *rec)
{
    if (cu_rows_decode(&sec->rows, rec))
        return true;
    lag_forget(&sec->lag, sec->idx);
    return false;
}

/* A row that turned out bad after decoding: its ids are not wanted. */
static bool section_row_ok(struct section *sec)
{
    if (!sec->rows.bad)
        return true;
    lag_forget(&sec->lag, sec->idx);
    return false;
}

static enum cu_next section_end(struct section *sec, enum cu_next nx)
{
    lag_flush(&sec->lag);
    cu_rows_unbind(&sec->rows);
    return nx;
}

#define N_OF(a) (sizeof (a) / sizeof *(a))
#define COL(name, type, flags, T, field)                                   \
    {name, type, flags, offsetof(T, field), NULL, NULL}
#define NEED CU_COL_NEED
#define KEY (CU_COL_NEED | CU_COL_KEY)
#define ID CU_COL_DEFER

/* ---- custom columns */

static const char *decode_action_effect(const cu_field *f, void *dst)
{
    uint8_t v = (uint8_t)action_effect(f);
    memcpy(dst, &v, 1);
    return NULL;
}

static const char *decode_caction_effect(const cu_field *f, void *dst)
{
    uint8_t v = (uint8_t)caction_effect(f);
    memcpy(dst, &v, 1);
    return NULL;
}

static const char *decode_place_prio(const cu_field *f, void *dst)
{
    uint8_t v = event_place_prio(f);
    memcpy(dst, &v, 1);
    return NULL;
}

/* An event's result: Error in any case. */
static const char *decode_error(const cu_field *f, void *dst)
{
    uint8_t v = !cu_field_is_null(f) && f->len == 5 &&
                strncasecmp(f->s, "error", 5) == 0;
    memcpy(dst, &v, 1);
    return NULL;
}

/* An action id (a uint64_t key, the cell added by the reader). */
static const char *decode_action_id(const cu_field *f, void *dst)
{
    int64_t id;
    const char *why = cu_col_parse_int(f, &id);
    if (why)
        return why;
    if (id == CU_INT_NULL)
        return "missing key";
    if (id < 0 || id > UINT32_MAX)
        return "id out of range";
    uint64_t key = (uint32_t)id;
    memcpy(dst, &key, sizeof key);
    return NULL;
}

/* zun's cpu is a float, a share of the host's CPUs; a span counts whole
 * vCPUs, so a share is rounded up (0.5 holds one CPU of the count). */
static const char *decode_cpu(const cu_field *f, void *dst)
{
    char buf[64], *end;
    int64_t v = NO_INT;
    memcpy(dst, &v, sizeof v);
    if (cu_field_is_null(f))
        return NULL;
    if (f->len == 0 || f->len >= sizeof buf)
        return "not a CPU count";
    memcpy(buf, f->s, f->len);
    buf[f->len] = '\0';
    double d = strtod(buf, &end);
    if (*end || !(d >= 0) || d > 1e6)
        return "not a CPU count";
    v = (int64_t)ceil(d);
    memcpy(dst, &v, sizeof v);
    return NULL;
}

/* zun's memory is a string of MB: "512", or "512M" as older versions
 * wrote it. */
static const char *decode_memory_mb(const cu_field *f, void *dst)
{
    int64_t v = NO_INT;
    memcpy(dst, &v, sizeof v);
    if (cu_field_is_null(f))
        return NULL;
    size_t n = f->len;
    if (n > 1 && (f->s[n - 1] == 'M' || f->s[n - 1] == 'm'))
        n--;
    v = 0;
    for (size_t k = 0; k < n; k++) {
        if (f->s[k] < '0' || f->s[k] > '9' || v > (INT64_C(1) << 40))
            return "not a memory size in MB";
        v = v * 10 + (f->s[k] - '0');
    }
    if (n == 0)
        return "not a memory size in MB";
    memcpy(dst, &v, sizeof v);
    return NULL;
}

#define CUSTOM(name, flags, T, field, fn)                                  \
    {name, CU_COL_CUSTOM, flags, offsetof(T, field), NULL, fn}
#define IS(name, flags, T, field, value)                                   \
    {name, CU_COL_IS, flags, offsetof(T, field), value, NULL}
#define BY_HAND(name) {name, CU_COL_TIME, CU_COL_BY_HAND, 0, NULL, NULL}

/* _gone_at (--history): the end of a row that left the history, if it
 * has none of its own. */
static bool gone_end(struct section *sec, size_t col, cu_time *end)
{
    cu_time gone = cu_rows_time(&sec->rows, cu_rows_at(&sec->rows, col));
    if (gone == CU_TIME_NULL || *end != CU_TIME_NULL)
        return false;
    *end = gone;
    return true;
}

/* ---- nova */

static enum cu_next read_compute_nodes(struct run *R, cu_reader *r,
                                       struct table_count *tc)
{
    typedef struct cnode T;
    static const struct cu_col cols[] = {
        COL("hypervisor_hostname", CU_COL_STR, KEY, T, hh),
        COL("host", CU_COL_STR, NEED, T, svc),
        IS("hypervisor_type", NEED, T, ironic, "ironic"),
        COL("vcpus", CU_COL_SIZE, NEED, T, vcpus),
        COL("memory_mb", CU_COL_SIZE, NEED, T, mem),
        COL("local_gb", CU_COL_SIZE, NEED, T, disk),
        COL("created_at", CU_COL_TIME, KEY, T, c),
        COL("deleted_at", CU_COL_TIME, NEED, T, d),
    };
    struct section sec;
    section_begin(&sec, R, tc, r, cols, N_OF(cols), false,
                  (void *const *)&R->in.cnodes.v, sizeof(T));
    enum cu_next nx;
    while ((nx = section_next(&sec, R->in.cnodes.n)) == CU_ROW) {
        T *n = &NEXT_SLOT(R->in.cnodes);
        *n = (T){0};
        if (section_decode(&sec, n))
            R->in.cnodes.n++;
    }
    return section_end(&sec, nx);
}

static enum cu_next read_instances(struct run *R, cu_reader *r,
                                   struct table_count *tc)
{
    typedef struct inst T;
    enum { GONE_AT = 14 };
    static const struct cu_col cols[] = {
        COL("uuid", CU_COL_STR, KEY | ID, T, uuid),
        COL("created_at", CU_COL_TIME, KEY, T, c),
        COL("deleted_at", CU_COL_TIME, NEED, T, d),
        COL("terminated_at", CU_COL_TIME, NEED, T, term),
        COL("launched_at", CU_COL_TIME, 0, T, launched),
        COL("host", CU_COL_STR, NEED, T, host),
        COL("node", CU_COL_STR, NEED, T, node),
        COL("vcpus", CU_COL_SIZE, NEED, T, vcpus),
        COL("memory_mb", CU_COL_SIZE, NEED, T, mem),
        COL("root_gb", CU_COL_SIZE, NEED, T, root),
        COL("ephemeral_gb", CU_COL_SIZE, 0, T, eph),
        COL("project_id", CU_COL_STR, NEED | ID, T, project),
        COL("user_id", CU_COL_STR, NEED | ID, T, user),
        COL("vm_state", CU_COL_STR, 0, T, vm_state),
        [GONE_AT] = BY_HAND("_gone_at"),
    };
    struct section sec;
    section_begin(&sec, R, tc, r, cols, N_OF(cols), true,
                  (void *const *)&R->in.insts.v, sizeof(T));
    enum cu_next nx;
    while ((nx = section_next(&sec, R->in.insts.n)) == CU_ROW) {
        T *in = &NEXT_SLOT(R->in.insts);
        *in = (T){0};
        if (!section_decode(&sec, in))
            continue;
        cu_time end = in->term != CU_TIME_NULL ? in->term : in->d;
        if (gone_end(&sec, GONE_AT, &end)) {
            in->d = end;
            in->gone = true;
        }
        if (section_row_ok(&sec))
            R->in.insts.n++;
    }
    return section_end(&sec, nx);
}

/* nova.instance_extra (spec false) and nova_api.request_specs (as
 * cu-dump reduces them: flavor, sizes and Blazar's reservation hint). */
static enum cu_next read_extra(struct run *R, cu_reader *r,
                               struct table_count *tc, bool spec)
{
    typedef struct extra T;
    static const struct cu_col extra_cols[] = {
        COL("instance_uuid", CU_COL_STR, KEY | ID, T, uuid),
        COL("flavor_name", CU_COL_STR, ID, T, flavor),
        COL("vcpus", CU_COL_SIZE, 0, T, vcpus),
        COL("memory_mb", CU_COL_SIZE, 0, T, mem),
        COL("root_gb", CU_COL_SIZE, 0, T, root),
        COL("ephemeral_gb", CU_COL_SIZE, 0, T, eph),
    };
    static const struct cu_col spec_cols[] = {
        COL("instance_uuid", CU_COL_STR, KEY | ID, T, uuid),
        COL("flavor_name", CU_COL_STR, ID, T, flavor),
        COL("reservation", CU_COL_STR, NEED, T, reservation),
        COL("vcpus", CU_COL_SIZE, 0, T, vcpus),
        COL("memory_mb", CU_COL_SIZE, 0, T, mem),
        COL("root_gb", CU_COL_SIZE, 0, T, root),
        COL("ephemeral_gb", CU_COL_SIZE, 0, T, eph),
    };
    extras_array *to = spec ? &R->in.rspecs : &R->in.extras;
    struct section sec;
    if (spec)
        section_begin(&sec, R, tc, r, spec_cols, N_OF(spec_cols), true,
                      (void *const *)&to->v, sizeof(T));
    else
        section_begin(&sec, R, tc, r, extra_cols, N_OF(extra_cols), true,
                      (void *const *)&to->v, sizeof(T));
    enum cu_next nx;
    while ((nx = section_next(&sec, to->n)) == CU_ROW) {
        T *e = &NEXT_SLOT(*to);
        *e = (T){0};
        if (section_decode(&sec, e))
            to->n++;
    }
    return section_end(&sec, nx);
}

/* The cell an action's id is unique in: the schema of its table. */
static uint64_t cell_key(struct strings *S, const char *table)
{
    const char *dot = table ? strrchr(table, '.') : NULL;
    sid cell = dot ? intern(S, table, (size_t)(dot - table)) : 0;
    return (uint64_t)cell << 32;
}

static enum cu_next read_actions(struct run *R, cu_reader *r,
                                 struct table_count *tc)
{
    typedef struct action T;
    enum { START = 4, CREATED = 5 };
    static const struct cu_col cols[] = {
        CUSTOM("id", NEED, T, key, decode_action_id),
        COL("instance_uuid", CU_COL_STR, KEY | ID, T, uuid),
        CUSTOM("action", NEED, T, eff, decode_action_effect),
        IS("message", NEED, T, failed, "Error"),
        [START] = COL("start_time", CU_COL_TIME, NEED, T, t),
        [CREATED] = BY_HAND("created_at"),
    };
    uint64_t cell = cell_key(&R->str, cu_reader_table(r));
    struct section sec;
    section_begin(&sec, R, tc, r, cols, N_OF(cols), true,
                  (void *const *)&R->in.actions.v, sizeof(T));
    enum cu_next nx;
    while ((nx = section_next(&sec, R->in.actions.n)) == CU_ROW) {
        T *a = &NEXT_SLOT(R->in.actions);
        *a = (T){0};
        if (!section_decode(&sec, a))
            continue;
        a->key |= cell;
        /* an action without a start time started when it was made */
        if (a->t == CU_TIME_NULL)
            a->t = cu_rows_time(&sec.rows, cu_rows_at(&sec.rows, CREATED));
        if (a->t == CU_TIME_NULL)
            cu_rows_bad(&sec.rows, cu_rows_at(&sec.rows, START),
                        "missing time");
        if (section_row_ok(&sec))
            R->in.actions.n++;
    }
    return section_end(&sec, nx);
}

static enum cu_next read_events(struct run *R, cu_reader *r,
                                struct table_count *tc)
{
    typedef struct event T;
    enum { HOST = 3 };
    static const struct cu_col cols[] = {
        CUSTOM("action_id", NEED, T, akey, decode_action_id),
        CUSTOM("event", NEED, T, place_prio, decode_place_prio),
        CUSTOM("result", NEED, T, error, decode_error),
        [HOST] = {"host", CU_COL_STR, NEED | CU_COL_BY_HAND, 0, NULL, NULL},
    };
    uint64_t cell = cell_key(&R->str, cu_reader_table(r));
    sid last_host = 0;
    struct section sec;
    section_begin(&sec, R, tc, r, cols, N_OF(cols), true,
                  (void *const *)&R->in.events.v, sizeof(T));
    long host_at = cu_rows_at(&sec.rows, HOST);
    enum cu_next nx;
    while ((nx = section_next(&sec, R->in.events.n)) == CU_ROW) {
        T *e = &NEXT_SLOT(R->in.events);
        *e = (T){0};
        if (!section_decode(&sec, e))
            continue;
        e->akey |= cell;
        /* only a compute_* event's host is ever used (apply_events) */
        const cu_field *h = cu_reader_field(r, (size_t)host_at);
        if (e->place_prio > 0 && !cu_field_is_null(h))
            e->host = intern_cached(&R->str, h->s, h->len, &last_host);
        R->in.events.n++;
    }
    return section_end(&sec, nx);
}

/* ---- blazar */

static enum cu_next read_leases(struct run *R, cu_reader *r,
                                struct table_count *tc)
{
    typedef struct lease T;
    static const struct cu_col cols[] = {
        COL("id", CU_COL_STR, KEY | ID, T, id),
        COL("start_date", CU_COL_TIME, KEY, T, start),
        COL("end_date", CU_COL_TIME, KEY, T, end),
        COL("created_at", CU_COL_TIME, NEED, T, c),
        COL("deleted_at", CU_COL_TIME, 0, T, d),
        COL("project_id", CU_COL_STR, NEED | ID, T, project),
        COL("user_id", CU_COL_STR, NEED | ID, T, user),
    };
    struct section sec;
    section_begin(&sec, R, tc, r, cols, N_OF(cols), false,
                  (void *const *)&R->in.leases.v, sizeof(T));
    enum cu_next nx;
    while ((nx = section_next(&sec, R->in.leases.n)) == CU_ROW) {
        T *l = &NEXT_SLOT(R->in.leases);
        *l = (T){0};
        if (section_decode(&sec, l))
            R->in.leases.n++;
    }
    return section_end(&sec, nx);
}

static enum cu_next read_reservations(struct run *R, cu_reader *r,
                                      struct table_count *tc)
{
    typedef struct resv T;
    static const struct cu_col cols[] = {
        COL("id", CU_COL_STR, KEY | ID, T, id),
        COL("lease_id", CU_COL_STR, KEY | ID, T, lease),
        COL("resource_type", CU_COL_STR, NEED, T, type),
        COL("deleted_at", CU_COL_TIME, 0, T, d),
    };
    struct section sec;
    section_begin(&sec, R, tc, r, cols, N_OF(cols), false,
                  (void *const *)&R->in.resvs.v, sizeof(T));
    enum cu_next nx;
    while ((nx = section_next(&sec, R->in.resvs.n)) == CU_ROW) {
        T *v = &NEXT_SLOT(R->in.resvs);
        *v = (T){0};
        if (section_decode(&sec, v))
            R->in.resvs.n++;
    }
    return section_end(&sec, nx);
}

/* blazar.computehosts (device false) and blazar.devices. */
static enum cu_next read_computehosts(struct run *R, cu_reader *r,
                                      struct table_count *tc, bool device)
{
    typedef struct chost T;
    enum { GONE_AT = 4, RESERVABLE = 5 };
    static const struct cu_col host_cols[] = {
        COL("id", CU_COL_STR, KEY, T, id),
        COL("hypervisor_hostname", CU_COL_STR, KEY, T, hh),
        COL("created_at", CU_COL_TIME, KEY, T, c),
        COL("deleted_at", CU_COL_TIME, 0, T, d),
        [GONE_AT] = BY_HAND("_gone_at"),
        COL("vcpus", CU_COL_SIZE, NEED, T, vcpus),
        COL("memory_mb", CU_COL_SIZE, NEED, T, mem),
        COL("local_gb", CU_COL_SIZE, NEED, T, disk),
    };
    static const struct cu_col device_cols[] = {
        COL("id", CU_COL_STR, KEY, T, id),
        COL("name", CU_COL_STR, KEY, T, hh),
        COL("created_at", CU_COL_TIME, KEY, T, c),
        COL("deleted_at", CU_COL_TIME, 0, T, d),
        [GONE_AT] = BY_HAND("_gone_at"),
        [RESERVABLE] = {"reservable", CU_COL_INT, NEED | CU_COL_BY_HAND, 0,
                        NULL, NULL},
    };
    struct section sec;
    if (device)
        section_begin(&sec, R, tc, r, device_cols, N_OF(device_cols), false,
                      (void *const *)&R->in.chosts.v, sizeof(T));
    else
        section_begin(&sec, R, tc, r, host_cols, N_OF(host_cols), false,
                      (void *const *)&R->in.chosts.v, sizeof(T));
    enum cu_next nx;
    while ((nx = section_next(&sec, R->in.chosts.n)) == CU_ROW) {
        T *h = &NEXT_SLOT(R->in.chosts);
        *h = (T){.vcpus = NO_INT, .mem = NO_INT, .disk = NO_INT,
                 .device = device};
        if (!section_decode(&sec, h))
            continue;
        if (device)
            h->unreservable = cu_rows_int(&sec.rows, cu_rows_at(&sec.rows,
                                                                RESERVABLE)) ==
                              0;
        h->gone = gone_end(&sec, GONE_AT, &h->d);
        if (section_row_ok(&sec))
            R->in.chosts.n++;
    }
    return section_end(&sec, nx);
}

/* blazar.computehost_allocations (device false) and
 * blazar.device_allocations. */
static enum cu_next read_allocations(struct run *R, cu_reader *r,
                                     struct table_count *tc, bool device)
{
    typedef struct alloc T;
    enum { GONE_AT = 3 };
    static const struct cu_col host_cols[] = {
        COL("compute_host_id", CU_COL_STR, NEED, T, host_id),
        COL("reservation_id", CU_COL_STR, KEY | ID, T, resv),
        COL("deleted_at", CU_COL_TIME, 0, T, d),
        [GONE_AT] = BY_HAND("_gone_at"),
    };
    static const struct cu_col device_cols[] = {
        COL("device_id", CU_COL_STR, NEED, T, host_id),
        COL("reservation_id", CU_COL_STR, KEY | ID, T, resv),
        COL("deleted_at", CU_COL_TIME, 0, T, d),
        [GONE_AT] = BY_HAND("_gone_at"),
    };
    struct section sec;
    section_begin(&sec, R, tc, r, device ? device_cols : host_cols,
                  N_OF(host_cols), false, (void *const *)&R->in.allocs.v,
                  sizeof(T));
    enum cu_next nx;
    while ((nx = section_next(&sec, R->in.allocs.n)) == CU_ROW) {
        T *a = &NEXT_SLOT(R->in.allocs);
        *a = (T){.device = device};
        if (!section_decode(&sec, a))
            continue;
        a->gone = gone_end(&sec, GONE_AT, &a->d); /* Blazar deleted it */
        if (section_row_ok(&sec))
            R->in.allocs.n++;
    }
    return section_end(&sec, nx);
}

static enum cu_next read_instance_reservations(struct run *R, cu_reader *r,
                                               struct table_count *tc)
{
    typedef struct ires T;
    static const struct cu_col cols[] = {
        COL("reservation_id", CU_COL_STR, KEY | ID, T, resv),
        COL("vcpus", CU_COL_SIZE, NEED, T, vcpus),
        COL("memory_mb", CU_COL_SIZE, NEED, T, mem),
        COL("disk_gb", CU_COL_SIZE, NEED, T, disk),
        COL("amount", CU_COL_SIZE, NEED, T, amount),
    };
    struct section sec;
    section_begin(&sec, R, tc, r, cols, N_OF(cols), false,
                  (void *const *)&R->in.ireses.v, sizeof(T));
    enum cu_next nx;
    while ((nx = section_next(&sec, R->in.ireses.n)) == CU_ROW) {
        T *v = &NEXT_SLOT(R->in.ireses);
        *v = (T){0};
        if (section_decode(&sec, v))
            R->in.ireses.n++;
    }
    return section_end(&sec, nx);
}

/* ---- zun (CHI@Edge): containers, their actions and events */

static enum cu_next read_containers(struct run *R, cu_reader *r,
                                    struct table_count *tc)
{
    typedef struct container T;
    enum { TYPE = 12 };
    static const struct cu_col cols[] = {
        COL("uuid", CU_COL_STR, KEY, T, uuid),
        COL("created_at", CU_COL_TIME, KEY, T, c),
        COL("updated_at", CU_COL_TIME, 0, T, u),
        COL("started_at", CU_COL_TIME, 0, T, started),
        COL("project_id", CU_COL_STR, NEED, T, project),
        COL("user_id", CU_COL_STR, 0, T, user),
        COL("host", CU_COL_STR, NEED, T, host),
        COL("status", CU_COL_STR, NEED, T, status),
        CUSTOM("cpu", NEED, T, vcpus, decode_cpu),
        CUSTOM("memory", NEED, T, mem, decode_memory_mb),
        COL("disk", CU_COL_SIZE, 0, T, disk),
        COL("_gone_at", CU_COL_TIME, 0, T, gone),
        [TYPE] = {"container_type", CU_COL_INT, CU_COL_BY_HAND, 0, NULL,
                  NULL},
    };
    struct section sec;
    section_begin(&sec, R, tc, r, cols, N_OF(cols), false,
                  (void *const *)&R->in.containers.v, sizeof(T));
    enum cu_next nx;
    while ((nx = section_next(&sec, R->in.containers.n)) == CU_ROW) {
        /* a capsule (type 1) holds its containers' sizes and runs on one
           host as one: it is counted, its containers (2, and 3 for init
           containers) are not, so a device is occupied once */
        int64_t type = cu_rows_int(&sec.rows, cu_rows_at(&sec.rows, TYPE));
        if ((type == 2 || type == 3) && !sec.rows.bad) {
            R->st.drops[D_CAPSULE][K_CONTAINER]++;
            continue;
        }
        T *k = &NEXT_SLOT(R->in.containers);
        *k = (T){0};
        if (section_decode(&sec, k))
            R->in.containers.n++;
    }
    return section_end(&sec, nx);
}

static enum cu_next read_container_actions(struct run *R, cu_reader *r,
                                           struct table_count *tc)
{
    typedef struct caction T;
    static const struct cu_col cols[] = {
        COL("id", CU_COL_STR, KEY, T, id),
        COL("container_uuid", CU_COL_STR, KEY, T, uuid),
        CUSTOM("action", NEED, T, eff, decode_caction_effect),
        IS("message", NEED, T, failed, "Error"),
        COL("start_time", CU_COL_TIME, KEY, T, t),
        COL("finish_time", CU_COL_TIME, 0, T, fin),
    };
    struct section sec;
    section_begin(&sec, R, tc, r, cols, N_OF(cols), false,
                  (void *const *)&R->in.cactions.v, sizeof(T));
    enum cu_next nx;
    while ((nx = section_next(&sec, R->in.cactions.n)) == CU_ROW) {
        T *a = &NEXT_SLOT(R->in.cactions);
        *a = (T){0};
        if (section_decode(&sec, a))
            R->in.cactions.n++;
    }
    return section_end(&sec, nx);
}

/* Only the failures matter: the ids of actions with an event in Error. */
static enum cu_next read_container_events(struct run *R, cu_reader *r,
                                          struct table_count *tc)
{
    struct failure {
        sid action;
        bool error;
    };
    typedef struct failure T;
    static const struct cu_col cols[] = {
        COL("action_id", CU_COL_STR, KEY, T, action),
        IS("result", NEED, T, error, "Error"),
    };
    struct section sec;
    section_begin(&sec, R, tc, r, cols, N_OF(cols), false, NULL, sizeof(T));
    enum cu_next nx;
    while ((nx = section_next(&sec, 0)) == CU_ROW) {
        T f = {0};
        if (section_decode(&sec, &f) && f.error)
            PUSH(R->in.cfailed) = f.action;
    }
    return section_end(&sec, nx);
}

static enum cu_next skip_section(cu_reader *r, struct table_count *tc)
{
    enum cu_next nx;
    while ((nx = cu_reader_next(r)) == CU_ROW)
        tc->rows++;
    return nx;
}

static enum cu_next read_section(struct run *R, cu_reader *r)
{
    const char *table = cu_reader_table(r);
    /* (nova's archived rows are rows of the table they came from) */
    const char *t = table ? cu_table_entity_name(table) : "";
    struct table_count *tc =
        table_count_for(&R->st, intern_cstr(&R->str, table ? table : ""));
    tc->used = true;
    if (!strcmp(t, "compute_nodes"))
        return read_compute_nodes(R, r, tc);
    if (!strcmp(t, "instances"))
        return read_instances(R, r, tc);
    if (!strcmp(t, "instance_extra"))
        return read_extra(R, r, tc, false);
    if (!strcmp(t, "request_specs"))
        return read_extra(R, r, tc, true);
    if (!strcmp(t, "instance_actions"))
        return read_actions(R, r, tc);
    if (!strcmp(t, "instance_actions_events"))
        return read_events(R, r, tc);
    if (!strcmp(t, "leases"))
        return read_leases(R, r, tc);
    if (!strcmp(t, "reservations"))
        return read_reservations(R, r, tc);
    if (!strcmp(t, "computehosts"))
        return read_computehosts(R, r, tc, false);
    if (!strcmp(t, "devices"))
        return read_computehosts(R, r, tc, true);
    if (!strcmp(t, "computehost_allocations"))
        return read_allocations(R, r, tc, false);
    if (!strcmp(t, "device_allocations"))
        return read_allocations(R, r, tc, true);
    if (!strcmp(t, "instance_reservations"))
        return read_instance_reservations(R, r, tc);
    if (!strcmp(t, "container"))
        return read_containers(R, r, tc);
    if (!strcmp(t, "container_actions"))
        return read_container_actions(R, r, tc);
    if (!strcmp(t, "container_actions_events"))
        return read_container_events(R, r, tc);
    tc->used = false;
    return skip_section(r, tc);
}

/* What went missing stays visible in --stats. */
static void note_missing(struct stats *st, cu_reader *r)
{
    const struct cu_table_status *ts;
    size_t n = cu_reader_statuses(r, &ts);
    for (size_t i = 0; i < n; i++)
        if (strcmp(ts[i].status, "absent") != 0) {
            st->missing_tables =
                cu_xgrow(st->missing_tables, &st->nmissing_cap,
                         st->nmissing + 1, sizeof *st->missing_tables);
            st->missing_tables[st->nmissing++] =
                cu_xasprintf("%s\t%s", ts[i].table, ts[i].status);
        }
}

void read_all(struct run *R, char **paths, size_t n)
{
    cu_reader *r = cu_reader_open((const char *const *)paths, n, CU_FMT_AUTO);
    enum cu_next nx = cu_reader_next(r);
    while (nx != CU_EOF) {
        if (!cu_reader_table(r))
            cu_die_at(cu_reader_filename(r), cu_reader_lineno(r), 0, NULL,
                      NULL, 0, "a section without a #table directive: "
                      "cu-spans needs to know which table it reads");
        if (nx == CU_ROW)
            cu_die_at(cu_reader_filename(r), cu_reader_lineno(r), 0, NULL,
                      NULL, 0, "internal error: a row outside a section");
        nx = read_section(R, r);
    }
    cu_reader_require(r, needed_tables, N_OF(needed_tables),
                      R->opt->allow_missing, R->opt->nallow_missing,
                      "cu-spans");
    note_missing(&R->st, r);
    cu_reader_close(r);
}
