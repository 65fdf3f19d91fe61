/* Records: read from any cu stream, in time order (checked, or sorted with
 * --sort), selected by --from, --until, --duration and --limit, and
 * repeated by --loop. A replay without --sort or --loop streams: a record
 * is handed on as soon as it is read, and nothing is kept. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "replay.h"

struct records {
    const struct options *o;
    cu_reader *r;
    struct section *sections;
    size_t nsections, sections_cap;
    /* kept records (--sort, --loop) and their bytes */
    struct record *kept;
    size_t nkept, kept_cap;
    cu_field *fields;
    size_t nfields, fields_cap;
    char **arena;
    size_t narena, arena_cap;
    cu_field *row; /* the current row's fields, when streaming */
    size_t row_cap;
};

const struct section *records_section(const struct records *rs, uint32_t i)
{
    return &rs->sections[i];
}

static const char *const default_time_fields[] = {"start_time", "start",
                                                  "time", "created_at"};

static void new_section(struct records *rs)
{
    cu_reader *r = rs->r;
    rs->sections = cu_xgrow(rs->sections, &rs->sections_cap,
                            rs->nsections + 1, sizeof *rs->sections);
    struct section *s = &rs->sections[rs->nsections++];
    const char *table = cu_reader_table(r);
    s->table = table ? cu_xstrndup(table, strlen(table)) : NULL;
    s->ncols = cu_reader_ncols(r);
    s->cols = cu_xcalloc(s->ncols ? s->ncols : 1, sizeof *s->cols);
    for (size_t c = 0; c < s->ncols; c++) {
        const char *name = cu_reader_colname(r, c);
        s->cols[c] = cu_xstrndup(name, strlen(name));
    }
    if (rs->o->time_field) {
        s->time_col = cu_reader_need_col(r, rs->o->time_field);
        return;
    }
    for (size_t k = 0; k < 4; k++) {
        long c = cu_reader_col(r, default_time_fields[k]);
        if (c >= 0) {
            s->time_col = (size_t)c;
            return;
        }
    }
    cu_die(CU_EXIT_DATA, "%s:%lu: %s has none of the time columns "
           "start_time, start, time, created_at (name one with --time-field)",
           cu_reader_filename(r), cu_reader_lineno(r),
           table ? table : "the section");
}

static void free_sections(struct records *rs)
{
    for (size_t i = 0; i < rs->nsections; i++) {
        cu_free_strings(rs->sections[i].cols, rs->sections[i].ncols);
        free(rs->sections[i].table);
    }
    free(rs->sections);
}

/* The current row as a record; its fields point into the reader. */
static struct record current(struct records *rs, cu_time t)
{
    const struct section *s = &rs->sections[rs->nsections - 1];
    rs->row = cu_xgrow(rs->row, &rs->row_cap, s->ncols ? s->ncols : 1,
                       sizeof *rs->row);
    for (size_t c = 0; c < s->ncols; c++)
        rs->row[c] = *cu_reader_field(rs->r, c);
    return (struct record){(uint32_t)(rs->nsections - 1), t, rs->row,
                           cu_reader_filename(rs->r), cu_reader_lineno(rs->r),
                           cu_reader_format(rs->r) == CU_FMT_TSV};
}

/* The record kept: its fields copied (an index into rs->fields until all
 * are read, as the array moves). */
static void keep(struct records *rs, const struct record *r)
{
    const struct section *s = &rs->sections[r->section];
    rs->fields = cu_xgrow(rs->fields, &rs->fields_cap, rs->nfields + s->ncols,
                          sizeof *rs->fields);
    for (size_t c = 0; c < s->ncols; c++) {
        cu_field f = r->f[c];
        char *copy = cu_xmalloc(f.len + 1);
        memcpy(copy, f.s, f.len);
        copy[f.len] = '\0';
        rs->arena = cu_xgrow(rs->arena, &rs->arena_cap, rs->narena + 1,
                             sizeof *rs->arena);
        rs->arena[rs->narena++] = copy;
        f.s = f.raw = copy;
        f.raw_len = f.len;
        rs->fields[rs->nfields + c] = f;
    }
    rs->kept = cu_xgrow(rs->kept, &rs->kept_cap, rs->nkept + 1,
                        sizeof *rs->kept);
    struct record k = *r;
    k.f = (cu_field *)(uintptr_t)rs->nfields; /* resolved after reading */
    k.file = r->file;
    k.tsv_raw = false; /* the copies are decoded */
    rs->kept[rs->nkept++] = k;
    rs->nfields += s->ncols;
}

static int by_time(const void *pa, const void *pb)
{
    const struct record *a = pa, *b = pb;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    /* stable: input order (the fields' offsets grow with it) */
    uintptr_t x = (uintptr_t)a->f, y = (uintptr_t)b->f;
    return (x > y) - (x < y);
}

/* ---- selection --------------------------------------------------------- */

struct select {
    const struct options *o;
    uint64_t taken;
    cu_time first; /* the first kept record's time */
    cu_time stop;  /* --duration: nothing from here on */
};

enum verdict { TAKE, SKIP, STOP };

static enum verdict choose(struct select *sel, cu_time t)
{
    const struct options *o = sel->o;
    if (o->from != CU_TIME_NULL && t < o->from)
        return SKIP;
    if (o->until != CU_TIME_NULL && t >= o->until)
        return STOP;
    if (o->limit && sel->taken >= (uint64_t)o->limit)
        return STOP;
    if (sel->first == CU_TIME_NULL) {
        sel->first = t;
        if (o->duration.months || o->duration.usec)
            sel->stop = cu_time_add(t, o->duration, 1);
    }
    if (sel->stop != CU_TIME_NULL && t >= sel->stop)
        return STOP;
    sel->taken++;
    return TAKE;
}

/* ---- reading ------------------------------------------------------------ */

/* The next row's record, or false at the end; its order checked. */
static bool next(struct records *rs, struct record *rec, cu_time *prev,
                 unsigned long *prev_line)
{
    enum cu_next k;
    while ((k = cu_reader_next(rs->r)) != CU_EOF) {
        if (k == CU_SECTION) {
            new_section(rs);
            continue;
        }
        size_t tc = rs->sections[rs->nsections - 1].time_col;
        cu_time t = cu_reader_time(rs->r, tc);
        if (t == CU_TIME_NULL)
            cu_reader_die_field(rs->r, tc, "a record needs a time");
        if (!rs->o->sort && *prev != CU_TIME_NULL && t < *prev)
            cu_reader_die_field(rs->r, tc, "earlier than the record before "
                                "it (line %lu): the input must be in time "
                                "order, or use --sort", *prev_line);
        *prev = t;
        *prev_line = cu_reader_lineno(rs->r);
        *rec = current(rs, t);
        return true;
    }
    return false;
}

static void stream_records(struct records *rs, record_fn fn, void *ctx)
{
    struct select sel = {rs->o, 0, CU_TIME_NULL, CU_TIME_NULL};
    cu_time prev = CU_TIME_NULL;
    unsigned long prev_line = 0;
    struct record rec;
    uint64_t seq = 0;
    while (next(rs, &rec, &prev, &prev_line)) {
        enum verdict v = choose(&sel, rec.t);
        if (v == STOP)
            break;
        if (v == TAKE)
            fn(ctx, rs, &rec, seq++);
    }
}

static void kept_records(struct records *rs, record_fn fn, void *ctx)
{
    cu_time prev = CU_TIME_NULL;
    unsigned long prev_line = 0;
    struct record rec;
    while (next(rs, &rec, &prev, &prev_line))
        keep(rs, &rec);
    if (rs->o->sort && rs->nkept) /* kept is NULL when nothing was read */
        qsort(rs->kept, rs->nkept, sizeof *rs->kept, by_time);
    for (size_t i = 0; i < rs->nkept; i++)
        rs->kept[i].f = rs->fields + (uintptr_t)rs->kept[i].f;
    /* select once, then loop over the selection */
    struct select sel = {rs->o, 0, CU_TIME_NULL, CU_TIME_NULL};
    size_t first = 0, end = 0;
    for (size_t i = 0; i < rs->nkept; i++) {
        enum verdict v = choose(&sel, rs->kept[i].t);
        if (v == STOP)
            break;
        if (v == SKIP)
            first = i + 1;
        end = i + 1;
    }
    if (end <= first)
        return;
    /* records skipped inside [first, end) cannot be: the input is in
     * order, so --from skips a prefix */
    cu_time span = rs->kept[end - 1].t - rs->kept[first].t;
    uint64_t seq = 0;
    for (int64_t loop = 0; loop < rs->o->loop; loop++)
        for (size_t i = first; i < end; i++) {
            struct record r = rs->kept[i];
            r.t += loop * span;
            fn(ctx, rs, &r, seq++);
        }
}

void records_replay(const struct options *o, char **paths, size_t n,
                    record_fn fn, void *ctx)
{
    struct records rs = {.o = o};
    rs.r = cu_reader_open((const char *const *)paths, n, CU_FMT_AUTO);
    if (o->sort || o->loop > 1)
        kept_records(&rs, fn, ctx);
    else
        stream_records(&rs, fn, ctx);
    cu_reader_close(rs.r);
    cu_free_strings(rs.arena, rs.narena);
    cu_free_all(rs.kept, rs.fields, rs.row);
    free_sections(&rs);
}
