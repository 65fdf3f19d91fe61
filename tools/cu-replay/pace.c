/* Pacing: each record at its due time. Due times are absolute on
 * CLOCK_MONOTONIC, counted from when the first record went out, and slept
 * to with clock_nanosleep(TIMER_ABSTIME): a long trace accumulates no
 * drift, and nothing busy-waits. A record due while the one before is
 * still being written goes out at once, and counts as late. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "replay.h"
#include "writer.h"

int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t pacer_due(struct pacer *p, cu_time t, uint64_t seq)
{
    if (!p->started) {
        p->started = true;
        p->t0 = t;
        p->w0_ns = now_ns();
    }
    const struct options *o = p->o;
    if (o->fast) /* due when reached: late only when it has to wait */
        return now_ns();
    if (o->rate > 0)
        return p->w0_ns + (int64_t)((double)seq * 1e9 / o->rate);
    return p->w0_ns + (int64_t)((double)(t - p->t0) * 1e3 / o->speed);
}

void pacer_wait(const struct pacer *p, int64_t due)
{
    if (p->o->fast)
        return;
    struct timespec ts = {(time_t)(due / 1000000000), (long)(due % 1000000000)};
    int rc;
    while ((rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL)) ==
           EINTR)
        ;
    if (rc != 0)
        cu_die_errno(CU_EXIT_DATA, rc, "clock_nanosleep");
}

/* ---- writing the records ------------------------------------------------ */

struct pace {
    const struct options *o;
    struct pacer pacer;
    cu_writer *w;
    int64_t section; /* the section being written, -1 before any */
    struct stats stats;
    int64_t next_progress_ns;
};

static void begin_section(struct pace *p, const struct records *rs,
                          uint32_t i)
{
    const struct section *s = records_section(rs, i);
    const char *cols[s->ncols + 2];
    for (size_t c = 0; c < s->ncols; c++)
        cols[c] = s->cols[c];
    size_t n = s->ncols;
    if (p->o->stamp) {
        cols[n++] = "replay_time";
        cols[n++] = "lag_ms";
    }
    cu_writer_section(p->w, s->table, cols, n);
    p->section = i;
}

/* The wall clock (for --stamp: when the record went out). */
static cu_time wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (cu_time)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void write_record(void *ctx, const struct records *rs,
                         const struct record *r, uint64_t seq)
{
    struct pace *p = ctx;
    int64_t due = pacer_due(&p->pacer, r->t, seq);
    pacer_wait(&p->pacer, due);
    if ((int64_t)r->section != p->section)
        begin_section(p, rs, r->section);
    const struct section *s = records_section(rs, r->section);
    for (size_t c = 0; c < s->ncols; c++)
        cu_writer_field(p->w, &r->f[c]);
    int64_t out = now_ns();
    double lag_ms = p->o->fast ? 0 : (double)(out - due) / 1e6;
    if (p->o->stamp) {
        cu_writer_time(p->w, wall_now());
        char buf[32];
        int len = snprintf(buf, sizeof buf, "%.3f", lag_ms);
        cu_writer_num(p->w, buf, (size_t)len);
    }
    cu_writer_end_row(p->w);
    if (!p->o->fast)
        cu_writer_flush(p->w);
    if (p->stats.records == 0) {
        p->stats.first_due_ns = due;
        p->stats.first_t = r->t;
    }
    p->stats.last_due_ns = due;
    p->stats.last_t = r->t;
    stats_add(&p->stats, p->o->fast ? 0 : out - due, true,
              lag_ms > p->o->slack_ms);
    if (p->o->progress > 0 && out >= p->next_progress_ns) {
        if (p->next_progress_ns)
            stats_print(&p->stats, p->o, false);
        p->next_progress_ns = out + (int64_t)(p->o->progress * 1e9);
    }
}

void pace_records(const struct options *o, char **paths, size_t n)
{
    struct pace p = {.o = o, .pacer = {.o = o}, .section = -1};
    p.stats.start_ns = now_ns();
    p.w = cu_writer_fdopen(STDOUT_FILENO, "(stdout)", o->common.out_format,
                           o->common.write_flags);
    records_replay(o, paths, n, write_record, &p);
    cu_close_output(p.w, &o->common);
    if (o->progress > 0)
        stats_print(&p.stats, o, true);
    stats_free(&p.stats);
}
