/* Reading cu streams: TSV (default), JSONS (one flat JSON object a line) and
 * CSV (RFC 4180, through libcsv), optionally zstd- or gzip-compressed, from
 * files, "-" (stdin) or an archive directory written by cu-dump -o.
 *
 * A stream is a sequence of sections, one per table. In TSV a section starts
 * with `#table<TAB>schema.table` and is followed by its header line; in JSONS
 * every object carries "_table"; a new value starts a new section. A stream
 * of one table may omit the directive (the table name is then NULL). Each
 * input file starts a new section with its own header. An archive directory
 * is read through its MANIFEST.tsv (columns `table`, `file`, `status`, and
 * optionally `rows`): every table file with status `ok`, in manifest order,
 * as one section named after the table; other tables are skipped with a
 * warning naming them. When `rows` is given, a file holding another number
 * of data rows is an error (a truncated or altered archive). Archive files
 * are always detected as TSV or JSONS, whatever format was asked for.
 *
 * Errors in the input (bad escape, bad JSON, wrong field count, truncated
 * zstd or gzip, unterminated CSV quote, ...) are fatal: the reader calls cu_die_at()
 * with file, line and field. The reader is block-buffered and does not
 * allocate per line once its buffers have grown to the longest line.
 *
 * Details every format shares:
 * - Lines end in LF or CRLF (a CR just before the LF is dropped); the last
 *   line may lack its newline. zstd and gzip are recognised by their magic
 *   bytes in any format, several concatenated frames or members are one
 *   stream, and a truncated or corrupt file is an error naming the file
 *   and the line being read.
 * - Bytes are passed through as they are: UTF-8 is not validated (a value
 *   that is not UTF-8 comes out byte for byte as it went in).
 * - TSV: a line starting with `#` is a directive. `#table<TAB>name` starts a
 *   section (a malformed one, e.g. `#table name` or `#table<TAB>` without a
 *   name, is an error, as is a directive not followed by a header line);
 *   every other directive is ignored (comments, future directives). A
 *   field may escape `#` as `\#`; the writer does so for a line's leading
 *   `#`, so that a row or header never reads as a directive (the reader
 *   accepts `\#` anywhere). An empty header line is an error; an empty data
 *   line is a row of one empty field (only valid for a one-column table).
 *   A repeated column name is allowed; cu_reader_col finds the first.
 * - JSONS: blank lines and lines starting with `#` are skipped. The first
 *   object of a section fixes the columns (its keys in order, without
 *   "_table"); later objects of the section may order their keys freely but
 *   must have the same set. Within an archive, objects without "_table"
 *   belong to the manifest's table.
 * - CSV: the first record is the header; empty lines are skipped; spaces
 *   are data. Fields are CU_VAL_STRING (there is no NULL). */
#ifndef CU_STREAM_H
#define CU_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum cu_format {
    CU_FMT_AUTO = 0, /* detect per file: first byte `{` = JSONS, else TSV */
    CU_FMT_TSV,
    CU_FMT_JSONS,
    CU_FMT_CSV, /* never detected: ask for it */
};

/* What a field holds. TSV and CSV fields are CU_VAL_STRING or CU_VAL_NULL
 * (TSV `\N`; CSV an unquoted empty field, while `""` is the empty string, as
 * cu_writer and PostgreSQL write them); JSONS keeps the JSON type. */
enum cu_val_type {
    CU_VAL_NULL = 0,
    CU_VAL_STRING,
    CU_VAL_NUMBER, /* text is the number exactly as written */
    CU_VAL_BOOL,   /* text is "true" or "false" */
};

typedef struct cu_field {
    const char *s;   /* decoded value, NUL-terminated ("" for NULL) */
    size_t len;      /* bytes, excluding the NUL; may contain NUL bytes */
    enum cu_val_type type;
    const char *raw; /* the field's bytes exactly as they were in the input */
    size_t raw_len;  /* (TSV: escaped text; JSONS: the token; CSV: decoded);
                        not NUL-terminated */
} cu_field;

typedef struct cu_reader cu_reader;

enum cu_next {
    CU_EOF = 0,
    CU_ROW = 1,     /* a data row is available */
    CU_SECTION = 2, /* a new section began: table name and columns changed;
                       the next call returns its first row (or another
                       section, or EOF for a header-only section) */
};

/* Open inputs; paths[0..n) are files, directories (archives) or "-".
 * n == 0 reads stdin. A missing or unreadable input (or archive member) is
 * fatal here, before anything is read (exit 1, message with path).
 * fmt = CU_FMT_AUTO detects per file; TSV, JSONS and CSV force it for all
 * files. The reader reads nothing before the first cu_reader_next. */
cu_reader *cu_reader_open(const char *const *paths, size_t n,
                          enum cu_format fmt);
void cu_reader_close(cu_reader *r);

enum cu_next cu_reader_next(cu_reader *r);

/* The current section. */
const char *cu_reader_table(const cu_reader *r); /* NULL if unnamed */
size_t cu_reader_ncols(const cu_reader *r);
const char *cu_reader_colname(const cu_reader *r, size_t i); /* NULL if
                                                               i >= ncols */
/* All ncols names (e.g. for cu_writer_section); valid until the next
 * section starts. */
const char *const *cu_reader_colnames(const cu_reader *r);
/* Index of a column by name, or -1. */
long cu_reader_col(const cu_reader *r, const char *name);
/* Like cu_reader_col, but a missing column is fatal (names file, line,
 * table and the column). */
size_t cu_reader_need_col(const cu_reader *r, const char *name);
enum cu_format cu_reader_format(const cu_reader *r); /* of the current file */

/* The current row; the fields stay valid until the next cu_reader_next.
 * i must be < ncols (else a fatal internal error). */
const cu_field *cu_reader_field(const cu_reader *r, size_t i);
static inline bool cu_field_is_null(const cu_field *f)
{
    return f->type == CU_VAL_NULL;
}
/* Does a non-NULL field hold exactly the n bytes of s? */
static inline bool cu_field_equals_n(const cu_field *f, const char *s,
                                     size_t n)
{
    return f->type != CU_VAL_NULL && f->len == n && memcmp(f->s, s, n) == 0;
}
static inline bool cu_field_equals(const cu_field *f, const char *s)
{
    return cu_field_equals_n(f, s, strlen(s));
}

/* Where we are, for messages: current file name ("-" is "(stdin)") and the
 * 1-based physical line number of the current row (after CU_SECTION: of the
 * header line, or the JSONS object that started the section; for a CSV
 * record spanning lines: its first line). */
const char *cu_reader_filename(const cu_reader *r);
unsigned long cu_reader_lineno(const cu_reader *r);

/* Die with the standard message about field i (0-based) of the current row:
 *   cu-x: FILE:LINE: field N (name): what: 'value'  (exit 1)
 * N is i + 1; the value shown is the decoded text, or for NULL how it was
 * written (\N, null). */
__attribute__((__noreturn__, format(printf, 3, 4)))
void cu_reader_die_field(const cu_reader *r, size_t i, const char *fmt, ...);

/* Warn (non-fatal) in the same shape; counted by cu_warning_count(). */
__attribute__((format(printf, 3, 4)))
void cu_reader_warn_field(const cu_reader *r, size_t i, const char *fmt, ...);

/* Only columns cols[0..n) (indices; negative ones, as cu_reader_col gives
 * for a missing column, are ignored) of the current section will be read:
 * the reader may leave the others undecoded. They are still checked (field
 * count, escapes) as always, but asking for one (cu_reader_field and the
 * accessors below) is a fatal program error. Lasts until the next
 * section; call it after CU_SECTION. For tools that read a few columns of
 * wide tables. */
void cu_reader_only(cu_reader *r, const long *cols, size_t n);

/* Convenience accessors for typed fields of the current row. They die with
 * the standard message on a malformed value. NULL gives the given default.
 * cu_reader_int: optional sign and decimal digits only, within int64 (JSON
 * true/false give 1/0). cu_reader_double: decimal text (`1`, `-2.5`,
 * `.5`, `1e-3`); hex, inf and nan are errors. Parsing uses strtod, so the
 * program must not switch LC_NUMERIC to a locale with a decimal comma. */
int64_t cu_reader_int(const cu_reader *r, size_t i, int64_t if_null);
double cu_reader_double(const cu_reader *r, size_t i, double if_null);
/* A time (RFC 3339 or MySQL DATETIME); NULL and MySQL zero dates give
 * CU_TIME_NULL (zero dates also warn once per column). */
int64_t cu_reader_time(const cu_reader *r, size_t i);

/* The one integer parser: a non-NULL field's optional sign and decimal
 * digits, within int64, into *v; returns NULL, or what is wrong ("not an
 * integer", "integer out of range"). The flags widen what is taken:
 * CU_INT_BOOL JSON true/false as 1/0 (cu_reader_int), CU_INT_POINT_ZERO
 * "4.0" as 4 (JSON writers' integer columns; lib/columns). */
enum { CU_INT_BOOL = 1, CU_INT_POINT_ZERO = 2 };
const char *cu_field_int(const cu_field *f, int64_t *v, unsigned flags);

/* A table's name without its schema (nova_cell1.instances: instances), so
 * that cells and renamed schemas name the same table; NULL stays NULL. */
const char *cu_table_short_name(const char *table);
/* The same without nova's shadow_ prefix (nova.shadow_instances:
 * instances): rows nova-manage db archive_deleted_rows moved are rows of
 * the table they were archived from. */
const char *cu_table_entity_name(const char *table);

/* Tables the input said it could not deliver: an archive manifest's
 * tables of a status other than ok (denied, missing, failed, absent, ...)
 * and a stream's `#status` directives (cu_writer_table_status). Complete
 * once the reader reached CU_EOF; valid until cu_reader_close. */
struct cu_table_status {
    const char *table;  /* schema.table */
    const char *status; /* the manifest's word */
    const char *source; /* the manifest or stream that said so */
};
size_t cu_reader_statuses(cu_reader *r, const struct cu_table_status **out);

/* After CU_EOF: a tool that needs the tables need[0..nneed) (by their name
 * without the schema, "instances", or in full) fails (exit 1, naming the
 * table, its status and where it was said) when the input could not
 * deliver one of them (any status but ok and absent: an absent table is
 * one this cloud does not have), unless allow[0..nallow) lists it (same
 * matching): then a warning, and it is counted. Returns that count. what
 * names the tool's use in the message ("cu-spans"). */
size_t cu_reader_require(cu_reader *r, const char *const *need, size_t nneed,
                         const char *const *allow, size_t nallow,
                         const char *what);

#endif
