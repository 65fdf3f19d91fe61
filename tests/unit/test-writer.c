/* lib/writer: escaping in TSV, JSONS and CSV, NULL against empty, typed
 * values, sections, gzip, flushing, counts, and the fatal paths (program
 * errors, a full disk, a closed pipe). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

/* writer.h (with stream.h) before error.h: <stdnoreturn.h> turns a later
 * __attribute__((noreturn)) into _Noreturn. */
#include "archive.h"
#include "writer.h"
#include "error.h"
#include "tap.h"

#define LIT(s) s, sizeof s - 1

/* ---- helpers ---- */

/* Temporary files of our own, removed one by one: tap.c's tmpfile_with
 * directory is removed by an atexit handler, which the children of
 * dies_with() also run when they die through exit(). */
static char *new_tmp(const char *suffix)
{
    char *path = malloc(64);
    int fd;
    if (!path)
        abort();
    snprintf(path, 64, "/tmp/cu-test-writer-XXXXXX%s", suffix);
    fd = mkstemps(path, (int)strlen(suffix));
    if (fd < 0) {
        perror("mkstemps");
        exit(99);
    }
    close(fd);
    return path;
}

static void drop_tmp(char *path)
{
    unlink(path);
    free(path);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 1 << 16, n = 0, k;
    char *buf = malloc(cap + 1);
    if (!f || !buf)
        abort();
    while ((k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap && !(buf = realloc(buf, (cap *= 2) + 1)))
            abort();
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static void slurp_fd_now(int fd, char *buf, size_t cap, size_t *len)
{
    ssize_t k = pread(fd, buf, cap - 1, 0);
    *len = k > 0 ? (size_t)k : 0;
    buf[*len] = '\0';
}

/* What fn writes through a writer of format fmt into a fresh file. The
 * encodings are pinned without the trailers, which test_trailers checks
 * on their own. */
static char *output_of_with(enum cu_format fmt, unsigned flags,
                            void (*fn)(cu_writer *), size_t *len)
{
    char *path = new_tmp(".out"), *data;
    cu_writer *w = cu_writer_open_path(path, fmt, flags);
    fn(w);
    cu_writer_close(w);
    data = slurp(path, len);
    drop_tmp(path);
    return data;
}

static char *output_of(enum cu_format fmt, unsigned flags,
                       void (*fn)(cu_writer *), size_t *len)
{
    char *path = new_tmp(".out"), *data;
    cu_writer *w = cu_writer_open_path(path, fmt, flags | CU_WRITE_NO_TRAILERS);
    fn(w);
    cu_writer_close(w);
    data = slurp(path, len);
    drop_tmp(path);
    return data;
}

static void check_output(enum cu_format fmt, void (*fn)(cu_writer *),
                         const char *expected, size_t exp_len,
                         const char *name)
{
    size_t len;
    char *got = output_of(fmt, 0, fn, &len);
    is_mem(got, len, expected, exp_len, name);
    free(got);
}

static const char *const one_col[] = {"c"};

/* One unnamed section, column "c", one row holding s; the whole output. */
static char *one_string(enum cu_format fmt, const char *s, size_t len,
                        size_t *outlen)
{
    char *path = new_tmp(".out"), *data;
    cu_writer *w = cu_writer_open_path(path, fmt, CU_WRITE_NO_TRAILERS);
    cu_writer_section(w, NULL, one_col, 1);
    if (s)
        cu_writer_str(w, s, len);
    else
        cu_writer_null(w);
    cu_writer_end_row(w);
    cu_writer_close(w);
    data = slurp(path, outlen);
    drop_tmp(path);
    return data;
}

/* Compare the row line of one_string() (after the header, which is "c\n"
 * in TSV, "c\r\n" in CSV, nothing in JSONS) with expected. */
static void check_field(enum cu_format fmt, const char *s, size_t len,
                        const char *expected, size_t exp_len,
                        const char *name)
{
    size_t outlen, skip = fmt == CU_FMT_TSV ? 2 : fmt == CU_FMT_CSV ? 3 : 0;
    char *out = one_string(fmt, s, len, &outlen);
    if (outlen < skip)
        skip = outlen;
    is_mem(out + skip, outlen - skip, expected, exp_len, name);
    free(out);
}

/* ---- TSV ---- */

static void test_tsv_escapes(void)
{
    check_field(CU_FMT_TSV, LIT("plain"), LIT("plain\n"), "tsv: plain");
    check_field(CU_FMT_TSV, LIT("a\tb"), LIT("a\\tb\n"), "tsv: tab");
    check_field(CU_FMT_TSV, LIT("a\nb"), LIT("a\\nb\n"), "tsv: newline");
    check_field(CU_FMT_TSV, LIT("a\rb"), LIT("a\\rb\n"), "tsv: CR");
    check_field(CU_FMT_TSV, LIT("a\\b"), LIT("a\\\\b\n"), "tsv: backslash");
    check_field(CU_FMT_TSV, LIT("\\N"), LIT("\\\\N\n"),
                "tsv: a literal \\N string is \\\\N, not NULL");
    check_field(CU_FMT_TSV, NULL, 0, LIT("\\N\n"), "tsv: NULL is \\N");
    check_field(CU_FMT_TSV, LIT(""), LIT("\n"), "tsv: empty string stays "
                "empty");
    check_field(CU_FMT_TSV, LIT("a\0b"), LIT("a\0b\n"),
                "tsv: a NUL byte passes through");
    check_field(CU_FMT_TSV, LIT("Zürich, 東京 ☃"), LIT("Zürich, 東京 ☃\n"),
                "tsv: UTF-8 passes through");
    check_field(CU_FMT_TSV, LIT("\xff\xfe"), LIT("\xff\xfe\n"),
                "tsv: invalid UTF-8 bytes pass through unchanged");
    check_field(CU_FMT_TSV, LIT("\"q\",x"), LIT("\"q\",x\n"),
                "tsv: quotes and commas are plain");
    check_field(CU_FMT_TSV, LIT("#table\tx"), LIT("\\#table\\tx\n"),
                "tsv: a leading # of a line is \\# (never a directive)");
    check_field(CU_FMT_TSV, LIT("\t\n\r\\"), LIT("\\t\\n\\r\\\\\n"),
                "tsv: only escapes");
}

static void w_two_cols_hash(cu_writer *w)
{
    static const char *const cols[] = {"#id", "name"};
    cu_writer_section(w, NULL, cols, 2);
    cu_writer_cstr(w, "x");
    cu_writer_cstr(w, "#not-first");
    cu_writer_end_row(w);
}

static void w_tsv_sections(cu_writer *w)
{
    static const char *const inst[] = {"uuid", "host"};
    static const char *const nodes[] = {"host", "vcpus", "odd\tname"};
    cu_writer_section(w, "nova.instances", inst, 2);
    cu_writer_cstr(w, "u1");
    cu_writer_cstr(w, NULL);
    cu_writer_end_row(w);
    cu_writer_section(w, "nova.instances", inst, 2); /* same: continues */
    cu_writer_cstr(w, "u2");
    cu_writer_cstr(w, "h2");
    cu_writer_end_row(w);
    cu_writer_section(w, "nova.compute_nodes", nodes, 3);
    cu_writer_cstr(w, "h1");
    cu_writer_int(w, 48);
    cu_writer_cstr(w, "");
    cu_writer_end_row(w);
    cu_writer_section(w, "nova.empty", inst, 2); /* header only */
    cu_writer_section(w, "nova_cell1.instances", inst, 2);
    cu_writer_cstr(w, "u3");
    cu_writer_cstr(w, "h3");
    cu_writer_end_row(w);
}

static void w_unnamed_then_named(cu_writer *w)
{
    cu_writer_section(w, NULL, one_col, 1);
    cu_writer_cstr(w, "1");
    cu_writer_end_row(w);
    cu_writer_section(w, "s.t", one_col, 1);
    cu_writer_cstr(w, "2");
    cu_writer_end_row(w);
}

static void test_tsv_sections(void)
{
    check_output(CU_FMT_TSV, w_tsv_sections,
                 LIT("#table\tnova.instances\n"
                     "uuid\thost\n"
                     "u1\t\\N\n"
                     "u2\th2\n"
                     "#table\tnova.compute_nodes\n"
                     "host\tvcpus\todd\\tname\n"
                     "h1\t48\t\n"
                     "#table\tnova.empty\n"
                     "uuid\thost\n"
                     "#table\tnova_cell1.instances\n"
                     "uuid\thost\n"
                     "u3\th3\n"),
                 "tsv: sections with directives and headers; a repeated "
                 "section continues");
    check_output(CU_FMT_TSV, w_two_cols_hash,
                 LIT("\\#id\tname\nx\t#not-first\n"),
                 "tsv: a header starting with # is escaped, a later # is "
                 "not");
    check_output(CU_FMT_TSV, w_unnamed_then_named,
                 LIT("c\n1\n#table\ts.t\nc\n2\n"),
                 "tsv: an unnamed first section, then a named one");
}

/* ---- JSONS ---- */

static void test_json_strings(void)
{
    check_field(CU_FMT_JSONS, LIT("plain"), LIT("{\"c\":\"plain\"}\n"),
                "json: plain");
    check_field(CU_FMT_JSONS, LIT("q\"b\\s/"),
                LIT("{\"c\":\"q\\\"b\\\\s/\"}\n"), "json: quote, backslash");
    check_field(CU_FMT_JSONS, LIT("\t\n\r\b\f"),
                LIT("{\"c\":\"\\t\\n\\r\\b\\f\"}\n"), "json: short escapes");
    check_field(CU_FMT_JSONS, LIT("\x01\x1f\x7f"),
                LIT("{\"c\":\"\\u0001\\u001f\\u007f\"}\n"),
                "json: other control characters as \\u00XX");
    check_field(CU_FMT_JSONS, LIT("a\0b"), LIT("{\"c\":\"a\\u0000b\"}\n"),
                "json: NUL byte as \\u0000");
    check_field(CU_FMT_JSONS, LIT("\\N"), LIT("{\"c\":\"\\\\N\"}\n"),
                "json: a literal \\N is a string");
    check_field(CU_FMT_JSONS, NULL, 0, LIT("{\"c\":null}\n"),
                "json: NULL is null");
    check_field(CU_FMT_JSONS, LIT(""), LIT("{\"c\":\"\"}\n"),
                "json: empty string");
    check_field(CU_FMT_JSONS, LIT("é東☃\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF"),
                LIT("{\"c\":\"é東☃\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF\"}\n"),
                "json: valid UTF-8 (2, 3, 4 bytes, U+10FFFF) passes through");
    check_field(CU_FMT_JSONS, LIT("#x,y"), LIT("{\"c\":\"#x,y\"}\n"),
                "json: # and comma are plain");
}

#define FFFD "\xEF\xBF\xBD"

static void test_json_invalid_utf8(void)
{
    struct {
        const char *in;
        size_t len;
        const char *out, *name;
    } cases[] = {
        {LIT("a\x80z"), "a" FFFD "z", "a lone continuation byte"},
        {LIT("\xC0\xAF"), FFFD FFFD, "overlong C0 AF: two replacements"},
        {LIT("\xE0\x80\xAF"), FFFD FFFD FFFD, "overlong E0 80 AF"},
        {LIT("\xED\xA0\x80"), FFFD FFFD FFFD, "a UTF-16 surrogate"},
        {LIT("\xF4\x90\x80\x80"), FFFD FFFD FFFD FFFD, "beyond U+10FFFF"},
        {LIT("\xF5z"), FFFD "z", "F5 is never valid"},
        {LIT("x\xE2\x82"), "x" FFFD, "a truncated sequence at the end: one"},
        {LIT("\xE2\x82z"), FFFD "z", "a truncated sequence before ASCII"},
        {LIT("\xF0\x9F\x98"), FFFD, "a truncated 4-byte sequence: one"},
        {LIT("\xFF\xFE"), FFFD FFFD, "FF FE"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char exp[64];
        int n = snprintf(exp, sizeof exp, "{\"c\":\"%s\"}\n", cases[i].out);
        char name[100];
        snprintf(name, sizeof name, "json: invalid UTF-8 -> U+FFFD: %s",
                 cases[i].name);
        check_field(CU_FMT_JSONS, cases[i].in, cases[i].len, exp, (size_t)n,
                    name);
    }
}

static void w_invalid_utf8_counted(void *arg)
{
    static const char *const cols[] = {"a", "b"};
    cu_writer *w = cu_writer_fdopen(STDOUT_FILENO, "(stdout)", CU_FMT_JSONS, CU_WRITE_NO_TRAILERS);
    (void)arg;
    cu_set_program_name("cu-test");
    cu_writer_section(w, NULL, cols, 2);
    cu_writer_cstr(w, "ok");
    cu_writer_cstr(w, "ok");
    cu_writer_end_row(w);
    cu_writer_str(w, LIT("\xff"));
    cu_writer_str(w, LIT("\xfe"));
    cu_writer_end_row(w);
    cu_writer_str(w, LIT("\xc3"));
    cu_writer_cstr(w, "ok");
    cu_writer_end_row(w);
    printf("%d\n", (int)cu_writer_invalid_utf8(w));
    fflush(stdout);
    cu_writer_close(w);
    exit(0);
}

static void test_json_invalid_utf8_warned(void)
{
    struct child_result r = run_child(w_invalid_utf8_counted, NULL);
    is_int(r.status, 0, "json: invalid UTF-8 is not fatal");
    is_str(r.err,
           "cu-test: warning: (stdout): row 2: invalid UTF-8 written as "
           "U+FFFD (JSON cannot carry it; --tsv keeps the bytes)\n"
           "cu-test: warning: (stdout): 3 strings with invalid UTF-8 written "
           "with U+FFFD\n",
           "json: the first replacement is warned with its row, the total at "
           "close");
    ok(strstr(r.out, "3\n") != NULL, "json: cu_writer_invalid_utf8 counts 3 "
       "strings");
    child_result_free(&r);
}

static void w_json_types(cu_writer *w)
{
    static const char *const cols[] = {"s", "n", "i", "d", "b", "f", "t",
                                       "u", "z"};
    cu_writer_section(w, "nova.instances", cols, 9);
    cu_writer_cstr(w, "x");
    cu_writer_num(w, LIT("-12.5e+3"));
    cu_writer_int(w, -42);
    cu_writer_double(w, 0.25);
    cu_writer_bool(w, true);
    cu_writer_bool(w, false);
    cu_writer_time(w, INT64_C(1709294400000000));
    cu_writer_time(w, CU_TIME_NULL);
    cu_writer_null(w);
    cu_writer_end_row(w);
}

static void w_json_sections(cu_writer *w)
{
    static const char *const a[] = {"id", "ké\"y"};
    static const char *const b[] = {"x"};
    cu_writer_section(w, "blazar.leases", a, 2);
    cu_writer_int(w, 1);
    cu_writer_cstr(w, "v");
    cu_writer_end_row(w);
    cu_writer_section(w, "nova\"odd", b, 1);
    cu_writer_int(w, 2);
    cu_writer_end_row(w);
    cu_writer_section(w, "blazar.leases", a, 2);
    cu_writer_int(w, 3);
    cu_writer_null(w);
    cu_writer_end_row(w);
}

static void w_json_unnamed(cu_writer *w)
{
    static const char *const cols[] = {"a", "b"};
    cu_writer_section(w, NULL, cols, 2);
    cu_writer_int(w, 1);
    cu_writer_int(w, 2);
    cu_writer_end_row(w);
}

static void w_no_columns(cu_writer *w)
{
    cu_writer_section(w, "s.t", NULL, 0);
    cu_writer_end_row(w);
}

static void test_json_rows(void)
{
    check_output(CU_FMT_JSONS, w_json_types,
                 LIT("{\"_table\":\"nova.instances\",\"s\":\"x\","
                     "\"n\":-12.5e+3,\"i\":-42,\"d\":0.25,\"b\":true,"
                     "\"f\":false,\"t\":\"2024-03-01T12:00:00Z\","
                     "\"u\":null,\"z\":null}\n"),
                 "json: _table first; number, int, double, bools, time, "
                 "nulls");
    check_output(CU_FMT_JSONS, w_json_sections,
                 LIT("{\"_table\":\"blazar.leases\",\"id\":1,\"ké\\\"y\":"
                     "\"v\"}\n"
                     "{\"_table\":\"nova\\\"odd\",\"x\":2}\n"
                     "{\"_table\":\"blazar.leases\",\"id\":3,\"ké\\\"y\":"
                     "null}\n"),
                 "json: _table follows the sections; keys and table escaped");
    check_output(CU_FMT_JSONS, w_json_unnamed, LIT("{\"a\":1,\"b\":2}\n"),
                 "json: an unnamed section has no _table");
    check_output(CU_FMT_JSONS, w_no_columns, LIT("{\"_table\":\"s.t\"}\n"),
                 "json: a row of a section without columns");
    check_output(CU_FMT_TSV, w_json_types,
                 LIT("#table\tnova.instances\ns\tn\ti\td\tb\tf\tt\tu\tz\n"
                     "x\t-12.5e+3\t-42\t0.25\ttrue\tfalse\t"
                     "2024-03-01T12:00:00Z\t\\N\t\\N\n"),
                 "tsv: the same typed row");
    check_output(CU_FMT_CSV, w_json_types,
                 LIT("s,n,i,d,b,f,t,u,z\r\n"
                     "x,-12.5e+3,-42,0.25,true,false,"
                     "2024-03-01T12:00:00Z,,\r\n"),
                 "csv: the same typed row");
}

static void w_bad_number(void *arg)
{
    cu_writer *w = cu_writer_fdopen(STDOUT_FILENO, "(stdout)", CU_FMT_JSONS, CU_WRITE_NO_TRAILERS);
    static const char *const cols[] = {"id", "vcpus"};
    (void)arg;
    cu_set_program_name("cu-test");
    cu_writer_section(w, NULL, cols, 2);
    cu_writer_int(w, 1);
    cu_writer_num(w, LIT("12,5"));
    cu_writer_end_row(w);
    cu_writer_close(w);
}

static void w_table_column(void *arg)
{
    cu_writer *w = cu_writer_fdopen(STDOUT_FILENO, "(stdout)", CU_FMT_JSONS, CU_WRITE_NO_TRAILERS);
    static const char *const cols[] = {"id", "_table"};
    (void)arg;
    cu_set_program_name("cu-test");
    cu_writer_section(w, NULL, cols, 2);
    cu_writer_close(w);
}

static bool valid_json_number(const char *s)
{
    /* through the writer: a valid number comes out bare */
    static char buf[64];
    size_t len;
    char *out;
    snprintf(buf, sizeof buf, "%s", s);
    {
        char *path = new_tmp(".json");
        cu_writer *w = cu_writer_open_path(path, CU_FMT_JSONS, CU_WRITE_NO_TRAILERS);
        cu_writer_section(w, NULL, one_col, 1);
        cu_writer_num(w, buf, strlen(buf));
        cu_writer_end_row(w);
        cu_writer_close(w);
        out = slurp(path, &len);
        drop_tmp(path);
    }
    snprintf(buf, sizeof buf, "{\"c\":%s}\n", s);
    {
        bool same = strcmp(out, buf) == 0;
        free(out);
        return same;
    }
}

struct num_case {
    const char *s;
};

static void w_num_case(void *arg)
{
    const char *s = arg;
    cu_writer *w = cu_writer_fdopen(STDOUT_FILENO, "(stdout)", CU_FMT_JSONS, CU_WRITE_NO_TRAILERS);
    cu_writer_section(w, NULL, one_col, 1);
    cu_writer_num(w, s, strlen(s));
    cu_writer_end_row(w);
    cu_writer_close(w);
}

static void test_json_numbers(void)
{
    static const char *good[] = {"0", "-0", "12", "-3.25", "1e5", "1E+05",
                                 "2.5e-3", "0.0"};
    static const char *bad[] = {"", "-", "01", "1.", ".5", "1e", "+1",
                                "NaN", "inf", "0x10", "1 ", "1e+"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        ok(valid_json_number(good[i]), "json: number '%s' written bare",
           good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct child_result r = run_child(w_num_case, (void *)bad[i]);
        ok(r.status == 1 && strstr(r.err, "not a JSON number") &&
               r.out[0] == '\0',
           "json: '%s' is refused as a number, nothing written", bad[i]);
        child_result_free(&r);
    }
    dies_with(w_bad_number, NULL, 1,
              "cu-test: (stdout): field 2 (vcpus): row 1: not a JSON number: "
              "'12,5'\n",
              "json: a bad number names output, field, column, row, value");
    dies_with(w_table_column, NULL, 1,
              "cu-test: (stdout): a column named _table cannot be written "
              "as JSONS",
              "json: a column named _table is refused");
}

/* ---- CSV ---- */

static void test_csv_fields(void)
{
    check_field(CU_FMT_CSV, LIT("plain"), LIT("plain\r\n"), "csv: plain");
    check_field(CU_FMT_CSV, LIT("a,b"), LIT("\"a,b\"\r\n"),
                "csv: a comma is quoted");
    check_field(CU_FMT_CSV, LIT("say \"hi\""), LIT("\"say \"\"hi\"\"\"\r\n"),
                "csv: quotes doubled inside quotes");
    check_field(CU_FMT_CSV, LIT("\""), LIT("\"\"\"\"\r\n"),
                "csv: a lone quote");
    check_field(CU_FMT_CSV, LIT("a\nb"), LIT("\"a\nb\"\r\n"),
                "csv: a newline is quoted");
    check_field(CU_FMT_CSV, LIT("a\rb"), LIT("\"a\rb\"\r\n"),
                "csv: a CR is quoted");
    check_field(CU_FMT_CSV, LIT("a\tb\\N"), LIT("a\tb\\N\r\n"),
                "csv: tab and backslash are plain");
    check_field(CU_FMT_CSV, NULL, 0, LIT("\r\n"), "csv: NULL is an empty "
                "field");
    check_field(CU_FMT_CSV, LIT(""), LIT("\"\"\r\n"),
                "csv: the empty string is \"\" (apart from NULL)");
    check_field(CU_FMT_CSV, LIT("Zürich"), LIT("Zürich\r\n"),
                "csv: UTF-8 passes through");
    check_field(CU_FMT_CSV, LIT("#x"), LIT("#x\r\n"), "csv: # is plain");
}

static void w_csv_table(cu_writer *w)
{
    static const char *const cols[] = {"id", "na,me", "note"};
    cu_writer_section(w, "nova.instances", cols, 3);
    cu_writer_int(w, 1);
    cu_writer_cstr(w, NULL);
    cu_writer_cstr(w, "");
    cu_writer_end_row(w);
    cu_writer_section(w, "nova.instances", cols, 3); /* continues */
    cu_writer_int(w, 2);
    cu_writer_cstr(w, "x");
    cu_writer_cstr(w, "a \"b\"");
    cu_writer_end_row(w);
}

static void w_csv_second_section(void *arg)
{
    static const char *const a[] = {"id"};
    static const char *const b[] = {"host"};
    cu_writer *w = cu_writer_fdopen(STDOUT_FILENO, "(stdout)", CU_FMT_CSV, CU_WRITE_NO_TRAILERS);
    (void)arg;
    cu_set_program_name("cu-test");
    cu_writer_section(w, "nova.instances", a, 1);
    cu_writer_section(w, "nova.compute_nodes", b, 1);
    cu_writer_close(w);
}

static void test_csv_table(void)
{
    check_output(CU_FMT_CSV, w_csv_table,
                 LIT("id,\"na,me\",note\r\n1,,\"\"\r\n2,x,\"a \"\"b\"\"\"\r\n"),
                 "csv: header quoted as needed, no directive, CRLF rows");
    dies_with(w_csv_second_section, NULL, 2,
              "cu-test: (stdout): CSV output holds one table, but a second "
              "section nova.compute_nodes follows nova.instances: use --tsv "
              "or --jsons\nTry 'cu-test --help'",
              "csv: a second section is a usage error (exit 2)");
}

/* ---- numbers ---- */

static void check_double(double v, const char *expected)
{
    char name[80], exp[64];
    size_t len;
    char *out;
    snprintf(name, sizeof name, "double %.17g -> %s", v, expected);
    {
        char *path = new_tmp(".tsv");
        cu_writer *w = cu_writer_open_path(path, CU_FMT_TSV, CU_WRITE_NO_TRAILERS);
        cu_writer_section(w, NULL, one_col, 1);
        cu_writer_double(w, v);
        cu_writer_end_row(w);
        cu_writer_close(w);
        out = slurp(path, &len);
        drop_tmp(path);
    }
    snprintf(exp, sizeof exp, "c\n%s\n", expected);
    is_str(out, exp, name);
    if (!isnan(v) && !isinf(v))
        ok(strtod(out + 2, NULL) == v, "  ...and reads back exactly");
    free(out);
}

static void test_doubles(void)
{
    volatile double third = 1.0, zero = 0.0;
    third /= 3;
    check_double(0.1, "0.1");
    check_double(1e300, "1e+300");
    check_double(5, "5");
    check_double(-5, "-5");
    check_double(-0.0, "0");
    check_double(third, "0.3333333333333333");
    check_double(0.1 + 0.2, "0.30000000000000004");
    check_double(2.0 / 3, "0.6666666666666666");
    check_double(123.456, "123.456");
    check_double(1e15, "1000000000000000");
    check_double(9007199254740993.0, "9007199254740992");
    check_double(1e17, "1e+17");
    check_double(1.5e-7, "1.5e-07");
    /* a denormal: 15 digits already read back (not the shortest, "5e-324",
     * but exact) */
    check_double(5e-324, "4.94065645841247e-324");
    check_double(1.7976931348623157e308, "1.7976931348623157e+308");
    check_double(-2.5, "-2.5");
    check_double(0.0001, "0.0001");
    check_double(0.00001, "1e-05");
    check_double(999999999.999999, "999999999.999999");
    check_double(-1234.5, "-1234.5");
    check_double(1e9 + 0.5, "1000000000.5");
    check_double(zero / zero, "\\N");
    check_double(1 / zero, "\\N");
    check_double(-1 / zero, "\\N");
}

/* The rule of writer.h, spelled out the slow way. */
static void reference_double(double v, char *buf, size_t cap)
{
    if (v == 0) {
        snprintf(buf, cap, "0");
        return;
    }
    if (fabs(v) < 1e17 && v == (double)(int64_t)v) {
        snprintf(buf, cap, "%.0f", v);
        return;
    }
    for (int p = 15; p <= 17; p++) {
        snprintf(buf, cap, "%.*g", p, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

enum { NRANDOM = 200000 };
static double random_values[NRANDOM];

static void w_random_doubles(cu_writer *w)
{
    cu_writer_section(w, NULL, one_col, 1);
    for (size_t i = 0; i < NRANDOM; i++) {
        cu_writer_double(w, random_values[i]);
        cu_writer_end_row(w);
    }
}

static void test_doubles_random(void)
{
    static const double scale[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8};
    size_t len, bad = 0, i = 0;
    char *out, *line, *save = NULL, ref[40];
    for (size_t k = 0; k < NRANDOM; k++) {
        uint64_t r = rng();
        double v;
        switch (k % 4) {
        case 0: /* short decimals, the common case of usage data */
            v = (double)(int64_t)(r % 2000000000000u) / scale[(r >> 48) % 9];
            break;
        case 1: /* any finite double */
            memcpy(&v, &r, sizeof v);
            if (!isfinite(v))
                v = 1.5;
            break;
        case 2: /* quotients, as in utilisation shares */
            v = (double)(r % 100000) / (double)(1 + (r >> 40) % 9999);
            break;
        default: /* around the edges of the fast path */
            v = ((r & 1) ? 1e-4 : 1e9) * (1 + ((double)(r >> 12 & 0xff) -
                                               128) * 1e-12);
        }
        if (r & (1u << 20))
            v = -v;
        random_values[k] = v;
    }
    out = output_of(CU_FMT_TSV, 0, w_random_doubles, &len);
    line = strtok_r(out, "\n", &save); /* the header */
    for (line = strtok_r(NULL, "\n", &save); line && i < NRANDOM;
         line = strtok_r(NULL, "\n", &save), i++) {
        reference_double(random_values[i], ref, sizeof ref);
        if (strcmp(line, ref) != 0 && bad++ < 5)
            diag("%.17g: got %s, reference %s", random_values[i], line, ref);
    }
    ok(i == NRANDOM && bad == 0,
       "%zu random doubles as the %%.15g/16g/17g rule says (%zu differ)", i,
       bad);
    free(out);
}

static void w_nonfinite(cu_writer *w)
{
    static const char *const cols[] = {"nan", "inf"};
    volatile double zero = 0;
    cu_writer_section(w, NULL, cols, 2);
    cu_writer_double(w, zero / zero);
    cu_writer_double(w, -1 / zero);
    cu_writer_end_row(w);
}

static void w_ints(cu_writer *w)
{
    static const char *const cols[] = {"a", "b", "c", "d", "e"};
    cu_writer_section(w, NULL, cols, 5);
    cu_writer_int(w, 0);
    cu_writer_int(w, -7);
    cu_writer_int(w, INT64_MAX);
    cu_writer_int(w, INT64_MIN);
    cu_writer_int(w, 1000000);
    cu_writer_end_row(w);
}

/* Integers around every power of ten, and a spread of others, each as
 * printf writes it. */
static char *ints_expected;
static size_t ints_expected_len;

static void w_many_ints(cu_writer *w)
{
    static const char *const cols[] = {"v"};
    size_t cap = 1 << 16, n = 0;
    char *e = malloc(cap);
    n += (size_t)sprintf(e, "v\n");
    cu_writer_section(w, NULL, cols, 1);
    uint64_t p10 = 1;
    for (int k = 0; k <= 19; k++, p10 *= 10)
        for (int64_t dv = -2; dv <= 2; dv++)
            for (int sign = 0; sign < 2; sign++) {
                int64_t v = (int64_t)(p10 + (uint64_t)dv);
                if (k == 19)
                    v = INT64_MAX - (dv + 2);
                if (sign)
                    v = -v;
                cu_writer_int(w, v);
                cu_writer_end_row(w);
                n += (size_t)sprintf(e + n, "%" PRId64 "\n", v);
            }
    for (int64_t v = 0; v < 1000; v += 7) {
        cu_writer_int(w, v * 1234567);
        cu_writer_end_row(w);
        n += (size_t)sprintf(e + n, "%" PRId64 "\n", v * 1234567);
    }
    ints_expected = e;
    ints_expected_len = n;
}

static void test_many_ints(void)
{
    size_t len;
    char *got = output_of(CU_FMT_TSV, 0, w_many_ints, &len);
    is_mem(got, len, ints_expected, ints_expected_len,
           "integers around every power of ten, as printf writes them");
    free(got);
    free(ints_expected);
}

static void w_times(cu_writer *w)
{
    static const char *const cols[] = {"a", "b", "c"};
    cu_writer_section(w, NULL, cols, 3);
    cu_writer_time(w, 0);
    cu_writer_time(w, INT64_C(2147483648000000) + 500000);
    cu_writer_time(w, INT64_C(253402300799999999));
    cu_writer_end_row(w);
}

static void test_numbers_misc(void)
{
    check_output(CU_FMT_JSONS, w_nonfinite,
                 LIT("{\"nan\":null,\"inf\":null}\n"),
                 "json: NaN and -Inf are null");
    check_output(CU_FMT_CSV, w_nonfinite, LIT("nan,inf\r\n,\r\n"),
                 "csv: NaN and -Inf are empty (NULL)");
    check_output(CU_FMT_TSV, w_ints,
                 LIT("a\tb\tc\td\te\n0\t-7\t9223372036854775807\t"
                     "-9223372036854775808\t1000000\n"),
                 "integers, including INT64_MIN and INT64_MAX");
    check_output(CU_FMT_TSV, w_times,
                 LIT("a\tb\tc\n1970-01-01T00:00:00Z\t"
                     "2038-01-19T03:14:08.500000Z\t"
                     "9999-12-31T23:59:59.999999Z\n"),
                 "times in RFC 3339, fraction when there is one");
}

/* ---- pass-through of typed fields ---- */

static void w_passthrough(cu_writer *w)
{
    static const char *const cols[] = {"s", "n", "b", "z", "e"};
    cu_field f[5] = {
        {.s = "a\tb", .len = 3, .type = CU_VAL_STRING},
        {.s = "1.50", .len = 4, .type = CU_VAL_NUMBER},
        {.s = "true", .len = 4, .type = CU_VAL_BOOL},
        {.s = "", .len = 0, .type = CU_VAL_NULL},
        {.s = "", .len = 0, .type = CU_VAL_STRING},
    };
    cu_writer_section(w, NULL, cols, 5);
    for (int i = 0; i < 5; i++)
        cu_writer_field(w, &f[i]);
    cu_writer_end_row(w);
}

static void w_raw(cu_writer *w)
{
    static const char *const cols[] = {"a", "b", "c"};
    cu_writer_section(w, NULL, cols, 3);
    cu_writer_raw(w, LIT("#x"));
    cu_writer_raw(w, LIT("a\\tb,\\N"));
    cu_writer_raw(w, LIT("\"q\\u0041\""));
    cu_writer_end_row(w);
}

static void test_passthrough(void)
{
    check_output(CU_FMT_TSV, w_raw,
                 LIT("a\tb\tc\n\\#x\ta\\tb,\\N\t\"q\\u0041\"\n"),
                 "raw TSV text is copied (a leading # still escaped)");
    check_output(CU_FMT_JSONS, w_raw,
                 LIT("{\"a\":#x,\"b\":a\\tb,\\N,\"c\":\"q\\u0041\"}\n"),
                 "raw JSON tokens are copied as they are");
    check_output(CU_FMT_CSV, w_raw,
                 LIT("a,b,c\r\n#x,\"a\\tb,\\N\",\"\"\"q\\u0041\"\"\"\r\n"),
                 "raw into CSV is quoted as a string");
    check_output(CU_FMT_JSONS, w_passthrough,
                 LIT("{\"s\":\"a\\tb\",\"n\":1.50,\"b\":true,\"z\":null,"
                     "\"e\":\"\"}\n"),
                 "field pass-through keeps types in JSONS");
    check_output(CU_FMT_TSV, w_passthrough,
                 LIT("s\tn\tb\tz\te\na\\tb\t1.50\ttrue\t\\N\t\n"),
                 "field pass-through in TSV");
}

/* ---- program errors ---- */

static void w_too_few(void *arg)
{
    static const char *const cols[] = {"a", "b", "c"};
    cu_writer *w = cu_writer_fdopen(STDOUT_FILENO, "(stdout)",
                                    (enum cu_format)(intptr_t)arg, CU_WRITE_NO_TRAILERS);
    cu_set_program_name("cu-test");
    cu_writer_section(w, "nova.instances", cols, 3);
    cu_writer_int(w, 1);
    cu_writer_int(w, 2);
    cu_writer_end_row(w);
    cu_writer_close(w);
}

static void w_too_many(void *arg)
{
    static const char *const cols[] = {"a"};
    cu_writer *w = cu_writer_fdopen(STDOUT_FILENO, "(stdout)", CU_FMT_TSV, CU_WRITE_NO_TRAILERS);
    (void)arg;
    cu_set_program_name("cu-test");
    cu_writer_section(w, NULL, cols, 1);
    cu_writer_int(w, 1);
    cu_writer_end_row(w);
    cu_writer_int(w, 1);
    cu_writer_int(w, 2);
    cu_writer_end_row(w);
    cu_writer_close(w);
}

static void w_no_section(void *arg)
{
    cu_writer *w = cu_writer_fdopen(STDOUT_FILENO, "(stdout)", CU_FMT_TSV, CU_WRITE_NO_TRAILERS);
    (void)arg;
    cu_set_program_name("cu-test");
    cu_writer_int(w, 1);
}

static void w_close_mid_row(void *arg)
{
    cu_writer *w = cu_writer_fdopen(STDOUT_FILENO, "(stdout)", CU_FMT_TSV, CU_WRITE_NO_TRAILERS);
    static const char *const cols[] = {"a", "b"};
    (void)arg;
    cu_set_program_name("cu-test");
    cu_writer_section(w, NULL, cols, 2);
    cu_writer_int(w, 1);
    cu_writer_close(w);
}

static void w_unnamed_second(void *arg)
{
    cu_writer *w = cu_writer_fdopen(STDOUT_FILENO, "(stdout)", CU_FMT_TSV, CU_WRITE_NO_TRAILERS);
    static const char *const a[] = {"a"};
    static const char *const b[] = {"b"};
    (void)arg;
    cu_set_program_name("cu-test");
    cu_writer_section(w, "s.t", a, 1);
    cu_writer_section(w, NULL, b, 1);
    cu_writer_close(w);
}

static void w_open_fails(void *arg)
{
    (void)arg;
    cu_set_program_name("cu-test");
    cu_writer_open_path("/nonexistent-dir/out.tsv", CU_FMT_TSV, CU_WRITE_NO_TRAILERS);
}

static void test_program_errors(void)
{
    struct child_result r;
    dies_with(w_too_few, (void *)(intptr_t)CU_FMT_TSV, 1,
              "cu-test: (stdout): program error: row 1 of section "
              "nova.instances has 2 fields for 3 columns\n",
              "too few fields at the end of a row (TSV)");
    r = run_child(w_too_few, (void *)(intptr_t)CU_FMT_JSONS);
    ok(r.status == 1 && strstr(r.err, "has 2 fields for 3 columns") &&
           r.out[0] == '\0',
       "too few fields (JSONS): exit 1, nothing written");
    child_result_free(&r);
    dies_with(w_too_many, NULL, 1,
              "cu-test: (stdout): program error: row 2 of section (unnamed) "
              "has more fields than its 1 columns\n",
              "too many fields: fatal at the extra field");
    dies_with(w_no_section, NULL, 1,
              "program error: field written before any section",
              "a field before any section");
    dies_with(w_close_mid_row, NULL, 1,
              "program error: closed in the middle of row 1",
              "closing in the middle of a row");
    dies_with(w_unnamed_second, NULL, 1,
              "cu-test: (stdout): an unnamed section with other columns "
              "cannot follow section s.t",
              "an unnamed section after another is refused");
    dies_with(w_open_fails, NULL, 1,
              "cu-test: /nonexistent-dir/out.tsv: cannot open for writing: "
              "No such file or directory\n",
              "cannot create the output: message with the path");
}

/* ---- gzip ---- */

static char *gunzip_file(const char *path, size_t *len)
{
    gzFile gz = gzopen(path, "rb");
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    int k;
    if (!gz || !buf)
        abort();
    while ((k = gzread(gz, buf + n, (unsigned)(cap - n))) > 0) {
        n += (size_t)k;
        if (n == cap && !(buf = realloc(buf, (cap *= 2) + 1)))
            abort();
    }
    ok(k == 0, "gzread reaches the end without error");
    gzclose(gz);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static void test_gzip(void)
{
    char *path = new_tmp(".tsv.gz"), *plain, *back, *raw;
    size_t len, plen, rawlen, rows = 20000;
    cu_writer *w = cu_writer_open_path(path, CU_FMT_TSV, CU_WRITE_GZIP | CU_WRITE_NO_TRAILERS);
    static const char *const cols[] = {"n", "text"};
    char *exp = malloc(rows * 40 + 64);
    size_t elen = 0;

    elen += (size_t)sprintf(exp + elen, "#table\tt.gz\nn\ttext\n");
    cu_writer_section(w, "t.gz", cols, 2);
    for (size_t i = 0; i < rows; i++) {
        cu_writer_int(w, (int64_t)i);
        cu_writer_cstr(w, i % 7 ? "row\twith tab" : NULL);
        cu_writer_end_row(w);
        elen += (size_t)sprintf(exp + elen, "%zu\t%s\n", i,
                                i % 7 ? "row\\twith tab" : "\\N");
    }
    is_int((int64_t)cu_writer_rows(w), (int64_t)rows, "gzip: rows counted");
    is_int((int64_t)cu_writer_bytes(w), (int64_t)elen,
           "gzip: uncompressed bytes counted");
    cu_writer_close(w);

    raw = slurp(path, &rawlen);
    ok(rawlen > 18 && (unsigned char)raw[0] == 0x1f &&
           (unsigned char)raw[1] == 0x8b,
       "gzip: the file starts with the gzip magic");
    ok(rawlen < elen / 4, "gzip: it is compressed (%zu < %zu / 4)", rawlen,
       elen);
    free(raw);
    back = gunzip_file(path, &len);
    is_mem(back, len, exp, elen, "gzip: decompresses to the TSV written");
    free(back);
    drop_tmp(path);

    /* an empty gzip output is still a valid gzip file */
    path = new_tmp(".gz");
    cu_writer_close(cu_writer_open_path(path, CU_FMT_JSONS, CU_WRITE_GZIP | CU_WRITE_NO_TRAILERS));
    plain = gunzip_file(path, &plen);
    is_int((int64_t)plen, 0, "gzip: an empty output is a valid empty gzip");
    free(plain);
    drop_tmp(path);
    free(exp);
}

static void test_gzip_flush(void)
{
    char *path = new_tmp(".gz");
    int fd = open(path, O_RDWR);
    cu_writer *w = cu_writer_fdopen(fd, path, CU_FMT_TSV, CU_WRITE_GZIP | CU_WRITE_LINE_BUFFERED | CU_WRITE_NO_TRAILERS);
    char comp[4096], plain[256];
    size_t clen;
    z_stream z = {0};
    int rc;
    cu_writer_section(w, NULL, one_col, 1);
    cu_writer_cstr(w, "first");
    cu_writer_end_row(w);
    /* Before close: what is on disk decompresses to everything so far. */
    slurp_fd_now(fd, comp, sizeof comp, &clen);
    inflateInit2(&z, 15 + 16);
    z.next_in = (unsigned char *)comp;
    z.avail_in = (unsigned)clen;
    z.next_out = (unsigned char *)plain;
    z.avail_out = sizeof plain;
    rc = inflate(&z, Z_SYNC_FLUSH);
    ok(rc == Z_OK || rc == Z_BUF_ERROR, "gzip line-buffered: inflate of "
       "the partial file works (rc %d)", rc);
    is_mem(plain, sizeof plain - z.avail_out, LIT("c\nfirst\n"),
           "gzip line-buffered: the row is readable before close");
    inflateEnd(&z);
    cu_writer_close(w);
    close(fd);
    drop_tmp(path);
}

/* zstd, line-buffered: each row is readable before the writer closes (the
 * frame is flushed, not ended), and the closed file is one whole frame. */
static void test_zstd_flush(void)
{
    char *path = new_tmp(".zst");
    int fd = open(path, O_RDWR);
    cu_writer *w = cu_writer_fdopen(fd, path, CU_FMT_TSV, CU_WRITE_ZSTD | CU_WRITE_LINE_BUFFERED | CU_WRITE_NO_TRAILERS);
    char comp[4096], plain[256];
    size_t clen, rc;
    ZSTD_DStream *d = ZSTD_createDStream();
    cu_writer_section(w, NULL, one_col, 1);
    cu_writer_cstr(w, "first");
    cu_writer_end_row(w);
    slurp_fd_now(fd, comp, sizeof comp, &clen);
    ZSTD_inBuffer in = {comp, clen, 0};
    ZSTD_outBuffer out = {plain, sizeof plain, 0};
    rc = ZSTD_decompressStream(d, &out, &in);
    ok(!ZSTD_isError(rc) && rc != 0, "zstd line-buffered: the partial file "
       "decompresses, its frame not ended yet");
    is_mem(plain, out.pos, LIT("c\nfirst\n"),
           "zstd line-buffered: the row is readable before close");
    struct cu_write_counts c;
    cu_writer_close_counted(w, &c);
    slurp_fd_now(fd, comp, sizeof comp, &clen);
    ok(ZSTD_findFrameCompressedSize(comp, clen) == clen,
       "zstd: the closed file is one complete frame");
    ok(c.rows == 1 && c.bytes == 8 && c.stored == clen,
       "zstd: counts at close: rows %" PRIu64 ", bytes %" PRIu64
       ", stored %" PRIu64 " = file size %zu", c.rows, c.bytes, c.stored,
       clen);
    ZSTD_freeDStream(d);
    close(fd);
    drop_tmp(path);
}

/* ---- flushing, counts ---- */

static void test_flushing(void)
{
    char *path = new_tmp(".tsv");
    int fd = open(path, O_RDWR);
    char buf[256];
    size_t len;
    cu_writer *w = cu_writer_fdopen(fd, "t", CU_FMT_TSV, CU_WRITE_NO_TRAILERS);
    static const char *const cols[] = {"a", "b"};

    cu_writer_section(w, "s.t", cols, 2);
    slurp_fd_now(fd, buf, sizeof buf, &len);
    is_mem(buf, len, LIT("#table\ts.t\na\tb\n"),
           "the header is flushed at once");
    cu_writer_int(w, 1);
    cu_writer_int(w, 2);
    cu_writer_end_row(w);
    slurp_fd_now(fd, buf, sizeof buf, &len);
    is_mem(buf, len, LIT("#table\ts.t\na\tb\n"),
           "without --line-buffered a row waits in the buffer");
    is_int((int64_t)cu_writer_bytes_out(w), 15, "bytes_out: the header");
    cu_writer_flush(w);
    slurp_fd_now(fd, buf, sizeof buf, &len);
    is_mem(buf, len, LIT("#table\ts.t\na\tb\n1\t2\n"),
           "cu_writer_flush writes it");
    is_int((int64_t)cu_writer_rows(w), 1, "rows: 1");
    is_int((int64_t)cu_writer_bytes(w), 19, "bytes: 19");
    cu_writer_close(w);
    close(fd);

    fd = open(path, O_RDWR | O_TRUNC);
    w = cu_writer_fdopen(fd, "t", CU_FMT_JSONS, CU_WRITE_LINE_BUFFERED | CU_WRITE_NO_TRAILERS);
    cu_writer_section(w, NULL, cols, 2);
    cu_writer_int(w, 1);
    cu_writer_int(w, 2);
    cu_writer_end_row(w);
    slurp_fd_now(fd, buf, sizeof buf, &len);
    is_mem(buf, len, LIT("{\"a\":1,\"b\":2}\n"),
           "--line-buffered: the row is visible before close");
    cu_writer_close(w);
    ok(fcntl(fd, F_GETFD) != -1, "the writer does not close a descriptor "
       "it was given");
    close(fd);
    drop_tmp(path);
}

/* Reference TSV encoding of a field (first: it begins the line). */
static size_t ref_tsv(const char *s, size_t len, bool first, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        char e = s[i] == '\\' ? '\\' : s[i] == '\t' ? 't' : s[i] == '\n' ? 'n'
                 : s[i] == '\r' ? 'r' : first && i == 0 && s[i] == '#' ? '#'
                                                                    : 0;
        if (e) {
            out[o++] = '\\';
            out[o++] = e;
        } else
            out[o++] = s[i];
    }
    return o;
}

static struct {
    char *exp;
    size_t len;
} esc_rows;

/* Each escaped byte at every position of fields of 0-40 bytes (clean
 * runs are copied 8 bytes at a time, so every alignment matters), alone
 * and with a second one at the end; two columns, so the first field of a
 * line (where `#` is escaped) is covered too; ~300 KB, so that fields also
 * meet the 64 KiB buffer's end (where the writer escapes byte by byte). */
static void w_escape_positions(cu_writer *w)
{
    static const char *const cols[] = {"a", "b"};
    static const char specials[] = "\t\n\r\\#";
    char v[48];
    esc_rows.exp = malloc(1 << 20);
    esc_rows.len = (size_t)sprintf(esc_rows.exp, "a\tb\n");
    cu_writer_section(w, NULL, cols, 2);
    for (int round = 0; round < 3; round++)
        for (size_t len = 0; len <= 40; len++)
            for (size_t pos = 0; pos < (len ? len : 1); pos++)
                for (size_t c = 0; c < 5; c++) {
                    char *e = esc_rows.exp;
                    for (size_t k = 0; k < len; k++)
                        v[k] = (char)('a' + (k + round) % 26);
                    if (len)
                        v[pos] = specials[c];
                    if (len && round == 1)
                        v[len - 1] = specials[(c + 1) % 5];
                    if (round == 2)
                        for (size_t k = pos; k < len; k++)
                            v[k] = specials[(c + k) % 5];
                    cu_writer_str(w, v, len);
                    cu_writer_str(w, v, len);
                    cu_writer_end_row(w);
                    esc_rows.len += ref_tsv(v, len, true, e + esc_rows.len);
                    e[esc_rows.len++] = '\t';
                    esc_rows.len += ref_tsv(v, len, false, e + esc_rows.len);
                    e[esc_rows.len++] = '\n';
                }
}

static void test_tsv_escape_positions(void)
{
    size_t len;
    char *got = output_of(CU_FMT_TSV, 0, w_escape_positions, &len);
    ok(len > 3 * CU_WRITER_BUFSZ, "escape positions: %zu bytes, several "
       "buffers", len);
    is_mem(got, len, esc_rows.exp, esc_rows.len,
           "tsv: an escape at every position of fields of 0-40 bytes, "
           "alone, with another at the end, and runs of them");
    free(got);
    free(esc_rows.exp);
}

/* cu_writer_plain: TSV copies the bytes; a first field's leading # is
 * still escaped; JSONS quotes and CSV quotes as for any string. */
static void w_plain(cu_writer *w)
{
    static const char *const cols[] = {"a", "b", "c"};
    cu_writer_section(w, NULL, cols, 3);
    cu_writer_plain(w, LIT("#x"));
    cu_writer_plain(w, LIT("0d9a1ad2-5a2b-4c4b-9f0e-1d2c3b4a5968"));
    cu_writer_plain(w, LIT("a,\"b\""));
    cu_writer_end_row(w);
    cu_writer_plain(w, LIT("p"));
    cu_writer_plain(w, LIT(""));
    cu_writer_plain(w, LIT("q"));
    cu_writer_end_row(w);
}

static void test_plain(void)
{
    check_output(CU_FMT_TSV, w_plain,
                 LIT("a\tb\tc\n\\#x\t0d9a1ad2-5a2b-4c4b-9f0e-1d2c3b4a5968"
                     "\ta,\"b\"\np\t\tq\n"),
                 "tsv: plain strings copied, a leading # escaped");
    check_output(CU_FMT_JSONS, w_plain,
                 LIT("{\"a\":\"#x\",\"b\":\"0d9a1ad2-5a2b-4c4b-9f0e-"
                     "1d2c3b4a5968\",\"c\":\"a,\\\"b\\\"\"}\n"
                     "{\"a\":\"p\",\"b\":\"\",\"c\":\"q\"}\n"),
                 "jsons: plain strings are quoted and escaped as strings");
    check_output(CU_FMT_CSV, w_plain,
                 LIT("a,b,c\r\n#x,0d9a1ad2-5a2b-4c4b-9f0e-1d2c3b4a5968,"
                     "\"a,\"\"b\"\"\"\r\np,\"\",q\r\n"),
                 "csv: plain strings are quoted as strings (empty is \"\")");
}

/* Whole TSV rows from cu_writer_tsv_row, mixed with rows written field
 * by field, over several buffers; NULL where the row API does not apply. */
static size_t rows_expected_len;

static void w_tsv_rows(cu_writer *w)
{
    static const char *const cols[] = {"a", "b"};
    cu_writer_section(w, NULL, cols, 2);
    for (int i = 0; i < 20000; i++) {
        char *o = i % 3 ? cu_writer_tsv_row(w, 64) : NULL;
        if (o) {
            o += sprintf(o, "row%d\tx\\\\y\n", i); /* escaped */
            cu_writer_tsv_row_end(w, o);
        } else {
            char a[16];
            cu_writer_str(w, a, (size_t)sprintf(a, "row%d", i));
            cu_writer_str(w, "x\\y", 3);
            cu_writer_end_row(w);
        }
        rows_expected_len += (size_t)snprintf(NULL, 0, "row%d\tx\\\\y\n", i);
    }
    cu_writer_str(w, "mid", 3); /* not at a row's start */
    ok(cu_writer_tsv_row(w, 8) == NULL, "no whole row in the middle of one");
    cu_writer_str(w, "row", 3);
    cu_writer_end_row(w);
    ok(cu_writer_tsv_row(w, CU_WRITER_BUFSZ) == NULL,
       "no whole row larger than a quarter of the buffer");
}

static void w_jsons_row(cu_writer *w)
{
    static const char *const cols[] = {"a"};
    cu_writer_section(w, NULL, cols, 1);
    ok(cu_writer_tsv_row(w, 8) == NULL, "no whole TSV row in JSONS");
    cu_writer_str(w, "x", 1);
    cu_writer_end_row(w);
}

static void test_tsv_rows(void)
{
    size_t len;
    char *got = output_of(CU_FMT_TSV, 0, w_tsv_rows, &len);
    size_t exp_len = strlen("a\tb\n") + rows_expected_len +
                     strlen("mid\trow\n");
    is_int((int64_t)len, (int64_t)exp_len, "whole rows: all bytes there");
    ok(len > 2 * CU_WRITER_BUFSZ && memcmp(got, "a\tb\nrow0\tx\\\\y\nrow1\tx\\\\y\n", 19) == 0 &&
           strstr(got, "\nrow19999\tx\\\\y\nmid\trow\n") != NULL,
       "whole rows and rows field by field interleave, across buffers");
    free(got);
    got = output_of(CU_FMT_JSONS, 0, w_jsons_row, &len);
    is_mem(got, len, LIT("{\"a\":\"x\"}\n"), "jsons row after the refusal");
    free(got);
    char buf[CU_NUMBER_BUFSZ];
    is_mem(buf, cu_format_int(INT64_MIN, buf), LIT("-9223372036854775808"),
           "cu_format_int");
    is_mem(buf, cu_format_double(0.0625, buf), LIT("0.0625"),
           "cu_format_double");
}

static void test_big_field(void)
{
    /* a 1 MiB field of escapes crosses the 64 KiB buffer many times */
    size_t n = 1 << 20, len;
    char *s = malloc(n), *exp = malloc(2 * n + 8), *out;
    size_t e = 0;
    memcpy(exp, "c\n", 2);
    e = 2;
    for (size_t i = 0; i < n; i++) {
        s[i] = "ab\tc\\d\ne"[i % 8];
        switch (s[i]) {
        case '\t': exp[e++] = '\\'; exp[e++] = 't'; break;
        case '\n': exp[e++] = '\\'; exp[e++] = 'n'; break;
        case '\\': exp[e++] = '\\'; exp[e++] = '\\'; break;
        default: exp[e++] = s[i];
        }
    }
    exp[e++] = '\n';
    out = one_string(CU_FMT_TSV, s, n, &len);
    is_mem(out, len, exp, e, "a 1 MiB field with escapes");
    free(out);
    free(s);
    free(exp);
}

/* ---- round trip through lib/stream ---- */

static const struct {
    const char *s;
    size_t len;
} rt_values[] = {
    {LIT("plain")},      {LIT("a\tb\nc\rd\\e")}, {LIT("\\N")},
    {LIT("")},           {LIT("#lead")},          {LIT("é東☃ 😀")},
    {LIT("q\"uo,te\"")}, {LIT("a\0b")},           {LIT("\\")},
    {LIT(" \r\n")},
};
enum { RT_N = sizeof rt_values / sizeof *rt_values };

static void rt_write(const char *path, enum cu_format fmt, unsigned flags)
{
    static const char *const cols[] = {"#s", "n", "i", "d", "b", "t"};
    static const char *const other[] = {"x"};
    cu_writer *w = cu_writer_open_path(path, fmt, flags | CU_WRITE_NO_TRAILERS);
    cu_writer_section(w, "nova.instances", cols, 6);
    for (size_t k = 0; k < RT_N; k++) {
        cu_writer_str(w, rt_values[k].s, rt_values[k].len);
        cu_writer_null(w);
        cu_writer_int(w, (int64_t)k - 3);
        cu_writer_double(w, (double)k / 4);
        cu_writer_bool(w, k % 2);
        cu_writer_time(w, (cu_time)k * 1500000);
        cu_writer_end_row(w);
    }
    if (fmt != CU_FMT_CSV) {
        cu_writer_section(w, "nova_cell1.x", other, 1);
        cu_writer_cstr(w, "last");
        cu_writer_end_row(w);
    }
    cu_writer_close(w);
}

/* Mismatches between what rt_write wrote and what the reader returns. */
static int rt_read(const char *path, enum cu_format fmt)
{
    const char *paths[] = {path};
    cu_reader *r = cu_reader_open(paths, 1, fmt == CU_FMT_CSV ? CU_FMT_CSV
                                                             : CU_FMT_AUTO);
    bool json = fmt == CU_FMT_JSONS;
    int bad = 0, sections = 0;
    size_t k = 0;
    enum cu_next next;
    char exp[64];
    while ((next = cu_reader_next(r)) != CU_EOF) {
        const cu_field *f;
        if (next == CU_SECTION) {
            sections++;
            continue;
        }
        if (cu_reader_ncols(r) == 1) {
            f = cu_reader_field(r, 0);
            bad += strcmp(cu_reader_table(r), "nova_cell1.x") != 0 ||
                   strcmp(f->s, "last") != 0;
            continue;
        }
        bad += strcmp(cu_reader_table(r) ? cu_reader_table(r) : "(none)",
                      fmt == CU_FMT_CSV ? "(none)" : "nova.instances") != 0;
        bad += strcmp(cu_reader_colname(r, 0), "#s") != 0;
        f = cu_reader_field(r, 0);
        if (k >= RT_N || f->type != CU_VAL_STRING ||
            f->len != rt_values[k].len ||
            memcmp(f->s, rt_values[k].s, f->len) != 0) {
            diag("row %zu: string differs", k);
            bad++;
            if (k >= RT_N)
                break;
        }
        f = cu_reader_field(r, 1);
        /* NULL survives every format (CSV: an unquoted empty field) */
        bad += f->type != CU_VAL_NULL;
        f = cu_reader_field(r, 2);
        snprintf(exp, sizeof exp, "%d", (int)k - 3);
        bad += strcmp(f->s, exp) != 0 ||
               f->type != (json ? CU_VAL_NUMBER : CU_VAL_STRING);
        bad += cu_reader_double(r, 3, -1) != (double)k / 4;
        f = cu_reader_field(r, 4);
        bad += strcmp(f->s, k % 2 ? "true" : "false") != 0 ||
               f->type != (json ? CU_VAL_BOOL : CU_VAL_STRING);
        bad += cu_reader_time(r, 5) != (cu_time)k * 1500000;
        k++;
    }
    cu_reader_close(r);
    if (k != RT_N || sections != (fmt == CU_FMT_CSV ? 1 : 2)) {
        diag("%zu rows, %d sections", k, sections);
        bad++;
    }
    return bad;
}

static void test_roundtrip(void)
{
    static const enum cu_format fmts[] = {CU_FMT_TSV, CU_FMT_JSONS,
                                          CU_FMT_CSV};
    static const char *const names[] = {"", "TSV", "JSONS", "CSV"};
    for (size_t i = 0; i < 3; i++)
        for (unsigned gz = 0; gz <= CU_WRITE_GZIP; gz += CU_WRITE_GZIP) {
            char *path = new_tmp(gz ? ".gz" : ".out"), name[80];
            snprintf(name, sizeof name, "round trip through lib/stream: "
                     "%s%s: values, NULL, types, sections", names[fmts[i]],
                     gz ? ", gzip" : "");
            rt_write(path, fmts[i], gz);
            is_int(rt_read(path, fmts[i]), 0, name);
            drop_tmp(path);
        }
}

/* ---- cu_tsv_escape ---- */

static void test_tsv_escape_fn(void)
{
    char buf[16];
    size_t n;
    memset(buf, 'x', sizeof buf);
    n = cu_tsv_escape(LIT("a\tb\\"), buf, sizeof buf);
    is_int((int64_t)n, 6, "cu_tsv_escape: bytes needed");
    is_mem(buf, n, LIT("a\\tb\\\\"), "cu_tsv_escape: escaped text");
    ok(buf[n] == 'x', "cu_tsv_escape: no NUL written");
    memset(buf, 'x', sizeof buf);
    n = cu_tsv_escape(LIT("a\tb\\"), buf, 5);
    is_int((int64_t)n, 6, "cu_tsv_escape: a short buffer still reports 6");
    ok(buf[0] == 'x', "cu_tsv_escape: a short buffer is left alone");
    n = cu_tsv_escape(NULL, 0, buf, sizeof buf);
    is_mem(buf, n, LIT("\\N"), "cu_tsv_escape: NULL is \\N");
    n = cu_tsv_escape(LIT(""), buf, 0);
    is_int((int64_t)n, 0, "cu_tsv_escape: empty needs 0");
}

/* ---- write errors, EPIPE, cu_close_stdout ---- */

static void w_rows_to_open(cu_writer *w, int rows)
{
    static const char *const cols[] = {"a", "b"};
    cu_writer_section(w, NULL, cols, 2);
    for (int i = 0; i < rows; i++) {
        cu_writer_int(w, i);
        cu_writer_cstr(w, "some text to fill the buffer");
        cu_writer_end_row(w);
    }
}

static void w_rows_to(cu_writer *w, int rows)
{
    w_rows_to_open(w, rows);
    cu_writer_close(w);
}

static void w_dev_full_stdout(void *arg)
{
    int fd = open("/dev/full", O_WRONLY);
    (void)arg;
    cu_set_program_name("cu-test");
    dup2(fd, STDOUT_FILENO);
    close(fd);
    w_rows_to(cu_writer_fdopen(STDOUT_FILENO, "(stdout)", CU_FMT_TSV, CU_WRITE_NO_TRAILERS), 10);
    exit(0);
}

static void w_dev_full_path(void *arg)
{
    (void)arg;
    cu_set_program_name("cu-test");
    w_rows_to(cu_writer_open_path("/dev/full", CU_FMT_JSONS, CU_WRITE_GZIP | CU_WRITE_NO_TRAILERS),
              100000);
    exit(0);
}

/* A pipe whose reader is gone; arg: ignore SIGPIPE first (as a parent
 * such as Python's subprocess may have arranged). */
static void w_closed_pipe(void *arg)
{
    int p[2];
    cu_writer *w;
    if (pipe(p) != 0)
        exit(99);
    close(p[0]);
    if (arg)
        signal(SIGPIPE, SIG_IGN);
    cu_set_program_name("cu-test");
    w = cu_writer_fdopen(p[1], "(stdout)", CU_FMT_TSV, CU_WRITE_NO_TRAILERS);
    w_rows_to(w, 100000);
    exit(0);
}

static void w_closed_pipe_later(void *arg)
{
    /* the reader takes the header (flushed at once) and goes away */
    int p[2];
    char buf[64];
    cu_writer *w;
    static const char *const cols[] = {"a"};
    (void)arg;
    if (pipe(p) != 0)
        exit(99);
    signal(SIGPIPE, SIG_IGN);
    w = cu_writer_fdopen(p[1], "(stdout)", CU_FMT_TSV, CU_WRITE_NO_TRAILERS);
    cu_writer_section(w, "s.t", cols, 1);
    if (read(p[0], buf, sizeof buf) != 13 ||
        memcmp(buf, "#table\ts.t\na\n", 13) != 0)
        exit(98);
    close(p[0]);
    for (int i = 0; i < 100000; i++) {
        cu_writer_int(w, i);
        cu_writer_end_row(w);
    }
    cu_writer_close(w);
    exit(0);
}

static void stdout_dev_full(void *arg)
{
    int fd = open("/dev/full", O_WRONLY);
    (void)arg;
    cu_set_program_name("cu-test");
    dup2(fd, STDOUT_FILENO);
    close(fd);
    printf("hello\n");
    cu_close_stdout();
    exit(0);
}

static void stdout_closed_pipe(void *arg)
{
    int p[2];
    (void)arg;
    if (pipe(p) != 0)
        exit(99);
    close(p[0]);
    dup2(p[1], STDOUT_FILENO);
    close(p[1]);
    signal(SIGPIPE, SIG_IGN);
    cu_set_program_name("cu-test");
    printf("hello\n");
    cu_close_stdout();
    exit(0);
}

static void stdout_fine(void *arg)
{
    (void)arg;
    printf("hello\n");
    cu_close_stdout();
    cu_close_stdout(); /* twice is harmless */
    _exit(7);
}

static void stdout_closed_unused(void *arg)
{
    (void)arg;
    close(STDOUT_FILENO);
    cu_close_stdout();
    _exit(7);
}

/* A non-blocking pipe to a reader that starts late: the writer waits
 * instead of failing with EAGAIN. Prints what the reader got, then what the
 * writer wrote. */
static void w_nonblocking(void *arg)
{
    int p[2];
    pid_t pid;
    cu_writer *w;
    uint64_t bytes;
    (void)arg;
    if (pipe(p) != 0 || fcntl(p[1], F_SETFL, O_NONBLOCK) != 0)
        _exit(99);
    if ((pid = fork()) == 0) {
        char buf[1 << 16];
        size_t total = 0;
        ssize_t k;
        close(p[1]);
        usleep(100000);
        while ((k = read(p[0], buf, sizeof buf)) > 0)
            total += (size_t)k;
        printf("%zu\n", total);
        fflush(stdout);
        _exit(0);
    }
    close(p[0]);
    w = cu_writer_fdopen(p[1], "(pipe)", CU_FMT_TSV, CU_WRITE_NO_TRAILERS);
    w_rows_to_open(w, 50000);
    bytes = cu_writer_bytes(w);
    cu_writer_close(w);
    close(p[1]);
    waitpid(pid, NULL, 0);
    printf("%llu\n", (unsigned long long)bytes);
    fflush(stdout);
    _exit(0);
}

static void test_write_errors(void)
{
    struct child_result r;
    dies_with(w_dev_full_stdout, NULL, 1,
              "cu-test: (stdout): write error: No space left on device\n",
              "/dev/full on stdout: exit 1, message naming the output");
    dies_with(w_dev_full_path, NULL, 1,
              "cu-test: /dev/full: write error: No space left on device\n",
              "/dev/full by path, gzip: exit 1, message naming the path");

    r = run_child(w_closed_pipe, NULL);
    ok(r.status == 128 + SIGPIPE && r.err[0] == '\0',
       "closed pipe: killed by SIGPIPE, no message (status %d, '%s')",
       r.status, r.err);
    child_result_free(&r);
    r = run_child(w_closed_pipe, (void *)1);
    ok(r.status == 128 + SIGPIPE && r.err[0] == '\0',
       "closed pipe with SIGPIPE ignored: EPIPE still ends by SIGPIPE, "
       "quietly (status %d, '%s')", r.status, r.err);
    child_result_free(&r);
    r = run_child(w_closed_pipe_later, NULL);
    ok(r.status == 128 + SIGPIPE && r.err[0] == '\0',
       "reader reads the header and leaves (as head -1): SIGPIPE, quiet "
       "(status %d, '%s')", r.status, r.err);
    child_result_free(&r);

    r = run_child(w_nonblocking, NULL);
    {
        unsigned long long got = 0, wrote = 1;
        sscanf(r.out, "%llu %llu", &got, &wrote);
        ok(r.status == 0 && got == wrote && got > 1000000,
           "a non-blocking pipe: the writer waits, the reader gets all "
           "%llu bytes (status %d, got %llu, '%s')", wrote, r.status, got,
           r.err);
    }
    child_result_free(&r);

    dies_with(stdout_dev_full, NULL, 1,
              "cu-test: (stdout): write error: No space left on device\n",
              "cu_close_stdout: a full disk is reported, exit 1");
    r = run_child(stdout_closed_pipe, NULL);
    ok(r.status == 128 + SIGPIPE && r.err[0] == '\0',
       "cu_close_stdout: EPIPE is quiet (status %d, '%s')", r.status, r.err);
    child_result_free(&r);
    r = run_child(stdout_fine, NULL);
    ok(r.status == 7 && strcmp(r.out, "hello\n") == 0 && r.err[0] == '\0',
       "cu_close_stdout: success is silent, and once only");
    child_result_free(&r);
    r = run_child(stdout_closed_unused, NULL);
    ok(r.status == 7 && r.err[0] == '\0',
       "cu_close_stdout: a closed, unused stdout is not an error");
    child_result_free(&r);
}

/* cu_sync_dir: a directory syncs; a missing one is fatal, named. */
static void sync_missing_dir(void *arg)
{
    cu_sync_dir((const char *)arg);
}

static void test_sync_dir(void)
{
    char *dir = tmpdir_make();
    struct child_result r = run_child(sync_missing_dir, dir);
    ok(r.status == 0, "cu_sync_dir of a directory succeeds");
    child_result_free(&r);
    char *missing = malloc(strlen(dir) + 16);
    sprintf(missing, "%s/no-such-dir", dir);
    dies_with(sync_missing_dir, missing, 1, "no-such-dir",
              "cu_sync_dir of a missing directory is fatal and names it");
    free(missing);
    free(dir);
}

/* cu_temp_begin: the file goes when the program dies of an error or of a
 * signal, and stays once forgotten. */
static void temp_then_die(void *arg)
{
    cu_temp_begin((const char *)arg);
    cu_die(CU_EXIT_DATA, "failing on purpose");
}

static void temp_then_signal(void *arg)
{
    cu_temp_begin((const char *)arg);
    raise(SIGTERM);
}

static void temp_forgotten_then_die(void *arg)
{
    cu_temp_begin((const char *)arg);
    cu_temp_forget();
    cu_die(CU_EXIT_DATA, "failing on purpose");
}

/* arg: a directory; writes a file there through the temporary name and
 * commits it to final (a path given after the directory, NUL-separated). */
static void temp_commit_child(void *arg)
{
    const char *dir = arg, *final = dir + strlen(dir) + 1;
    char *tmp = cu_temp_path(dir, "t.tsv");
    FILE *f = fopen(tmp, "w");
    if (!f || fclose(f) != 0)
        abort();
    cu_temp_begin(tmp);
    cu_temp_commit(final);
    free(tmp);
}

static bool exists(const char *path) { return access(path, F_OK) == 0; }

static void write_file_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) == EOF || fclose(f) != 0)
        abort(); /* the test's own setup */
}

static void test_temp_file(void)
{
    char *dir = tmpdir_make();
    char *path = malloc(strlen(dir) + 16);
    sprintf(path, "%s/t.tmp", dir);

    write_file_text(path, "x");
    struct child_result r = run_child(temp_then_die, path);
    ok(r.status == 1 && !exists(path),
       "cu_temp_begin: the file goes when the program dies of an error");
    child_result_free(&r);

    write_file_text(path, "x");
    r = run_child(temp_then_signal, path);
    ok(r.status == 128 + SIGTERM && !exists(path),
       "cu_temp_begin: the file goes on SIGTERM, and the program dies of it");
    child_result_free(&r);

    write_file_text(path, "x");
    r = run_child(temp_forgotten_then_die, path);
    ok(r.status == 1 && exists(path),
       "cu_temp_forget: a file renamed into place is left alone");
    child_result_free(&r);
    unlink(path);

    char *tmp = cu_temp_path(dir, "t.tsv");
    char *want = malloc(strlen(dir) + 16);
    sprintf(want, "%s/.t.tsv.tmp", dir);
    is_str(tmp, want, "cu_temp_path: DIR/.NAME.tmp");
    size_t dl = strlen(dir);
    char *arg = malloc(2 * dl + 64);
    memcpy(arg, dir, dl + 1);
    sprintf(arg + dl + 1, "%s/t.tsv", dir);
    r = run_child(temp_commit_child, arg);
    ok(r.status == 0 && exists(arg + dl + 1) && !exists(tmp),
       "cu_temp_commit renames the file into place");
    child_result_free(&r);
    unlink(arg + dl + 1);
    sprintf(arg + dl + 1, "%s/no-such-dir/t.tsv", dir);
    dies_with(temp_commit_child, arg, 1, "no-such-dir/t.tsv",
              "a failed cu_temp_commit is fatal and names the final path");
    ok(!exists(tmp), "... and the temporary file goes");
    free(arg);
    free(want);
    free(tmp);
    rmdir(dir);
    free(path);
    free(dir);
}

static void write_two_sections(cu_writer *w)
{
    static const char *const ab[] = {"a", "b"};
    cu_writer_section(w, "s.t", ab, 2);
    cu_writer_int(w, 1);
    cu_writer_cstr(w, "x");
    cu_writer_end_row(w);
    cu_writer_int(w, 2);
    cu_writer_null(w);
    cu_writer_end_row(w);
    cu_writer_table_status(w, "s.gone", "denied");
    cu_writer_section(w, "s.u", ab, 1);
    cu_writer_section(w, "s.v", ab, 1);
    cu_writer_cstr(w, "y");
    cu_writer_end_row(w);
}

static void write_nothing(cu_writer *w) { (void)w; }

/* The trailers: #cu first, #end ROWS after each section (an empty one
 * too), #eof last; JSONS objects; none with NO_TRAILERS. A #status may
 * stand between the rows of a section. */
static void test_trailers(void)
{
    size_t len;
    char *t = output_of_with(CU_FMT_TSV, 0, write_two_sections, &len);
    is_str(t, "#cu\t1\n#table\ts.t\na\tb\n1\tx\n2\t\\N\n"
              "#status\ts.gone\tdenied\n#end\t2\n#table\ts.u\na\n#end\t0\n"
              "#table\ts.v\na\ny\n#end\t1\n#eof\n",
           "trailers: TSV sections end in #end ROWS, the stream in #eof");
    free(t);
    t = output_of_with(CU_FMT_JSONS, 0, write_two_sections, &len);
    is_str(t, "{\"_cu\":1}\n{\"_table\":\"s.t\",\"a\":1,\"b\":\"x\"}\n"
              "{\"_table\":\"s.t\",\"a\":2,\"b\":null}\n"
              "{\"_table\":\"s.gone\",\"_status\":\"denied\"}\n"
              "{\"_table\":\"s.t\",\"_end\":2}\n"
              "{\"_table\":\"s.u\",\"_end\":0}\n"
              "{\"_table\":\"s.v\",\"a\":\"y\"}\n"
              "{\"_table\":\"s.v\",\"_end\":1}\n{\"_eof\":true}\n",
           "trailers: JSONS objects");
    free(t);
    t = output_of_with(CU_FMT_TSV, 0, write_nothing, &len);
    is_str(t, "#cu\t1\n#eof\n", "trailers: an empty stream is #cu and #eof");
    free(t);
    t = output_of_with(CU_FMT_TSV, CU_WRITE_NO_TRAILERS, write_two_sections,
                       &len);
    ok(strstr(t, "#cu") == NULL && strstr(t, "#end") == NULL &&
           strstr(t, "#eof") == NULL && strstr(t, "#status\ts.gone") != NULL,
       "trailers: none with CU_WRITE_NO_TRAILERS (a #status still)");
    free(t);
}

int main(void)
{
    plan(0);
    cu_set_program_name("cu-test");
    test_trailers();
    test_tsv_escapes();
    test_tsv_escape_positions();
    test_tsv_sections();
    test_json_strings();
    test_json_invalid_utf8();
    test_json_invalid_utf8_warned();
    test_json_rows();
    test_json_numbers();
    test_csv_fields();
    test_csv_table();
    test_doubles();
    test_doubles_random();
    test_numbers_misc();
    test_many_ints();
    test_passthrough();
    test_program_errors();
    test_gzip();
    test_zstd_flush();
    test_gzip_flush();
    test_flushing();
    test_big_field();
    test_tsv_rows();
    test_plain();
    test_tsv_escape_fn();
    test_roundtrip();
    test_write_errors();
    test_sync_dir();
    test_temp_file();
    return done_testing();
}
