/* The usage table: rows in period and group order, numbers as exact
 * decimals (hours to 6 places, half up, trailing zeros dropped), written
 * as a cu stream (TSV, CSV, JSONS) or as aligned text; and --check, which
 * compares the written rows' sums with the totals read straight from the
 * spans. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decimal.h"
#include "error.h"
#include "report.h"
#include "writer.h"


/* size x microseconds in size-hours, to 10^-6 (divisor: MB per GB, ...) */
static size_t format_hours(i128 size_usec, int64_t divisor, char *buf)
{
    return cu_format_fixed(cu_div_round(size_usec, (i128)divisor * 3600), 6,
                           buf);
}

/* ---- rows -------------------------------------------------------------- */

struct row {
    cu_time pstart, pend;
    const struct usage_acc *acc; /* NULL: the total row */
    struct usage_acc total;
};

static const struct usage *sort_usage;

static int compare_rows(const void *pa, const void *pb)
{
    const struct row *a = pa, *b = pb;
    if (a->pstart != b->pstart)
        return a->pstart < b->pstart ? -1 : 1;
    for (size_t k = 0; k < sort_usage->o->nby; k++) {
        size_t la, lb;
        const char *va = usage_group_value(sort_usage, a->acc->group, k, &la);
        const char *vb = usage_group_value(sort_usage, b->acc->group, k, &lb);
        if (!va || !vb) {
            if (va != vb)
                return va ? 1 : -1; /* NULL first */
            continue;
        }
        int c = memcmp(va, vb, la < lb ? la : lb);
        if (c)
            return c;
        if (la != lb)
            return la < lb ? -1 : 1;
    }
    return 0;
}

static struct usage_acc sum_rows(const struct usage *u)
{
    struct usage_acc t = {0};
    for (size_t i = 0; i < u->nacc; i++) {
        const struct usage_acc *a = &u->acc[i];
        for (int s = 0; s < NSTATE; s++)
            t.usec[s] += a->usec[s];
        t.vcpu_usec += a->vcpu_usec;
        t.mem_usec += a->mem_usec;
        t.disk_usec += a->disk_usec;
    }
    return t;
}

/* ---- cells ------------------------------------------------------------- */

enum { MAXCOLS = 2 + NGROUP + 2 + NSTATE + 3 };

struct table {
    const char *names[MAXCOLS];
    bool numeric[MAXCOLS];
    size_t ncols;
};

static void table_columns(struct table *t, const struct options *o)
{
    size_t n = 0;
    t->names[n++] = "period_start";
    t->names[n++] = "period_end";
    for (size_t k = 0; k < o->nby; k++)
        t->names[n++] = group_col_name[o->by[k]];
    size_t first_number = n;
    t->names[n++] = "instances";
    t->names[n++] = "hours";
    static const char *const hours_of[NSTATE] = {
        "active_hours", "stopped_hours", "error_hours", "shelved_hours"};
    for (int s = 0; s < NSTATE; s++)
        if (o->states[s])
            t->names[n++] = hours_of[s];
    t->names[n++] = "vcpu_hours";
    t->names[n++] = "memory_gb_hours";
    t->names[n++] = "disk_gb_hours";
    for (size_t i = 0; i < n; i++)
        t->numeric[i] = i >= first_number;
    t->ncols = n;
}

/* The text of every cell of a row; NULL for \N. Strings point into buf. */
static void row_cells(const struct usage *u, const struct row *r,
                      const char **cell, size_t *len, char *buf)
{
    const struct options *o = u->o;
    const struct usage_acc *a = r->acc ? r->acc : &r->total;
    size_t n = 0;
    char *p = buf;
#define PUT(fmt_call)                                                          \
    do {                                                                       \
        size_t l_ = fmt_call;                                                  \
        cell[n] = p;                                                           \
        len[n++] = l_;                                                         \
        p += l_ + 1;                                                           \
    } while (0)
    PUT(cu_time_format(r->pstart, p));
    PUT(cu_time_format(r->pend, p));
    for (size_t k = 0; k < o->nby; k++) {
        if (!r->acc) {
            cell[n] = "(total)";
            len[n++] = 7;
            continue;
        }
        cell[n] = usage_group_value(u, a->group, k, &len[n]);
        n++;
    }
    PUT((size_t)snprintf(p, 24, "%" PRIu64, a->instances));
    i128 all = 0;
    for (int s = 0; s < NSTATE; s++)
        if (o->states[s])
            all += a->usec[s];
    PUT(format_hours(all, 1, p));
    for (int s = 0; s < NSTATE; s++)
        if (o->states[s])
            PUT(format_hours(a->usec[s], 1, p));
    PUT(format_hours(a->vcpu_usec, 1, p));
    PUT(format_hours(a->mem_usec, 1024, p));
    PUT(format_hours(a->disk_usec, 1, p));
#undef PUT
}

/* ---- writing ----------------------------------------------------------- */

static void write_stream(const struct usage *u, const struct table *t,
                         const struct row *rows, size_t nrows)
{
    const struct options *o = u->o;
    cu_writer *w = cu_writer_fdopen(STDOUT_FILENO, "(stdout)",
                                    o->common.out_format,
                                    o->common.write_flags);
    cu_writer_section(w, NULL, t->names, t->ncols);
    const char *cell[MAXCOLS];
    size_t len[MAXCOLS];
    char buf[MAXCOLS * 48];
    for (size_t i = 0; i < nrows; i++) {
        row_cells(u, &rows[i], cell, len, buf);
        for (size_t c = 0; c < t->ncols; c++) {
            if (!cell[c])
                cu_writer_null(w);
            else if (t->numeric[c])
                cu_writer_num(w, cell[c], len[c]);
            else
                cu_writer_str(w, cell[c], len[c]);
        }
        cu_writer_end_row(w);
    }
    cu_writer_close(w);
}

/* Aligned columns for a terminal: text left, numbers right, \N for NULL;
 * a value's tabs and newlines shown as spaces so a row stays a line. */
static void write_text(const struct usage *u, const struct table *t,
                       const struct row *rows, size_t nrows)
{
    size_t width[MAXCOLS];
    const char *cell[MAXCOLS];
    size_t len[MAXCOLS];
    char buf[MAXCOLS * 48];
    for (size_t c = 0; c < t->ncols; c++)
        width[c] = strlen(t->names[c]);
    for (size_t i = 0; i < nrows; i++) {
        row_cells(u, &rows[i], cell, len, buf);
        for (size_t c = 0; c < t->ncols; c++) {
            size_t l = cell[c] ? len[c] : 2;
            if (l > width[c])
                width[c] = l;
        }
    }
    for (size_t i = 0; i <= nrows; i++) {
        if (i)
            row_cells(u, &rows[i - 1], cell, len, buf);
        for (size_t c = 0; c < t->ncols; c++) {
            const char *v = i ? (cell[c] ? cell[c] : "\\N") : t->names[c];
            size_t l = i ? (cell[c] ? len[c] : 2) : strlen(t->names[c]);
            size_t pad = width[c] - l;
            if (c)
                fputs("  ", stdout);
            if (t->numeric[c])
                printf("%*s", (int)pad, "");
            for (size_t k = 0; k < l; k++)
                putchar(v[k] == '\t' || v[k] == '\n' || v[k] == '\r' ? ' '
                                                                      : v[k]);
            if (!t->numeric[c] && c + 1 < t->ncols)
                printf("%*s", (int)pad, "");
        }
        putchar('\n');
    }
}

/* --check: the rows against the totals of the spans. */
struct check_col {
    const char *name;
    i128 rows, spans;
    int64_t divisor;
};

static void check_totals(const struct usage *u, struct usage_acc sum)
{
    static const char *const col_of[NSTATE] = {
        "active_hours", "stopped_hours", "error_hours", "shelved_hours"};
    struct check_col c[NSTATE + 3];
    size_t n = 0;
    for (int s = 0; s < NSTATE; s++)
        if (u->o->states[s])
            c[n++] = (struct check_col){col_of[s], sum.usec[s],
                                        u->check_usec[s], 1};
    c[n++] = (struct check_col){"vcpu_hours", sum.vcpu_usec, u->check_vcpu, 1};
    c[n++] = (struct check_col){"memory_gb_hours", sum.mem_usec, u->check_mem,
                                1024};
    c[n++] = (struct check_col){"disk_gb_hours", sum.disk_usec,
                                u->check_disk, 1};
    bool bad = false;
    for (size_t i = 0; i < n; i++) {
        if (c[i].rows == c[i].spans)
            continue;
        char a[64], b[64];
        format_hours(c[i].rows, c[i].divisor, a);
        format_hours(c[i].spans, c[i].divisor, b);
        fprintf(stderr, "%s: check: %s: the rows sum to %s, the spans to %s "
                        "(they differ by %lld size-microseconds)\n",
                cu_program_name(), c[i].name, a, b,
                (long long)(c[i].rows - c[i].spans));
        bad = true;
    }
    if (bad)
        cu_die(CU_EXIT_DATA, "check failed: the report does not reconcile "
                             "with its spans");
}

void write_usage(const struct usage *u, const struct options *o)
{
    size_t nrows = u->nacc + (o->total ? 1 : 0);
    struct row *rows = cu_xcalloc(nrows ? nrows : 1, sizeof *rows);
    bool any = u->tmin <= u->tmax;
    cu_time all_start = o->start != CU_TIME_NULL ? o->start
                        : any                    ? u->tmin
                                                 : 0;
    cu_time all_end = o->end != CU_TIME_NULL ? o->end : any ? u->tmax : 0;
    for (size_t i = 0; i < u->nacc; i++) {
        rows[i].acc = &u->acc[i];
        rows[i].pstart = o->period == P_ALL ? all_start : u->acc[i].pstart;
        rows[i].pend = o->period == P_ALL ? all_end : u->acc[i].pend;
        /* the first and last periods end at the window */
        if (o->start != CU_TIME_NULL && rows[i].pstart < o->start)
            rows[i].pstart = o->start;
        if (o->end != CU_TIME_NULL && rows[i].pend > o->end)
            rows[i].pend = o->end;
    }
    sort_usage = u;
    qsort(rows, u->nacc, sizeof *rows, compare_rows);
    struct usage_acc sum = sum_rows(u);
    /* for the test of --check itself: a difference planted in the rows */
    if (o->check && getenv("CU_REPORT_PLANT_DIFFERENCE") && u->nacc)
        sum.vcpu_usec += 1;
    if (o->total) {
        struct row *t = &rows[u->nacc];
        t->acc = NULL;
        t->total = sum;
        t->total.instances = cu_intern_count(u->all_seen);
        /* the total's period spans the rows' */
        t->pstart = all_start;
        t->pend = all_end;
        for (size_t i = 0; i < u->nacc; i++) {
            if (rows[i].pstart < t->pstart)
                t->pstart = rows[i].pstart;
            if (rows[i].pend > t->pend)
                t->pend = rows[i].pend;
        }
    }
    if (o->check)
        check_totals(u, sum);
    struct table t;
    table_columns(&t, o);
    if (o->text)
        write_text(u, &t, rows, nrows);
    else
        write_stream(u, &t, rows, nrows);
    free(rows);
}
