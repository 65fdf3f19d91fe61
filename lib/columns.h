/* Reading a table is a declaration: a tool lists the columns it reads
 * (name, type, whether the header must have it and the value must be
 * there, where in its record the value goes), binds the list to a
 * section's header once, and has each row decoded into a record by one
 * routine. A field that cannot be read is reported the same way for every
 * table of every tool: file, line, field number and name, table, what is
 * wrong and the value.
 *
 *   static const struct cu_col cols[] = {
 *       {"uuid", CU_COL_STR, CU_COL_NEED | CU_COL_KEY,
 *        offsetof(struct inst, uuid)},
 *       {"created_at", CU_COL_TIME, CU_COL_NEED | CU_COL_NOT_NULL,
 *        offsetof(struct inst, c)},
 *       ...
 *   };
 *   struct cu_rows rows;
 *   cu_rows_bind(&rows, r, cols, n, &hooks);
 *   while (cu_rows_next(&rows) == CU_ROW)
 *       if (cu_rows_decode(&rows, &record)) ...keep it...
 *   cu_rows_unbind(&rows);
 */
#ifndef CU_COLUMNS_H
#define CU_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cutime.h"
#include "stream.h"

/* An integer column's NULL (and an absent column's value). */
#define CU_INT_NULL INT64_MIN
/* Sizes and counts (vCPUs, memory, disk, amounts) beyond this are no real
 * cloud's: a corrupt row, rejected where it stands rather than summed into
 * a total that overflows. 2^40 MiB is an EiB. */
#define CU_SIZE_MAX_SANE (INT64_C(1) << 40)

enum cu_col_type {
    CU_COL_STR,    /* uint32_t from the hooks' str (an interned id); 0 =
                      NULL */
    CU_COL_TIME,   /* cu_time; NULL and MySQL's zero date: CU_TIME_NULL */
    CU_COL_INT,    /* int64_t; NULL: CU_INT_NULL; "4.0" is 4 (JSON) */
    CU_COL_SIZE,   /* an INT that is >= 0 and <= CU_SIZE_MAX_SANE */
    CU_COL_IS,     /* bool: the value is exactly `equals` */
    CU_COL_CUSTOM, /* decode(field, &record[offset]) */
    CU_COL_FIELD,  /* const cu_field *: the field itself, valid until the
                      next row (an absent column's is a NULL field); for
                      a tool that copies or parses what it keeps */
};

enum {
    CU_COL_NEED = 1,     /* the header must have it (else fatal) */
    CU_COL_NOT_NULL = 2, /* a NULL is a bad row ("missing time", "missing
                            key"); for strings an empty one too */
    CU_COL_KEY = CU_COL_NOT_NULL,
    CU_COL_DEFER = 4,    /* a string the str hook may fill in later */
    CU_COL_BY_HAND = 8,  /* bound (and readable under `only`), but the
                            tool decodes it itself, when it needs it */
};

struct cu_col {
    const char *name;
    enum cu_col_type type;
    unsigned flags;
    size_t offset; /* of the value in the record */
    const char *equals;
    /* CU_COL_CUSTOM: store the value at dst; NULL, or what is wrong */
    const char *(*decode)(const cu_field *f, void *dst);
};

/* What the tool does with the strings and the bad fields it reads. */
struct cu_row_hooks {
    void *ctx;
    /* The value a non-NULL string is stored as (offset: of the field in
     * the record). Required when the list has strings. */
    uint32_t (*str)(void *ctx, const cu_field *f, size_t offset,
                    unsigned flags);
    /* A row's first bad field (what: why). NULL: fatal, as
     * cu_reader_die_field with the table's name. */
    void (*bad)(void *ctx, const cu_reader *r, size_t field,
                const char *what);
};

struct cu_rows {
    cu_reader *r;
    const struct cu_col *cols;
    size_t ncols;
    long *at; /* each column's index in the section, or -1 */
    struct cu_row_hooks hooks;
    bool bad; /* the current row has a bad field */
};

/* Bind cols to the current section (after CU_SECTION): the CU_COL_NEED
 * columns must be there, in the order listed. only: the reader decodes
 * these columns and no other (cu_reader_only), for wide tables. */
void cu_rows_bind(struct cu_rows *rows, cu_reader *r,
                  const struct cu_col *cols, size_t ncols,
                  const struct cu_row_hooks *hooks, bool only);
void cu_rows_unbind(struct cu_rows *rows);

/* The next row (cu_reader_next), none of its fields bad yet. */
enum cu_next cu_rows_next(struct cu_rows *rows);

/* Decode the current row into rec, column by column in the order listed
 * (CU_COL_BY_HAND ones left out); false when a field was bad (reported
 * through the hooks; rec is then partly filled). */
bool cu_rows_decode(struct cu_rows *rows, void *rec);

/* The pieces, for what a list cannot say (a column read only when
 * another says so). col is a section index as cu_reader_col gives (-1:
 * absent, read as NULL). A bad field marks the row bad. */
cu_time cu_rows_time(struct cu_rows *rows, long col);
int64_t cu_rows_int(struct cu_rows *rows, long col);
void cu_rows_bad(struct cu_rows *rows, long col, const char *what);
/* The section index of listed column i (-1 when absent). */
static inline long cu_rows_at(const struct cu_rows *rows, size_t i)
{
    return rows->at[i];
}

/* An integer field's value (CU_INT_NULL when it is NULL) by lib/stream's
 * cu_field_int, "4.0" taken as 4; returns what is wrong, or NULL. */
const char *cu_col_parse_int_text(const cu_field *f, int64_t *v);
/* The same, with the common case (1 to 18 plain digits, which cannot
 * overflow) in line: millions of ids and sizes are read. */
static inline const char *cu_col_parse_int(const cu_field *f, int64_t *v)
{
    if (f->type != CU_VAL_NULL && f->len - 1 < 18) {
        int64_t x = 0;
        unsigned bad = 0;
        for (const char *p = f->s, *end = f->s + f->len; p < end; p++) {
            unsigned d = (unsigned)(unsigned char)*p - '0';
            bad |= d > 9;
            x = x * 10 + (int64_t)d;
        }
        if (!bad) {
            *v = x;
            return NULL;
        }
    }
    return cu_col_parse_int_text(f, v);
}

#endif
