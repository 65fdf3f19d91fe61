/* cu-spans: reading. Each table cu-spans reads is a list of its columns
 * (lib/columns: name, type, required or not, where in the record) and a
 * rule (hooks for what a list cannot say); the readers table gives each
 * table its rule and record array, read_records decodes any of them, and
 * read_all takes the sections in whatever order they come. */
#include "config.h"

#include <stdio.h>

#include "columns.h"
#include "error.h"
#include "hex.h"
#include "spans.h"

enum { MAX_SKIP_MESSAGES = 1000 };

/* One section being read: the run, its table's counts, the queue of ids
 * waiting to be interned into the records of one array, and what a
 * table's own rule keeps from row to row. */
struct section {
    struct run *R;
    struct table_count *tc;
    struct cu_rows rows;
    struct lagq lag;
    size_t idx;    /* the element the current row goes to */
    uint64_t cell; /* instance_actions(_events): the cell's key */
    sid last;      /* instance_actions_events: the previous row's host */
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
    if ((flags & CU_COL_DEFER) && cu_hex_id(f->s, f->len, &hi, &lo)) {
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

static enum cu_next section_end(struct section *sec, enum cu_next nx)
{
    lag_flush(&sec->lag);
    cu_rows_unbind(&sec->rows);
    return nx;
}

/* The cell an action's id is unique in: the schema of its table. */
static uint64_t cell_key(struct strings *S, const char *table)
{
    const char *dot = table ? strrchr(table, '.') : NULL;
    sid cell = dot ? intern(S, table, (size_t)(dot - table)) : 0;
    return (uint64_t)cell << 32;
}

/* How a table's rows become records. */
struct table_rule {
    const struct cu_col *cols;
    size_t ncols;
    bool only;         /* a wide table: decode these columns only */
    bool cells;        /* ids unique per cell: set sec->cell */
    const void *proto; /* a new record before decoding (NULL: zeroes) */
    /* before decoding: true for a row that makes no record */
    bool (*skip)(struct section *sec);
    /* after decoding a good row: what the list cannot say; false (a field
       reported bad through sec->rows) drops the row */
    bool (*finish)(struct section *sec, void *rec);
};

/* The record arrays (ARRAY_OF) share one layout: read_records grows any
 * of them through this view, copied in and out, so that no pointer is
 * written through an lvalue of another type. */
struct vec {
    void *v;
    size_t n, cap;
};

enum { RECORD_MAX = 128 }; /* bytes: the largest record, with room */

/* Read a section into *array (an ARRAY_OF of elem-byte records): each row
 * a new record, kept when no field is bad. */
static enum cu_next read_records(struct run *R, cu_reader *r,
                                 struct table_count *tc,
                                 const struct table_rule *t, void *array,
                                 size_t elem)
{
    struct vec a;
    memcpy(&a, array, sizeof a);
    struct section sec;
    section_begin(&sec, R, tc, r, t->cols, t->ncols, t->only,
                  (void *const *)&a.v, elem);
    if (t->cells)
        sec.cell = cell_key(&R->str, cu_reader_table(r));
    /* a row is decoded where it is hot, and copied once into the array
       (a fresh line there costs a miss, better paid once); the ids it
       queued are filled in later, in the array: a row queues fewer than
       LAG, so none of them is resolved before the copy */
    union {
        max_align_t align;
        char bytes[RECORD_MAX];
    } rec;
    if (elem > sizeof rec.bytes)
        cu_die(CU_EXIT_DATA, "internal error: a record of %zu bytes", elem);
    enum cu_next nx;
    while ((nx = section_next(&sec, a.n)) == CU_ROW) {
        if (t->skip && t->skip(&sec))
            continue;
        if (t->proto)
            memcpy(rec.bytes, t->proto, elem);
        else
            memset(rec.bytes, 0, elem);
        bool keep = cu_rows_decode(&sec.rows, rec.bytes) &&
                    (!t->finish || t->finish(&sec, rec.bytes));
        if (!keep) {
            lag_forget(&sec.lag, sec.idx); /* its ids are not wanted */
            continue;
        }
        if (a.n == a.cap)
            a.v = cu_big_grow(a.v, &a.cap, a.n + 1, elem);
        memcpy((char *)a.v + a.n++ * elem, rec.bytes, elem);
    }
    section_end(&sec, nx);
    memcpy(array, &a, sizeof a);
    return nx;
}

#define N_OF(a) (sizeof (a) / sizeof *(a))
#define COL(name, type, flags, T, field)                                   \
    {name, type, flags, offsetof(T, field), NULL, NULL}
#define NEED CU_COL_NEED
#define KEY (CU_COL_NEED | CU_COL_KEY)
#define ID CU_COL_DEFER

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

static const struct cu_col compute_nodes_cols[] = {
    COL("hypervisor_hostname", CU_COL_STR, KEY, struct cnode, hh),
    COL("host", CU_COL_STR, NEED, struct cnode, svc),
    IS("hypervisor_type", NEED, struct cnode, ironic, "ironic"),
    COL("vcpus", CU_COL_SIZE, NEED, struct cnode, vcpus),
    COL("memory_mb", CU_COL_SIZE, NEED, struct cnode, mem),
    COL("local_gb", CU_COL_SIZE, NEED, struct cnode, disk),
    COL("created_at", CU_COL_TIME, KEY, struct cnode, c),
    COL("deleted_at", CU_COL_TIME, NEED, struct cnode, d),
};
static const struct table_rule compute_nodes_rule = {
    .cols = compute_nodes_cols, .ncols = N_OF(compute_nodes_cols)};

enum { INST_GONE_AT = 14 };

/* An instance whose row left the history ends where the last snapshot
 * that had it was taken, unless it has an end of its own. */
static bool finish_instance(struct section *sec, void *rec)
{
    struct inst *in = rec;
    cu_time end = in->term != CU_TIME_NULL ? in->term : in->d;
    if (gone_end(sec, INST_GONE_AT, &end)) {
        in->d = end;
        in->gone = true;
    }
    return !sec->rows.bad;
}

static const struct cu_col instances_cols[] = {
    COL("uuid", CU_COL_STR, KEY | ID, struct inst, uuid),
    COL("created_at", CU_COL_TIME, KEY, struct inst, c),
    COL("deleted_at", CU_COL_TIME, NEED, struct inst, d),
    COL("terminated_at", CU_COL_TIME, NEED, struct inst, term),
    COL("launched_at", CU_COL_TIME, 0, struct inst, launched),
    COL("host", CU_COL_STR, NEED, struct inst, host),
    COL("node", CU_COL_STR, NEED, struct inst, node),
    COL("vcpus", CU_COL_SIZE, NEED, struct inst, vcpus),
    COL("memory_mb", CU_COL_SIZE, NEED, struct inst, mem),
    COL("root_gb", CU_COL_SIZE, NEED, struct inst, root),
    COL("ephemeral_gb", CU_COL_SIZE, 0, struct inst, eph),
    COL("project_id", CU_COL_STR, NEED | ID, struct inst, project),
    COL("user_id", CU_COL_STR, NEED | ID, struct inst, user),
    COL("vm_state", CU_COL_STR, 0, struct inst, vm_state),
    [INST_GONE_AT] = BY_HAND("_gone_at"),
};
static const struct table_rule instances_rule = {.cols = instances_cols,
                                                 .ncols = N_OF(instances_cols),
                                                 .only = true,
                                                 .finish = finish_instance};

/* nova.instance_extra and nova_api.request_specs (as cu-dump reduces
 * them: flavor, sizes and Blazar's reservation hint). */
static const struct cu_col extra_cols[] = {
    COL("instance_uuid", CU_COL_STR, KEY | ID, struct extra, uuid),
    COL("flavor_name", CU_COL_STR, 0, struct extra, flavor),
    COL("vcpus", CU_COL_SIZE, 0, struct extra, vcpus),
    COL("memory_mb", CU_COL_SIZE, 0, struct extra, mem),
    COL("root_gb", CU_COL_SIZE, 0, struct extra, root),
    COL("ephemeral_gb", CU_COL_SIZE, 0, struct extra, eph),
};
static const struct cu_col extra_spec_cols[] = {
    COL("instance_uuid", CU_COL_STR, KEY | ID, struct extra, uuid),
    COL("flavor_name", CU_COL_STR, 0, struct extra, flavor),
    COL("reservation", CU_COL_STR, NEED, struct extra, reservation),
    COL("vcpus", CU_COL_SIZE, 0, struct extra, vcpus),
    COL("memory_mb", CU_COL_SIZE, 0, struct extra, mem),
    COL("root_gb", CU_COL_SIZE, 0, struct extra, root),
    COL("ephemeral_gb", CU_COL_SIZE, 0, struct extra, eph),
};
static const struct table_rule instance_extra_rule = {
    .cols = extra_cols, .ncols = N_OF(extra_cols), .only = true};
static const struct table_rule request_specs_rule = {
    .cols = extra_spec_cols, .ncols = N_OF(extra_spec_cols), .only = true};

enum { ACTION_START = 4, ACTION_CREATED = 5 };

/* An action's id is unique in its cell; an action without a start time
 * started when it was made. */
static bool finish_action(struct section *sec, void *rec)
{
    struct action *a = rec;
    struct cu_rows *rows = &sec->rows;
    a->key |= sec->cell;
    if (a->t == CU_TIME_NULL)
        a->t = cu_rows_time(rows, cu_rows_at(rows, ACTION_CREATED));
    if (a->t == CU_TIME_NULL)
        cu_rows_bad(rows, cu_rows_at(rows, ACTION_START), "missing time");
    return !rows->bad;
}

static const struct cu_col actions_cols[] = {
    CUSTOM("id", NEED, struct action, key, decode_action_id),
    COL("instance_uuid", CU_COL_STR, KEY | ID, struct action, uuid),
    CUSTOM("action", NEED, struct action, eff, decode_action_effect),
    IS("message", NEED, struct action, failed, "Error"),
    [ACTION_START] = COL("start_time", CU_COL_TIME, NEED, struct action, t),
    [ACTION_CREATED] = BY_HAND("created_at"),
};
static const struct table_rule instance_actions_rule = {
    .cols = actions_cols,
    .ncols = N_OF(actions_cols),
    .only = true,
    .cells = true,
    .finish = finish_action};

enum { EVENT_HOST = 3 };

/* Only a compute_* event's host is ever used (apply_events); the hosts of
 * one action's events repeat from row to row. */
static bool finish_event(struct section *sec, void *rec)
{
    struct event *e = rec;
    e->akey |= sec->cell;
    const cu_field *h = cu_reader_field(
        sec->rows.r, (size_t)cu_rows_at(&sec->rows, EVENT_HOST));
    if (e->place_prio > 0 && !cu_field_is_null(h))
        e->host = intern_cached(&sec->R->str, h->s, h->len, &sec->last);
    return true;
}

static const struct cu_col events_cols[] = {
    CUSTOM("action_id", NEED, struct event, akey, decode_action_id),
    CUSTOM("event", NEED, struct event, place_prio, decode_place_prio),
    CUSTOM("result", NEED, struct event, error, decode_error),
    [EVENT_HOST] = {"host", CU_COL_STR, NEED | CU_COL_BY_HAND, 0, NULL, NULL},
};
static const struct table_rule instance_actions_events_rule = {
    .cols = events_cols,
    .ncols = N_OF(events_cols),
    .only = true,
    .cells = true,
    .finish = finish_event};

/* ---- blazar */

static const struct cu_col leases_cols[] = {
    COL("id", CU_COL_STR, KEY | ID, struct lease, id),
    COL("start_date", CU_COL_TIME, KEY, struct lease, start),
    COL("end_date", CU_COL_TIME, KEY, struct lease, end),
    COL("created_at", CU_COL_TIME, NEED, struct lease, c),
    COL("deleted_at", CU_COL_TIME, 0, struct lease, d),
    COL("project_id", CU_COL_STR, NEED | ID, struct lease, project),
    COL("user_id", CU_COL_STR, NEED | ID, struct lease, user),
};
static const struct table_rule leases_rule = {.cols = leases_cols,
                                              .ncols = N_OF(leases_cols)};

static const struct cu_col reservations_cols[] = {
    COL("id", CU_COL_STR, KEY | ID, struct resv, id),
    COL("lease_id", CU_COL_STR, KEY | ID, struct resv, lease),
    COL("resource_type", CU_COL_STR, NEED, struct resv, type),
    COL("deleted_at", CU_COL_TIME, 0, struct resv, d),
};
static const struct table_rule reservations_rule = {
    .cols = reservations_cols, .ncols = N_OF(reservations_cols)};

enum { HOST_GONE_AT = 4, DEVICE_RESERVABLE = 5 };

static bool finish_host(struct section *sec, void *rec)
{
    struct chost *h = rec;
    h->gone = gone_end(sec, HOST_GONE_AT, &h->d);
    return !sec->rows.bad;
}

/* A device Blazar does not offer (reservable 0) still exists. */
static bool finish_device(struct section *sec, void *rec)
{
    struct chost *h = rec;
    long at = cu_rows_at(&sec->rows, DEVICE_RESERVABLE);
    h->unreservable = cu_rows_int(&sec->rows, at) == 0;
    return finish_host(sec, rec);
}

/* blazar.computehosts and blazar.devices. */
static const struct cu_col computehosts_host_cols[] = {
    COL("id", CU_COL_STR, KEY, struct chost, id),
    COL("hypervisor_hostname", CU_COL_STR, KEY, struct chost, hh),
    COL("created_at", CU_COL_TIME, KEY, struct chost, c),
    COL("deleted_at", CU_COL_TIME, 0, struct chost, d),
    [HOST_GONE_AT] = BY_HAND("_gone_at"),
    COL("vcpus", CU_COL_SIZE, NEED, struct chost, vcpus),
    COL("memory_mb", CU_COL_SIZE, NEED, struct chost, mem),
    COL("local_gb", CU_COL_SIZE, NEED, struct chost, disk),
};
static const struct cu_col computehosts_device_cols[] = {
    COL("id", CU_COL_STR, KEY, struct chost, id),
    COL("name", CU_COL_STR, KEY, struct chost, hh),
    COL("created_at", CU_COL_TIME, KEY, struct chost, c),
    COL("deleted_at", CU_COL_TIME, 0, struct chost, d),
    [HOST_GONE_AT] = BY_HAND("_gone_at"),
    [DEVICE_RESERVABLE] = {"reservable", CU_COL_INT, NEED | CU_COL_BY_HAND, 0,
                           NULL, NULL},
};
static const struct chost computehosts_device_proto = {
    .vcpus = NO_INT, .mem = NO_INT, .disk = NO_INT, .device = true};
static const struct table_rule computehosts_rule = {
    .cols = computehosts_host_cols,
    .ncols = N_OF(computehosts_host_cols),
    .finish = finish_host};
static const struct table_rule devices_rule = {
    .cols = computehosts_device_cols,
    .ncols = N_OF(computehosts_device_cols),
    .proto = &computehosts_device_proto,
    .finish = finish_device};

enum { ALLOC_GONE_AT = 3 };

/* An allocation upstream Blazar deleted ends at the last snapshot. */
static bool finish_alloc(struct section *sec, void *rec)
{
    struct alloc *a = rec;
    a->gone = gone_end(sec, ALLOC_GONE_AT, &a->d);
    return !sec->rows.bad;
}

/* blazar.computehost_allocations and
 * blazar.device_allocations. */
static const struct cu_col allocations_host_cols[] = {
    COL("compute_host_id", CU_COL_STR, NEED, struct alloc, host_id),
    COL("reservation_id", CU_COL_STR, KEY | ID, struct alloc, resv),
    COL("deleted_at", CU_COL_TIME, 0, struct alloc, d),
    [ALLOC_GONE_AT] = BY_HAND("_gone_at"),
};
static const struct cu_col allocations_device_cols[] = {
    COL("device_id", CU_COL_STR, NEED, struct alloc, host_id),
    COL("reservation_id", CU_COL_STR, KEY | ID, struct alloc, resv),
    COL("deleted_at", CU_COL_TIME, 0, struct alloc, d),
    [ALLOC_GONE_AT] = BY_HAND("_gone_at"),
};
static const struct alloc allocations_device_proto = {.device = true};
static const struct table_rule computehost_allocations_rule = {
    .cols = allocations_host_cols,
    .ncols = N_OF(allocations_host_cols),
    .finish = finish_alloc};
static const struct table_rule device_allocations_rule = {
    .cols = allocations_device_cols,
    .ncols = N_OF(allocations_device_cols),
    .proto = &allocations_device_proto,
    .finish = finish_alloc};

static const struct cu_col instance_reservations_cols[] = {
    COL("reservation_id", CU_COL_STR, KEY | ID, struct ires, resv),
    COL("vcpus", CU_COL_SIZE, NEED, struct ires, vcpus),
    COL("memory_mb", CU_COL_SIZE, NEED, struct ires, mem),
    COL("disk_gb", CU_COL_SIZE, NEED, struct ires, disk),
    COL("amount", CU_COL_SIZE, NEED, struct ires, amount),
};
static const struct table_rule instance_reservations_rule = {
    .cols = instance_reservations_cols,
    .ncols = N_OF(instance_reservations_cols)};

/* ---- zun (CHI@Edge): containers, their actions and events */

enum { CONTAINER_TYPE = 12 };

/* A capsule (type 1) holds its containers' sizes and runs on one host as
 * one: it is counted, its containers (2, and 3 for init containers) are
 * not, so that a device is occupied once. */
static bool capsule_member(struct section *sec)
{
    struct cu_rows *rows = &sec->rows;
    int64_t type = cu_rows_int(rows, cu_rows_at(rows, CONTAINER_TYPE));
    if ((type == 2 || type == 3) && !rows->bad) {
        sec->R->st.drops[D_CAPSULE][K_CONTAINER]++;
        return true;
    }
    return false;
}

static const struct cu_col containers_cols[] = {
    COL("uuid", CU_COL_STR, KEY, struct container, uuid),
    COL("created_at", CU_COL_TIME, KEY, struct container, c),
    COL("updated_at", CU_COL_TIME, 0, struct container, u),
    COL("started_at", CU_COL_TIME, 0, struct container, started),
    COL("project_id", CU_COL_STR, NEED, struct container, project),
    COL("user_id", CU_COL_STR, 0, struct container, user),
    COL("host", CU_COL_STR, NEED, struct container, host),
    COL("status", CU_COL_STR, NEED, struct container, status),
    CUSTOM("cpu", NEED, struct container, vcpus, decode_cpu),
    CUSTOM("memory", NEED, struct container, mem, decode_memory_mb),
    COL("disk", CU_COL_SIZE, 0, struct container, disk),
    COL("_gone_at", CU_COL_TIME, 0, struct container, gone),
    [CONTAINER_TYPE] = {"container_type", CU_COL_INT, CU_COL_BY_HAND, 0, NULL,
                        NULL},
};
static const struct table_rule container_rule = {.cols = containers_cols,
                                                 .ncols =
                                                     N_OF(containers_cols),
                                                 .skip = capsule_member};

static const struct cu_col container_actions_cols[] = {
    COL("id", CU_COL_STR, KEY, struct caction, id),
    COL("container_uuid", CU_COL_STR, KEY, struct caction, uuid),
    CUSTOM("action", NEED, struct caction, eff, decode_caction_effect),
    IS("message", NEED, struct caction, failed, "Error"),
    COL("start_time", CU_COL_TIME, KEY, struct caction, t),
    COL("finish_time", CU_COL_TIME, 0, struct caction, fin),
};
static const struct table_rule container_actions_rule = {
    .cols = container_actions_cols, .ncols = N_OF(container_actions_cols)};

enum { CEVENT_RESULT = 1 };

/* Only the failures matter: the ids of actions with an event in Error. */
static bool finish_failure(struct section *sec, void *rec)
{
    (void)rec;
    long at = cu_rows_at(&sec->rows, CEVENT_RESULT);
    return cu_field_equals(cu_reader_field(sec->rows.r, (size_t)at), "Error");
}

static const struct cu_col container_events_cols[] = {
    {"action_id", CU_COL_STR, KEY, 0, NULL, NULL}, /* the record: a sid */
    [CEVENT_RESULT] = {"result", CU_COL_STR, NEED | CU_COL_BY_HAND, 0, NULL,
                       NULL},
};
static const struct table_rule container_actions_events_rule = {
    .cols = container_events_cols,
    .ncols = N_OF(container_events_cols),
    .finish = finish_failure};

static enum cu_next skip_section(cu_reader *r, struct table_count *tc)
{
    enum cu_next nx;
    while ((nx = cu_reader_next(r)) == CU_ROW)
        tc->rows++;
    return nx;
}

/* The record array of struct input a table's rows go to: where it is,
 * and how large its records are. */
#define INTO(array)                                                         \
    offsetof(struct input, array), sizeof *((struct input *)0)->array.v

/* The tables cu-spans reads (by their name without the schema), and how.
 * One the input says it could not deliver (denied, missing, failed) stops
 * the run unless --allow-missing names it; cu-spans(1) lists them. */
static const struct {
    const char *table;
    const struct table_rule *rule;
    size_t array, elem; /* INTO */
} readers[] = {
    {"compute_nodes", &compute_nodes_rule, INTO(cnodes)},
    {"instances", &instances_rule, INTO(insts)},
    {"instance_extra", &instance_extra_rule, INTO(extras)},
    {"request_specs", &request_specs_rule, INTO(rspecs)},
    {"instance_actions", &instance_actions_rule, INTO(actions)},
    {"instance_actions_events", &instance_actions_events_rule, INTO(events)},
    {"leases", &leases_rule, INTO(leases)},
    {"reservations", &reservations_rule, INTO(resvs)},
    {"computehosts", &computehosts_rule, INTO(chosts)},
    {"devices", &devices_rule, INTO(chosts)},
    {"computehost_allocations", &computehost_allocations_rule, INTO(allocs)},
    {"device_allocations", &device_allocations_rule, INTO(allocs)},
    {"instance_reservations", &instance_reservations_rule, INTO(ireses)},
    {"container", &container_rule, INTO(containers)},
    {"container_actions", &container_actions_rule, INTO(cactions)},
    {"container_actions_events", &container_actions_events_rule,
     INTO(cfailed)},
};

static enum cu_next read_section(struct run *R, cu_reader *r)
{
    const char *table = cu_reader_table(r);
    /* (nova's archived rows are rows of the table they came from) */
    const char *t = table ? cu_table_entity_name(table) : "";
    struct table_count *tc =
        table_count_for(&R->st, intern_cstr(&R->str, table ? table : ""));
    for (size_t i = 0; i < N_OF(readers); i++)
        if (!strcmp(t, readers[i].table)) {
            tc->used = true;
            return read_records(R, r, tc, readers[i].rule,
                                (char *)&R->in + readers[i].array,
                                readers[i].elem);
        }
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
    const char *needed[N_OF(readers)];
    for (size_t i = 0; i < N_OF(readers); i++)
        needed[i] = readers[i].table;
    cu_reader_require(r, needed, N_OF(needed), R->opt->allow_missing.v,
                      R->opt->allow_missing.n, "cu-spans");
    note_missing(&R->st, r);
    cu_reader_close(r);
}
