/* lib/columns: a table's columns as a declaration, decoded row by row
 * into records, bad fields reported with file, line and name. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "cutime.h"
#include "stream.h"
#include "tap.h"

struct rec {
    uint32_t name;
    cu_time at;
    int64_t n, size, absent;
    bool yes;
    uint8_t custom;
    const cu_field *code, *nothing;
};

static const char *decode_len(const cu_field *f, void *dst)
{
    if (cu_field_is_null(f))
        return NULL;
    if (f->len > 3)
        return "too long";
    uint8_t v = (uint8_t)f->len;
    memcpy(dst, &v, 1);
    return NULL;
}

static const struct cu_col cols[] = {
    {"name", CU_COL_STR, CU_COL_NEED | CU_COL_KEY, offsetof(struct rec, name),
     NULL, NULL},
    {"at", CU_COL_TIME, CU_COL_NEED | CU_COL_NOT_NULL,
     offsetof(struct rec, at), NULL, NULL},
    {"n", CU_COL_INT, 0, offsetof(struct rec, n), NULL, NULL},
    {"size", CU_COL_SIZE, 0, offsetof(struct rec, size), NULL, NULL},
    {"flag", CU_COL_IS, CU_COL_NEED, offsetof(struct rec, yes), "yes", NULL},
    {"code", CU_COL_CUSTOM, 0, offsetof(struct rec, custom), NULL,
     decode_len},
    {"absent", CU_COL_INT, 0, offsetof(struct rec, absent), NULL, NULL},
    {"code", CU_COL_FIELD, 0, offsetof(struct rec, code), NULL, NULL},
    {"absent", CU_COL_FIELD, 0, offsetof(struct rec, nothing), NULL, NULL},
};

/* Strings: the order seen, from 1; with the flags seen last. */
struct strs {
    char seen[8][16];
    uint32_t n;
    unsigned flags;
};

static uint32_t str_id(void *ctx, const cu_field *f, size_t off,
                       unsigned flags)
{
    struct strs *s = ctx;
    (void)off;
    s->flags = flags;
    for (uint32_t i = 0; i < s->n; i++)
        if (strcmp(s->seen[i], f->s) == 0)
            return i + 1;
    snprintf(s->seen[s->n], sizeof s->seen[0], "%s", f->s);
    return ++s->n;
}

/* Bad fields: the count and the last message. */
struct bads {
    int n;
    char last[200];
};

static void note_bad(void *ctx, const cu_reader *r, size_t field,
                     const char *what)
{
    struct bads *b = ctx;
    b->n++;
    snprintf(b->last, sizeof b->last, "line %lu field %zu (%s): %s",
             cu_reader_lineno(r), field + 1, cu_reader_colname(r, field),
             what);
}

struct both {
    struct strs s;
    struct bads b;
};

static uint32_t both_str(void *ctx, const cu_field *f, size_t off,
                         unsigned flags)
{
    return str_id(&((struct both *)ctx)->s, f, off, flags);
}

static void both_bad(void *ctx, const cu_reader *r, size_t field,
                     const char *what)
{
    note_bad(&((struct both *)ctx)->b, r, field, what);
}

static const char table[] =
    "#table\tt.x\n"
    "name\tflag\tat\tn\tsize\tcode\n"
    "a\tyes\t2024-03-01 00:00:00\t42\t7\tab\n"
    "b\tno\t2024-03-01 00:00:01\t4.0\t\\N\t\\N\n"
    "a\tyes\t2024-03-01 00:00:02\t-3\t0\tabc\n"
    "\\N\tyes\t2024-03-01 00:00:03\t1\t1\ta\n"
    "c\tyes\t\\N\t1\t1\ta\n"
    "d\tyes\t2024-03-01 00:00:05\tx1\t1\ta\n"
    "e\tyes\t2024-03-01 00:00:06\t1\t-1\ta\n"
    "f\tyes\t2024-03-01 00:00:07\t1\t1099511627777\ta\n"
    "g\tyes\t2024-03-01 00:00:08\t1\t1\tabcd\n"
    "\tyes\t2024-03-01 00:00:09\t1\t1\ta\n"
    "h\tyes\tnot a time\t1\t1\ta\n";

static void decode_all(void)
{
    char *path = tmpfile_with(table, sizeof table - 1, ".tsv");
    const char *paths[] = {path};
    cu_reader *r = cu_reader_open(paths, 1, CU_FMT_TSV);
    is_int(cu_reader_next(r), CU_SECTION, "a section");
    struct both ctx = {{.n = 0}, {.n = 0}};
    struct cu_row_hooks hooks = {&ctx, both_str, both_bad};
    struct cu_rows rows;
    cu_rows_bind(&rows, r, cols, sizeof cols / sizeof *cols, &hooks, true);
    is_int(cu_rows_at(&rows, 0), 0, "name is column 0");
    is_int(cu_rows_at(&rows, 1), 2, "at is column 2");
    is_int(cu_rows_at(&rows, 6), -1, "an absent column is -1");

    struct rec v[12];
    bool good[12], field_ok = false;
    int n = 0;
    char msgs[12][200];
    while (n < 12 && cu_rows_next(&rows) == CU_ROW) {
        memset(&v[n], 0, sizeof v[n]);
        int before = ctx.b.n;
        good[n] = cu_rows_decode(&rows, &v[n]);
        if (n == 0)
            field_ok = v[0].code && v[0].code->len == 2 &&
                       !memcmp(v[0].code->s, "ab", 2) && v[0].nothing &&
                       cu_field_is_null(v[0].nothing);
        snprintf(msgs[n], sizeof msgs[n], "%s",
                 ctx.b.n > before ? ctx.b.last : "");
        ok(good[n] == (ctx.b.n == before),
           "row %d: bad exactly when a field was reported", n + 1);
        n++;
    }
    is_int(n, 11, "eleven rows");
    ok(good[0] && v[0].name == 1 && v[0].n == 42 && v[0].size == 7 &&
           v[0].yes && v[0].custom == 2,
       "row 1: every type decoded");
    is_int(v[0].absent, CU_INT_NULL, "an absent column reads as NULL");
    ok(field_ok, "a FIELD column is the row's field (valid until the next "
       "row); an absent one a NULL field");
    cu_time t;
    const char *why;
    cu_time_parse("2024-03-01 00:00:00", 19, &t, &why);
    is_int(v[0].at, t, "row 1: the time");
    ok(ctx.s.flags == (CU_COL_NEED | CU_COL_KEY), "the string hook sees the "
       "column's flags");
    ok(good[1] && v[1].name == 2 && v[1].n == 4 && v[1].size == CU_INT_NULL &&
           !v[1].yes && v[1].custom == 0,
       "row 2: 4.0 is 4, NULLs are NULL, IS is false");
    ok(good[2] && v[2].name == 1 && v[2].n == -3 && v[2].size == 0 &&
           v[2].custom == 3,
       "row 3: a string seen before has its id; negative INT; zero SIZE");
    is_str(msgs[3], "line 6 field 1 (name): missing key", "a NULL key");
    is_str(msgs[4], "line 7 field 3 (at): missing time", "a NULL time");
    is_str(msgs[5], "line 8 field 4 (n): not an integer", "a bad integer");
    is_str(msgs[6], "line 9 field 5 (size): negative size",
           "a negative size");
    is_str(msgs[7], "line 10 field 5 (size): size out of range (over 2^40)",
           "a size beyond 2^40");
    is_str(msgs[8], "line 11 field 6 (code): too long",
           "a custom decoder's reason");
    is_str(msgs[9], "line 12 field 1 (name): missing key", "an empty key");
    ok(strstr(msgs[10], "line 13 field 3 (at): ") != NULL,
       "a bad time: %s", msgs[10]);
    is_int(ctx.b.n, 8, "one report per bad row");
    cu_rows_unbind(&rows);
    cu_reader_close(r);
    free(path);
}

/* The list bound to the one section of table text, without a bad hook
 * (a bad field is fatal); for the tests run in a child. */
static void bind_fatal(const char *text, struct cu_rows *rows)
{
    static struct strs s;
    char *path = tmpfile_with(text, strlen(text), ".tsv");
    const char *paths[] = {path};
    cu_reader *r = cu_reader_open(paths, 1, CU_FMT_TSV);
    cu_reader_next(r);
    struct cu_row_hooks hooks = {&s, str_id, NULL};
    cu_rows_bind(rows, r, cols, sizeof cols / sizeof *cols, &hooks, false);
}

static void missing_column(void *arg)
{
    (void)arg;
    struct cu_rows rows;
    bind_fatal("#table\tt.y\nname\tat\nx\t2024-01-01\n", &rows);
}

static void fatal_field(void *arg)
{
    (void)arg;
    struct cu_rows rows;
    bind_fatal("#table\tt.z\nname\tflag\tat\nx\tyes\tnope\n", &rows);
    struct rec v;
    cu_rows_next(&rows);
    cu_rows_decode(&rows, &v);
}

static void parse_int(void)
{
    static const struct {
        const char *text;
        int64_t v;
        const char *why;
    } cases[] = {
        {"0", 0, NULL},
        {"123456789012345678", 123456789012345678, NULL},
        {"9223372036854775799", INT64_C(9223372036854775799), NULL},
        {"99999999999999999999", CU_INT_NULL, "integer out of range"},
        {"+5", 5, NULL},
        {"-", CU_INT_NULL, "not an integer"},
        {"", CU_INT_NULL, "not an integer"},
        {"7.000", 7, NULL},
        {"7.5", CU_INT_NULL, "not an integer"},
        {"1e3", CU_INT_NULL, "not an integer"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cu_field f = {.s = cases[i].text, .len = strlen(cases[i].text),
                      .type = CU_VAL_STRING};
        int64_t v;
        const char *why = cu_col_parse_int(&f, &v);
        ok(v == cases[i].v &&
               (why && cases[i].why ? strcmp(why, cases[i].why) == 0
                                    : why == cases[i].why),
           "cu_col_parse_int('%s')", cases[i].text);
    }
    cu_field null = {.s = "", .type = CU_VAL_NULL};
    int64_t v = 0;
    ok(cu_col_parse_int(&null, &v) == NULL && v == CU_INT_NULL,
       "a NULL integer");
}

int main(void)
{
    decode_all();
    parse_int();
    dies_with(missing_column, NULL, 1, "flag", "a missing needed column is "
              "fatal");
    dies_with(fatal_field, NULL, 1, ".tsv:3: field 3 (at): t.z: ",
              "without a bad hook, a bad field is fatal with file, line, "
              "field and table");
    return done_testing();
}
