/* --simulate HOSTS: the instances of a span stream placed on a model cloud.
 * Each instance takes room for its largest size from its first span on a
 * host to its last (a bare-metal instance, nodes 1, takes a whole free
 * host), on the host --placement picks, and gives it back at its end; one
 * that finds no room is rejected. The output is the span stream of the
 * simulated cloud: a total span per model host from the trace's start,
 * the instances' own spans on the hosts chosen (times, states and sizes as
 * they were, so occupied hours are the trace's), and the rejected ones
 * with audit `rejected`, which cu-timeline and cu-report leave out. The
 * model has no reservations: every instance is on demand. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "intern.h"
#include "replay.h"
#include "writer.h"

enum col { C_SITE, C_KIND, C_STATE, C_ID, C_START, C_END, C_HOST, C_PROJECT,
           C_USER, C_RESERVATION, C_LEASE, C_FLAVOR, C_BOOKING, C_NODES,
           C_VCPUS, C_MEMORY, C_DISK, C_AUDIT, NCOL };
static const char *const col_name[NCOL] = {
    "site", "kind", "state", "id", "start", "end", "host", "project", "user",
    "reservation", "lease", "flavor", "booking", "nodes", "vcpus",
    "memory_mb", "disk_gb", "audit"};

struct span { /* an instance span, its text kept */
    char *text[NCOL]; /* NULL for \N */
    cu_time start, end; /* end CU_TIME_NULL: open */
    uint32_t inst;
};

struct instance {
    cu_time start, end;   /* on a host: its spans not shelved */
    int64_t need[3];      /* the largest vcpus, memory_mb, disk_gb */
    bool bare;            /* nodes 1: a whole host */
    int32_t host;         /* -1: not placed (yet), or rejected */
    bool rejected;
};

struct host {
    char *name;
    int64_t size[3], free[3]; /* vcpus, memory_mb, disk_gb */
    uint32_t busy;            /* instances on it */
};

struct model {
    struct host *h;
    size_t n, cap;
};

/* ---- reading ----------------------------------------------------------- */

static void read_hosts(struct model *m, const char *path)
{
    const char *paths[] = {path};
    cu_reader *r = cu_reader_open(paths, 1, CU_FMT_AUTO);
    size_t c[5] = {0};
    static const char *const names[5] = {"host", "vcpus", "memory_mb",
                                         "disk_gb", "count"};
    enum cu_next k;
    while ((k = cu_reader_next(r)) != CU_EOF) {
        if (k == CU_SECTION) {
            for (int i = 0; i < 5; i++)
                c[i] = cu_reader_need_col(r, names[i]);
            continue;
        }
        const cu_field *host = cu_reader_field(r, c[0]);
        if (cu_field_is_null(host) || !host->len)
            cu_reader_die_field(r, c[0], "a host name is needed");
        int64_t size[3], count = cu_reader_int(r, c[4], -1);
        for (int i = 0; i < 3; i++) {
            size[i] = cu_reader_int(r, c[1 + i], -1);
            if (size[i] < 0)
                cu_reader_die_field(r, c[1 + i], "a size of 0 or more is needed");
        }
        if (count < 1 || count > 1000000)
            cu_reader_die_field(r, c[4], "a count from 1 to 10^6 is needed");
        for (int64_t j = 1; j <= count; j++) {
            m->h = cu_xgrow(m->h, &m->cap, m->n + 1, sizeof *m->h);
            struct host *x = &m->h[m->n++];
            char buf[300];
            snprintf(buf, sizeof buf, "%.*s-%" PRId64, (int)host->len, host->s, j);
            x->name = cu_xstrndup(buf, strlen(buf));
            memcpy(x->size, size, sizeof size);
            memcpy(x->free, size, sizeof size);
            x->busy = 0;
        }
    }
    cu_reader_close(r);
    if (!m->n)
        cu_die(CU_EXIT_USAGE, "%s: no hosts", path);
}

struct trace {
    struct span *spans;
    size_t nspans, spans_cap;
    struct instance *inst;
    size_t ninst, inst_cap;
    cu_intern *ids;
    cu_time tmin, tmax; /* what the input mentions */
    char *site;         /* the first instance's site, for the hosts */
};

static bool counted(const cu_field *audit)
{
    static const char *const ok[] = {"ok", "clipped", "fallback", "inferred"};
    for (int i = 0; i < 4; i++)
        if (cu_field_equals(audit, ok[i]))
            return true;
    return false;
}

static void read_span(struct trace *tr, cu_reader *r, const size_t *c)
{
    cu_time s = cu_reader_time(r, c[C_START]), e = cu_reader_time(r, c[C_END]);
    if (s == CU_TIME_NULL)
        cu_reader_die_field(r, c[C_START], "a span needs a start");
    if (s < tr->tmin)
        tr->tmin = s;
    if ((e != CU_TIME_NULL ? e : s) > tr->tmax)
        tr->tmax = e != CU_TIME_NULL ? e : s;
    if (!cu_field_equals(cu_reader_field(r, c[C_KIND]), "instance") ||
        !counted(cu_reader_field(r, c[C_AUDIT])))
        return;
    const cu_field *id = cu_reader_field(r, c[C_ID]);
    if (cu_field_is_null(id))
        cu_reader_die_field(r, c[C_ID], "an instance span needs its id");
    size_t before = cu_intern_count(tr->ids);
    uint32_t i = cu_intern_add(tr->ids, id->s, id->len);
    if (i == before) {
        tr->inst = cu_xgrow(tr->inst, &tr->inst_cap, i + 1, sizeof *tr->inst);
        tr->inst[i] = (struct instance){CU_TIME_NULL, CU_TIME_NULL, {0, 0, 0},
                                        false, -1, false};
        tr->ninst++;
    }
    struct span sp = {.start = s, .end = e, .inst = i};
    for (int k = 0; k < NCOL; k++) {
        const cu_field *f = cu_reader_field(r, c[k]);
        sp.text[k] = cu_field_is_null(f) ? NULL : cu_xstrndup(f->s, f->len);
    }
    if (!tr->site && sp.text[C_SITE])
        tr->site = cu_xstrndup(sp.text[C_SITE], strlen(sp.text[C_SITE]));
    struct instance *in = &tr->inst[i];
    if (!cu_field_equals(cu_reader_field(r, c[C_STATE]), "shelved")) {
        if (in->start == CU_TIME_NULL || s < in->start)
            in->start = s;
        cu_time end = e == CU_TIME_NULL ? INT64_MAX : e;
        if (in->end == CU_TIME_NULL || end > in->end)
            in->end = end;
        for (int k = 0; k < 3; k++) {
            int64_t v = cu_reader_int(r, c[C_VCPUS + k], 0);
            if (v < 0)
                cu_reader_die_field(r, c[C_VCPUS + k], "a size of 0 or more");
            if (v > in->need[k])
                in->need[k] = v;
        }
        const cu_field *nodes = cu_reader_field(r, c[C_NODES]);
        in->bare |= cu_field_equals(nodes, "1");
    }
    tr->spans = cu_xgrow(tr->spans, &tr->spans_cap, tr->nspans + 1,
                         sizeof *tr->spans);
    tr->spans[tr->nspans++] = sp;
}

static void read_trace(struct trace *tr, char **paths, size_t n)
{
    cu_reader *r = cu_reader_open((const char *const *)paths, n, CU_FMT_AUTO);
    size_t c[NCOL];
    enum cu_next k;
    while ((k = cu_reader_next(r)) != CU_EOF) {
        if (k == CU_SECTION) {
            for (int i = 0; i < NCOL; i++)
                c[i] = cu_reader_need_col(r, col_name[i]);
            continue;
        }
        read_span(tr, r, c);
    }
    cu_reader_close(r);
    for (size_t i = 0; i < tr->ninst; i++) /* open: to the input's end */
        if (tr->inst[i].end == INT64_MAX)
            tr->inst[i].end = tr->tmax;
}

/* ---- placing ----------------------------------------------------------- */

static bool fits(const struct host *x, const struct instance *in)
{
    if (in->bare)
        return x->busy == 0;
    return x->free[0] >= in->need[0] && x->free[1] >= in->need[1] &&
           x->free[2] >= in->need[2];
}

/* The host for an instance, or -1: first fit, best fit (the least vCPUs
 * left that still fit) or spread (the most). A scan of the hosts: at 10^3
 * hosts and 10^6 instances, about a second. */
static int32_t choose_host(const struct model *m, const struct instance *in,
                           enum placement p)
{
    int32_t best = -1;
    for (size_t h = 0; h < m->n; h++) {
        if (!fits(&m->h[h], in))
            continue;
        if (p == PLACE_FIRST_FIT)
            return (int32_t)h;
        if (best < 0 ||
            (p == PLACE_BEST_FIT ? m->h[h].free[0] < m->h[best].free[0]
                                 : m->h[h].free[0] > m->h[best].free[0]))
            best = (int32_t)h;
    }
    return best;
}

/* What an instance holds on its host: all of it when bare metal. */
static int64_t held(const struct host *x, const struct instance *in, int k)
{
    return in->bare ? x->size[k] : in->need[k];
}

static void take(struct host *x, const struct instance *in, int sign)
{
    x->busy += sign > 0 ? 1 : (uint32_t)-1;
    for (int k = 0; k < 3; k++)
        x->free[k] -= sign * held(x, in, k);
}

/* a min-heap of placed instances by end */
struct heap {
    uint32_t *v;
    size_t n, cap;
    const struct instance *inst;
};

static bool before(const struct heap *hp, uint32_t a, uint32_t b)
{
    return hp->inst[a].end < hp->inst[b].end;
}

static void heap_push(struct heap *hp, uint32_t x)
{
    hp->v = cu_xgrow(hp->v, &hp->cap, hp->n + 1, sizeof *hp->v);
    size_t i = hp->n++;
    while (i && before(hp, x, hp->v[(i - 1) / 2])) {
        hp->v[i] = hp->v[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    hp->v[i] = x;
}

static uint32_t heap_pop(struct heap *hp)
{
    uint32_t top = hp->v[0], x = hp->v[--hp->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= hp->n)
            break;
        if (c + 1 < hp->n && before(hp, hp->v[c + 1], hp->v[c]))
            c++;
        if (!before(hp, hp->v[c], x))
            break;
        hp->v[i] = hp->v[c];
        i = c;
    }
    if (hp->n)
        hp->v[i] = x;
    return top;
}

/* Instance indexes by start (ctx: the instances). */
static int by_start(const void *a, const void *b, void *ctx)
{
    const struct instance *sort_inst = ctx;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    cu_time s = sort_inst[x].start, t = sort_inst[y].start;
    return s != t ? (s < t ? -1 : 1) : (x > y) - (x < y);
}

struct summary {
    uint64_t placed, rejected, reject_hours;
    int64_t peak_vcpus;
};

static void place_all(struct trace *tr, struct model *m, enum placement p,
                      struct summary *sum)
{
    uint32_t *order = cu_xcalloc(tr->ninst ? tr->ninst : 1, sizeof *order);
    size_t n = 0;
    for (uint32_t i = 0; i < tr->ninst; i++)
        if (tr->inst[i].start != CU_TIME_NULL) /* shelved throughout: no host */
            order[n++] = i;
    qsort_r(order, n, sizeof *order, by_start, (void *)tr->inst);
    struct heap hp = {.inst = tr->inst};
    int64_t in_use = 0, last_hour = INT64_MIN;
    for (size_t k = 0; k < n; k++) {
        struct instance *in = &tr->inst[order[k]];
        while (hp.n && tr->inst[hp.v[0]].end <= in->start) {
            struct instance *done = &tr->inst[heap_pop(&hp)];
            take(&m->h[done->host], done, -1);
            in_use -= held(&m->h[done->host], done, 0);
        }
        int32_t h = choose_host(m, in, p);
        if (h < 0) {
            in->rejected = true;
            sum->rejected++;
            int64_t hour = in->start / (3600 * INT64_C(1000000));
            sum->reject_hours += hour != last_hour;
            last_hour = hour;
            continue;
        }
        in->host = h;
        take(&m->h[h], in, 1);
        in_use += held(&m->h[h], in, 0);
        if (in_use > sum->peak_vcpus)
            sum->peak_vcpus = in_use;
        sum->placed++;
        heap_push(&hp, order[k]);
    }
    free(hp.v);
    free(order);
}

/* ---- writing ----------------------------------------------------------- */

static void write_text(cu_writer *w, const char *s) { cu_writer_cstr(w, s); }

static void write_spans(const struct trace *tr, const struct model *m,
                        const struct options *o)
{
    cu_writer *w = cu_writer_fdopen(1, "(stdout)", o->common.out_format,
                                    o->common.write_flags);
    cu_writer_section(w, NULL, col_name, NCOL);
    for (size_t i = 0; i < tr->nspans; i++) {
        const struct span *sp = &tr->spans[i];
        const struct instance *in = &tr->inst[sp->inst];
        bool on_host = sp->text[C_HOST] && !in->rejected && in->host >= 0;
        for (int k = 0; k < NCOL; k++) {
            if (k == C_START || k == C_END)
                cu_writer_time(w, k == C_START ? sp->start : sp->end);
            else if (k == C_HOST)
                write_text(w, on_host ? m->h[in->host].name : NULL);
            else if (k == C_RESERVATION || k == C_LEASE)
                cu_writer_null(w);
            else if (k == C_BOOKING)
                write_text(w, "ondemand");
            else if (k == C_AUDIT)
                write_text(w, in->rejected ? "rejected" : sp->text[k]);
            else if (k >= C_NODES && k <= C_DISK && sp->text[k])
                cu_writer_num(w, sp->text[k], strlen(sp->text[k]));
            else
                write_text(w, sp->text[k]);
        }
        cu_writer_end_row(w);
    }
    for (size_t h = 0; h < m->n; h++) { /* the model's hosts, the window */
        char num[3][24];
        write_text(w, tr->site);
        write_text(w, "total");
        write_text(w, "total");
        write_text(w, m->h[h].name);
        cu_writer_time(w, tr->tmin);
        cu_writer_null(w); /* open, as a real host's: it outlives the trace */
        write_text(w, m->h[h].name);
        for (int k = C_PROJECT; k <= C_BOOKING; k++)
            cu_writer_null(w);
        cu_writer_num(w, "1", 1);
        for (int k = 0; k < 3; k++)
            cu_writer_num(w, num[k], cu_format_int(m->h[h].size[k], num[k]));
        write_text(w, "ok");
        cu_writer_end_row(w);
    }
    cu_close_output(w, &o->common);
}

void simulate(const struct options *o, char **paths, size_t n)
{
    struct model m = {0};
    read_hosts(&m, o->hosts);
    struct trace tr = {.ids = cu_intern_new(), .tmin = INT64_MAX,
                       .tmax = INT64_MIN};
    read_trace(&tr, paths, n);
    if (tr.tmin > tr.tmax)
        tr.tmin = tr.tmax = 0;
    struct summary sum = {0};
    place_all(&tr, &m, o->placement, &sum);
    write_spans(&tr, &m, o);
    fprintf(stderr, "%s: %" PRIu64 " instances placed on %zu hosts, %" PRIu64
            " rejected (in %" PRIu64 " hours); peak %" PRId64
            " vCPUs in use\n", cu_program_name(), sum.placed, m.n,
            sum.rejected, sum.reject_hours, sum.peak_vcpus);
    for (size_t i = 0; i < tr.nspans; i++)
        for (int k = 0; k < NCOL; k++)
            free(tr.spans[i].text[k]);
    cu_free_all(tr.spans, tr.inst, tr.site);
    cu_intern_free(tr.ids);
    for (size_t h = 0; h < m.n; h++)
        free(m.h[h].name);
    free(m.h);
}
