/* --list and --grant-sql. */
#include "config.h"

#include "cu-dump.h"

void list_tables(struct session *se, struct job *jobs, size_t n,
                 cu_writer *w, bool with_site)
{
    const char *with[] = {"site", "table", "status", "rows"};
    /* (for the next site the same section again: the writer goes on) */
    cu_writer_section(w, NULL, with_site ? with : with + 1, with_site ? 4 : 3);
    for (size_t i = 0; i < n; i++) {
        struct job *j = &jobs[i];
        bool counted = false;
        char num[32] = "";
        if (j->status == S_OK) {
            struct sbuf q = {0};
            sb_add(&q, "SELECT COUNT(*) FROM ");
            sb_table(&q, j->db, j->table);
            window_filter(&q, j, jobs, n);
            if (mysql_real_query(se->m, q.s, q.len) != 0) {
                if (!is_denied(mysql_errno(se->m)))
                    die_sql(se, j->name);
                j->status = S_DENIED;
            } else {
                MYSQL_RES *res = mysql_store_result(se->m);
                MYSQL_ROW row = res ? mysql_fetch_row(res) : NULL;
                if (!row || !row[0])
                    die_sql(se, j->name);
                snprintf(num, sizeof num, "%s", row[0]);
                counted = true;
                mysql_free_result(res);
            }
            sb_free(&q);
        }
        if (with_site)
            cu_writer_cstr(w, site_label(se->site));
        cu_writer_cstr(w, j->name);
        cu_writer_cstr(w, status_names[j->status]);
        if (counted)
            cu_writer_num(w, num, strlen(num));
        else
            cu_writer_null(w);
        cu_writer_end_row(w);
    }
}

void print_grants(struct session *se, struct job *jobs, size_t n,
                  cu_writer *w)
{
    (void)se;
    const char *user = opt.user;
    const char *host = opt.host ? opt.host : "%";
    struct sbuf b = {0};
    for (size_t i = 0; i < n; i++) {
        const struct job *j = &jobs[i];
        sb_clear(&b);
        if (j->status != S_OK) {
            sb_printf(&b, "-- %s: %s, not granted", j->name,
                      status_names[j->status]);
        } else
            grant_statement(&b, j,
                            opt.all_columns ? NULL
                                            : (const char *const *)j->sel.v,
                            opt.all_columns ? 0 : j->sel.n, user, host);
        if (fprintf(stdout, "%s\n", b.s) < 0)
            cu_die_errno(CU_EXIT_DATA, errno, "(stdout)");
    }
    sb_free(&b);
    (void)w;
}
