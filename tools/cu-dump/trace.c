/* --trace: the Star Compactor event trace. */
#include "config.h"

#include "cu-dump.h"

/* Seconds between two instants as a number: whole seconds bare, otherwise
 * with the microseconds (trailing zeros dropped). legacy: Python's float
 * text ("47.0") as the published traces have it. */
static size_t seconds_text(cu_time d, bool legacy, char *buf, size_t cap)
{
    int64_t s = d / CU_USEC_PER_SEC, us = d % CU_USEC_PER_SEC;
    bool neg = d < 0;
    if (neg) {
        s = -s;
        us = -us;
    }
    int n;
    if (us == 0)
        n = snprintf(buf, cap, "%s%" PRId64 "%s", neg ? "-" : "", s,
                     legacy ? ".0" : "");
    else {
        n = snprintf(buf, cap, "%s%" PRId64 ".%06" PRId64, neg ? "-" : "", s,
                     us);
        while (n > 0 && buf[n - 1] == '0')
            buf[--n] = '\0';
    }
    return n > 0 ? (size_t)n : 0;
}

static cu_time parse_db_time(const char *s, size_t len)
{
    cu_time t;
    const char *why;
    if (!s || is_zero_date(s, len))
        return CU_TIME_NULL;
    if (cu_time_parse(s, len, &t, &why) != CU_TIME_OK)
        return CU_TIME_NULL;
    return t;
}

static void trace_from(struct sbuf *q, const char *db)
{
    sb_add(q, " FROM ");
    sb_table(q, db, "instance_actions_events");
    sb_add(q, " e JOIN ");
    sb_table(q, db, "instance_actions");
    sb_add(q, " a ON a.`id` = e.`action_id` JOIN ");
    sb_table(q, db, "instances");
    sb_add(q, " i ON i.`uuid` = a.`instance_uuid`");
    if (have_window()) {
        sb_add(q, " WHERE e.`start_time` >= ");
        if (opt.start != CU_TIME_NULL)
            sb_time_literal(q, opt.start);
        else
            sb_add(q, "'0000-00-00'");
        if (opt.end != CU_TIME_NULL) {
            sb_add(q, " AND e.`start_time` < ");
            sb_time_literal(q, opt.end);
        }
    }
}

/* Trace jobs: the three tables of each cell, with the trace's columns. */
struct job *plan_trace_jobs(size_t *njobs)
{
    size_t n = 3 * opt.nova_dbs.n;
    struct job *jobs = cu_xcalloc(n, sizeof *jobs);
    static const struct tablespec specs[3] = {
        {R_NOVA, "instances", false, trace_instances_cols, F_NONE, NULL,
         NULL},
        {R_NOVA, "instance_actions", false, trace_actions_cols, F_NONE, NULL,
         NULL},
        {R_NOVA, "instance_actions_events", false, trace_events_cols, F_NONE,
         NULL, NULL},
    };
    for (size_t c = 0; c < opt.nova_dbs.n; c++)
        for (size_t k = 0; k < 3; k++)
            job_init(&jobs[3 * c + k], &specs[k], opt.nova_dbs.v[c],
                     specs[k].table);
    *njobs = n;
    return jobs;
}

static size_t spec_ncols(const struct tablespec *t)
{
    size_t n = 0;
    while (t->cols[n])
        n++;
    return n;
}

void dump_trace(struct session *se, struct job *jobs, size_t njobs,
                cu_writer *w)
{
    /* Every cell's three tables must be readable in full: a trace without
     * a cell, or with a column missing, would look complete and be short. */
    struct strv cells = {0};
    for (size_t c = 0; c + 2 < njobs; c += 3) {
        for (size_t k = 0; k < 3; k++) {
            const struct job *j = &jobs[c + k];
            if (j->status != S_OK || j->sel.n != spec_ncols(j->spec))
                cu_die(CU_EXIT_DATA,
                       "--trace: %s cannot be read in full (%s%s%s): no "
                       "trace written",
                       j->name, status_names[j->status],
                       j->notes.len ? ": " : "", sb_str(&j->notes));
        }
        strv_push(&cells, jobs[c].db);
    }
    bool legacy = opt.starcompactor;
    cu_writer_section(w, NULL, legacy ? starcompactor_header : trace_header,
                      NTRACE);

    cu_time epoch = opt.epoch != CU_TIME_NULL ? opt.epoch : opt.start;
    struct sbuf q = {0};
    if (epoch == CU_TIME_NULL) {
        sb_add(&q, "SELECT MIN(m) FROM (");
        for (size_t c = 0; c < cells.n; c++) {
            if (c)
                sb_add(&q, " UNION ALL ");
            sb_add(&q, "SELECT MIN(e.`start_time`) AS m");
            trace_from(&q, cells.v[c]);
        }
        sb_add(&q, ") t");
        MYSQL_RES *res = query_result(se, &q, false, "trace: first event");
        MYSQL_ROW row = mysql_fetch_row(res);
        if (row && row[0])
            epoch = parse_db_time(row[0], strlen(row[0]));
        mysql_free_result(res);
    }

    for (size_t c = 0; c < cells.n; c++) {
        if (c)
            sb_add(&q, " UNION ALL ");
        sb_add(&q, "SELECT i.`uuid`, e.`event`, e.`start_time`, "
                   "e.`finish_time`, e.`result`, i.`hostname`, i.`user_id`, "
                   "i.`project_id`, i.`host`, i.`memory_mb`, i.`root_gb`, "
                   "i.`vcpus`, ");
        sb_printf(&q, "%zu AS cell, e.`id` AS event_id", c);
        trace_from(&q, cells.v[c]);
    }
    sb_add(&q, " ORDER BY 3, 1, 13, 14");
    MYSQL_RES *res = query_result(se, &q, true, "trace query");
    struct progress pr = {opt.progress == 1, "trace", now_sec(), 0};
    uint64_t rows = 0;
    MYSQL_ROW row;
    while ((row = mysql_fetch_row(res))) {
        unsigned long *len = mysql_fetch_lengths(res);
        cu_time st = parse_db_time(row[2], row[2] ? len[2] : 0);
        cu_time ft = parse_db_time(row[3], row[3] ? len[3] : 0);
        char sbuf[48], fbuf[48], dbuf[48], ts[CU_TIME_BUFSZ], tf[CU_TIME_BUFSZ];
        size_t sl = 0, fl = 0, dl = 0, tsl = 0, tfl = 0;
        if (st != CU_TIME_NULL) {
            tsl = cu_time_format(st, ts);
            if (epoch != CU_TIME_NULL)
                sl = seconds_text(st - epoch, legacy, sbuf, sizeof sbuf);
        }
        if (ft != CU_TIME_NULL) {
            tfl = cu_time_format(ft, tf);
            if (epoch != CU_TIME_NULL)
                fl = seconds_text(ft - epoch, legacy, fbuf, sizeof fbuf);
        }
        if (st != CU_TIME_NULL && ft != CU_TIME_NULL)
            dl = seconds_text(ft - st, legacy, dbuf, sizeof dbuf);
        if (legacy) { /* Python isoformat(): no zone letter */
            if (tsl)
                tsl--;
            if (tfl)
                tfl--;
        }
#define PUT_OPT(buf, l) ((l) ? cu_writer_num(w, buf, l) : cu_writer_null(w))
#define PUT_STR(i) (row[i] ? cu_writer_str(w, row[i], len[i]) : cu_writer_null(w))
#define PUT_NUM(i) (row[i] ? cu_writer_num(w, row[i], len[i]) : cu_writer_null(w))
        PUT_STR(0);
        PUT_STR(1);
        tsl ? cu_writer_str(w, ts, tsl) : cu_writer_null(w);
        PUT_OPT(sbuf, sl);
        tfl ? cu_writer_str(w, tf, tfl) : cu_writer_null(w);
        PUT_OPT(fbuf, fl);
        PUT_OPT(dbuf, dl);
        PUT_STR(4);
        if (legacy) {
            PUT_NUM(9);
            PUT_NUM(10);
            PUT_NUM(11);
        }
        PUT_STR(5);
        PUT_STR(6);
        PUT_STR(7);
        PUT_STR(8);
        if (!legacy) {
            PUT_NUM(9);
            PUT_NUM(10);
            PUT_NUM(11);
        }
#undef PUT_OPT
#undef PUT_STR
#undef PUT_NUM
        cu_writer_end_row(w);
        if ((++rows & 0xFFF) == 0)
            progress_show(&pr, rows, false);
    }
    if (mysql_errno(se->m)) {
        struct sbuf what = {0};
        sb_printf(&what, "trace: lost the server after %" PRIu64 " rows",
                  rows);
        die_sql(se, what.s);
    }
    mysql_free_result(res);
    progress_show(&pr, rows, true);
    cu_free_strings(cells.v, cells.n);
}
