/* Writing cu streams: TSV (with the escapes and \N of cu(7)), JSONS and CSV,
 * to a file descriptor, block-buffered, compressed if asked (zstd or gzip).
 *
 * Every write is checked. A write error (full disk, ...) is fatal with a
 * message naming the output (exit 1). EPIPE (the reader went away, e.g.
 * `| head`) ends the process quietly, as SIGPIPE would: SIGPIPE is set back
 * to its default action and raised, so the exit status is 128 + SIGPIPE and
 * nothing is printed.
 *
 * Encodings, field by field:
 *
 *   TSV   `\\`, `\t`, `\n`, `\r` escaped; NULL is `\N`; the empty string
 *         stays empty; a string that is literally `\N` comes out as `\\N`.
 *         Bytes are otherwise written as they are (NUL bytes and invalid
 *         UTF-8 included: TSV is byte-transparent). A line must never start
 *         with `#` unless it is a directive, so a leading `#` of the first
 *         field of a line (data or header) is written `\#` (MySQL LOAD DATA
 *         and PostgreSQL COPY both read `\#` back as `#`).
 *   JSONS one object per line, `"_table"` first when the section is named.
 *         Strings: `"` `\\` and control characters escaped (`\n \t \r \b \f`
 *         and `\u00XX` for the others, DEL as `\u007f`, NUL as `\u0000`);
 *         valid UTF-8 passes through. Invalid UTF-8 cannot be carried by
 *         JSON: each maximal invalid subsequence is replaced by U+FFFD (the
 *         Unicode recommended practice), the first such string is reported
 *         with cu_warn() and the total again at close, so the loss is never
 *         silent (use TSV to keep the bytes). Numbers bare, null, true/false.
 *         A column named `_table` is refused (it would be read as the
 *         section key).
 *   CSV   RFC 4180: records end with CRLF; a field is quoted when it holds
 *         `,` `"` CR or LF, and `"` is doubled. NULL is an empty field; the
 *         empty string is written `""` so the two stay apart (the convention
 *         of PostgreSQL COPY ... CSV). A CSV output holds one table: a second
 *         section with other columns is a usage error (exit 2).
 *
 * Doubles (cu_writer_double): the shortest of %.15g, %.16g, %.17g that reads
 * back to the same value; integral values below 1e17 in plain digits ("5",
 * "1000000000000000"), negative zero as "0". NaN and infinities have no
 * number text in JSON, so they are NULL in every format (`\N`, empty CSV
 * field, null): the three encodings of a stream always say the same thing.
 * The number text is locale-independent only in the "C" LC_NUMERIC locale,
 * which cu tools keep (they never call setlocale for LC_NUMERIC).
 *
 * Sections: a section with the same table name and the same columns as the
 * current one continues it (no new header), so a filter may call
 * cu_writer_section() for each input section. Only the first section of a
 * stream may be unnamed; an unnamed section with other columns after it is
 * an error (exit 1), since a reader could not tell where it starts.
 *
 * Misuse (a field before any section, more or fewer fields than columns in
 * a row, a section or close while a row is open) is a program error: a
 * message and exit 1.
 *
 * Trailers (TSV and JSONS, unless CU_WRITE_NO_TRAILERS, a tool's
 * --no-trailers; CSV has no room for them): a stream begins
 * with `#cu<TAB>1`, each section ends with `#end<TAB>ROWS` (its data rows)
 * and the stream with `#eof`, written by cu_writer_close; in JSONS the
 * objects {"_cu":1}, {"_table":T,"_end":ROWS} and {"_eof":true}. A reader
 * that saw `#cu` therefore knows a stream cut anywhere: a missing #eof, a
 * section whose row count differs, a last line without its newline.
 *
 * A writer does not flush at exit: call cu_writer_close(), so an output cut
 * short by a fatal error never gains a buffered tail after the error (and
 * no #eof). */
#ifndef CU_WRITER_H
#define CU_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compress.h"
#include "cutime.h"
#include "number.h"
#include "stream.h"

typedef struct cu_writer cu_writer;

enum cu_writer_flags {
    CU_WRITE_LINE_BUFFERED = 1 << 0, /* flush after every row */
    CU_WRITE_GZIP = 1 << 1,          /* gzip-compress the output */
    CU_WRITE_ZSTD = 1 << 3,          /* zstd-compress the output */
    CU_WRITE_NO_TRAILERS = 1 << 2,   /* no #cu, #end, #eof (--no-trailers;
                                        an archive's members, which their
                                        manifest vouches for) */
};

/* Size of the writer's block buffer. */
#define CU_WRITER_BUFSZ (64 * 1024)

/* Write to an open descriptor (e.g. STDOUT_FILENO). name is used in
 * messages ("(stdout)") and copied. The writer does not close fd.
 * CU_WRITE_GZIP and CU_WRITE_ZSTD work here too (to a pipe). */
cu_writer *cu_writer_fdopen(int fd, const char *name, enum cu_format fmt,
                            unsigned flags);
/* Create (truncate) path with mode 0666 & ~umask; failure is fatal (exit 1,
 * message with the path). The path names the output in messages. */
cu_writer *cu_writer_open_path(const char *path, enum cu_format fmt,
                               unsigned flags);

/* Begin a section: table may be NULL (single-table stream: no directive /
 * no "_table" key). TSV writes `#table<TAB>name` (if named) and the header;
 * CSV writes the header (a second CSV section is a fatal usage error);
 * JSONS remembers the names for the keys. The header is flushed at once
 * (except into a compressed output, where a flush would only cost
 * compression). cols are copied. */
void cu_writer_section(cu_writer *w, const char *table,
                       const char *const *cols, size_t ncols);

/* Say that table could not be delivered, and why (status: the manifest's
 * word, e.g. denied, missing, failed): TSV `#status<TAB>table<TAB>status`,
 * JSONS {"_table":table,"_status":status}. Between rows only; CSV has no
 * room for it (a usage error). Readers keep it (cu_reader_statuses), so
 * that a tool needing the table fails instead of reading it as empty. */
void cu_writer_table_status(cu_writer *w, const char *table,
                            const char *status);

/* Fields of the current row, in column order. */
void cu_writer_null(cu_writer *w);
void cu_writer_str(cu_writer *w, const char *s, size_t len);
void cu_writer_cstr(cu_writer *w, const char *s); /* NULL pointer = NULL */
/* cu_writer_str for a string the caller knows holds none of the bytes TSV
 * escapes (tab, newline, CR, backslash): ids, fixed names. TSV copies it
 * without looking; JSONS and CSV, and a TSV row's first field (a leading
 * `#`), go through cu_writer_str. */
void cu_writer_plain(cu_writer *w, const char *s, size_t len);
/* A number given as text: JSON writes it bare and checks that it is JSON
 * number text (anything else is a fatal error naming output, row and
 * column, never invalid JSON); TSV and CSV write the text. */
void cu_writer_num(cu_writer *w, const char *s, size_t len);
void cu_writer_int(cu_writer *w, int64_t v);
/* Shortest text that reads back to the same double (%.17g at worst);
 * integers print without a fraction; NaN/Inf are NULL (see above). */
void cu_writer_double(cu_writer *w, double v);
void cu_writer_bool(cu_writer *w, bool v); /* "true"/"false" in every format */
void cu_writer_time(cu_writer *w, cu_time t); /* CU_TIME_NULL = NULL */
/* A field as read, keeping its type (pass-through). */
void cu_writer_field(cu_writer *w, const cu_field *f);
/* A field's bytes already encoded for this writer's format, written as
 * they are: pass-through of cu_field.raw when the input was TSV or JSONS
 * and the output has the same format, so unmasked values are copied byte
 * for byte (cu-mask). The caller guarantees they are valid there (TSV:
 * escaped, and a first field does not start with `#`, which a TSV reader
 * never yields; JSONS: one complete JSON value). Not for CSV input, whose
 * raw bytes are decoded. A CSV writer has no raw form and quotes the bytes
 * as a string; a TSV first field starting with `#` still gets `\#`. */
void cu_writer_raw(cu_writer *w, const char *s, size_t len);
/* Finish the row; checks that exactly ncols fields were written. */
void cu_writer_end_row(cu_writer *w);

/* A whole TSV row at once, for a tool writing millions of rows of a known
 * shape: cu_writer_tsv_row returns where the row's bytes go, room for max
 * of them, or NULL when this is not a TSV writer at the start of a row in a
 * section (or max is more than a quarter of its buffer): then write the
 * fields one by one. The caller puts exactly ncols fields there, escaped
 * (cu_tsv_escape; a first field that starts with `#` as `\#`), separated
 * by tabs and ended by a newline, and passes the end of its bytes to
 * cu_writer_tsv_row_end. The writer does not check them. */
char *cu_writer_tsv_row(cu_writer *w, size_t max);
void cu_writer_tsv_row_end(cu_writer *w, const char *end);


/* Bytes (uncompressed) and data rows written so far; header and directive
 * lines count in bytes, not in rows. */
uint64_t cu_writer_bytes(const cu_writer *w);
/* The output's name, as given to the open function. */
const char *cu_writer_name(const cu_writer *w);
uint64_t cu_writer_rows(const cu_writer *w);
/* Bytes handed to the descriptor so far (the compressed size when compressed);
 * buffered bytes count once they are flushed. */
uint64_t cu_writer_bytes_out(const cu_writer *w);
/* JSONS strings in which invalid UTF-8 was replaced by U+FFFD. */
uint64_t cu_writer_invalid_utf8(const cu_writer *w);

/* The CU_WRITE_* flag of a compression (0 for none). */
unsigned cu_write_compress_flag(enum cu_compress c);

/* Write out the buffer (compressed: a flush, so that a reader can
 * decompress everything written so far). */
void cu_writer_flush(cu_writer *w);
/* Flush, finish the compression, close the file if the writer opened it (after
 * fsync(2), so that a caller may rename it into place at once), free.
 * Any error is fatal. NULL is a no-op. */
void cu_writer_close(cu_writer *w);

/* cu_writer_close, saying what was written in all (for --stats; the
 * stored bytes are only known once the compression is finished). */
struct cu_write_counts {
    uint64_t rows, bytes, stored;
};
void cu_writer_close_counted(cu_writer *w, struct cu_write_counts *c);

/* Call at the end of main() (or register with atexit, as cu_init does):
 * flushes and closes the stdout FILE; an error is reported as
 * "cu-x: (stdout): write error: ..." and exits 1 (_exit, safe in atexit);
 * EPIPE ends the process quietly as SIGPIPE would. Runs once. */
void cu_close_stdout(void);

/* Escape s[0..len) for a TSV field into a caller buffer (for tools that
 * build lines themselves): the four escapes only, no NUL terminator, and s
 * == NULL gives `\N`. Returns the bytes needed; out is written only if that
 * is <= cap. A caller writing the first field of a line must also keep it
 * from starting with `#` (see above). */
size_t cu_tsv_escape(const char *s, size_t len, char *out, size_t cap);

#endif
