/* Unit tests of the stream reader (lib/stream.c): TSV, JSONS, CSV, gzip,
 * several inputs, archive directories, typed accessors and every error. */
#include "config.h"

#include "compress.h"
#include "cutime.h"
#include "error.h"
#include "hmac.h"
#include "stream.h"
#include "tap.h"
#include "writer.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

/* ---- helpers ------------------------------------------------------------ */

/* A readable transcript of a whole stream, one line per event:
 *   S <table|-> @<line> <col>|<col>...   a section
 *   @<line> <field>|<field>...          a row
 * Fields: text with control bytes shown as <TAB> <LF> <CR> <NUL>, a NULL as
 * <N>, a number as #text, a boolean as ?text. */
static void put_visible(FILE *o, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        switch (s[i]) {
        case '\t': fputs("<TAB>", o); break;
        case '\n': fputs("<LF>", o); break;
        case '\r': fputs("<CR>", o); break;
        case '\0': fputs("<NUL>", o); break;
        case '|': fputs("<BAR>", o); break;
        default: fputc(s[i], o);
        }
    }
}

static char *transcript(cu_reader *r)
{
    char *text = NULL;
    size_t size = 0;
    FILE *o = open_memstream(&text, &size);
    enum cu_next k;
    while ((k = cu_reader_next(r)) != CU_EOF) {
        if (k == CU_SECTION) {
            const char *t = cu_reader_table(r);
            fprintf(o, "S %s @%lu ", t ? t : "-", cu_reader_lineno(r));
            for (size_t i = 0; i < cu_reader_ncols(r); i++) {
                const char *c = cu_reader_colname(r, i);
                if (i)
                    fputc('|', o);
                put_visible(o, c, strlen(c));
            }
        } else {
            fprintf(o, "@%lu ", cu_reader_lineno(r));
            for (size_t i = 0; i < cu_reader_ncols(r); i++) {
                const cu_field *f = cu_reader_field(r, i);
                if (i)
                    fputc('|', o);
                if (f->type == CU_VAL_NULL)
                    fputs("<N>", o);
                else {
                    if (f->type == CU_VAL_NUMBER)
                        fputc('#', o);
                    else if (f->type == CU_VAL_BOOL)
                        fputc('?', o);
                    put_visible(o, f->s, f->len);
                }
            }
        }
        fputc('\n', o);
    }
    fclose(o);
    return text;
}

static char *file_of(const char *text) /* a temp file holding text */
{
    return tmpfile_with(text, strlen(text), ".txt");
}

static cu_reader *open_one(const char *path, enum cu_format fmt)
{
    const char *paths[1] = {path};
    return cu_reader_open(paths, 1, fmt);
}

/* Transcript of text read from a file (fmt as given). */
static char *read_text_len(const char *text, size_t len, enum cu_format fmt)
{
    char *path = tmpfile_with(text, len, ".txt");
    cu_reader *r = open_one(path, fmt);
    char *t = transcript(r);
    cu_reader_close(r);
    free(path);
    return t;
}

static char *read_text(const char *text, enum cu_format fmt)
{
    return read_text_len(text, strlen(text), fmt);
}

static void check_stream(const char *text, enum cu_format fmt,
                         const char *expected, const char *name)
{
    char *t = read_text(text, fmt);
    is_str(t, expected, name);
    free(t);
}

/* Error paths: the child reads the whole stream and must die. */
struct bad {
    const char *path;
    enum cu_format fmt;
};

static void read_all_child(void *arg)
{
    struct bad *b = arg;
    cu_set_program_name("cu-test");
    cu_reader *r = open_one(b->path, b->fmt);
    free(transcript(r));
    cu_reader_close(r);
}

/* text must make the reader die with status 1 and a message containing
 * FILE + msg (msg starts with ":LINE: ..." or ": ..."). */
static void check_error_len(const char *text, size_t len, enum cu_format fmt,
                            const char *msg, const char *name)
{
    char *path = tmpfile_with(text, len, ".txt");
    char *want = malloc(strlen(path) + strlen(msg) + 16);
    struct bad b = {path, fmt};
    sprintf(want, "cu-test: %s%s", path, msg);
    dies_with(read_all_child, &b, 1, want, name);
    free(want);
    free(path);
}

/* Like check_error_len, for an error whose line number depends on where
 * the input was cut: "cu-test: PATH:LINE" then msg, LINE any number. */
static void check_error_some_line(const char *text, size_t len,
                                  enum cu_format fmt, const char *msg,
                                  const char *name)
{
    char *path = tmpfile_with(text, len, ".txt");
    char *want = malloc(strlen(path) + 16);
    struct bad b = {path, fmt};
    sprintf(want, "cu-test: %s:", path);
    struct child_result res = run_child(read_all_child, &b);
    const char *at = strstr(res.err, want), *p = at ? at + strlen(want) : NULL;
    bool digits = p && *p >= '0' && *p <= '9';
    while (p && *p >= '0' && *p <= '9')
        p++;
    if (!ok(res.status == 1 && digits && strncmp(p, msg, strlen(msg)) == 0,
            "%s", name))
        diag("exit status %d, stderr '%s', expected '%sLINE%s'", res.status,
             res.err, want, msg);
    child_result_free(&res);
    free(want);
    free(path);
}

static void check_error(const char *text, enum cu_format fmt, const char *msg,
                        const char *name)
{
    check_error_len(text, strlen(text), fmt, msg, name);
}

static char *gzip_text(const char *text) { return tmpfile_gz(text, strlen(text)); }

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;
    if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0)
        abort();
    rewind(f);
    buf = malloc((size_t)n + 1);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n)
        abort();
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
        abort();
}

static char *path_in(const char *dir, const char *name)
{
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(p, "%s/%s", dir, name);
    return p;
}

/* ---- TSV ---------------------------------------------------------------- */

static void test_tsv_basic(void)
{
    const char *in = "id\tname\tnote\n"
                     "1\talpha\t\n"
                     "2\t\\N\tx\\ty\\nz\\rw\\\\v\n";
    check_stream(in, CU_FMT_AUTO,
                 "S - @1 id|name|note\n"
                 "@2 1|alpha|\n"
                 "@3 2|<N>|x<TAB>y<LF>z<CR>w\\v\n",
                 "TSV: header, rows, escapes \\t \\n \\r \\\\ decoded");

    /* field by field: NULL vs empty string, raw keeps the escaped text */
    char *path = file_of("a\tb\tc\n\\N\t\tp\\tq\n");
    cu_reader *r = open_one(path, CU_FMT_AUTO);
    is_int(cu_reader_next(r), CU_SECTION, "TSV: section first");
    is_int(cu_reader_format(r), CU_FMT_TSV, "TSV: detected as TSV");
    ok(cu_reader_table(r) == NULL, "TSV: a stream without #table is unnamed");
    is_int(cu_reader_next(r), CU_ROW, "TSV: then a row");
    const cu_field *f0 = cu_reader_field(r, 0), *f1 = cu_reader_field(r, 1),
                   *f2 = cu_reader_field(r, 2);
    ok(cu_field_is_null(f0) && f0->len == 0 && f0->s[0] == '\0',
       "TSV: \\N is NULL with an empty s");
    is_mem(f0->raw, f0->raw_len, "\\N", 2, "TSV: NULL raw is \\N");
    ok(!cu_field_is_null(f1) && f1->type == CU_VAL_STRING && f1->len == 0,
       "TSV: an empty field is the empty string, not NULL");
    is_mem(f2->s, f2->len, "p\tq", 3, "TSV: escaped tab decoded");
    ok(f2->s[f2->len] == '\0', "TSV: decoded value is NUL-terminated");
    is_mem(f2->raw, f2->raw_len, "p\\tq", 4, "TSV: raw is the escaped text");
    is_int(cu_reader_next(r), CU_EOF, "TSV: then EOF");
    is_int(cu_reader_next(r), CU_EOF, "TSV: EOF again after EOF");
    cu_reader_close(r);
    free(path);
}

static void test_tsv_lines(void)
{
    check_stream("a\tb\r\n1\t2\r\n3\t4\r\n", CU_FMT_AUTO,
                 "S - @1 a|b\n@2 1|2\n@3 3|4\n",
                 "TSV: CRLF line endings: the CR is dropped");
    check_error("a\tb\n1\tx\ry\n", CU_FMT_AUTO,
                ":2: field 2 (b): raw carriage return in a field",
                "TSV error: a raw CR inside a field");
    check_error("a\tb\n1\tx\r\n", CU_FMT_AUTO,
                ":2: field 2 (b): raw carriage return in a field",
                "TSV error: a raw CR before the LF of a file whose lines end "
                "in LF (not dropped)");
    check_error("a\tb\r\n1\tx\ry\r\n", CU_FMT_AUTO,
                ":2: field 2 (b): raw carriage return in a field",
                "TSV error: a raw CR inside a field of a CRLF file");
    check_stream("#table\tt\r\na\tb\r\n1\t2\r\n", CU_FMT_AUTO,
                 "S t @2 a|b\n@3 1|2\n",
                 "TSV: a CRLF file may start with a directive");
    check_stream("a\tb\n1\t2\n3\t4", CU_FMT_AUTO,
                 "S - @1 a|b\n@2 1|2\n@3 3|4\n",
                 "TSV: last line without a newline");
    check_error("a\tb\n1\t2\r", CU_FMT_AUTO,
                ":2: field 2 (b): raw carriage return in a field",
                "TSV error: last line of an LF file ending in a lone CR");
    check_stream("a\tb\r\n1\t2\r", CU_FMT_AUTO, "S - @1 a|b\n@2 1|2\n",
                 "TSV: last line of a CRLF file without its LF");
    check_stream("only\n\nx\n\n", CU_FMT_AUTO,
                 "S - @1 only\n@2 \n@3 x\n@4 \n",
                 "TSV: an empty line is a row of one empty field");
    check_stream("a\n\\\\N\n\\N\n", CU_FMT_AUTO, "S - @1 a\n@2 \\N\n@3 <N>\n",
                 "TSV: \\\\N is the text \\N, \\N is NULL");
    check_stream("", CU_FMT_AUTO, "", "TSV: empty input has no section");
    check_stream("a\tb\n", CU_FMT_AUTO, "S - @1 a|b\n",
                 "TSV: header-only input is a section without rows");
    check_stream("a\tb", CU_FMT_AUTO, "S - @1 a|b\n",
                 "TSV: header-only input without a newline");
    check_stream("h\n\xff\xfe\xc3(\n", CU_FMT_AUTO, "S - @1 h\n@2 \xff\xfe\xc3(\n",
                 "TSV: bytes that are not UTF-8 pass through unchanged");
    check_stream("h\n\xc3\xa9t\xc3\xa9 \xe2\x82\xac\n", CU_FMT_AUTO,
                 "S - @1 h\n@2 \xc3\xa9t\xc3\xa9 \xe2\x82\xac\n",
                 "TSV: UTF-8 passes through");

    char *t = read_text_len("h\tk\na\0b\tc\n", 10, CU_FMT_AUTO);
    is_str(t, "S - @1 h|k\n@2 a<NUL>b|c\n", "TSV: a NUL byte is data");
    free(t);
}

static void test_tsv_sections(void)
{
    const char *in = "# a comment: ignored\n"
                     "#table\tnova.instances\n"
                     "uuid\thost\n"
                     "u1\th1\n"
                     "#version\t3\n"
                     "u2\th2\n"
                     "#table\tblazar.leases\n"
                     "id\n"
                     "#table\tnova_cell1.instances\n"
                     "uuid\thost\n"
                     "u3\t\\N\n"
                     "#tables are not a directive we know\n";
    check_stream(in, CU_FMT_AUTO,
                 "S nova.instances @3 uuid|host\n"
                 "@4 u1|h1\n"
                 "@6 u2|h2\n"
                 "S blazar.leases @8 id\n"
                 "S nova_cell1.instances @10 uuid|host\n"
                 "@11 u3|<N>\n",
                 "TSV: #table sections, header-only section, other "
                 "directives ignored");
    check_stream("#table\tx.t\r\na\r\n1\r\n", CU_FMT_AUTO,
                 "S x.t @2 a\n@3 1\n", "TSV: #table with CRLF");
    check_stream("#table\tonly.one\na\tb\n", CU_FMT_AUTO,
                 "S only.one @2 a|b\n", "TSV: named header-only section");
    check_stream("#comment only\n", CU_FMT_AUTO, "",
                 "TSV: only directives: no section");
    check_stream("\\#id\tname\n\\#table\tx\n\\#\t#\\#\n", CU_FMT_AUTO,
                 "S - @1 #id|name\n@2 #table|x\n@3 #|##\n",
                 "TSV: \\# is #: a header or row may start with #");
    check_stream("a\\tb\tc\\\\d\n1\t2\n", CU_FMT_AUTO,
                 "S - @1 a<TAB>b|c\\d\n@2 1|2\n",
                 "TSV: escapes in the header are decoded");
}

static void test_tsv_columns(void)
{
    char *path = file_of("id\tname\tid\tz\n1\tn\t3\t4\n");
    cu_reader *r = open_one(path, CU_FMT_TSV);
    cu_reader_next(r);
    is_int(cu_reader_ncols(r), 4, "columns: ncols");
    is_int(cu_reader_col(r, "name"), 1, "columns: lookup by name");
    is_int(cu_reader_col(r, "z"), 3, "columns: last column");
    is_int(cu_reader_col(r, "id"), 0, "columns: a repeated name finds the first");
    is_int(cu_reader_col(r, "nope"), -1, "columns: missing name is -1");
    is_int(cu_reader_col(r, ""), -1, "columns: empty name is missing");
    is_int(cu_reader_need_col(r, "z"), 3, "columns: need_col finds it");
    ok(cu_reader_colname(r, 4) == NULL, "columns: colname out of range is NULL");
    is_str(cu_reader_colnames(r)[2], "id", "columns: colnames array");
    cu_reader_close(r);
    free(path);

    /* many columns: the lookup table must hold them all */
    char big[8192];
    size_t o = 0;
    for (int i = 0; i < 300; i++)
        o += (size_t)sprintf(big + o, "%scol%d", i ? "\t" : "", i);
    big[o++] = '\n';
    big[o] = '\0';
    path = file_of(big);
    r = open_one(path, CU_FMT_AUTO);
    cu_reader_next(r);
    bool all = cu_reader_ncols(r) == 300;
    for (int i = 0; i < 300 && all; i++) {
        char name[16];
        sprintf(name, "col%d", i);
        all = cu_reader_col(r, name) == i;
    }
    ok(all, "columns: 300 columns all found by name");
    cu_reader_close(r);
    free(path);
}

static void need_col_child(void *arg)
{
    cu_set_program_name("cu-test");
    cu_reader *r = open_one(arg, CU_FMT_AUTO);
    cu_reader_next(r);
    cu_reader_need_col(r, "flavor");
}

static void field_out_of_range_child(void *arg)
{
    cu_set_program_name("cu-test");
    cu_reader *r = open_one(arg, CU_FMT_AUTO);
    cu_reader_next(r);
    cu_reader_next(r);
    cu_reader_field(r, 2);
}

static void test_tsv_errors(void)
{
    check_error("a\tb\n1\tx\\xy\n", CU_FMT_AUTO,
                ":2: field 2 (b): unknown escape '\\x': 'x\\\\xy'",
                "TSV error: unknown escape names file, line, field, value");
    check_error("a\tb\n1\tab\\\n", CU_FMT_AUTO,
                ":2: field 2 (b): backslash at the end of the field: 'ab\\\\'",
                "TSV error: lone trailing backslash");
    check_error("a\tb\nx\\N\t2\n", CU_FMT_AUTO,
                ":2: field 1 (a): \\N inside a field",
                "TSV error: \\N inside a longer field");
    check_error("a\tb\n1\t\\\x01\n", CU_FMT_AUTO,
                ":2: field 2 (b): unknown escape '\\' followed by byte 0x01",
                "TSV error: escape of a control byte");
    check_error("a\tb\\q\n", CU_FMT_AUTO, ":1: field 2: unknown escape '\\q'",
                "TSV error: bad escape in the header (no column name yet)");
    check_error("a\tb\tc\n1\t2\t3\n4\t5\n", CU_FMT_AUTO,
                ":3: wrong number of fields: expected 3 (as in the header at "
                "line 1), got 2",
                "TSV error: too few fields");
    check_error("#table\tt\na\tb\n1\t2\t3\t4\n", CU_FMT_AUTO,
                ":3: wrong number of fields: expected 2 (as in the header at "
                "line 2), got 4",
                "TSV error: too many fields");
    check_error("a\tb\r\n1\t2\t\r\n", CU_FMT_AUTO,
                ":2: wrong number of fields: expected 2 (as in the header at "
                "line 1), got 3",
                "TSV error: a trailing tab is one more (empty) field");
    check_error("\na\n", CU_FMT_AUTO, ":1: empty header line",
                "TSV error: empty header line");
    check_error("a\t\\N\n", CU_FMT_AUTO,
                ":1: field 2: NULL as a column name in the header: '\\\\N'",
                "TSV error: NULL column name");
    check_error("#table\tx.a\n#table\tx.b\nc\n", CU_FMT_AUTO,
                ":1: #table directive without a header line",
                "TSV error: #table followed by another #table");
    check_error("a\n1\n#table\tx.a\n", CU_FMT_AUTO,
                ":3: #table directive without a header line",
                "TSV error: #table at the end of the file");
    check_error("#table x.a\na\n", CU_FMT_AUTO,
                ":1: malformed directive (expected #table<TAB>schema.table): "
                "'#table x.a'",
                "TSV error: #table with a space");
    check_error("#table\t\na\n", CU_FMT_AUTO, ":1: malformed directive",
                "TSV error: #table without a name");
    check_error("#table\n", CU_FMT_AUTO, ":1: malformed directive",
                "TSV error: bare #table");
    check_error("#table\ta\tb\nx\n", CU_FMT_AUTO, ":1: malformed directive",
                "TSV error: #table with two names");

    char *path = file_of("#table\tnova.instances\nuuid\thost\n");
    char want[512];
    snprintf(want, sizeof want,
             "cu-test: %s:2: table nova.instances has no column 'flavor'",
             path);
    dies_with(need_col_child, path, 1, want,
              "need_col: missing column names file, header line, table");
    free(path);
    path = file_of("uuid\n");
    snprintf(want, sizeof want,
             "cu-test: %s:1: no column 'flavor' in the header", path);
    dies_with(need_col_child, path, 1, want,
              "need_col: missing column of an unnamed table");
    free(path);
    path = file_of("a\tb\n1\t2\n");
    dies_with(field_out_of_range_child, path, 1,
              "cu-test: internal error: field 3 asked of a row of 2 fields",
              "field: an index past the row is an internal error");
    free(path);
}

/* The same errors in the middle of a file, followed by enough good rows
 * that the bad line lies whole in the buffer (the one-pass splitter's
 * case, where the reader must say exactly what the line-at-a-time path
 * says at the end of a file). */
static void check_error_mid(const char *text, const char *pad_row,
                            const char *msg, const char *name)
{
    size_t len = strlen(text), plen = strlen(pad_row);
    char *big = malloc(len + 200 * plen + 1);
    memcpy(big, text, len);
    for (int k = 0; k < 200; k++, len += plen)
        memcpy(big + len, pad_row, plen);
    check_error_len(big, len, CU_FMT_AUTO, msg, name);
    free(big);
}

static void test_tsv_errors_mid_file(void)
{
    const char *pad2 = "padding-padding-padding\tpadding-padding-padding\n";
    check_error_mid("a\tb\n1\tx\\xy-long-enough-for-a-chunk\n", pad2,
                    ":2: field 2 (b): unknown escape '\\x': "
                    "'x\\\\xy-long-enough-for-a-chunk'",
                    "TSV error mid-file: unknown escape");
    check_error_mid("a\tb\n1-long-enough-for-a-chunk\tab\\\n", pad2,
                    ":2: field 2 (b): backslash at the end of the field: "
                    "'ab\\\\'",
                    "TSV error mid-file: lone trailing backslash");
    check_error_mid("a\tb\r\n1-long-enough-for-a-chunk\tab\\\r\n", pad2,
                    ":2: field 2 (b): backslash at the end of the field: "
                    "'ab\\\\'",
                    "TSV error mid-file: trailing backslash before CRLF");
    check_error_mid("a\tb\nx\\N-long-enough-for-a-chunk\t2\n", pad2,
                    ":2: field 1 (a): \\N inside a field",
                    "TSV error mid-file: \\N inside a longer field");
    check_error_mid("a\tb\tc\n1\t2\t3-long-enough-for-a-chunk\n"
                    "4-long-enough-for-a-chunk\t5\n",
                    "padding-padding-padding\tp\tpadding-padding-padding\n",
                    ":3: wrong number of fields: expected 3 (as in the header "
                    "at line 1), got 2",
                    "TSV error mid-file: too few fields");
    check_error_mid("a\tb\n1\t2\t3\t4-long-enough-for-a-chunk\n", pad2,
                    ":2: wrong number of fields: expected 2 (as in the header "
                    "at line 1), got 4",
                    "TSV error mid-file: too many fields");
    check_error_mid("a\tb\n1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11\t12\t13\t14\t15"
                    "\t16\t17\t18\t19\t20\n", pad2,
                    ":2: wrong number of fields: expected 2 (as in the header "
                    "at line 1), got 20",
                    "TSV error mid-file: many more fields than a chunk holds");
    check_error_mid("a\tb\n1\tx\\qy\t3-long-enough-for-a-chunk\n", pad2,
                    ":2: field 2 (b): unknown escape '\\q'",
                    "TSV error mid-file: a bad escape before one field too "
                    "many is reported first, as at the end of a file");
    check_error_mid("a\tb\n1-long-enough-for-a-chunk\t2\t\r\n", pad2,
                    ":2: wrong number of fields: expected 2 (as in the header "
                    "at line 1), got 3",
                    "TSV error mid-file: a trailing tab before CRLF");
}

/* Reference encoding of a TSV field, for the round trips below. */
static size_t ref_escape(const char *s, size_t len, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        char e = s[i] == '\\' ? '\\' : s[i] == '\t' ? 't' : s[i] == '\n' ? 'n'
                 : s[i] == '\r' ? 'r' : 0;
        if (i == 0 && s[i] == '#')
            e = '#';
        if (e) {
            out[o++] = '\\';
            out[o++] = e;
        } else
            out[o++] = s[i];
    }
    return o;
}

/* Random rows (fields of 0-40 bytes drawn mostly from the bytes that
 * matter: tab, newline, CR, backslash, `#`, `N`, NUL, 0xff, letters; some
 * NULL; some fields 8-aligned runs of escapes), written by a reference
 * encoder into 1.5 MB, so that every alignment of every special byte and
 * escapes across the 128 KB read blocks are met; every field must come back
 * byte for byte. Plain and gzip; lines ending in LF, and in CRLF (where a
 * few lines end in LF alone, which a CRLF file may have). */
enum { RT_COLS = 6, RT_ROWS = 40000, RT_MAXF = 40 };

static unsigned long rt_seed = 12345;
static unsigned rt_rand(void)
{
    rt_seed = rt_seed * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rt_seed >> 33);
}

static void test_tsv_random_rows(bool crlf)
{
    static const char alphabet[] = "\t\n\r\\#N\0\xff" "abcdefgh";
    static char val[RT_ROWS][RT_COLS][RT_MAXF];
    static unsigned char vlen[RT_ROWS][RT_COLS]; /* 255 = NULL */
    size_t cap = (size_t)RT_ROWS * RT_COLS * (2 * RT_MAXF + 1) + 256, len = 0;
    char *text = malloc(cap), *path, *gz;
    len += (size_t)sprintf(text, "c0\tc1\tc2\tc3\tc4\tc5%s\n", crlf ? "\r" : "");
    for (size_t r = 0; r < RT_ROWS; r++) {
        for (size_t c = 0; c < RT_COLS; c++) {
            unsigned n = rt_rand() % (RT_MAXF + 1), kind = rt_rand() % 10;
            if (kind == 0) {
                vlen[r][c] = 255;
            } else {
                for (unsigned k = 0; k < n; k++)
                    val[r][c][k] = kind < 4 ? alphabet[rt_rand() % 16]
                                   : kind < 8 ? (char)('a' + rt_rand() % 26)
                                              : alphabet[rt_rand() % 4];
                vlen[r][c] = (unsigned char)n;
            }
            if (c)
                text[len++] = '\t';
            if (vlen[r][c] == 255) {
                memcpy(text + len, "\\N", 2);
                len += 2;
            } else
                len += ref_escape(val[r][c], vlen[r][c], text + len);
        }
        if (crlf && r % 7 != 0)
            text[len++] = '\r';
        text[len++] = '\n';
    }
    path = tmpfile_with(text, len, ".tsv");
    gz = tmpfile_gz(text, len);
    for (int pass = 0; pass < 2; pass++) {
        cu_reader *r = open_one(pass ? gz : path, CU_FMT_AUTO);
        size_t rows = 0, good = 0;
        enum cu_next k;
        while ((k = cu_reader_next(r)) != CU_EOF) {
            bool same = cu_reader_lineno(r) == rows + 2;
            if (k != CU_ROW || rows >= RT_ROWS)
                continue;
            for (size_t c = 0; c < RT_COLS; c++) {
                const cu_field *f = cu_reader_field(r, c);
                if (vlen[rows][c] == 255)
                    same &= cu_field_is_null(f);
                else
                    same &= !cu_field_is_null(f) &&
                            f->len == vlen[rows][c] &&
                            memcmp(f->s, val[rows][c], f->len) == 0 &&
                            f->s[f->len] == '\0';
            }
            good += same;
            rows++;
        }
        ok(rows == RT_ROWS && good == RT_ROWS,
           "%s%s: %d random rows with escapes at every position: %zu read, "
           "%zu intact", pass ? "gzip" : "plain", crlf ? " CRLF" : "",
           RT_ROWS, rows, good);
        cu_reader_close(r);
    }
    free(gz);
    free(path);
    free(text);
}

/* A field longer than any buffer: 1 MB (and a 3 MB line of 3 fields). */
static void test_long_field(void)
{
    size_t n = 1024 * 1024, len;
    char *text = malloc(3 * n + 64), *path, *gz;
    memcpy(text, "big\tsmall\n", 10);
    len = 10;
    for (size_t i = 0; i < n; i++)
        text[len++] = (char)('a' + i % 26);
    text[len - 1] = '\\'; /* an escape at the very end of it */
    text[len++] = 't';
    memcpy(text + len, "\tx\n", 3);
    len += 3;

    path = tmpfile_with(text, len, ".tsv");
    gz = tmpfile_gz(text, len);
    for (int pass = 0; pass < 2; pass++) {
        cu_reader *r = open_one(pass ? gz : path, CU_FMT_AUTO);
        const cu_field *f;
        is_int(cu_reader_next(r), CU_SECTION, pass ? "1 MB field (gzip): section"
                                                   : "1 MB field: section");
        is_int(cu_reader_next(r), CU_ROW, "1 MB field: row");
        f = cu_reader_field(r, 0);
        ok(f->len == n && f->s[n - 1] == '\t' && f->s[0] == 'a' &&
               f->s[n - 2] == (char)('a' + (n - 2) % 26) && f->raw_len == n + 1,
           "1 MB field: decoded length and content");
        is_str(cu_reader_field(r, 1)->s, "x", "1 MB field: the next field");
        is_int(cu_reader_next(r), CU_EOF, "1 MB field: EOF");
        cu_reader_close(r);
    }
    free(path);
    free(gz);

    /* three 1 MB fields on one line, then many short lines */
    len = 0;
    len += (size_t)sprintf(text, "a\tb\tc\n");
    for (int k = 0; k < 3; k++) {
        memset(text + len, 'A' + k, n);
        len += n;
        text[len++] = k < 2 ? '\t' : '\n';
    }
    path = tmpfile_with(text, len, ".tsv");
    cu_reader *r = open_one(path, CU_FMT_AUTO);
    cu_reader_next(r);
    cu_reader_next(r);
    ok(cu_reader_field(r, 0)->len == n && cu_reader_field(r, 2)->len == n &&
           cu_reader_field(r, 2)->s[n - 1] == 'C' &&
           cu_reader_field(r, 1)->s[0] == 'B',
       "3 MB line: three 1 MB fields");
    cu_reader_close(r);
    free(path);
    free(text);
}

/* Many rows across buffer boundaries: every row arrives intact. */
static void test_many_rows(void)
{
    size_t rows = 200000, len = 0;
    char *text = malloc(rows * 40 + 32), *gz, *path;
    len += (size_t)sprintf(text, "n\tsq\ttext\n");
    for (size_t i = 0; i < rows; i++)
        len += (size_t)sprintf(text + len, "%zu\t%zu\tr\\t%zu\n", i, i * i,
                               i % 97);
    path = tmpfile_with(text, len, ".tsv");
    gz = tmpfile_gz(text, len);
    for (int pass = 0; pass < 2; pass++) {
        cu_reader *r = open_one(pass ? gz : path, CU_FMT_AUTO);
        size_t good = 0, seen = 0;
        enum cu_next k;
        while ((k = cu_reader_next(r)) != CU_EOF) {
            char want[32];
            if (k != CU_ROW)
                continue;
            sprintf(want, "r\t%zu", seen % 97);
            if ((size_t)cu_reader_int(r, 0, -1) == seen &&
                (size_t)cu_reader_int(r, 1, -1) == seen * seen &&
                strcmp(cu_reader_field(r, 2)->s, want) == 0 &&
                cu_reader_lineno(r) == seen + 2)
                good++;
            seen++;
        }
        ok(seen == rows && good == rows, "%s: %zu rows all intact",
           pass ? "gzip" : "plain", rows);
        cu_reader_close(r);
    }
    free(gz);
    free(path);
    free(text);
}

/* ---- JSONS -------------------------------------------------------------- */

static void test_jsons_basic(void)
{
    const char *in =
        "{\"_table\":\"nova.instances\",\"id\":1,\"uuid\":\"u-1\",\"vcpus\":-2.50e+3,"
        "\"deleted\":false,\"host\":null}\n"
        "{ \"uuid\" : \"u-2\" , \"id\" : 0 , \"host\" : \"h\\\"q\" , \"vcpus\" :"
        " 1E-2, \"deleted\": true, \"_table\": \"nova.instances\" }\n"
        "\n"
        "   \n"
        "# a directive line is skipped\n"
        "{\"id\":3,\"_table\":\"nova.instances\",\"uuid\":\"\",\"vcpus\":0.5,"
        "\"deleted\":true,\"host\":\"\"}\r\n";
    check_stream(in, CU_FMT_AUTO,
                 "S nova.instances @1 id|uuid|vcpus|deleted|host\n"
                 "@1 #1|u-1|#-2.50e+3|?false|<N>\n"
                 "@2 #0|u-2|#1E-2|?true|h\"q\n"
                 "@6 #3||#0.5|?true|\n",
                 "JSONS: types, key order, whitespace, blank and # lines, "
                 "CRLF");

    char *path = file_of("{\"a\": \"x\\ty\" ,\"b\":12.5e1,\"c\":null,\"d\":true}");
    cu_reader *r = open_one(path, CU_FMT_AUTO);
    is_int(cu_reader_next(r), CU_SECTION, "JSONS: section");
    is_int(cu_reader_format(r), CU_FMT_JSONS, "JSONS: detected by '{'");
    ok(cu_reader_table(r) == NULL, "JSONS: no _table: unnamed");
    is_int(cu_reader_next(r), CU_ROW, "JSONS: the first object is a row");
    const cu_field *a = cu_reader_field(r, 0), *b = cu_reader_field(r, 1),
                   *c = cu_reader_field(r, 2), *d = cu_reader_field(r, 3);
    is_mem(a->s, a->len, "x\ty", 3, "JSONS: string decoded");
    is_mem(a->raw, a->raw_len, "\"x\\ty\"", 6, "JSONS: string raw is the token");
    ok(b->type == CU_VAL_NUMBER, "JSONS: number type");
    is_str(b->s, "12.5e1", "JSONS: number text kept exactly");
    is_mem(b->raw, b->raw_len, "12.5e1", 6, "JSONS: number raw");
    ok(c->type == CU_VAL_NULL && c->len == 0, "JSONS: null is NULL");
    is_mem(c->raw, c->raw_len, "null", 4, "JSONS: null raw");
    ok(d->type == CU_VAL_BOOL, "JSONS: bool type");
    is_str(d->s, "true", "JSONS: bool text");
    is_int(cu_reader_next(r), CU_EOF, "JSONS: EOF");
    cu_reader_close(r);
    free(path);

    check_stream("{\"n\":0}\n{\"n\":-0}\n{\"n\":-0.0e-0}\n{\"n\":123456789012345678901234567890}\n",
                 CU_FMT_AUTO,
                 "S - @1 n\n@1 #0\n@2 #-0\n@3 #-0.0e-0\n"
                 "@4 #123456789012345678901234567890\n",
                 "JSONS: number grammar edge cases kept as written");
}

static void test_jsons_sections(void)
{
    const char *in = "{\"_table\":\"a.x\",\"k\":1}\n"
                     "{\"_table\":\"a.x\",\"k\":2}\n"
                     "{\"_table\":\"b.y\",\"p\":\"s\",\"q\":null}\n"
                     "{\"q\":3,\"p\":\"t\",\"_table\":\"b.y\"}\n"
                     "{\"_table\":\"a.x\",\"k\":3}\n"
                     "{\"z\":true}\n"
                     "{\"z\":false}\n";
    check_stream(in, CU_FMT_AUTO,
                 "S a.x @1 k\n@1 #1\n@2 #2\n"
                 "S b.y @3 p|q\n@3 s|<N>\n@4 t|#3\n"
                 "S a.x @5 k\n@5 #3\n"
                 "S - @6 z\n@6 ?true\n@7 ?false\n",
                 "JSONS: sections by _table, reordered keys, unnamed section");
}

static void test_jsons_unicode(void)
{
    check_stream("{\"s\":\"\\u00e9\\u20AC\\ud83d\\ude00\\\"\\\\\\/\\b\\f\\n\\r\\t\"}\n",
                 CU_FMT_AUTO,
                 "S - @1 s\n@1 \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"\\/\b\f<LF><CR><TAB>\n",
                 "JSONS: \\u escapes, surrogate pair, short escapes");
    check_stream("{\"s\":\"\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"}\n",
                 CU_FMT_AUTO,
                 "S - @1 s\n@1 \xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\n",
                 "JSONS: UTF-8 passes through");
    check_stream("{\"s\":\"\xff\xc3\"}\n", CU_FMT_AUTO, "S - @1 s\n@1 \xff\xc3\n",
                 "JSONS: bytes that are not UTF-8 pass through");
    check_stream("{\"s\":\"a\\u0000b\",\"\\u00e9\":\"\\u007f\\u0080\\u07ff\\u0800\\uffff\"}\n",
                 CU_FMT_AUTO,
                 "S - @1 s|\xc3\xa9\n@1 a<NUL>b|\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\n",
                 "JSONS: \\u0000 and UTF-8 length boundaries; escaped key");
    check_stream("{\"s\":\"\\uDBFF\\uDFFF\\uD800\\uDC00\"}\n", CU_FMT_AUTO,
                 "S - @1 s\n@1 \xf4\x8f\xbf\xbf\xf0\x90\x80\x80\n",
                 "JSONS: highest and lowest surrogate pairs");
}

static void test_jsons_errors(void)
{
    check_error("{\"a\":1,\"b\":{\"c\":1}}\n", CU_FMT_AUTO,
                ":1: field 2 (b): column 12: nested object (objects must be flat)",
                "JSONS error: nested object at its column");
    check_error("{\"a\":1}\n{\"a\": [1]}\n", CU_FMT_AUTO,
                ":2: field 1 (a): column 7: array (objects must be flat)",
                "JSONS error: array at line 2, column 7");
    check_error("{\"a\":\"\\ud83d\"}\n", CU_FMT_AUTO,
                ":1: field 1 (a): column 7: lone high surrogate \\uD83D",
                "JSONS error: lone high surrogate");
    check_error("{\"a\":\"\\ud83dx\\ude00\"}\n", CU_FMT_AUTO,
                ":1: field 1 (a): column 7: lone high surrogate",
                "JSONS error: high surrogate not followed by \\u");
    check_error("{\"a\":\"\\ud83d\\u0041\"}\n", CU_FMT_AUTO,
                ":1: field 1 (a): column 7: lone high surrogate",
                "JSONS error: high surrogate followed by a non-surrogate");
    check_error("{\"a\":\"x\\ude00\"}\n", CU_FMT_AUTO,
                ":1: field 1 (a): column 8: lone low surrogate \\uDE00",
                "JSONS error: lone low surrogate");
    check_error("{\"a\":\"\\u12g4\"}\n", CU_FMT_AUTO,
                ":1: field 1 (a): column 7: bad \\u escape",
                "JSONS error: bad hex digit");
    check_error("{\"a\":\"\\u12", CU_FMT_AUTO,
                ":1: field 1 (a): column 7: truncated \\u escape",
                "JSONS error: short \\u escape");
    check_error("{\"a\":\"\\x\"}\n", CU_FMT_AUTO,
                ":1: field 1 (a): column 7: unknown escape '\\x'", "JSONS error: bad escape");
    check_error("{\"a\":\"x\ty\"}\n", CU_FMT_AUTO,
                ":1: field 1 (a): column 8: control character 0x09 in a string",
                "JSONS error: raw tab in a string");
    check_error("{\"a\":\"xy}\n", CU_FMT_AUTO,
                ":1: field 1 (a): column 6: unterminated string",
                "JSONS error: unterminated string");
    const char *bad_numbers[] = {"01", "1.", "-", "1e", "1e+", "0x10",
                                 "1.5.2", "--1", "1a", "-a", "2E", "1.e5"};
    for (size_t i = 0; i < sizeof bad_numbers / sizeof *bad_numbers; i++) {
        char in[64], name[64];
        snprintf(in, sizeof in, "{\"a\":%s}\n", bad_numbers[i]);
        snprintf(name, sizeof name, "JSONS error: bad number %s",
                 bad_numbers[i]);
        check_error(in, CU_FMT_AUTO, ":1: field 1 (a): column 6: invalid number", name);
    }
    check_error("{\"a\":+1}\n", CU_FMT_AUTO,
                ":1: field 1 (a): column 6: unexpected character '+'",
                "JSONS error: a number with a plus sign");
    check_error("{\"a\":.5}\n", CU_FMT_AUTO,
                ":1: field 1 (a): column 6: unexpected character '.'",
                "JSONS error: a number without its leading 0");
    check_error("{\"a\":NaN}\n", CU_FMT_AUTO,
                ":1: field 1 (a): column 6: unexpected character 'N'",
                "JSONS error: NaN");
    check_error("{\"a\":tru}\n", CU_FMT_AUTO, ":1: field 1 (a): column 6: unexpected word",
                "JSONS error: bad literal");
    check_error("{\"a\":truex}\n", CU_FMT_AUTO,
                ":1: column 10: ',' or '}' expected",
                "JSONS error: junk after a literal");
    check_error("{\"a\":1 \"b\":2}\n", CU_FMT_AUTO,
                ":1: column 8: ',' or '}' expected",
                "JSONS error: missing comma");
    check_error("{\"a\" 1}\n", CU_FMT_AUTO,
                ":1: column 6: ':' expected after the key",
                "JSONS error: missing colon");
    check_error("{a:1}\n", CU_FMT_AUTO, ":1: column 2: key (a string) expected",
                "JSONS error: unquoted key");
    check_error("{\"a\":1,}\n", CU_FMT_AUTO,
                ":1: column 8: key (a string) expected",
                "JSONS error: trailing comma");
    check_error("{\"a\":}\n", CU_FMT_AUTO, ":1: field 1 (a): column 6: unexpected character",
                "JSONS error: missing value");
    check_error("{\"a\":1", CU_FMT_AUTO, ":1: column 7: ',' or '}' expected",
                "JSONS error: object cut short");
    check_error("{\"a\":1}x\n", CU_FMT_AUTO,
                ":1: column 8: text after the end of the object",
                "JSONS error: text after the object");
    check_error("{\"a\":1}\n[1]\n", CU_FMT_AUTO,
                ":2: column 1: a line must be one JSON object",
                "JSONS error: a line that is not an object");
    check_error("{}\n", CU_FMT_AUTO, ":1: column 2: empty object",
                "JSONS error: empty object");
    check_error("{\"_table\":\"x\"}\n", CU_FMT_AUTO,
                ":1: object without columns",
                "JSONS error: object with only _table");
    check_error("{\"_table\":1,\"a\":1}\n", CU_FMT_AUTO,
                ":1: column 2: _table must be a non-empty string",
                "JSONS error: _table not a string");
    check_error("{\"a\":1,\"b\":2,\"a\":3}\n", CU_FMT_AUTO,
                ":1: column 14: duplicate key 'a'",
                "JSONS error: duplicate key in the first object");
    check_error("{\"a\":1,\"b\":2}\n{\"b\":1,\"a\":2,\"b\":3}\n", CU_FMT_AUTO,
                ":2: column 14: duplicate key 'b'",
                "JSONS error: duplicate key in a later object");
    check_error("{\"_table\":\"t\",\"a\":1,\"_table\":\"t\"}\n", CU_FMT_AUTO,
                ":1: column 21: duplicate key '_table'",
                "JSONS error: duplicate _table");
    check_error("{\"a\":1,\"b\":2}\n{\"a\":1}\n", CU_FMT_AUTO,
                ":2: field 2 (b): missing key 'b' (the first object of the "
                "section, line 1, has it)",
                "JSONS error: missing key");
    check_error("{\"a\":1,\"b\":2}\n{\"a\":1,\"b\":2,\"c\":3}\n", CU_FMT_AUTO,
                ":2: column 14: key not in the first object of the section "
                "(line 1): 'c'",
                "JSONS error: extra key");
    check_error("{\"a\":1,\"b\":2}\n{\"a\":1,\"c\":2}\n", CU_FMT_AUTO,
                ":2: column 8: key not in the first object",
                "JSONS error: a key replaced by another");
    check_error("{\"a\":", CU_FMT_AUTO, ":1: field 1 (a): column 6: value expected",
                "JSONS error: the line ends before a value");
    check_error("{\"a\":\"x\\", CU_FMT_AUTO,
                ":1: field 1 (a): column 8: unterminated string",
                "JSONS error: a backslash ends the line");
    check_error("{\"a\":\"\\\x01\"}\n", CU_FMT_AUTO,
                ":1: field 1 (a): column 7: unknown escape '\\' followed by byte 0x01",
                "JSONS error: escape of a control byte");
    check_error("a\tb\n1\t2\n", CU_FMT_JSONS,
                ":1: column 1: a line must be one JSON object",
                "JSONS forced on TSV input: an error, not a guess");
    check_error("{\"a\\u0000\":1}\n", CU_FMT_AUTO,
                ":1: column 2: NUL character in a key",
                "JSONS error: NUL in a key");
}

/* ---- CSV ---------------------------------------------------------------- */

static void test_csv(void)
{
    const char *in = "id,name,note\r\n"
                     "1,\"a, b\",plain\r\n"
                     "2,\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n"
                     "3, spaced ,\"\"\r\n"
                     "\r\n"
                     "4,,x";
    check_stream(in, CU_FMT_CSV,
                 "S - @1 id|name|note\n"
                 "@2 1|a, b|plain\n"
                 "@3 2|say \"hi\"|two<CR><LF>lines\n"
                 "@5 3| spaced |\n"
                 "@7 4|<N>|x\n",
                 "CSV: quoted commas, doubled quotes, newlines in quotes, "
                 "spaces kept, blank line skipped, last line without newline, "
                 "\"\" is empty and an unquoted empty field NULL");
    check_stream("a,b\n", CU_FMT_CSV, "S - @1 a|b\n", "CSV: header only");
    check_stream("", CU_FMT_CSV, "", "CSV: empty input");
    check_stream("a,b\n\\N,x\\t\n", CU_FMT_CSV, "S - @1 a|b\n@2 \\N|x\\t\n",
                 "CSV: backslashes are data, no NULL");
    check_stream("a,b\n1,2\n", CU_FMT_AUTO, "S - @1 a,b\n@2 1,2\n",
                 "CSV is never detected: read as TSV unless asked");
    check_stream("\"multi\nline\",x\n1,2\n", CU_FMT_CSV,
                 "S - @1 multi<LF>line|x\n@3 1|2\n",
                 "CSV: a header spanning two lines");

    char *path = file_of("a,b\n\"q\",r\n");
    cu_reader *r = open_one(path, CU_FMT_CSV);
    cu_reader_next(r);
    is_int(cu_reader_format(r), CU_FMT_CSV, "CSV: format");
    cu_reader_next(r);
    const cu_field *f = cu_reader_field(r, 0);
    ok(f->type == CU_VAL_STRING && f->len == 1 && f->raw == f->s,
       "CSV: fields are strings; raw is the decoded text");
    cu_reader_close(r);
    free(path);

    check_error("a,b\n1,\"open\n", CU_FMT_CSV,
                ":2: unterminated quoted field at the end of the file",
                "CSV error: unterminated quote at EOF");
    check_error("a,b\n1,\"open\nmore\nstill\n", CU_FMT_CSV,
                ":2: unterminated quoted field at the end of the file",
                "CSV error: unterminated quote names the line it opened");
    check_error("a,b\n1,x\"y\n", CU_FMT_CSV, ":2: malformed CSV",
                "CSV error: quote inside an unquoted field");
    check_error("a,b\n1,\"x\"y\n", CU_FMT_CSV, ":2: malformed CSV",
                "CSV error: text after a closing quote");
    check_error("a,b\n1,2\n3\n", CU_FMT_CSV,
                ":3: wrong number of fields: expected 2 (as in the header at "
                "line 1), got 1",
                "CSV error: wrong number of fields");
    check_error("a,b\n1,\"x\ny\",3\n", CU_FMT_CSV,
                ":2: wrong number of fields: expected 2 (as in the header at "
                "line 1), got 3",
                "CSV error: field count of a multi-line record names its first line");
}

/* ---- gzip --------------------------------------------------------------- */

static void test_gzip(void)
{
    const char *tsv = "#table\tn.t\na\tb\n1\t\\N\n";
    const char *jsons = "{\"_table\":\"n.j\",\"x\":\"\\u00e9\"}\n";
    char *gz = gzip_text(tsv), *t;
    cu_reader *r = open_one(gz, CU_FMT_AUTO);
    t = transcript(r);
    is_str(t, "S n.t @2 a|b\n@3 1|<N>\n", "gzip: TSV read through gzip");
    cu_reader_close(r);
    free(t);
    free(gz);

    gz = gzip_text(jsons);
    r = open_one(gz, CU_FMT_AUTO);
    t = transcript(r);
    is_str(t, "S n.j @1 x\n@1 \xc3\xa9\n", "gzip: JSONS detected inside gzip");
    is_int(cu_reader_format(r), CU_FMT_JSONS, "gzip: format is JSONS");
    cu_reader_close(r);
    free(t);
    free(gz);

    gz = tmpfile_gz("a,b\n\"x,y\",2\n", 12);
    r = open_one(gz, CU_FMT_CSV);
    t = transcript(r);
    is_str(t, "S - @1 a|b\n@2 x,y|2\n", "gzip: CSV through gzip");
    cu_reader_close(r);
    free(t);
    free(gz);

    gz = tmpfile_gz("", 0);
    r = open_one(gz, CU_FMT_AUTO);
    is_int(cu_reader_next(r), CU_EOF, "gzip: empty compressed file: EOF");
    cu_reader_close(r);
    free(gz);

    /* two members, as `cat a.gz b.gz` makes: one stream */
    char *g1 = gzip_text("a\tb\n1\t2\n"), *g2 = gzip_text("3\t4\n");
    size_t l1, l2;
    char *d1 = slurp(g1, &l1), *d2 = slurp(g2, &l2);
    char *both = malloc(l1 + l2);
    memcpy(both, d1, l1);
    memcpy(both + l1, d2, l2);
    char *cat = tmpfile_with(both, l1 + l2, ".gz");
    r = open_one(cat, CU_FMT_AUTO);
    t = transcript(r);
    is_str(t, "S - @1 a|b\n@2 1|2\n@3 3|4\n",
           "gzip: concatenated members read as one stream");
    cu_reader_close(r);
    free(t);

    /* truncated: every cut of the file is an error, never a short read */
    size_t bigl = 0;
    char *big = malloc(400000);
    bigl += (size_t)sprintf(big, "n\n");
    for (int i = 0; bigl < 390000; i++)
        bigl += (size_t)sprintf(big + bigl, "%d\n", i * 7919);
    char *gbig = tmpfile_gz(big, bigl);
    size_t gl;
    char *gd = slurp(gbig, &gl);
    size_t cuts[] = {2, 10, gl / 2, gl - 9, gl - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        char name[80];
        snprintf(name, sizeof name,
                 "gzip error: truncated after %zu of %zu bytes", cuts[i], gl);
        check_error_some_line(gd, cuts[i], CU_FMT_AUTO,
                              ": truncated gzip file (unexpected end of file "
                              "while reading this line)",
                              name);
    }
    /* truncated second member */
    memcpy(both + l1, d2, l2);
    check_error_some_line(both, l1 + l2 - 4, CU_FMT_AUTO, ": truncated gzip file",
                    "gzip error: truncated second member");
    /* corrupt data */
    memcpy(both, d1, l1);
    both[l1 / 2] ^= 0x55;
    both[l1 / 2 + 1] ^= 0x55;
    check_error_some_line(both, l1, CU_FMT_AUTO, ": corrupt gzip data",
                    "gzip error: corrupt data");
    /* garbage after a member */
    memcpy(both, d1, l1);
    memcpy(both + l1, "junkjunk", 8);
    check_error_some_line(both, l1 + 8, CU_FMT_AUTO, ": corrupt gzip data",
                    "gzip error: garbage after the last member");
    free(gbig);
    free(gd);
    free(big);
    free(both);
    free(cat);
    free(d1);
    free(d2);
    free(g1);
    free(g2);
}

/* ---- table names --------------------------------------------------------- */

static void test_table_names(void)
{
    is_str(cu_table_short_name("nova_cell1.instances"), "instances",
           "short name: the schema goes");
    is_str(cu_table_entity_name("nova.shadow_instances"), "instances",
           "entity name: nova's shadow_ goes too");
    is_str(cu_table_entity_name("zun.container"), "container",
           "entity name: other tables keep theirs");
    ok(cu_table_entity_name(NULL) == NULL, "entity name: NULL stays NULL");
}

/* ---- zstd, and the same rows through every compression ------------------ */

/* rows of a table with escapes and NULLs, written by the writer to path
 * with flags (CU_WRITE_ZSTD, CU_WRITE_GZIP or 0) */
static void write_sample(const char *path, unsigned flags, int rows)
{
    static const char *const cols[] = {"n", "text", "host"};
    cu_writer *w = cu_writer_open_path(path, CU_FMT_TSV,
                                       flags | CU_WRITE_NO_TRAILERS);
    cu_writer_section(w, "s.t", cols, 3);
    for (int i = 0; i < rows; i++) {
        char host[32];
        snprintf(host, sizeof host, "c%02d-%d", i % 37, i * 7919 % 1000);
        cu_writer_int(w, i);
        cu_writer_cstr(w, i % 7 ? "tab\there, new\nline" : NULL);
        cu_writer_cstr(w, host);
        cu_writer_end_row(w);
    }
    cu_writer_close(w);
}

struct membuf {
    char *p;
    size_t n, cap;
};

static void to_membuf(void *ctx, const void *p, size_t n)
{
    struct membuf *m = ctx;
    if (m->n + n > m->cap) {
        m->cap = (m->n + n) * 2;
        m->p = realloc(m->p, m->cap);
    }
    memcpy(m->p + m->n, p, n);
    m->n += n;
}

/* text as one zstd frame, in memory */
static char *zstd_mem(const char *text, size_t len, size_t *out_len)
{
    struct membuf m = {NULL, 0, 0};
    cu_encoder *e = cu_encoder_new(CU_COMPRESS_ZSTD, "test");
    cu_encoder_put(e, text, len, CU_ENCODE_END, to_membuf, &m);
    cu_encoder_free(e);
    *out_len = m.n;
    return m.p;
}

static void test_zstd(void)
{
    static const unsigned flags[] = {CU_WRITE_ZSTD, CU_WRITE_GZIP, 0};
    static const char *const kind[] = {"zstd", "gzip", "none"};
    char *path[3], *text[3], *t;
    size_t len;
    for (int i = 0; i < 3; i++) {
        path[i] = tmpfile_with("", 0, ".tsv");
        write_sample(path[i], flags[i], 50000);
        cu_reader *r = open_one(path[i], CU_FMT_AUTO);
        text[i] = transcript(r);
        cu_reader_close(r);
    }
    char *raw = slurp(path[0], &len);
    ok(len > 4 && cu_compress_sniff(raw, len) == CU_COMPRESS_ZSTD,
       "zstd: the writer's file starts with the zstd magic");
    free(raw);
    const char *last = "\n@50002 49999|tab<TAB>here, new<LF>line|c12-81\n";
    size_t tl = strlen(text[2]);
    if (!ok(tl > strlen(last) && strcmp(text[2] + tl - strlen(last), last) == 0,
            "round trip: the plain file reads back whole, escapes decoded"))
        diag("ends with '%s'", tl > 80 ? text[2] + tl - 80 : text[2]);
    for (int i = 0; i < 2; i++) {
        ok(strcmp(text[i], text[2]) == 0,
           "round trip: %s reads back the rows plain reads, byte for byte",
           kind[i]);
    }
    /* reproducible: the same rows give the same bytes */
    char *again = tmpfile_with("", 0, ".tsv");
    size_t l1, l2;
    write_sample(again, CU_WRITE_ZSTD, 50000);
    char *b1 = slurp(path[0], &l1), *b2 = slurp(again, &l2);
    ok(l1 == l2 && memcmp(b1, b2, l1) == 0,
       "zstd: the same rows give byte-identical files (%zu bytes)", l1);
    free(b1);
    free(b2);
    unlink(again);
    free(again);
    for (int i = 0; i < 3; i++) {
        unlink(path[i]);
        free(path[i]);
        free(text[i]);
    }

    /* JSONS detected inside zstd; an empty frame is an empty stream */
    const char *jsons = "{\"_table\":\"n.j\",\"x\":\"\\u00e9\"}\n";
    char *z = zstd_mem(jsons, strlen(jsons), &len);
    char *zp = tmpfile_with(z, len, ".zst");
    cu_reader *r = open_one(zp, CU_FMT_AUTO);
    t = transcript(r);
    is_str(t, "S n.j @1 x\n@1 \xc3\xa9\n", "zstd: JSONS detected inside zstd");
    cu_reader_close(r);
    free(t);
    free(zp);
    free(z);
    z = zstd_mem("", 0, &len);
    zp = tmpfile_with(z, len, ".zst");
    r = open_one(zp, CU_FMT_AUTO);
    is_int(cu_reader_next(r), CU_EOF, "zstd: an empty frame: EOF");
    cu_reader_close(r);
    free(zp);
    free(z);

    /* two frames, as `cat a.zst b.zst` makes: one stream */
    size_t l1z, l2z;
    char *z1 = zstd_mem("a\tb\n1\t2\n", 8, &l1z), *z2 = zstd_mem("3\t4\n", 4, &l2z);
    char *both = malloc(l1z + l2z + 8);
    memcpy(both, z1, l1z);
    memcpy(both + l1z, z2, l2z);
    zp = tmpfile_with(both, l1z + l2z, ".zst");
    r = open_one(zp, CU_FMT_AUTO);
    t = transcript(r);
    is_str(t, "S - @1 a|b\n@2 1|2\n@3 3|4\n",
           "zstd: concatenated frames read as one stream");
    cu_reader_close(r);
    free(t);
    free(zp);
    check_error_some_line(both, l1z + l2z - 3, CU_FMT_AUTO,
                          ": truncated zstd file", "zstd error: truncated "
                          "second frame");
    memcpy(both + l1z, "junkjunk", 8);
    check_error_some_line(both, l1z + 8, CU_FMT_AUTO, ": corrupt zstd data",
                          "zstd error: garbage after the last frame");

    /* every cut of a larger file is an error naming the file, never a
       short read; a flipped byte is corrupt data (the frame's checksum) */
    size_t bigl = 0;
    char *big = malloc(400000);
    bigl += (size_t)sprintf(big, "n\n");
    for (int i = 0; bigl < 390000; i++)
        bigl += (size_t)sprintf(big + bigl, "%d\n", i * 7919);
    size_t zl;
    char *zd = zstd_mem(big, bigl, &zl);
    size_t cuts[] = {4, 10, zl / 2, zl - 4, zl - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        char name[80];
        snprintf(name, sizeof name,
                 "zstd error: truncated after %zu of %zu bytes", cuts[i], zl);
        check_error_some_line(zd, cuts[i], CU_FMT_AUTO,
                              ": truncated zstd file (unexpected end of file "
                              "while reading this line)",
                              name);
    }
    zd[zl / 2] ^= 0x55;
    check_error_some_line(zd, zl, CU_FMT_AUTO, ": corrupt zstd data",
                          "zstd error: corrupt data");
    free(zd);
    free(big);
    free(both);
    free(z1);
    free(z2);
}

/* ---- several inputs, stdin, archives ------------------------------------- */

static void test_several_files(void)
{
    char *f1 = file_of("#table\tn.a\nx\ty\n1\t2\n");
    char *f2 = file_of("{\"_table\":\"n.a\",\"x\":3,\"y\":4}\n");
    char *f3 = file_of("x\ty\n5\t6\n");
    char *f4 = file_of("");
    char *g = gzip_text("z\n7\n");
    const char *paths[] = {f1, f2, f4, f3, g};
    cu_reader *r = cu_reader_open(paths, 5, CU_FMT_AUTO);
    char *t = transcript(r);
    is_str(t,
           "S n.a @2 x|y\n@3 1|2\n"
           "S n.a @1 x|y\n@1 #3|#4\n"
           "S - @1 x|y\n@2 5|6\n"
           "S - @1 z\n@2 7\n",
           "several files: each starts a section with its own header");
    cu_reader_close(r);
    free(t);

    /* file name and line follow the files */
    r = cu_reader_open(paths, 5, CU_FMT_AUTO);
    cu_reader_next(r);
    cu_reader_next(r);
    is_str(cu_reader_filename(r), f1, "several files: name of the first");
    cu_reader_next(r);
    cu_reader_next(r);
    is_str(cu_reader_filename(r), f2, "several files: name of the second");
    is_int(cu_reader_lineno(r), 1, "several files: lines count per file");
    cu_reader_close(r);

    /* forcing a format for all files */
    const char *two[] = {f3, f3};
    r = cu_reader_open(two, 2, CU_FMT_TSV);
    t = transcript(r);
    is_str(t, "S - @1 x|y\n@2 5|6\nS - @1 x|y\n@2 5|6\n",
           "several files: the same file twice");
    cu_reader_close(r);
    free(t);
    free(f1);
    free(f2);
    free(f3);
    free(f4);
    free(g);
}

static void open_missing_child(void *arg)
{
    const char *paths[] = {"/dev/null", arg};
    cu_set_program_name("cu-test");
    cu_reader_open(paths, 2, CU_FMT_AUTO);
    printf("opened\n");
}

static void test_stdin(void)
{
    char *f = file_of("a\tb\n1\t2\n");
    char *g = gzip_text("{\"k\":\"v\"}\n");
    int saved = dup(STDIN_FILENO);
    for (int pass = 0; pass < 3; pass++) {
        int fd = open(pass == 2 ? g : f, O_RDONLY);
        const char *dash[] = {"-"};
        cu_reader *r;
        char *t;
        dup2(fd, STDIN_FILENO);
        close(fd);
        r = pass == 1 ? cu_reader_open(NULL, 0, CU_FMT_AUTO)
                      : cu_reader_open(dash, 1, CU_FMT_AUTO);
        t = transcript(r);
        is_str(t, pass == 2 ? "S - @1 k\n@1 v\n" : "S - @1 a|b\n@2 1|2\n",
               pass == 0   ? "stdin: '-' reads standard input"
               : pass == 1 ? "stdin: no paths read standard input"
                           : "stdin: gzip JSONS on standard input");
        is_str(cu_reader_filename(r), "(stdin)", "stdin: named (stdin)");
        cu_reader_close(r);
        free(t);
        ok(fcntl(STDIN_FILENO, F_GETFD) != -1, "stdin: left open by close");
    }
    dup2(saved, STDIN_FILENO);
    close(saved);
    free(f);
    free(g);

    struct child_result cr = run_child(open_missing_child, "/nonexistent/x.tsv");
    ok(cr.status == 1 && strstr(cr.err, "cu-test: /nonexistent/x.tsv: No such file") &&
           cr.out[0] == '\0',
       "open: a missing file is fatal at open, naming it");
    child_result_free(&cr);
}

/* A pipe whose writer pauses: each row must come out as soon as its line
 * arrived, not when a block is full (tail -f, cu-replay | cu-x). The
 * writer only goes on after the reader got the row; a reader waiting for
 * more would hang, which the alarm turns into a failure. */
static void test_streaming(void)
{
    int data[2], go[2], saved = dup(STDIN_FILENO);
    pid_t pid;
    if (pipe(data) != 0 || pipe(go) != 0)
        abort();
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        char c;
        close(data[0]);
        close(go[1]);
        if (write(data[1], "a\tb\n1\t2\n", 8) != 8 || read(go[0], &c, 1) != 1 ||
            write(data[1], "3\t4", 3) != 3 || usleep(100000) != 0 ||
            write(data[1], "\n5\t6\n", 5) != 5)
            _exit(1);
        _exit(0);
    }
    close(data[1]);
    close(go[0]);
    dup2(data[0], STDIN_FILENO);
    close(data[0]);
    alarm(10);
    cu_reader *r = cu_reader_open(NULL, 0, CU_FMT_AUTO);
    is_int(cu_reader_next(r), CU_SECTION, "streaming: header while the writer waits");
    is_int(cu_reader_next(r), CU_ROW, "streaming: first row while the writer waits");
    is_str(cu_reader_field(r, 1)->s, "2", "streaming: its value");
    if (write(go[1], "x", 1) != 1)
        abort();
    is_int(cu_reader_next(r), CU_ROW, "streaming: a line completed later");
    is_str(cu_reader_field(r, 0)->s, "3", "streaming: joined across two writes");
    is_int(cu_reader_next(r), CU_ROW, "streaming: next row");
    is_int(cu_reader_next(r), CU_EOF, "streaming: EOF when the writer ends");
    alarm(0);
    cu_reader_close(r);
    close(go[1]);
    waitpid(pid, NULL, 0);
    dup2(saved, STDIN_FILENO);
    close(saved);
}

/* An archive as cu-dump -o writes it. */
static char *make_archive(const char *manifest)
{
    char *dir = tmpdir_make(), *p;
    const char *inst = "uuid\thost\nu1\th1\nu2\t\\N\n";
    const char *leases = "{\"id\":\"l1\",\"name\":\"x\"}\n";
    char *gz = gzip_text(inst), *gj = gzip_text(leases);
    size_t len;
    char *data = slurp(gz, &len);
    p = path_in(dir, "nova.instances.tsv.gz");
    write_file(p, data, len);
    free(p);
    free(data);
    data = slurp(gj, &len);
    p = path_in(dir, "blazar.leases.jsons.gz");
    write_file(p, data, len);
    free(p);
    free(data);
    p = path_in(dir, "keystone.project.tsv");
    write_file(p, "id\np1\n", 6);
    free(p);
    /* the manifests below hold `\tx\t` where the member's sha256 goes */
    size_t mlen = strlen(manifest), o = 0;
    char *text = malloc(mlen * 2 + 1);
    for (const char *line = manifest; *line;) {
        const char *nl = strchr(line, '\n'), *x = strstr(line, "\tx\t");
        if (x && x < nl) {
            char file[128], hex[CU_SHA256_HEX + 1];
            const char *f1 = strchr(line, '\t') + 1, *f2 = strchr(f1, '\t');
            snprintf(file, sizeof file, "%.*s", (int)(f2 - f1), f1);
            p = path_in(dir, file);
            cu_sha256_file(p, hex, NULL);
            free(p);
            memcpy(text + o, line, (size_t)(x - line) + 1);
            o += (size_t)(x - line) + 1;
            memcpy(text + o, hex, CU_SHA256_HEX);
            o += CU_SHA256_HEX;
            line = x + 2;
        }
        memcpy(text + o, line, (size_t)(nl - line) + 1);
        o += (size_t)(nl - line) + 1;
        line = nl + 1;
    }
    p = path_in(dir, "MANIFEST.tsv");
    write_file(p, text, o);
    free(p);
    free(text);
    free(gz);
    free(gj);
    return dir;
}

/* As cu-dump writes it: a table that is not ok has no file. */
static const char *const good_manifest =
    "table\tfile\tstatus\trows\tbytes\tsha256\tcolumns\n"
    "nova.instances\tnova.instances.tsv.gz\tok\t2\t0\tx\tuuid,host\n"
    "nova_cell1.instances\t\\N\tmissing\t\\N\t\\N\t\\N\t\\N\n"
    "zun.container\t\\N\tabsent\t\\N\t\\N\t\\N\t\\N\n"
    "blazar.leases\tblazar.leases.jsons.gz\tok\t1\t0\tx\tid,name\n"
    "keystone.project\tkeystone.project.tsv\tok\t\\N\t0\tx\tid\n";
static const char *const quiet_manifest =
    "table\tfile\tstatus\n"
    "nova.instances\tnova.instances.tsv.gz\tok\n";

static void read_archive_child(void *arg)
{
    const char *paths[] = {arg};
    cu_set_program_name("cu-test");
    cu_reader *r = cu_reader_open(paths, 1, CU_FMT_AUTO);
    char *t = transcript(r);
    fputs(t, stdout);
    free(t);
    cu_reader_close(r);
}

/* A member whose bytes are not those the manifest hashed: an error, even
 * with the right row count. */
static const char *const wrong_digest_manifest =
    "table\tfile\tstatus\trows\tsha256\n"
    "nova.instances\tnova.instances.tsv.gz\tok\t2\t"
    "0000000000000000000000000000000000000000000000000000000000000000\n";

static void test_archive_digest(void)
{
    char *dir = make_archive(wrong_digest_manifest);
    struct child_result cr = run_child(read_archive_child, dir);
    ok(cr.status == 1 && strstr(cr.err, "nova.instances.tsv.gz: sha256 ") &&
           strstr(cr.err, "MANIFEST.tsv says 0000") &&
           strstr(cr.err, "(a corrupted or altered archive)"),
       "archive: a member whose sha256 differs from the manifest's is an "
       "error naming both");
    child_result_free(&cr);
    free(dir);
}

static void test_archive(void)
{
    char *dir = make_archive(good_manifest), want[512];
    struct child_result cr = run_child(read_archive_child, dir);
    is_int(cr.status, 0, "archive: read");
    is_str(cr.out,
           "S nova.instances @1 uuid|host\n@2 u1|h1\n@3 u2|<N>\n"
           "S blazar.leases @1 id|name\n@1 l1|x\n"
           "S keystone.project @1 id\n@2 p1\n",
           "archive: tables with status ok in manifest order, named by the "
           "manifest");
    snprintf(want, sizeof want,
             "cu-test: warning: %s: table nova_cell1.instances has status "
             "'missing' in the manifest: skipped\n",
             dir);
    is_str(cr.err, want,
           "archive: a table not ok is skipped with a warning, an absent "
           "optional one quietly");
    child_result_free(&cr);
    free(dir);

    /* a directory and a file together; file name of a member */
    dir = make_archive(quiet_manifest);
    char *f = file_of("a\n1\n");
    const char *paths[] = {f, dir};
    cu_reader *r = cu_reader_open(paths, 2, CU_FMT_AUTO);
    cu_reader_next(r);
    cu_reader_next(r);
    cu_reader_next(r);
    is_str(cu_reader_table(r), "nova.instances", "archive: after a file");
    char *member = path_in(dir, "nova.instances.tsv.gz");
    is_str(cu_reader_filename(r), member, "archive: messages name DIR/FILE");
    free(member);
    cu_reader_close(r);
    free(f);

    /* forced CSV (a tool's --csv input) applies to files, not archives */
    f = file_of("a,b\n1,2\n");
    const char *mixed[] = {f, dir};
    r = cu_reader_open(mixed, 2, CU_FMT_CSV);
    char *t = transcript(r);
    is_str(t, "S - @1 a|b\n@2 1|2\nS nova.instances @1 uuid|host\n@2 u1|h1\n@3 u2|<N>\n",
           "archive: members are detected even when CSV is forced");
    free(t);
    cu_reader_close(r);
    free(f);

    /* a trailing slash on the directory */
    char *slashed = malloc(strlen(dir) + 2);
    sprintf(slashed, "%s/", dir);
    r = open_one(slashed, CU_FMT_AUTO);
    is_int(cu_reader_next(r), CU_SECTION, "archive: DIR/ works too");
    cu_reader_close(r);
    free(slashed);
    free(dir);

    /* errors */
    dir = tmpdir_make();
    snprintf(want, sizeof want, "cu-test: %s: a directory, but not a cu archive (no MANIFEST.tsv)", dir);
    dies_with(read_archive_child, dir, 1, want, "archive error: no manifest");
    free(dir);

    dir = make_archive("table\tfile\nnova.instances\tnova.instances.tsv.gz\n");
    snprintf(want, sizeof want, "cu-test: %s/MANIFEST.tsv:1: no column 'status' in the header", dir);
    dies_with(read_archive_child, dir, 1, want,
              "archive error: manifest without a status column");
    free(dir);

    dir = make_archive("table\tfile\tstatus\nnova.x\tnova.x.tsv.gz\tok\n");
    snprintf(want, sizeof want, "cu-test: %s/nova.x.tsv.gz: No such file", dir);
    dies_with(read_archive_child, dir, 1, want,
              "archive error: a listed file is missing");
    free(dir);

    dir = make_archive("table\tfile\tstatus\nnova.x\t../x.tsv\tok\n");
    snprintf(want, sizeof want,
             "cu-test: %s/MANIFEST.tsv:2: field 2 (file): not a file name "
             "inside the archive: '../x.tsv'",
             dir);
    dies_with(read_archive_child, dir, 1, want,
              "archive error: a file outside the archive");
    free(dir);

    dir = make_archive("table\tfile\tstatus\n\\N\tx.tsv\tok\n");
    snprintf(want, sizeof want,
             "cu-test: %s/MANIFEST.tsv:2: field 1 (table): table name missing",
             dir);
    dies_with(read_archive_child, dir, 1, want,
              "archive error: NULL table name");
    free(dir);

    dir = make_archive("table\tfile\tstatus\n"
                       "nova.instances\t\\N\tok\n");
    snprintf(want, sizeof want,
             "cu-test: %s/MANIFEST.tsv:2: field 2 (file): not a file name "
             "inside the archive: '\\\\N'",
             dir);
    dies_with(read_archive_child, dir, 1, want,
              "archive error: an ok table without a file");
    free(dir);

    dir = make_archive("table\tfile\tstatus\trows\n"
                       "blazar.leases\tblazar.leases.jsons.gz\tok\t1\n"
                       "nova.instances\tnova.instances.tsv.gz\tok\t3\n");
    snprintf(want, sizeof want,
             "cu-test: %s/nova.instances.tsv.gz: 2 data rows, but "
             "%s/MANIFEST.tsv says 3 (a truncated or altered archive)",
             dir, dir);
    dies_with(read_archive_child, dir, 1, want,
              "archive error: fewer rows than the manifest says");
    free(dir);

    dir = make_archive("table\tfile\tstatus\trows\n"
                       "keystone.project\tkeystone.project.tsv\tok\t0\n");
    snprintf(want, sizeof want,
             "%s/keystone.project.tsv: 1 data rows, but", dir);
    dies_with(read_archive_child, dir, 1, want,
              "archive error: more rows than the manifest says");
    free(dir);

    dir = make_archive("table\tfile\tstatus\trows\n"
                       "keystone.project\tkeystone.project.tsv\tok\tmany\n");
    snprintf(want, sizeof want,
             "%s/MANIFEST.tsv:2: field 4 (rows): not an integer: 'many'", dir);
    dies_with(read_archive_child, dir, 1, want,
              "archive error: a row count that is not a number");
    free(dir);
}

/* ---- both ways: what the writer writes, the reader reads back ----------- */

struct rt_value {
    const char *s; /* NULL: a NULL */
    size_t len;
};
#define RT(lit) {lit, sizeof lit - 1}
static const struct rt_value rt_values[] = {
    RT("plain"), RT(""), {NULL, 0}, RT("tab\there"), RT("nl\nx"),
    RT("cr\rx"), RT("back\\slash"), RT("\\N"), RT("x\\"), RT("#lead"),
    RT("\\#"), RT("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"), RT("a\0b"),
    RT("\"quoted\", comma"), RT("\x01\x7f"), RT("#table\tx"),
};
enum { RT_N = sizeof rt_values / sizeof *rt_values };

static void round_trip(enum cu_format fmt, unsigned flags, const char *name)
{
    static const char *const cols[] = {"#k", "v"};
    static const char *const cols2[] = {"n", "b"};
    char *path = tmpfile_with("", 0, ".out");
    cu_writer *w = cu_writer_open_path(path, fmt, flags);
    cu_reader *r;
    bool good = true;
    size_t rows = 0;
    enum cu_next k;
    cu_writer_section(w, fmt == CU_FMT_CSV ? NULL : "s.one", cols, 2);
    for (size_t i = 0; i < RT_N; i++) {
        /* each value both first on its line and second */
        cu_writer_str(w, rt_values[i].s ? rt_values[i].s : "k", rt_values[i].s ? rt_values[i].len : 1);
        if (rt_values[i].s)
            cu_writer_str(w, rt_values[i].s, rt_values[i].len);
        else
            cu_writer_null(w);
        cu_writer_end_row(w);
    }
    if (fmt != CU_FMT_CSV) {
        cu_writer_section(w, "s.two", cols2, 2);
        cu_writer_num(w, "-1.50e3", 7);
        cu_writer_bool(w, true);
        cu_writer_end_row(w);
    }
    cu_writer_close(w);

    r = open_one(path, fmt == CU_FMT_CSV ? CU_FMT_CSV : CU_FMT_AUTO);
    while ((k = cu_reader_next(r)) != CU_EOF) {
        const char *t = cu_reader_table(r);
        if (k == CU_SECTION) {
            good = good && cu_reader_format(r) == fmt &&
                   (fmt == CU_FMT_CSV ? t == NULL
                                      : t && strcmp(t, rows ? "s.two" : "s.one") == 0) &&
                   strcmp(cu_reader_colname(r, 0), rows ? "n" : "#k") == 0;
            if (!good)
                diag("%s: section %zu wrong", name, rows);
            continue;
        }
        if (rows < RT_N) {
            const struct rt_value *v = &rt_values[rows];
            const cu_field *a = cu_reader_field(r, 0), *b = cu_reader_field(r, 1);
            bool null_ok = b->type == CU_VAL_NULL;
            bool same = v->s ? a->len == v->len && memcmp(a->s, v->s, v->len) == 0 &&
                                   b->type == CU_VAL_STRING && b->len == v->len &&
                                   memcmp(b->s, v->s, v->len) == 0
                             : strcmp(a->s, "k") == 0 && null_ok;
            if (!same) {
                diag("%s: value %zu differs", name, rows);
                good = false;
            }
        } else {
            const cu_field *n = cu_reader_field(r, 0), *b = cu_reader_field(r, 1);
            bool typed = fmt == CU_FMT_JSONS; /* TSV has no types */
            if (n->type != (typed ? CU_VAL_NUMBER : CU_VAL_STRING) ||
                strcmp(n->s, "-1.50e3") != 0 ||
                b->type != (typed ? CU_VAL_BOOL : CU_VAL_STRING) ||
                strcmp(b->s, "true") != 0) {
                diag("%s: typed row differs", name);
                good = false;
            }
        }
        rows++;
    }
    ok(good && rows == RT_N + (fmt == CU_FMT_CSV ? 0 : 1), "%s", name);
    cu_reader_close(r);
    free(path);
}

static void test_round_trip(void)
{
    round_trip(CU_FMT_TSV, 0, "both ways: TSV written by cu_writer reads back the same");
    round_trip(CU_FMT_TSV, CU_WRITE_GZIP, "both ways: gzip TSV");
    round_trip(CU_FMT_JSONS, 0, "both ways: JSONS (types kept)");
    round_trip(CU_FMT_JSONS, CU_WRITE_GZIP, "both ways: gzip JSONS");
    round_trip(CU_FMT_CSV, 0, "both ways: CSV (NULL reads back as empty)");
}

/* ---- typed accessors and messages --------------------------------------- */

struct typed_case {
    const char *text; /* a TSV of one column "v" and one row */
    int kind;         /* 0 int, 1 double, 2 time, 3 die_field */
};

static void typed_child(void *arg)
{
    const struct typed_case *c = arg;
    char *path = tmpfile_with(c->text, strlen(c->text), ".tsv");
    cu_set_program_name("cu-test");
    cu_reader *r = open_one(path, CU_FMT_AUTO);
    cu_reader_next(r);
    cu_reader_next(r);
    switch (c->kind) {
    case 0: printf("%lld\n", (long long)cu_reader_int(r, 0, -1)); break;
    case 1: printf("%g\n", cu_reader_double(r, 0, -1)); break;
    case 2: printf("%lld\n", (long long)cu_reader_time(r, 0)); break;
    default: cu_reader_die_field(r, 0, "custom %s %d", "message", 7);
    }
}

static void typed_dies(const char *text, int kind, const char *msg,
                       const char *name)
{
    struct typed_case c = {text, kind};
    dies_with(typed_child, &c, 1, msg, name);
}

static void test_typed(void)
{
    char *path = file_of("i\td\tt\tb\n"
                         "42\t2.5\t2024-03-01T12:00:00Z\ttrue\n"
                         "-9223372036854775808\t1e3\t2024-03-01 12:00:00.5\tfalse\n"
                         "+9223372036854775807\t.5\t1970-01-01\t0\n"
                         "\\N\t\\N\t\\N\t\\N\n"
                         "-0\t-1.25E-2\t2038-01-19T03:14:08Z\t1\n");
    cu_reader *r = open_one(path, CU_FMT_AUTO);
    cu_reader_next(r);
    cu_reader_next(r);
    is_int(cu_reader_int(r, 0, -1), 42, "int: 42");
    is_double(cu_reader_double(r, 1, -1), 2.5, 0, "double: 2.5");
    is_int(cu_reader_time(r, 2), INT64_C(1709294400000000), "time: RFC 3339");
    cu_reader_next(r);
    is_int(cu_reader_int(r, 0, -1), INT64_MIN, "int: INT64_MIN");
    is_double(cu_reader_double(r, 1, -1), 1000, 0, "double: 1e3");
    is_int(cu_reader_time(r, 2), INT64_C(1709294400500000),
           "time: MySQL DATETIME with a fraction");
    cu_reader_next(r);
    is_int(cu_reader_int(r, 0, -1), INT64_MAX, "int: +INT64_MAX");
    is_double(cu_reader_double(r, 1, -1), 0.5, 0, "double: .5");
    is_int(cu_reader_time(r, 2), 0, "time: a bare date at the epoch");
    is_int(cu_reader_int(r, 3, -1), 0, "int: 0");
    cu_reader_next(r);
    is_int(cu_reader_int(r, 0, -7), -7, "int: NULL gives the default");
    is_double(cu_reader_double(r, 1, 3.5), 3.5, 0, "double: NULL gives the default");
    is_int(cu_reader_time(r, 2), CU_TIME_NULL, "time: NULL is CU_TIME_NULL");
    cu_reader_next(r);
    is_int(cu_reader_int(r, 0, -1), 0, "int: -0");
    is_double(cu_reader_double(r, 1, -1), -0.0125, 1e-18, "double: -1.25E-2");
    is_int(cu_reader_time(r, 2), INT64_C(2147483648000000), "time: 2038-01-19T03:14:08Z");
    cu_reader_close(r);
    free(path);

    path = file_of("{\"b\":true,\"n\":12,\"f\":false}\n");
    r = open_one(path, CU_FMT_AUTO);
    cu_reader_next(r);
    cu_reader_next(r);
    is_int(cu_reader_int(r, 0, -1), 1, "int: JSON true is 1");
    is_int(cu_reader_int(r, 1, -1), 12, "int: JSON number");
    is_int(cu_reader_int(r, 2, -1), 0, "int: JSON false is 0");
    cu_reader_close(r);
    free(path);

    typed_dies("v\n4x\n", 0, ":2: field 1 (v): not an integer: '4x'", "int error: 4x");
    typed_dies("v\n\n", 0, ":2: field 1 (v): not an integer: ''", "int error: empty");
    typed_dies("v\n-\n", 0, "field 1 (v): not an integer: '-'", "int error: a sign alone");
    typed_dies("v\n 1\n", 0, "field 1 (v): not an integer: ' 1'", "int error: a space");
    typed_dies("v\n1.0\n", 0, "field 1 (v): not an integer: '1.0'", "int error: 1.0");
    typed_dies("v\n9223372036854775808\n", 0,
               "field 1 (v): integer out of range: '9223372036854775808'",
               "int error: INT64_MAX + 1");
    typed_dies("v\n-9223372036854775809\n", 0, "integer out of range",
               "int error: INT64_MIN - 1");
    typed_dies("v\n99999999999999999999999\n", 0, "integer out of range",
               "int error: far out of range");
    typed_dies("v\nabc\n", 1, ":2: field 1 (v): not a number: 'abc'", "double error: abc");
    typed_dies("v\ninf\n", 1, "not a number: 'inf'", "double error: inf");
    typed_dies("v\nnan\n", 1, "not a number: 'nan'", "double error: nan");
    typed_dies("v\n0x10\n", 1, "not a number: '0x10'", "double error: hex");
    typed_dies("v\n1e\n", 1, "not a number: '1e'", "double error: 1e");
    typed_dies("v\n.\n", 1, "not a number: '.'", "double error: a dot");
    typed_dies("v\n\n", 1, "not a number: ''", "double error: empty");
    typed_dies("v\n1e999\n", 1, "field 1 (v): number out of range: '1e999'",
               "double error: overflow");
    typed_dies("v\n2023-02-29 00:00:00\n", 2,
               ":2: field 1 (v): bad time (", "time error: 2023-02-29");
    typed_dies("v\nyesterday\n", 2, "field 1 (v): bad time (",
               "time error: not a time");
    typed_dies("v\nx\\ty\n", 3,
               ":2: field 1 (v): custom message 7: 'x\\ty'",
               "die_field: the standard shape, value escaped");
    typed_dies("v\n\\N\n", 3, ":2: field 1 (v): custom message 7: '\\\\N'",
               "die_field: a NULL is shown as written");

    /* zero dates: NULL, one warning per column */
    struct typed_case c = {"v\n0000-00-00 00:00:00\n", 2};
    struct child_result cr = run_child(typed_child, &c);
    char want[256];
    snprintf(want, sizeof want, "%lld\n", (long long)CU_TIME_NULL);
    ok(cr.status == 0 && strcmp(cr.out, want) == 0, "time: MySQL zero date is NULL");
    ok(strstr(cr.err, "cu-test: warning: ") &&
           strstr(cr.err, ":2: field 1 (v): MySQL zero date read as NULL"),
       "time: zero date warns in the standard shape");
    child_result_free(&cr);
}

static void zero_dates_child(void *arg)
{
    (void)arg;
    char *path = file_of("a\tb\n0000-00-00 00:00:00\t0000-00-00 00:00:00\n"
                         "0000-00-00 00:00:00\t0000-00-00 00:00:00\n");
    unsigned long before = cu_warning_count(); /* the parent's */
    cu_set_program_name("cu-test");
    cu_reader *r = open_one(path, CU_FMT_AUTO);
    cu_reader_next(r);
    while (cu_reader_next(r) == CU_ROW) {
        for (size_t i = 0; i < 2; i++)
            if (cu_reader_time(r, i) != CU_TIME_NULL)
                printf("not NULL\n");
        if (cu_reader_lineno(r) == 3)
            cu_reader_warn_field(r, 1, "look at %s", "this");
    }
    printf("%lu warnings\n", cu_warning_count() - before);
    cu_reader_close(r);
}

static void test_warnings(void)
{
    struct child_result cr = run_child(zero_dates_child, NULL);
    is_str(cr.out, "3 warnings\n",
           "warnings: one zero-date warning per column, plus warn_field");
    ok(strstr(cr.err, ":3: field 2 (b): look at this: '0000-00-00 00:00:00'\n") != NULL,
       "warn_field: the standard shape");
    child_result_free(&cr);
}

/* ---- cu_reader_only ---- */

/* Columns cols[0..n) of every row, as transcript() shows them; when ask,
 * the reader is told those are the only ones read. */
static char *columns_of(const char *path, enum cu_format fmt,
                        const long *cols, size_t n, bool ask)
{
    char *text = NULL;
    size_t size = 0;
    FILE *o = open_memstream(&text, &size);
    cu_reader *r = open_one(path, fmt);
    enum cu_next k;
    while ((k = cu_reader_next(r)) != CU_EOF) {
        if (k == CU_SECTION) {
            if (ask)
                cu_reader_only(r, cols, n);
            fputs("S\n", o);
            continue;
        }
        fprintf(o, "@%lu ", cu_reader_lineno(r));
        for (size_t j = 0; j < n; j++) {
            if (cols[j] < 0 || (size_t)cols[j] >= cu_reader_ncols(r))
                continue;
            const cu_field *f = cu_reader_field(r, (size_t)cols[j]);
            fputc('|', o);
            if (f->type == CU_VAL_NULL)
                fputs("<N>", o);
            else
                put_visible(o, f->s, f->len);
        }
        fputc('\n', o);
    }
    cu_reader_close(r);
    fclose(o);
    return text;
}

/* Rows of four fields with escapes, \N and plain text in every column,
 * long enough for the one-pass splitter, then a second section. */
static char *only_text(void)
{
    static const char *const vals[] = {
        "plain", "\\N", "a\\tb", "back\\\\slash", "\\\\N", "\\#hash",
        "", "x\\ny\\rz", "0d9a1ad2-5a2b-4c4b-9f0e-1d2c3b4a5968", "\\\\"};
    size_t nv = sizeof vals / sizeof *vals, cap = 1 << 16, n = 0;
    char *t = malloc(cap);
    n += (size_t)sprintf(t + n, "#table\tx.one\na\tb\tc\td\n");
    for (size_t i = 0; i < 400; i++)
        n += (size_t)sprintf(t + n, "%s\t%s\t%s\t%s\n", vals[i % nv],
                             vals[(i / nv) % nv], vals[(i * 7 + 3) % nv],
                             vals[(i * 3 + 1) % nv]);
    n += (size_t)sprintf(t + n, "#table\tx.two\np\tq\nfirst\t\\N\n");
    t[n] = '\0';
    return t;
}

struct only_bad {
    const char *path;
    long col; /* the one column asked for */
    long read; /* the column read */
};

static void only_child(void *arg)
{
    const struct only_bad *b = arg;
    cu_set_program_name("cu-test");
    cu_reader *r = open_one(b->path, CU_FMT_AUTO);
    while (cu_reader_next(r) != CU_EOF) {
        if (cu_reader_ncols(r) != 4)
            continue;
        cu_reader_only(r, &b->col, 1);
        while (cu_reader_next(r) == CU_ROW)
            (void)cu_reader_field(r, (size_t)b->read);
        break;
    }
    cu_reader_close(r);
}

static void test_only(void)
{
    char *text = only_text(), *path = file_of(text);
    static const long pick[][3] = {{1, 3, -1}, {0, -1, -1}, {2, 3, 0}};
    for (size_t k = 0; k < sizeof pick / sizeof *pick; k++) {
        char *all = columns_of(path, CU_FMT_AUTO, pick[k], 3, false);
        char *only = columns_of(path, CU_FMT_AUTO, pick[k], 3, true);
        char name[96];
        snprintf(name, sizeof name, "cu_reader_only: the columns asked for "
                 "read as when all are decoded (set %zu)", k);
        is_str(only, all, name);
        free(all);
        free(only);
    }
    /* the second section reads whole again */
    {
        cu_reader *r = open_one(path, CU_FMT_AUTO);
        const long one = 0;
        bool whole = false;
        while (cu_reader_next(r) != CU_EOF)
            if (cu_reader_ncols(r) == 4)
                cu_reader_only(r, &one, 1);
            else if (cu_reader_ncols(r) == 2 && cu_reader_next(r) == CU_ROW)
                whole = cu_field_is_null(cu_reader_field(r, 1)) &&
                        cu_field_equals(cu_reader_field(r, 0), "first");
        ok(whole, "cu_reader_only lasts until the next section");
        cu_reader_close(r);
    }
    struct only_bad b = {path, 1, 2};
    dies_with(only_child, &b, 1, "field 3 (c) was not asked for",
              "reading a column not asked for is fatal");
    free(path);
    free(text);

    /* escapes in the columns not asked for are still checked */
    static const char *const bad[] = {"a\\qb", "x\\N", "\\Ny", "end\\"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        char *t = malloc(1 << 16);
        size_t n = (size_t)sprintf(t, "a\tb\tc\td\n");
        for (int i = 0; i < 50; i++)
            n += (size_t)sprintf(t + n, "%d\t%s\t\\N\tpadding padding padding "
                                 "padding\n", i, i == 20 ? bad[k] : "ok");
        char *p = tmpfile_with(t, n, ".txt");
        struct only_bad ob = {p, 0, 0};
        char name[96];
        snprintf(name, sizeof name, "a bad escape in a column not asked "
                 "for is still an error, named (%s)", bad[k]);
        dies_with(only_child, &ob, 1, ":22: field 2 (b)", name);
        free(p);
        free(t);
    }

    /* JSONS rows are decoded whole, and still only what was asked is read */
    char *j = file_of("{\"a\":1,\"b\":\"x\",\"c\":null,\"d\":true}\n");
    const long cols[] = {1, 2};
    char *all = columns_of(j, CU_FMT_AUTO, cols, 2, false);
    char *only = columns_of(j, CU_FMT_AUTO, cols, 2, true);
    is_str(only, all, "cu_reader_only on JSONS");
    free(all);
    free(only);
    free(j);
}


/* Trailers (writer.h): a stream cut at any byte before its #eof is an
 * error, in TSV and JSONS; a row count that disagrees with #end, a row
 * after #end, a line after #eof are errors; a stream without #cu is read
 * as it is. */
static int cut_status(const char *text, size_t len)
{
    char *path = tmpfile_with(text, len, ".txt");
    struct bad b = {path, CU_FMT_AUTO};
    struct child_result cr = run_child(read_all_child, &b);
    int st = cr.status;
    child_result_free(&cr);
    free(path);
    return st;
}

static void check_every_cut(const char *text, const char *name)
{
    size_t len = strlen(text), bad = 0;
    /* cutting the final newline alone leaves every byte of #eof; a cut
       inside the first three bytes leaves an empty stream (or a comment),
       which says nothing of what it was meant to hold */
    for (size_t n = 3; n + 1 < len; n++)
        if (cut_status(text, n) != 1) {
            diag("%s: cut after %zu bytes read as complete", name, n);
            bad++;
        }
    ok(bad == 0 && cut_status(text, len) == 0 && cut_status(text, len - 1) == 0,
       "%s: whole: read; cut at any of %zu bytes before the end: an error",
       name, len - 4);
}

static void test_trailers(void)
{
    const char *tsv = "#cu\t1\n#table\ta.b\nx\ty\n1\t2\n3\t4\n#end\t2\n"
                      "#status\tc.d\tdenied\n#table\tc.e\nz\n#end\t0\n#eof\n";
    check_stream(tsv, CU_FMT_AUTO, "S a.b @3 x|y\n@4 1|2\n@5 3|4\nS c.e @9 z\n",
                 "trailers: a TSV stream with trailers reads as without");
    check_every_cut(tsv, "trailers: TSV");
    const char *jsons =
        "{\"_cu\":1}\n{\"_table\":\"a.b\",\"x\":1}\n{\"_table\":\"a.b\",\"x\":2}\n"
        "{\"_table\":\"a.b\",\"_end\":2}\n{\"_table\":\"c.e\",\"_end\":0}\n"
        "{\"_table\":\"c.d\",\"_status\":\"denied\"}\n{\"_eof\":true}\n";
    check_stream(jsons, CU_FMT_AUTO, "S a.b @2 x\n@2 #1\n@3 #2\n",
                 "trailers: a JSONS stream with trailers reads as without");
    check_every_cut(jsons, "trailers: JSONS");
    check_error("#cu\t1\na\n1\n2\n#end\t3\n#eof\n", CU_FMT_AUTO,
                ":5: section (unnamed) has 2 data rows, but its #end says 3",
                "trailers: a row count that disagrees with #end");
    check_error("#cu\t1\na\n1\n#end\t1\n2\n#eof\n", CU_FMT_AUTO,
                ":5: a row after the #end of section (unnamed)",
                "trailers: a row after #end");
    check_error("#cu\t1\na\n1\n#end\t1\n#eof\n2\n", CU_FMT_AUTO,
                ":6: a line after #eof", "trailers: a line after #eof");
    check_error("#cu\t2\na\n", CU_FMT_AUTO,
                ":1: unknown cu stream version (this reader knows 1): '2'",
                "trailers: an unknown version");
    check_error("#cu\t1\n#table\tt\na\n1\n#table\tu\nb\n2\n#end\t1\n#eof\n",
                CU_FMT_AUTO, ":5: section t has no #end before this #table",
                "trailers: a section without its #end");
    check_stream("a\n1\n#end\t1\n", CU_FMT_AUTO, "S - @1 a\n@2 1\n",
                 "trailers: without #cu, an #end is still checked, and no #eof "
                 "is needed");
    check_stream("#cu\t1\na\n1\n#end\t1\n#eof\n#cu\t1\na\n2\n#end\t1\n#eof\n",
                 CU_FMT_AUTO, "S - @2 a\n@3 1\nS - @7 a\n@8 2\n",
                 "trailers: two whole streams one after the other (cat)");
}

/* #status and cu_reader_require: a needed table the input could not
 * deliver is fatal unless allowed; absent tables and others pass. */
struct require_case {
    const char *path;
    const char *allow;
};

static void require_child(void *arg)
{
    const struct require_case *rc = arg;
    cu_set_program_name("cu-test");
    cu_reader *r = open_one(rc->path, CU_FMT_AUTO);
    while (cu_reader_next(r) != CU_EOF)
        ;
    const char *need[] = {"instances", "compute_nodes"};
    const char *allow[] = {rc->allow};
    size_t n = cu_reader_require(r, need, 2, allow, rc->allow ? 1 : 0,
                                 "cu-test");
    printf("allowed %zu\n", n);
    cu_reader_close(r);
}

static void test_require(void)
{
    char *f = file_of("#cu\t1\n#status\tnova_cell1.instances\tdenied\n"
                      "#status\tzun.container\tabsent\n"
                      "#status\tkeystone.project\tmissing\n#eof\n");
    struct require_case rc = {f, NULL};
    struct child_result cr = run_child(require_child, &rc);
    ok(cr.status == 1 && strstr(cr.err, "table nova_cell1.instances is denied, "
                                         "and cu-test needs it") &&
           strstr(cr.err, "--allow-missing nova_cell1.instances"),
       "require: a denied needed table is fatal, naming table and status");
    child_result_free(&cr);
    rc.allow = "instances";
    cr = run_child(require_child, &rc);
    ok(cr.status == 0 && strcmp(cr.out, "allowed 1\n") == 0 &&
           strstr(cr.err, "warning: ") && strstr(cr.err, "going on without it"),
       "require: allowed by its short name: a warning, counted");
    child_result_free(&cr);
    free(f);
}

/* The one integer parser, with and without its two widenings. */
static void test_field_int(void)
{
    struct {
        const char *text;
        enum cu_val_type type;
        unsigned flags;
        const char *why; /* NULL: parses to value */
        int64_t value;
    } cases[] = {
        {"0", CU_VAL_STRING, 0, NULL, 0},
        {"-17", CU_VAL_STRING, 0, NULL, -17},
        {"+42", CU_VAL_STRING, 0, NULL, 42},
        {"9223372036854775807", CU_VAL_STRING, 0, NULL, INT64_MAX},
        {"-9223372036854775808", CU_VAL_STRING, 0, NULL, INT64_MIN},
        {"9223372036854775808", CU_VAL_STRING, 0, "integer out of range", 0},
        {"-9223372036854775809", CU_VAL_STRING, 0, "integer out of range", 0},
        {"", CU_VAL_STRING, 0, "not an integer", 0},
        {"-", CU_VAL_STRING, 0, "not an integer", 0},
        {"12a", CU_VAL_STRING, 0, "not an integer", 0},
        {" 1", CU_VAL_STRING, 0, "not an integer", 0},
        {"4.0", CU_VAL_NUMBER, 0, "not an integer", 0},
        {"4.0", CU_VAL_NUMBER, CU_INT_POINT_ZERO, NULL, 4},
        {"4.", CU_VAL_NUMBER, CU_INT_POINT_ZERO, NULL, 4},
        {"4.5", CU_VAL_NUMBER, CU_INT_POINT_ZERO, "not an integer", 0},
        {"true", CU_VAL_BOOL, 0, "not an integer", 0},
        {"true", CU_VAL_BOOL, CU_INT_BOOL, NULL, 1},
        {"false", CU_VAL_BOOL, CU_INT_BOOL, NULL, 0},
        {"true", CU_VAL_STRING, CU_INT_BOOL, "not an integer", 0},
    };
    bool all = true;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cu_field f = {cases[i].text, strlen(cases[i].text), cases[i].type,
                      cases[i].text, strlen(cases[i].text)};
        int64_t v = 12345;
        const char *why = cu_field_int(&f, &v, cases[i].flags);
        bool good = cases[i].why ? why && !strcmp(why, cases[i].why) &&
                                       v == 12345
                                 : !why && v == cases[i].value;
        if (!good) {
            all = false;
            diag("'%s' (flags %u): %s, %" PRId64, cases[i].text,
                 cases[i].flags, why ? why : "ok", v);
        }
    }
    ok(all, "cu_field_int: sign, int64's both ends, what is not an integer, "
       "and the bool and 4.0 widenings only when asked (%zu cases)",
       sizeof cases / sizeof *cases);
}

int main(void)
{
    plan(0);
    test_field_int();
    test_trailers();
    test_require();
    test_archive_digest();
    test_tsv_basic();
    test_tsv_lines();
    test_tsv_sections();
    test_tsv_columns();
    test_tsv_errors();
    test_tsv_errors_mid_file();
    test_tsv_random_rows(false);
    test_tsv_random_rows(true);
    test_long_field();
    test_many_rows();
    test_jsons_basic();
    test_jsons_sections();
    test_jsons_unicode();
    test_jsons_errors();
    test_csv();
    test_gzip();
    test_zstd();
    test_table_names();
    test_several_files();
    test_stdin();
    test_streaming();
    test_archive();
    test_round_trip();
    test_typed();
    test_warnings();
    test_only();
    return done_testing();
}
