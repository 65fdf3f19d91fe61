/* Reading the span stream, what every report shares: its columns, which
 * spans count (the audit rule of cu(7)), times clipped to the window, open
 * spans, and the calendar periods a span is split into. */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "report.h"
#include "stream.h"

const char *const group_col_name[NGROUP] = {"site", "project", "user",
                                            "flavor", "host", "instance",
                                            "booking", "institution"};
const char *const state_name[NSTATE] = {"active", "stopped", "error",
                                        "shelved"};

const char *const span_col_name[NSPANCOL] = {
    "site", "kind", "state", "id", "start", "end", "host", "project", "user",
    "flavor", "booking", "nodes", "vcpus", "memory_mb", "disk_gb", "audit"};

void span_columns(cu_reader *r, size_t col[NSPANCOL])
{
    long only[NSPANCOL];
    for (int c = 0; c < NSPANCOL; c++)
        only[c] = (long)(col[c] = cu_reader_need_col(r, span_col_name[c]));
    cu_reader_only(r, only, NSPANCOL);
}

bool span_counts(const cu_reader *r, const size_t col[NSPANCOL])
{
    const cu_field *f = cu_reader_field(r, col[SC_AUDIT]);
    static const char *const counted[] = {"ok", "clipped", "fallback",
                                          "inferred"};
    static const char *const left_out[] = {"orphan", "null_key", "rejected"};
    for (size_t i = 0; i < 4; i++)
        if (cu_field_equals(f, counted[i]))
            return true;
    for (size_t i = 0; i < 3; i++)
        if (cu_field_equals(f, left_out[i]))
            return false;
    cu_reader_die_field(r, col[SC_AUDIT],
                        "unknown audit (ok, clipped, fallback, inferred, "
                        "orphan, null_key, rejected)");
}

int span_state(const cu_reader *r, const size_t col[NSPANCOL])
{
    const cu_field *f = cu_reader_field(r, col[SC_STATE]);
    for (int s = 0; s < NSTATE; s++)
        if (cu_field_equals(f, state_name[s]))
            return s;
    cu_reader_die_field(r, col[SC_STATE], "unknown instance state (active, "
                                          "stopped, error, shelved)");
}

void span_times(const cu_reader *r, const size_t col[NSPANCOL], cu_time *s,
                cu_time *e, cu_time *input_tmax)
{
    *s = cu_reader_time(r, col[SC_START]);
    *e = cu_reader_time(r, col[SC_END]);
    if (*s == CU_TIME_NULL)
        cu_reader_die_field(r, col[SC_START], "a span needs a start");
    if (*e != CU_TIME_NULL && *e < *s)
        cu_reader_die_field(r, col[SC_END], "end before start");
    if (*s > *input_tmax)
        *input_tmax = *s;
    if (*e != CU_TIME_NULL && *e > *input_tmax)
        *input_tmax = *e;
}

bool span_clip(const struct options *o, cu_time *s, cu_time *e)
{
    if (o->end != CU_TIME_NULL && (*e == CU_TIME_NULL || *e > o->end))
        *e = o->end;
    if (o->start != CU_TIME_NULL && *s < o->start)
        *s = o->start;
    return *s < *e;
}


/* the span column of each text value (enum group_col order) */
static const enum span_col text_col[NTEXT] = {
    SC_SITE, SC_PROJECT, SC_USER, SC_FLAVOR, SC_HOST, SC_ID, SC_BOOKING};

void span_text(const cu_reader *r, const size_t col[NSPANCOL],
               struct text text[NTEXT])
{
    for (int i = 0; i < NTEXT; i++) {
        const cu_field *f = cu_reader_field(r, col[text_col[i]]);
        text[i] = (struct text){cu_field_is_null(f) ? NULL : f->s, f->len};
    }
}

/* ---- the instance spans that count -------------------------------------- */

/* A span whose end is still open: counted once the input's end is known;
 * its text copied into one allocation. */
struct pending {
    struct span sp;
    char *strings;
};

struct reading {
    const struct options *o;
    const bool *states;
    const struct span_reader *to;
    cu_reader *r;
    size_t col[NSPANCOL];
    struct pending *pend;
    size_t npend, pend_cap;
    cu_time input_tmax; /* the latest time the input mentions */
    uint64_t nulls;     /* sizes of counted spans that were \N */
    /* the instance runs: the last one's (site, id), its seq, the order */
    char *run_key;
    size_t run_len, run_cap;
    uint64_t seq;
    bool in_order;
};

/* A size: a non-negative integer (\N counts as 0, and is counted). */
static int64_t size_of(struct reading *rd, size_t i)
{
    const cu_field *f = cu_reader_field(rd->r, i);
    if (cu_field_is_null(f)) {
        rd->nulls++;
        return 0;
    }
    int64_t v = cu_reader_int(rd->r, i, 0);
    if (v < 0 || v > (INT64_C(1) << 40))
        cu_reader_die_field(rd->r, i, "size out of range (0 to 2^40)");
    return v;
}

/* The run of the span: a new one when (site, id) changes; the order is
 * lost when a run's key is not above the one before. */
static void place_in_run(struct reading *rd, struct span *sp)
{
    const struct text *site = &sp->text[G_SITE], *id = &sp->text[G_INSTANCE];
    size_t len = 1 + site->len + 1 + id->len;
    char buf[256], *key = len <= sizeof buf ? buf : cu_xmalloc(len);
    key[0] = site->s ? 1 : 0; /* \N first */
    if (site->len)
        memcpy(key + 1, site->s, site->len);
    key[1 + site->len] = 0; /* ends the site: a shorter one sorts first */
    memcpy(key + 2 + site->len, id->s, id->len);
    if (!(rd->seq && len == rd->run_len && !memcmp(key, rd->run_key, len))) {
        size_t m = len < rd->run_len ? len : rd->run_len;
        int c = rd->seq ? memcmp(key, rd->run_key, m) : 1;
        if (c < 0 || (c == 0 && len < rd->run_len))
            rd->in_order = false;
        rd->run_key = cu_xgrow(rd->run_key, &rd->run_cap, len, 1);
        memcpy(rd->run_key, key, len);
        rd->run_len = len;
        rd->seq++;
    }
    if (key != buf)
        free(key);
    sp->seq = rd->seq;
    sp->in_order = rd->in_order;
    sp->memo = NULL;
}

static void keep_open_span(struct reading *rd, const struct span *sp)
{
    size_t total = 0;
    for (int i = 0; i < NTEXT; i++)
        total += sp->text[i].len;
    rd->pend = cu_xgrow(rd->pend, &rd->pend_cap, rd->npend + 1,
                        sizeof *rd->pend);
    struct pending *p = &rd->pend[rd->npend++];
    p->sp = *sp;
    if (rd->to->set_aside)
        p->sp.memo = rd->to->set_aside(rd->to->ctx, sp);
    p->strings = cu_xmalloc(total ? total : 1);
    char *q = p->strings;
    for (int i = 0; i < NTEXT; i++) {
        if (!sp->text[i].s)
            continue;
        memcpy(q, sp->text[i].s, sp->text[i].len);
        p->sp.text[i].s = q;
        q += sp->text[i].len;
    }
}

static void read_span(struct reading *rd)
{
    const cu_reader *r = rd->r;
    const size_t *col = rd->col;
    struct span sp;
    span_times(r, col, &sp.start, &sp.end, &rd->input_tmax);
    const cu_field *kind = cu_reader_field(r, col[SC_KIND]);
    if (!(cu_field_equals(kind, "instance") ||
          (rd->to->containers && cu_field_equals(kind, "container"))) ||
        !span_counts(r, col))
        return;
    sp.state = (enum state)span_state(r, col);
    if (!rd->states[sp.state])
        return;
    span_text(r, col, sp.text);
    if (!sp.text[G_INSTANCE].s)
        cu_reader_die_field(r, col[SC_ID], "an instance span needs its id");
    sp.vcpus = size_of(rd, col[SC_VCPUS]);
    sp.memory_mb = size_of(rd, col[SC_MEMORY]);
    sp.disk_gb = size_of(rd, col[SC_DISK]);
    place_in_run(rd, &sp);
    if (sp.end == CU_TIME_NULL && rd->o->end == CU_TIME_NULL)
        keep_open_span(rd, &sp); /* ends where the input ends */
    else if (span_clip(rd->o, &sp.start, &sp.end))
        rd->to->count(rd->to->ctx, &sp);
}

static void count_open_spans(struct reading *rd)
{
    for (size_t i = 0; i < rd->npend; i++) {
        struct span *sp = &rd->pend[i].sp;
        sp->end = rd->input_tmax;
        if (span_clip(rd->o, &sp->start, &sp->end))
            rd->to->count(rd->to->ctx, sp);
        free(sp->memo);
        free(rd->pend[i].strings);
    }
    free(rd->pend);
}

void spans_each(const struct options *o, char **paths, size_t n,
                const bool states[NSTATE], const struct span_reader *to)
{
    struct reading rd = {.o = o, .states = states, .to = to,
                         .input_tmax = INT64_MIN, .in_order = true};
    rd.r = cu_reader_open((const char *const *)paths, n, CU_FMT_AUTO);
    enum cu_next k;
    while ((k = cu_reader_next(rd.r)) != CU_EOF) {
        if (k == CU_SECTION)
            span_columns(rd.r, rd.col);
        else
            read_span(&rd);
    }
    cu_reader_close(rd.r);
    count_open_spans(&rd);
    free(rd.run_key);
    if (rd.nulls)
        cu_warn("%" PRIu64 " size%s of counted spans \\N, counted as 0",
                rd.nulls, rd.nulls == 1 ? "" : "s");
}

/* ---- periods ----------------------------------------------------------- */

static cu_duration period_width(enum period p)
{
    switch (p) {
    case P_DAY: return (cu_duration){0, 86400 * INT64_C(1000000)};
    case P_WEEK: return (cu_duration){0, 7 * 86400 * INT64_C(1000000)};
    case P_MONTH: return (cu_duration){1, 0};
    case P_QUARTER: return (cu_duration){3, 0};
    default: return (cu_duration){12, 0};
    }
}

/* Weeks start on Monday: 1970-01-05 was one. */
static cu_time period_origin(enum period p)
{
    return p == P_WEEK ? 4 * 86400 * INT64_C(1000000) : CU_TIME_NULL;
}

cu_time period_start(enum period p, cu_time t)
{
    return p == P_ALL ? 0 : cu_time_floor(t, period_width(p), period_origin(p));
}

cu_time period_next(enum period p, cu_time start)
{
    return p == P_ALL ? INT64_MAX : cu_time_add(start, period_width(p), 1);
}

