/* The sessions report (the XDMoD cloud realm's sessions): a session is a
 * maximal stretch of one instance in state active. Spans of an instance
 * that follow each other without a gap stay one session (a host move
 * splits a span, not a session); a stop, shelve or error ends it. Per
 * group and period: sessions started and ended in it, sessions active in
 * it (overlapping it), their wall hours in it, and the mean of those.
 *
 * The input comes as cu-spans writes it: each instance's spans together,
 * by start. Only the current instance's session is held, so memory grows
 * with groups x periods, not with spans; an instance met again after
 * another, or a span earlier than its predecessor, is an error. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "report.h"
#include "stream.h"

struct sess_acc {
    struct period_key key;
    uint64_t started, ended, active;
    i128 usec;
};

struct session {
    bool on;              /* a session is being followed */
    uint32_t group;
    cu_time s, e;         /* e: CU_TIME_NULL while open-ended */
};

struct sessions {
    const struct options *o;
    cu_intern *groups, *slots, *instances;
    struct sess_acc *acc;
    size_t nacc, acc_cap;
    struct session cur;
    char *cur_id;          /* the instance being read */
    size_t cur_len;
    cu_time last_start;
    struct session *open;  /* open-ended: counted at the input's end */
    size_t nopen, open_cap;
    cu_time input_tmax;
    cu_time tmin, tmax;    /* the counted time (period all) */
    uint64_t check_started; /* --check: counted straight */
    i128 check_usec;
};

static struct sess_acc *sess_slot(struct sessions *x, uint32_t group,
                                  cu_time ps, cu_time pe)
{
    return period_acc(x->slots, &x->acc, &x->nacc, &x->acc_cap,
                      sizeof *x->acc, (struct period_key){group, ps, pe});
}

/* A whole session [s, e); ended: it ended at e (it was not cut open). */
static void count_session(struct sessions *x, uint32_t group, cu_time s,
                          cu_time e, bool ended)
{
    const struct options *o = x->o;
    cu_time w0 = o->start != CU_TIME_NULL ? o->start : INT64_MIN;
    cu_time w1 = o->end != CU_TIME_NULL ? o->end : INT64_MAX;
    cu_time cs = s > w0 ? s : w0, ce = e < w1 ? e : w1;
    if (cs >= ce)
        return;
    if (cs < x->tmin)
        x->tmin = cs;
    if (ce > x->tmax)
        x->tmax = ce;
    x->check_usec += ce - cs;
    if (s >= w0) {
        cu_time ps = period_start(o->period, s);
        sess_slot(x, group, ps, period_next(o->period, ps))->started++;
        x->check_started++;
    }
    if (ended && e < w1) {
        cu_time ps = period_start(o->period, e);
        sess_slot(x, group, ps, period_next(o->period, ps))->ended++;
    }
    for (cu_time ps = period_start(o->period, cs); ps < ce;) {
        cu_time pe = period_next(o->period, ps);
        cu_time a0 = cs > ps ? cs : ps, a1 = ce < pe ? ce : pe;
        struct sess_acc *a = sess_slot(x, group, ps, pe);
        a->active++;
        a->usec += a1 - a0;
        ps = pe;
    }
}

static void finish_session(struct sessions *x)
{
    struct session *c = &x->cur;
    if (!c->on)
        return;
    c->on = false;
    if (c->e != CU_TIME_NULL) {
        count_session(x, c->group, c->s, c->e, true);
    } else if (x->o->end != CU_TIME_NULL) {
        count_session(x, c->group, c->s, x->o->end, false);
    } else {
        x->open = cu_xgrow(x->open, &x->open_cap, x->nopen + 1,
                           sizeof *x->open);
        x->open[x->nopen++] = *c;
    }
}

/* A new instance: the last one's session ends, and this one must not
 * have been seen before (its spans come together). */
static void next_instance(struct sessions *x, const cu_reader *r,
                          const size_t col[NSPANCOL], const cu_field *id)
{
    finish_session(x);
    size_t before = cu_intern_count(x->instances);
    cu_intern_add(x->instances, id->s, id->len);
    if (cu_intern_count(x->instances) == before)
        cu_reader_die_field(r, col[SC_ID],
                            "the instance's spans are not together (the "
                            "sessions report reads spans as cu-spans "
                            "writes them: by instance, then start)");
    free(x->cur_id);
    x->cur_id = cu_xstrndup(id->s, id->len);
    x->cur_len = id->len;
    x->last_start = INT64_MIN;
}

static void read_row(struct sessions *x, const cu_reader *r,
                     const size_t col[NSPANCOL])
{
    cu_time s, e;
    span_times(r, col, &s, &e, &x->input_tmax);
    if (!cu_field_equals(cu_reader_field(r, col[SC_KIND]), "instance") ||
        !span_counts(r, col))
        return;
    const cu_field *id = cu_reader_field(r, col[SC_ID]);
    if (cu_field_is_null(id))
        cu_reader_die_field(r, col[SC_ID], "an instance span needs its id");
    if (!x->cur_id || !cu_field_equals_n(id, x->cur_id, x->cur_len))
        next_instance(x, r, col, id);
    if (s < x->last_start)
        cu_reader_die_field(r, col[SC_START],
                            "an instance's spans are not in start order");
    x->last_start = s;
    struct session *c = &x->cur;
    if (span_state(r, col) != ST_ACTIVE) {
        finish_session(x); /* a stop, shelve or error ends it */
        return;
    }
    if (c->on && c->e == s) { /* no gap: the same session */
        c->e = e;
        return;
    }
    finish_session(x);
    struct text text[NTEXT];
    span_text(r, col, text);
    *c = (struct session){true, group_id(x->groups, x->o, text, NULL, NULL),
                          s, e};
}

/* ---- output ------------------------------------------------------------ */

static int compare_sess(const void *pa, const void *pb, void *ctx)
{
    const struct sessions *x = ctx;
    const struct sess_acc *a = pa, *b = pb;
    return compare_period_keys(x->groups, x->o->nby, &a->key, &b->key);
}

static void check_sessions(const struct sessions *x)
{
    uint64_t started = 0;
    i128 usec = 0;
    for (size_t i = 0; i < x->nacc; i++) {
        started += x->acc[i].started;
        usec += x->acc[i].usec;
    }
    if (getenv("CU_REPORT_PLANT_DIFFERENCE") && x->nacc)
        usec += 1; /* for the test of --check itself */
    if (started == x->check_started && usec == x->check_usec)
        return;
    fprintf(stderr,
            "%s: check: sessions_started: the rows sum to %" PRIu64
            ", the spans give %" PRIu64 "; wall time: %lld against %lld "
            "microseconds\n",
            cu_program_name(), started, x->check_started, (long long)usec,
            (long long)x->check_usec);
    cu_die(CU_EXIT_DATA, "check failed: the report does not reconcile with "
                         "its spans");
}

static void write_sessions(struct sessions *x)
{
    const struct options *o = x->o;
    if (o->check)
        check_sessions(x);
    struct table t = {.ncols = 0};
    t.names[t.ncols++] = "period_start";
    t.names[t.ncols++] = "period_end";
    t.ncols += group_column_names(o, t.names + t.ncols);
    size_t first_number = t.ncols;
    static const char *const num[] = {"sessions_started", "sessions_ended",
                                      "sessions_active", "wall_hours",
                                      "mean_session_hours"};
    for (size_t i = 0; i < 5; i++)
        t.names[t.ncols++] = num[i];
    for (size_t c = 0; c < t.ncols; c++)
        t.numeric[c] = c >= first_number;
    if (x->nacc) /* acc is NULL when nothing was counted */
        qsort_r(x->acc, x->nacc, sizeof *x->acc, compare_sess, (void *)x);

    cu_time all_start = o->start != CU_TIME_NULL ? o->start : x->tmin;
    cu_time all_end = o->end != CU_TIME_NULL ? o->end : x->tmax;
    struct table_out out;
    table_out_begin(&out, &t, o);
    for (size_t i = 0; i < x->nacc; i++) {
        const struct sess_acc *a = &x->acc[i];
        const char *cell[MAXCOLS];
        size_t len[MAXCOLS], n = 0;
        char buf[8][64];
        cu_time ps = a->key.pstart, pe = a->key.pend;
        if (o->period == P_ALL) {
            ps = all_start;
            pe = all_end;
        }
        if (o->start != CU_TIME_NULL && ps < o->start)
            ps = o->start;
        if (o->end != CU_TIME_NULL && pe > o->end)
            pe = o->end;
        len[n] = cu_time_format(ps, buf[0]);
        cell[n++] = buf[0];
        len[n] = cu_time_format(pe, buf[1]);
        cell[n++] = buf[1];
        char *owned; /* no --tree here: nothing to free */
        n += group_cells(x->groups, o, &a->key.group, cell + n, len + n,
                         &owned);
        uint64_t counts[3] = {a->started, a->ended, a->active};
        for (int k = 0; k < 3; k++) {
            len[n] = (size_t)snprintf(buf[2 + k], 64, "%" PRIu64, counts[k]);
            cell[n++] = buf[2 + k];
        }
        len[n] = cu_format_fixed(cu_div_round(a->usec, 3600), 6, buf[5]);
        cell[n++] = buf[5];
        if (a->active) {
            len[n] = cu_format_fixed(
                cu_div_round(a->usec, (i128)a->active * 3600), 6, buf[6]);
            cell[n++] = buf[6];
        } else {
            cell[n] = NULL;
            len[n++] = 0;
        }
        table_out_row(&out, cell, len);
    }
    table_out_end(&out);
}

void sessions_report(const struct options *o, char **paths, size_t n)
{
    struct sessions x = {.o = o,
                         .groups = cu_intern_new(),
                         .slots = cu_intern_new(),
                         .instances = cu_intern_new(),
                         .input_tmax = INT64_MIN,
                         .tmin = INT64_MAX,
                         .tmax = INT64_MIN};
    size_t col[NSPANCOL];
    cu_reader *r = cu_reader_open((const char *const *)paths, n, CU_FMT_AUTO);
    enum cu_next k;
    while ((k = cu_reader_next(r)) != CU_EOF) {
        if (k == CU_SECTION)
            span_columns(r, col);
        else
            read_row(&x, r, col);
    }
    cu_reader_close(r);
    finish_session(&x);
    for (size_t i = 0; i < x.nopen; i++)
        if (x.open[i].s < x.input_tmax)
            count_session(&x, x.open[i].group, x.open[i].s, x.input_tmax,
                          false);
    write_sessions(&x);
    cu_free_all(x.open, x.cur_id, x.acc);
    cu_intern_free(x.groups);
    cu_intern_free(x.slots);
    cu_intern_free(x.instances);
}
