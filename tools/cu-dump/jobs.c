/* Jobs: one per table to read, and the discovery of what the server
 * has. */
#include "config.h"

#include "cu-dump.h"

const char *const status_names[] = {
    "pending", "ok", "missing", "absent", "denied", "failed", "not_dumped"};

static const char *role_db(enum role r, size_t cell)
{
    switch (r) {
    case R_NOVA: return opt.nova_dbs.v[cell];
    case R_NOVA_API: return opt.nova_api_db;
    case R_BLAZAR: return opt.blazar_db;
    case R_KEYSTONE: return opt.keystone_db;
    case R_ZUN: return opt.zun_db;
    }
    return NULL;
}

void job_init(struct job *j, const struct tablespec *spec,
              const char *db, const char *table)
{
    memset(j, 0, sizeof *j);
    j->spec = spec;
    j->db = cu_xstrdup(db);
    j->table = cu_xstrdup(table);
    struct sbuf n = {0};
    sb_printf(&n, "%s.%s", db, table);
    j->name = n.s;
    j->started = j->finished = CU_TIME_NULL;
}

void add_note(struct job *j, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (j->notes.len)
        sb_add(&j->notes, "; ");
    sb_add(&j->notes, buf);
}

/* Does a -t argument select this job? `table`, `db.table`. */
static bool table_arg_matches(const char *arg, const struct job *j)
{
    return strcmp(arg, j->name) == 0 || strcmp(arg, j->table) == 0;
}

/* The jobs of a run: the catalog (every cell for nova tables), restricted
 * by -t; -t names outside the catalog need --all-columns. */
struct job *plan_jobs(size_t *njobs)
{
    struct job *jobs = NULL;
    size_t n = 0, cap = 0;
    for (size_t c = 0; c < NCATALOG; c++) {
        const struct tablespec *t = &catalog[c];
        size_t ncells = t->role == R_NOVA ? opt.nova_dbs.n : 1;
        for (size_t cell = 0; cell < ncells; cell++) {
            jobs = cu_xgrow(jobs, &cap, n + 1, sizeof *jobs);
            job_init(&jobs[n], t, role_db(t->role, cell), t->table);
            n++;
        }
    }
    if (opt.tables.n == 0) {
        *njobs = n;
        return jobs;
    }
    /* keep the selected, in catalog order; then the extra tables */
    bool *used = cu_xcalloc(opt.tables.n, sizeof *used);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        bool sel = false;
        for (size_t a = 0; a < opt.tables.n; a++)
            if (table_arg_matches(opt.tables.v[a], &jobs[i]))
                sel = used[a] = true;
        if (sel)
            jobs[kept++] = jobs[i];
        else {
            cu_free_all(jobs[i].db, jobs[i].table, jobs[i].name);
        }
    }
    n = kept;
    for (size_t a = 0; a < opt.tables.n; a++) {
        if (used[a])
            continue;
        const char *arg = opt.tables.v[a];
        const char *dot = strchr(arg, '.');
        if (!dot || dot == arg || !dot[1] || strchr(dot + 1, '.'))
            cu_usage_error("-t %s: not a table cu-dump knows; give "
                           "SCHEMA.TABLE with --all-columns to read any "
                           "table",
                           arg);
        if (!opt.all_columns)
            cu_usage_error("-t %s: cu-dump has no column list for this "
                           "table: add --all-columns to read all its "
                           "columns",
                           arg);
        char *db = cu_xstrndup(arg, (size_t)(dot - arg));
        jobs = cu_xgrow(jobs, &cap, n + 1, sizeof *jobs);
        job_init(&jobs[n++], NULL, db, dot + 1);
        free(db);
    }
    free(used);
    *njobs = n;
    return jobs;
}

static void query_columns(struct session *se, struct job *jobs, size_t n,
                          struct catalog_seen *seen)
{
    struct sbuf q = {0};
    sb_add(&q, "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME FROM "
               "information_schema.COLUMNS WHERE TABLE_SCHEMA IN (");
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_addc(&q, ',');
        sb_literal(&q, jobs[i].db);
    }
    sb_add(&q, ") AND TABLE_NAME IN (");
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_addc(&q, ',');
        sb_literal(&q, jobs[i].table);
    }
    sb_add(&q, ") ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION");
    MYSQL_RES *res =
        query_result(se, &q, false, "reading information_schema.COLUMNS");
    size_t cap = 0;
    seen->n = 0;
    seen->cols = NULL;
    MYSQL_ROW row;
    while ((row = mysql_fetch_row(res))) {
        seen->cols = cu_xgrow(seen->cols, &cap, seen->n + 1, sizeof *seen->cols);
        struct catcol *c = &seen->cols[seen->n++];
        c->schema = cu_xstrdup(row[0]);
        c->table = cu_xstrdup(row[1]);
        c->column = cu_xstrdup(row[2]);
    }
    mysql_free_result(res);
}

static void free_seen(struct catalog_seen *seen)
{
    for (size_t i = 0; i < seen->n; i++) {
        cu_free_all(seen->cols[i].schema, seen->cols[i].table,
                    seen->cols[i].column);
    }
    free(seen->cols);
}

static bool seen_has(const struct catalog_seen *seen, const struct job *j,
                     const char *col)
{
    for (size_t i = 0; i < seen->n; i++)
        if (strcmp(seen->cols[i].schema, j->db) == 0 &&
            strcmp(seen->cols[i].table, j->table) == 0 &&
            (!col || strcmp(seen->cols[i].column, col) == 0))
            return true;
    return false;
}

/* Ask the server what stops us reading db.table(col): 0 if nothing. */
static unsigned probe(struct session *se, const struct job *j,
                      const char *col)
{
    struct sbuf q = {0};
    sb_add(&q, "SELECT ");
    if (col)
        sb_ident(&q, col);
    else
        sb_addc(&q, '1');
    sb_add(&q, " FROM ");
    sb_ident(&q, j->db);
    sb_addc(&q, '.');
    sb_ident(&q, j->table);
    sb_add(&q, " LIMIT 0");
    unsigned err = 0;
    if (mysql_real_query(se->m, q.s, q.len) != 0)
        err = mysql_errno(se->m);
    else {
        MYSQL_RES *res = mysql_store_result(se->m);
        if (res)
            mysql_free_result(res);
    }
    sb_free(&q);
    if (err == CR_SERVER_LOST || err == CR_SERVER_GONE_ERROR)
        die_sql(se, "probing tables");
    return err;
}

bool is_denied(unsigned err)
{
    return err == ER_TABLEACCESS_DENIED_ERROR ||
           err == ER_COLUMNACCESS_DENIED_ERROR ||
           err == ER_DBACCESS_DENIED_ERROR || err == ER_ACCESS_DENIED_ERROR;
}

/* 'user'@'host' for a GRANT, from CURRENT_USER()'s user@host. */
static void grantee(struct sbuf *b, const char *user, const char *host)
{
    sb_literal(b, user);
    sb_addc(b, '@');
    sb_literal(b, host ? host : "%");
}

void grant_statement(struct sbuf *b, const struct job *j,
                     const char *const *cols, size_t ncols,
                     const char *user, const char *host)
{
    sb_add(b, "GRANT SELECT");
    if (cols) {
        sb_add(b, " (");
        for (size_t i = 0; i < ncols; i++) {
            if (i)
                sb_add(b, ", ");
            sb_ident(b, cols[i]);
        }
        sb_addc(b, ')');
    }
    sb_add(b, " ON ");
    sb_ident(b, j->db);
    sb_addc(b, '.');
    sb_ident(b, j->table);
    sb_add(b, " TO ");
    grantee(b, user, host);
    sb_addc(b, ';');
}

/* The GRANT that would let us read what this job wants. */
static char *needed_grant(const struct session *se, const struct job *j,
                          const struct strv *cols)
{
    char *cu = cu_xstrdup(se->current_user ? se->current_user : "USER@%");
    char *at = strrchr(cu, '@');
    const char *host = "%";
    if (at) {
        *at = '\0';
        host = at + 1;
    }
    struct sbuf b = {0};
    grant_statement(&b, j, cols && cols->n ? (const char *const *)cols->v
                                           : NULL,
                    cols ? cols->n : 0, cu, host);
    free(cu);
    return b.s;
}

/* A problem with a table: a warning recorded in the manifest, or with
 * --strict (and for what is not optional) an error. */
void table_problem(const struct session *se, struct job *j,
                   enum status st, const char *what)
{
    j->status = st;
    add_note(j, "%s", what);
    const char *site = site_label(se->site);
    if (opt.strict)
        cu_die(CU_EXIT_DATA, "%s%s%s%s: %s", site ? "site " : "",
               site ? site : "", site ? ": " : "", j->name, what);
    cu_warn("%s%s%s%s: %s", site ? "site " : "", site ? site : "",
            site ? ": " : "", j->name, what);
}

static bool db_is_optional(const struct job *j)
{
    return j->spec && j->spec->role == R_ZUN;
}

static bool schema_exists(struct session *se, const char *db)
{
    struct sbuf q = {0};
    sb_add(&q, "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ");
    sb_literal(&q, db);
    MYSQL_RES *res =
        query_result(se, &q, false, "reading information_schema.SCHEMATA");
    bool found = mysql_num_rows(res) > 0;
    mysql_free_result(res);
    return found;
}

static void reset_job(struct job *j)
{
    j->status = S_PENDING;
    sb_clear(&j->notes);
    strv_clear(&j->sel);
    strv_clear(&j->out);
    j->blob_read = false;
}

static bool job_is_optional(const struct job *j)
{
    return (j->spec && j->spec->optional) || db_is_optional(j);
}

/* The documented columns of a job (without the '?' marks), and its blob. */
static void documented_columns(const struct job *j, struct strv *want)
{
    if (!j->spec || opt.all_columns)
        return;
    for (const char *const *c = j->spec->cols; *c; c++) {
        size_t l = strlen(*c);
        char *name = cu_xstrndup(*c, l - ((*c)[l - 1] == '?'));
        strv_push(want, name);
        free(name);
    }
    if (j->spec->blob)
        strv_push(want, j->spec->blob);
}

/* A table information_schema does not show us: ask the server why. Returns
 * true when it can be read after all. */
static bool resolve_invisible_table(struct session *se, struct job *j)
{
    unsigned err = probe(se, j, NULL);
    if (err == 0) /* readable but invisible: the query will tell */
        return true;
    if (is_denied(err) && job_is_optional(j) && !opt.tables.n) {
        /* The server says "denied" for tables that do not exist in a
         * database we may not see: an optional table that --grant-sql did
         * not grant because it was absent. */
        j->status = S_ABSENT;
        add_note(j, "absent or not granted");
    } else if (is_denied(err)) {
        struct strv want = {0};
        documented_columns(j, &want);
        char *g = needed_grant(se, j, &want);
        char msg[2048];
        snprintf(msg, sizeof msg, "access denied (%s); needed: %s",
                 mysql_error(se->m), g);
        free(g);
        strv_free(&want);
        table_problem(se, j, S_DENIED, msg);
    } else if (err == ER_BAD_DB_ERROR || err == ER_NO_SUCH_TABLE) {
        char msg[512];
        if (err == ER_BAD_DB_ERROR || !schema_exists(se, j->db))
            snprintf(msg, sizeof msg, "database %s does not exist", j->db);
        else
            snprintf(msg, sizeof msg, "table does not exist");
        if (job_is_optional(j) && !opt.tables.n) {
            j->status = S_ABSENT;
            add_note(j, "%s", msg);
        } else
            table_problem(se, j, S_MISSING, msg);
    } else
        die_sql(se, j->name);
    return false;
}

/* Can column name of j be read? Records why not in t (optional columns
 * that are absent are no trouble). */
static bool column_readable(struct session *se,
                            const struct catalog_seen *seen, struct job *j,
                            const char *name, bool optional,
                            struct column_trouble *t)
{
    if (seen_has(seen, j, name))
        return true;
    if (optional)
        return false;
    unsigned err = probe(se, j, name);
    if (err == 0) /* visible to the query after all */
        return true;
    if (is_denied(err)) {
        sb_printf(&t->denied, "%s%s", t->denied.len ? "," : "", name);
        strv_push(&t->denied_cols, name);
    } else
        sb_printf(&t->missing, "%s%s", t->missing.len ? "," : "", name);
    return false;
}

static void select_spec_columns(struct session *se,
                                const struct catalog_seen *seen,
                                struct job *j)
{
    struct column_trouble t = {{0}, {0}, {0}};
    for (const char *const *c = j->spec->cols; *c; c++) {
        size_t l = strlen(*c);
        bool optional = (*c)[l - 1] == '?';
        char *name = cu_xstrndup(*c, l - optional);
        if (column_readable(se, seen, j, name, optional, &t)) {
            strv_push(&j->sel, name);
            strv_push(&j->out, name);
        }
        free(name);
    }
    if (j->spec->blob) {
        /* read last: dump_job takes the last column as the blob */
        if (column_readable(se, seen, j, j->spec->blob, false, &t)) {
            strv_push(&j->sel, j->spec->blob);
            j->blob_read = true;
        }
        for (const struct derived *d = j->spec->derived; d->name; d++)
            strv_push(&j->out, d->name);
    }
    j->status = S_OK;
    if (t.missing.len) {
        char msg[1024];
        snprintf(msg, sizeof msg, "missing columns: %s%s", t.missing.s,
                 j->spec->blob && !j->blob_read
                     ? " (derived columns written as \\N)"
                     : "");
        table_problem(se, j, S_OK, msg);
    }
    if (t.denied.len) {
        char *g = needed_grant(se, j, &t.denied_cols);
        char msg[2048];
        snprintf(msg, sizeof msg, "access denied to columns %s; needed: %s",
                 t.denied.s, g);
        free(g);
        table_problem(se, j, S_OK, msg);
    }
    if (j->sel.n == 0)
        table_problem(se, j, S_DENIED, "no column can be read");
    sb_free(&t.missing);
    sb_free(&t.denied);
    strv_free(&t.denied_cols);
}

/* Decide, for every job, whether it can be read and which columns. */
void resolve_jobs(struct session *se, struct job *jobs, size_t n)
{
    struct catalog_seen seen;
    query_columns(se, jobs, n, &seen);
    for (size_t i = 0; i < n; i++) {
        struct job *j = &jobs[i];
        reset_job(j);
        if (!seen_has(&seen, j, NULL) && !resolve_invisible_table(se, j))
            continue;
        j->has_deleted_at = seen_has(&seen, j, "deleted_at");
        if (j->spec && !opt.all_columns) {
            select_spec_columns(se, &seen, j);
            continue;
        }
        for (size_t k = 0; k < seen.n; k++)
            if (strcmp(seen.cols[k].schema, j->db) == 0 &&
                strcmp(seen.cols[k].table, j->table) == 0) {
                strv_push(&j->sel, seen.cols[k].column);
                strv_push(&j->out, seen.cols[k].column);
            }
        j->status = S_OK;
        if (j->sel.n == 0)
            table_problem(se, j, S_DENIED, "no column can be read");
    }
    free_seen(&seen);
}
