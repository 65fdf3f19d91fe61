/* Driving a system with a trace: --exec runs a command per record at its
 * due time (at most -j at once), --pipe feeds records to -j long-lived
 * workers (--route keeps one key on one worker); --results writes a row
 * per record; the summary (and --progress) says how it went.
 *
 * Children are waited for while the replay sleeps to the next due time:
 * SIGCHLD is blocked and taken with sigtimedwait up to that time, so a
 * command's end is seen when it happens, not at the next record. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "radix.h"
#include "replay.h"
#include "writer.h"

/* ---- statistics -------------------------------------------------------- */

void stats_add(struct stats *s, int64_t latency_ns, bool ok, bool late)
{
    s->records++;
    s->ok += ok;
    s->failed += !ok;
    s->late += late;
    s->latency_ns = cu_xgrow(s->latency_ns, &s->lat_cap, s->nlat + 1,
                             sizeof *s->latency_ns);
    s->latency_ns[s->nlat++] = latency_ns > 0 ? (uint64_t)latency_ns : 0;
}

/* the p-quantile of the sorted v, in ms */
static double pct(const uint64_t *v, size_t n, double p)
{
    if (!n)
        return 0;
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return (double)v[i] / 1e6;
}

void stats_print(const struct stats *s, const struct options *o, bool final)
{
    /* millions of latencies: a radix sort, not qsort */
    size_t n = s->nlat ? s->nlat : 1;
    uint64_t *a = cu_xcalloc(n, sizeof *a), *tmp = cu_xcalloc(n, sizeof *tmp);
    uint64_t max = 0;
    for (size_t i = 0; i < s->nlat; i++) {
        a[i] = s->latency_ns[i];
        max = a[i] > max ? a[i] : max;
    }
    const uint64_t *v = cu_radix_sort_words(a, tmp, s->nlat, 0,
                                            cu_bit_length(max));
    double wall = (double)(now_ns() - s->start_ns) / 1e9;
    double span = (double)(s->last_due_ns - s->first_due_ns) / 1e9;
    double intended = span > 0 ? (double)(s->records - 1) / span : 0;
    char want[32] = "as fast as it goes";
    if (!o->fast && intended > 0)
        snprintf(want, sizeof want, "%.1f/s", intended);
    fprintf(stderr,
            "%s: %s%llu records, %llu ok, %llu failed, %llu late (> %g ms); "
            "%s ms p50 %.3f p95 %.3f p99 %.3f max %.3f; rate %s "
            "intended, %.1f/s achieved; %.3f s\n",
            cu_program_name(), final ? "" : "so far: ",
            (unsigned long long)s->records, (unsigned long long)s->ok,
            (unsigned long long)s->failed, (unsigned long long)s->late,
            o->slack_ms, o->exec_cmd || o->pipe_cmd ? "latency" : "lag",
            pct(v, s->nlat, 0.5), pct(v, s->nlat, 0.95), pct(v, s->nlat, 0.99),
            pct(v, s->nlat, 1), want,
            wall > 0 ? (double)s->records / wall : 0, wall);
    free(a);
    free(tmp);
}

void stats_free(struct stats *s) { free(s->latency_ns); }

/* ---- the results file -------------------------------------------------- */

struct drive {
    const struct options *o;
    struct pacer pacer;
    struct stats stats;
    cu_writer *results;
    sigset_t chld;
    int64_t mono0_ns; /* the monotonic clock ... */
    cu_time wall0;    /* ... and the wall clock, read together */
    int64_t next_progress_ns;
    /* --exec: commands in flight */
    struct child {
        pid_t pid;
        uint64_t seq;
        int64_t due, start;
    } *kids;
    size_t nkids;
    /* --pipe: the workers */
    struct worker {
        pid_t pid;
        FILE *in;
        bool dead;
    } *workers;
    uint64_t next_worker;
    char *line;
    size_t line_cap;
};

static cu_time wall_of(const struct drive *d, int64_t mono)
{
    return d->wall0 + (mono - d->mono0_ns) / 1000;
}

static void result_row(struct drive *d, uint64_t seq, int64_t due,
                       int64_t start, int64_t end, int status)
{
    double latency = (double)(end - start) / 1e6;
    bool late = (double)(start - due) / 1e6 > d->o->slack_ms;
    stats_add(&d->stats, end - start, status == 0, late);
    if (!d->results)
        return;
    cu_writer_int(d->results, (int64_t)seq);
    cu_writer_time(d->results, wall_of(d, due));
    cu_writer_time(d->results, wall_of(d, start));
    cu_writer_time(d->results, wall_of(d, end));
    char buf[32];
    int len = snprintf(buf, sizeof buf, "%.3f", latency);
    cu_writer_num(d->results, buf, (size_t)len);
    cu_writer_bool(d->results, late);
    cu_writer_int(d->results, status);
    cu_writer_end_row(d->results);
}

/* ---- waiting ----------------------------------------------------------- */

static void reap(struct drive *d, bool block)
{
    int st;
    pid_t pid;
    while ((pid = waitpid(-1, &st, block ? 0 : WNOHANG)) > 0) {
        int64_t end = now_ns();
        for (size_t i = 0; i < d->nkids; i++) {
            if (d->kids[i].pid != pid)
                continue;
            int status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
            result_row(d, d->kids[i].seq, d->kids[i].due, d->kids[i].start,
                       end, status);
            d->kids[i] = d->kids[--d->nkids];
            break;
        }
        block = false;
    }
}

/* Sleep until due, taking the ends of commands as they come. */
static void wait_until(struct drive *d, int64_t due)
{
    for (;;) {
        reap(d, false);
        int64_t left = due - now_ns();
        if (d->o->fast || left <= 0)
            return;
        struct timespec ts = {(time_t)(left / 1000000000),
                              (long)(left % 1000000000)};
        if (sigtimedwait(&d->chld, NULL, &ts) < 0 && errno != EAGAIN &&
            errno != EINTR)
            cu_die_errno(CU_EXIT_DATA, errno, "sigtimedwait");
    }
}

/* ---- a record as a line, and as the environment ------------------------ */

static void record_line(struct drive *d, const struct section *s,
                        const struct record *r)
{
    size_t n = 0;
    if (r->tsv_raw) { /* TSV in: the fields' bytes are escaped already */
        for (size_t c = 0; c < s->ncols; c++) {
            const cu_field *f = &r->f[c];
            d->line = cu_xgrow(d->line, &d->line_cap, n + f->raw_len + 2, 1);
            memcpy(d->line + n, f->raw, f->raw_len);
            n += f->raw_len;
            d->line[n++] = c + 1 < s->ncols ? '\t' : '\n';
        }
        d->line[n] = '\0';
        return;
    }
    for (size_t c = 0; c < s->ncols; c++) {
        const cu_field *f = &r->f[c];
        /* an escape at most doubles a byte; room for "\#", tab, NUL */
        d->line = cu_xgrow(d->line, &d->line_cap, n + 2 * f->len + 5, 1);
        const char *v = cu_field_is_null(f) ? NULL : f->s;
        size_t len = f->len;
        if (c == 0 && v && len && v[0] == '#') { /* not a directive */
            memcpy(d->line + n, "\\#", 2);
            n += 2;
            v++;
            len--;
        }
        n += cu_tsv_escape(v, len, d->line + n, 2 * len + 2);
        d->line[n++] = c + 1 < s->ncols ? '\t' : '\n';
    }
    d->line[n] = '\0';
}

/* CU_<COLUMN>, upper case, other than letters and digits as _ */
static void set_env(const struct section *s, const struct record *r)
{
    for (size_t c = 0; c < s->ncols; c++) {
        char name[128] = "CU_";
        size_t k = 3;
        for (const char *p = s->cols[c]; *p && k + 1 < sizeof name; p++)
            name[k++] = (*p >= 'a' && *p <= 'z')   ? (char)(*p - 32)
                        : (*p >= 'A' && *p <= 'Z') ||
                                  (*p >= '0' && *p <= '9')
                            ? *p
                            : '_';
        name[k] = '\0';
        if (cu_field_is_null(&r->f[c]))
            unsetenv(name);
        else
            setenv(name, r->f[c].s, 1);
    }
}

/* ---- --exec ------------------------------------------------------------ */

static void run_command(struct drive *d, const struct section *s,
                        const struct record *r, uint64_t seq, int64_t due)
{
    int fd[2];
    if (pipe(fd) != 0)
        cu_die_errno(CU_EXIT_DATA, errno, "pipe");
    record_line(d, s, r);
    int64_t start = now_ns();
    pid_t pid = fork();
    if (pid < 0)
        cu_die_errno(CU_EXIT_DATA, errno, "fork");
    if (pid == 0) {
        sigprocmask(SIG_UNBLOCK, &d->chld, NULL);
        set_env(s, r);
        dup2(fd[0], STDIN_FILENO);
        close(fd[0]);
        close(fd[1]);
        execl("/bin/sh", "sh", "-c", d->o->exec_cmd, (char *)NULL);
        _exit(127);
    }
    close(fd[0]);
    /* the line is small (a pipe holds 64 KiB); a command that does not
     * read it just gets EPIPE on us, which is ignored */
    size_t len = strlen(d->line);
    if (write(fd[1], d->line, len) < 0 && errno != EPIPE) {
        close(fd[1]);
        cu_die_errno(CU_EXIT_DATA, errno, "writing to a command");
    }
    close(fd[1]);
    d->kids[d->nkids++] = (struct child){pid, seq, due, start};
}

static void exec_record(void *ctx, const struct records *rs,
                        const struct record *r, uint64_t seq)
{
    struct drive *d = ctx;
    int64_t due = pacer_due(&d->pacer, r->t, seq);
    if (seq == 0)
        d->stats.first_due_ns = due;
    d->stats.last_due_ns = due;
    wait_until(d, due);
    while (d->nkids >= (size_t)d->o->jobs) { /* all busy: this one is late */
        if (sigwaitinfo(&d->chld, NULL) < 0 && errno != EINTR)
            cu_die_errno(CU_EXIT_DATA, errno, "sigwaitinfo");
        reap(d, false);
    }
    run_command(d, records_section(rs, r->section), r, seq, due);
    if (d->o->progress > 0 && now_ns() >= d->next_progress_ns) {
        if (d->next_progress_ns)
            stats_print(&d->stats, d->o, false);
        d->next_progress_ns = now_ns() + (int64_t)(d->o->progress * 1e9);
    }
}

/* ---- --pipe ------------------------------------------------------------ */

static void start_workers(struct drive *d)
{
    d->workers = cu_xcalloc((size_t)d->o->jobs, sizeof *d->workers);
    for (int i = 0; i < d->o->jobs; i++) {
        int fd[2];
        if (pipe(fd) != 0)
            cu_die_errno(CU_EXIT_DATA, errno, "pipe");
        pid_t pid = fork();
        if (pid < 0)
            cu_die_errno(CU_EXIT_DATA, errno, "fork");
        if (pid == 0) {
            sigprocmask(SIG_UNBLOCK, &d->chld, NULL);
            char num[16];
            snprintf(num, sizeof num, "%d", i);
            setenv("CU_WORKER", num, 1);
            dup2(fd[0], STDIN_FILENO);
            close(fd[0]);
            close(fd[1]);
            for (int k = 0; k < i; k++) /* the others' pipes */
                fclose(d->workers[k].in);
            execl("/bin/sh", "sh", "-c", d->o->pipe_cmd, (char *)NULL);
            _exit(127);
        }
        close(fd[0]);
        d->workers[i].pid = pid;
        d->workers[i].in = fdopen(fd[1], "w");
        if (!d->workers[i].in)
            cu_die_errno(CU_EXIT_DATA, errno, "fdopen");
        setvbuf(d->workers[i].in, NULL, _IOFBF, 1 << 16);
    }
}

/* FNV-1a: the same key goes to the same worker, run after run */
static uint64_t key_hash(const cu_field *f)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < f->len; i++)
        h = (h ^ (unsigned char)f->s[i]) * 1099511628211ULL;
    return h;
}

static void pipe_record(void *ctx, const struct records *rs,
                        const struct record *r, uint64_t seq)
{
    struct drive *d = ctx;
    const struct section *s = records_section(rs, r->section);
    int64_t due = pacer_due(&d->pacer, r->t, seq);
    if (seq == 0)
        d->stats.first_due_ns = due;
    d->stats.last_due_ns = due;
    pacer_wait(&d->pacer, due);
    uint64_t k = d->next_worker++;
    if (d->o->route) {
        size_t c = 0;
        while (c < s->ncols && strcmp(s->cols[c], d->o->route) != 0)
            c++;
        if (c == s->ncols)
            cu_die(CU_EXIT_DATA, "%s:%lu: --route: no column '%s'", r->file,
                   r->line, d->o->route);
        k = key_hash(&r->f[c]);
    }
    struct worker *w = &d->workers[k % (uint64_t)d->o->jobs];
    record_line(d, s, r);
    int64_t start = d->o->fast ? due : now_ns(); /* --fast: due is now */
    /* paced: each line goes out at its time; --fast: in big writes */
    bool ok = !w->dead && fputs(d->line, w->in) >= 0 &&
              (d->o->fast || fflush(w->in) == 0);
    if (!ok)
        w->dead = true; /* its later records fail too */
    result_row(d, seq, due, start, now_ns(), ok ? 0 : 1);
}

static void stop_workers(struct drive *d)
{
    for (int i = 0; i < d->o->jobs; i++) {
        struct worker *w = &d->workers[i];
        bool bad = fclose(w->in) != 0 && !w->dead;
        int st;
        while (waitpid(w->pid, &st, 0) < 0 && errno == EINTR)
            ;
        int status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        if (status != 0 || bad) {
            cu_warn("worker %d (pid %ld) exited with status %d", i,
                    (long)w->pid, status);
            d->stats.failed++;
        }
    }
    free(d->workers);
}

/* ---- the run ------------------------------------------------------------ */

void drive(const struct options *o, char **paths, size_t n)
{
    struct drive d = {.o = o, .pacer = {.o = o}};
    sigemptyset(&d.chld);
    sigaddset(&d.chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &d.chld, NULL);
    signal(SIGPIPE, SIG_IGN); /* a worker gone: its writes fail, counted */
    d.mono0_ns = now_ns();
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    d.wall0 = (cu_time)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
    d.stats.start_ns = d.mono0_ns;
    if (o->results) {
        static const char *const cols[] = {"seq", "due_time", "start_time",
                                           "end_time", "latency_ms", "late",
                                           "exit_status"};
        d.results = cu_writer_open_path(o->results, CU_FMT_TSV,
                                        o->common.write_flags);
        cu_writer_section(d.results, NULL, cols, 7);
    }
    if (o->exec_cmd) {
        d.kids = cu_xcalloc((size_t)o->jobs, sizeof *d.kids);
        records_replay(o, paths, n, exec_record, &d);
        while (d.nkids)
            reap(&d, true);
        free(d.kids);
    } else {
        start_workers(&d);
        records_replay(o, paths, n, pipe_record, &d);
        stop_workers(&d);
    }
    stats_print(&d.stats, o, true);
    if (d.results)
        cu_close_output(d.results, &o->common);
    else if (o->common.stats) /* what was written went to the commands */
        cu_stats_wrote(o->exec_cmd ? "(commands)" : "(workers)",
                       d.stats.records, 0, 0);
    bool failed = d.stats.failed > 0;
    stats_free(&d.stats);
    free(d.line);
    if (failed)
        exit(CU_EXIT_DATA);
}
