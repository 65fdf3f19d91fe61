/* lib/columns: see columns.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "error.h"

void cu_rows_bind(struct cu_rows *rows, cu_reader *r,
                  const struct cu_col *cols, size_t ncols,
                  const struct cu_row_hooks *hooks, bool only)
{
    *rows = (struct cu_rows){.r = r, .cols = cols, .ncols = ncols,
                             .hooks = *hooks};
    rows->at = cu_xmalloc((ncols ? ncols : 1) * sizeof *rows->at);
    for (size_t i = 0; i < ncols; i++)
        rows->at[i] = cols[i].flags & CU_COL_NEED
                          ? (long)cu_reader_need_col(r, cols[i].name)
                          : cu_reader_col(r, cols[i].name);
    if (only)
        cu_reader_only(r, rows->at, ncols);
}

void cu_rows_unbind(struct cu_rows *rows)
{
    free(rows->at);
    rows->at = NULL;
}

void cu_rows_bad(struct cu_rows *rows, long col, const char *what)
{
    if (rows->bad)
        return; /* a row is reported once, by its first bad field */
    rows->bad = true;
    const cu_reader *r = rows->r;
    if (rows->hooks.bad) {
        rows->hooks.bad(rows->hooks.ctx, r, (size_t)col, what);
        return;
    }
    const char *table = cu_reader_table(r) ? cu_reader_table(r) : "(unnamed)";
    cu_reader_die_field(r, (size_t)col, "%s: %s", table, what);
}

const char *cu_col_parse_int_text(const cu_field *f, int64_t *out)
{
    *out = CU_INT_NULL;
    if (cu_field_is_null(f))
        return NULL;
    return cu_field_int(f, out, CU_INT_POINT_ZERO);
}

cu_time cu_rows_time(struct cu_rows *rows, long col)
{
    if (col < 0)
        return CU_TIME_NULL;
    const cu_field *f = cu_reader_field(rows->r, (size_t)col);
    if (cu_field_is_null(f))
        return CU_TIME_NULL;
    cu_time t;
    const char *why = "bad time";
    switch (cu_time_parse(f->s, f->len, &t, &why)) {
    case CU_TIME_OK:
        return t;
    case CU_TIME_ZERO:
        return CU_TIME_NULL;
    default:
        cu_rows_bad(rows, col, why ? why : "bad time");
        return CU_TIME_NULL;
    }
}

int64_t cu_rows_int(struct cu_rows *rows, long col)
{
    if (col < 0)
        return CU_INT_NULL;
    int64_t v;
    const cu_field *f = cu_reader_field(rows->r, (size_t)col);
    const char *why = cu_col_parse_int(f, &v);
    if (why)
        cu_rows_bad(rows, col, why);
    return v;
}

static int64_t rows_size(struct cu_rows *rows, long col)
{
    int64_t v = cu_rows_int(rows, col);
    if (v == CU_INT_NULL || rows->bad)
        return v;
    if (v < 0)
        cu_rows_bad(rows, col, "negative size");
    else if (v > CU_SIZE_MAX_SANE)
        cu_rows_bad(rows, col, "size out of range (over 2^40)");
    else
        return v;
    return CU_INT_NULL;
}

static uint32_t rows_str(struct cu_rows *rows, const struct cu_col *c,
                         long col)
{
    if (col < 0)
        return 0;
    const cu_field *f = cu_reader_field(rows->r, (size_t)col);
    bool missing = cu_field_is_null(f) ||
                   ((c->flags & CU_COL_NOT_NULL) && f->len == 0);
    if (missing) {
        if (c->flags & CU_COL_NOT_NULL)
            cu_rows_bad(rows, col, "missing key");
        return 0;
    }
    return rows->hooks.str(rows->hooks.ctx, f, c->offset, c->flags);
}

/* Column col's field in the current row; an absent column's is NULL. */
static const cu_field *field_at(const struct cu_rows *rows, long col)
{
    static const cu_field null_field = {.s = "", .type = CU_VAL_NULL};
    return col >= 0 ? cu_reader_field(rows->r, (size_t)col) : &null_field;
}

static void decode_one(struct cu_rows *rows, const struct cu_col *c,
                       long col, char *dst)
{
    switch (c->type) {
    case CU_COL_STR: {
        uint32_t id = rows_str(rows, c, col);
        memcpy(dst, &id, sizeof id);
        break;
    }
    case CU_COL_TIME: {
        cu_time t = cu_rows_time(rows, col);
        if (t == CU_TIME_NULL && (c->flags & CU_COL_NOT_NULL) && !rows->bad)
            cu_rows_bad(rows, col, "missing time");
        memcpy(dst, &t, sizeof t);
        break;
    }
    case CU_COL_INT: {
        int64_t v = cu_rows_int(rows, col);
        memcpy(dst, &v, sizeof v);
        break;
    }
    case CU_COL_SIZE: {
        int64_t v = rows_size(rows, col);
        memcpy(dst, &v, sizeof v);
        break;
    }
    case CU_COL_IS: {
        bool v = col >= 0 && cu_field_equals(cu_reader_field(rows->r,
                                                             (size_t)col),
                                             c->equals);
        memcpy(dst, &v, sizeof v);
        break;
    }
    case CU_COL_CUSTOM: {
        const char *why = c->decode(field_at(rows, col), dst);
        if (why)
            cu_rows_bad(rows, col, why);
        break;
    }
    case CU_COL_FIELD: {
        const cu_field *f = field_at(rows, col);
        memcpy(dst, &f, sizeof f);
        break;
    }
    }
}

enum cu_next cu_rows_next(struct cu_rows *rows)
{
    rows->bad = false;
    return cu_reader_next(rows->r);
}

bool cu_rows_decode(struct cu_rows *rows, void *rec)
{
    for (size_t i = 0; i < rows->ncols; i++)
        if (!(rows->cols[i].flags & CU_COL_BY_HAND))
            decode_one(rows, &rows->cols[i], rows->at[i],
                       (char *)rec + rows->cols[i].offset);
    return !rows->bad;
}
