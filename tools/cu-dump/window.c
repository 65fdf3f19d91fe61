/* Windows: the SQL that keeps a table to --start/--end. */
#include "config.h"

#include "cu-dump.h"

void sb_time_literal(struct sbuf *b, cu_time t)
{
    char buf[CU_TIME_BUFSZ];
    size_t n = cu_time_format(t, buf);
    /* 2024-03-01T12:00:00[.ffffff]Z -> 2024-03-01 12:00:00[.ffffff] */
    buf[10] = ' ';
    buf[n - 1] = '\0';
    sb_literal(b, buf);
}

/* col < end (unknown and zero dates are kept) */
static void cond_before_end(struct sbuf *b, const char *alias, const char *col)
{
    if (opt.end == CU_TIME_NULL) {
        sb_add(b, "TRUE");
        return;
    }
    sb_add(b, "(");
    if (alias)
        sb_printf(b, "%s.", alias);
    sb_ident(b, col);
    sb_add(b, " IS NULL OR ");
    if (alias)
        sb_printf(b, "%s.", alias);
    sb_ident(b, col);
    sb_add(b, " < ");
    sb_time_literal(b, opt.end);
    sb_add(b, ")");
}

/* col > start, NULL (still open) and zero dates kept */
static void cond_after_start(struct sbuf *b, const char *alias,
                             const char *col)
{
    if (opt.start == CU_TIME_NULL) {
        sb_add(b, "TRUE");
        return;
    }
    struct sbuf c = {0};
    if (alias)
        sb_printf(&c, "%s.", alias);
    sb_ident(&c, col);
    sb_printf(b, "(%s IS NULL OR %s < '0001-01-01' OR %s > ", c.s, c.s, c.s);
    sb_time_literal(b, opt.start);
    sb_add(b, ")");
    sb_free(&c);
}

bool have_window(void)
{
    return opt.start != CU_TIME_NULL || opt.end != CU_TIME_NULL;
}

static void cond_instance(struct sbuf *b, const char *alias)
{
    cond_before_end(b, alias, "created_at");
    sb_add(b, " AND ");
    cond_after_start(b, alias, "deleted_at");
    sb_add(b, " AND ");
    cond_after_start(b, alias, "terminated_at");
}

void sb_table(struct sbuf *b, const char *db, const char *table)
{
    sb_ident(b, db);
    sb_addc(b, '.');
    sb_ident(b, table);
}

static void cond_lease(struct sbuf *b, const char *alias)
{
    bool both = opt.start != CU_TIME_NULL && opt.end != CU_TIME_NULL;
    if (opt.end != CU_TIME_NULL) {
        sb_printf(b, "%s.`start_date` < ", alias);
        sb_time_literal(b, opt.end);
    }
    if (both)
        sb_add(b, " AND ");
    if (opt.start != CU_TIME_NULL) {
        sb_printf(b, "%s.`end_date` > ", alias);
        sb_time_literal(b, opt.start);
    }
}

/* The ids a window keeps of a table: those its own condition keeps, or
 * those whose parent_col names a row its parent keeps. */
struct subquery {
    const char *table, *alias, *id;
    void (*cond)(struct sbuf *b, const char *alias); /* NULL: by parent */
    const char *parent_col;
    const struct subquery *parent;
};

static const struct subquery instances_kept = {"instances", "i", "uuid",
                                               cond_instance, NULL, NULL};
static const struct subquery actions_kept = {
    "instance_actions", "a", "id", NULL, "instance_uuid", &instances_kept};
static const struct subquery leases_kept = {"leases", "l", "id", cond_lease,
                                            NULL, NULL};
static const struct subquery reservations_kept = {
    "reservations", "r", "id", NULL, "lease_id", &leases_kept};

/* "SELECT a.`id` FROM db.table a WHERE ..." (a: the alias) */
static void subquery_sql(struct sbuf *b, const char *db,
                         const struct subquery *q)
{
    sb_printf(b, "SELECT %s.`%s` FROM ", q->alias, q->id);
    sb_table(b, db, q->table);
    sb_printf(b, " %s WHERE ", q->alias);
    if (q->cond) {
        q->cond(b, q->alias);
        return;
    }
    sb_printf(b, "%s.`%s` IN (", q->alias, q->parent_col);
    subquery_sql(b, db, q->parent);
    sb_addc(b, ')');
}

/* The filters that keep a table's rows by a column naming what another
 * table keeps. */
static const struct {
    const char *col;
    const struct subquery *q;
} kept_by[] = {
    [F_BY_INSTANCE] = {"instance_uuid", &instances_kept},
    [F_BY_ACTION] = {"action_id", &actions_kept},
    [F_BY_LEASE] = {"lease_id", &leases_kept},
    [F_BY_RESERVATION] = {"reservation_id", &reservations_kept},
};

/* " WHERE `col` IN (the ids q keeps)" */
static void where_in(struct sbuf *b, const char *col,
                     const struct subquery *q, const char *db)
{
    sb_printf(b, " WHERE `%s` IN (", col);
    subquery_sql(b, db, q);
    sb_addc(b, ')');
}

/* The WHERE clause of a job under --start/--end (empty: every row). The
 * filters err on the side of keeping: a consumer clips, it cannot invent.
 * Flavor extra specs are cut to the keys that count GPUs, window or not:
 * the others hold reservation ids and scheduler hints no report reads. */
void window_filter(struct sbuf *b, const struct job *j,
                   const struct job *jobs, size_t njobs)
{
    if (j->spec && j->spec->filter == F_GPU_KEYS) {
        sb_add(b, " WHERE `key` IN ('pci_passthrough:alias', "
                  "'resources:VGPU')");
        return;
    }
    if (!have_window() || !j->spec)
        return;
    switch (j->spec->filter) {
    case F_NONE:
        return;
    case F_BY_INSTANCE:
    case F_BY_ACTION:
    case F_BY_LEASE:
    case F_BY_RESERVATION:
        where_in(b, kept_by[j->spec->filter].col, kept_by[j->spec->filter].q,
                 j->db);
        return;
    case F_INSTANCE:
        sb_add(b, " WHERE ");
        cond_instance(b, NULL);
        return;
    case F_BY_CELL_INSTANCE: {
        sb_add(b, " WHERE `instance_uuid` IN (");
        bool any = false;
        for (size_t k = 0; k < njobs; k++)
            if (jobs[k].spec && jobs[k].spec->role == R_NOVA &&
                strcmp(jobs[k].table, "instances") == 0 &&
                (jobs[k].status == S_OK || jobs[k].status == S_PENDING)) {
                if (any)
                    sb_add(b, " UNION ALL ");
                subquery_sql(b, jobs[k].db, &instances_kept);
                any = true;
            }
        if (!any) { /* -t request_specs alone: every cell named */
            for (size_t c = 0; c < opt.nova_dbs.n; c++) {
                if (c)
                    sb_add(b, " UNION ALL ");
                subquery_sql(b, opt.nova_dbs.v[c], &instances_kept);
            }
        }
        sb_add(b, ")");
        return;
    }
    case F_EXISTS:
        sb_add(b, " WHERE ");
        cond_before_end(b, NULL, "created_at");
        if (j->has_deleted_at) {
            sb_add(b, " AND ");
            cond_after_start(b, NULL, "deleted_at");
        }
        return;
    case F_LEASE:
        sb_add(b, " WHERE ");
        cond_lease(b, "`leases`");
        return;
    case F_CREATED:
        sb_add(b, " WHERE ");
        cond_before_end(b, NULL, "created_at");
        return;
    case F_GPU_KEYS: /* above */
        return;
    }
}

void select_sql(struct sbuf *b, const struct job *j,
                const struct job *jobs, size_t njobs)
{
    sb_add(b, "SELECT ");
    for (size_t i = 0; i < j->sel.n; i++) {
        if (i)
            sb_addc(b, ',');
        sb_ident(b, j->sel.v[i]);
    }
    sb_add(b, " FROM ");
    sb_table(b, j->db, j->table);
    window_filter(b, j, jobs, njobs);
}
